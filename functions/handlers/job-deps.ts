/** The ports the bulk-job use cases take, picked from the gateway's dependencies (HTTP handlers and workers alike). */
import type { GatewayDeps } from "../composition.js";
import type { JobDeps } from "../core/jobs/model.js";
import { jobSigner } from "../core/jobs/signing-budget.js";
import type { WorkerDeps } from "../core/jobs/worker.js";
import { deliverRecordWith } from "../core/registry/batch.js";
import type { Signer } from "../kernel/ports/index.js";
import { deliveryDepsOf, issueDepsOf } from "./use-case-deps.js";

/** The part of the gateway's dependencies bulk jobs use. */
export type JobGatewayDeps = Pick<GatewayDeps, "config" | "store" | "signer" | "clock" | "ids" | "jobs" | "jobsQueue"> &
  Partial<Pick<GatewayDeps, "statusLists" | "uploads" | "deliveries" | "deliveriesQueue" | "wallet">>;

/**
 * The workers' signer, one per process and signer (a Lambda builds its deps per invocation): its draws from the shared
 * signing budget, and the tokens it holds, outlive an invocation.
 */
const jobSigners = new WeakMap<Signer, Signer>();

function jobSignerOf(deps: JobGatewayDeps): Signer {
  // The jobs routes' wiring has no signer (they only read and queue); their deps never sign.
  if ((deps.signer as Signer | undefined) === undefined) return deps.signer;
  let signer = jobSigners.get(deps.signer);
  if (signer === undefined) {
    signer = jobSigner(
      deps.signer,
      {
        jobs: deps.jobs,
        now: () => deps.clock.now().getTime(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
      deps.config.signingRate,
    );
    jobSigners.set(deps.signer, signer);
  }
  return signer;
}

export function jobDepsOf(deps: JobGatewayDeps): WorkerDeps & Pick<JobDeps, "chunkRows" | "maxInlineJobRows"> {
  return {
    // Chunk size of submissions and of uploaded inputs read by the worker (the chunk is the unit of work).
    ...(deps.config.jobChunkRows !== undefined ? { chunkRows: deps.config.jobChunkRows } : {}),
    // Credentials of a job get revocation entries as single issuances do.
    ...issueDepsOf(deps),
    // Throttled signatures are retried, and with a signing rate every signature is drawn from the shared budget.
    signer: jobSignerOf(deps),
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
