import { describe, expect, it } from "vitest";
import {
  type VerificationResult,
  type VerifyDeps,
  verifyCredential,
} from "../../../../../functions/core/verify/verify.js";
import { corpusJson } from "../../../../support/corpus.js";

// The `format` check at run time: the OB 3.0 JSON Schema rules (JSON Pointers in the detail; single values where the
// 2024 schema wants arrays are warnings), the VCDM 1.1 legacy form, and the ELM constraint table.

function depsFactory(): VerifyDeps {
  return {
    store: {
      getIssuer: async () => undefined,
      listIssuers: async () => ({ items: [] }),
      findIssuerByDid: async () => undefined,
    },
    clock: { now: () => new Date("2026-06-01T00:00:00Z") },
    publicUrl: "https://gw.example.org",
    limits: { maxJsonDepth: 64, maxJsonKeys: 100_000 },
  };
}

const formatOf = (result: VerificationResult) => result.checks.find((c) => c.check === "format");
const verify = (verifiableCredential: unknown) => verifyCredential(depsFactory(), { verifiableCredential });

describe("the format check", () => {
  it("accepts the OB 3.0 test vector and warns that its single proof object is not the schema's array", async () => {
    // Act
    const result = await verify(corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json"));
    // Assess
    expect(formatOf(result)).toMatchObject({ status: "ok" });
    expect(formatOf(result)?.detail).toMatch(/valid under the OB 3.0 JSON Schema rules \(AchievementCredential\)/);
    expect(result.warnings).toContainEqual(expect.stringMatching(/^format: \/proof hold a single value/));
  });

  it("fails a credential whose achievement type is not in the OB 3.0 vocabulary, naming the member", async () => {
    // Prepare
    const complete = corpusJson("ob3/validator-fixtures/complete.json");
    complete.credentialSubject.achievement.achievementType = "Nanodegree";
    // Act
    const result = await verify(complete);
    // Assess
    expect(formatOf(result)?.status).toBe("error");
    expect(formatOf(result)?.detail).toMatch(
      /JSON Schema rules fail: \/credentialSubject\/achievement\/achievementType: /,
    );
  });

  it("names the member of a deeper fault by its JSON Pointer", async () => {
    // Prepare
    const complete = corpusJson("ob3/validator-fixtures/complete.json");
    complete.credentialSubject.achievement.name = 7;
    // Act
    const result = await verify(complete);
    // Assess
    expect(formatOf(result)).toMatchObject({
      status: "error",
      detail:
        "Open Badges 3.0 credential: the OB 3.0 JSON Schema rules fail: /credentialSubject/achievement/name: must be string",
    });
  });

  it("checks a VCDM 1.1 OB 3.0 credential for the structure of that form, saying the schema does not apply", async () => {
    // Act
    const result = await verify(corpusJson("ob3/validator-fixtures/simple-eddsa-2022.json"));
    // Assess
    expect(formatOf(result)?.status).toBe("ok");
    expect(formatOf(result)?.detail).toMatch(/in the VCDM 1\.1 form/);
    expect(result.warnings).toContainEqual(expect.stringMatching(/OB 3\.0's legacy form/));
  });

  it("requires an id or an identifier of the credential subject, which the JSON Schema cannot say", async () => {
    // Prepare
    const complete = corpusJson("ob3/validator-fixtures/complete.json");
    delete complete.credentialSubject.id;
    delete complete.credentialSubject.identifier;
    // Act
    const result = await verify(complete);
    // Assess
    expect(formatOf(result)?.detail).toContain("/credentialSubject: needs an id or an identifier");
  });

  it("accepts the EC sealed sample under the ELM constraint table", async () => {
    // Act
    const result = await verify(corpusJson("elm/samples/Sample-MC-Annex1-signed.jsonld"));
    // Assess
    expect(formatOf(result)).toMatchObject({ status: "ok" });
    expect(formatOf(result)?.detail).toMatch(/EDC application profile constraints hold/);
  });
});
