/**
 * Per-caller rate limiting with token buckets: each caller (a token id, or the source address of an anonymous caller)
 * has a bucket of `perMinute` requests that refills continuously. Hand-written because it is twenty lines and the
 * installed packages hold no limiter; the bucket map is bounded so that a flood of distinct callers cannot grow it
 * without limit (the least recently refilled buckets are dropped first, which only ever forgives a caller).
 *
 * In AWS the gateway relies on API Gateway's stage and route throttling instead (see SECURITY.md): a Lambda container
 * sees only a share of the traffic, so buckets held in one would not be per caller.
 */
import type { RateLimitConfig } from "../config.js";
import type { Principal } from "../core/tokens/auth.js";
import { GatewayError } from "../kernel/errors.js";

interface Bucket {
  tokens: number;
  at: number;
}

/** Most buckets kept at once. */
const MAX_BUCKETS = 10_000;

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  /** `now` is a monotonic clock in milliseconds (injected so that tests need not wait). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /**
   * Takes one request from `key`'s bucket of `perMinute`; answers how many seconds to wait when it is empty.
   * `perMinute` 0 means unlimited.
   */
  take(key: string, perMinute: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (perMinute <= 0) return { ok: true };
    const now = this.#now();
    const perMs = perMinute / 60_000;
    const bucket = this.#buckets.get(key);
    const tokens = bucket ? Math.min(perMinute, bucket.tokens + (now - bucket.at) * perMs) : perMinute;
    // Re-inserting keeps the map in least-recently-used order, so the first key is the one to drop.
    this.#buckets.delete(key);
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
    }
    this.#buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.#buckets.size > MAX_BUCKETS) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return { ok: true };
  }

  get size(): number {
    return this.#buckets.size;
  }
}

/** The quota of a principal's role; the admin is never limited. */
export function quotaOf(principal: Principal, config: RateLimitConfig): number {
  switch (principal.role) {
    case "admin":
      return 0;
    case "registry":
      return config.registryPerMinute;
    case "issuer":
      return config.issuerPerMinute;
    default:
      return config.publicPerMinute;
  }
}

/** The bucket a request is counted in: its token, or its source address when anonymous. */
export const callerKey = (principal: Principal, sourceIp: string): string =>
  principal.tokenId ? `token:${principal.tokenId}` : principal.role === "admin" ? "admin" : `ip:${sourceIp}`;

/** Counts one request of `principal`; throws `rate-limited` (429, with `retryAfterSeconds`) when over its quota. */
export function enforceRateLimit(
  buckets: TokenBuckets,
  config: RateLimitConfig,
  principal: Principal,
  sourceIp: string,
): void {
  if (!config.enabled) return;
  const result = buckets.take(callerKey(principal, sourceIp), quotaOf(principal, config));
  if (!result.ok) throw new RateLimitedError(result.retryAfterSeconds);
}

/** A 429 that knows when to come back (the `retry-after` header). */
export class RateLimitedError extends GatewayError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super("rate-limited", `too many requests from this caller; retry after ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const shared = new WeakMap<object, TokenBuckets>();

/**
 * The buckets of one gateway: one set per owner (the gateway's configuration object, which every family's
 * dependencies share), so that every family handler of the local gateway counts a caller's requests together.
 */
export function bucketsFor(owner: object): TokenBuckets {
  let buckets = shared.get(owner);
  if (!buckets) {
    buckets = new TokenBuckets();
    shared.set(owner, buckets);
  }
  return buckets;
}
