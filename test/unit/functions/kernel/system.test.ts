import { describe, expect, it } from "vitest";
import { randomIds } from "../../../../functions/kernel/system.js";

describe("ids and secrets from the CSPRNG", () => {
  it("hands out each random byte once, across many refills of its pool (no id repeats or overlaps another)", () => {
    // Prepare: 5,000 ids of 16 bytes and secrets of 8 and 16 bytes, interleaved (tens of 4 KiB pools' worth)
    const seen = new Set<string>();
    const chunks = new Set<string>();

    // Act
    for (let i = 0; i < 5_000; i++) {
      for (const value of [randomIds.newId(), randomIds.secret(16), randomIds.secret(8)]) {
        seen.add(value);
        // Every aligned 4-byte piece of every value: a byte range handed out twice would repeat one.
        const bytes = Buffer.from(value, "base64url");
        for (let k = 0; k + 4 <= bytes.length; k += 4) chunks.add(bytes.subarray(k, k + 4).toString("hex"));
      }
    }

    // Assess: 15,000 values, 50,000 4-byte pieces; 2^32 possible pieces, so a chance repeat is ~0.3 (birthday bound:
    // n^2 / 2^33 ≈ 0.29 expected pairs) — allow a handful, not the thousands a reused pool would give.
    expect(seen.size).toBe(15_000);
    expect(chunks.size).toBeGreaterThan(50_000 - 5);
  });

  it("gives ids of 16 bytes and secrets of the size asked, larger ones too", () => {
    // Act
    const id = Buffer.from(randomIds.newId(), "base64url");
    const big = Buffer.from(randomIds.secret(64), "base64url");
    const small = Buffer.from(randomIds.secret(1), "base64url");

    // Assess
    expect(id.length).toBe(16);
    expect(big.length).toBe(64);
    expect(small.length).toBe(1);
    expect(() => randomIds.secret(0)).toThrow(RangeError);
    expect(() => randomIds.secret(1025)).toThrow(RangeError);
  });

  it("never makes an id a command line would read as an option (a leading '-')", () => {
    // 1 base64url id in 64 begins with "-": 5,000 ids would hold about 78 of them.
    const ids = Array.from({ length: 5_000 }, () => randomIds.newId());
    expect(ids.filter((id) => id.startsWith("-"))).toEqual([]);
    expect(ids.every((id) => /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id))).toBe(true);
  });
});
