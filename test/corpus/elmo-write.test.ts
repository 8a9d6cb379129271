import { describe, expect, it } from "vitest";
import { readElm } from "../../mappings/elm/read.js";
import { readElmo } from "../../mappings/elmo/read.js";
import { writeElmo } from "../../mappings/elmo/write.js";
import type { CanonicalCredential, Claim } from "../../mappings/model.js";
import { ECTS } from "../../mappings/vocab/index.js";
import { corpusJson, corpusText, ELMO_CORPUS_FILES } from "../support/corpus.js";
import { elmoXsdErrors } from "../support/elmo-xsd.js";

const NOW = new Date("2024-05-01T12:00:00Z");

/** Every well-formed ELMO document in the corpus (as test/corpus/elmo-read.test.ts lists them). */
const FILES = ELMO_CORPUS_FILES;

const flatten = (claims: Claim[]): Claim[] => claims.flatMap((c) => [c, ...flatten(c.hasPart)]);
const achievements = (cs: CanonicalCredential[]) =>
  cs.flatMap((c) => flatten(c.claims)).filter((c) => c.kind === "achievement");
const ects = (cs: CanonicalCredential[]) =>
  achievements(cs)
    .flatMap((c) => c.creditsEarned)
    .filter((c) => c.framework?.uri === ECTS.uri)
    .reduce((sum, c) => sum + Number(c.points), 0);

function read(xml: string): CanonicalCredential[] {
  const r = readElmo(xml);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe("ELMO writer", () => {
  it("writes the EC micro-credential sample (ELM) as ELMO valid against the v2.0 XSD", async () => {
    // Prepare
    const r = readElm(corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const [credential] = r.value;
    if (!credential) throw new Error("no credential");
    // Act
    const { document, losses } = writeElmo(credential, { now: NOW });
    // Assess
    expect(await elmoXsdErrors(document)).toEqual([]);
    const [back] = read(document);
    expect(achievements([back as CanonicalCredential])).toHaveLength(achievements([credential]).length);
    expect(document).toContain("<scheme>ects</scheme>");
    expect(document).toMatch(/<level>\s*<type>EQF<\/type>\s*<value>\d<\/value>/);
    expect(document).toMatch(/<engagementHours>\d+(\.\d+)?<\/engagementHours>/);
    expect(losses.some((l) => /learningOutcomes/.test(l.path) || /learningOutcome/.test(l.path))).toBe(true);
  });

  it.each(FILES)(
    "%s → canonical → ELMO is valid against the v2.0 XSD, with every LOS and ECTS credit",
    async (file) => {
      // Prepare
      const source = read(corpusText(file));
      // Act
      const written = source.map((c) => writeElmo(c, { now: NOW }).document);
      // Assess
      for (const xml of written) expect(await elmoXsdErrors(xml)).toEqual([]);
      const back = written.flatMap(read);
      expect(achievements(back)).toHaveLength(achievements(source).length);
      expect(ects(back)).toBeCloseTo(ects(source), 6);
    },
  );

  it("escapes markup in the data and drops characters XML cannot hold", async () => {
    // Prepare
    const [credential] = read(corpusText("elmo/v2.0.0/example.xml"));
    if (!credential) throw new Error("no credential");
    const claim = credential.claims[0] as Claim;
    claim.title = { en: `<b>"Data" & 'Society'</b>\u0001]]>` };
    credential.learner.familyName = { und: "O'Brien & <Sons>" };
    // Act
    const { document } = writeElmo(credential, { now: NOW });
    // Assess
    expect(await elmoXsdErrors(document)).toEqual([]);
    const [back] = read(document);
    expect(back?.claims[0]?.title.en).toBe(`<b>"Data" & 'Society'</b>]]>`);
    expect(back?.learner.familyName).toEqual({ und: "O'Brien & <Sons>" });
  });
});

describe("the ELMO v2.0 XSD harness", () => {
  it("refuses what the schema forbids (the official 2.0 example's legacy bday, no alternativeName)", async () => {
    // Prepare
    const xml = corpusText("elmo/v2.0.0/example.xml");
    // Act
    const errors = await elmoXsdErrors(xml);
    // Assess
    expect(errors.join("\n")).toMatch(/bday/);
  });
});
