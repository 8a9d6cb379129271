import { describe, expect, it } from "vitest";
import { durationHours, writeElmo } from "../../../../mappings/elmo/write.js";
import { emptyClaim, emptyCredential, emptyOrganisation, emptySpecification } from "../../../../mappings/model.js";
import { ECTS, eqfConcept } from "../../../../mappings/vocab/index.js";
import { escapeAttr, escapeText, serializeXml } from "../../../../mappings/xml/write.js";
import { parseXmlTree, resolveXPath } from "../../../support/xml-tree.js";

const NOW = new Date("2024-05-01T12:00:00Z");

describe("XML serializer", () => {
  it("escapes markup in text and attributes and drops characters XML 1.0 cannot hold", () => {
    expect(escapeText("a<b>&c\u0000\u001F\r")).toBe("a&lt;b&gt;&amp;c&#xD;");
    expect(escapeAttr('"x"\n\t')).toBe("&quot;x&quot;&#xA;&#x9;");
    expect(escapeText("\uD800x\uD83D\uDE00")).toBe("x\uD83D\uDE00");
  });

  it("writes nested elements without recursion (10,000 deep)", () => {
    let node = { name: "leaf", children: ["x"] as (string | { name: string })[] };
    for (let i = 0; i < 10_000; i++) node = { name: "n", children: [node] };
    expect(serializeXml(node).split("\n")).toHaveLength(20_003);
  });
});

describe("ELMO writer", () => {
  it("reads hours out of day and time durations, and not out of years, months or weeks", () => {
    expect(durationHours("PT60H")).toBe(60);
    expect(durationHours("P1DT1H30M")).toBe(25.5);
    expect(durationHours("P1M")).toBeUndefined();
    expect(durationHours("P2W")).toBeUndefined();
    expect(durationHours("PT")).toBeUndefined();
  });

  it("writes a claim's credits, EQF level and volume of learning, and reports what ELMO has no place for", () => {
    // Prepare
    const c = emptyCredential("ob3");
    c.learner.givenName = { en: "Ana" };
    c.learner.familyName = { en: "Andromeda" };
    c.learner.emails = ["ana@example.org"];
    c.issued = "2024-03-01";
    c.issuer = Object.assign(emptyOrganisation({ en: "University of Zed" }), { homepages: ["https://uniz.example"] });
    const claim = emptyClaim("achievement", { en: "Data literacy" });
    claim.specification = Object.assign(emptySpecification("achievement", { en: "Data literacy" }), {
      credits: [{ framework: ECTS, points: "5" }],
      eqfLevel: eqfConcept(6),
      volumeOfLearning: "PT125H",
      learningOutcomeSummary: { en: "Reads charts" },
    });
    c.claims = [claim];
    // Act
    const { document, losses, warnings } = writeElmo(c, { now: NOW });
    // Assess
    expect(document).toContain("<credit>\n");
    expect(document).toMatch(/<scheme>ects<\/scheme>\s*<value>5<\/value>/);
    expect(document).toMatch(/<type>EQF<\/type>\s*<value>6<\/value>/);
    expect(document).toContain("<engagementHours>125</engagementHours>");
    expect(document).toContain("<issueDate>2024-03-01T00:00:00Z</issueDate>");
    expect(losses.map((l) => l.path)).toEqual(
      expect.arrayContaining(["/learner/emails", "/claims/0/specification/learningOutcomeSummary"]),
    );
    expect(warnings).toEqual([
      { path: "/issuer/identifiers", message: expect.stringContaining("ELMO requires an issuer identifier") },
    ]);
  });
});

describe("ELMO writer: dates", () => {
  it("writes a date-time's day where ELMO holds a day, reporting the time of day lost, and an activity's end not written", () => {
    // Prepare: as EDC writes them (a birth date at local midnight in UTC, an activity's start and end times).
    const c = emptyCredential("elm");
    c.learner.givenName = { en: "Ana" };
    c.learner.dateOfBirth = "1999-10-01T22:00:00Z";
    c.issuer = emptyOrganisation({ en: "University of Zed" });
    const claim = emptyClaim("achievement", { en: "Data literacy" });
    claim.awardingDate = "2023-06-06T00:00:00Z";
    const activity = emptyClaim("activity", { en: "Course" });
    activity.startDate = "2023-05-05T07:00:00Z";
    activity.endDate = "2023-06-06T15:00:00Z";
    claim.influencedBy = [activity];
    c.claims = [claim];
    // Act
    const { document, losses } = writeElmo(c, { now: NOW });
    // Assess
    expect(document).toContain("<dateOfBirth>1999-10-01</dateOfBirth>");
    expect(document).toContain("<start>2023-05-05</start>");
    expect(document).toContain("<date>2023-06-06</date>");
    expect(losses).toEqual(
      expect.arrayContaining([
        { path: "/learner/dateOfBirth", reason: expect.stringContaining("the time of day of 1999-10-01T22:00:00Z") },
        {
          path: "/claims/0/influencedBy/0/startDate",
          reason: expect.stringContaining("the time of day of 2023-05-05T07:00:00Z"),
        },
        { path: "/claims/0/influencedBy/0/endDate", reason: expect.stringContaining("the activity's end") },
      ]),
    );
    expect(losses.map((l) => l.path)).not.toContain("/claims/0/awardingDate");
  });
});

describe("ELMO writer: what it has no element for", () => {
  it("reports the issuer's id, and the titles of the assessment and activity it writes as the instance, as not written", () => {
    // Prepare: an ELM-shaped claim (EDC's node ids, a titled assessment and activity) and an issuer with identifiers.
    const c = emptyCredential("elm");
    c.learner.givenName = { en: "Ana" };
    c.issuer = Object.assign(emptyOrganisation({ en: "University of Zed" }), {
      id: "urn:epass:org:1",
      identifiers: [{ value: "0000", kind: "registration" as const }],
      homepages: ["https://uniz.example"],
    });
    const claim = emptyClaim("achievement", { en: "Data literacy" });
    const assessment = emptyClaim("assessment", { en: "Digital artefact assessment" });
    assessment.grade = { value: "Pass" };
    const activity = emptyClaim("activity", { en: "EDC building training course" });
    claim.provenBy = [assessment];
    claim.influencedBy = [activity];
    c.claims = [claim];
    // Act
    const { document, losses } = writeElmo(c, { now: NOW });
    // Assess
    expect(document).not.toContain("urn:epass:org:1");
    expect(document).not.toContain("Digital artefact assessment");
    expect(losses.map((l) => l.path)).toEqual(
      expect.arrayContaining(["/issuer/id", "/claims/0/provenBy/0/title", "/claims/0/influencedBy/0/title"]),
    );
  });

  it("reports no title of an assessment or activity that is the claim's own", () => {
    // Prepare: as the ELMO reader gives them (the course's title on its activity).
    const c = emptyCredential("elmo");
    c.learner.givenName = { en: "Ana" };
    c.issuer = Object.assign(emptyOrganisation({ en: "University of Zed" }), { homepages: ["https://uniz.example"] });
    const claim = emptyClaim("achievement", { en: "Data literacy" });
    claim.influencedBy = [emptyClaim("activity", { en: "Data literacy" })];
    c.claims = [claim];
    // Act
    const { losses } = writeElmo(c, { now: NOW });
    // Assess
    expect(losses.map((l) => l.path)).not.toContain("/claims/0/influencedBy/0/title");
  });
});

describe("ELMO writer: what it supplies is listed in derived, as XPaths into the document", () => {
  it("names the generation date, a numbered LOS id, a numbered attachment id and numbered grading scheme ids", () => {
    // Prepare: the source has no issuing date, no LOS identifier, no evidence id, and two grading schemes both titled
    // "Scale" (ELMO requires an identifier for each, and an issueDate and generatedDate for the document).
    const c = emptyCredential("ob3");
    c.learner.givenName = { en: "Ana" };
    c.issuer = Object.assign(emptyOrganisation({ en: "University of Zed" }), {
      identifiers: [{ value: "uniz.example", kind: "other" as const, scheme: "SCHAC" }],
    });
    const graded = (title: string, scale: string) => {
      const claim = emptyClaim("achievement", { en: title });
      const assessment = emptyClaim("assessment", {});
      assessment.grade = { value: "A" };
      assessment.specification = { ...emptySpecification("assessment", {}), gradingScheme: { title: { und: scale } } };
      claim.provenBy = [assessment];
      return claim;
    };
    c.claims = [graded("Maths", "Scale"), graded("Physics", "Scale")];
    c.evidence = [
      { types: [], embedded: [{ content: "aGk=", mediaType: "text/plain" }], urls: [], accreditations: [] },
    ];
    // Act
    const { document, derived } = writeElmo(c, { now: NOW });
    // Assess: each derived path selects, in the written XML (read by fast-xml-parser), the value the writer supplied.
    const root = parseXmlTree(document);
    const values = (derived ?? []).flatMap((d) => resolveXPath(root, d.path).map((n) => n.value));
    expect(values).toEqual(expect.arrayContaining([NOW.toISOString(), "los-1", "los-2", "evidence-1", "Scale-2"]));
    expect(values).not.toContain("Scale");
    expect(values).not.toContain("uniz.example");
    for (const d of derived ?? []) expect(resolveXPath(root, d.path), d.path).toHaveLength(1);
  });
});
