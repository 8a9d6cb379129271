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

/**
 * Ids and secrets from the CSPRNG. An id is 16 random bytes in base64url (22 characters, 128 bits): unguessable and
 * safe in URLs, DynamoDB keys and file names.
 */
export const randomIds: IdGenerator = {
  newId: () => randomBytes(16).toString("base64url"),
  secret: (bytes = 32) => {
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_SECRET_BYTES) {
      throw new RangeError(`a secret is 1 to ${MAX_SECRET_BYTES} bytes, got ${bytes}`);
    }
    return randomBytes(bytes).toString("base64url");
  },
};
