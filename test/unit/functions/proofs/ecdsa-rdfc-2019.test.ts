import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { base58 } from "@scure/base";
import { describe, expect, it } from "vitest";
import { didKeyFor } from "../../../../functions/core/issuers/did.js";
import {
  type VerificationResult,
  type VerifyDeps,
  verifyCredential,
} from "../../../../functions/core/verify/verify.js";
import type { PublicJwk } from "../../../../functions/kernel/ports/index.js";
import { verifyDataIntegrityProof, verifyEddsaRdfc2022Proof } from "../../../../functions/proofs/data-integrity.js";
import { jwkToMultibase } from "../../../../functions/proofs/multikey.js";
import { canonize } from "../../../../functions/proofs/rdfc.js";
import { testContexts as pinnedContexts } from "../../../support/contexts.js";
import { corpusJson } from "../../../support/corpus.js";
import { VECTOR } from "../../../support/data-integrity.js";

// ecdsa-rdfc-2019 (W3C Data Integrity ECDSA Cryptosuites v1.0) with P-256: the proof is made here with node:crypto,
// independently of the gateway's signing code: SHA-256(RDFC-1.0 canonical proof config) ‖ SHA-256(canonical document),
// signed with ECDSA P-256 / SHA-256, proofValue = base58btc multibase of the 64-byte r‖s.

const deps: VerifyDeps = {
  store: {
    getIssuer: async () => undefined,
    listIssuers: async () => ({ items: [] }),
    findIssuerByDid: async () => undefined,
  },
  clock: { now: () => new Date("2026-06-01T00:00:00Z") },
  publicUrl: "https://gw.example.org",
  limits: { maxJsonDepth: 64, maxJsonKeys: 100_000 },
};

const proofOf = (result: VerificationResult) => result.checks.find((c) => c.check === "proof");

function p256() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const publicJwk: PublicJwk = { kty: "EC", crv: "P-256", x: String(jwk.x), y: String(jwk.y) };
  return { privateKey, publicJwk, multibase: jwkToMultibase(publicJwk) };
}

/** The OB 3.0 validator fixture `simple.json` without its proof, issued by `issuer`. */
function unsigned(issuer: string): Record<string, unknown> {
  const { proof: _proof, ...credential } = corpusJson("ob3/validator-fixtures/simple.json");
  return { ...credential, issuer: { ...credential.issuer, id: issuer } };
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Adds an ecdsa-rdfc-2019 proof, computed step by step from the specification. */
async function signEcdsa(
  document: Record<string, unknown>,
  privateKey: KeyObject,
  verificationMethod: string,
): Promise<Record<string, unknown>> {
  const config = {
    type: "DataIntegrityProof",
    created: "2026-01-01T00:00:00Z",
    verificationMethod,
    cryptosuite: "ecdsa-rdfc-2019",
    proofPurpose: "assertionMethod",
  };
  const proofCanon = await canonize({ "@context": document["@context"], ...config }, pinnedContexts);
  const documentCanon = await canonize(document, pinnedContexts);
  const data = Buffer.concat([sha256(proofCanon), sha256(documentCanon)]);
  const signature = sign("sha256", data, { key: privateKey, dsaEncoding: "ieee-p1363" });
  expect(signature).toHaveLength(64);
  return { ...document, proof: { ...config, proofValue: `z${base58.encode(signature)}` } };
}

async function didKeySigned() {
  const key = p256();
  const did = didKeyFor({ publicJwk: key.publicJwk });
  expect(did).toMatch(/^did:key:zDn/);
  const signed = await signEcdsa(unsigned(did), key.privateKey, `${did}#${key.multibase}`);
  return { key, did, signed };
}

describe("ecdsa-rdfc-2019 (P-256) verification", () => {
  it("verifies a credential signed with a did:key P-256 key (zDn…)", async () => {
    const { signed } = await didKeySigned();

    const result = await verifyCredential(deps, { verifiableCredential: signed });

    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
    expect(proofOf(result)?.detail).toMatch(/^the ecdsa-rdfc-2019 Data Integrity proof verified \(did:key:zDn/);
  });

  it("verifies through a P-256 Multikey in the fragment of the issuer's URL", async () => {
    const key = p256();
    const signed = await signEcdsa(unsigned(VECTOR.issuer), key.privateKey, `${VECTOR.issuer}#${key.multibase}`);

    const result = await verifyCredential(deps, { verifiableCredential: signed });

    expect(proofOf(result)?.status, JSON.stringify(result.checks)).toBe("ok");
  });

  it("verifies with a resolver returning the Multikey string or the JWK", async () => {
    const { key, signed } = await didKeySigned();

    const viaMultibase = await verifyDataIntegrityProof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: async () => key.multibase,
    });
    const viaJwk = await verifyDataIntegrityProof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: async () => key.publicJwk,
    });

    expect(viaMultibase).toMatchObject({ verified: true, proofs: [{ cryptosuite: "ecdsa-rdfc-2019" }] });
    expect(viaJwk.verified).toBe(true);
  });

  it("fails the proof when a field changes, or the proof's created changes", async () => {
    const { signed } = await didKeySigned();
    const proof = signed.proof as Record<string, unknown>;

    const renamed = await verifyCredential(deps, { verifiableCredential: { ...signed, name: "Forged" } });
    const redated = await verifyCredential(deps, {
      verifiableCredential: { ...signed, proof: { ...proof, created: "2026-01-02T00:00:00Z" } },
    });

    for (const result of [renamed, redated]) {
      expect(result.verified).toBe(false);
      expect(proofOf(result)).toMatchObject({
        status: "error",
        detail: expect.stringMatching(/signature does not match/),
      });
    }
  });

  it("refuses an ecdsa-rdfc-2019 proof whose key is not P-256, and a proofValue of the wrong length", async () => {
    const { signed } = await didKeySigned();
    const proof = signed.proof as Record<string, unknown>;
    const edMethod = `did:key:${VECTOR.publicKeyMultibase}#${VECTOR.publicKeyMultibase}`;

    const edKey = await verifyDataIntegrityProof(
      { ...signed, proof: { ...proof, verificationMethod: edMethod } },
      { contexts: pinnedContexts, resolvePublicKey: async () => VECTOR.publicKeyMultibase },
    );
    const short = await verifyDataIntegrityProof(
      { ...signed, proof: { ...proof, proofValue: `z${base58.encode(new Uint8Array(63))}` } },
      { contexts: pinnedContexts, resolvePublicKey: async () => VECTOR.publicKeyMultibase },
    );

    expect(edKey.errors[0]?.message).toMatch(/not P-256/);
    expect(short.errors[0]).toMatchObject({ code: "MALFORMED_PROOF_ERROR", message: expect.stringMatching(/P-256/) });
  });

  it("is still refused by the eddsa-only verifier", async () => {
    const { key, signed } = await didKeySigned();

    const result = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: async () => key.multibase,
    });

    expect(result.verified).toBe(false);
    expect(result.errors[0]?.message).toMatch(/unsupported proof/);
  });
});
