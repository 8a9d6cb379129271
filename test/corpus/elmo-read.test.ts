import { describe, expect, it } from "vitest";
import { readElmo } from "../../mappings/elmo/read.js";
import type { CanonicalCredential, Claim } from "../../mappings/model.js";
import { ECTS } from "../../mappings/vocab/index.js";
import { corpusText, ELMO_CORPUS_FILES } from "../support/corpus.js";

/** Every ELMO document in the corpus that is well-formed XML (official examples, real-world transcripts, wrappers). */
const FILES = ELMO_CORPUS_FILES;

/** Counted from the text alone (no XML parser, no reader): LOS start tags, and the ECTS credit values. */
function expected(xml: string): { achievements: number; ects: number; reports: number } {
  const body = xml.replace(/<!--[\s\S]*?-->/g, "");
  const achievements = (body.match(/<(\w+:)?learningOpportunitySpecification[\s>]/g) ?? []).length;
  const reports = (body.match(/<(\w+:)?report[\s>]/g) ?? []).length;
  let ects = 0;
  for (const [, credit] of body.matchAll(/<(?:\w+:)?credit>([\s\S]*?)<\/(?:\w+:)?credit>/g)) {
    const scheme = /<(?:\w+:)?scheme>\s*([^<]*?)\s*</.exec(credit ?? "")?.[1];
    const value = /<(?:\w+:)?value>\s*([^<]*?)\s*</.exec(credit ?? "")?.[1];
    if (scheme?.toLowerCase() === "ects" && value) ects += Number(value);
  }
  return { achievements, ects, reports };
}

const flatten = (claims: Claim[]): Claim[] => claims.flatMap((c) => [c, ...flatten(c.hasPart)]);
const achievements = (cs: CanonicalCredential[]) =>
  cs.flatMap((c) => flatten(c.claims)).filter((c) => c.kind === "achievement");
const ectsOf = (cs: CanonicalCredential[]) =>
  achievements(cs)
    .flatMap((c) => c.creditsEarned)
    .filter((c) => c.framework?.uri === ECTS.uri)
    .reduce((sum, c) => sum + Number(c.points), 0);

describe("ELMO reader over the corpus", () => {
  it.each(FILES)("%s: reads every report, every LOS and every ECTS credit as stated", (file) => {
    const xml = corpusText(file);
    const want = expected(xml);

    const r = readElmo(xml);

    expect(r.ok, JSON.stringify(!r.ok && r.issues)).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(want.reports);
    expect(achievements(r.value)).toHaveLength(want.achievements);
    expect(ectsOf(r.value)).toBeCloseTo(want.ects, 6);
    for (const c of r.value) {
      expect(c.provenance.format).toBe("elmo");
      expect(c.provenance.original).toBe(xml);
      expect(c.issuer?.legalName).not.toEqual({});
      if (/<(\w+:)?familyName>[^<]/.test(xml)) expect(c.learner.familyName).toBeDefined();
    }
  });

  it("refuses the German extension example, which is not well-formed, with line and column", () => {
    const r = readElmo(corpusText("elmo/extensions/example-de.xml"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.message).toMatch(/at line \d+, column \d+/);
  });

  it("maps the official v1.7 example per the official table", () => {
    const r = readElmo(corpusText("elmo/v1.7.0/example.xml"));
    if (!r.ok) throw new Error("unreadable");
    const [c] = r.value;
    if (!c) throw new Error("no credential");
    expect(c.learner).toMatchObject({
      givenName: { und: "Wojciech Łukasz" },
      familyName: { und: "Rygielski" },
      dateOfBirth: "1983-04-12",
      citizenship: ["PL"],
      nationalId: { value: "83041200000", kind: "national" },
    });
    expect(c.issuer?.identifiers.map((i) => i.scheme)).toEqual(["PIC", "Erasmus", "SCHAC"]);
    expect(c.issuer?.legalName).toEqual({ pl: "Uniwersytet Warszawski", en: "University of Warsaw" });
    expect(c.issuer?.locations[0]?.address?.country).toBe("PL");
    const course = c.claims[1];
    expect(course?.specification?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/5");
    expect(course?.provenBy[0]?.grade?.value).toBe("45.1");
    expect(course?.creditsEarned).toEqual([{ framework: ECTS, points: "6" }]);
    expect(course?.influencedBy[0]?.specification?.languages[0]?.uri).toMatch(/language\/POL$/);
    expect(course?.hasPart[0]?.influencedBy[0]?.workload).toBe("PT30H");
    expect(c.provenance.paths["/claims/1/creditsEarned/0/points"]).toBe(
      "/elmo/report/0/learningOpportunitySpecification/1/specifies/0/learningOpportunityInstance/0/credit/0/value/0",
    );
    // The degree (120 ECTS) and its course (15 ECTS) both state ECTS: kept as stated, with a warning.
    expect(c.claims[0]?.creditsEarned[0]?.points).toBe("120");
    expect(r.warnings.some((w) => /ancestor/.test(w.message))).toBe(true);
  });

  it("reads the signed Swedish transcript's PDF attachment as embedded evidence", () => {
    const r = readElmo(corpusText("elmo/real-world/dk-emrex-Example-elmo-sweden-1.0.xml"));
    if (!r.ok) throw new Error("unreadable");
    const ev = r.value[0]?.evidence[0];
    expect(ev?.embedded[0]?.mediaType).toBe("application/pdf");
    expect(
      Buffer.from(ev?.embedded[0]?.content ?? "", "base64")
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect(r.value[0]?.provenance.proof).toBeDefined();
  });
});
