/**
 * Configuration of Europass wallet deliveries and imports, read with the rest of the gateway's
 * configuration (`config.ts`). Every variable is documented in the README ("Europass wallets").
 */

export interface WalletConfig {
  /**
   * Base URL of the Europass wallet REST API, without `/api/v1` (`GATEWAY_WALLET_URL`, e.g.
   * `https://europa.eu/europass/wallet`). Absent: deliveries and imports are refused (`upstream-failed`, 502).
   */
  url?: string;
  /** Bearer token sent with deposits when the wallet's perimeter asks for one (`GATEWAY_WALLET_TOKEN`). */
  token?: string;
  /**
   * `GATEWAY_WALLET_ALLOW_LOOPBACK=on` lets the wallet client reach a loopback address over plain HTTP: the wallet
   * emulator of local mode and tests. Never on in production; private and link-local addresses stay refused.
   */
  allowLoopback: boolean;
  /** Whole-request budget of one wallet call (`GATEWAY_WALLET_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Deposit attempts before a delivery fails and is dead-lettered (`GATEWAY_DELIVERY_MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** Exponential backoff: the n-th retry waits a random time up to `min(max, base * 2^(n-1))` (full jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Deposit attempts the local deliveries worker keeps in flight (`GATEWAY_DELIVERY_CONCURRENCY`). */
  concurrency: number;
  /** The deliveries dead-letter queue (aws mode; `GATEWAY_DELIVERIES_DLQ_URL`). */
  dlqUrl?: string;
}

type Env = Record<string, string | undefined>;

function positive(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0 || n > max) {
    throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  }
  return n;
}

/** Reads the wallet settings; throws on a malformed value, as `readConfig` does. */
export function readWalletConfig(env: Env): WalletConfig {
  const rawUrl = env.GATEWAY_WALLET_URL?.replace(/\/+$/, "") || undefined;
  if (rawUrl !== undefined) {
    if (!URL.canParse(rawUrl)) throw new Error(`GATEWAY_WALLET_URL must be an absolute URL, got "${rawUrl}"`);
    const { protocol, search, hash } = new URL(rawUrl);
    if (protocol !== "https:" && protocol !== "http:") throw new Error("GATEWAY_WALLET_URL must be http(s)");
    if (search || hash) throw new Error("GATEWAY_WALLET_URL must have no query or fragment");
  }
  const loopback = env.GATEWAY_WALLET_ALLOW_LOOPBACK ?? "off";
  if (loopback !== "on" && loopback !== "off") {
    throw new Error(`GATEWAY_WALLET_ALLOW_LOOPBACK must be "on" or "off", got "${loopback}"`);
  }
  const retryBaseMs = positive(env, "GATEWAY_DELIVERY_RETRY_BASE_MS", 2_000, 900_000);
  const retryMaxMs = positive(env, "GATEWAY_DELIVERY_RETRY_MAX_MS", 300_000, 900_000);
  if (retryMaxMs < retryBaseMs) throw new Error("GATEWAY_DELIVERY_RETRY_MAX_MS must be at least the base delay");
  return {
    ...(rawUrl ? { url: rawUrl } : {}),
    ...(env.GATEWAY_WALLET_TOKEN ? { token: env.GATEWAY_WALLET_TOKEN } : {}),
    allowLoopback: loopback === "on",
    // At most 50 s: the deliveries Lambda runs a batch of attempts within its 60 s.
    timeoutMs: positive(env, "GATEWAY_WALLET_TIMEOUT_MS", 10_000, 50_000),
    maxAttempts: positive(env, "GATEWAY_DELIVERY_MAX_ATTEMPTS", 8, 100),
    retryBaseMs,
    retryMaxMs,
    concurrency: positive(env, "GATEWAY_DELIVERY_CONCURRENCY", 16, 256),
    ...(env.GATEWAY_DELIVERIES_DLQ_URL ? { dlqUrl: env.GATEWAY_DELIVERIES_DLQ_URL } : {}),
  };
}
