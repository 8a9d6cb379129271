/**
 * Test support for Data Integrity proofs: the OB 3.0 eddsa-rdfc-2022 test vector's published key as a Signer, and
 * Digital Bazaar's verifier wired to the gateway's pinned contexts plus the DID documents a test publishes.
 */
import { createPrivateKey, sign } from "node:crypto";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { type DbDocumentLoader, type VerifyCredentialResult, verifyCredential } from "@digitalbazaar/vc";
import type { PublicJwk, SignatureAlgorithm, Signer } from "../../functions/kernel/ports/index.js";
import { gatewayContexts } from "../../mappings/contexts.js";
import { OB3_ELM_CONTEXT_PATH } from "../../mappings/ob3/extension-url.js";
import { testDocumentLoader as documentLoader } from "./contexts.js";

/** The OB 3.0 implementation guide's eddsa-rdfc-2022 test vector (corpus/ob3/test-vectors/README.md). */
export const VECTOR = {
  /** RFC 8032 private key (seed): the first half of the published 64-byte private key. */
  seedHex: "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4",
  publicKeyMultibase: "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
  issuer: "https://example.edu/issuers/565049",
  verificationMethod: "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
  created: new Date("2010-01-01T19:23:24Z"),
  documentHashHex: "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773",
  proofHashHex: "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19",
  signatureHex:
    "f7a017acf7d27983267ec362657c0fb08e955549f49dac5bf36a03c4f2c3a4f1e3738a6c5ecd7ffba7135cb9cd754e6196f4b73082ea8df8e703c8ecd4333503",
  proofValue: "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr",
} as const;

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = "302e020100300506032b657004220420";

/** A Signer holding one Ed25519 seed (any keyRef), recording every message it signs. */
export function seedSigner(seedHex: string): Signer & { messages: Uint8Array[] } {
  const key = createPrivateKey({
    key: Buffer.from(ED25519_PKCS8_PREFIX + seedHex, "hex"),
    format: "der",
    type: "pkcs8",
  });
  const messages: Uint8Array[] = [];
  return {
    messages,
    async sign(_keyRef: string, alg: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array> {
      if (alg !== "EdDSA") throw new Error(`the test signer signs EdDSA only, not ${alg}`);
      messages.push(data);
      return new Uint8Array(sign(null, data, key));
    },
  };
}

interface VerificationMethodLike {
  id: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: PublicJwk;
}

function methodsOf(controllerDocument: Record<string, unknown>): VerificationMethodLike[] {
  const methods = controllerDocument.verificationMethod;
  return Array.isArray(methods) ? (methods as VerificationMethodLike[]) : [];
}

/**
 * A document loader for Digital Bazaar's verifier: the gateway's pinned contexts, plus each controller (DID) document
 * given and each of its verification methods by id, as a DID resolver would dereference them.
 */
export function dbLoaderFor(controllerDocuments: Record<string, unknown>[]): DbDocumentLoader {
  const documents = new Map<string, unknown>();
  for (const controller of controllerDocuments) {
    documents.set(String(controller.id), controller);
    for (const method of methodsOf(controller)) documents.set(method.id, method);
  }
  return async (url) => {
    const document = documents.get(url);
    if (document !== undefined) return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
    // A test gateway's extension context (its default route under its own URL), as that gateway's loader serves it.
    const entry = url.replace(/v1-elm\.json$/, "v1.json");
    if (url !== entry || url.endsWith(OB3_ELM_CONTEXT_PATH)) {
      return gatewayContexts({ ob3ElmContextUrl: entry }).documentLoader(url);
    }
    return documentLoader(url);
  };
}

/** Verifies a credential's eddsa-rdfc-2022 proof(s) with Digital Bazaar's `@digitalbazaar/vc`. */
export function dbVerify(
  credential: unknown,
  controllerDocuments: Record<string, unknown>[],
  now?: Date,
): Promise<VerifyCredentialResult> {
  return verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: dbLoaderFor(controllerDocuments),
    // The library refuses a credentialStatus without a status checker; status is the gateway's own check (tests read
    // the status list themselves), so here only proofs count.
    checkStatus: async () => ({ verified: true }),
    ...(now ? { now } : {}),
  });
}

/** A key resolver for our verifier over the same controller documents (Multikey or JsonWebKey methods). */
export function resolverFor(
  controllerDocuments: Record<string, unknown>[],
): (verificationMethodId: string) => Promise<PublicJwk | string> {
  return async (id) => {
    for (const controller of controllerDocuments) {
      const method = methodsOf(controller).find((m) => m.id === id);
      const key = method?.publicKeyMultibase ?? method?.publicKeyJwk;
      if (key !== undefined) return key;
    }
    throw new Error(`no verification method ${id}`);
  };
}

/** The controller document the test vector's verification method belongs to (the issuer's). */
export function vectorController(): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: VECTOR.issuer,
    verificationMethod: [
      {
        id: VECTOR.verificationMethod,
        type: "Multikey",
        controller: VECTOR.issuer,
        publicKeyMultibase: VECTOR.publicKeyMultibase,
      },
    ],
    assertionMethod: [VECTOR.verificationMethod],
  };
}
