/**
 * An SQS queue whose client and adapter load on its first use instead of at a function's init (cold start): the SQS
 * client and its commands are ~25 KB of every function that queues, and many requests never do. A plain forwarder,
 * like `s3-uploads-lazy.ts`; the queues of a process share one client (`sqs-queue-factory.ts`).
 */
import type { Queue, QueueMessage } from "../../kernel/ports/index.js";

export class LazySqsQueue implements Queue {
  #made: Promise<Queue> | undefined;

  constructor(private readonly queueUrl: string) {}

  /** The queue, made once; a failed load is tried again by the next call. */
  #queue(): Promise<Queue> {
    this.#made ??= import("./sqs-queue-factory.js")
      .then((factory) => factory.makeSqsQueue(this.queueUrl))
      .catch((error: unknown) => {
        this.#made = undefined;
        throw error;
      });
    return this.#made;
  }

  async send(body: unknown, opts?: { delaySeconds?: number }): Promise<{ id: string }> {
    return (await this.#queue()).send(body, opts);
  }

  async receive(opts?: { max?: number; waitSeconds?: number; visibilitySeconds?: number }): Promise<QueueMessage[]> {
    return (await this.#queue()).receive(opts);
  }

  async ack(message: QueueMessage): Promise<void> {
    return (await this.#queue()).ack(message);
  }
}
