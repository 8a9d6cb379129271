/**
 * Makes the S3 upload store with its own client. A module of its own so that {@link LazyS3UploadStore}
 * (`s3-uploads-lazy.ts`) can `import()` it: esbuild treats every export of a dynamically imported module as used, so
 * importing `@aws-sdk/client-s3` itself that way would keep every S3 command (and what they share with other clients,
 * in every function's init).
 */
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { UploadStore } from "../../kernel/ports/index.js";
import { S3UploadStore } from "./s3-uploads.js";

/** The S3 {@link UploadStore} on `bucket`, with a client made with `config` (the SDK's defaults when empty). */
export function makeS3UploadStore(bucket: string, config: S3ClientConfig): UploadStore {
  return new S3UploadStore({ client: new S3Client(config), bucket });
}
