/**
 * The lazily loaded AWS clients of `lazy-clients.ts` (issue 11: cold start) on moto: the S3 upload store that loads its
 * module and client on first use passes the UploadStore contract as the eager one does, and the STS client built on its
 * first `send` talks to STS.
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LazyS3UploadStore, lazyStsClient } from "../../functions/adapters/aws/lazy-clients.js";
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

describe("lazyStsClient", () => {
  it("builds its client on the first send and answers STS's responses", async () => {
    // Prepare
    const sts = lazyStsClient(emulatorClientConfig(moto.endpoint));

    // Act
    const first = await sts.send(new GetCallerIdentityCommand({}));
    const second = await sts.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(first.Account).toMatch(/^\d{12}$/);
    expect(second.Account).toBe(first.Account);
  });
});
