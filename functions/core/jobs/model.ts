/**
 * The records a bulk job's use cases share: their dependencies, the request that creates a job, the queue messages
 * that drive its workers and the view a caller is shown.
 */
import type { Format, ProofSuite } from "../../../mappings/formats.js";
import type { JobStatus, JobStore, Queue, UploadStore } from "../../kernel/ports/index.js";
import type { IssueDeps } from "../issue/issue.js";
import type { DeliverRecord } from "../registry/batch.js";

/** What a job's rows are issued as. */
export type JobFormat = "ob3" | "elm" | "sd-jwt-vc";

/**
 * The format a job's rows are written and stored in before signing: an SD-JWT VC is issued from an ELM credential
 * (through the canonical model, as `POST /v1/credentials/issue` does), ELM carrying every Annex I element.
 */
export const rowFormatOf = (format: JobFormat): "ob3" | "elm" => (format === "sd-jwt-vc" ? "elm" : format);

/** How long a job, its chunks and its results are kept. */
export const JOB_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface JobDeps extends IssueDeps {
  jobs: JobStore;
  queue: Queue;
  /** Rows per chunk; default {@link DEFAULT_CHUNK_ROWS}. */
  chunkRows?: number;
  /** Retries of a chunk's queue send at submission; default {@link DEFAULT_SEND_RETRY}. */
  sendRetry?: { attempts: number; baseDelayMs: number };
  /** Waits between send retries (tests pass a fast one); default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Large inputs, uploaded with a pre-signed URL; absent: jobs take their document in the request only. */
  uploads?: UploadStore;
  /** Largest uploaded input read; default {@link DEFAULT_MAX_UPLOAD_BYTES}. */
  maxUploadBytes?: number;
  /** Registry batches that deliver: deposits an issued record; absent: no wallet, records say so. */
  deliverRecord?: DeliverRecord;
  /** Most records of a document sent in the request; default the work budget's (`maxInlineJobRows`). */
  maxInlineJobRows?: number;
}

export interface CreateJobInput {
  from: Format;
  document?: unknown;
  upload?: boolean;
  options: { issuer: string; format: JobFormat; proof?: ProofSuite } & Record<string, unknown>;
}

/** The queue message of one chunk. */
export interface ChunkMessage {
  type: "job-chunk";
  jobId: string;
  chunk: number;
}

/** The queue message that has a worker read an uploaded input into chunks. */
export interface ReadMessage {
  type: "job-read";
  jobId: string;
}

/** What `GET /v1/jobs/{id}` shows. */
export interface JobView {
  id: string;
  status: JobStatus;
  issuer: string;
  from: string;
  format: JobFormat;
  proof?: string;
  total: number;
  done: number;
  failed: number;
  dlq: number;
  createdAt: string;
  startedAt?: string;
  /** A running job: rows with a result per second since it started. */
  rowsPerSecond?: number;
  /** A running job: seconds left at that pace. */
  etaSeconds?: number;
  /** Why the job cannot finish (status `failed`). */
  error?: string;
}
