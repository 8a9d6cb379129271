/**
 * The shared signing budget's token bucket and the signer wrappers. The bucket is checked against the token bucket as
 * RFC 2697 §3.1 defines it, with a meter written here from the RFC's words, not from the code under test: "The token
 * count Tc is initially (at time 0) full, i.e., the token count Tc(0) = CBS. Thereafter, the token count Tc is
 * incremented by one CIR times per second up to CBS", and a packet of B bytes conforms when "Tc - B >= 0" (then Tc
 * is decremented by B). Every use of drawn tokens, at the time its draw said it may happen, must conform. The
 * backoff is checked against "full jitter" as the AWS Architecture Blog's "Exponential Backoff And Jitter" gives it:
 * `sleep = random_between(0, min(cap, base * 2 ** attempt))`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BucketPolicy,
  budgetedSigner,
  draw,
  grainOf,
  jobSigner,
  retryThrottled,
  SigningBudget,
} from "../../../../../functions/core/jobs/signing-budget.js";
import type { BudgetState } from "../../../../../functions/kernel/ports/index.js";

/** RFC 2697's single token bucket (CIR tokens a second, at most CBS), metering uses in time order. */
function rfc2697Conforms(uses: { at: number; n: number }[], cir: number, cbs: number): boolean {
  let tc = cbs;
  let last = 0;
  for (const use of [...uses].sort((a, b) => a.at - b.at)) {
    tc = Math.min(cbs, tc + ((use.at - last) / 1000) * cir);
    last = use.at;
    // A rounding error of floating point is not a violation.
    if (tc - use.n < -1e-6) return false;
    tc -= use.n;
  }
  return true;
}

const throttling = () =>
  Object.assign(new Error("You have exceeded the rate at which you may call KMS"), { name: "ThrottlingException" });

describe("token bucket draws", () => {
  it("every use it grants conforms to RFC 2697's bucket of the same rate and size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 400 }), n: fc.integer({ min: 1, max: 50 }) }), {
          minLength: 1,
          maxLength: 200,
        }),
        (rate, burst, requests) => {
          const policy: BucketPolicy = { rate, burst };
          let state: BudgetState | undefined;
          let now = 0;
          const uses: { at: number; n: number }[] = [];
          for (const { gap, n } of requests) {
            now += gap;
            const want = Math.min(n, burst);
            const outcome = draw(state, want, now, policy, 10_000);
            if (!outcome.granted) continue;
            state = outcome.next;
            uses.push({ at: now + outcome.waitMs, n: want });
          }
          expect(rfc2697Conforms(uses, rate, burst)).toBe(true);
        },
      ),
    );
  });

  it("does not under-grant: a drawer that always asks gets the rate (less one draw) over a long run", () => {
    const policy = { rate: 1000, burst: 25 };
    let state: BudgetState | undefined;
    let now = 0;
    let granted = 0;
    while (now < 60_000) {
      const outcome = draw(state, 25, now, policy, 5000);
      if (!outcome.granted) throw new Error("a draw right after waiting must be granted");
      state = outcome.next;
      granted += 25;
      now += outcome.waitMs;
    }
    // Tokens used by time t are at most CBS + CIR·t (RFC 2697), and a greedy drawer uses all of them.
    expect(granted).toBeGreaterThanOrEqual(1000 * 60 - 25);
    expect(granted).toBeLessThanOrEqual(1000 * 60 + 25 + 25);
  });

  it("refuses a draw whose wait would exceed the debt bound, and says when to try again", () => {
    const policy = { rate: 10, burst: 10 };
    const first = draw(undefined, 10, 0, policy, 1000);
    expect(first).toMatchObject({ granted: true, waitMs: 0 });
    const second = draw(first.granted ? first.next : undefined, 10, 0, policy, 500);
    // Ten tokens at 10/s is one second away: beyond the 500 ms bound, by 500 ms.
    expect(second).toEqual({ granted: false, retryInMs: 500 });
  });

  it("grains: a twentieth of the rate, from 1 to 25", () => {
    expect([grainOf(1), grainOf(50), grainOf(100), grainOf(900), grainOf(10_000)]).toEqual([1, 3, 5, 25, 25]);
  });
});

/** A job store's budget part in memory, with the same compare-and-swap contract. */
function memoryBudgets() {
  const states = new Map<string, BudgetState>();
  let swaps = 0;
  return {
    get swaps() {
      return swaps;
    },
    readBudget: async (name: string) => states.get(name),
    swapBudget: async (name: string, from: BudgetState | undefined, to: BudgetState) => {
      const current = states.get(name);
      if (current?.tokens !== from?.tokens || current?.at !== from?.at) return false;
      states.set(name, to);
      swaps += 1;
      return true;
    },
  };
}

describe("signers on the budget", () => {
  it("draws one grain per `grain` signatures however many lanes sign at once", async () => {
    let takes = 0;
    const signer = budgetedSigner(
      { sign: async () => new Uint8Array(64) },
      () => ({
        take: async () => {
          takes += 1;
        },
      }),
      5,
    );
    await Promise.all(Array.from({ length: 40 }, () => signer.sign("k", "EdDSA", new Uint8Array(1))));
    expect(takes).toBe(8);
  });

  it("keeps ECC and RSA in buckets of their own (KMS's two quotas)", async () => {
    const jobs = memoryBudgets();
    const signer = jobSigner(
      { sign: async () => new Uint8Array(64) },
      { jobs, now: () => 0, sleep: async () => {} },
      100,
    );
    await signer.sign("k", "ES256", new Uint8Array(1));
    await signer.sign("k", "RS256", new Uint8Array(1));
    expect([await jobs.readBudget("kms-sign-ecc"), await jobs.readBudget("kms-sign-rsa")]).toEqual([
      { tokens: 0, at: 0 },
      { tokens: 0, at: 0 },
    ]);
  });

  it("budgets sharing one store never let their uses exceed the bucket (RFC 2697), contended or not", async () => {
    const jobs = memoryBudgets();
    // Virtual time: a sleep ends at now + ms, sleepers wake in time order once every budget waits on one.
    let clock = 0;
    const sleepers: { at: number; wake: () => void }[] = [];
    const sleep = (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: clock + ms, wake });
        setImmediate(tick);
      });
    const tick = () => {
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift();
      if (!next) return;
      clock = Math.max(clock, next.at);
      next.wake();
    };
    const uses: { at: number; n: number }[] = [];
    const budgets = Array.from(
      { length: 4 },
      () =>
        new SigningBudget(
          { jobs, now: () => clock, sleep, random: () => 0.5 },
          { name: "shared", rate: 100, burst: 5, maxWaitMs: 200 },
        ),
    );
    await Promise.all(
      budgets.map(async (budget) => {
        for (let i = 0; i < 20; i++) {
          await budget.take(5);
          uses.push({ at: clock, n: 5 });
        }
      }),
    );
    // 80 draws of 5 at 100/s: 4 s of tokens (less the first, full bucket), and contention was real.
    expect(clock).toBeGreaterThanOrEqual(3950);
    expect(budgets.reduce((sum, b) => sum + b.contended, 0)).toBeGreaterThan(0);
    expect(uses).toHaveLength(80);
    expect(rfc2697Conforms(uses, 100, 5)).toBe(true);
  });
});

describe("throttled signatures", () => {
  it("are retried with full-jitter backoff until one succeeds", async () => {
    let calls = 0;
    const sleeps: number[] = [];
    let now = 0;
    const signer = retryThrottled(
      {
        sign: async () => {
          calls += 1;
          if (calls <= 5) throw throttling();
          return new Uint8Array([1]);
        },
      },
      {
        baseMs: 10,
        capMs: 100,
        random: () => 0.999,
        now: () => now,
        sleep: async (ms) => {
          sleeps.push(ms);
          now += ms;
        },
      },
    );
    expect(await signer.sign("k", "EdDSA", new Uint8Array(1))).toEqual(new Uint8Array([1]));
    expect(calls).toBe(6);
    // random_between(0, min(cap, base * 2 ** attempt)) for attempts 0..4: ceilings 10, 20, 40, 80, 100.
    const ceilings = [10, 20, 40, 80, 100];
    sleeps.forEach((ms, attempt) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(ceilings[attempt] as number);
      expect(ms).toBeGreaterThan((ceilings[attempt] as number) * 0.99);
    });
  });

  it("give up after the time allowed, with the throttling error (the chunk is retried, not the row failed)", async () => {
    let now = 0;
    const signer = retryThrottled(
      {
        sign: async () => {
          throw throttling();
        },
      },
      {
        maxElapsedMs: 1000,
        now: () => now,
        sleep: async (ms) => {
          now += ms + 100;
        },
      },
    );
    await expect(signer.sign("k", "EdDSA", new Uint8Array(1))).rejects.toMatchObject({ name: "ThrottlingException" });
  });

  it("other errors are not retried", async () => {
    let calls = 0;
    const signer = retryThrottled(
      {
        sign: async () => {
          calls += 1;
          throw Object.assign(new Error("no such key"), { name: "NotFoundException" });
        },
      },
      { now: () => 0, sleep: async () => {} },
    );
    await expect(signer.sign("k", "EdDSA", new Uint8Array(1))).rejects.toMatchObject({ name: "NotFoundException" });
    expect(calls).toBe(1);
  });
});
