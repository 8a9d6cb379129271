/**
 * AWS SDK clients and adapters that load on their first request instead of at a function's init (issue 11: cold
 * start). Each is a plain forwarder; the module of the client (and the adapter) is imported with `import()`, which
 * esbuild's code splitting turns into a chunk that Node loads the first time the port is used:
 * - STS: only a signature in a new issuer session needs it; its client brings the Query protocol and an XML parser
 *   (~50 KB) into every function that may sign.
 * - S3 uploads: only the routes and worker steps that touch an uploaded input need it; the S3 client, its checksums
 *   and middleware are ~120 KB of the jobs and jobs-worker bundles.
 * Both keep the SDK's own configuration (credential chain, region) unless given one (tests point them at moto).
 * What they `import()` are small modules of ours (`sts-client.ts`, `s3-uploads-factory.ts`), never an SDK package:
 * esbuild keeps every export of a dynamically imported module.
 */
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import type { STSClient, STSClientConfig } from "@aws-sdk/client-sts";
import type { UploadStore, UploadTarget } from "../../core/ports.js";

/** Memoises an async factory: the first call starts it, every call shares its result (a failed start is retried). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

/**
 * An STS client, built on its first `send`. What `IssuerSessions` (`sts-sessions.ts`) takes: it only sends commands.
 */
export function lazyStsClient(config: STSClientConfig = {}): Pick<STSClient, "send"> {
  const client = once(async () => (await import("./sts-client.js")).makeStsClient(config));
  // `send` has overloads (callbacks, options) that a forwarder cannot spell one by one; it forwards what it is given.
  const send = async (...args: Parameters<STSClient["send"]>) => (await client()).send(...args);
  return { send: send as STSClient["send"] };
}

/** Options of {@link LazyS3UploadStore}: the bucket, and the S3 client's configuration (the SDK's defaults if none). */
export interface LazyS3UploadStoreOptions {
  bucket: string;
  clientConfig?: S3ClientConfig;
}

/** The S3 {@link UploadStore} (`s3-uploads.ts`), with its module and S3 client loaded on first use. */
export class LazyS3UploadStore implements UploadStore {
  readonly #store: () => Promise<UploadStore>;

  constructor(options: LazyS3UploadStoreOptions) {
    this.#store = once(async () =>
      (await import("./s3-uploads-factory.js")).makeS3UploadStore(options.bucket, options.clientConfig ?? {}),
    );
  }

  async createUploadUrl(key: string, opts: { expiresInSeconds: number; contentType: string }): Promise<UploadTarget> {
    return (await this.#store()).createUploadUrl(key, opts);
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    return (await this.#store()).stat(key);
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    return (await this.#store()).open(key);
  }

  async delete(key: string): Promise<void> {
    return (await this.#store()).delete(key);
  }
}
