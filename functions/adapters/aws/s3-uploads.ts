/**
 * {@link UploadStore} on S3: the client PUTs a bulk job's input straight into the uploads bucket with a pre-signed URL
 * (SigV4 query signing by `@aws-sdk/s3-request-presigner`; the function's role needs `s3:PutObject` for the URL to
 * work), and the jobs worker reads the object as a stream and deletes it once its rows are in chunks. The bucket's
 * lifecycle rule removes inputs that were never started.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { UploadStore, UploadTarget } from "../../kernel/ports/index.js";

export interface S3UploadStoreOptions {
  client: S3Client;
  bucket: string;
  /** Clock for `expiresAt` (the URL itself is signed with the SDK's clock). */
  now?: () => Date;
}

/** A missing object: HeadObject answers a bare 404 (`NotFound`), GetObject `NoSuchKey`; by name across SDK copies. */
function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof Error && (error.name === "NoSuchKey" || error.name === "NotFound"))
  );
}

export class S3UploadStore implements UploadStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #now: () => Date;

  constructor(options: S3UploadStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#now = options.now ?? (() => new Date());
  }

  async createUploadUrl(key: string, opts: { expiresInSeconds: number; contentType: string }): Promise<UploadTarget> {
    const command = new PutObjectCommand({ Bucket: this.#bucket, Key: key, ContentType: opts.contentType });
    // content-type is signed: the client must send the same value, so an upload cannot pose as another type.
    const url = await getSignedUrl(this.#client, command, {
      expiresIn: opts.expiresInSeconds,
      signableHeaders: new Set(["content-type"]),
    });
    return {
      url,
      method: "PUT",
      headers: { "content-type": opts.contentType },
      expiresAt: new Date(this.#now().getTime() + opts.expiresInSeconds * 1000).toISOString(),
    };
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      const body = object.Body;
      if (!body) return undefined;
      // In Node the body is an IncomingMessage (a Readable): an async iterable of Buffers, read as it arrives.
      if (Symbol.asyncIterator in body) return body as AsyncIterable<Uint8Array>;
      return (async function* () {
        yield await body.transformToByteArray();
      })();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }
}
