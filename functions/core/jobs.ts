/**
 * Bulk jobs: a document of many credentials (a spreadsheet, an ELMO file with several reports...) is read row by row,
 * each row written as an unsigned credential in the target format, and the rows stored in chunks of at most
 * {@link JobOptions.chunkRows} (and {@link MAX_CHUNK_BYTES}); one queue message per chunk lets workers issue them
 * (`job-worker.ts`). Rows that cannot be read are error results from the start. Progress is counted on the job item
 * with atomic updates; results are listed in input order.
 *
 * The written credential is stored, not re-derived by the worker: the request a worker makes for a row is then the
 * same on every attempt, which is what lets the row's Idempotency-Key replay an issuance instead of refusing it.
 */
import { randomUUID } from "node:crypto";
import type { Format, ProofSuite } from "../../mappings/formats.js";
import type { CanonicalCredential, ReadIssue } from "../../mappings/model.js";
import { WRITERS } from "../../mappings/registry.js";
import { readCsvStream } from "../../mappings/spreadsheet/csv.js";
import { spreadsheetOptions } from "../../mappings/spreadsheet/select.js";
import { readXlsxRows } from "../../mappings/spreadsheet/xlsx.js";
import { type Principal, requireIssuer } from "./auth.js";
import { readDocumentsAsync } from "./documents.js";
import { GatewayError, notFound } from "./errors.js";
import type { IssueDeps } from "./issue.js";
import { slugFromId } from "./issuers.js";
import type { JsonLimits } from "./json.js";
import type { IssuerRecord, JobRecord, JobResult, JobRow, JobStatus, JobStore, Queue } from "./ports.js";

/** Rows per chunk (one queue message) unless the deps say otherwise. */
export const DEFAULT_CHUNK_ROWS = 50;
/** Largest chunk input as JSON text: a DynamoDB item holds at most 400 KB. */
export const MAX_CHUNK_BYTES = 300_000;
/** How long a job, its chunks and its results are kept. */
export const JOB_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface JobDeps extends IssueDeps {
  jobs: JobStore;
  queue: Queue;
  /** Rows per chunk; default {@link DEFAULT_CHUNK_ROWS}. */
  chunkRows?: number;
}

export interface CreateJobInput {
  from: Format;
  document?: unknown;
  upload?: boolean;
  options: { issuer: string; format: "ob3" | "elm"; proof?: ProofSuite } & Record<string, unknown>;
}

/** The queue message of one chunk. */
export interface ChunkMessage {
  type: "job-chunk";
  jobId: string;
  chunk: number;
}

/** What `GET /v1/jobs/{id}` shows. */
export interface JobView {
  id: string;
  status: JobStatus;
  issuer: string;
  from: string;
  format: "ob3" | "elm";
  proof?: string;
  total: number;
  done: number;
  failed: number;
  dlq: number;
  createdAt: string;
  startedAt?: string;
}

/** One row of the input as read: its credential, or why it has none. */
export interface ReadRow {
  row: number;
  credential?: CanonicalCredential;
  errors: ReadIssue[];
}

const unprocessable = (detail: string, issues: ReadIssue[]) =>
  new GatewayError(
    "unprocessable",
    detail,
    issues.slice(0, 100).map((i) => ({ pointer: `/body/document${i.path}`, detail: i.message })),
  );

const rowOfPath = (path: string): number | undefined => {
  const match = /^\/rows\/(\d+)/.exec(path);
  return match ? Number(match[1]) : undefined;
};

async function* oneChunk(text: string): AsyncGenerator<string> {
  yield text;
}

/** The CSV reader's own guess: `;` when the header line has more of them than `,`. */
function delimiterOf(text: string): string {
  const newline = text.indexOf("\n");
  const first = newline < 0 ? text : text.slice(0, newline);
  return first.split(";").length > first.split(",").length ? ";" : ",";
}

/**
 * The input's rows, in order, one at a time: spreadsheets through their streaming readers (row numbers as the
 * spreadsheet shows them), other formats through their readers (row = position of the credential, from 1).
 */
export async function* readRows(
  document: unknown,
  from: Format,
  limits: JsonLimits,
  options: Record<string, unknown> = {},
): AsyncGenerator<ReadRow> {
  if (from === "csv") {
    if (typeof document !== "string") {
      throw unprocessable("a CSV document is text", [{ path: "", message: "must be a string" }]);
    }
    const sheet = spreadsheetOptions(options);
    let last = 1;
    for await (const item of readCsvStream(oneChunk(document), {
      ...sheet,
      delimiter: sheet.delimiter ?? delimiterOf(document),
    })) {
      if ("fatal" in item) throw unprocessable(`the CSV cannot be read: ${item.fatal[0]?.message ?? ""}`, item.fatal);
      const row = item.row > 0 ? item.row : (rowOfPath(item.errors[0]?.path ?? "") ?? last + 1);
      last = row;
      yield { ...item, row };
    }
    return;
  }
  if (from === "xlsx") {
    for await (const item of readXlsxRows(document, spreadsheetOptions(options))) {
      if ("fatal" in item) throw unprocessable(`the XLSX cannot be read: ${item.fatal[0]?.message ?? ""}`, item.fatal);
      if ("header" in item) continue;
      yield item;
    }
    return;
  }
  const read = await readDocumentsAsync(document, from, limits, options);
  let row = 0;
  for (const credential of read.credentials) yield { row: ++row, credential, errors: [] };
  for (const issue of read.rowErrors ?? []) yield { row: rowOfPath(issue.path) ?? ++row, errors: [issue] };
}

/** A row's read or write problems as one result error. */
export function rowError(row: number, errors: ReadIssue[]): JobResult {
  const first = errors[0];
  return {
    row,
    error: { path: first?.path ?? `/rows/${row}`, message: errors.map((e) => e.message).join("; ") || "unreadable" },
  };
}

/** The issuer the job names, checked against the caller as issuance checks it. */
async function resolveIssuer(deps: JobDeps, principal: Principal, ref: string): Promise<IssuerRecord> {
  const pointer = "/body/options/issuer";
  let slug: string;
  if (ref.startsWith("did:key:")) {
    if (principal.role !== "issuer" || !principal.issuerId) {
      throw new GatewayError("unprocessable", "name a did:key issuer by its slug, or call with its own token", [
        { pointer, detail: "a did:key cannot be mapped to an issuer" },
      ]);
    }
    slug = principal.issuerId;
  } else {
    try {
      slug = slugFromId(ref, deps.publicUrl);
    } catch {
      throw notFound(`issuer ${ref}`, pointer);
    }
  }
  requireIssuer(principal, slug);
  const issuer = await deps.store.getIssuer(slug);
  if (!issuer || (ref.startsWith("did:") && issuer.id !== ref)) throw notFound(`issuer ${ref}`, pointer);
  return issuer;
}

/** Splits written rows into chunks bounded by row count and bytes; calls `flush` with each full chunk. */
export class Chunker {
  #rows: JobRow[] = [];
  #bytes = 0;
  count = 0;

  constructor(
    private readonly maxRows: number,
    private readonly maxBytes: number,
    private readonly flush: (index: number, rows: JobRow[]) => Promise<void>,
  ) {}

  /** Adds a row; false when the row alone is larger than a chunk may be. */
  async add(row: JobRow): Promise<boolean> {
    const bytes = Buffer.byteLength(JSON.stringify(row), "utf8") + 1;
    if (bytes > this.maxBytes) return false;
    if (this.#rows.length >= this.maxRows || this.#bytes + bytes > this.maxBytes) await this.end();
    this.#rows.push(row);
    this.#bytes += bytes;
    return true;
  }

  /** Flushes the last, partial chunk. */
  async end(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.#bytes = 0;
    await this.flush(this.count++, rows);
  }
}

/**
 * `POST /v1/jobs`: reads the document, stores its chunks and the rows that could not be read, creates the job and
 * queues one message per chunk. Answers the job's id; the work happens in the workers.
 */
export async function createJob(deps: JobDeps, principal: Principal, input: CreateJobInput): Promise<{ id: string }> {
  if (input.upload) {
    throw new GatewayError(
      "not-implemented",
      "pre-signed uploads for large jobs are not available yet (planned); send the document in the request",
      [{ pointer: "/body/upload", detail: "not available yet" }],
    );
  }
  if (input.document === undefined) {
    throw new GatewayError("validation-failed", "a job needs a document", [
      { pointer: "/body/document", detail: "is required (uploads are not available yet)" },
    ]);
  }
  const { issuer: ref, format, proof, ...readerOptions } = input.options;
  const issuer = await resolveIssuer(deps, principal, ref);
  const writer = WRITERS[format];
  if (!writer) throw new GatewayError("not-implemented", `writing ${format} is not implemented`);

  const id = deps.ids.newId();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + JOB_RETENTION_MS).toISOString();
  let total = 0;
  let failed = 0;
  const fail = async (result: JobResult) => {
    failed += 1;
    await deps.jobs.putResult(id, result, expiresAt);
  };
  const chunker = new Chunker(deps.chunkRows ?? DEFAULT_CHUNK_ROWS, MAX_CHUNK_BYTES, (index, rows) =>
    deps.jobs.putChunk({ jobId: id, index, rows, expiresAt }),
  );

  for await (const read of readRows(input.document, input.from, deps.limits, readerOptions)) {
    total += 1;
    if (!read.credential) {
      await fail(rowError(read.row, read.errors));
      continue;
    }
    let credential: Record<string, unknown>;
    try {
      const written = writer(read.credential, format === "ob3" ? { issuerId: issuer.id } : {});
      credential = written.document as Record<string, unknown>;
      // The writers derive an absent id from the content (title and date for OB3), which many rows of one
      // spreadsheet share: a row without its own id gets a fresh one, stored with the chunk so retries keep it.
      if (read.credential.id === undefined) credential.id = `urn:uuid:${randomUUID()}`;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await fail(
        rowError(read.row, [{ path: `/rows/${read.row}`, message: `cannot be written as ${format}: ${message}` }]),
      );
      continue;
    }
    if (!(await chunker.add({ row: read.row, credential }))) {
      await fail(
        rowError(read.row, [{ path: `/rows/${read.row}`, message: "the credential is too large for a bulk job" }]),
      );
    }
  }
  await chunker.end();
  if (total === 0) {
    throw new GatewayError("unprocessable", "the document holds no credential", [
      { pointer: "/body/document", detail: "empty" },
    ]);
  }

  await deps.jobs.createJob({
    id,
    issuerSlug: issuer.slug,
    from: input.from,
    format,
    ...(proof ? { proof } : {}),
    total,
    chunks: chunker.count,
    done: 0,
    failed,
    dlq: 0,
    finishedChunks: [],
    createdAt: now.toISOString(),
    expiresAt,
  });
  for (let chunk = 0; chunk < chunker.count; chunk++) {
    const message: ChunkMessage = { type: "job-chunk", jobId: id, chunk };
    await deps.queue.send(message);
  }
  return { id };
}

/** A job's status from its counters. */
export function jobStatus(job: JobRecord): JobStatus {
  if (job.finishedChunks.length >= job.chunks) {
    if (job.failed === 0) return "completed";
    return job.done === 0 ? "failed" : "completed-with-errors";
  }
  return job.startedAt ? "running" : "queued";
}

/** The job, if the caller may see it: the admin, or its issuer's token (others get 403). */
export async function readableJob(deps: { jobs: JobStore }, principal: Principal, id: string): Promise<JobRecord> {
  const job = await deps.jobs.getJob(id);
  if (!job) throw notFound(`job "${id}"`, "/path/id");
  if (principal.role !== "admin" && !(principal.role === "issuer" && principal.issuerId === job.issuerSlug)) {
    throw new GatewayError("forbidden", "this job belongs to another issuer", [
      { pointer: "/path/id", detail: "not this token's job" },
    ]);
  }
  return job;
}

export function jobView(job: JobRecord): JobView {
  return {
    id: job.id,
    status: jobStatus(job),
    issuer: job.issuerSlug,
    from: job.from,
    format: job.format,
    ...(job.proof ? { proof: job.proof } : {}),
    total: job.total,
    done: job.done,
    failed: job.failed,
    dlq: job.dlq,
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
  };
}

/** One page of results as JSON Lines (`{row, verifiableCredential}` or `{row, error}` per line, row order). */
export async function jobResultsPage(
  deps: { jobs: JobStore },
  job: JobRecord,
  page: { limit?: number; cursor?: string },
): Promise<{ jsonl: string; cursor?: string; count: number }> {
  const { items, cursor } = await deps.jobs.listResults(job.id, page);
  const jsonl = items.map((item) => `${JSON.stringify(item)}\n`).join("");
  return { jsonl, count: items.length, ...(cursor ? { cursor } : {}) };
}
