/** At-least-once work queue (SQS; in-process locally). */
export interface QueueMessage<T = unknown> {
  id: string;
  body: T;
  /** Opaque handle to acknowledge (delete) the message. */
  receipt: string;
  /** How many times the message has been received, this time included. */
  receiveCount: number;
}

/** At-least-once work queue (SQS; in-process locally). Unacknowledged messages come back after the visibility timeout. */
export interface Queue {
  send(body: unknown, opts?: { delaySeconds?: number }): Promise<{ id: string }>;
  receive(opts?: { max?: number; waitSeconds?: number; visibilitySeconds?: number }): Promise<QueueMessage[]>;
  ack(message: QueueMessage): Promise<void>;
}
