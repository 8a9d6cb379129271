/**
 * Lambda: the bulk-job worker on SQS (not an HTTP family: an event source mapping on the jobs queue invokes it with
 * `ReportBatchItemFailures`). Each record is one chunk; a chunk that must be retried is reported in
 * `batchItemFailures` so that SQS redelivers only it, and the queue's redrive policy dead-letters it after
 * `MAX_RECEIVE_COUNT` receives — the worker marks it dead in the job on its last receive first.
 *
 * The invocation's remaining time (`context.getRemainingTimeInMillis()`) goes to the use case: the reading of a large
 * uploaded input pauses before the function's timeout and continues in a new message instead of being cut off.
 */
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import {
  deliveriesPort,
  deliveriesQueuePort,
  depsFor,
  jobsPort,
  jobsQueuePort,
  signerPort,
  statusListsPort,
  storePort,
  uploadsPort,
  type Wiring,
  walletPort,
} from "../composition.js";
import { DEFAULT_MAX_RECEIVES, processJobMessage } from "../core/jobs/worker.js";
import { type JobGatewayDeps, jobDepsOf } from "./job-deps.js";
import { processSqsBatch } from "./sqs-batch.js";

/** The ports the worker uses (the bundle carries only their adapters): everything {@link jobDepsOf} picks. */
export const wiring: Wiring = {
  store: storePort,
  signer: signerPort,
  jobs: jobsPort,
  jobsQueue: jobsQueuePort,
  statusLists: statusListsPort,
  uploads: uploadsPort,
  deliveries: deliveriesPort,
  deliveriesQueue: deliveriesQueuePort,
  wallet: walletPort,
};

export function createWorkerHandler(
  deps: () => Promise<JobGatewayDeps>,
  options: {
    maxReceives?: number;
    /** A reading pauses when less than this is left of the invocation (default `DEFAULT_READ_RESERVE_MS`). */
    readReserveMs?: number;
    onError?: (error: unknown, messageId: string) => void;
  } = {},
): (event: SQSEvent, context?: Pick<Context, "getRemainingTimeInMillis">) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const workerDeps = jobDepsOf(await deps());
    // One chunk at a time: each reads against the invocation's remaining time.
    return processSqsBatch(
      event.Records,
      (message) =>
        processJobMessage(workerDeps, message, {
          maxReceives: options.maxReceives ?? DEFAULT_MAX_RECEIVES,
          ...(context ? { timeLeftMs: () => context.getRemainingTimeInMillis() } : {}),
          ...(options.readReserveMs !== undefined ? { readReserveMs: options.readReserveMs } : {}),
        }),
      options.onError ? { onError: options.onError } : {},
    );
  };
}

export const handler = createWorkerHandler(depsFor(wiring));
