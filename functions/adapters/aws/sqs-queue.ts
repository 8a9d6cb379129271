/**
 * {@link Queue} on Amazon SQS (standard queue): at-least-once delivery, JSON bodies, redelivery after the visibility
 * timeout, dead-lettering by the queue's redrive policy.
 */

import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Queue, QueueMessage } from "../../kernel/ports/index.js";

/** SQS returns at most this many messages per receive. */
export const SQS_MAX_BATCH = 10;
/** SQS delays a message at most this long. */
export const SQS_MAX_DELAY_SECONDS = 900;
/** SQS long-polls at most this long. */
export const SQS_MAX_WAIT_SECONDS = 20;
/** SQS hides a received message at most this long (12 hours). */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;

export interface SqsQueueOptions {
  client: Pick<SQSClient, "send">;
  queueUrl: string;
}

/** One SQS queue behind the {@link Queue} port; bodies travel as JSON text. */
export class SqsQueue implements Queue {
  readonly #client: Pick<SQSClient, "send">;
  readonly #queueUrl: string;

  constructor(options: SqsQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  async send(body: unknown, opts: { delaySeconds?: number } = {}): Promise<{ id: string }> {
    const messageBody = JSON.stringify(body);
    if (messageBody === undefined) {
      throw new TypeError("a queue message body must be a JSON value");
    }
    const delaySeconds = opts.delaySeconds;
    if (delaySeconds !== undefined) checkRange("delaySeconds", delaySeconds, 0, SQS_MAX_DELAY_SECONDS);
    const result = await this.#client.send(
      new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: messageBody, DelaySeconds: delaySeconds }),
    );
    if (result.MessageId === undefined) throw new Error("SQS SendMessage returned no message id");
    return { id: result.MessageId };
  }

  /**
   * Receives up to `max` messages (1..10). A body that is not JSON cannot have come from {@link send}; it is left
   * unacknowledged so that the queue's redrive policy moves it to the dead-letter queue.
   */
  async receive(
    opts: { max?: number; waitSeconds?: number; visibilitySeconds?: number } = {},
  ): Promise<QueueMessage[]> {
    const max = opts.max ?? 1;
    checkRange("max", max, 1, SQS_MAX_BATCH);
    const waitSeconds = opts.waitSeconds ?? 0;
    checkRange("waitSeconds", waitSeconds, 0, SQS_MAX_WAIT_SECONDS);
    if (opts.visibilitySeconds !== undefined) {
      checkRange("visibilitySeconds", opts.visibilitySeconds, 0, SQS_MAX_VISIBILITY_SECONDS);
    }
    const result = await this.#client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: opts.visibilitySeconds,
        // The SDK types the deprecated AttributeNames as queue attributes, so only the current name is sent.
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    const messages: QueueMessage[] = [];
    for (const message of result.Messages ?? []) {
      const { MessageId: id, ReceiptHandle: receipt, Body: raw } = message;
      if (id === undefined || receipt === undefined || raw === undefined) continue;
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        continue;
      }
      const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? "1");
      messages.push({ id, body, receipt, receiveCount: Number.isSafeInteger(receiveCount) ? receiveCount : 1 });
    }
    return messages;
  }

  async ack(message: QueueMessage): Promise<void> {
    await this.#client.send(new DeleteMessageCommand({ QueueUrl: this.#queueUrl, ReceiptHandle: message.receipt }));
  }
}

/** Out-of-range options are programming errors in the caller, not bad requests. */
function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
