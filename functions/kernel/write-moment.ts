import type { Clock } from "./ports/clock.js";
import type { IdGenerator } from "./ports/ids.js";

/**
 * A random UUID (RFC 9562 version 4) from the ids port's randomness, for the ids formats name by a UUID
 * (`urn:credential:<uuid>` in ELM): 16 bytes with the version and variant bits set.
 */
export function uuidFrom(ids: IdGenerator): string {
  const bytes = Buffer.from(ids.secret(16), "base64url");
  if (bytes.length !== 16) throw new RangeError("the ids port gave a secret that is not 16 bytes");
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * What a writer in `mappings/` is given instead of reading the wall clock or making ids (`WriteMoment` there): the
 * time of writing from the clock port and UUIDs from the ids port.
 */
export function writeMomentOf(ports: { clock: Clock; ids: IdGenerator }): { now: Date; uuid: () => string } {
  return { now: ports.clock.now(), uuid: () => uuidFrom(ports.ids) };
}
