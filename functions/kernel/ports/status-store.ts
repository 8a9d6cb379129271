/** BitstringStatusList lists, index allocation and status events. */

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

/** A block of consecutive indexes of one status list, handed out by {@link StatusListStore.allocateBlock}. */
export interface StatusBlock {
  listId: string;
  /** The first index; the block is `start .. start + count - 1`. */
  start: number;
  count: number;
}
