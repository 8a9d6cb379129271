import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ob3SchemaIssues, ob3ValidAsArrays } from "../../../../mappings/ob3/schema.js";
import { corpusJson, corpusPath } from "../../../support/corpus.js";
import { schemaErrors } from "../../../support/ob3.js";

// The run-time OB 3.0 schema rules (written from the spec's data model) give the same valid/invalid verdict as the
// official 1EdTech JSON Schema on every OB 3.0 example and validator fixture of the corpus, and on variations of them.

const CORPUS_DOCUMENTS = ["ob3/examples", "ob3/validator-fixtures"].flatMap((dir) =>
  readdirSync(corpusPath(dir))
    .filter((f) => f.endsWith(".json"))
    .map((f) => `${dir}/${f}`),
);

/** Variations of a valid credential, each breaking (or keeping) one rule. */
function variationsFactory(): [string, unknown][] {
  const valid = corpusJson("ob3/validator-fixtures/complete.json");
  const subject = valid.credentialSubject;
  const achievement = subject.achievement;
  return [
    ["no issuer", { ...valid, issuer: undefined }],
    ["a validFrom without time zone", { ...valid, validFrom: "2024-01-01T00:00:00" }],
    [
      "an unknown achievementType",
      { ...valid, credentialSubject: { ...subject, achievement: { ...achievement, achievementType: "Nonsense" } } },
    ],
    [
      "an ext: achievementType",
      { ...valid, credentialSubject: { ...subject, achievement: { ...achievement, achievementType: "ext:Nano" } } },
    ],
    [
      "an achievement without criteria",
      { ...valid, credentialSubject: { ...subject, achievement: { ...achievement, criteria: undefined } } },
    ],
    [
      "an identifier without identityHash",
      {
        ...valid,
        credentialSubject: {
          ...subject,
          identifier: [{ type: "IdentityObject", hashed: false, identityType: "emailAddress" }],
        },
      },
    ],
    [
      "an image with an unknown member",
      { ...valid, image: { id: "https://x.example/i.png", type: "Image", alt: "x" } },
    ],
    ["a type without AchievementCredential", { ...valid, type: ["VerifiableCredential"] }],
    [
      "a third context given as an object",
      { ...valid, "@context": [...valid["@context"], { ex: "https://ex.example/#" }] },
    ],
    [
      "a creditsAvailable given as text",
      { ...valid, credentialSubject: { ...subject, achievement: { ...achievement, creditsAvailable: "3" } } },
    ],
  ].map(([name, doc]) => [name as string, JSON.parse(JSON.stringify(doc))]);
}

describe("the run-time OB 3.0 schema", () => {
  it.each(CORPUS_DOCUMENTS)("gives %s the official schema's verdict", (file) => {
    // Prepare
    const document = corpusJson(file);
    // Act
    const ours = ob3SchemaIssues(document);
    // Assess
    const official = schemaErrors(document);
    expect(ours.length === 0, JSON.stringify({ ours, official })).toBe(official.length === 0);
  });

  it.each(variationsFactory())("gives a credential with %s the official schema's verdict", (_name, document) => {
    // Act
    const ours = ob3SchemaIssues(document);
    // Assess
    const official = schemaErrors(document);
    expect(ours.length === 0, JSON.stringify({ ours, official })).toBe(official.length === 0);
  });

  it("names the fault with a JSON Pointer into the credential", () => {
    // Prepare
    const valid = corpusJson("ob3/validator-fixtures/complete.json");
    const broken = {
      ...valid,
      credentialSubject: {
        ...valid.credentialSubject,
        achievement: { ...valid.credentialSubject.achievement, name: 7 },
      },
    };
    // Act
    const issues = ob3SchemaIssues(broken);
    // Assess
    expect(issues).toEqual([{ pointer: "/credentialSubject/achievement/name", message: "must be string" }]);
  });

  it("tells a single value where the schema wants an array (JSON-LD compaction) from a real fault", () => {
    // Prepare: the OB 3.0 test vector has one proof object, not an array of proofs.
    const vector = corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json");
    const broken = { ...vector, validFrom: "yesterday" };
    // Act
    const vectorIssues = ob3SchemaIssues(vector);
    // Assess
    expect(vectorIssues).toEqual([{ pointer: "/proof", message: "must be array", singleValue: true }]);
    expect(ob3ValidAsArrays(vector)).toEqual([]);
    expect(ob3ValidAsArrays(broken)).toEqual([{ pointer: "/validFrom", message: 'must match format "date-time"' }]);
  });
});
