import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll } from "vitest";
import { S3UploadStore } from "../../functions/adapters/aws/s3-uploads.js";
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
  "S3UploadStore on moto S3",
  async () => {
    const bucket = `uploads-${crypto.randomUUID()}`;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return { store: new S3UploadStore({ client, bucket }) };
  },
  { checksSignatures: false },
);
