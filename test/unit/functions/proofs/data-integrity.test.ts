import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../functions/adapters/local/file-keys.js";
import {
  didDocument,
  didKeyFor,
  KEY_ALGORITHMS,
  KEY_FRAGMENTS,
  verificationMethodId,
} from "../../../../functions/core/issuers/did.js";
import { GatewayError } from "../../../../functions/kernel/errors.js";
import type { IssuerKey, IssuerRecord } from "../../../../functions/kernel/ports/index.js";
import {
  createEddsaRdfc2022Proof,
  type DataIntegrityProof,
  verifyEddsaRdfc2022Proof,
} from "../../../../functions/proofs/data-integrity.js";
import { testContexts as pinnedContexts } from "../../../support/contexts.js";
import { corpusJson, corpusText } from "../../../support/corpus.js";
import { dbVerify, resolverFor, seedSigner, VECTOR, vectorController } from "../../../support/data-integrity.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const sha256Hex = async (text: string) => {
  const { createHash } = await import("node:crypto");
  return createHash("sha256").update(text).digest("hex");
};

/** The OB 3.0 validator fixture `simple.json` without its proof, issued by `issuerId`. */
function simpleCredential(issuerId: string): Record<string, unknown> {
  const { proof: _proof, ...credential } = corpusJson("ob3/validator-fixtures/simple.json");
  return { ...credential, issuer: { ...credential.issuer, id: issuerId } };
}

let dir: string;
let store: FileKeyStore;
let webIssuer: IssuerRecord;
let keyIssuer: IssuerRecord;

async function ed25519Key(issuerId: string): Promise<IssuerKey> {
  const record = await store.createKey("Ed25519", { issuerId });
  return { ...record, fragment: KEY_FRAGMENTS.Ed25519, algorithms: [...KEY_ALGORITHMS.Ed25519] };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "di-keys-"));
  store = new FileKeyStore({ dir });
  const base = { name: "University X", country: "DE", createdAt: "2026-01-01T00:00:00.000Z" };
  const webId = "did:web:gw.example.org:issuers:uni-x";
  webIssuer = { ...base, id: webId, slug: "uni-x", didMethod: "web", keys: [await ed25519Key(webId)] };
  const key = await ed25519Key("did:key");
  keyIssuer = { ...base, id: didKeyFor(key), slug: "uni-k", didMethod: "key", keys: [key] };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Signs `credential` with the issuer's first key, the way the issuing use case does. */
function signAs(issuer: IssuerRecord, credential: Record<string, unknown>, extra: { created?: Date } = {}) {
  const [key] = issuer.keys;
  if (key === undefined) throw new Error("issuer without key");
  return createEddsaRdfc2022Proof(credential, {
    contexts: pinnedContexts,
    signer: store,
    keyRef: key.keyRef,
    verificationMethod: verificationMethodId(issuer, key),
    created: extra.created ?? new Date("2026-03-01T10:00:00Z"),
  });
}

describe("eddsa-rdfc-2022: the OB 3.0 test vector", () => {
  it("reproduces the published hashes, signature and proof byte for byte", async () => {
    // Prepare
    const unsigned = corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
    const signed = corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json");
    const signer = seedSigner(VECTOR.seedHex);
    // Act
    const result = await createEddsaRdfc2022Proof(unsigned, {
      contexts: pinnedContexts,
      signer,
      keyRef: "vector",
      verificationMethod: VECTOR.verificationMethod,
      created: VECTOR.created,
    });
    // Assess
    const [data] = signer.messages;
    expect(signer.messages).toHaveLength(1);
    expect(hex(data?.slice(0, 32) ?? new Uint8Array())).toBe(VECTOR.proofHashHex);
    expect(hex(data?.slice(32) ?? new Uint8Array())).toBe(VECTOR.documentHashHex);
    expect((result.proof as DataIntegrityProof).proofValue).toBe(VECTOR.proofValue);
    expect(result.proof).toStrictEqual(signed.proof);
    expect(JSON.stringify(result)).toBe(JSON.stringify(signed));
    expect(unsigned).not.toHaveProperty("proof");
  });

  it("agrees with the published canonical N-Quads (their hashes are the README's)", async () => {
    // Prepare / Act
    const documentHash = await sha256Hex(corpusText("ob3/test-vectors/document-canon.txt"));
    const proofHash = await sha256Hex(corpusText("ob3/test-vectors/proof-canon.txt"));
    // Assess
    expect(documentHash).toBe(VECTOR.documentHashHex);
    expect(proofHash).toBe(VECTOR.proofHashHex);
  });

  it("verifies the published signed credential, with our verifier and with Digital Bazaar's", async () => {
    // Prepare
    const signed = corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json");
    // Act
    const ours = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: resolverFor([vectorController()]),
    });
    const theirs = await dbVerify(signed, [vectorController()]);
    // Assess
    expect(ours).toStrictEqual({
      verified: true,
      proofs: [
        {
          proofIndex: 0,
          verificationMethod: VECTOR.verificationMethod,
          cryptosuite: "eddsa-rdfc-2022",
          verified: true,
        },
      ],
      errors: [],
    });
    expect(theirs.verified, String(theirs.error)).toBe(true);
  });
});

describe("eddsa-rdfc-2022: credentials the gateway signs", () => {
  it.each([
    ["did:web", () => webIssuer],
    ["did:key", () => keyIssuer],
  ])(
    "an OB 3.0 credential signed with a %s issuer's store key verifies with Digital Bazaar's verifier",
    async (_m, issuerOf) => {
      // Prepare
      const issuer = issuerOf();
      const credential = simpleCredential(issuer.id);
      // Act
      const signed = await signAs(issuer, credential);
      // Assess
      const theirs = await dbVerify(signed, [didDocument(issuer)]);
      expect(theirs.verified, String(theirs.error)).toBe(true);
      const ours = await verifyEddsaRdfc2022Proof(signed, {
        contexts: pinnedContexts,
        resolvePublicKey: resolverFor([didDocument(issuer)]),
      });
      expect(ours.verified).toBe(true);
      expect(signed.proof).toMatchObject({
        type: "DataIntegrityProof",
        cryptosuite: "eddsa-rdfc-2022",
        proofPurpose: "assertionMethod",
        created: "2026-03-01T10:00:00Z",
        verificationMethod: verificationMethodId(issuer, issuer.keys[0] as IssuerKey),
      });
    },
  );

  it("a tampered credential fails both verifiers", async () => {
    // Prepare
    const signed = await signAs(webIssuer, simpleCredential(webIssuer.id));
    const tampered = { ...signed, name: "Leadership Badge" };
    const documents = [didDocument(webIssuer)];
    // Act
    const theirs = await dbVerify(tampered, documents);
    const ours = await verifyEddsaRdfc2022Proof(tampered, {
      contexts: pinnedContexts,
      resolvePublicKey: resolverFor(documents),
    });
    // Assess
    expect(theirs.verified).toBe(false);
    expect(ours.verified).toBe(false);
    expect(ours.errors).toStrictEqual([
      {
        code: "PROOF_VERIFICATION_ERROR",
        message: "the signature does not match the document and the key",
        proofIndex: 0,
      },
    ]);
  });

  it("a tampered proof option (created) fails both verifiers", async () => {
    // Prepare
    const signed = await signAs(webIssuer, simpleCredential(webIssuer.id));
    const tampered = { ...signed, proof: { ...(signed.proof as DataIntegrityProof), created: "2026-03-02T10:00:00Z" } };
    const documents = [didDocument(webIssuer)];
    // Act
    const theirs = await dbVerify(tampered, documents);
    const ours = await verifyEddsaRdfc2022Proof(tampered, {
      contexts: pinnedContexts,
      resolvePublicKey: resolverFor(documents),
    });
    // Assess
    expect(theirs.verified).toBe(false);
    expect(ours.verified).toBe(false);
  });

  it("a signature by another key fails: the resolver's key decides", async () => {
    // Prepare
    const signed = await signAs(webIssuer, simpleCredential(webIssuer.id));
    // Act
    const ours = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: async () => VECTOR.publicKeyMultibase,
    });
    // Assess
    expect(ours.verified).toBe(false);
  });

  it("does not change its input", async () => {
    // Prepare
    const credential = simpleCredential(webIssuer.id);
    const before = structuredClone(credential);
    // Act
    await signAs(webIssuer, credential);
    // Assess
    expect(credential).toStrictEqual(before);
  });
});

describe("eddsa-rdfc-2022: what cannot be signed", () => {
  const sign = (document: Record<string, unknown>) =>
    createEddsaRdfc2022Proof(document, {
      contexts: pinnedContexts,
      signer: seedSigner(VECTOR.seedHex),
      keyRef: "vector",
      verificationMethod: VECTOR.verificationMethod,
    });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it("refuses a term the contexts do not define, naming it (safe mode: nothing is dropped from a signature)", async () => {
    // Prepare
    const credential = corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
    credential.credentialSubject.achievement.notAnObTerm = "x";
    // Act
    const error = await failure(sign(credential));
    // Assess
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: "unprocessable", message: expect.stringContaining('"notAnObTerm"') });
  });

  it("refuses an undefined type, naming it", async () => {
    // Prepare
    const credential = corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
    credential.credentialSchema = [{ id: "https://example.org/schema.json", type: "1EdTechJsonSchemaValidator2019" }];
    // Act
    const error = await failure(sign(credential));
    // Assess
    expect(error).toMatchObject({
      code: "unprocessable",
      message: expect.stringContaining('relative @type reference "1EdTechJsonSchemaValidator2019"'),
    });
  });

  it("refuses a context that is not pinned, before anything is fetched", async () => {
    // Prepare
    const credential = corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
    credential["@context"].push("http://169.254.169.254/latest/meta-data/");
    // Act
    const error = await failure(sign(credential));
    // Assess
    expect(error).toMatchObject({ code: "unprocessable", message: expect.stringContaining("unknown JSON-LD context") });
  });

  it("refuses a context that is not pinned when an inline context names it", async () => {
    // Prepare
    const credential = corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
    credential["@context"].push({ "@import": "https://evil.example/context.json" });
    // Act
    const error = await failure(sign(credential));
    // Assess
    expect(error).toMatchObject({ code: "unprocessable", message: expect.stringContaining("https://evil.example") });
  });

  it("refuses a VC 1.1 document: DataIntegrityProof needs the VC 2.0 context", async () => {
    // Prepare
    const credential = {
      "@context": ["https://www.w3.org/2018/credentials/v1"],
      type: ["VerifiableCredential"],
      issuer: "did:example:1",
      issuanceDate: "2020-01-01T00:00:00Z",
      credentialSubject: { id: "did:example:2" },
    };
    // Act
    const error = await failure(sign(credential));
    // Assess
    expect(error).toMatchObject({ code: "unprocessable", message: expect.stringContaining("VC 2.0 context") });
  });

  it("stops canonicalizing a poison graph of indistinguishable blank nodes", async () => {
    // Prepare: a complete graph of blank nodes that know each other, which RDFC-1.0 can only tell apart by search.
    const n = 8;
    const nodes = Array.from({ length: n }, (_, i) => ({
      "@id": `_:b${i}`,
      "https://schema.org/knows": Array.from({ length: n }, (_, j) => ({ "@id": `_:b${j}` })).filter((_, j) => j !== i),
    }));
    const document = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: "VerifiableCredential",
      issuer: "did:example:1",
      credentialSubject: { id: "did:example:2" },
      "@included": nodes,
    };
    // Act
    const started = performance.now();
    const error = await failure(sign(document));
    // Assess
    expect(error).toMatchObject({ code: "limit-exceeded", message: expect.stringContaining("work limit") });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("still canonicalizes repeated identical blank nodes, as credentials have them", async () => {
    // Prepare
    const credential = corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
    const tag = { type: ["Alignment"], targetName: "Teamwork", targetUrl: "https://example.org/t" };
    credential.credentialSubject.achievement.alignment = Array.from({ length: 20 }, () => ({ ...tag }));
    // Act
    const signed = await sign(credential);
    // Assess
    const result = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: resolverFor([vectorController()]),
    });
    expect(result.verified).toBe(true);
  });
});

describe("eddsa-rdfc-2022: proof sets, chains and presentation options", () => {
  const vector = () => corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json");
  const vectorOptions = {
    signer: seedSigner(VECTOR.seedHex),
    keyRef: "v",
    verificationMethod: VECTOR.verificationMethod,
  };
  const resolvePublicKey = resolverFor([vectorController()]);

  it("adds a second proof as a proof set; each proof covers the document alone and all must verify", async () => {
    // Prepare
    const once = await createEddsaRdfc2022Proof(vector(), {
      contexts: pinnedContexts,
      ...vectorOptions,
      created: VECTOR.created,
    });
    // Act
    const twice = await createEddsaRdfc2022Proof(once, {
      contexts: pinnedContexts,
      ...vectorOptions,
      created: new Date("2011-01-01T00:00:00Z"),
    });
    // Assess
    expect(Array.isArray(twice.proof)).toBe(true);
    expect((twice.proof as DataIntegrityProof[])[0]?.proofValue).toBe(VECTOR.proofValue);
    expect((await verifyEddsaRdfc2022Proof(twice, { contexts: pinnedContexts, resolvePublicKey })).verified).toBe(true);
    const [first, second] = twice.proof as DataIntegrityProof[];
    const broken = { ...twice, proof: [first, { ...second, created: "2012-01-01T00:00:00Z" }] };
    const result = await verifyEddsaRdfc2022Proof(broken, { contexts: pinnedContexts, resolvePublicKey });
    expect(result.verified).toBe(false);
    expect(result.proofs.map((p) => p.verified)).toStrictEqual([true, false]);
  });

  it("signs a proof chain over the previous proof, and verification follows previousProof", async () => {
    // Prepare
    const first = await createEddsaRdfc2022Proof(vector(), {
      contexts: pinnedContexts,
      ...vectorOptions,
      id: "urn:uuid:proof-1",
    });
    // Act
    const chained = await createEddsaRdfc2022Proof(first, {
      contexts: pinnedContexts,
      ...vectorOptions,
      previousProof: "urn:uuid:proof-1",
    });
    // Assess
    expect((await verifyEddsaRdfc2022Proof(chained, { contexts: pinnedContexts, resolvePublicKey })).verified).toBe(
      true,
    );
    const [p1, p2] = chained.proof as DataIntegrityProof[];
    const withoutFirst = { ...chained, proof: [p2] };
    const result = await verifyEddsaRdfc2022Proof(withoutFirst, { contexts: pinnedContexts, resolvePublicKey });
    expect(result.errors).toStrictEqual([
      { code: "PROOF_VERIFICATION_ERROR", message: expect.stringContaining("previousProof"), proofIndex: 0 },
    ]);
    const swapped = { ...chained, proof: [{ ...p1, created: "1999-01-01T00:00:00Z" }, p2] };
    expect(
      (await verifyEddsaRdfc2022Proof(swapped, { contexts: pinnedContexts, resolvePublicKey })).proofs.map(
        (p) => p.verified,
      ),
    ).toEqual([false, false]);
  });

  it("binds challenge and domain, and checks them and the proof purpose on verification", async () => {
    // Prepare
    const signed = await createEddsaRdfc2022Proof(vector(), {
      contexts: pinnedContexts,
      ...vectorOptions,
      proofPurpose: "authentication",
      challenge: "c-123",
      domain: "verifier.example",
    });
    // Act
    const good = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey,
      expectedProofPurpose: "authentication",
      challenge: "c-123",
      domain: "verifier.example",
    });
    const bad = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey,
      challenge: "other",
      domain: "other.example",
    });
    // Assess
    expect(good.verified).toBe(true);
    expect(bad.errors.map((e) => e.code).sort()).toStrictEqual([
      "INVALID_CHALLENGE_ERROR",
      "INVALID_DOMAIN_ERROR",
      "MISMATCHED_PROOF_PURPOSE_ERROR",
    ]);
  });

  it("reports malformed and unsupported proofs without throwing", async () => {
    // Prepare
    const unsigned = vector();
    const cases: unknown[] = [
      unsigned,
      { ...unsigned, proof: "z123" },
      { ...unsigned, proof: { type: "DataIntegrityProof", cryptosuite: "ecdsa-rdfc-2019" } },
      { ...unsigned, proof: { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofValue: "uAAA" } },
      null,
    ];
    // Act
    const results = await Promise.all(
      cases.map((c) => verifyEddsaRdfc2022Proof(c, { contexts: pinnedContexts, resolvePublicKey })),
    );
    // Assess
    expect(results.map((r) => r.verified)).toStrictEqual([false, false, false, false, false]);
    expect(results.map((r) => r.errors[0]?.code)).toStrictEqual([
      "MALFORMED_PROOF_ERROR",
      "MALFORMED_PROOF_ERROR",
      "PROOF_VERIFICATION_ERROR",
      "MALFORMED_PROOF_ERROR",
      "PROOF_VERIFICATION_ERROR",
    ]);
  });

  it("reports a document whose context is not pinned as a transformation error", async () => {
    // Prepare
    const signed = corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json");
    signed["@context"].push("https://evil.example/context.json");
    // Act
    const result = await verifyEddsaRdfc2022Proof(signed, { contexts: pinnedContexts, resolvePublicKey });
    // Assess
    expect(result.errors).toStrictEqual([
      { code: "PROOF_TRANSFORMATION_ERROR", message: expect.stringContaining("evil.example"), proofIndex: 0 },
    ]);
  });
});
