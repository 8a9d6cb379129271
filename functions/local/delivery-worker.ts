/**
 * The deliveries worker of the local gateway: first queues again every delivery still pending in the store (the
 * in-process queue died with the previous process), then drains the in-process deliveries queue with the same use
 * case the SQS Lambda runs, keeping up to `concurrency` attempts in flight (each mostly waits on the wallet).
 */
import { processDeliveryMessage, requeuePending } from "../core/deliveries/deliveries.js";
import { type DeliveryGatewayDeps, deliveryWorkerDepsOf } from "../handlers/delivery-deps.js";
import type { QueueMessage } from "../kernel/ports/index.js";

export interface LocalDeliveryWorkerOptions {
  /** Pause between polls of an empty queue. Default 100 ms. */
  intervalMs?: number;
  /** Attempts in flight at most. Default 16 (`GATEWAY_DELIVERY_CONCURRENCY`). */
  concurrency?: number;
  /** Called with each failure to record an attempt (the message comes back after the visibility timeout). */
  onError?: (error: unknown) => void;
}

export interface LocalDeliveryWorker {
  /** Resolves with the number of pending deliveries queued again at start. */
  recovered: Promise<number>;
  /** Stops polling and waits for the attempts in flight. */
  stop(): Promise<void>;
}

export function startLocalDeliveryWorker(
  deps: DeliveryGatewayDeps,
  options: LocalDeliveryWorkerOptions = {},
): LocalDeliveryWorker {
  const workerDeps = deliveryWorkerDepsOf(deps);
  const intervalMs = options.intervalMs ?? 100;
  const concurrency = options.concurrency ?? 16;
  // Hidden while attempted: longer than a lease, so a message comes back only once its lease has ended.
  const visibilitySeconds = Math.ceil(workerDeps.policy.leaseMs / 1000) + 1;
  const queue = deps.deliveriesQueue;
  let running = true;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const attempt = async (message: QueueMessage) => {
    try {
      await processDeliveryMessage(workerDeps, message);
      await queue.ack(message);
    } catch (error) {
      options.onError?.(error);
    } finally {
      inFlight -= 1;
      wake?.();
    }
  };
  const recovered = requeuePending({ deliveries: deps.deliveries, queue, clock: deps.clock });
  const loop = (async () => {
    await recovered.catch((error: unknown) => options.onError?.(error));
    const attempts = new Set<Promise<void>>();
    while (running) {
      if (inFlight >= concurrency) {
        await pause(intervalMs);
        continue;
      }
      let messages: QueueMessage[] = [];
      try {
        messages = await queue.receive({ max: Math.min(10, concurrency - inFlight), visibilitySeconds });
      } catch (error) {
        options.onError?.(error);
      }
      for (const message of messages) {
        inFlight += 1;
        const pending = attempt(message);
        attempts.add(pending);
        void pending.finally(() => attempts.delete(pending));
      }
      if (messages.length === 0 && running) await pause(intervalMs);
    }
    await Promise.all(attempts);
  })();
  return {
    recovered,
    stop: async () => {
      running = false;
      wake?.();
      await loop;
    },
  };
}
