import { generateKeyPairSync } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { VerificationResult, VerifyDeps } from "../../../../../functions/core/verify/verify.js";
import { verifyCredential } from "../../../../../functions/core/verify/verify.js";
import { createEddsaRdfc2022Proof } from "../../../../../functions/proofs/data-integrity.js";
import { testContexts as pinnedContexts } from "../../../../support/contexts.js";
import { corpusJson } from "../../../../support/corpus.js";
import { seedSigner, VECTOR } from "../../../../support/data-integrity.js";

// OB 3.0 §9.2: embedded endorsements (Data Integrity and VC-JWT) are verified, each with its own result, and a
// failing one is an error of the `endorsement` check (documented policy), while the credential's own proof stays ok.

/** Verification deps with no registered issuers, no outbound HTTP, the clock inside every fixture's validity. */
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

const checkOf = (result: VerificationResult, name: string) => result.checks.find((c) => c.check === name);

/** The 1EdTech validator's endorsement fixture (Data Integrity, fragment Multikey of the endorser). */
const endorsementFixture = (): Record<string, unknown> => corpusJson("ob3/validator-fixtures/endorsement-valid.json");

/** `simple.json` carrying `extra`, signed by the test vector's issuer key (so the outer proof verifies). */
async function signedCredentialWith(extra: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { proof: _proof, ...credential } = corpusJson("ob3/validator-fixtures/simple.json");
  const unsigned = { ...credential, issuer: { ...credential.issuer, id: VECTOR.issuer }, ...extra };
  return createEddsaRdfc2022Proof(unsigned, {
    contexts: pinnedContexts,
    signer: seedSigner(VECTOR.seedHex),
    keyRef: "vector",
    verificationMethod: VECTOR.verificationMethod,
  });
}

/** `credential` as a VC-JWT signed by a fresh Ed25519 key given in the `jwk` header; `change` alters it after signing. */
async function asVcJwt(credential: Record<string, unknown>, change: Record<string, unknown> = {}): Promise<string> {
  const { proof: _proof, ...unsigned } = credential;
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = await exportJWK(publicKey);
  const builder = new SignJWT({ ...unsigned })
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT", jwk })
    .setIssuer((unsigned.issuer as { id: string }).id)
    .setJti(String(unsigned.id))
    .setSubject(String((unsigned.credentialSubject as { id: string }).id))
    .setNotBefore(new Date(String(unsigned.validFrom)));
  if (typeof unsigned.validUntil === "string") builder.setExpirationTime(new Date(unsigned.validUntil));
  const jwt = await builder.sign(privateKey);
  if (Object.keys(change).length === 0) return jwt;
  const [h, p, s] = jwt.split(".");
  const payload = JSON.parse(Buffer.from(p as string, "base64url").toString());
  return `${h}.${Buffer.from(JSON.stringify({ ...payload, ...change })).toString("base64url")}.${s}`;
}

describe("endorsements", () => {
  it("verifies an embedded Data Integrity endorsement and reports it as a nested result", async () => {
    // Prepare
    const vc = await signedCredentialWith({ endorsement: [endorsementFixture()] });
    // Act
    const result = await verifyCredential(depsFactory(), { verifiableCredential: vc });
    // Assess
    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
    expect(checkOf(result, "endorsement")).toMatchObject({
      status: "ok",
      detail: "the endorsement verified: /endorsement/0 by https://state.gov/issuers/565049",
    });
    expect(result.endorsements).toHaveLength(1);
    expect(result.endorsements?.[0]).toMatchObject({ at: "/endorsement/0", verified: true });
    expect(result.endorsements?.[0]?.checks.find((c) => c.check === "proof")?.status).toBe("ok");
  });

  it("fails the endorsement check, not the proof, when an embedded endorsement was changed after it was signed", async () => {
    // Prepare
    const changed = { ...endorsementFixture(), name: "Changed endorsement" };
    const vc = await signedCredentialWith({ endorsement: [changed] });
    // Act
    const result = await verifyCredential(depsFactory(), { verifiableCredential: vc });
    // Assess
    expect(checkOf(result, "proof")?.status).toBe("ok");
    expect(checkOf(result, "endorsement")?.status).toBe("error");
    expect(checkOf(result, "endorsement")?.detail).toMatch(/^endorsement \/endorsement\/0 does not verify: proof: /);
    expect(result.verified).toBe(false);
    expect(result.endorsements?.[0]?.verified).toBe(false);
  });

  it("verifies a VC-JWT endorsementJwt of a VC-JWT credential, and fails a changed one", async () => {
    // Prepare: the published OB 3.0 contexts do not define endorsementJwt, so only a JWT credential can carry one
    // under a signature (Data Integrity's safe-mode canonicalization refuses undefined terms).
    const { proof: _proof, ...simple } = corpusJson("ob3/validator-fixtures/simple.json");
    const withJwt = async (jwt: string) => asVcJwt({ ...simple, endorsementJwt: [jwt] });
    const good = await withJwt(await asVcJwt(endorsementFixture()));
    const bad = await withJwt(await asVcJwt(endorsementFixture(), { name: "Changed" }));
    // Act
    const goodResult = await verifyCredential(depsFactory(), { verifiableCredential: good });
    const badResult = await verifyCredential(depsFactory(), { verifiableCredential: bad });
    // Assess
    expect(goodResult.verified, JSON.stringify(goodResult.errors)).toBe(true);
    expect(goodResult.endorsements?.[0]?.at).toBe("/endorsementJwt/0");
    expect(goodResult.endorsements?.[0]?.checks.find((c) => c.check === "proof")?.detail).toMatch(/^VC-JWT \(EdDSA\)/);
    expect(checkOf(badResult, "proof")?.status).toBe("ok");
    expect(checkOf(badResult, "endorsement")?.status).toBe("error");
    expect(checkOf(badResult, "endorsement")?.detail).toMatch(/signature does not verify/);
  });

  it("fails an embedded credential that is not an EndorsementCredential", async () => {
    // Prepare
    const notEndorsement = { ...endorsementFixture(), type: ["VerifiableCredential"] };
    const vc = await signedCredentialWith({ endorsement: [notEndorsement] });
    // Act
    const result = await verifyCredential(depsFactory(), { verifiableCredential: vc });
    // Assess
    expect(checkOf(result, "endorsement")?.status).toBe("error");
    expect(checkOf(result, "endorsement")?.detail).toContain("its type does not include EndorsementCredential");
  });

  it("says there is nothing to check when a credential has no endorsements", async () => {
    // Act
    const result = await verifyCredential(depsFactory(), { verifiableCredential: await signedCredentialWith({}) });
    // Assess
    expect(checkOf(result, "endorsement")).toMatchObject({ status: "skipped", detail: "no embedded endorsements" });
    expect(result.endorsements).toBeUndefined();
  });
});
