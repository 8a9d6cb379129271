/** The ports the bulk-job use cases take, picked from the gateway's dependencies (HTTP handlers and workers alike). */
import type { GatewayDeps } from "../composition.js";
import type { WorkerDeps } from "../core/job-worker.js";

/** The part of the gateway's dependencies bulk jobs use. */
export type JobGatewayDeps = Pick<GatewayDeps, "config" | "store" | "signer" | "clock" | "ids" | "jobs" | "jobsQueue"> &
  Partial<Pick<GatewayDeps, "statusLists" | "uploads">>;

export function jobDepsOf(deps: JobGatewayDeps): WorkerDeps {
  return {
    store: deps.store,
    signer: deps.signer,
    clock: deps.clock,
    ids: deps.ids,
    publicUrl: deps.config.publicUrl,
    limits: deps.config.limits,
    jobs: deps.jobs,
    queue: deps.jobsQueue,
    // Credentials of a job get revocation entries as single issuances do.
    ...(deps.statusLists ? { statusLists: deps.statusLists } : {}),
    ...(deps.uploads ? { uploads: deps.uploads } : {}),
    maxUploadBytes: deps.config.maxUploadBytes,
  };
}
