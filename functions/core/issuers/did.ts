/**
 * Issuer identifiers and key publication: did:web identifiers under the gateway's host, did:key for issuers that
 * ask for it, the DID document and the JWK Set. Pure functions of the issuer record.
 */

import type { IssuerKey, IssuerRecord, KeyType, SignatureAlgorithm } from "../../kernel/ports/index.js";
import { jwkToMultibase } from "../../proofs/multikey.js";

export const DID_CONTEXTS = [
  "https://www.w3.org/ns/did/v1",
  "https://w3id.org/security/multikey/v1",
  "https://w3id.org/security/jwk/v1",
] as const;

/** Algorithms each key type signs with; the first is the default (the JWK's `alg`). */
export const KEY_ALGORITHMS: Record<KeyType, SignatureAlgorithm[]> = {
  Ed25519: ["EdDSA"],
  "P-256": ["ES256"],
  "RSA-2048": ["RS256", "PS256"],
};

export const KEY_FRAGMENTS: Record<KeyType, string> = {
  Ed25519: "key-ed25519",
  "P-256": "key-p256",
  "RSA-2048": "key-rsa",
};

/**
 * The did:web identifier of an issuer under the gateway's public URL. did:web percent-encodes the port's colon and
 * maps `did:web:host:issuers:slug` to `https://host/issuers/slug/did.json`.
 */
export function didWebFor(publicUrl: string, slug: string): string {
  const url = new URL(publicUrl);
  return `did:web:${encodeURIComponent(url.host)}:issuers:${slug}`;
}

/** did:key of an Ed25519 key: the Multikey value is both the identifier and the verification method fragment. */
export function didKeyFor(key: Pick<IssuerKey, "publicJwk">): string {
  return `did:key:${jwkToMultibase(key.publicJwk)}`;
}

/** The id of a key's verification method in the issuer's DID document. */
export function verificationMethodId(issuer: Pick<IssuerRecord, "id" | "didMethod">, key: IssuerKey): string {
  if (issuer.didMethod === "key" && key.type === "Ed25519") return `${issuer.id}#${issuer.id.slice("did:key:".length)}`;
  return `${issuer.id}#${key.fragment}`;
}

/** Keys a DID document publishes: did:key documents hold only the key the identifier is made of. */
function publishedKeys(issuer: IssuerRecord): IssuerKey[] {
  return issuer.didMethod === "key" ? issuer.keys.filter((k) => k.type === "Ed25519") : issuer.keys;
}

/**
 * The issuer's DID document. Ed25519 and P-256 keys are published as Multikey (what Data Integrity cryptosuites
 * resolve), RSA keys as JsonWebKey (Multikey has no RSA encoding).
 */
export function didDocument(issuer: IssuerRecord): Record<string, unknown> {
  const methods = publishedKeys(issuer).map((key) => {
    const id = verificationMethodId(issuer, key);
    if (key.type === "RSA-2048") {
      return { id, type: "JsonWebKey", controller: issuer.id, publicKeyJwk: { ...key.publicJwk } };
    }
    return { id, type: "Multikey", controller: issuer.id, publicKeyMultibase: jwkToMultibase(key.publicJwk) };
  });
  const ids = methods.map((m) => m.id);
  return {
    "@context": [...DID_CONTEXTS],
    id: issuer.id,
    verificationMethod: methods,
    authentication: ids,
    assertionMethod: ids,
  };
}

/** The issuer's JWK Set: every key, with `kid` set to its verification method id (what VC-JWT and JAdES name). */
export function jwks(issuer: IssuerRecord): { keys: Record<string, unknown>[] } {
  return {
    keys: issuer.keys.map((key) => ({
      ...key.publicJwk,
      kid: verificationMethodId(issuer, key),
      // JOSE libraries pick keys by `alg`: name it only when the key signs with one algorithm (RSA does RS256 and PS256).
      ...(key.algorithms.length === 1 ? { alg: key.algorithms[0] } : {}),
      use: "sig",
    })),
  };
}
