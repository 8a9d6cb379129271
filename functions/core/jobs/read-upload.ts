/**
 * A worker's reading of an uploaded bulk-job input into chunks: resumable, paused before the invocation's time runs
 * out, and bounded by the upload limit whatever was PUT to the pre-signed URL.
 */
import type { Format } from "../../../mappings/formats.js";
import { GatewayError, isGatewayError } from "../../kernel/errors.js";
import type { ReadProgress } from "../../kernel/ports/index.js";
import { type SplitCounts, splitRows } from "./chunks.js";
import type { ChunkMessage, JobDeps, ReadMessage } from "./model.js";
import { failJob, queueChunks, sendOrFail } from "./queueing.js";
import { type MappingSink, readRowsFromStream } from "./rows.js";

/** Largest uploaded input read, unless the deps say otherwise (GATEWAY_MAX_UPLOAD_BYTES). */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

/** Time a reading keeps in hand when it pauses: one more chunk, the counts and the continuation message fit in it. */
export const DEFAULT_READ_RESERVE_MS = 10_000;

/** How long a reading may go on: the worker's remaining time (Lambda's `getRemainingTimeInMillis`). */
export interface ReadBudget {
  /** Milliseconds left in this invocation; absent: no limit (the local worker). */
  timeLeftMs?: () => number;
  /** The reading pauses when less than this is left; default {@link DEFAULT_READ_RESERVE_MS}. */
  reserveMs?: number;
}

/**
 * A worker's reading of an uploaded input (the `job-read` message): its rows are written into chunks, each chunk
 * queued as soon as it is stored (workers issue it while the reading goes on), the job gets its counts and the upload
 * is deleted (it holds learners' data). An input that cannot be read, or holds no row, fails the job with the reason.
 *
 * Resumable: after each chunk the reading records its progress on the job (a conditional update from the progress
 * it started from). When the invocation's time runs short (`budget`) it stops after a chunk, queues a `job-read`
 * message that continues it and answers `paused`. Any later reading (that message, a redelivery after a crash)
 * re-reads the input from its start, skipping the rows the recorded progress covers without writing them, and goes
 * on from the next chunk index; a chunk written but not recorded before a crash is written again, the same. A
 * reading whose update finds the progress moved on (another delivery got further) stops: `ignored`. A repeated
 * delivery after the counts were set only closes what is left (the chunks were all queued before).
 */
export async function readUploadedJob(
  deps: JobDeps,
  jobId: string,
  budget: ReadBudget = {},
): Promise<"read" | "paused" | "failed" | "ignored"> {
  const job = await deps.jobs.getJob(jobId);
  if (!job?.uploadKey || job.stage === "awaiting-upload" || job.error !== undefined) return "ignored";
  if (!deps.uploads) throw new Error("a job-read message needs the upload store");
  if (job.stage === "reading") {
    const stream = await deps.uploads.open(job.uploadKey);
    const issuer = await deps.store.getIssuer(job.issuerSlug);
    const fatal = !stream ? "the uploaded input is gone" : !issuer ? "the job's issuer is gone" : undefined;
    if (fatal || !stream || !issuer) return failJob(deps, job, fatal ?? "");
    const reserveMs = budget.reserveMs ?? DEFAULT_READ_RESERVE_MS;
    let recorded = job.readProgress;
    let halt: "paused" | "failed" | "ignored" | undefined;
    const onChunk = async (index: number, progress: ReadProgress): Promise<boolean> => {
      const message: ChunkMessage = { type: "job-chunk", jobId: job.id, chunk: index };
      if (!(await sendOrFail(deps, job, message, `chunk ${index} could not be queued`))) {
        halt = "failed";
        return false;
      }
      if (!(await deps.jobs.recordReadProgress(job.id, recorded, progress))) {
        halt = "ignored";
        return false;
      }
      recorded = progress;
      if (budget.timeLeftMs && budget.timeLeftMs() < reserveMs) {
        halt = "paused";
        return false;
      }
      return true;
    };
    let counts: SplitCounts & { stopped: boolean };
    const sink: MappingSink = {};
    try {
      counts = await splitRows(
        deps,
        {
          id: job.id,
          issuer,
          format: job.format,
          expiresAt: job.expiresAt,
          ...(job.batch ? { batch: job.batch } : {}),
        },
        readRowsFromStream(
          capped(stream, deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES),
          job.from as Format,
          deps.limits,
          job.readerOptions ?? {},
          sink,
        ),
        { ...(job.readProgress ? { resume: job.readProgress } : {}), onChunk },
        sink,
      );
    } catch (error) {
      if (isGatewayError(error) && error.code !== "internal") return failJob(deps, job, error.message);
      throw error;
    }
    if (halt === "failed" || halt === "ignored") return halt;
    if (counts.stopped) {
      // Continued by a message of its own: a fresh delivery, not a retry counted towards the dead-letter queue.
      const message: ReadMessage = { type: "job-read", jobId: job.id };
      await deps.queue.send(message);
      return "paused";
    }
    if (counts.total === 0) return failJob(deps, job, "the uploaded input holds no credential");
    await deps.jobs.setJobCounts(job.id, counts);
  }
  const counted = await deps.jobs.getJob(jobId);
  if (!counted || counted.stage !== undefined) return "ignored";
  if (!counted.readProgress) {
    // Read by an earlier version, which queued the chunks only after the counts: queue those not counted yet.
    const finished = new Set(counted.finishedChunks);
    const pending = Array.from({ length: counted.chunks }, (_, i) => i).filter((i) => !finished.has(i));
    await queueChunks(deps, counted, pending);
  }
  // Chunks counted while the job was still reading could not close it: the last one may be counted already.
  if (counted.finishedChunks.length >= counted.chunks) await deps.jobs.closeJob(counted);
  await deps.uploads.delete(job.uploadKey);
  return "read";
}

/**
 * The upload's bytes, refused past `max`: `startJob` checked the object's size, but the pre-signed URL stays valid
 * after the start (S3 cannot revoke it, and takes any size), so the object read may be a larger one PUT over it
 * since; an XLSX or a document is read whole, so the limit is what bounds the worker's memory.
 */
async function* capped(bytes: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const part of bytes) {
    size += part.length;
    if (size > max) {
      throw new GatewayError(
        "limit-exceeded",
        `the uploaded input is larger than the upload limit: at most ${max} bytes are read`,
        [{ pointer: "/path/id", detail: `upload at most ${max} bytes` }],
      );
    }
    yield part;
  }
}
