/** Deliveries of issued credentials to wallets: records, attempts and leases. */
import type { WalletRecipient } from "./wallet.js";

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
