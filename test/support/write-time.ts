/**
 * The clock and ids tests give writers and conversions, as the use cases give them from the kernel's ports: the
 * system clock and random ids (what the writers used to take themselves), unless a test fixes its own.
 */
import { randomIds, systemClock } from "../../functions/kernel/system.js";

/** For `convert(input, limits, time)`: the kernel's system clock and ids. */
export const SYSTEM_TIME = { clock: systemClock, ids: randomIds } as const;

/** Writer options for the time of writing now and fresh ids (ELM's `uuid`). */
export const writeNow = () => ({ now: systemClock.now(), uuid: () => randomIds.newId() });

/**
 * A fixed clock, and ids whose randomness gives the UUIDs `00000000-0000-4000-8000-000000000001`, `…02`, … (counted
 * per call of this function), for conversions whose output a test compares whole.
 */
export function fixedTime(now: Date) {
  let n = 0;
  const next = () => ++n;
  return {
    clock: { now: () => now },
    ids: {
      newId: () => `id-${next()}`,
      secret: () => Buffer.from(`00000000000040008000${String(next()).padStart(12, "0")}`, "hex").toString("base64url"),
    },
  };
}
