/**
 * A Europass (EDC) wallet emulator for local mode and tests: an HTTP server on 127.0.0.1 that behaves as the wallet
 * REST API documented in `../research/elm.md` §4.2.
 * - `POST /api/v1/wallets/{userId}/credentials` and `POST /api/v1/wallets/email/{email}/credentials` take a
 *   multipart part `_credential` (query `sendEmail`, default true). The file must be a sealed EDC: a JAdES envelope
 *   whose payload is a `EuropeanDigitalCredential`, with the `format` and `proof` checks of the gateway's own
 *   verification use case passing (the wallet requires every signature valid and the SHACL shapes met) — else 400.
 *   No wallet with that user id: 404. A credential whose `id` the wallet holds already: 409. By e-mail, a temporary
 *   wallet `Temp_{10 chars}` is created for an unknown address.
 * - `POST /api/v1/wallets` `{userId, userEmail}` creates a wallet; owners read with a bearer token:
 *   `GET /api/v1/wallets/{userId}/credentials[/{uuid}]`, and `POST …/credentials/{uuid}/sharelink`
 *   `{expirationDate}` answers a `shareHash` (16 alphanumerics).
 * - Share links are public: `GET /api/v1/sharelinks/{hash}` (the link) and `/api/v1/sharelinks/{hash}/credentials`
 *   (the credential download).
 *
 * Fault injection (per request, from a seeded generator so runs repeat): `failRate` answers 503 before doing
 * anything; `timeoutRate` does the work (a deposit is stored) and never answers — the client's timeout fires and the
 * response is lost, as when a network drops an answer; `slowRate` answers after `slowMs`.
 *
 * EU Login (OIDC) is out of scope: the emulator gives each wallet an opaque bearer token.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type VerifyDeps, verifyCredential } from "../core/verify/verify.js";
import type { JsonLimits } from "../kernel/json.js";
import { systemClock } from "../kernel/system.js";

export interface WalletFaults {
  /** Share of requests answered 503 without doing anything. */
  failRate?: number;
  /** Share of requests done but never answered (the connection is dropped after `hangMs`). */
  timeoutRate?: number;
  /** Share of requests answered after `slowMs`. */
  slowRate?: number;
  slowMs?: number;
  hangMs?: number;
  /** Faults for the next requests, in order, before the rates apply again (`ok` lets one through). */
  script?: ("fail" | "timeout" | "slow" | "ok")[];
}

export interface WalletEmulatorOptions {
  port?: number;
  faults?: WalletFaults;
  /** Seed of the fault generator. Default: random. */
  seed?: number;
  /** Largest request body. Default 5 MiB. */
  maxBodyBytes?: number;
  /** The seal and structure check: by default the gateway's verification with no registered issuers. */
  verify?: (file: unknown) => Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** A credential held by the emulated wallet. */
export interface HeldCredential {
  uuid: string;
  walletId: string;
  /** The credential's own `id` (from the sealed payload). */
  credentialId: string;
  /** The file as deposited. */
  file: string;
  depositedAt: string;
}

export interface WalletStats {
  requests: number;
  deposits: number;
  failed: number;
  timedOut: number;
  slow: number;
  duplicates: number;
  rejected: number;
  emailsSent: number;
}

export interface WalletEmulator {
  /** Base URL (the gateway's `GATEWAY_WALLET_URL`). */
  url: string;
  /** Creates a wallet; answers its owner's bearer token. */
  createWallet(userId: string, email?: string): { userId: string; token: string };
  /** Every credential held, in deposit order. */
  held(): HeldCredential[];
  stats(): WalletStats;
  setFaults(faults: WalletFaults): void;
  /** Creates a share link for a held credential; answers its hash. */
  shareLink(uuid: string, expiresAt?: Date): string;
  close(): Promise<void>;
}

interface Wallet {
  userId: string;
  email?: string;
  token: string;
  credentials: Map<string, HeldCredential>;
}

/** Limits of the default verification (the gateway's own defaults). */
const LIMITS: JsonLimits = { maxJsonDepth: 64, maxJsonKeys: 100_000 };
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** mulberry32: a small seeded generator, so a fault pattern can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function alphanumerics(n: number): string {
  return [...randomBytes(n)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
}

/**
 * The gateway's verification (`functions/core/verify/verify.ts`) as the wallet's seal and structure check: a sealed EDC
 * whose `format` and `proof` checks pass. The store is empty (the wallet knows no gateway issuers) and trust is not
 * required: EDC wallets accept advanced seals too.
 */
export function gatewaySealCheck(limits: JsonLimits = LIMITS): NonNullable<WalletEmulatorOptions["verify"]> {
  const deps: VerifyDeps = {
    store: { getIssuer: async () => undefined, listIssuers: async () => ({ items: [] }) },
    clock: systemClock,
    publicUrl: "http://wallet-emulator.invalid",
    limits,
  };
  return async (file) => {
    const envelope = file as Record<string, unknown> | null;
    if (typeof envelope?.payload !== "string" || !Array.isArray(envelope.signatures)) {
      return { ok: false, reason: "the credential is not sealed (a JAdES envelope is expected)" };
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(envelope.payload);
    } catch {
      return { ok: false, reason: "the sealed payload is not JSON" };
    }
    const types = Array.isArray(payload.type) ? payload.type : [payload.type];
    if (!types.includes("EuropeanDigitalCredential")) return { ok: false, reason: "not a European Digital Credential" };
    let result: Awaited<ReturnType<typeof verifyCredential>>;
    try {
      result = await verifyCredential(deps, { verifiableCredential: file });
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : "not a credential" };
    }
    const failed = result.checks.filter((c) => (c.check === "format" || c.check === "proof") && c.status !== "ok");
    if (failed.length > 0) return { ok: false, reason: failed.map((c) => `${c.check}: ${c.detail}`).join("; ") };
    return { ok: true };
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new HttpError(413, "the request is too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Starts the emulator on 127.0.0.1. */
export async function startWalletEmulator(options: WalletEmulatorOptions = {}): Promise<WalletEmulator> {
  let faults: WalletFaults = { ...options.faults, script: [...(options.faults?.script ?? [])] };
  const random = seeded(options.seed ?? randomBytes(4).readUInt32LE(0));
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const check = options.verify ?? gatewaySealCheck();
  const wallets = new Map<string, Wallet>();
  const byEmail = new Map<string, Wallet>();
  const byUuid = new Map<string, HeldCredential>();
  const shares = new Map<string, { uuid: string; expiresAt: number }>();
  const order: HeldCredential[] = [];
  const stats: WalletStats = {
    requests: 0,
    deposits: 0,
    failed: 0,
    timedOut: 0,
    slow: 0,
    duplicates: 0,
    rejected: 0,
    emailsSent: 0,
  };

  const createWallet = (userId: string, email?: string): Wallet => {
    if (wallets.has(userId)) throw new HttpError(409, "a wallet with this user id exists");
    const wallet: Wallet = { userId, token: alphanumerics(32), credentials: new Map() };
    if (email) {
      wallet.email = email.toLowerCase();
      byEmail.set(wallet.email, wallet);
    }
    wallets.set(userId, wallet);
    return wallet;
  };

  const owned = (req: IncomingMessage, userId: string): Wallet => {
    const wallet = wallets.get(userId);
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!token) throw new HttpError(401, "a bearer token is required");
    if (!wallet || wallet.token !== token) throw new HttpError(403, "not this wallet's owner");
    return wallet;
  };

  const deposit = async (req: IncomingMessage, wallet: Wallet, sendEmail: boolean) => {
    const body = await readBody(req, maxBodyBytes);
    const contentType = req.headers["content-type"] ?? "";
    if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
      throw new HttpError(400, "the credential must be sent as multipart/form-data");
    }
    let form: FormData;
    try {
      // The platform's multipart parser (undici), as the client side uses its writer.
      form = await new Request("http://wallet.invalid/", {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      }).formData();
    } catch {
      throw new HttpError(400, "the multipart body could not be read");
    }
    if (form.has("_credentialXML")) throw new HttpError(400, "XML credentials need the conversion service");
    const part = form.get("_credential");
    if (part === null) throw new HttpError(400, "the part _credential is missing");
    const text = typeof part === "string" ? part : await part.text();
    let file: unknown;
    try {
      file = JSON.parse(text);
    } catch {
      throw new HttpError(400, "the credential is not a valid EDC (not JSON)");
    }
    const verdict = await check(file);
    if (!verdict.ok) {
      stats.rejected += 1;
      throw new HttpError(400, `the credential is not a valid sealed EDC: ${verdict.reason}`);
    }
    const credentialId = String(JSON.parse((file as { payload: string }).payload).id ?? "");
    if (!credentialId) throw new HttpError(400, "the credential has no id");
    // Checked and stored in one turn of the event loop: concurrent deposits of one credential cannot both pass.
    if ([...wallet.credentials.values()].some((c) => c.credentialId === credentialId)) {
      stats.duplicates += 1;
      throw new HttpError(409, "the wallet already holds a credential with this id");
    }
    const held: HeldCredential = {
      uuid: randomUUID(),
      walletId: wallet.userId,
      credentialId,
      file: text,
      depositedAt: new Date().toISOString(),
    };
    wallet.credentials.set(held.uuid, held);
    byUuid.set(held.uuid, held);
    order.push(held);
    stats.deposits += 1;
    if (sendEmail && wallet.email) stats.emailsSent += 1;
    return { status: 201, body: { uuid: held.uuid, credentialId, walletId: wallet.userId } };
  };

  const shareLink = (uuid: string, expiresAt = new Date(Date.now() + 24 * 3600_000)): string => {
    if (!byUuid.has(uuid)) throw new HttpError(404, "no such credential");
    const hash = alphanumerics(16);
    shares.set(hash, { uuid, expiresAt: expiresAt.getTime() });
    return hash;
  };

  const shared = (hash: string): HeldCredential => {
    const share = shares.get(hash);
    const held = share && share.expiresAt > Date.now() ? byUuid.get(share.uuid) : undefined;
    if (!held) throw new HttpError(404, "no such share link, or it expired");
    return held;
  };

  type Answer = { status: number; body?: unknown; text?: string };
  const route = async (req: IncomingMessage, url: URL): Promise<Answer> => {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "api" || parts[1] !== "v1") throw new HttpError(404, "not found");
    const [, , root, a, b, c, d] = parts;
    const method = req.method ?? "GET";
    const sendEmail = url.searchParams.get("sendEmail") !== "false";
    if (root === "wallets" && a === undefined && method === "POST") {
      const input = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8") || "{}");
      if (typeof input.userId !== "string" || !input.userId) throw new HttpError(400, "userId is required");
      const wallet = createWallet(input.userId, typeof input.userEmail === "string" ? input.userEmail : undefined);
      return { status: 201, body: { userId: wallet.userId, accessToken: wallet.token } };
    }
    if (root === "wallets" && a === "email" && b && c === "credentials" && d === undefined && method === "POST") {
      const email = b.toLowerCase();
      const wallet = byEmail.get(email) ?? createWallet(`Temp_${alphanumerics(10)}`, email);
      return deposit(req, wallet, sendEmail);
    }
    if (root === "wallets" && a && b === "credentials") {
      if (c === undefined && method === "POST") {
        const wallet = wallets.get(a);
        if (!wallet) throw new HttpError(404, "no wallet with this user id");
        return deposit(req, wallet, sendEmail);
      }
      const wallet = owned(req, a);
      if (c === undefined && method === "GET") {
        return {
          status: 200,
          body: [...wallet.credentials.values()].map((h) => ({ uuid: h.uuid, credentialId: h.credentialId })),
        };
      }
      const held = c ? wallet.credentials.get(c) : undefined;
      if (!held) throw new HttpError(404, "no such credential in this wallet");
      if (d === undefined && method === "GET") return { status: 200, text: held.file };
      if (d === "sharelink" && method === "POST") {
        const input = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8") || "{}");
        const until = typeof input.expirationDate === "string" ? new Date(input.expirationDate) : undefined;
        if (until && Number.isNaN(until.getTime())) throw new HttpError(400, "expirationDate is not a date");
        return { status: 200, body: { shareHash: shareLink(held.uuid, until) } };
      }
    }
    if (root === "sharelinks" && a && method === "GET") {
      const held = shared(a);
      if (b === undefined) return { status: 200, body: { shareHash: a, credential: { uuid: held.uuid } } };
      if (b === "credentials" && c === undefined) return { status: 200, text: held.file };
    }
    throw new HttpError(404, "not found");
  };

  const respond = (res: ServerResponse, answer: Answer) => {
    const text = answer.text ?? JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(text);
  };

  const server = createServer((req, res) => {
    stats.requests += 1;
    const scripted = faults.script?.shift();
    const roll = scripted === undefined ? random() : 1;
    const failRate = faults.failRate ?? 0;
    const timeoutRate = faults.timeoutRate ?? 0;
    const slowRate = faults.slowRate ?? 0;
    if (scripted === "fail" || roll < failRate) {
      stats.failed += 1;
      req.resume();
      respond(res, { status: 503, body: { message: "Service Unavailable (injected)" } });
      return;
    }
    const hang = scripted === "timeout" || roll < failRate + timeoutRate;
    const slow = scripted === "slow" || (!hang && roll < failRate + timeoutRate + slowRate);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    void (async () => {
      let answer: Answer;
      try {
        answer = await route(req, url);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 400;
        answer = { status, body: { status, message: error instanceof Error ? error.message : "bad request" } };
      }
      if (hang) {
        // The work is done, the answer is lost.
        stats.timedOut += 1;
        setTimeout(() => res.destroy(), faults.hangMs ?? 30_000).unref();
        return;
      }
      if (slow) {
        stats.slow += 1;
        await new Promise((r) => setTimeout(r, faults.slowMs ?? 1_000));
      }
      respond(res, answer);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    createWallet: (userId, email) => {
      const wallet = createWallet(userId, email);
      return { userId: wallet.userId, token: wallet.token };
    },
    held: () => [...order],
    stats: () => ({ ...stats }),
    setFaults: (next) => {
      faults = { ...next, ...(next.script ? { script: [...next.script] } : {}) };
    },
    shareLink: (uuid, expiresAt) => shareLink(uuid, expiresAt),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads a rate (0..1) from the environment. */
function rate(name: string): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? 0 : Number(raw);
  if (!(n >= 0 && n <= 1)) throw new Error(`${name} must be a number from 0 to 1`);
  return n;
}

async function main(): Promise<void> {
  const emulator = await startWalletEmulator({
    port: Number(process.env.WALLET_EMULATOR_PORT ?? 0),
    faults: {
      failRate: rate("WALLET_EMULATOR_FAIL_RATE"),
      timeoutRate: rate("WALLET_EMULATOR_TIMEOUT_RATE"),
      slowRate: rate("WALLET_EMULATOR_SLOW_RATE"),
      slowMs: Number(process.env.WALLET_EMULATOR_SLOW_MS ?? 1000),
      hangMs: Number(process.env.WALLET_EMULATOR_HANG_MS ?? 30000),
    },
  });
  console.log(`Europass wallet emulator listening on ${emulator.url}`);
  console.log(`run the gateway with GATEWAY_WALLET_URL=${emulator.url} GATEWAY_WALLET_ALLOW_LOOPBACK=on`);
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1]?.endsWith("functions/local/wallet-emulator.ts")) {
  main().catch((error: unknown) => {
    console.error("the wallet emulator failed to start:", error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
