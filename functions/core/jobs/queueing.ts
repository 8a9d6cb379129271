/**
 * Sending a job's queue messages, and failing the job as a whole when they cannot be sent (or its input cannot be
 * read) instead of leaving it open for work nobody will do.
 */
import type { JobRecord } from "../../kernel/ports/index.js";
import type { ChunkMessage, JobDeps, ReadMessage } from "./model.js";

/** Fails a job as a whole: records why, takes it out of the open jobs and deletes its upload (learners' data). */
export async function failJob(deps: JobDeps, job: JobRecord, reason: string): Promise<"failed"> {
  await deps.jobs.setJobError(job.id, reason);
  await deps.jobs.closeJob(job);
  if (job.uploadKey) await deps.uploads?.delete(job.uploadKey);
  return "failed";
}

/** Attempts of one queue send at submission, and the first pause between them (doubled each time). */
export const DEFAULT_SEND_RETRY = { attempts: 5, baseDelayMs: 100 } as const;

/**
 * Sends one message, retrying a failed send with exponential backoff. When it still fails the job records why
 * (status `failed`, `error` in its view) and leaves the open jobs, instead of waiting forever for work nobody will
 * do; false then.
 */
export async function sendOrFail(
  deps: JobDeps,
  job: Pick<JobRecord, "id" | "createdAt">,
  message: ChunkMessage | ReadMessage,
  what: string,
): Promise<boolean> {
  const { attempts, baseDelayMs } = deps.sendRetry ?? DEFAULT_SEND_RETRY;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.queue.send(message);
      return true;
    } catch (error) {
      if (attempt < attempts) {
        await sleep(baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      const reason = error instanceof Error ? error.message : String(error);
      await deps.jobs.setJobError(job.id, `${what} after ${attempts} attempts (${reason}); submit the job again`);
      await deps.jobs.closeJob(job);
      return false;
    }
  }
}

/**
 * Queues one message per chunk (`chunks`: a count, 0..n-1, or the indexes). Chunks queued before a send that fails
 * for good stay queued (their rows are issued and listed); the job says it failed.
 */
export async function queueChunks(
  deps: JobDeps,
  job: Pick<JobRecord, "id" | "createdAt">,
  chunks: number | number[],
): Promise<void> {
  const indexes = typeof chunks === "number" ? Array.from({ length: chunks }, (_, i) => i) : chunks;
  const count = typeof chunks === "number" ? chunks : indexes.length;
  for (const chunk of indexes) {
    const message: ChunkMessage = { type: "job-chunk", jobId: job.id, chunk };
    if (!(await sendOrFail(deps, job, message, `chunk ${chunk} of ${count} could not be queued`))) return;
  }
}
