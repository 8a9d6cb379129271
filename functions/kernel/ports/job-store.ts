/** Bulk jobs: their records, chunks, rows and results, and where they are stored. */
import type { StatusBlock } from "./status-store.js";
import type { UploadStore } from "./upload-store.js";

/** Where a bulk job stands; derived from its counters (see `functions/core/jobs/jobs.ts`). */
export type JobStatus =
  | "awaiting-upload"
  | "reading"
  | "queued"
  | "running"
  | "completed"
  | "completed-with-errors"
  | "failed";

/** A bulk job as stored: who asked for what, and its progress counters. */
export interface JobRecord {
  id: string;
  /** The issuer whose keys sign, and whose token (or the admin's) may read the job. */
  issuerSlug: string;
  /** The input format the document was read as. */
  from: string;
  /** What each row is issued as; `sd-jwt-vc` rows are stored as unsigned ELM and issued as SD-JWT VCs from it. */
  format: "ob3" | "elm" | "sd-jwt-vc";
  proof?: "eddsa-rdfc-2022" | "vc-jwt" | "jades";
  /** Rows of the input: credentials to issue plus rows that could not be read. */
  total: number;
  /** Number of chunks (queue messages) the job was split into, numbered 0..chunks-1. */
  chunks: number;
  /** Rows issued. */
  done: number;
  /** Rows with an error result (unreadable, refused, or in a dead-lettered chunk). */
  failed: number;
  /** Chunks given up after too many attempts (their rows are counted in `failed`). */
  dlq: number;
  /** Indexes of the chunks whose rows have all been counted; a chunk is counted once. */
  finishedChunks: number[];
  createdAt: string;
  /** When a worker first picked up one of its chunks. */
  startedAt?: string;
  /** When the job and its items may be forgotten. */
  expiresAt: string;
  /** Why the job cannot finish (its chunks could not all be queued); set, the job's status is `failed`. */
  error?: string;
  /**
   * Jobs whose input is uploaded: `awaiting-upload` until the start route, then `reading` while a worker reads the
   * uploaded object into chunks; absent once `total` and `chunks` are known (and always for inline documents).
   */
  stage?: "awaiting-upload" | "reading";
  /** The uploaded input's key in the {@link UploadStore} (upload jobs only). */
  uploadKey?: string;
  /** Reader options of the input (delimiter, sheet, ...), kept for an uploaded input read later. */
  readerOptions?: Record<string, unknown>;
  /** A registry batch: what to do with each record besides converting it. Absent: every row is issued. */
  batch?: JobBatch;
  /** Each row is issued with `options.suspension: true` (a suspension status entry as well as the revocation one). */
  suspension?: boolean;
  /** An uploaded input being read (stage `reading`): what the reading has recorded so far (resumable reading). */
  readProgress?: ReadProgress;
  /**
   * Rows with a result in chunks not counted yet, by chunk index, as the worker last recorded them (every second or
   * so, not per row): the view adds them to `done` / `failed`; a chunk's entry goes when the chunk is counted.
   */
  chunkProgress?: Record<number, { done: number; failed: number }>;
}

/**
 * How far the reading of an uploaded input got, recorded after each chunk: the first `rows` rows the reader yields
 * are in chunks 0..chunks-1 (queued) or are error results (`failed` of them). A reader that resumes skips them.
 */
export interface ReadProgress {
  rows: number;
  chunks: number;
  failed: number;
}

/** A registry batch's settings: convert each record, then optionally issue it, then optionally deliver it. */
export interface JobBatch {
  /** Issue (sign) each converted record under the job's issuer; false: convert only. */
  issue: boolean;
  /** Deliver each issued record to the learner's Europass wallet (by the e-mail address the record gives). */
  deliver: boolean;
  /** Whether the wallet e-mails the learner about a delivery (default true). */
  sendEmail?: boolean;
}

/** What happened to one record of a registry batch, and why not when something did not. */
export interface RecordOutcome {
  converted: boolean;
  issued: boolean;
  /** Present when delivery was asked for: whether a delivery was queued for the record. */
  delivered?: boolean;
  /** The delivery's id (`GET /v1/deliveries/{id}` follows it). */
  deliveryId?: string;
  /** Why a step asked for did not happen. */
  reason?: string;
}

/** One row to issue: its row number in the input and the unsigned credential, already in the target format. */
export interface JobRow {
  row: number;
  credential: Record<string, unknown>;
  /** Registry batches that deliver: the learner's e-mail address the record gives (personal data: never logged). */
  recipient?: string;
}

/** A slice of a job: the input of one queue message. */
export interface JobChunk {
  jobId: string;
  index: number;
  rows: JobRow[];
  expiresAt: string;
  /** Status-list indexes recorded for the chunk by its first attempt ({@link JobStore.recordChunkStatus}). */
  status?: ChunkStatus;
}

/** The outcome of one row: the issued credential or why there is none. */
export type JobResult =
  | { row: number; verifiableCredential: unknown; outcome?: RecordOutcome }
  | { row: number; error: { path: string; message: string }; outcome?: RecordOutcome }
  /** A record of a convert-only registry batch: the converted, unsigned credential. */
  | { row: number; credential: unknown; outcome: RecordOutcome };

/**
 * Durable storage of bulk jobs (same DynamoDB table; dynalite locally). Every write a worker repeats after a crash is
 * idempotent: a row's result is written once, a chunk is counted once.
 */
export interface JobStore {
  /** Stores a new job; fails with `conflict` when the id is taken. */
  createJob(job: JobRecord): Promise<void>;
  getJob(id: string): Promise<JobRecord | undefined>;
  /** Sets `startedAt` unless it is set already. */
  markJobStarted(id: string, at: string): Promise<void>;
  /** Stores a chunk's input (size-bounded by the caller: a DynamoDB item holds at most 400 KB). */
  putChunk(chunk: JobChunk): Promise<void>;
  getChunk(jobId: string, index: number): Promise<JobChunk | undefined>;
  /** Writes a row's result unless one exists; true when this call wrote it. */
  putResult(jobId: string, result: JobResult, expiresAt: string): Promise<boolean>;
  /**
   * Results in row order. `fromRow`/`toRow` (inclusive) narrow to a range; `cursor` continues an earlier page.
   */
  listResults(
    jobId: string,
    opts?: { fromRow?: number; toRow?: number; limit?: number; cursor?: string },
  ): Promise<{ items: JobResult[]; cursor?: string }>;
  /**
   * Adds a finished chunk's counts to the job in one atomic update, unless that chunk was counted before (then
   * false). `dead` also counts the chunk in `dlq`.
   */
  finishChunk(jobId: string, index: number, counts: { done: number; failed: number; dead: boolean }): Promise<boolean>;
  /** One page of jobs, newest first: one issuer's, or (no `issuerSlug`) every issuer's. */
  listJobs(opts?: { issuerSlug?: string; limit?: number; cursor?: string }): Promise<{
    items: JobRecord[];
    cursor?: string;
  }>;
  /**
   * Jobs not closed yet, oldest first: what a restarted local worker must look at (`functions/local/worker.ts`).
   * A job is open from its creation until {@link JobStore.closeJob}.
   */
  listOpenJobs(opts?: { limit?: number; cursor?: string }): Promise<{ items: JobRecord[]; cursor?: string }>;
  /** Takes a job whose chunks are all counted (or that failed) out of the open jobs; repeating it does nothing. */
  closeJob(job: Pick<JobRecord, "id" | "createdAt">): Promise<void>;
  /** Records why the job cannot finish (`error`), unless an error is recorded already. */
  setJobError(id: string, message: string): Promise<void>;
  /** Moves an upload job from `awaiting-upload` to `reading`; false when it was not awaiting its upload. */
  startReading(id: string): Promise<boolean>;
  /**
   * Ends a `reading` job's reading: sets its row and chunk counts (and the rows that failed to read) and clears the
   * stage; false when it was not reading (counted before by an earlier attempt).
   */
  setJobCounts(id: string, counts: { total: number; chunks: number; failed: number }): Promise<boolean>;
  /**
   * Records a `reading` job's progress `to`, on condition that the recorded progress is still `from` (undefined:
   * none yet); false when it is not (another reader got further) or the job is not reading any more.
   */
  recordReadProgress(id: string, from: ReadProgress | undefined, to: ReadProgress): Promise<boolean>;
  /**
   * Records the rows of a chunk not counted yet that have a result (absolute numbers, so a repeated delivery sets
   * the same values); false, and nothing written, once the chunk is counted.
   */
  setChunkProgress(id: string, index: number, counts: { done: number; failed: number }): Promise<boolean>;
  /**
   * Writes many results of a job at once (BatchWriteItem, 25 a request). Not conditional: the caller writes only rows
   * it found without a result, and a row's result is the same credential on every attempt (see `issue-batch.ts`).
   */
  putResults(jobId: string, results: JobResult[], expiresAt: string): Promise<void>;
  /**
   * Records on a chunk the status-list indexes allocated for it, unless it has some already; answers the recorded
   * ones (this call's, or an earlier attempt's, which the caller then uses instead: its own block stays unused).
   */
  recordChunkStatus(jobId: string, index: number, status: ChunkStatus): Promise<ChunkStatus>;
  /** A shared token bucket's state (the workers' signing budget, `core/jobs/signing-budget.ts`); absent: never used. */
  readBudget(name: string): Promise<BudgetState | undefined>;
  /**
   * Replaces a token bucket's state on condition that it is still `from` (undefined: absent); false, and nothing
   * written, when another worker changed it first.
   */
  swapBudget(name: string, from: BudgetState | undefined, to: BudgetState): Promise<boolean>;
}

/** A token bucket: its tokens (negative: drawn ahead) as of `at` (milliseconds since the epoch). */
export interface BudgetState {
  tokens: number;
  at: number;
}

/** The status-list blocks of a chunk: its i-th row gets index `start + i` of each. */
export interface ChunkStatus {
  revocation?: StatusBlock;
  suspension?: StatusBlock;
}
