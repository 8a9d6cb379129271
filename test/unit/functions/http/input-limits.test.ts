import { describe, expect, it } from "vitest";
import { checkInputValues, yearOf } from "../../../../functions/http/input-limits.js";
import { TokenBuckets } from "../../../../functions/http/rate-limit.js";

const LIMITS = { maxStringChars: 100, minYear: 1900, maxYear: 2200 };

describe("checkInputValues", () => {
  it.each([
    ["validFrom", "1899-12-31T00:00:00Z", 1899],
    ["validUntil", "+275760-09-13T00:00:00Z", 275760],
    ["issuanceDate", "-000001-01-01", -1],
    ["expirationDate", "2201-01-01", 2201],
  ])("refuses %s %s with 400 naming the field", (key, value, year) => {
    // Prepare
    const body = { credential: { nested: [{ [key]: value }] } };

    // Act
    const act = () => checkInputValues(body, LIMITS, "/body");

    // Assess
    expect(act).toThrow(expect.objectContaining({ code: "validation-failed", message: `${key} has the year ${year}` }));
    try {
      act();
    } catch (e) {
      expect((e as { issues: { pointer: string }[] }).issues[0]?.pointer).toBe(`/body/credential/nested/0/${key}`);
    }
  });

  it("accepts dates within the range and leaves other keys' strings alone", () => {
    // Act
    const act = () =>
      checkInputValues(
        { validFrom: "1900-01-01", validUntil: "2200-12-31T23:59:59Z", name: "1066-10-14 Hastings" },
        LIMITS,
        "/body",
      );

    // Assess
    expect(act).not.toThrow();
  });

  it("refuses a string longer than the limit, naming it, but not the top-level document", () => {
    // Prepare
    const long = "x".repeat(101);

    // Act
    const nested = () => checkInputValues({ credential: { name: long } }, LIMITS, "/body");
    const document = () => checkInputValues({ document: long }, LIMITS, "/body");

    // Assess
    expect(nested).toThrow(
      expect.objectContaining({
        code: "limit-exceeded",
        issues: [expect.objectContaining({ pointer: "/body/credential/name" })],
      }),
    );
    expect(document).not.toThrow();
  });

  it("reads the year of ISO dates, expanded years included, and nothing from other strings", () => {
    expect(yearOf("2024-02-29")).toBe(2024);
    expect(yearOf("+010000-01-01T00:00:00Z")).toBe(10000);
    expect(yearOf("yesterday")).toBeUndefined();
  });
});

describe("TokenBuckets", () => {
  it("allows a minute's quota at once, then refills one request per 60/quota seconds", () => {
    // Prepare
    let now = 0;
    const buckets = new TokenBuckets(() => now);

    // Act
    const burst = Array.from({ length: 4 }, () => buckets.take("a", 3).ok);
    now += 20_000;
    const refilled = buckets.take("a", 3).ok;
    const again = buckets.take("a", 3);

    // Assess
    expect(burst).toEqual([true, true, true, false]);
    expect(refilled).toBe(true);
    expect(again).toEqual({ ok: false, retryAfterSeconds: 20 });
  });

  it("keeps callers apart and treats a quota of 0 as unlimited", () => {
    // Prepare
    const buckets = new TokenBuckets(() => 0);

    // Act
    buckets.take("a", 1);
    const other = buckets.take("b", 1).ok;
    const unlimited = Array.from({ length: 100 }, () => buckets.take("c", 0).ok);

    // Assess
    expect(other).toBe(true);
    expect(unlimited.every(Boolean)).toBe(true);
  });

  it("holds a bounded number of buckets however many callers there are", () => {
    // Prepare
    const buckets = new TokenBuckets(() => 0);

    // Act
    for (let i = 0; i < 12_000; i++) buckets.take(`ip:${i}`, 10);

    // Assess
    expect(buckets.size).toBe(10_000);
  });
});

describe("loggableError", () => {
  it("keeps an unexpected error's class and frames but never its message, which may quote input", async () => {
    // Prepare
    const { loggableError } = await import("../../../../functions/http/family.js");
    let error: unknown;
    try {
      JSON.parse('{"name": "Zyxwanda Quillbrook", broken');
    } catch (e) {
      error = new Error("wrapped", { cause: e });
    }

    // Act
    const logged = JSON.stringify(loggableError(error));

    // Assess
    expect(logged).not.toContain("Zyxwanda");
    expect(logged).not.toContain("wrapped");
    expect(JSON.parse(logged)).toMatchObject({ name: "Error", cause: { name: "SyntaxError" } });
    expect(logged).toContain("input-limits.test.ts");
  });
});
