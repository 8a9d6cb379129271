/**
 * The real clock and randomness, behind the {@link Clock} and {@link IdGenerator} ports so that tests can inject
 * fixed ones. Used by both the local and the AWS composition roots.
 */

import { randomBytes } from "node:crypto";
import type { Clock, IdGenerator } from "./ports/index.js";

/** Largest secret {@link randomIds} hands out, in bytes. */
const MAX_SECRET_BYTES = 1024;

/** The system clock. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/** Bytes drawn from the CSPRNG at a time for ids and UUIDs: one call per 256 ids instead of one each. */
const POOL_BYTES = 4096;
/** Larger requests (token and key secrets) come straight from the CSPRNG, never through the pool. */
const POOLED_MAX = 16;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * `bytes` fresh random bytes. Ids (16 bytes or fewer) are cut from a pool filled by one CSPRNG call (as Node's own
 * `crypto.randomUUID` does): each byte is handed out once, and the pool is filled on first use, not at load.
 */
function randomOf(bytes: number): Buffer {
  if (bytes > POOLED_MAX) return randomBytes(bytes);
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return out;
}

/**
 * Ids and secrets from the CSPRNG. An id is 16 random bytes in base64url (22 characters, 128 bits): unguessable and
 * safe in URLs, DynamoDB keys and file names.
 */
export const randomIds: IdGenerator = {
  // Never with a leading "-": an id is passed on command lines (`npm run cli -- jobs status <id>`), where it would be
  // read as an option (1 id in 64 did).
  newId: () => {
    for (;;) {
      const id = randomOf(16).toString("base64url");
      if (!id.startsWith("-")) return id;
    }
  },
  secret: (bytes = 32) => {
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_SECRET_BYTES) {
      throw new RangeError(`a secret is 1 to ${MAX_SECRET_BYTES} bytes, got ${bytes}`);
    }
    return randomOf(bytes).toString("base64url");
  },
};
