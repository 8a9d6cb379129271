/** Registered issuers: their keys, DIDs and seal certificates, and where they are stored. */
import type { KeyType, PublicJwk, SignatureAlgorithm } from "./keys.js";

/** One signing key as an issuer holds it: the store's reference plus how it is published. */
export interface IssuerKey {
  /** Fragment of the verification method in the issuer's DID document, e.g. `key-ed25519`. */
  fragment: string;
  type: KeyType;
  keyRef: string;
  publicJwk: PublicJwk;
  /** Algorithms this key signs with, the first being its default. */
  algorithms: SignatureAlgorithm[];
}

export type DidMethod = "web" | "key";

/**
 * An eSeal certificate chain an issuer holds for one of its keys: uploaded (`PUT /v1/issuers/{id}/certificate`) or,
 * in local mode, a self-signed test certificate made at registration. JAdES seals carry it in `x5c`.
 */
export interface IssuerCertificate {
  /** The {@link IssuerKey.fragment} of the key the leaf certificate certifies. */
  keyFragment: string;
  /** The chain, leaf first, each certificate as standard base64 DER. */
  chain: string[];
  /** Whether the leaf is an EU qualified certificate (QCStatements with QcCompliance); local test ones are not. */
  qualified: boolean;
  /** The leaf's `notAfter`, ISO 8601. */
  notAfter: string;
}

export interface IssuerRecord {
  /** The issuer's DID: `did:web:{host}:issuers:{slug}` or a `did:key`. */
  id: string;
  /** Short, URL-safe id used in routes: `/issuers/{slug}/did.json`. */
  slug: string;
  didMethod: DidMethod;
  name: string;
  country: string;
  legalIdentifier?: string;
  homepage?: string;
  email?: string;
  keys: IssuerKey[];
  /** eSeal certificate chains, at most one per key. Absent until one is uploaded (or made in local mode). */
  certificates?: IssuerCertificate[];
  createdAt: string;
}

/** Registered issuers (the single table; dynalite locally). */
export interface IssuerStore {
  /** Stores a new issuer; fails with a `conflict` GatewayError when the slug is taken. */
  putIssuer(issuer: IssuerRecord): Promise<void>;
  getIssuer(slug: string): Promise<IssuerRecord | undefined>;
  /**
   * The registered issuer whose DID is `did` (did:key issuers have no slug in their id), read through an index item
   * written with the issuer; undefined when none. Verification uses it instead of scanning the issuers.
   */
  findIssuerByDid(did: string): Promise<IssuerRecord | undefined>;
  /**
   * The registered issuer one of whose certificate chains has `leaf` (standard base64 DER) as its leaf, read through
   * an index item written with the certificates; undefined when none. JAdES verification uses it to recognise a seal.
   */
  findIssuerByCertificate(leaf: string): Promise<IssuerRecord | undefined>;
  /**
   * Replaces the certificate chains of a registered issuer (the rest of the record is unchanged); fails with
   * `not-found` when no issuer has that slug.
   */
  setIssuerCertificates(slug: string, certificates: IssuerCertificate[]): Promise<void>;
  /** Adds a signing key to a registered issuer (key rotation: earlier keys stay); `not-found` for unknown slugs. */
  addIssuerKey(slug: string, key: IssuerKey): Promise<void>;
  /**
   * Holds a slug for a registration in progress until `window.until`, so that racing registrations fail before
   * creating keys; fails with `conflict` when the slug is registered or held by a reservation not expired at
   * `window.now`.
   */
  reserveSlug(slug: string, window: { now: Date; until: Date }): Promise<void>;
  listIssuers(opts?: { limit?: number; cursor?: string }): Promise<{ items: IssuerRecord[]; cursor?: string }>;
}
