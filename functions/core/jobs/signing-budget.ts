/**
 * The bulk-job workers' shared signing budget. On AWS the ceiling of a bulk job is not CPU but KMS: asymmetric
 * `Sign` shares one per-account, per-Region request quota across every caller, and a burst beyond it is answered
 * with `ThrottlingException`. So the workers draw signatures from one token bucket (`rate` tokens a second, holding
 * at most `burst`), kept as one item in the job store: several Lambdas, each with its own {@link SigningBudget},
 * share it through conditional writes. A throttled `Sign` that still happens (other callers of the quota, a burst
 * KMS counts differently) is retried with jittered backoff ({@link retryThrottled}), never made a failed row.
 *
 * The bucket lets a draw go into debt: a worker takes `n` tokens at once and waits until the bucket would have held
 * them (`-tokens / rate`), so one conditional write serves a whole draw and workers queue up in the order they drew
 * instead of polling. A draw that would wait longer than `maxWaitMs` takes nothing and is tried again later, which
 * bounds the debt (and so how long a worker that dies after drawing keeps the others waiting).
 */
import type { BudgetState, JobStore, SignatureAlgorithm, SignContext, Signer } from "../../kernel/ports/index.js";

/** The bucket's rate (tokens per second) and size (most tokens held: the largest burst). */
export interface BucketPolicy {
  rate: number;
  burst: number;
}

/** A draw's outcome: granted (the new state, and how long to wait before using the tokens) or not yet. */
export type Draw = { granted: true; next: BudgetState; waitMs: number } | { granted: false; retryInMs: number };

/** The state at `now`: the tokens accrued since the last update added, up to `burst`. A new bucket is full. */
export function refill(state: BudgetState | undefined, now: number, policy: BucketPolicy): BudgetState {
  if (state === undefined) return { tokens: policy.burst, at: now };
  // A clock that runs behind the stored one (another machine's) accrues nothing rather than taking tokens back.
  const elapsed = Math.max(0, now - state.at);
  return { tokens: Math.min(policy.burst, state.tokens + (elapsed * policy.rate) / 1000), at: Math.max(now, state.at) };
}

/** Takes `n` tokens at `now`, into debt if need be, unless the wait that would mean exceeds `maxWaitMs`. */
export function draw(
  state: BudgetState | undefined,
  n: number,
  now: number,
  policy: BucketPolicy,
  maxWaitMs: number,
): Draw {
  const current = refill(state, now, policy);
  const tokens = current.tokens - n;
  const waitMs = tokens >= 0 ? 0 : (-tokens / policy.rate) * 1000;
  if (waitMs > maxWaitMs) return { granted: false, retryInMs: waitMs - maxWaitMs };
  return { granted: true, next: { tokens, at: current.at }, waitMs };
}

/** What a {@link SigningBudget} runs on: the store holding the bucket, time, and randomness for its jitter. */
export interface BudgetDeps {
  jobs: Pick<JobStore, "readBudget" | "swapBudget">;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface SigningBudgetOptions extends BucketPolicy {
  /** The bucket's name in the store: every worker naming it shares it. */
  name: string;
  /** Longest wait a draw may take on (debt bound); default {@link DEFAULT_MAX_WAIT_MS}. */
  maxWaitMs?: number;
}

/** Longest wait a draw takes on: a few seconds of debt at most. */
export const DEFAULT_MAX_WAIT_MS = 5000;

/** One process's handle on the shared bucket. */
export class SigningBudget {
  /** Conditional writes that lost to another worker's (each is tried again at once with the new state). */
  contended = 0;

  constructor(
    private readonly deps: BudgetDeps,
    private readonly options: SigningBudgetOptions,
  ) {
    if (!(options.rate > 0) || !(options.burst >= 1)) throw new Error("a signing budget needs rate > 0 and burst >= 1");
  }

  /** Resolves when `n` tokens (at most `burst`) are this caller's to use. */
  async take(n: number): Promise<void> {
    const maxWaitMs = this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    const want = Math.min(n, this.options.burst);
    for (;;) {
      const state = await this.deps.jobs.readBudget(this.options.name);
      const outcome = draw(state, want, this.deps.now(), this.options, maxWaitMs);
      if (!outcome.granted) {
        await this.deps.sleep(outcome.retryInMs + jitter(this.deps, 50));
        continue;
      }
      if (await this.deps.jobs.swapBudget(this.options.name, state, outcome.next)) {
        if (outcome.waitMs > 0) await this.deps.sleep(outcome.waitMs);
        return;
      }
      this.contended += 1;
    }
  }
}

const jitter = (deps: Pick<BudgetDeps, "random">, ms: number) => (deps.random ?? Math.random)() * ms;

/** KMS's request quotas by key family: ECC keys (Ed25519, P-256) share one, RSA keys another. */
export type QuotaFamily = "ecc" | "rsa";

export const QUOTA_FAMILY: Record<SignatureAlgorithm, QuotaFamily> = {
  EdDSA: "ecc",
  ES256: "ecc",
  RS256: "rsa",
  PS256: "rsa",
};

/**
 * A signer that draws each signature from the budget of its algorithm's quota family, `grain` at a time: one store
 * write per `grain` signatures, however many lanes sign at once. Tokens left when a chunk ends serve the next one in
 * this process.
 */
export function budgetedSigner(
  signer: Signer,
  budgetOf: (family: QuotaFamily) => Pick<SigningBudget, "take">,
  grain: number,
): Signer {
  const leases = new Map<QuotaFamily, { have: number; pending?: Promise<void> }>();
  const one = async (family: QuotaFamily): Promise<void> => {
    let lease = leases.get(family);
    if (lease === undefined) {
      lease = { have: 0 };
      leases.set(family, lease);
    }
    const held = lease;
    while (held.have <= 0) {
      held.pending ??= budgetOf(family)
        .take(grain)
        .then(() => {
          held.have += grain;
        })
        .finally(() => {
          held.pending = undefined;
        });
      await held.pending;
    }
    held.have -= 1;
  };
  return {
    sign: async (keyRef: string, alg: SignatureAlgorithm, data: Uint8Array, context?: SignContext) => {
      await one(QUOTA_FAMILY[alg] ?? "ecc");
      return signer.sign(keyRef, alg, data, context);
    },
  };
}

/**
 * Signatures drawn from the shared bucket at once: a twentieth of the rate (20 store writes a second), from 1 to 25.
 * The bucket holds one draw at most, so in any one second the workers sign at most `rate + grain`: a draw's worth
 * above the rate, which KMS may throttle (retried) when the rate is set at the quota itself.
 */
export const grainOf = (rate: number): number => Math.max(1, Math.min(25, Math.round(rate / 20)));

/**
 * The signer bulk-job workers use: throttled signatures retried, and (with a `rate`) every signature drawn from the
 * shared budget of its quota family, `kms-sign-ecc` or `kms-sign-rsa` in the job store, `rate` a second each.
 */
export function jobSigner(
  signer: Signer,
  deps: BudgetDeps & { onThrottled?: () => void },
  rate: number | undefined,
): Signer {
  const retrying = retryThrottled(signer, {
    sleep: deps.sleep,
    now: deps.now,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.onThrottled ? { onThrottled: deps.onThrottled } : {}),
  });
  if (rate === undefined) return retrying;
  const grain = grainOf(rate);
  const budgets = new Map<QuotaFamily, SigningBudget>();
  const budgetOf = (family: QuotaFamily): SigningBudget => {
    let budget = budgets.get(family);
    if (budget === undefined) {
      budget = new SigningBudget(deps, { name: `kms-sign-${family}`, rate, burst: grain });
      budgets.set(family, budget);
    }
    return budget;
  };
  return budgetedSigner(retrying, budgetOf, grain);
}

/** How throttled calls are retried: exponential backoff with full jitter, for at most `maxElapsedMs`. */
export interface ThrottleRetry {
  baseMs?: number;
  capMs?: number;
  maxElapsedMs?: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random?: () => number;
  /** Called with each throttled attempt (counts for the bench and the tests). */
  onThrottled?: () => void;
}

/** KMS's answer to a request beyond its quota (HTTP 400 `ThrottlingException`). */
export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "ThrottlingException" || error.name === "TooManyRequestsException";
}

/** Longest time a throttled signature is retried before the chunk itself is left to be retried. */
export const DEFAULT_THROTTLE_RETRY_MS = 120_000;

/**
 * A signer that retries `ThrottlingException` with "full jitter" backoff (a random wait up to base × 2^attempt,
 * capped), so that throttled workers spread out instead of retrying in step. After `maxElapsedMs` it gives up with
 * the error, which fails the chunk (redelivered later), never the row.
 */
export function retryThrottled(signer: Signer, retry: ThrottleRetry): Signer {
  const baseMs = retry.baseMs ?? 25;
  const capMs = retry.capMs ?? 2000;
  const maxElapsedMs = retry.maxElapsedMs ?? DEFAULT_THROTTLE_RETRY_MS;
  return {
    sign: async (keyRef, alg, data, context) => {
      const started = retry.now();
      for (let attempt = 0; ; attempt++) {
        try {
          return await signer.sign(keyRef, alg, data, context);
        } catch (error) {
          if (!isThrottling(error) || retry.now() - started >= maxElapsedMs) throw error;
          retry.onThrottled?.();
          const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
          await retry.sleep((retry.random ?? Math.random)() * ceiling);
        }
      }
    },
  };
}
