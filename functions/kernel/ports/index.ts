/**
 * Ports: the interfaces through which use cases reach the outside world. Each has an AWS implementation
 * (`functions/adapters/aws`) and a local one (`functions/adapters/local`), both held to one contract suite
 * (`test/contract`). Use cases receive ports; they never construct adapters.
 */
import type {
  RegistryAgency,
  RegistryInstitution,
  RegistryLookup,
  RegistryReport,
} from "../../../mappings/registry/model.js";

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
  /** When the token stops authenticating (rotation with a grace period, or revocation: then `now`). */
  expiresAt?: string;
  /** The token this one replaced (rotation), for audit. */
  replaces?: string;
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
  /** The suspension status list of a credential issued with a suspension entry as well (`options.suspension`). */
  suspensionListId?: string;
  /** The credential's index in {@link IssuanceRecord.suspensionListId}. */
  suspensionListIndex?: number;
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
  /** Stores a new token; fails with `conflict` when the id is taken. */
  putToken(token: TokenRecord): Promise<void>;
  /** Records an issued credential; fails with `conflict` when that credential id was issued before. */
  putIssuance(record: IssuanceRecord): Promise<void>;
  /**
   * Records many issued credentials at once (bulk jobs: BatchWriteItem, 25 a request), unconditionally: a record
   * already stored under one of the ids is replaced. Only for ids no other issuance can have (a bulk job's per-row
   * ids, `rowCredentialId`), re-recorded by a retry of the same row; everything else goes through `putIssuance`.
   */
  putIssuances(records: IssuanceRecord[]): Promise<void>;
  getIssuance(credentialId: string): Promise<IssuanceRecord | undefined>;
  /**
   * Claims an idempotency key (state `pending`) before the work it guards; fails with `conflict` when the key is
   * held by a record that has not expired at `now`.
   */
  claimIdempotency(record: Omit<IdempotencyRecord, "state" | "response">, now: Date): Promise<void>;
  getIdempotency(issuerSlug: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Stores the response of a claimed key (state `done`), remembered until `expiresAt`. With `owner.claimedAt` (the
   * claim's `createdAt`), only the claim taken then: an attempt whose lease ran out and whose key was claimed again
   * by another gets `conflict` (pointer `/headers/idempotency-key`) instead of replacing the newer attempt's work.
   */
  completeIdempotency(
    issuerSlug: string,
    key: string,
    response: unknown,
    expiresAt: string,
    owner?: { claimedAt: string },
  ): Promise<void>;
  /**
   * Forgets a claim whose work failed, so the same key can be retried. With `owner.claimedAt`, only the claim taken
   * then (pending or done by that attempt); a claim taken over since is left alone.
   */
  releaseIdempotency(issuerSlug: string, key: string, owner?: { claimedAt: string }): Promise<void>;
  getToken(tokenId: string): Promise<TokenRecord | undefined>;
  /**
   * Makes a token stop authenticating at `expiresAt` (never later than an expiry it already has); `not-found` when
   * no token has that id. Rotation uses it for the grace period, revocation with `expiresAt` = now.
   */
  expireToken(tokenId: string, expiresAt: string): Promise<void>;
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

/** Where a bulk job stands; derived from its counters (see `functions/core/jobs/jobs.ts`). */
export type JobStatus =
  | "awaiting-upload"
  | "reading"
  | "queued"
  | "running"
  | "completed"
  | "completed-with-errors"
  | "failed";

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
  /** Why the job cannot finish (its chunks could not all be queued); set, the job's status is `failed`. */
  error?: string;
  /**
   * Jobs whose input is uploaded: `awaiting-upload` until the start route, then `reading` while a worker reads the
   * uploaded object into chunks; absent once `total` and `chunks` are known (and always for inline documents).
   */
  stage?: "awaiting-upload" | "reading";
  /** The uploaded input's key in the {@link UploadStore} (upload jobs only). */
  uploadKey?: string;
  /** Reader options of the input (delimiter, sheet, ...), kept for an uploaded input read later. */
  readerOptions?: Record<string, unknown>;
  /** A registry batch: what to do with each record besides converting it. Absent: every row is issued. */
  batch?: JobBatch;
  /** Each row is issued with `options.suspension: true` (a suspension status entry as well as the revocation one). */
  suspension?: boolean;
  /** An uploaded input being read (stage `reading`): what the reading has recorded so far (resumable reading). */
  readProgress?: ReadProgress;
  /**
   * Rows with a result in chunks not counted yet, by chunk index, as the worker last recorded them (every second or
   * so, not per row): the view adds them to `done` / `failed`; a chunk's entry goes when the chunk is counted.
   */
  chunkProgress?: Record<number, { done: number; failed: number }>;
}

/**
 * How far the reading of an uploaded input got, recorded after each chunk: the first `rows` rows the reader yields
 * are in chunks 0..chunks-1 (queued) or are error results (`failed` of them). A reader that resumes skips them.
 */
export interface ReadProgress {
  rows: number;
  chunks: number;
  failed: number;
}

/** A registry batch's settings: convert each record, then optionally issue it, then optionally deliver it. */
export interface JobBatch {
  /** Issue (sign) each converted record under the job's issuer; false: convert only. */
  issue: boolean;
  /** Deliver each issued record to the learner's Europass wallet (by the e-mail address the record gives). */
  deliver: boolean;
  /** Whether the wallet e-mails the learner about a delivery (default true). */
  sendEmail?: boolean;
}

/** What happened to one record of a registry batch, and why not when something did not. */
export interface RecordOutcome {
  converted: boolean;
  issued: boolean;
  /** Present when delivery was asked for: whether a delivery was queued for the record. */
  delivered?: boolean;
  /** The delivery's id (`GET /v1/deliveries/{id}` follows it). */
  deliveryId?: string;
  /** Why a step asked for did not happen. */
  reason?: string;
}

/** One row to issue: its row number in the input and the unsigned credential, already in the target format. */
export interface JobRow {
  row: number;
  credential: Record<string, unknown>;
  /** Registry batches that deliver: the learner's e-mail address the record gives (personal data: never logged). */
  recipient?: string;
}

/** A slice of a job: the input of one queue message. */
export interface JobChunk {
  jobId: string;
  index: number;
  rows: JobRow[];
  expiresAt: string;
  /** Status-list indexes recorded for the chunk by its first attempt ({@link JobStore.recordChunkStatus}). */
  status?: ChunkStatus;
}

/** The outcome of one row: the issued credential or why there is none. */
export type JobResult =
  | { row: number; verifiableCredential: unknown; outcome?: RecordOutcome }
  | { row: number; error: { path: string; message: string }; outcome?: RecordOutcome }
  /** A record of a convert-only registry batch: the converted, unsigned credential. */
  | { row: number; credential: unknown; outcome: RecordOutcome };

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
  /** One page of jobs, newest first: one issuer's, or (no `issuerSlug`) every issuer's. */
  listJobs(opts?: { issuerSlug?: string; limit?: number; cursor?: string }): Promise<{
    items: JobRecord[];
    cursor?: string;
  }>;
  /**
   * Jobs not closed yet, oldest first: what a restarted local worker must look at (`functions/local/worker.ts`).
   * A job is open from its creation until {@link JobStore.closeJob}.
   */
  listOpenJobs(opts?: { limit?: number; cursor?: string }): Promise<{ items: JobRecord[]; cursor?: string }>;
  /** Takes a job whose chunks are all counted (or that failed) out of the open jobs; repeating it does nothing. */
  closeJob(job: Pick<JobRecord, "id" | "createdAt">): Promise<void>;
  /** Records why the job cannot finish (`error`), unless an error is recorded already. */
  setJobError(id: string, message: string): Promise<void>;
  /** Moves an upload job from `awaiting-upload` to `reading`; false when it was not awaiting its upload. */
  startReading(id: string): Promise<boolean>;
  /**
   * Ends a `reading` job's reading: sets its row and chunk counts (and the rows that failed to read) and clears the
   * stage; false when it was not reading (counted before by an earlier attempt).
   */
  setJobCounts(id: string, counts: { total: number; chunks: number; failed: number }): Promise<boolean>;
  /**
   * Records a `reading` job's progress `to`, on condition that the recorded progress is still `from` (undefined:
   * none yet); false when it is not (another reader got further) or the job is not reading any more.
   */
  recordReadProgress(id: string, from: ReadProgress | undefined, to: ReadProgress): Promise<boolean>;
  /**
   * Records the rows of a chunk not counted yet that have a result (absolute numbers, so a repeated delivery sets
   * the same values); false, and nothing written, once the chunk is counted.
   */
  setChunkProgress(id: string, index: number, counts: { done: number; failed: number }): Promise<boolean>;
  /**
   * Writes many results of a job at once (BatchWriteItem, 25 a request). Not conditional: the caller writes only rows
   * it found without a result, and a row's result is the same credential on every attempt (see `issue-batch.ts`).
   */
  putResults(jobId: string, results: JobResult[], expiresAt: string): Promise<void>;
  /**
   * Records on a chunk the status-list indexes allocated for it, unless it has some already; answers the recorded
   * ones (this call's, or an earlier attempt's, which the caller then uses instead: its own block stays unused).
   */
  recordChunkStatus(jobId: string, index: number, status: ChunkStatus): Promise<ChunkStatus>;
}

/** A block of consecutive indexes of one status list, handed out by {@link StatusListStore.allocateBlock}. */
export interface StatusBlock {
  listId: string;
  /** The first index; the block is `start .. start + count - 1`. */
  start: number;
  count: number;
}

/** The status-list blocks of a chunk: its i-th row gets index `start + i` of each. */
export interface ChunkStatus {
  revocation?: StatusBlock;
  suspension?: StatusBlock;
}

/** Where a client sends a large input: a pre-signed request it makes without the gateway's token. */
export interface UploadTarget {
  url: string;
  method: "PUT";
  /** Headers the client must send with the request (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * Large bulk-job inputs, uploaded by the client straight to storage with a pre-signed URL (S3 on AWS; files under
 * the data dir locally, the local gateway taking the PUT) and read back as a stream by the worker.
 */
export interface UploadStore {
  /** A pre-signed PUT for `key`, valid until `expiresAt`. */
  createUploadUrl(key: string, opts: { expiresInSeconds: number; contentType: string }): Promise<UploadTarget>;
  /** The object's size, or undefined when nothing was uploaded under `key`. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** The object's bytes as a stream, or undefined when nothing was uploaded under `key`. */
  open(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Deletes the object (nothing when there is none). */
  delete(key: string): Promise<void>;
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
  /**
   * Hands out `count` consecutive free indexes of one list in one atomic update (a bulk-job chunk's block), with the
   * same guarantees as {@link StatusListStore.allocate}. A current list with fewer than `count` free indexes left is
   * closed (its remaining indexes are never handed out) and the block comes from the next one.
   */
  allocateBlock(issuerSlug: string, purpose: StatusPurpose, count: number, now: Date): Promise<StatusBlock>;
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

/** One outbound HTTP exchange (any method), for the Europass wallet client. */
export interface OutboundRequest {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

/** The answer to an {@link OutboundRequest}, whatever its status (the caller decides what a status means). */
export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Outbound HTTP exchanges through the same guard as {@link OutboundHttp} (no private destinations, bounded time and
 * size, no redirects). Throws an Error whose `name` is `OutboundRefused` when the guard refuses the destination, and
 * another Error (timeout, connection failure, oversized answer) when the exchange fails; error messages never carry
 * the URL (wallet URLs hold learners' e-mail addresses).
 */
export interface OutboundRequester {
  request(request: OutboundRequest, options?: OutboundRequestOptions): Promise<OutboundResponse>;
}

/** Where a delivery goes: a Europass wallet by the learner's e-mail address, or by wallet (user) id. */
export type WalletRecipient = { email: string } | { walletId: string };

/** What a wallet said to one deposit attempt: its HTTP status and a short reason, or why no answer came. */
export type WalletAnswer =
  | { kind: "answered"; status: number; detail: string }
  | { kind: "timeout" | "network"; detail: string }
  | { kind: "refused"; detail: string };

/**
 * The Europass wallet (EDC wallet REST API, `../research/elm.md` §4.2): deposits a credential file and downloads
 * shared or owned credentials. One implementation over {@link OutboundRequester} serves both modes.
 */
export interface WalletClient {
  /** `POST /api/v1/wallets/{email/}{id}/credentials`, multipart `_credential`, `sendEmail` flag. Never throws. */
  deposit(recipient: WalletRecipient, credentialFile: string, sendEmail: boolean): Promise<WalletAnswer>;
  /** The credential file behind a share link (`GET /api/v1/sharelinks/{hash}/credentials`). Never throws. */
  fetchShared(shareHash: string): Promise<WalletDownload>;
  /** A credential of a wallet (`GET /api/v1/wallets/{walletId}/credentials/{uuid}`) with its owner's token. */
  fetchOwned(walletId: string, credentialId: string, bearerToken: string): Promise<WalletDownload>;
}

/** A download from the wallet: the file's text on a 2xx, else why not. */
export type WalletDownload = { kind: "file"; body: string } | WalletAnswer;

export type DeliveryStatus = "pending" | "delivered" | "failed";

/** A delivery as stored, without what it carries (see {@link DeliveryPayload}); no learner data. */
export interface DeliveryRecord {
  id: string;
  /** The issuer whose token (or the admin's) asked for it and may read it; `admin` for the admin's own. */
  owner: string;
  status: DeliveryStatus;
  /** Deposit attempts made so far. */
  attempts: number;
  /** Why the last attempt did not deliver (or, once failed, why the delivery failed). */
  lastError?: string;
  /** The credential's own `id` (the wallet refuses a second credential with the same one). */
  credentialId: string;
  recipientKind: "email" | "walletId";
  /** Hex SHA-256 of the recipient address, for audit without keeping the address once the delivery ends. */
  recipientHash: string;
  createdAt: string;
  updatedAt: string;
  /** Earliest time of the next attempt (pending only). */
  nextAttemptAt?: string;
  /** Until when the attempt in progress holds the delivery (a worker that died holds it until then). */
  leaseUntil?: string;
  /** Given up after the last attempt and sent to the dead-letter queue. */
  deadLettered?: boolean;
  /** How a delivered one ended when it is worth saying (the wallet already held the credential). */
  note?: string;
  expiresAt: string;
}

/** What a pending delivery must keep to be retried; removed from the store when the delivery ends. */
export interface DeliveryPayload {
  recipient: WalletRecipient;
  /** The credential file as sent to the wallet (JSON text). */
  credential: string;
  sendEmail: boolean;
}

/** How one attempt ended: delivered or failed for good, or to be retried after `nextAttemptAt`. */
export type AttemptOutcome =
  | { status: "delivered"; at: string; note?: string }
  | { status: "failed"; at: string; lastError: string; deadLettered: boolean }
  | { status: "pending"; at: string; lastError: string; nextAttemptAt: string };

/**
 * Durable deliveries (same DynamoDB table). Attempts are leased: one worker at a time may attempt a delivery, and a
 * lease that outlives its worker (a crash) expires, so a redelivered message can take over.
 */
export interface DeliveryStore {
  /** Stores a new pending delivery with its payload; `conflict` when the id is taken. */
  createDelivery(record: DeliveryRecord, payload: DeliveryPayload): Promise<void>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /**
   * Takes the lease of a pending delivery not leased at `now` and counts an attempt; answers the record (attempts
   * counted) and its payload, or undefined when the delivery is not pending or another lease holds it.
   */
  claimAttempt(
    id: string,
    lease: { token: string; now: string; until: string },
  ): Promise<{ record: DeliveryRecord; payload: DeliveryPayload } | undefined>;
  /**
   * Records how the leased attempt ended and frees the lease; an ended delivery loses its payload. False when the
   * lease was lost (another worker took over) and nothing was written.
   */
  finishAttempt(id: string, leaseToken: string, outcome: AttemptOutcome): Promise<boolean>;
  /**
   * Pending deliveries, a page at a time, in no particular order across pages (local mode queues them again after a
   * restart). Reads the items themselves, so it may scan the table: not for request paths.
   */
  listPending(opts?: { limit?: number; cursor?: string }): Promise<{ items: DeliveryRecord[]; cursor?: string }>;
}

/** A configured trusted issuer: any one of its identifiers matches (trust registry). */
export interface TrustedIssuerRecord {
  /** The issuer's DID or URL, as credentials name it. */
  id?: string;
  /** One verification method (key id) trusted on its own. */
  verificationMethod?: string;
  /** RFC 7638 JWK thumbprint (base64url SHA-256) of a trusted key. */
  jwkThumbprint?: string;
  /** A label for reports. */
  name?: string;
}

/** One trust anchor certificate, from an imported trusted list or configured by the admin. */
export interface TrustAnchorRecord {
  /** Standard base64 DER. */
  certificate: string;
  /** Hex SHA-256 of the subject Name DER: anchors are looked up by the name a certificate says issued it. */
  subjectKey: string;
  subject: string;
  /** The list it came from: `eu-tl:{territory}` or `configured`. */
  source: string;
  tspName?: string;
  serviceName?: string;
}

/** An imported list of anchors (a national trusted list, the LOTL, or the admin's configured roots). */
export interface TrustListRecord {
  /** `eu-tl:{territory}` (`eu-tl:EU` is the LOTL) or `configured`. */
  source: string;
  kind: "lotl" | "tsl" | "configured";
  territory?: string;
  sequenceNumber?: number;
  issuedAt?: string;
  nextUpdate?: string;
  importedAt: string;
  anchorCount: number;
  /** LOTL only: the national lists it points to. */
  pointers?: { territory: string; location: string }[];
}

/** The trust registry's storage (same DynamoDB table). */
export interface TrustStore {
  /** Replaces the configured trusted issuers. */
  putTrustedIssuers(entries: TrustedIssuerRecord[]): Promise<void>;
  getTrustedIssuers(): Promise<TrustedIssuerRecord[]>;
  /** Replaces one list and its anchors; readers see the old or the new anchors, never a mix of both. */
  replaceTrustList(list: TrustListRecord, anchors: TrustAnchorRecord[]): Promise<void>;
  /** Every imported list, by source. */
  listTrustLists(): Promise<TrustListRecord[]>;
  /** The current anchors whose subject name hashes to `subjectKey`. */
  findTrustAnchors(subjectKey: string): Promise<TrustAnchorRecord[]>;
}

/**
 * OpenID4VCI (pre-authorised code flow): a credential an issuer offered to a wallet, until it is collected or expires.
 * One item holds the offer, its pre-authorised code and the access token the code was exchanged for, so that every
 * step (redeem the code, claim the issuance, complete it) is one conditional write on one item. Secrets are kept
 * only as hex SHA-256 digests.
 */
export interface Oid4vciOffer {
  /** 128-bit random id; the prefix of the offer's pre-authorised code and access token (`{id}.{secret}`). */
  id: string;
  issuerSlug: string;
  /** The credential configuration (`credential_configurations_supported` key) offered. */
  configurationId: string;
  /** The unsigned credential to issue; dropped once it is issued. */
  credential?: Record<string, unknown>;
  /** Hex SHA-256 of the pre-authorised code. */
  codeHash: string;
  /** The transaction code the wallet must send with the code (its hash, and how the wallet should ask for it). */
  txCode?: { hash: string; inputMode: "numeric" | "text"; length: number; description?: string };
  createdAt: string;
  /** When the pre-authorised code stops being accepted. */
  codeExpiresAt: string;
  /** When the whole item may be forgotten (TTL), after the code and any token it gave have expired. */
  expiresAt: string;
  /** Wrong transaction codes sent so far; the code is dead after a few. */
  failedTxCodes: number;
  /** Set when the code was exchanged for an access token (once). */
  redeemedAt?: string;
  /** Hex SHA-256 of the access token. */
  tokenHash?: string;
  tokenExpiresAt?: string;
  /** A credential request holds the issuance until then (a crashed request blocks the offer only that long). */
  issuingUntil?: string;
  /** Random token of the request holding the issuance: only that request may complete or release it. */
  issuingHolder?: string;
  /** Set once the credential was issued: then the offer gives nothing more. */
  issuedAt?: string;
  /** The id of the issued credential. */
  credentialId?: string;
}

/** OpenID4VCI state: offers (with their code and token) and single-use `c_nonce` values (same table). */
export interface Oid4vciStore {
  /** Stores a new offer; fails with `conflict` when the id is taken. */
  putOffer(offer: Oid4vciOffer): Promise<void>;
  getOffer(id: string): Promise<Oid4vciOffer | undefined>;
  /**
   * Exchanges the offer's code for an access token, atomically: true when this call did it; false when the code was
   * redeemed before, has expired at `now`, or is locked after `maxFailedTxCodes` wrong transaction codes.
   */
  redeemCode(
    id: string,
    token: { tokenHash: string; tokenExpiresAt: string },
    now: Date,
    maxFailedTxCodes: number,
  ): Promise<boolean>;
  /** Counts one transaction code tried (before it is compared, so that a burst cannot outrun the limit); returns the new count. */
  recordFailedTxCode(id: string): Promise<number>;
  /**
   * Holds the offer for one credential request until `until`, under the caller's random `holder` token: true when
   * this call holds it; false when the credential was issued already or another request holds it (and its hold has
   * not lapsed at `now`).
   */
  claimIssuance(id: string, until: string, now: Date, holder: string): Promise<boolean>;
  /**
   * Marks the offer issued, records the credential id and drops the stored credential, only while `holder` still
   * holds it: false (nothing written) when the hold lapsed and another request took it, or the offer was issued.
   * A lapsed hold nobody took over still completes.
   */
  completeIssuance(id: string, issued: { credentialId: string; at: string }, holder: string): Promise<boolean>;
  /** Lets go of `holder`'s hold whose issuance failed, so that the wallet may try again (no-op if not its hold). */
  releaseIssuance(id: string, holder: string): Promise<void>;
  /** Stores a fresh `c_nonce` (its hex SHA-256) until `expiresAt`. */
  putNonce(nonceHash: string, expiresAt: string): Promise<void>;
  /** Uses up a nonce: true once for a stored nonce not expired at `now`, false otherwise (unknown, used, expired). */
  consumeNonce(nonceHash: string, now: Date): Promise<boolean>;
}

/**
 * The quality-assurance registry (DEQAR institutions, agencies and reports, Europass / QDR accreditation data) as
 * imported by `functions/core/registry/import.ts`; read by the check, the verification's DEQAR trust source and the
 * registry match. Records are the pure model of `mappings/registry/model.ts`.
 */
export interface RegistryStore {
  /** Stores (replaces) an institution and the lookups that find it; lookups it no longer has are removed. */
  putInstitution(institution: RegistryInstitution): Promise<void>;
  getInstitution(key: string): Promise<RegistryInstitution | undefined>;
  /** The institutions found under a lookup (an identifier, a SCHAC code, a normalised name in a country). */
  findInstitutions(lookup: RegistryLookup): Promise<RegistryInstitution[]>;
  /** Stores (replaces) a report, filed under each institution it covers; copies under institutions it no longer covers are removed. */
  putReport(report: RegistryReport): Promise<void>;
  getReport(id: string): Promise<RegistryReport | undefined>;
  /** The reports covering an institution. */
  reportsOf(institutionKey: string): Promise<RegistryReport[]>;
  putAgency(agency: RegistryAgency): Promise<void>;
  getAgency(id: string): Promise<RegistryAgency | undefined>;
  /** Deletes a report and its copies under the institutions it covers; nothing when there is none. */
  deleteReport(id: string): Promise<void>;
  /**
   * The report ids the last import of each scope stored (scope: `deqar-api:{country|all}`, `file:{name}`), so that a
   * re-import from one source replaces what that source said before and nothing another source said.
   */
  listImportScopes(): Promise<{ scope: string; reportIds: string[]; importedAt: string }[]>;
  /** Records (replaces) what an import of `scope` stored. */
  putImportScope(record: { scope: string; reportIds: string[]; importedAt: string }): Promise<void>;
}
