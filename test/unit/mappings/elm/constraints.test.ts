import { describe, expect, it } from "vitest";
import { elmConstraintIssues } from "../../../../mappings/elm/constraints.js";
import { corpusJson } from "../../../support/corpus.js";
import { validateElm } from "../../../support/shacl.js";

// The run-time ELM constraint table against the official EDC SHACL shapes (generic-full): the same verdict on the EC
// samples and on variants breaking one cardinality, datatype, class or vocabulary rule each.

/** The EC's unsigned micro-credential sample (a fresh copy). */
const sampleFactory = (): Record<string, unknown> =>
  structuredClone(corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"));

/** The sealed sample's payload (complete: issued date, eIDAS identifier), to break one rule at a time. */
const completeFactory = (): Record<string, unknown> => sealedPayloadFactory();

/** The sealed sample's payload: the credential as EDC sealed it. */
const sealedPayloadFactory = (): Record<string, unknown> =>
  JSON.parse(corpusJson("elm/samples/Sample-MC-Annex1-signed.jsonld").payload);

type Change = (c: Record<string, unknown>) => void;
// biome-ignore lint/suspicious/noExplicitAny: the variants reach into the sample's nested JSON-LD.
const claim = (c: Record<string, unknown>): any => (c.credentialSubject as any).hasClaim;

const VARIANTS: [string, Change][] = [
  ["no validFrom", (c) => delete c.validFrom],
  ["two validFrom values", (c) => (c.validFrom = ["2022-12-31T23:00:00Z", "2023-01-01T00:00:00Z"])],
  ["no issuer", (c) => delete c.issuer],
  ["no displayParameter", (c) => delete c.displayParameter],
  ["no credentialProfiles", (c) => delete c.credentialProfiles],
  ["no credentialSchema", (c) => delete c.credentialSchema],
  ["a claim without title", (c) => delete claim(c).title],
  ["a claim without awardedBy", (c) => delete claim(c).awardedBy],
  [
    "an awarding body that is not an agent",
    (c) => (claim(c).awardedBy.awardingBody = { id: "urn:x:1", type: "Concept" }),
  ],
  [
    "an EQF level from another vocabulary",
    (c) => (claim(c).specifiedBy.eqfLevel = { id: "http://example.org/level/5", type: "Concept" }),
  ],
  ["an assessment without a grade", (c) => delete claim(c).provenBy.grade],
  [
    "a learning setting from another vocabulary",
    (c) => (claim(c).specifiedBy.learningSetting = { id: "http://example.org/x", type: "Concept" }),
  ],
];

describe("the run-time ELM constraint table", () => {
  it("finds nothing wrong with the EC sealed sample's payload, which the official shapes accept", async () => {
    // Prepare
    const credential = sealedPayloadFactory();
    // Act
    const issues = elmConstraintIssues(credential);
    // Assess
    expect((await validateElm(credential)).conforms).toBe(true);
    expect(issues).toEqual([]);
  });

  it("finds what the official shapes find in the EC unsigned sample: no issued date, no eIDAS identifier of the issuer", async () => {
    // Prepare: EDC adds both when it seals.
    const credential = sampleFactory();
    // Act
    const issues = elmConstraintIssues(credential);
    // Assess
    const official = await validateElm(credential);
    expect(official.results.map((r) => r.path).sort()).toEqual([
      "https://www.w3.org/2018/credentials#issued",
      "https://www.w3.org/2018/credentials#issuer",
    ]);
    expect(issues.map((i) => i.pointer).sort()).toEqual(["/issued", "/issuer/eIDASIdentifier"]);
  });

  it.each(VARIANTS)("rejects a credential with %s, as the official shapes do", async (_name, change) => {
    // Prepare
    const credential = completeFactory();
    change(credential);
    // Act
    const issues = elmConstraintIssues(credential);
    // Assess
    const official = await validateElm(credential);
    expect(official.conforms).toBe(false);
    expect(issues.length, JSON.stringify(official.results.slice(0, 3).map((r) => [r.path, r.message]))).toBeGreaterThan(
      0,
    );
  });

  it("names the broken rule with a JSON Pointer and its SHACL shape", () => {
    // Prepare
    const credential = completeFactory();
    claim(credential).specifiedBy.eqfLevel = { id: "http://example.org/level/5", type: "Concept" };
    // Act
    const issues = elmConstraintIssues(credential);
    // Assess
    expect(issues).toEqual([
      {
        pointer: "/credentialSubject/hasClaim/specifiedBy/eqfLevel",
        message: 'must be a concept of http://data.europa.eu/snb/eqf/25831c2 (id "http://example.org/level/5")',
        shape: "Qualification-elm_eqfLevel",
      },
    ]);
  });
});
