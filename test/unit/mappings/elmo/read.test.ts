/**
 * The ELMO reader takes facts from the document and makes none up. The document below is shaped after the official
 * ELMO 2.0 example (corpus elmo/v2.0.0/example.xml: the University of Warsaw issuer with its pic/erasmus/schac
 * identifiers, a course LOI with status, grade, grading scheme and academic term). What the source says is read off
 * the XML text here, by hand; the official ELMO → ELM table (corpus elm/mapping/elmo-to-elm-v3-official.csv) says
 * where each element goes: `status` → provenBy/gradeStatus, `resultLabel` → provenBy/grade, AcademicTerm start/end
 * → the activity's period, and nothing about an assessment title, a transcript title or an issuer IRI.
 */
import { describe, expect, it } from "vitest";
import { writeElm } from "../../../../mappings/elm/write.js";
import { readElmo } from "../../../../mappings/elmo/read.js";
import type { CanonicalCredential, Claim } from "../../../../mappings/model.js";
import { writeOb3 } from "../../../../mappings/ob3/write.js";

const ELMO = `<?xml version="1.0" encoding="UTF-8"?>
<elmo xmlns="https://github.com/emrex-eu/elmo-schemas/tree/v1">
  <generatedDate>2015-10-31T12:00:00+02:00</generatedDate>
  <learner>
    <citizenship>PL</citizenship>
    <givenNames>Wojciech</givenNames>
    <familyName>Rygielski</familyName>
    <bday>1983-04-12</bday>
  </learner>
  <report>
    <issuer>
      <country>PL</country>
      <identifier type="pic">999572294</identifier>
      <identifier type="schac">uw.edu.pl</identifier>
      <title xml:lang="en">University of Warsaw</title>
    </issuer>
    <learningOpportunitySpecification>
      <identifier type="local">1000-612ISD</identifier>
      <title xml:lang="en">Internet Services Design</title>
      <type>Course</type>
      <specifies>
        <learningOpportunityInstance>
          <date>2016-02-06</date>
          <academicTerm>
            <title xml:lang="en">2015/2016 Winter</title>
            <start>2015-10-01</start>
            <end>2016-02-28</end>
          </academicTerm>
          <status>passed</status>
          <gradingSchemeLocalId>1</gradingSchemeLocalId>
          <resultLabel>4.5</resultLabel>
          <credit><scheme>ects</scheme><value>5</value></credit>
        </learningOpportunityInstance>
      </specifies>
    </learningOpportunitySpecification>
    <learningOpportunitySpecification>
      <title xml:lang="en">Lab classes</title>
      <specifies>
        <learningOpportunityInstance>
          <start>2016-03-01</start>
          <date>2016-06-20</date>
          <resultLabel>5</resultLabel>
          <engagementHours>30</engagementHours>
        </learningOpportunityInstance>
      </specifies>
    </learningOpportunitySpecification>
    <issueDate>2016-07-01T12:00:00+02:00</issueDate>
    <gradingScheme localId="1">
      <description xml:lang="en">2 (fail) to 5 (very good)</description>
    </gradingScheme>
  </report>
</elmo>`;

function read(): CanonicalCredential {
  const r = readElmo(ELMO);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const [credential] = r.value;
  if (!credential) throw new Error("no credential");
  return credential;
}

const allStrings = (v: unknown): string[] =>
  typeof v === "string"
    ? [v]
    : Array.isArray(v)
      ? v.flatMap(allStrings)
      : v !== null && typeof v === "object"
        ? Object.values(v).flatMap(allStrings)
        : [];

describe("ELMO reader: nothing made up", () => {
  it("reads status and grade into an assessment that has no title, as the source gives it none", () => {
    const [course] = read().claims as [Claim, Claim];
    const [assessment] = course.provenBy;
    expect(assessment?.grade?.value).toBe("4.5");
    expect(assessment?.gradeStatus?.notation).toBe("passed");
    expect(assessment?.title).toEqual({});
    expect(assessment?.specification?.title ?? {}).toEqual({});
    expect(allStrings(read()).filter((s) => s.startsWith("Assessment"))).toEqual([]);
  });

  it("gives the transcript no title the report does not have", () => {
    const c = read();
    expect(c.title ?? {}).toEqual({});
    expect(allStrings(c).filter((s) => /Transcript of Records/.test(s))).toEqual([]);
  });

  it("keeps the issuer's SCHAC code as an identifier and builds no IRI from it", () => {
    const { issuer } = read();
    expect(issuer?.identifiers).toContainEqual(expect.objectContaining({ value: "uw.edu.pl", scheme: "SCHAC" }));
    expect(issuer?.id).toBeUndefined();
  });

  it("labels text whose language the source does not state as und, not en", () => {
    const [course] = read().claims as [Claim, Claim];
    expect(course.specification?.types[0]?.label).toEqual({ und: "Course" });
    expect(course.provenBy[0]?.gradeStatus?.label).toEqual({ und: "passed" });
  });

  it("takes the activity's period from the academic term or the LOI start, never from the result date", () => {
    const [course, lab] = read().claims as [Claim, Claim];
    const term = course.influencedBy[0];
    expect(term?.startDate).toBe("2015-10-01");
    expect(term?.endDate).toBe("2016-02-28");
    const labActivity = lab.influencedBy[0];
    expect(labActivity?.startDate).toBe("2016-03-01");
    expect(labActivity?.endDate).toBeUndefined();
    expect(lab.awardingDate).toBe("2016-06-20");
  });
});

describe("what a writer must supply for an ELMO report, it lists in derived", () => {
  const now = new Date("2024-05-01T12:00:00Z");
  const at = (doc: unknown, pointer: string): unknown =>
    pointer
      .split("/")
      .slice(1)
      .reduce<unknown>(
        (v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
        doc,
      );

  it("ELM: the assessment's required title is the course's, and the transcript's is named so, both derived", () => {
    const { document, derived } = writeElm(read(), { now, uuid: () => "00000000-0000-4000-8000-000000000000" });
    const paths = (derived ?? []).map((d) => d.path);
    const claims = at(document, "/credentialSubject/hasClaim") as Record<string, unknown>[];
    const course = claims.find((c) => JSON.stringify(c.title).includes("Internet Services Design"));
    const i = claims.indexOf(course as Record<string, unknown>);
    expect(at(document, `/credentialSubject/hasClaim/${i}/provenBy/0/title`) ?? at(course, "/provenBy/title")).toEqual(
      course?.title,
    );
    expect(paths.some((p) => /^\/credentialSubject\/hasClaim\/\d+\/provenBy(\/0)?\/title$/.test(p))).toBe(true);
    expect(JSON.stringify(at(document, "/displayParameter/title"))).toContain("Transcript of Records");
    expect(paths).toContain("/displayParameter/title");
    expect(JSON.stringify(document)).not.toContain("Assessment: ");
  });

  it("OB 3.0: the credential's required name is derived, not the first course's title", () => {
    const { document, derived } = writeOb3(read(), { now });
    expect(document.name).toBe("Transcript of Records");
    expect((derived ?? []).map((d) => d.path)).toContain("/name");
  });
});

describe("ELMO reader: the learner's full name", () => {
  it("reads ELMO 2.0's alternativeName (the full name, in its language) as the learner's full name", () => {
    // Prepare: the ELMO 2.0 XSD's learner has alternativeName, "the full name ... in non latin alphabet".
    const doc = ELMO.replace(
      "<familyName>Rygielski</familyName>",
      '<familyName>Rygielski</familyName>\n    <alternativeName xml:lang="pl">Wojciech Rygielski</alternativeName>',
    );
    // Act
    const r = readElmo(doc);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const [c] = r.value;
    // Assess
    expect(c?.learner.fullName).toEqual({ pl: "Wojciech Rygielski" });
    expect(c?.provenance.paths["/learner/fullName"]).toMatch(/alternativeName/);
    expect(c?.extensions.map((e) => e.path).filter((p) => p.includes("alternativeName"))).toEqual([]);
  });
});
