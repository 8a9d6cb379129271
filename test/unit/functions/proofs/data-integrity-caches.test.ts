import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../functions/adapters/local/file-keys.js";
import type { PublicJwk } from "../../../../functions/kernel/ports/index.js";
import {
  createEddsaRdfc2022Proof,
  type DataIntegrityProof,
  verifyDataIntegrityProof,
  verifyEddsaRdfc2022Proof,
} from "../../../../functions/proofs/data-integrity.js";
import { jwkToMultibase } from "../../../../functions/proofs/multikey.js";
import { testContexts as pinnedContexts } from "../../../support/contexts.js";
import { corpusJson } from "../../../support/corpus.js";
import { dbVerify, resolverFor, seedSigner, VECTOR, vectorController } from "../../../support/data-integrity.js";

// The hot-path memos of data-integrity.ts (issue 11: canonical proof configurations by their JSON, imported public
// keys by their resolved form) and the local signer's on-thread Ed25519: what they remember must never change an
// answer, so every case here runs a remembered input next to one that differs in a single member.

const unsignedVector = () => corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
const signedVector = () => corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json");
const vectorResolver = () => resolverFor([vectorController()]);

/** Signs the test vector's credential with its published key, with the given proof options. */
function signVector(options: { created?: Date; challenge?: string; domain?: string } = {}) {
  return createEddsaRdfc2022Proof(unsignedVector(), {
    contexts: pinnedContexts,
    signer: seedSigner(VECTOR.seedHex),
    keyRef: "vector",
    verificationMethod: VECTOR.verificationMethod,
    created: options.created ?? VECTOR.created,
    ...(options.challenge === undefined ? {} : { challenge: options.challenge, proofPurpose: "authentication" }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
  });
}

const proofOf = (document: Record<string, unknown>) => document.proof as DataIntegrityProof;

describe("eddsa-rdfc-2022: remembered proof configurations", () => {
  it("signing the same proof configuration again gives the published proof again", async () => {
    // Prepare
    await signVector();
    // Act
    const again = await signVector();
    // Assess
    expect(proofOf(again).proofValue).toBe(VECTOR.proofValue);
  });

  it("a configuration differing only in `created` is canonicalized afresh: its proof differs and both verifiers accept it", async () => {
    // Prepare
    await signVector();
    // Act
    const later = await signVector({ created: new Date("2011-01-01T19:23:24Z") });
    const ours = await verifyEddsaRdfc2022Proof(later, {
      contexts: pinnedContexts,
      resolvePublicKey: vectorResolver(),
    });
    const theirs = await dbVerify(later, [vectorController()]);
    // Assess
    expect(proofOf(later).proofValue).not.toBe(VECTOR.proofValue);
    expect(ours.verified).toBe(true);
    expect(theirs.verified, String(theirs.error)).toBe(true);
  });

  it("a proof option changed after the proof verified once fails, like Digital Bazaar's verifier says", async () => {
    // Prepare
    const signed = signedVector();
    const first = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: vectorResolver(),
    });
    const tampered = { ...signed, proof: { ...proofOf(signed), created: "2010-01-01T19:23:25Z" } };
    // Act
    const ours = await verifyEddsaRdfc2022Proof(tampered, {
      contexts: pinnedContexts,
      resolvePublicKey: vectorResolver(),
    });
    const theirs = await dbVerify(tampered, [vectorController()]);
    // Assess
    expect(first.verified).toBe(true);
    expect(ours.verified).toBe(false);
    expect(ours.errors.map((e) => e.code)).toStrictEqual(["PROOF_VERIFICATION_ERROR"]);
    expect(theirs.verified).toBe(false);
  });

  it("binds challenge and domain: a proof made for one challenge does not verify for another once both are remembered", async () => {
    // Prepare
    const forA = await signVector({ challenge: "challenge-a", domain: "https://a.example" });
    const forB = await signVector({ challenge: "challenge-b", domain: "https://a.example" });
    const swapped = { ...forA, proof: { ...proofOf(forA), challenge: "challenge-b" } };
    const options = { resolvePublicKey: vectorResolver(), expectedProofPurpose: "authentication" as const };
    // Act
    const a = await verifyEddsaRdfc2022Proof(forA, { contexts: pinnedContexts, ...options, challenge: "challenge-a" });
    const b = await verifyEddsaRdfc2022Proof(forB, { contexts: pinnedContexts, ...options, challenge: "challenge-b" });
    const wrong = await verifyEddsaRdfc2022Proof(swapped, {
      contexts: pinnedContexts,
      ...options,
      challenge: "challenge-b",
    });
    // Assess
    expect([a.verified, b.verified, wrong.verified]).toStrictEqual([true, true, false]);
  });
});

describe("eddsa-rdfc-2022: remembered public keys", () => {
  it("an Ed25519 key remembered from an eddsa verification is still refused for an ecdsa-rdfc-2019 proof", async () => {
    // Prepare
    const signed = signedVector();
    const eddsa = await verifyDataIntegrityProof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: vectorResolver(),
    });
    const ecdsaClaim = { ...signed, proof: { ...proofOf(signed), cryptosuite: "ecdsa-rdfc-2019" } };
    // Act
    const ecdsa = await verifyDataIntegrityProof(ecdsaClaim, {
      contexts: pinnedContexts,
      resolvePublicKey: vectorResolver(),
    });
    // Assess
    expect(eddsa.verified).toBe(true);
    expect(ecdsa.verified).toBe(false);
    expect(ecdsa.errors[0]?.message).toMatch(/not P-256/);
  });

  it("a P-256 key is refused for an eddsa proof every time, remembered or not", async () => {
    // Prepare
    const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    const p256: PublicJwk = { kty: "EC", crv: "P-256", x: String(jwk.x), y: String(jwk.y) };
    const resolvers = [async () => p256, async () => jwkToMultibase(p256)];
    // Act
    const results = [];
    for (const resolvePublicKey of [...resolvers, ...resolvers])
      results.push(await verifyEddsaRdfc2022Proof(signedVector(), { contexts: pinnedContexts, resolvePublicKey }));
    // Assess
    expect(results.map((r) => r.verified)).toStrictEqual([false, false, false, false]);
    for (const r of results) expect(r.errors[0]?.message).toMatch(/not Ed25519/);
  });

  it("after the right key verified, another issuer's key for the same method id is not taken from memory", async () => {
    // Prepare
    const signed = signedVector();
    await verifyEddsaRdfc2022Proof(signed, { contexts: pinnedContexts, resolvePublicKey: vectorResolver() });
    const other = generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
    const otherJwk: PublicJwk = { kty: "OKP", crv: "Ed25519", x: String(other.x) };
    // Act
    const result = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: async () => otherJwk,
    });
    // Assess
    expect(result.verified).toBe(false);
    expect(result.errors[0]?.message).toMatch(/signature does not match/);
  });
});

describe("local key files: Ed25519 signing on the calling thread", () => {
  let dir: string;
  let store: FileKeyStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "di-caches-"));
    store = new FileKeyStore({ dir });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives a deterministic Ed25519 signature over exactly the bytes given, verifiable with the key's public JWK", async () => {
    // Prepare
    const key = await store.createKey("Ed25519", { issuerId: "did:web:gw.example.org:issuers:k" });
    const data = new Uint8Array(64).map((_, i) => i * 3);
    // Act
    const first = await store.sign(key.keyRef, "EdDSA", data);
    const second = await store.sign(key.keyRef, "EdDSA", data);
    const other = await store.sign(
      key.keyRef,
      "EdDSA",
      data.map((b) => b ^ 1),
    );
    // Assess
    const publicKey = createPublicKey({ key: { ...key.publicJwk }, format: "jwk" });
    expect(first).toHaveLength(64);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(false);
    expect(verify(null, data, publicKey, first)).toBe(true);
  });

  it("still refuses a key of another issuer and a key of the wrong type before signing", async () => {
    // Prepare
    const key = await store.createKey("Ed25519", { issuerId: "did:web:gw.example.org:issuers:owner" });
    const data = new Uint8Array(64);
    // Act
    const foreign = store.sign(key.keyRef, "EdDSA", data, { issuerId: "did:web:gw.example.org:issuers:other" });
    const wrongType = store.sign(key.keyRef, "ES256", data);
    // Assess
    await expect(foreign).rejects.toMatchObject({ code: "forbidden" });
    await expect(wrongType).rejects.toMatchObject({ code: "unprocessable" });
  });
});
