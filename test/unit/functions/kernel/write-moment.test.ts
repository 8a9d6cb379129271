import { describe, expect, it } from "vitest";
import { randomIds, systemClock } from "../../../../functions/kernel/system.js";
import { uuidFrom, writeMomentOf } from "../../../../functions/kernel/write-moment.js";

// RFC 9562 §5.4: a version 4 UUID has the version 0b0100 in bits 48–51 and the variant 0b10 in bits 64–65.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("what writers are given instead of the clock and randomness", () => {
  it("makes version 4 UUIDs from the ids port's randomness, whatever its bits", () => {
    // Prepare
    const allOnes = { newId: () => "x", secret: () => Buffer.alloc(16, 0xff).toString("base64url") };
    const allZeros = { newId: () => "x", secret: () => Buffer.alloc(16, 0).toString("base64url") };
    // Act
    const ones = uuidFrom(allOnes);
    const zeros = uuidFrom(allZeros);
    const random = uuidFrom(randomIds);
    // Assess
    expect(ones).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    expect(zeros).toBe("00000000-0000-4000-8000-000000000000");
    expect(random).toMatch(UUID_V4);
    expect(uuidFrom(randomIds)).not.toBe(random);
  });

  it("refuses randomness that is not 16 bytes", () => {
    expect(() => uuidFrom({ newId: () => "x", secret: () => "AAAA" })).toThrow(RangeError);
  });

  it("takes the time of writing from the clock port", () => {
    // Prepare
    const at = new Date("2026-01-02T03:04:05Z");
    // Act
    const moment = writeMomentOf({ clock: { now: () => at }, ids: randomIds });
    // Assess
    expect(moment.now).toBe(at);
    expect(moment.uuid()).toMatch(UUID_V4);
    expect(writeMomentOf({ clock: systemClock, ids: randomIds }).now).toBeInstanceOf(Date);
  });
});
