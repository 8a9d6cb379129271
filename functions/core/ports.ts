/**
 * Ports: the interfaces through which use cases reach the outside world. Each has an AWS implementation
 * (`functions/adapters/aws`) and a local one (`functions/adapters/local`), both held to one contract suite
 * (`test/contract`). Use cases receive ports; they never construct adapters.
 */

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
  sign(keyRef: string, alg: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array>;
}

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

export type Role = "admin" | "issuer" | "registry" | "public";

/** An API token as stored: only its hash is kept. */
export interface TokenRecord {
  tokenId: string;
  /** Hex SHA-256 of the token's secret part. Tokens are 256-bit random, so a fast hash is sufficient. */
  secretHash: string;
  role: Role;
  issuerId?: string;
  createdAt: string;
  revokedAt?: string;
}

/** What the gateway keeps of an issued credential: enough for revocation and audit, no learner personal data. */
export interface IssuanceRecord {
  credentialId: string;
  issuerSlug: string;
  format: "ob3" | "elm" | "w3c";
  proof: "eddsa-rdfc-2022" | "vc-jwt" | "jades";
  /** Hex SHA-256 of the signed credential as returned. */
  contentHash: string;
  issuedAt: string;
  /** The status list holding the credential's BitstringStatusListEntry (see {@link StatusListStore}); absent if none. */
  statusListId?: string;
  /** The credential's index in {@link IssuanceRecord.statusListId}. */
  statusListIndex?: number;
}

/** An `Idempotency-Key` of an issuer: the request it was first used for and, once done, the response. */
export interface IdempotencyRecord {
  issuerSlug: string;
  key: string;
  /** Hex SHA-256 of the request body. */
  requestHash: string;
  state: "pending" | "done";
  response?: unknown;
  createdAt: string;
  /** When the record may be forgotten (and a pending claim taken over). */
  expiresAt: string;
}

/** Durable storage of the gateway's records (DynamoDB single table; dynalite locally). */
export interface CredentialStore {
  /** Stores a new issuer; fails with a `conflict` GatewayError when the slug is taken. */
  putIssuer(issuer: IssuerRecord): Promise<void>;
  getIssuer(slug: string): Promise<IssuerRecord | undefined>;
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
  /** Stores a new token; fails with `conflict` when the id is taken. */
  putToken(token: TokenRecord): Promise<void>;
  /** Records an issued credential; fails with `conflict` when that credential id was issued before. */
  putIssuance(record: IssuanceRecord): Promise<void>;
  getIssuance(credentialId: string): Promise<IssuanceRecord | undefined>;
  /**
   * Claims an idempotency key (state `pending`) before the work it guards; fails with `conflict` when the key is
   * held by a record that has not expired at `now`.
   */
  claimIdempotency(record: Omit<IdempotencyRecord, "state" | "response">, now: Date): Promise<void>;
  getIdempotency(issuerSlug: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Stores the response of a claimed key (state `done`), remembered until `expiresAt`. */
  completeIdempotency(issuerSlug: string, key: string, response: unknown, expiresAt: string): Promise<void>;
  /** Forgets a claim whose work failed, so the same key can be retried. */
  releaseIdempotency(issuerSlug: string, key: string): Promise<void>;
  getToken(tokenId: string): Promise<TokenRecord | undefined>;
}

export interface QueueMessage<T = unknown> {
  id: string;
  body: T;
  /** Opaque handle to acknowledge (delete) the message. */
  receipt: string;
  /** How many times the message has been received, this time included. */
  receiveCount: number;
}

/** At-least-once work queue (SQS; in-process locally). Unacknowledged messages come back after the visibility timeout. */
export interface Queue {
  send(body: unknown, opts?: { delaySeconds?: number }): Promise<{ id: string }>;
  receive(opts?: { max?: number; waitSeconds?: number; visibilitySeconds?: number }): Promise<QueueMessage[]>;
  ack(message: QueueMessage): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique, URL-safe id. */
  newId(): string;
  /** `bytes` of cryptographically secure randomness, base64url encoded. */
  secret(bytes?: number): string;
}

/** Limits of one outbound request. */
export interface OutboundRequestOptions {
  /** Whole-request budget (DNS, connect, response). */
  timeoutMs?: number;
  /** Largest response body accepted. */
  maxBytes?: number;
}

/**
 * Outbound HTTP for what verification may need from the web (did:web documents, key documents, later status lists).
 * Implementations refuse private, loopback and link-local destinations and bound time and size. Off by default
 * (`GATEWAY_OUTBOUND_HTTP`): when the gateway has none, use cases say so instead of fetching.
 */
export interface OutboundHttp {
  /** GETs `url` and parses the body as JSON; throws an Error saying why it refused or failed. */
  fetchJson(url: string, options?: OutboundRequestOptions): Promise<unknown>;
}

/** Where a bulk job stands; derived from its counters (see `functions/core/jobs.ts`). */
export type JobStatus = "queued" | "running" | "completed" | "completed-with-errors" | "failed";

/** A bulk job as stored: who asked for what, and its progress counters. */
export interface JobRecord {
  id: string;
  /** The issuer whose keys sign, and whose token (or the admin's) may read the job. */
  issuerSlug: string;
  /** The input format the document was read as. */
  from: string;
  format: "ob3" | "elm";
  proof?: "eddsa-rdfc-2022" | "vc-jwt" | "jades";
  /** Rows of the input: credentials to issue plus rows that could not be read. */
  total: number;
  /** Number of chunks (queue messages) the job was split into, numbered 0..chunks-1. */
  chunks: number;
  /** Rows issued. */
  done: number;
  /** Rows with an error result (unreadable, refused, or in a dead-lettered chunk). */
  failed: number;
  /** Chunks given up after too many attempts (their rows are counted in `failed`). */
  dlq: number;
  /** Indexes of the chunks whose rows have all been counted; a chunk is counted once. */
  finishedChunks: number[];
  createdAt: string;
  /** When a worker first picked up one of its chunks. */
  startedAt?: string;
  /** When the job and its items may be forgotten. */
  expiresAt: string;
}

/** One row to issue: its row number in the input and the unsigned credential, already in the target format. */
export interface JobRow {
  row: number;
  credential: Record<string, unknown>;
}

/** A slice of a job: the input of one queue message. */
export interface JobChunk {
  jobId: string;
  index: number;
  rows: JobRow[];
  expiresAt: string;
}

/** The outcome of one row: the issued credential or why there is none. */
export type JobResult =
  | { row: number; verifiableCredential: unknown }
  | { row: number; error: { path: string; message: string } };

/**
 * Durable storage of bulk jobs (same DynamoDB table; dynalite locally). Every write a worker repeats after a crash is
 * idempotent: a row's result is written once, a chunk is counted once.
 */
export interface JobStore {
  /** Stores a new job; fails with `conflict` when the id is taken. */
  createJob(job: JobRecord): Promise<void>;
  getJob(id: string): Promise<JobRecord | undefined>;
  /** Sets `startedAt` unless it is set already. */
  markJobStarted(id: string, at: string): Promise<void>;
  /** Stores a chunk's input (size-bounded by the caller: a DynamoDB item holds at most 400 KB). */
  putChunk(chunk: JobChunk): Promise<void>;
  getChunk(jobId: string, index: number): Promise<JobChunk | undefined>;
  /** Writes a row's result unless one exists; true when this call wrote it. */
  putResult(jobId: string, result: JobResult, expiresAt: string): Promise<boolean>;
  /**
   * Results in row order. `fromRow`/`toRow` (inclusive) narrow to a range; `cursor` continues an earlier page.
   */
  listResults(
    jobId: string,
    opts?: { fromRow?: number; toRow?: number; limit?: number; cursor?: string },
  ): Promise<{ items: JobResult[]; cursor?: string }>;
  /**
   * Adds a finished chunk's counts to the job in one atomic update, unless that chunk was counted before (then
   * false). `dead` also counts the chunk in `dlq`.
   */
  finishChunk(jobId: string, index: number, counts: { done: number; failed: number; dead: boolean }): Promise<boolean>;
}

/** What a status list's bits say: `revocation` (permanent) or `suspension` (reversible). */
export type StatusPurpose = "revocation" | "suspension";

/** A W3C Bitstring Status List as stored: one per issuer and purpose at a time, the next started when one is full. */
export interface StatusListRecord {
  /** `{issuerSlug}.{purpose}.{sequence}`: URL-safe, served at `/status-lists/{listId}`. */
  listId: string;
  issuerSlug: string;
  purpose: StatusPurpose;
  /** Entries (bits) of the list. */
  size: number;
  /** How many indexes were handed out (0..allocated-1); never decreases, so an index is never reused. */
  allocated: number;
  /** The bitstring, `size / 8` bytes, uncompressed; bit set = revoked / suspended. */
  bits: Uint8Array;
  /** Bumped by every change of the bits (optimistic concurrency; caches and ETags key on it). */
  version: number;
  createdAt: string;
  /** When the bits last changed (the list's creation until then). */
  updatedAt: string;
}

/** One index handed out by {@link StatusListStore.allocate}. */
export interface StatusAllocation {
  listId: string;
  index: number;
}

/** Who changed a credential's status, what and when: the audit trail (no learner data, not the free-text reason). */
export interface StatusEvent {
  id: string;
  credentialId: string;
  issuerSlug: string;
  action: "revoke" | "suspend" | "unsuspend";
  purpose: StatusPurpose;
  listId: string;
  index: number;
  /** The caller: `admin`, or `issuer:{tokenId}`. */
  actor: string;
  at: string;
}

/** Status lists (DynamoDB single table; the same adapter on dynalite locally). */
export interface StatusListStore {
  /**
   * Hands out the next free index of the issuer's current list for `purpose`, atomically: concurrent callers never
   * get the same (list, index), and an index is never handed out again. A full list makes the next one current.
   */
  allocate(issuerSlug: string, purpose: StatusPurpose, now: Date): Promise<StatusAllocation>;
  getList(listId: string): Promise<StatusListRecord | undefined>;
  /**
   * Sets (`true`) or clears one bit of a list, retrying when a concurrent change wins (compare-and-set on the
   * version); `changed` is false when the bit already had that value (nothing written). Fails with `not-found` for an
   * unknown list or an index never allocated, and `conflict` when retries are exhausted.
   */
  setBit(
    listId: string,
    index: number,
    value: boolean,
    now: Date,
  ): Promise<{ list: StatusListRecord; changed: boolean }>;
  /** Appends to a credential's status audit trail. */
  putStatusEvent(event: StatusEvent): Promise<void>;
  /** A credential's status audit trail, oldest first. */
  listStatusEvents(credentialId: string): Promise<StatusEvent[]>;
}
