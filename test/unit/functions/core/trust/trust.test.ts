import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { trustedIssuersSource } from "../../../../../functions/core/trust/sources.js";
import { summariseTrust, type TrustFinding, type TrustSource } from "../../../../../functions/core/trust/trust.js";
import {
  type VerificationResult,
  type VerifyDeps,
  verifyCredential,
} from "../../../../../functions/core/verify/verify.js";
import { corpusJson } from "../../../../support/corpus.js";

// The trust check's summary rule and the configured-trusted-issuers source, through verifyCredential.

const finding = (status: TrustFinding["status"], scope?: TrustFinding["scope"], source = "s"): TrustFinding => ({
  source,
  status,
  detail: `${source} says ${status}`,
  ...(scope ? { scope } : {}),
});

function depsFactory(trustSources: TrustSource[]): VerifyDeps {
  return {
    store: {
      getIssuer: async () => undefined,
      listIssuers: async () => ({ items: [] }),
      findIssuerByDid: async () => undefined,
    },
    clock: { now: () => new Date("2026-06-01T00:00:00Z") },
    publicUrl: "https://gw.example.org",
    limits: { maxJsonDepth: 64, maxJsonKeys: 100_000 },
    trustSources,
  };
}

const trustOf = (result: VerificationResult) => result.checks.find((c) => c.check === "trust");

/** The validator's simple.json content as a VC-JWT whose `jwk` header carries a fresh Ed25519 key. */
async function jwtWithHeaderKey(): Promise<{ jwt: string; thumbprint: string }> {
  const { proof: _proof, ...credential } = corpusJson("ob3/validator-fixtures/simple.json");
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = await exportJWK(publicKey);
  const jwt = await new SignJWT({ ...credential })
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT", jwk })
    .setIssuer(credential.issuer.id)
    .setJti(String(credential.id))
    .setSubject(String(credential.credentialSubject.id))
    .setNotBefore(new Date(String(credential.validFrom)))
    .sign(privateKey);
  return { jwt, thumbprint: await calculateJwkThumbprint(jwk, "sha256") };
}

describe("summariseTrust", () => {
  it("is ok when a source vouches for the signer, listing the other findings too", () => {
    // Act
    const summary = summariseTrust([finding("error", undefined, "list"), finding("ok", undefined, "gateway")]);
    // Assess
    expect(summary.status).toBe("ok");
    expect(summary.detail).toBe("gateway says ok [gateway]; list says error [list: error]");
  });

  it("is an error when a source distrusts the signer and none vouches for it", () => {
    // Act / Assess
    expect(summariseTrust([finding("error"), finding("skipped")]).status).toBe("error");
  });

  it("never lets a finding about claims (a registered awarding body) vouch for the signer", () => {
    // Act
    const summary = summariseTrust([finding("ok", "claims", "deqar")]);
    // Assess
    expect(summary.status).toBe("skipped");
    expect(summary.detail).toBe("deqar says ok [deqar]");
  });
});

describe("the trust check with configured trusted issuers", () => {
  it("trusts a VC-JWT by the JWK thumbprint of its verifying key, and not without it", async () => {
    // Prepare
    const { jwt, thumbprint } = await jwtWithHeaderKey();
    const listed = trustedIssuersSource({ configured: [{ jwkThumbprint: thumbprint, name: "Pinned key" }] });
    const other = trustedIssuersSource({ configured: [{ jwkThumbprint: "x".repeat(43) }] });
    // Act
    const trusted = await verifyCredential(depsFactory([listed]), { verifiableCredential: jwt });
    const untrusted = await verifyCredential(depsFactory([other]), { verifiableCredential: jwt });
    // Assess
    expect(trustOf(trusted)).toMatchObject({ status: "ok" });
    expect(trustOf(trusted)?.detail).toContain(`JWK thumbprint ${thumbprint}) is trusted (Pinned key)`);
    expect(trustOf(untrusted)?.status).toBe("skipped");
  });

  it("does not trust a configured issuer id when the proof was made with a key that is not the issuer's", async () => {
    // Prepare: simple-did-key-method.json names a urn:uuid issuer but is signed with a did:key.
    const vc = corpusJson("ob3/validator-fixtures/simple-did-key-method.json");
    const source = trustedIssuersSource({ configured: [{ id: vc.issuer.id }] });
    // Act
    const result = await verifyCredential(depsFactory([source]), { verifiableCredential: vc });
    // Assess
    expect(trustOf(result)?.status).toBe("skipped");
    expect(trustOf(result)?.detail).toMatch(/is not among the 1 configured trusted issuers and keys/);
  });

  it("does not take a VC-JWT's kid as the verifying method when the key came from its own jwk header", async () => {
    // Prepare: anyone can sign with a fresh key, put it in the header and name a trusted issuer's key id beside it.
    const trustedIssuer = "did:web:trusted-university.example";
    const { proof: _proof, ...credential } = corpusJson("ob3/validator-fixtures/simple.json");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const jwt = await new SignJWT({ ...credential, issuer: { ...credential.issuer, id: trustedIssuer } })
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT", jwk: await exportJWK(publicKey), kid: `${trustedIssuer}#key-1` })
      .setIssuer(trustedIssuer)
      .setJti(String(credential.id))
      .setSubject(String(credential.credentialSubject.id))
      .setNotBefore(new Date(String(credential.validFrom)))
      .sign(privateKey);
    const source = trustedIssuersSource({ configured: [{ id: trustedIssuer }] });
    // Act
    const result = await verifyCredential(depsFactory([source]), { verifiableCredential: jwt });
    // Assess
    expect(result.checks.find((c) => c.check === "proof")?.status).toBe("ok");
    expect(trustOf(result)?.status).toBe("skipped");
  });

  it("reports a source that fails as skipped, not as a verdict", async () => {
    // Prepare
    const broken: TrustSource = {
      name: "registry",
      assess: async () => {
        throw new Error("registry unreachable");
      },
    };
    // Act
    const result = await verifyCredential(depsFactory([broken]), {
      verifiableCredential: corpusJson("ob3/validator-fixtures/simple.json"),
    });
    // Assess
    expect(trustOf(result)).toMatchObject({
      status: "skipped",
      detail: "could not be consulted: registry unreachable [registry: skipped]",
    });
  });
});
