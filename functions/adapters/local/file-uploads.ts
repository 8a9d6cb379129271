/**
 * {@link UploadStore} of the local gateway: uploaded inputs are files under `{dataDir}/uploads`, and the pre-signed URL
 * is the local gateway's own `PUT /uploads/{key}?expires=…&signature=…`, an HMAC-SHA256 over the method, key, expiry
 * and content type with a secret kept in the same directory (created on first use, mode 0600). The local gateway hands
 * such requests to {@link FileUploadStore.receive} before route matching, as S3 takes them apart from API Gateway.
 *
 * Hand-written rather than a library: this is the only thing the local mode needs of S3's pre-signing, a few lines of
 * node:crypto, and the real S3 path is tested with the AWS SDK's presigner against moto.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { UploadStore, UploadTarget } from "../../kernel/ports/index.js";

/** URL path prefix the local gateway serves uploads under. */
export const UPLOADS_PATH = "/uploads/";
const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

export interface FileUploadStoreOptions {
  /** Directory of the uploaded files and the signing secret. */
  dir: string;
  /** The gateway's public base URL: upload URLs point at it. */
  publicUrl: string;
  /** Largest upload accepted by the PUT (larger ones are cut off with 413). */
  maxBytes: number;
  now?: () => Date;
}

/** The few response shapes the PUT answers, as problem+json like the gateway's other errors. */
function answer(res: ServerResponse, status: number, detail?: string): void {
  const body =
    detail === undefined ? "" : JSON.stringify({ type: "about:blank", title: detail, status, detail, errors: [] });
  res.writeHead(status, {
    "content-length": String(Buffer.byteLength(body)),
    ...(detail === undefined ? {} : { "content-type": "application/problem+json" }),
  });
  res.end(body);
}

export class FileUploadStore implements UploadStore {
  readonly #dir: string;
  readonly #publicUrl: string;
  readonly #maxBytes: number;
  readonly #now: () => Date;
  readonly #secret: Buffer;

  constructor(options: FileUploadStoreOptions) {
    this.#dir = options.dir;
    this.#publicUrl = options.publicUrl.replace(/\/+$/, "");
    this.#maxBytes = options.maxBytes;
    this.#now = options.now ?? (() => new Date());
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const secretFile = join(this.#dir, ".signing-key");
    if (!existsSync(secretFile)) {
      try {
        writeFileSync(secretFile, randomBytes(32), { mode: 0o600, flag: "wx" });
      } catch (error) {
        // Another process created it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    this.#secret = readFileSync(secretFile);
  }

  async createUploadUrl(key: string, opts: { expiresInSeconds: number; contentType: string }): Promise<UploadTarget> {
    this.#file(key);
    const expires = Math.floor(this.#now().getTime() / 1000) + opts.expiresInSeconds;
    const signature = this.#sign(key, expires, opts.contentType);
    return {
      url: `${this.#publicUrl}${UPLOADS_PATH}${key}?expires=${expires}&signature=${signature}`,
      method: "PUT",
      headers: { "content-type": opts.contentType },
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      return { size: (await stat(this.#file(key))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    if (!(await this.stat(key))) return undefined;
    return createReadStream(this.#file(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.#file(key), { force: true });
  }

  /**
   * Takes a request of the local gateway if it is an upload (path under {@link UPLOADS_PATH}): checks the signature,
   * expiry and content type, then streams the body to a temporary file renamed into place when complete (a broken
   * upload leaves nothing). Answers 200 as S3 does, 403 for a bad or expired signature, 413 above the size limit.
   * Returns false for other requests.
   */
  async receive(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://local");
    if (!url.pathname.startsWith(UPLOADS_PATH)) return false;
    let key: string;
    try {
      key = decodeURIComponent(url.pathname.slice(UPLOADS_PATH.length));
    } catch {
      // A malformed %-escape (URIError) names no key this store signed: refused as a bad signature, not a 500.
      key = "";
    }
    if (req.method !== "PUT") {
      req.resume();
      res.setHeader("allow", "PUT");
      answer(res, 405, "uploads take PUT only");
      return true;
    }
    const expires = Number(url.searchParams.get("expires"));
    const given = Buffer.from(url.searchParams.get("signature") ?? "", "base64url");
    const contentType = req.headers["content-type"] ?? "";
    const expected = KEY.test(key) ? Buffer.from(this.#sign(key, expires, contentType), "base64url") : Buffer.alloc(0);
    if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      req.resume();
      answer(res, 403, "the upload URL's signature does not match (key, expiry or content-type changed)");
      return true;
    }
    if (!Number.isSafeInteger(expires) || expires * 1000 < this.#now().getTime()) {
      req.resume();
      answer(res, 403, "the upload URL has expired: ask for a new one");
      return true;
    }
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > this.#maxBytes) {
      req.resume();
      answer(res, 413, `uploads are limited to ${this.#maxBytes} bytes`);
      return true;
    }
    const file = this.#file(key);
    const part = `${file}.${randomBytes(6).toString("hex")}.part`;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let size = 0;
    const maxBytes = this.#maxBytes;
    try {
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes) throw new RangeError("too large");
            yield chunk;
          }
        },
        createWriteStream(part, { mode: 0o600 }),
      );
      await rename(part, file);
    } catch (error) {
      await rm(part, { force: true });
      if (error instanceof RangeError) {
        answer(res, 413, `uploads are limited to ${maxBytes} bytes`);
        return true;
      }
      throw error;
    }
    answer(res, 200);
    return true;
  }

  #sign(key: string, expires: number, contentType: string): string {
    return createHmac("sha256", this.#secret).update(`PUT\n${key}\n${expires}\n${contentType}`).digest("base64url");
  }

  /** The file of a key; keys are the gateway's own (`jobs/{id}/input`), checked so that none escapes the directory. */
  #file(key: string): string {
    if (!KEY.test(key)) throw new RangeError(`not an upload key: ${key}`);
    return join(this.#dir, key);
  }
}
