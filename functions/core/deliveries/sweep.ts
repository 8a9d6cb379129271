/**
 * The scheduled sweep of stale deliveries (AWS): a delivery stays `pending` only while a queue message will bring its
 * next attempt. If that message is lost (a send that failed after the store write, a message dead-lettered by the
 * queue's redrive policy, a purge), nothing would move the delivery again; local mode re-queues every pending delivery
 * at start (`requeuePending`), and on AWS an EventBridge rule sends the deliveries worker {@link DELIVERY_SWEEP_EVENT}
 * every {@link DELIVERY_SWEEP_RATE_MINUTES} minutes to re-queue those whose next attempt is overdue by more than a
 * margin. A re-queued delivery whose message was only late is harmless: the attempt lease and the ended state drop a
 * duplicate.
 */

import type { Clock, DeliveryRecord, DeliveryStore, Queue } from "../../kernel/ports/index.js";
import type { DeliveryMessage } from "./deliveries.js";

/** The event the sweep rule sends the deliveries worker; SQS events always carry `Records`, HTTP ones `routeKey`. */
export const DELIVERY_SWEEP_EVENT = { "edc-gateway": "delivery-sweep" } as const;

/** How often the rule runs the sweep. */
export const DELIVERY_SWEEP_RATE_MINUTES = 15;

/**
 * How late a pending delivery's attempt must be before the sweep takes its message as lost: longer than the queue's
 * visibility timeout (6 min: a message whose processing failed comes back after it) plus a backlog of some minutes,
 * so that a message merely waiting its turn is rarely duplicated.
 */
export const DEFAULT_SWEEP_MARGIN_MS = 15 * 60 * 1000;

/** Deliveries read per page of the store's pending listing. */
const PAGE = 500;

/** Whether a Lambda event is the scheduled delivery sweep. */
export function isDeliverySweepEvent(event: unknown): boolean {
  return (
    typeof event === "object" &&
    event !== null &&
    !("Records" in event) &&
    !("routeKey" in event) &&
    (event as Record<string, unknown>)["edc-gateway"] === DELIVERY_SWEEP_EVENT["edc-gateway"]
  );
}

/**
 * When a pending delivery's next attempt is due: its `nextAttemptAt`, or after its lease when an attempt holds it
 * (a worker that died holds it until then). Undefined for a delivery that is not pending.
 */
export function dueAt(record: DeliveryRecord): number | undefined {
  if (record.status !== "pending") return undefined;
  const next = record.nextAttemptAt ? Date.parse(record.nextAttemptAt) : Date.parse(record.createdAt);
  const lease = record.leaseUntil ? Date.parse(record.leaseUntil) : Number.NEGATIVE_INFINITY;
  const due = Math.max(next, lease);
  return Number.isNaN(due) ? undefined : due;
}

/** The pending deliveries whose attempt was due more than `marginMs` before `now`: their message is taken as lost. */
export function overdueDeliveries(records: readonly DeliveryRecord[], now: Date, marginMs: number): DeliveryRecord[] {
  return records.filter((record) => {
    const due = dueAt(record);
    return due !== undefined && now.getTime() - due > marginMs;
  });
}

/** What one sweep did. */
export interface SweepSummary {
  /** Pending deliveries looked at. */
  pending: number;
  /** Of those, re-queued (overdue by more than the margin). */
  requeued: number;
}

/**
 * Re-queues every pending delivery overdue by more than `marginMs` (a message each, no delay). Reads the store's
 * pending listing page by page. Errors propagate, so that EventBridge retries the invocation.
 */
export async function sweepStaleDeliveries(
  deps: { deliveries: Pick<DeliveryStore, "listPending">; queue: Queue; clock: Clock },
  marginMs = DEFAULT_SWEEP_MARGIN_MS,
): Promise<SweepSummary> {
  let cursor: string | undefined;
  let pending = 0;
  let requeued = 0;
  do {
    const page = await deps.deliveries.listPending({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    pending += page.items.length;
    for (const record of overdueDeliveries(page.items, deps.clock.now(), marginMs)) {
      await deps.queue.send({ type: "delivery", id: record.id } satisfies DeliveryMessage);
      requeued += 1;
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { pending, requeued };
}
