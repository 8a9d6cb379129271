/**
 * Lambda: the deliveries worker on SQS (an event source mapping on the deliveries queue with
 * `ReportBatchItemFailures`). Each record is one deposit attempt of one delivery; the records of a batch are
 * attempted concurrently (each waits on a wallet). A record whose attempt could not be recorded (a store or queue
 * failure) is reported in `batchItemFailures` and comes back; the queue's redrive policy dead-letters a message that
 * keeps failing that way, and the use case sends a delivery's message to the DLQ itself after its last attempt.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import {
  deliveriesDlqPort,
  deliveriesPort,
  deliveriesQueuePort,
  depsFor,
  type Wiring,
  walletPort,
} from "../composition.js";
import { processDeliveryMessage } from "../core/deliveries/deliveries.js";
import {
  type DELIVERY_SWEEP_EVENT,
  isDeliverySweepEvent,
  type SweepSummary,
  sweepStaleDeliveries,
} from "../core/deliveries/sweep.js";
import { type DeliveryGatewayDeps, deliveryWorkerDepsOf } from "./delivery-deps.js";
import { processSqsBatch } from "./sqs-batch.js";

/** The ports the worker uses (the bundle carries only their adapters): what {@link deliveryWorkerDepsOf} picks. */
export const wiring: Wiring = {
  deliveries: deliveriesPort,
  deliveriesQueue: deliveriesQueuePort,
  deliveriesDlq: deliveriesDlqPort,
  wallet: walletPort,
};

/**
 * The worker's handler: SQS batches of delivery messages, and the scheduled sweep's fixed event (an EventBridge rule,
 * `infra/stateless-stack.ts`), which re-queues pending deliveries whose message was lost (`core/delivery-sweep.ts`).
 */
export function createDeliveriesWorkerHandler(
  deps: () => Promise<DeliveryGatewayDeps>,
  options: { onError?: (error: unknown, messageId: string) => void } = {},
): {
  (event: SQSEvent): Promise<SQSBatchResponse>;
  (event: typeof DELIVERY_SWEEP_EVENT): Promise<SweepSummary>;
} {
  const handle = async (event: SQSEvent | typeof DELIVERY_SWEEP_EVENT): Promise<SQSBatchResponse | SweepSummary> => {
    if (isDeliverySweepEvent(event)) {
      const { deliveries, deliveriesQueue, clock } = await deps();
      return sweepStaleDeliveries({ deliveries, queue: deliveriesQueue, clock });
    }
    return handleMessages(event as SQSEvent);
  };
  const handleMessages = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const workerDeps = deliveryWorkerDepsOf(await deps());
    return processSqsBatch(event.Records, (message) => processDeliveryMessage(workerDeps, message), {
      concurrent: true,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  };
  return handle as ReturnType<typeof createDeliveriesWorkerHandler>;
}

export const handler = createDeliveriesWorkerHandler(depsFor(wiring), {
  // The message id only: errors of this use case never carry recipients, but the log should not depend on it.
  onError: (error, messageId) =>
    console.error(
      JSON.stringify({ message: "delivery attempt failed", messageId, error: (error as Error)?.name ?? "Error" }),
    ),
});
