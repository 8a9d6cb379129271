/**
 * Makes SQS queues on one SQS client per process. A module of its own so that {@link LazySqsQueue}
 * (`sqs-queue-lazy.ts`) can `import()` it: nothing a function's init imports may import the SQS client statically.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Queue } from "../../kernel/ports/index.js";
import { SqsQueue } from "./sqs-queue.js";

let client: SQSClient | undefined;

export function makeSqsQueue(queueUrl: string): Queue {
  client ??= new SQSClient({});
  return new SqsQueue({ client, queueUrl });
}
