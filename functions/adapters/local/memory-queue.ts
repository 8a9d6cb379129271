/**
 * {@link Queue} in process, for local mode and tests. It keeps SQS's delivery semantics (at-least-once, visibility
 * timeout, receive count, delay, JSON bodies) so that code written against it behaves the same on SQS. Messages live
 * in memory only: a restart loses them.
 */

import { randomUUID } from "node:crypto";
import type { Clock, Queue, QueueMessage } from "../../kernel/ports/index.js";
import { systemClock } from "../../kernel/system.js";

const MAX_BATCH = 10;
const MAX_DELAY_SECONDS = 900;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
/** How often a waiting receive looks again (real time). */
const POLL_MS = 20;

export interface MemoryQueueOptions {
  /** Time source for visibility timeouts and delays (tests pass a fake one). Default: the system clock. */
  clock?: Clock;
  /** How long a received, unacknowledged message stays hidden. Default 30 s, as SQS. */
  visibilitySeconds?: number;
}

interface StoredMessage {
  id: string;
  /** The body as JSON text, so each delivery hands out a fresh copy, as SQS does. */
  json: string;
  visibleAt: number;
  receiveCount: number;
  receipt?: string;
}

/** A single in-process queue with SQS standard-queue semantics (no dead-letter queue: messages retry forever). */
export class MemoryQueue implements Queue {
  readonly #clock: Clock;
  readonly #visibilitySeconds: number;
  readonly #messages = new Map<string, StoredMessage>();

  constructor(options: MemoryQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#visibilitySeconds = options.visibilitySeconds ?? 30;
    checkRange("visibilitySeconds", this.#visibilitySeconds, 0, MAX_VISIBILITY_SECONDS);
  }

  async send(body: unknown, opts: { delaySeconds?: number } = {}): Promise<{ id: string }> {
    const json = JSON.stringify(body);
    if (json === undefined) throw new TypeError("a queue message body must be a JSON value");
    const delaySeconds = opts.delaySeconds ?? 0;
    checkRange("delaySeconds", delaySeconds, 0, MAX_DELAY_SECONDS);
    const id = randomUUID();
    this.#messages.set(id, { id, json, visibleAt: this.#now() + delaySeconds * 1000, receiveCount: 0 });
    return { id };
  }

  /**
   * Hands out up to `max` visible messages and hides them for the visibility timeout. With `waitSeconds`, waits (in
   * real time, whatever the injected clock says) until a message is visible or the time is up.
   */
  async receive(
    opts: { max?: number; waitSeconds?: number; visibilitySeconds?: number } = {},
  ): Promise<QueueMessage[]> {
    const max = opts.max ?? 1;
    checkRange("max", max, 1, MAX_BATCH);
    const waitSeconds = opts.waitSeconds ?? 0;
    checkRange("waitSeconds", waitSeconds, 0, MAX_WAIT_SECONDS);
    const visibilitySeconds = opts.visibilitySeconds ?? this.#visibilitySeconds;
    checkRange("visibilitySeconds", visibilitySeconds, 0, MAX_VISIBILITY_SECONDS);
    const deadline = performance.now() + waitSeconds * 1000;
    for (;;) {
      const received = this.#take(max, visibilitySeconds);
      if (received.length > 0 || performance.now() >= deadline) return received;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, deadline - performance.now())));
    }
  }

  /** Deletes the message. A receipt from an earlier delivery of a message received again since does nothing, as in SQS. */
  async ack(message: QueueMessage): Promise<void> {
    const stored = this.#messages.get(message.id);
    if (stored !== undefined && stored.receipt === message.receipt) this.#messages.delete(message.id);
  }

  #take(max: number, visibilitySeconds: number): QueueMessage[] {
    const now = this.#now();
    const received: QueueMessage[] = [];
    for (const stored of this.#messages.values()) {
      if (received.length >= max) break;
      if (stored.visibleAt > now) continue;
      stored.visibleAt = now + visibilitySeconds * 1000;
      stored.receiveCount += 1;
      stored.receipt = randomUUID();
      received.push({
        id: stored.id,
        body: JSON.parse(stored.json),
        receipt: stored.receipt,
        receiveCount: stored.receiveCount,
      });
    }
    return received;
  }

  #now(): number {
    return this.#clock.now().getTime();
  }
}

/** Out-of-range options are programming errors in the caller; SQS refuses the same values. */
function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
