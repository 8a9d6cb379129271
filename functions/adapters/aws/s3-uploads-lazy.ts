/**
 * The S3 upload store, loaded on its first use instead of at a function's init (cold start): only the routes
 * and worker steps that touch an uploaded input need it, and the S3 client, its checksums and middleware are ~120 KB
 * of the jobs and jobs-worker bundles. A plain forwarder: the adapter and its client come from `import()`, which
 * esbuild's code splitting turns into a chunk that Node loads the first time the port is used.
 *
 * Why through `s3-uploads-factory.ts` and not `import("@aws-sdk/client-s3")`: esbuild keeps every export of a
 * dynamically imported module, and files that both a lazy chunk and the init reach go to a chunk the init loads. So
 * nothing the init imports may import the S3 client or the adapter statically. (The same does not work for STS:
 * `sts-sessions.ts` imports `AssumeRoleCommand` statically, so a lazily built STS client ended up in the init anyway,
 * and grew it; measured, README "Per-function bundles and cold start".)
 */
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import type { UploadStore, UploadTarget } from "../../kernel/ports/index.js";

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
