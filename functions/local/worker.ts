/**
 * The bulk-job worker of the local gateway: polls the in-process jobs queue and processes each chunk with the same
 * use case the SQS Lambda runs. A chunk that fails stays on the queue and comes back after the visibility timeout.
 *
 * The in-process queue dies with the process, so on start the worker first recovers: every open job's chunks not yet
 * counted are queued again from the store, and a row claim left by the killed process is released
 * ({@link recoverOpenJobs}). A job interrupted by a crash or a kill then finishes after the restart with every row
 * issued once. (On AWS, SQS keeps the messages of a dead worker and redelivers them; no recovery step runs there.)
 *
 * Readings of uploaded inputs have no time limit here, but `stop()` pauses one after its current chunk (its progress
 * is recorded; the next start's recovery continues it) instead of waiting for a whole large input.
 */
import { DEFAULT_MAX_RECEIVES, processJobMessage, type Recovery, recoverOpenJobs } from "../core/jobs/worker.js";
import { type JobGatewayDeps, jobDepsOf } from "../handlers/job-deps.js";

export interface LocalWorkerOptions {
  /** Pause between polls of an empty queue. Default 200 ms. */
  intervalMs?: number;
  maxReceives?: number;
  /** Messages taken per poll (processed concurrently), 1..10. Default 4. */
  batch?: number;
  /** Called with each failure of a chunk (it will be retried). */
  onError?: (error: unknown) => void;
  /** Called once recovery has queued the unfinished chunks of open jobs again. */
  onRecovered?: (recovery: Recovery) => void;
}

export interface LocalWorker {
  /** Stops polling and waits for the chunks in progress. */
  stop(): Promise<void>;
}

export function startLocalWorker(deps: JobGatewayDeps, options: LocalWorkerOptions = {}): LocalWorker {
  const intervalMs = options.intervalMs ?? 200;
  const workerDeps = jobDepsOf(deps);
  let running = true;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const startedAt = deps.clock.now();
  const loop = (async () => {
    try {
      options.onRecovered?.(await recoverOpenJobs(workerDeps, startedAt));
    } catch (error) {
      // Recovery failing (the store unreachable) must not stop the worker: new jobs still run; a restart retries it.
      options.onError?.(error);
    }
    while (running) {
      let received = 0;
      try {
        const messages = await deps.jobsQueue.receive({ max: options.batch ?? 4 });
        received = messages.length;
        await Promise.all(
          messages.map(async (message) => {
            try {
              await processJobMessage(workerDeps, message, {
                maxReceives: options.maxReceives ?? DEFAULT_MAX_RECEIVES,
                timeLeftMs: () => (running ? Number.POSITIVE_INFINITY : 0),
              });
              await deps.jobsQueue.ack(message);
            } catch (error) {
              options.onError?.(error);
            }
          }),
        );
      } catch (error) {
        options.onError?.(error);
      }
      if (received === 0 && running) await pause();
    }
  })();
  return {
    stop: async () => {
      running = false;
      wake?.();
      await loop;
    },
  };
}
