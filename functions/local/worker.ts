/**
 * The bulk-job worker of the local gateway: polls the in-process jobs queue and processes each chunk with the same
 * use case the SQS Lambda runs. A chunk that fails stays on the queue and comes back after the visibility timeout.
 */
import { DEFAULT_MAX_RECEIVES, processJobMessage } from "../core/job-worker.js";
import { type JobGatewayDeps, jobDepsOf } from "../handlers/job-deps.js";

export interface LocalWorkerOptions {
  /** Pause between polls of an empty queue. Default 200 ms. */
  intervalMs?: number;
  maxReceives?: number;
  /** Messages taken per poll (processed concurrently), 1..10. Default 4. */
  batch?: number;
  /** Called with each failure of a chunk (it will be retried). */
  onError?: (error: unknown) => void;
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
  const loop = (async () => {
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
