/** The ports the bulk-job use cases take, picked from the gateway's dependencies (HTTP handlers and workers alike). */
import type { GatewayDeps } from "../composition.js";
import type { JobDeps } from "../core/jobs/model.js";
import type { WorkerDeps } from "../core/jobs/worker.js";
import { deliverRecordWith } from "../core/registry/batch.js";
import { deliveryDepsOf, issueDepsOf } from "./use-case-deps.js";

/** The part of the gateway's dependencies bulk jobs use. */
export type JobGatewayDeps = Pick<GatewayDeps, "config" | "store" | "signer" | "clock" | "ids" | "jobs" | "jobsQueue"> &
  Partial<Pick<GatewayDeps, "statusLists" | "uploads" | "deliveries" | "deliveriesQueue" | "wallet">>;

export function jobDepsOf(deps: JobGatewayDeps): WorkerDeps & Pick<JobDeps, "chunkRows" | "maxInlineJobRows"> {
  return {
    // Chunk size of submissions and of uploaded inputs read by the worker (the chunk is the unit of work).
    ...(deps.config.jobChunkRows !== undefined ? { chunkRows: deps.config.jobChunkRows } : {}),
    // Credentials of a job get revocation entries as single issuances do.
    ...issueDepsOf(deps),
    jobs: deps.jobs,
    queue: deps.jobsQueue,
    ...(deps.uploads ? { uploads: deps.uploads } : {}),
    maxUploadBytes: deps.config.maxUploadBytes,
    maxInlineJobRows: deps.config.inputLimits.maxInlineJobRows,
    // Registry batches that deliver: only when a wallet is configured; records say so otherwise.
    ...(deps.deliveries && deps.deliveriesQueue && deps.wallet
      ? {
          deliverRecord: deliverRecordWith(
            deliveryDepsOf({ ...deps, deliveries: deps.deliveries, deliveriesQueue: deps.deliveriesQueue }),
          ),
        }
      : {}),
  };
}
