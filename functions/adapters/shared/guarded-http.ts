/**
 * The {@link OutboundHttp} port for both modes: GET a JSON document from a public HTTPS host, refusing what a
 * server-side fetch of a caller-chosen URL must refuse (SSRF). The host name is resolved with node:dns and every
 * address is checked — loopback, private (RFC 1918, unique-local), link-local (cloud instance metadata lives there),
 * CGNAT, multicast and reserved ranges are refused — and the connection is then made to the checked address only,
 * so a second DNS answer cannot swap it (DNS rebinding). Redirects are not followed. Time and size are bounded, and
 * answers are kept in a small in-memory cache. Built only when `GATEWAY_OUTBOUND_HTTP=on`.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import type {
  OutboundHttp,
  OutboundRequest,
  OutboundRequester,
  OutboundRequestOptions,
  OutboundResponse,
} from "../../kernel/ports/index.js";

export interface GuardedHttpOptions {
  /** Allow `http:` URLs (tests, or a gateway behind a trusted proxy). Default false: HTTPS only. */
  allowHttp?: boolean;
  /** Allow loopback destinations (tests only). Default false. */
  allowLoopback?: boolean;
  /** Defaults of each request. */
  timeoutMs?: number;
  maxBytes?: number;
  /** How long an answer is reused, and how many are kept. */
  cacheTtlMs?: number;
  cacheEntries?: number;
  /** Name resolution (tests inject one); default node:dns `lookup` with `all: true`. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  now?: () => number;
}

/** Ranges no outbound request may reach. */
function refusedRanges(allowLoopback: boolean): BlockList {
  const list = new BlockList();
  const v4: [string, number][] = [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.0.2.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, "ipv4");
  const v6: [string, number][] = [
    ["::", 128],
    ["64:ff9b::", 96],
    ["100::", 64],
    ["2001:db8::", 32],
    ["fc00::", 7],
    ["fe80::", 10],
    ["fec0::", 10],
    ["ff00::", 8],
  ];
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, "ipv6");
  if (!allowLoopback) {
    list.addSubnet("127.0.0.0", 8, "ipv4");
    list.addAddress("::1", "ipv6");
  }
  return list;
}

/** Why an address may not be reached, or undefined when it may. IPv4-mapped IPv6 addresses are judged as IPv4. */
export function refusalOf(address: string, options: { allowLoopback?: boolean } = {}): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip);
  if (family === 0) return `${address} is not an IP address`;
  const loopback = family === 4 ? ip.startsWith("127.") : ip === "::1";
  if (loopback && !options.allowLoopback) return `${address} is a loopback address`;
  if (refusedRanges(options.allowLoopback ?? false).check(ip, family === 4 ? "ipv4" : "ipv6")) {
    return `${address} is a private, link-local or reserved address`;
  }
  return undefined;
}

/** A lookup that answers the address already checked, whatever the resolver would say now (DNS rebinding). */
function pinnedLookup(pinned: { address: string; family: number }): LookupFunction {
  return (_host, opts, callback) => {
    if (opts.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * Reads an answer's body up to `maxBytes`, refusing a larger declared length before reading and a longer body as
 * it streams (the answer is destroyed and `reject` gets `tooLarge`); `done` gets the body as UTF-8 text. False when
 * the declared length was refused already (nothing more is listened to).
 */
function readBounded(
  res: IncomingMessage,
  maxBytes: number,
  tooLarge: string,
  reject: (error: Error) => void,
  done: (body: string) => void,
): boolean {
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    reject(new Error(tooLarge));
    return false;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      reject(new Error(tooLarge));
      return;
    }
    chunks.push(chunk);
  });
  res.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
  return true;
}

/** The guard refused a destination (scheme, credentials in the URL, a refused address): retrying cannot help. */
export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefused";
  }
}

export class GuardedHttp implements OutboundHttp, OutboundRequester {
  readonly #options: Required<Omit<GuardedHttpOptions, "resolve" | "now">>;
  readonly #resolve: NonNullable<GuardedHttpOptions["resolve"]>;
  readonly #now: () => number;
  readonly #cache = new Map<string, { expires: number; value: unknown }>();

  constructor(options: GuardedHttpOptions = {}) {
    this.#options = {
      allowHttp: options.allowHttp ?? false,
      allowLoopback: options.allowLoopback ?? false,
      timeoutMs: options.timeoutMs ?? 5_000,
      maxBytes: options.maxBytes ?? 256 * 1024,
      cacheTtlMs: options.cacheTtlMs ?? 5 * 60_000,
      cacheEntries: options.cacheEntries ?? 200,
    };
    this.#resolve = options.resolve ?? ((host) => dnsLookup(host, { all: true, verbatim: true }));
    this.#now = options.now ?? Date.now;
  }

  async fetchJson(url: string, options: OutboundRequestOptions = {}): Promise<unknown> {
    const cached = this.#cache.get(url);
    if (cached && cached.expires > this.#now()) return structuredClone(cached.value);
    const { timeoutMs, maxBytes } = this.#limitsOf(options);
    const target = this.#checkUrl(url);
    const signal = AbortSignal.timeout(timeoutMs);
    const address = await this.#checkedAddress(target.hostname.replace(/^\[|\]$/g, ""), signal);
    const body = await this.#get(target, address, maxBytes, signal);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new Error(`${url} did not answer JSON`);
    }
    this.#remember(url, value);
    return structuredClone(value);
  }

  /**
   * Any-method exchange under the same guard as {@link fetchJson} (used by the Europass wallet client): the answer is
   * returned whatever its status, never cached, and no error message names the URL (it may hold an e-mail address).
   */
  async request(request: OutboundRequest, options: OutboundRequestOptions = {}): Promise<OutboundResponse> {
    const { timeoutMs, maxBytes } = this.#limitsOf(options);
    let target: URL;
    let address: { address: string; family: number };
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      target = this.#checkUrl(request.url);
    } catch (error) {
      throw new OutboundRefused(error instanceof Error ? error.message : String(error));
    }
    try {
      address = await this.#checkedAddress(target.hostname.replace(/^\[|\]$/g, ""), signal);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A refused address is for good; a failed or slow name resolution may pass next time.
      if (message.startsWith("refused:")) throw new OutboundRefused(message);
      throw new Error(signal.aborted ? "resolving the host timed out" : "resolving the host failed");
    }
    return this.#exchange(target, address, request, maxBytes, signal);
  }

  #exchange(
    target: URL,
    pinned: { address: string; family: number },
    request: OutboundRequest,
    maxBytes: number,
    signal: AbortSignal,
  ): Promise<OutboundResponse> {
    const lookup = pinnedLookup(pinned);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const body = request.body;
    const headers = { ...request.headers, ...(body ? { "content-length": String(body.byteLength) } : {}) };
    return new Promise<OutboundResponse>((resolve, reject) => {
      const req = send(target, { method: request.method, lookup, signal, headers }, (res: IncomingMessage) => {
        const read = readBounded(res, maxBytes, `the answer is larger than ${maxBytes} bytes`, reject, (body) => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: res.statusCode ?? 0, headers: out, body });
        });
        if (!read) return;
        const cutOff = () => reject(new Error(signal.aborted ? "the request timed out" : "the answer was cut off"));
        res.on("error", cutOff);
        // Settles even when an abort or a reset ends the answer without an error event (a later reject is a no-op).
        res.on("close", () => {
          if (!res.complete) cutOff();
        });
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        reject(new Error(signal.aborted ? "the request timed out" : `connection failed (${error.code ?? error.name})`));
      });
      req.end(body);
    });
  }

  /** A request's time and size bounds: what it asks for, never above the guard's own. */
  #limitsOf(options: OutboundRequestOptions): { timeoutMs: number; maxBytes: number } {
    return {
      timeoutMs: Math.min(options.timeoutMs ?? this.#options.timeoutMs, this.#options.timeoutMs),
      maxBytes: Math.min(options.maxBytes ?? this.#options.maxBytes, this.#options.maxBytes),
    };
  }

  #checkUrl(url: string): URL {
    if (!URL.canParse(url)) throw new Error("not an absolute URL");
    const target = new URL(url);
    if (target.protocol !== "https:" && !(target.protocol === "http:" && this.#options.allowHttp)) {
      throw new Error(`only https URLs are fetched, not ${target.protocol}`);
    }
    if (target.username || target.password) throw new Error("URLs with credentials are not fetched");
    return target;
  }

  /** Resolves the host and checks every address it has; answers the first (all being allowed). */
  async #checkedAddress(host: string, signal: AbortSignal): Promise<{ address: string; family: number }> {
    const literal = isIP(host);
    const addresses = literal
      ? [{ address: host, family: literal }]
      : await Promise.race([
          this.#resolve(host),
          new Promise<never>((_, reject) => {
            signal.addEventListener("abort", () => reject(new Error(`resolving ${host} timed out`)), { once: true });
          }),
        ]);
    if (addresses.length === 0) throw new Error(`${host} has no address`);
    for (const { address } of addresses) {
      const why = refusalOf(address, { allowLoopback: this.#options.allowLoopback });
      if (why) throw new Error(`refused: ${host} resolves to ${why}`);
    }
    return addresses[0] as { address: string; family: number };
  }

  #get(
    target: URL,
    pinned: { address: string; family: number },
    maxBytes: number,
    signal: AbortSignal,
  ): Promise<string> {
    // Connect to the address that was checked, whatever the resolver would say now.
    const lookup = pinnedLookup(pinned);
    const request = target.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<string>((resolve, reject) => {
      const req = request(
        target,
        {
          method: "GET",
          lookup,
          signal,
          headers: { accept: "application/json, application/did+json, application/ld+json" },
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            res.resume();
            reject(
              new Error(
                `${target.href} answered ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}`,
              ),
            );
            return;
          }
          if (!readBounded(res, maxBytes, `${target.href} is larger than ${maxBytes} bytes`, reject, resolve)) return;
          res.on("error", reject);
        },
      );
      req.on("error", (error) => {
        reject(signal.aborted ? new Error(`${target.href} timed out`) : error);
      });
      req.end();
    });
  }

  #remember(url: string, value: unknown): void {
    if (this.#cache.size >= this.#options.cacheEntries) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(url, { expires: this.#now() + this.#options.cacheTtlMs, value });
  }
}
