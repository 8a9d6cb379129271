/**
 * The bulk-job worker: issues the rows of one chunk (one queue message). Delivery is at least once and a worker may
 * die anywhere, so every step can be repeated:
 * - rows whose credential id the job derived (`rowCredentialId`, every row whose input gives no id) are issued
 *   together, the chunk being the unit of work (`issueChunkBatch` below, `issue-batch.ts`): one issuer
 *   lookup, one status-index block recorded on the chunk, issuance records and results written in batches; a row
 *   with a result is never signed again;
 * - other rows (an id from the input; registry batches) are issued one by one through {@link issueCredential} with
 *   the Idempotency-Key `job:{jobId}:{row}`: a row signed before a crash is replayed, not signed again;
 * - each row's result is a conditional write, and rows that already have one are skipped;
 * - the chunk is counted on the job once (the store adds its counts and its index in one conditional update).
 *
 * A row the issuer refuses (bad input) is an error result; anything else (a store or KMS failure, a concurrent
 * attempt) fails the chunk, which comes back after the visibility timeout. On its `maxReceives`-th failed delivery
 * the chunk is given up ("dead-lettered"): its remaining rows become error results and the job counts it in `dlq`.
 * On SQS the queue's redrive policy (same count) stays as the backstop for a worker that cannot even do that.
 *
 * A `job-read` message has the worker read an uploaded input into chunks first (`readUploadedJob`, `read-upload.ts`);
 * given up after as many deliveries, the job fails saying so. A reading that runs short of the invocation's time
 * ({@link WorkerOptions.timeLeftMs}) pauses after a chunk and continues in a new message (`continued`).
 *
 * Progress within a chunk: every {@link WorkerOptions.progressEveryMs} (default one second) at most, the worker records
 * how many of the chunk's rows have a result (absolute numbers, so a redelivery sets, never adds). A chunk of 50 rows
 * that takes a few seconds costs a few more writes instead of 50; the counts shown lag by up to that interval while a
 * chunk runs, and are exact once it is counted (its entry goes in the same update that counts it).
 */

import { type ErrorCode, isGatewayError } from "../../kernel/errors.js";
import type { IssuanceRecord, JobChunk, JobRecord, JobResult, QueueMessage } from "../../kernel/ports/index.js";
import type { BatchOptions, BatchOutcome, BatchRow } from "../issue/batch.js";
import type { Principal } from "../tokens/auth.js";
import type { ChunkMessage, JobDeps, ReadMessage } from "./model.js";
import type { readUploadedJob } from "./read-upload.js";

/*
 * The use cases the worker runs, imported by the first message that needs them rather than at init (cold
 * start): issuing carries the writers, signers and the RDF canonicalizer, reading the CSV/XLSX/document readers.
 * Only types are imported statically; esbuild puts each of these in a chunk of its own that Node loads on demand.
 */
const issuing = () => import("../issue/issue.js");
const batchIssuing = () => import("../issue/batch.js");
const readingUseCases = () => import("./read-upload.js");
const queueingUseCases = () => import("./queueing.js");
const chunkUseCases = () => import("./chunks.js");
const registryBatches = () => import("../registry/batch.js");

/** As the infra's redrive policy (`MAX_RECEIVE_COUNT` in infra/stateful-stack.ts). */
export const DEFAULT_MAX_RECEIVES = 5;

export type WorkerDeps = Omit<JobDeps, "chunkRows">;

export interface WorkerOptions {
  /** Deliveries after which a failing chunk is given up. */
  maxReceives?: number;
  /** Milliseconds left in this invocation (Lambda's `context.getRemainingTimeInMillis`); absent: no limit. */
  timeLeftMs?: () => number;
  /** A reading pauses when less time than this is left; default `DEFAULT_READ_RESERVE_MS` (`read-upload.ts`). */
  readReserveMs?: number;
  /** Least time between two progress writes of one chunk; default {@link DEFAULT_PROGRESS_EVERY_MS}. */
  progressEveryMs?: number;
}

/** Least time between two in-flight progress writes of one chunk. */
export const DEFAULT_PROGRESS_EVERY_MS = 1000;

/**
 * `finished`: counted now (or an input read whole); `dead`: given up now; `duplicate`: counted before; `ignored`: not
 * a chunk of a job; `continued`: a reading paused, a message continues it.
 */
export type ChunkOutcome = "finished" | "dead" | "duplicate" | "ignored" | "continued";

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

function isReadMessage(body: unknown): body is ReadMessage {
  if (typeof body !== "object" || body === null) return false;
  const { type, jobId } = body as Record<string, unknown>;
  return type === "job-read" && typeof jobId === "string";
}

function isChunkMessage(body: unknown): body is ChunkMessage {
  if (typeof body !== "object" || body === null) return false;
  const { type, jobId, chunk } = body as Record<string, unknown>;
  return type === "job-chunk" && typeof jobId === "string" && Number.isSafeInteger(chunk);
}

/** The row's result, or a thrown error when the failure is not the row's (the chunk is retried). */
async function issueRow(deps: WorkerDeps, job: JobRecord, row: JobChunk["rows"][number]): Promise<JobResult> {
  const principal: Principal = { role: "issuer", issuerId: job.issuerSlug };
  try {
    const { issueCredential } = await issuing();
    const { verifiableCredential } = await issueCredential(
      deps,
      principal,
      {
        credential: row.credential,
        options: {
          issuer: job.issuerSlug,
          format: job.format,
          ...(job.proof ? { proof: job.proof } : {}),
          ...(job.suspension ? { suspension: true } : {}),
        },
      },
      idempotencyKeyOf(job.id, row.row),
      // The row's key outlives a redelivery however late (recovery after a long stop): it lives as long as the job.
      { rememberUntil: job.expiresAt },
    );
    return { row: row.row, verifiableCredential };
  } catch (error) {
    // An Idempotency-Key held by another attempt still in progress: not the row's fault, try the chunk later.
    if (isGatewayError(error) && error.code === "conflict" && error.issues[0]?.pointer === "/headers/idempotency-key")
      throw error;
    return rowErrorResult(row.row, error);
  }
}

/** A row's error result for an error that is the row's own fault; rethrows any other (the chunk is retried). */
function rowErrorResult(row: number, error: unknown): JobResult {
  if (!isGatewayError(error) || !ROW_ERRORS.has(error.code)) throw error;
  const issue = error.issues[0];
  return { row, error: { path: issue?.pointer.replace(/^\/body/, "") ?? "", message: error.message } };
}

/**
 * The chunk path: the chunk's rows without a result whose credential id the job derived
 * (`rowCredentialId`), issued together by `issueBatch` — one issuer lookup, one status block per purpose recorded on
 * the chunk (a redelivery reuses it: row i gets index start + i), the issuance records then the results written in
 * batches of 25. Exactly once without per-row claims (see `issue-batch.ts`): the rows' credentials are fixed by the
 * chunk, only rows found without a result are signed, and just before writing the chunk's results are read again so
 * that a result another attempt wrote meanwhile is kept, not replaced. Issuance records go first: a crash between
 * the two batches leaves records whose rows have no result, and the retry signs those rows again and replaces the
 * records (same credential id, same status index) with the ones of the results it writes. Answers the results
 * written, and all the chunk's results after the write (those read just before it plus those written).
 */
async function issueChunkBatch(
  deps: WorkerDeps,
  job: JobRecord,
  chunk: JobChunk,
  rows: BatchRow[],
): Promise<{ written: JobResult[]; all: JobResult[] }> {
  const options: BatchOptions = {
    issuer: job.issuerSlug,
    format: job.format,
    ...(job.proof ? { proof: job.proof } : {}),
    ...(job.suspension ? { suspension: true } : {}),
  };
  let outcomes: BatchOutcome[];
  const { allocateBlocks, batchPurposes, issueBatch, resolveBatchIssuer } = await batchIssuing();
  try {
    const issuer = await resolveBatchIssuer(deps, options);
    const purposes = batchPurposes(deps, options);
    let status = chunk.status ?? {};
    if (purposes.some((purpose) => status[purpose] === undefined)) {
      const allocated = await allocateBlocks(deps, issuer.slug, purposes, chunk.rows.length);
      // An earlier attempt's blocks win (this one's indexes then stay unused, never handed out again).
      status = await deps.jobs.recordChunkStatus(job.id, chunk.index, allocated);
    }
    outcomes = await issueBatch(deps, issuer, rows, options, status);
  } catch (error) {
    // The issuer cannot be used (gone, ...): every row says why, as a per-row issuance would have.
    if (!isGatewayError(error) || !ROW_ERRORS.has(error.code)) throw error;
    outcomes = rows.map((row) => ({ row: row.row, error }));
  }
  const inChunk = new Set(chunk.rows.map((r) => r.row));
  const stored = (await chunkResults(deps, job, chunk)).filter((r) => inChunk.has(r.row));
  const since = new Set(stored.map((r) => r.row));
  const results: JobResult[] = [];
  const issuances: IssuanceRecord[] = [];
  for (const outcome of outcomes) {
    if (since.has(outcome.row)) continue;
    if ("error" in outcome) {
      results.push(rowErrorResult(outcome.row, outcome.error));
    } else {
      results.push({ row: outcome.row, verifiableCredential: outcome.verifiableCredential });
      issuances.push(outcome.issuance);
    }
  }
  await deps.store.putIssuances(issuances);
  await deps.jobs.putResults(job.id, results, job.expiresAt);
  return { written: results, all: [...stored, ...results] };
}

/** Counts the chunk's results (all rows have one) and adds them to the job once. */
async function finish(
  deps: WorkerDeps,
  job: JobRecord,
  chunk: JobChunk,
  dead: boolean,
  /** Every result of the chunk, when the caller just read and wrote them (the chunk path): not read again. */
  known?: JobResult[],
): Promise<boolean> {
  const rows = new Set(chunk.rows.map((r) => r.row));
  const results = known ?? (await chunkResults(deps, job, chunk));
  let done = 0;
  let failed = 0;
  for (const result of results) {
    if (!rows.has(result.row)) continue;
    if ("error" in result) failed += 1;
    else done += 1;
  }
  const counted = await deps.jobs.finishChunk(job.id, chunk.index, { done, failed, dead });
  // The chunk that completes the job takes it out of the open jobs (a crash before this is mended by recovery). While
  // an uploaded input is still being read, its chunk count is not known: the reading closes the job when it ends.
  const after = await deps.jobs.getJob(job.id);
  if (after && after.stage === undefined && after.finishedChunks.length >= after.chunks)
    await deps.jobs.closeJob(after);
  return counted;
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
  if (isReadMessage(message.body)) {
    const { readUploadedJob } = await readingUseCases();
    const { failJob } = await queueingUseCases();
    let read: Awaited<ReturnType<typeof readUploadedJob>>;
    try {
      read = await readUploadedJob(deps, message.body.jobId, {
        ...(options.timeLeftMs ? { timeLeftMs: options.timeLeftMs } : {}),
        ...(options.readReserveMs !== undefined ? { reserveMs: options.readReserveMs } : {}),
      });
    } catch (error) {
      if (message.receiveCount < maxReceives) throw error;
      // Given up: the job says why instead of staying `reading` (its message goes to the DLQ on SQS).
      const job = await deps.jobs.getJob(message.body.jobId);
      if (!job) return "ignored";
      await failJob(deps, job, `the uploaded input could not be read after ${message.receiveCount} attempts`);
      return "dead";
    }
    return read === "read" ? "finished" : read === "paused" ? "continued" : read === "failed" ? "dead" : "ignored";
  }
  if (!isChunkMessage(message.body)) return "ignored";
  const { jobId, chunk: index } = message.body;
  const job = await deps.jobs.getJob(jobId);
  const chunk = job ? await deps.jobs.getChunk(jobId, index) : undefined;
  if (!job || !chunk || chunk.rows.length === 0) return "ignored";
  if (job.finishedChunks.includes(index)) return "duplicate";
  if (!job.startedAt) await deps.jobs.markJobStarted(job.id, deps.clock.now().toISOString());

  try {
    const inChunk = new Set(chunk.rows.map((r) => r.row));
    const before = (await chunkResults(deps, job, chunk)).filter((r) => inChunk.has(r.row));
    const recorded = new Set(before.map((r) => r.row));
    const progress = new ChunkProgress(deps, job.id, index, options.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS);
    for (const result of before) progress.count(result);
    // Rows whose credential id the job derived take the chunk path; the others (an id from the input, which another
    // issuance may have used) and registry batches are issued one by one with their Idempotency-Key.
    const { rowCredentialId } = await chunkUseCases();
    const batchRows: BatchRow[] = job.batch
      ? []
      : chunk.rows.flatMap((row, position) =>
          !recorded.has(row.row) && row.credential.id === rowCredentialId(job.id, row.row)
            ? [{ row: row.row, position, credential: row.credential }]
            : [],
        );
    let known: JobResult[] | undefined;
    if (batchRows.length > 0) {
      const { written, all } = await issueChunkBatch(deps, job, chunk, batchRows);
      for (const result of written) progress.count(result);
      known = all;
      // Every one has a result now: this attempt's, or (written meanwhile) another's, which is kept.
      for (const row of batchRows) recorded.add(row.row);
      await progress.maybeRecord();
    }
    for (const row of chunk.rows) {
      if (recorded.has(row.row)) continue;
      known = undefined; // a row issued one by one: the chunk's results are read again to count them
      // Registry batches may convert only, or also deliver; their results say what was done.
      const { batch } = job;
      const result = batch
        ? await (await registryBatches()).finishBatchRecord(
            { ...job, batch },
            row,
            () => issueRow(deps, job, row),
            deps.deliverRecord,
          )
        : await issueRow(deps, job, row);
      await deps.jobs.putResult(job.id, result, job.expiresAt);
      progress.count(result);
      await progress.maybeRecord();
    }
    return (await finish(deps, job, chunk, false, known)) ? "finished" : "duplicate";
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

/**
 * A chunk's rows with a result, recorded on the job at most every `everyMs` (by the deps' clock) and only when they
 * changed: absolute numbers, so that a redelivered chunk sets the same values instead of adding them again.
 */
class ChunkProgress {
  #done = 0;
  #failed = 0;
  #written = "0/0";
  #at: number;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly jobId: string,
    private readonly index: number,
    private readonly everyMs: number,
  ) {
    this.#at = deps.clock.now().getTime();
  }

  count(result: JobResult): void {
    if ("error" in result) this.#failed += 1;
    else this.#done += 1;
  }

  async maybeRecord(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const state = `${this.#done}/${this.#failed}`;
    if (now - this.#at < this.everyMs || state === this.#written) return;
    this.#at = now;
    this.#written = state;
    await this.deps.jobs.setChunkProgress(this.jobId, this.index, { done: this.#done, failed: this.#failed });
  }
}

/** What {@link recoverOpenJobs} found and did. */
export interface Recovery {
  /** Open jobs with chunks still to count. */
  jobs: number;
  /** Chunk messages queued again. */
  chunks: number;
  /** Idempotency claims of dead attempts released. */
  released: number;
}

/**
 * Puts the unfinished chunks of every open job back on the queue: for a worker whose queue does not survive its
 * process (the local gateway's in-process queue; on AWS, SQS keeps undeleted messages and its DLQ keeps poison ones,
 * so this is not needed there). Safe to run while chunks are processed or queued: a chunk queued twice is counted once.
 *
 * A process killed mid-row leaves that row's Idempotency-Key claimed (`pending`) for the claim lease, which would make
 * the chunk's retries fail until it runs out (and possibly dead-letter the chunk). Rows of a chunk are issued in order
 * and the first failure stops the chunk, so only a chunk's first row without a result can hold such a claim: a pending
 * claim taken before `claimedBefore` (this worker's start, when no attempt of this process can hold it) is released.
 * Its attempt wrote no issuance record (issuance stores the key's response first), so nothing is issued twice; a
 * status index it may have taken stays unused, never handed out again. Jobs created after `claimedBefore` are left
 * to the worker that is running.
 */
export async function recoverOpenJobs(deps: WorkerDeps, claimedBefore: Date): Promise<Recovery> {
  const recovery: Recovery = { jobs: 0, chunks: 0, released: 0 };
  let cursor: string | undefined;
  do {
    const page = await deps.jobs.listOpenJobs({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const job of page.items) {
      if (Date.parse(job.createdAt) >= claimedBefore.getTime() || job.stage === "awaiting-upload") continue;
      // An input being read: its reading continues from its recorded progress, and the chunks it queued before (lost
      // with the process's queue) are queued again.
      const reading = job.stage === "reading" && job.error === undefined;
      if (reading) {
        const message: ReadMessage = { type: "job-read", jobId: job.id };
        await deps.queue.send(message);
      } else if (job.error !== undefined || job.finishedChunks.length >= job.chunks) {
        await deps.jobs.closeJob(job);
        continue;
      }
      recovery.jobs += 1;
      const finished = new Set(job.finishedChunks);
      const chunks = reading ? (job.readProgress?.chunks ?? 0) : job.chunks;
      for (let index = 0; index < chunks; index++) {
        if (finished.has(index)) continue;
        const chunk = await deps.jobs.getChunk(job.id, index);
        if (!chunk || chunk.rows.length === 0) continue;
        const recorded = new Set((await chunkResults(deps, job, chunk)).map((r) => r.row));
        const first = chunk.rows.find((r) => !recorded.has(r.row));
        if (first) {
          const key = idempotencyKeyOf(job.id, first.row);
          const claim = await deps.store.getIdempotency(job.issuerSlug, key);
          if (claim?.state === "pending" && Date.parse(claim.createdAt) < claimedBefore.getTime()) {
            await deps.store.releaseIdempotency(job.issuerSlug, key);
            recovery.released += 1;
          }
        }
        const message: ChunkMessage = { type: "job-chunk", jobId: job.id, chunk: index };
        await deps.queue.send(message);
        recovery.chunks += 1;
      }
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return recovery;
}
