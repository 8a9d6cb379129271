/**
 * The S3 upload store that loads its module and client on first use (`s3-uploads-lazy.ts`, issue 11: cold start) passes
 * the UploadStore contract on moto as the eager one does.
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll } from "vitest";
import { LazyS3UploadStore } from "../../functions/adapters/aws/s3-uploads-lazy.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { uploadStoreContract } from "./upload-store.contract.js";

let moto: RunningMoto;
let client: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  // Path-style addressing: the emulator has no per-bucket host names.
  client = new S3Client({ ...emulatorClientConfig(moto.endpoint), forcePathStyle: true });
});

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

uploadStoreContract(
  "LazyS3UploadStore on moto S3",
  async () => {
    const bucket = `uploads-${crypto.randomUUID()}`;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const clientConfig = { ...emulatorClientConfig(moto.endpoint), forcePathStyle: true };
    return { store: new LazyS3UploadStore({ bucket, clientConfig }) };
  },
  { checksSignatures: false },
);
