/** Records of issued credentials and of Idempotency-Key claims, and where they are stored. */
import type { StatusListStore } from "./status-store.js";

/** What the gateway keeps of an issued credential: enough for revocation and audit, no learner personal data. */
export interface IssuanceRecord {
  credentialId: string;
  issuerSlug: string;
  format: "ob3" | "elm" | "w3c" | "sd-jwt-vc";
  /** `sd-jwt`: an SD-JWT VC, the issuer-signed JWT of which is ES256. */
  proof: "eddsa-rdfc-2022" | "vc-jwt" | "jades" | "sd-jwt";
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

/** Records of issued credentials. */
export interface IssuanceStore {
  /** Records an issued credential; fails with `conflict` when that credential id was issued before. */
  putIssuance(record: IssuanceRecord): Promise<void>;
  /**
   * Records many issued credentials at once (bulk jobs: BatchWriteItem, 25 a request), unconditionally: a record
   * already stored under one of the ids is replaced. Only for ids no other issuance can have (a bulk job's per-row
   * ids, `rowCredentialId`), re-recorded by a retry of the same row; everything else goes through `putIssuance`.
   */
  putIssuances(records: IssuanceRecord[]): Promise<void>;
  getIssuance(credentialId: string): Promise<IssuanceRecord | undefined>;
}

/** Idempotency-Key claims and the responses they remember. */
export interface IdempotencyStore {
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
}
