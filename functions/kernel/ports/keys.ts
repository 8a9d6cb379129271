/** Keys and signing: the key types and algorithms the gateway issues with, the key store (KMS; files locally) and the Signer a proof is made with. */
/** Key algorithms the gateway issues with. Each maps to a KMS key spec and to node:crypto key types. */
export type KeyType = "Ed25519" | "P-256" | "RSA-2048";

/** JOSE / JWA signature algorithms a key can produce. */
export type SignatureAlgorithm = "EdDSA" | "ES256" | "RS256" | "PS256";

/** Public key as a JSON Web Key (RFC 7517): OKP for Ed25519, EC for P-256, RSA for RSA. */
export interface PublicJwk {
  kty: "OKP" | "EC" | "RSA";
  crv?: "Ed25519" | "P-256";
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** A key held by a {@link KeyStore}. The private part never leaves the store. */
export interface KeyRecord {
  /** The store's own reference: a KMS key id/ARN, or the local store's file id. */
  keyRef: string;
  type: KeyType;
  publicJwk: PublicJwk;
}

/** Creates signing keys and reads their public halves. */
export interface KeyStore {
  /** Key types this backend can create (moto's KMS, for one, has no Ed25519). */
  supports(type: KeyType): boolean;
  /** Creates a new signing key, labelled with the owning issuer so access can be scoped to it. */
  createKey(type: KeyType, owner: { issuerId: string }): Promise<KeyRecord>;
  getPublicKey(keyRef: string): Promise<PublicJwk>;
}

/** Signs bytes with a key held by the store. */
export interface Signer {
  /**
   * Signs `data` with `alg`. The signature is in JOSE form: raw 64-byte r‖s for ES256, 64 bytes for EdDSA, the
   * modulus length for RS256/PS256. The caller passes the full message; the signer decides RAW vs DIGEST.
   */
  sign(keyRef: string, alg: SignatureAlgorithm, data: Uint8Array, context?: SignContext): Promise<Uint8Array>;
}

/**
 * On whose behalf a signature is made. With it, the Signer itself refuses (`forbidden`) a key that is not this
 * issuer's (the local store reads the owner from its key file, KMS from the key's `edc-gateway:issuer` tag), and in
 * AWS signs in an STS session tagged with this issuer, so that IAM allows only that issuer's keys.
 */
export interface SignContext {
  /** The owning issuer's slug, as given to {@link KeyStore.createKey}. */
  issuerId: string;
}
