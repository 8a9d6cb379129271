/**
 * The bulk-job worker: issues the rows of one chunk (one queue message). Delivery is at least once and a worker may
 * die anywhere, so every step can be repeated:
 * - each row is issued through {@link issueCredential} with the Idempotency-Key `job:{jobId}:{row}`: a row signed
 *   before a crash is replayed, not signed again;
 * - each row's result is a conditional write, and rows that already have one are skipped;
 * - the chunk is counted on the job once (the store adds its counts and its index in one conditional update).
 *
 * A row the issuer refuses (bad input) is an error result; anything else (a store or KMS failure, a concurrent
 * attempt) fails the chunk, which comes back after the visibility timeout. On its `maxReceives`-th failed delivery
 * the chunk is given up ("dead-lettered"): its remaining rows become error results and the job counts it in `dlq`.
 * On SQS the queue's redrive policy (same count) stays as the backstop for a worker that cannot even do that.
 */
import type { Principal } from "./auth.js";
import { type ErrorCode, isGatewayError } from "./errors.js";
import { issueCredential } from "./issue.js";
import type { ChunkMessage, JobDeps } from "./jobs.js";
import type { JobChunk, JobRecord, JobResult, QueueMessage } from "./ports.js";

/** As the infra's redrive policy (`MAX_RECEIVE_COUNT` in infra/stateful-stack.ts). */
export const DEFAULT_MAX_RECEIVES = 5;

export type WorkerDeps = Omit<JobDeps, "chunkRows">;

export interface WorkerOptions {
  /** Deliveries after which a failing chunk is given up. */
  maxReceives?: number;
}

/** `finished`: counted now; `dead`: given up now; `duplicate`: counted before; `ignored`: not a chunk of a job. */
export type ChunkOutcome = "finished" | "dead" | "duplicate" | "ignored";

/** Errors that are the row's own fault: retrying cannot help, so they become the row's result. */
const ROW_ERRORS = new Set<ErrorCode>([
  "validation-failed",
  "malformed-json",
  "limit-exceeded",
  "unprocessable",
  "not-found",
  "forbidden",
  "not-implemented",
  "conflict",
]);

export const idempotencyKeyOf = (jobId: string, row: number): string => `job:${jobId}:${row}`;

function isChunkMessage(body: unknown): body is ChunkMessage {
  if (typeof body !== "object" || body === null) return false;
  const { type, jobId, chunk } = body as Record<string, unknown>;
  return type === "job-chunk" && typeof jobId === "string" && Number.isSafeInteger(chunk);
}

/** The row's result, or a thrown error when the failure is not the row's (the chunk is retried). */
async function issueRow(deps: WorkerDeps, job: JobRecord, row: JobChunk["rows"][number]): Promise<JobResult> {
  const principal: Principal = { role: "issuer", issuerId: job.issuerSlug };
  try {
    const { verifiableCredential } = await issueCredential(
      deps,
      principal,
      {
        credential: row.credential,
        options: { issuer: job.issuerSlug, format: job.format, ...(job.proof ? { proof: job.proof } : {}) },
      },
      idempotencyKeyOf(job.id, row.row),
    );
    return { row: row.row, verifiableCredential };
  } catch (error) {
    if (!isGatewayError(error) || !ROW_ERRORS.has(error.code)) throw error;
    const issue = error.issues[0];
    // An Idempotency-Key held by another attempt still in progress: not the row's fault, try the chunk later.
    if (error.code === "conflict" && issue?.pointer === "/headers/idempotency-key") throw error;
    return {
      row: row.row,
      error: { path: issue?.pointer.replace(/^\/body/, "") ?? "", message: error.message },
    };
  }
}

/** Counts the chunk's results (all rows have one) and adds them to the job once. */
async function finish(deps: WorkerDeps, job: JobRecord, chunk: JobChunk, dead: boolean): Promise<boolean> {
  const rows = new Set(chunk.rows.map((r) => r.row));
  const results = await chunkResults(deps, job, chunk);
  let done = 0;
  let failed = 0;
  for (const result of results) {
    if (!rows.has(result.row)) continue;
    if ("error" in result) failed += 1;
    else done += 1;
  }
  return deps.jobs.finishChunk(job.id, chunk.index, { done, failed, dead });
}

async function chunkResults(deps: WorkerDeps, job: JobRecord, chunk: JobChunk): Promise<JobResult[]> {
  const rows = chunk.rows.map((r) => r.row);
  const fromRow = Math.min(...rows);
  const toRow = Math.max(...rows);
  const out: JobResult[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.jobs.listResults(job.id, { fromRow, toRow, limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return out;
}

/**
 * Processes one queue message. Resolves when the message may be acknowledged (deleted); rejects when it must come
 * back later (the caller leaves it on the queue).
 */
export async function processJobMessage(
  deps: WorkerDeps,
  message: QueueMessage,
  options: WorkerOptions = {},
): Promise<ChunkOutcome> {
  const maxReceives = options.maxReceives ?? DEFAULT_MAX_RECEIVES;
  if (!isChunkMessage(message.body)) return "ignored";
  const { jobId, chunk: index } = message.body;
  const job = await deps.jobs.getJob(jobId);
  const chunk = job ? await deps.jobs.getChunk(jobId, index) : undefined;
  if (!job || !chunk || chunk.rows.length === 0) return "ignored";
  if (job.finishedChunks.includes(index)) return "duplicate";
  if (!job.startedAt) await deps.jobs.markJobStarted(job.id, deps.clock.now().toISOString());

  try {
    const recorded = new Set((await chunkResults(deps, job, chunk)).map((r) => r.row));
    for (const row of chunk.rows) {
      if (recorded.has(row.row)) continue;
      const result = await issueRow(deps, job, row);
      await deps.jobs.putResult(job.id, result, job.expiresAt);
    }
    return (await finish(deps, job, chunk, false)) ? "finished" : "duplicate";
  } catch (error) {
    if (message.receiveCount < maxReceives) throw error;
    // Poison chunk: every row still without a result is failed, and the chunk is counted as dead-lettered.
    const recorded = new Set((await chunkResults(deps, job, chunk)).map((r) => r.row));
    for (const row of chunk.rows) {
      if (recorded.has(row.row)) continue;
      await deps.jobs.putResult(
        job.id,
        {
          row: row.row,
          error: {
            path: "",
            message: `not issued: the chunk failed ${message.receiveCount} times and was moved to the dead-letter queue`,
          },
        },
        job.expiresAt,
      );
    }
    return (await finish(deps, job, chunk, true)) ? "dead" : "duplicate";
  }
}
