/**
 * The partial-batch loop of the SQS workers (event source mappings with `ReportBatchItemFailures`): each record is
 * decoded into a {@link QueueMessage} and handed to the use case; a record whose handling throws is reported by its
 * `messageId` so that SQS redelivers only it (and its queue's redrive policy dead-letters it once it keeps failing),
 * while the others are deleted from the queue.
 */
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import type { QueueMessage } from "../kernel/ports/index.js";

export interface SqsBatchOptions {
  /**
   * Handle the records together (each waits on something slow, such as a wallet) instead of one after the other
   * (each takes the worker's whole attention, such as a job chunk reading against the invocation's remaining time).
   */
  concurrent?: boolean;
  /** Told of each failure, with the record's message id (never its body). */
  onError?: (error: unknown, messageId: string) => void;
}

/**
 * The message a record carries, or `undefined` for a body that is not JSON: never sent by the gateway, so it is
 * acknowledged instead of coming back forever.
 */
export function queueMessageOf(record: SQSRecord): QueueMessage | undefined {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return undefined;
  }
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  return {
    id: record.messageId,
    body,
    receipt: record.receiptHandle,
    receiveCount: Number.isSafeInteger(receiveCount) ? receiveCount : 1,
  };
}

/** Runs `handle` on each record's message and answers the records to retry. */
export async function processSqsBatch(
  records: readonly SQSRecord[],
  handle: (message: QueueMessage) => Promise<unknown>,
  options: SqsBatchOptions = {},
): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse["batchItemFailures"] = [];
  const one = async (record: SQSRecord): Promise<void> => {
    const message = queueMessageOf(record);
    if (!message) return;
    try {
      await handle(message);
    } catch (error) {
      options.onError?.(error, record.messageId);
      failures.push({ itemIdentifier: record.messageId });
    }
  };
  if (options.concurrent) await Promise.all(records.map(one));
  else for (const record of records) await one(record);
  // In the order of the batch, whatever order concurrent attempts finished in.
  const order = new Map(records.map((record, index) => [record.messageId, index]));
  failures.sort((a, b) => (order.get(a.itemIdentifier) ?? 0) - (order.get(b.itemIdentifier) ?? 0));
  return { batchItemFailures: failures };
}
