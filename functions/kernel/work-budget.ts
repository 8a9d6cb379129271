/**
 * The work budget of synchronous routes: counted limits on what one request may make the gateway do (rows of a
 * spreadsheet, credentials of a presentation, registry lookups), checked before or while the expensive step runs.
 * Beyond them the answer is a 413 problem naming the limit and pointing at bulk jobs, which read records one at a
 * time on workers of their own; a synchronous request never runs long enough to stall the others.
 */
import { GatewayError } from "./errors.js";

export interface WorkBudget {
  /** Data rows of a spreadsheet converted or checked in one request. */
  maxSyncRows: number;
  /** Credentials of one presentation verified in one request. */
  maxPresentationCredentials: number;
  /** Registry lookups (store reads not answered from the request's cache) in one request. */
  maxRegistryLookups: number;
  /**
   * Records of a job document sent in the request (`POST /v1/jobs` with `document`): each is read and written while
   * the request waits, so a larger input is uploaded (`upload: true`) and read by the job's worker instead.
   */
  maxInlineJobRows: number;
}

export const DEFAULT_WORK_BUDGET: WorkBudget = {
  maxSyncRows: 1_000,
  maxPresentationCredentials: 100,
  maxRegistryLookups: 2_000,
  // About 6 s of reading and writing rows on 2 busy cores (measured: 5,000 rows 6.2 s, 25,000 rows over 30 s).
  maxInlineJobRows: 5_000,
};

export const BULK_HINT = "send it as a bulk job (POST /v1/jobs), which has no such limit";

/** The 413 of a request over its budget: `limit` is the budget's name (and its configuration's, in SECURITY.md). */
export function overBudget(limit: keyof WorkBudget | string, max: number, pointer: string, what: string): GatewayError {
  return new GatewayError(
    "work-budget-exceeded",
    `${what}: more than ${max} in one synchronous request (limit ${limit}); ${BULK_HINT}`,
    [{ pointer, detail: `more than ${max} (limit ${limit})` }],
  );
}

/**
 * Stops a long synchronous step whose request has run out of time: the HTTP layer has answered already (503), so the
 * work left would be for nobody. Called between items (credentials, rows), where stopping leaves nothing half done.
 */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw new GatewayError("timed-out", "the request ran out of time; its work was stopped", [
    { pointer: "/body", detail: `stopped after the request's time budget; ${BULK_HINT}` },
  ]);
}

/** Lets the event loop run pending I/O (other requests, `/health`) between slices of a long synchronous step. */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** How many items a loop handles between two {@link yieldToEventLoop} calls. */
export const YIELD_EVERY = 25;
