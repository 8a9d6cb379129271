import { randomUUID } from "node:crypto";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll } from "vitest";
import { SqsQueue } from "../../functions/adapters/aws/sqs-queue.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { QUEUE_VISIBILITY_SECONDS, queueContract } from "./queue.contract.js";

let moto: RunningMoto;
let client: SQSClient;

beforeAll(async () => {
  moto = await startMoto();
  client = new SQSClient(emulatorClientConfig(moto.endpoint));
});

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

// Every test gets its own queue. moto keeps real (wall-clock) visibility timeouts, so `advance` sleeps.
queueContract("SqsQueue on moto SQS", async () => {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({
      QueueName: `gateway-${randomUUID()}`,
      Attributes: { VisibilityTimeout: String(QUEUE_VISIBILITY_SECONDS) },
    }),
  );
  if (QueueUrl === undefined) throw new Error("moto created no queue");
  return {
    queue: new SqsQueue({ client, queueUrl: QueueUrl }),
    advance: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
  };
});
