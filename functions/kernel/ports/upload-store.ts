/** Pre-signed uploads of bulk inputs (S3; files locally). */
/** Where a client sends a large input: a pre-signed request it makes without the gateway's token. */
export interface UploadTarget {
  url: string;
  method: "PUT";
  /** Headers the client must send with the request (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * Large bulk-job inputs, uploaded by the client straight to storage with a pre-signed URL (S3 on AWS; files under
 * the data dir locally, the local gateway taking the PUT) and read back as a stream by the worker.
 */
export interface UploadStore {
  /** A pre-signed PUT for `key`, valid until `expiresAt`. */
  createUploadUrl(key: string, opts: { expiresInSeconds: number; contentType: string }): Promise<UploadTarget>;
  /** The object's size, or undefined when nothing was uploaded under `key`. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** The object's bytes as a stream, or undefined when nothing was uploaded under `key`. */
  open(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Deletes the object (nothing when there is none). */
  delete(key: string): Promise<void>;
}
