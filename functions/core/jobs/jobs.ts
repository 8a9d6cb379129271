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
import { createHash } from "node:crypto";
import type { Format, ProofSuite } from "../../../mappings/formats.js";
import type { CanonicalCredential, ReadIssue, SpreadsheetMapping } from "../../../mappings/model.js";
import { WRITERS } from "../../../mappings/registry.js";
import { delimiterOf, readCsvStream } from "../../../mappings/spreadsheet/csv.js";
import { noTitleIssue, rowGaps, titleMapped } from "../../../mappings/spreadsheet/require.js";
import { spreadsheetOptions } from "../../../mappings/spreadsheet/select.js";
import { readXlsxRows } from "../../../mappings/spreadsheet/xlsx.js";
import { conflict, GatewayError, isGatewayError, notFound, notYours } from "../../kernel/errors.js";
import type {
  IssuerRecord,
  JobBatch,
  JobRecord,
  JobResult,
  JobRow,
  JobStatus,
  JobStore,
  Queue,
  ReadProgress,
  UploadStore,
  UploadTarget,
} from "../../kernel/ports/index.js";
import { DEFAULT_WORK_BUDGET } from "../../kernel/work-budget.js";
import { writeMomentOf } from "../../kernel/write-moment.js";
import { type DocumentLimits, readDocumentsAsync } from "../convert/documents.js";
import type { IssueDeps } from "../issue/issue.js";
import { resolveIssuerRef } from "../issue/issuer-ref.js";
import { slugFromId } from "../issuers/registration.js";
import { batchOf, type DeliverRecord, recipientOf } from "../registry/batch.js";
import type { Principal } from "../tokens/auth.js";

/**
 * Rows per chunk (one queue message) unless the deps say otherwise (`GATEWAY_JOB_CHUNK_ROWS`). The chunk is the unit
 * of work of issuance: one issuer lookup, one status block and ~10 requests a chunk besides the batched
 * writes. Locally 50, 100 and 200 measured the same (dynalite's item writes dominate; 500 is capped by
 * {@link MAX_CHUNK_BYTES} near 200 OB3 rows and measured slower), so the default stays.
 */
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
  /** Most records of a document sent in the request; default {@link DEFAULT_WORK_BUDGET}'s. */
  maxInlineJobRows?: number;
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
  /** Why the job cannot finish (status `failed`). */
  error?: string;
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

/**
 * Where a reading of rows tells how a spreadsheet's header row was read (`mapping`), before its first row. A header
 * row with no column for a title is refused there, as a whole (a 422 naming the headers seen and expected).
 */
export interface MappingSink {
  mapping?: SpreadsheetMapping;
}

function takeMapping(sink: MappingSink | undefined, mapping: SpreadsheetMapping): void {
  if (!titleMapped(mapping)) {
    const issue = noTitleIssue(mapping);
    throw unprocessable(issue.message, [issue]);
  }
  if (sink) sink.mapping = mapping;
}

/** A CSV's rows with their spreadsheet row numbers (rows the reader refuses numbered from their error's path). */
async function* csvRows(
  chunks: AsyncIterable<string | Buffer>,
  delimiter: string,
  options: Record<string, unknown>,
  limits: DocumentLimits,
  sink?: MappingSink,
): AsyncGenerator<ReadRow> {
  let last = 1;
  let mapping: SpreadsheetMapping | undefined;
  let taken = false;
  const onMapping = (m: SpreadsheetMapping) => {
    mapping = m;
  };
  for await (const item of readCsvStream(
    chunks,
    { ...spreadsheetOptions(options, limits.readers?.sheet), delimiter },
    onMapping,
  )) {
    if ("fatal" in item) throw unprocessable(`the CSV cannot be read: ${item.fatal[0]?.message ?? ""}`, item.fatal);
    if (mapping && !taken) {
      taken = true;
      takeMapping(sink, mapping);
    }
    const row = item.row > 0 ? item.row : (rowOfPath(item.errors[0]?.path ?? "") ?? last + 1);
    last = row;
    yield { ...item, row };
  }
}

/**
 * The input's rows, in order, one at a time: spreadsheets through their streaming readers (row numbers as the
 * spreadsheet shows them), other formats through their readers (row = position of the credential, from 1).
 */
export async function* readRows(
  document: unknown,
  from: Format,
  limits: DocumentLimits,
  options: Record<string, unknown> = {},
  sink?: MappingSink,
): AsyncGenerator<ReadRow> {
  if (from === "csv") {
    if (typeof document !== "string") {
      throw unprocessable("a CSV document is text", [{ path: "", message: "must be a string" }]);
    }
    const sheet = spreadsheetOptions(options);
    yield* csvRows(oneChunk(document), sheet.delimiter ?? delimiterOf(document), options, limits, sink);
    return;
  }
  if (from === "xlsx") {
    // The header row is judged with the first row after it: a sheet with no rows at all (an empty template) is
    // answered as such rather than for its columns.
    let header: SpreadsheetMapping | undefined;
    for await (const item of readXlsxRows(document, {
      ...spreadsheetOptions(options, limits.readers?.sheet),
      ...(limits.readers?.zip ? { zip: limits.readers.zip } : {}),
    })) {
      if ("fatal" in item) throw unprocessable(`the XLSX cannot be read: ${item.fatal[0]?.message ?? ""}`, item.fatal);
      if ("header" in item) {
        header = item.header.mapping;
        continue;
      }
      if (header) takeMapping(sink, header);
      header = undefined;
      yield item;
    }
    return;
  }
  const read = await readDocumentsAsync(document, from, limits, options);
  if (read.mapping && sink) sink.mapping = read.mapping;
  let row = 0;
  for (const credential of read.credentials) yield { row: ++row, credential, errors: [] };
  for (const issue of read.rowErrors ?? []) yield { row: rowOfPath(issue.path) ?? ++row, errors: [issue] };
}

/**
 * The rows of a document sent in the request, refused with a 413 at the first row over `max`: the request reads and
 * writes every row while it waits. Chunks written before the refusal carry the job's expiry and no job names them.
 */
async function* withinInlineRows(rows: AsyncIterable<ReadRow>, max: number): AsyncGenerator<ReadRow> {
  let n = 0;
  for await (const row of rows) {
    if (++n > max) {
      throw new GatewayError(
        "work-budget-exceeded",
        `the job's document holds more than ${max} records (limit maxInlineJobRows): upload it instead (options as now, upload: true, then PUT the file to the upload URL), and the job's worker reads it`,
        [{ pointer: "/body/document", detail: `more than ${max} records (limit maxInlineJobRows)` }],
      );
    }
    yield row;
  }
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
export function resolveJobIssuer(deps: JobDeps, principal: Principal, ref: string): Promise<IssuerRecord> {
  return resolveIssuerRef(deps, principal, ref, "/body/options/issuer");
}

/** Splits written rows into chunks bounded by row count and bytes; calls `flush` with each full chunk. */
export class Chunker {
  #rows: JobRow[] = [];
  #bytes = 0;
  /** Chunks flushed, counting from `first`: the index the next chunk gets. */
  count: number;

  constructor(
    private readonly maxRows: number,
    private readonly maxBytes: number,
    private readonly flush: (index: number, rows: JobRow[]) => Promise<void>,
    /** Index of the first chunk (a resumed reading continues after the chunks written before). */
    first = 0,
  ) {
    this.count = first;
  }

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

/** Bytes of the CSV header looked at to guess the delimiter of an uploaded CSV. */
const DELIMITER_SNIFF_BYTES = 64 * 1024;

/**
 * The rows of an uploaded input, read from its byte stream. A CSV streams through (memory stays bounded whatever its
 * size: only the first line is looked at before reading); an XLSX (a zip, read by its central directory) and the
 * other formats (one document) are read whole, as they would be from a request body.
 */
export async function* readRowsFromStream(
  bytes: AsyncIterable<Uint8Array>,
  from: Format,
  limits: DocumentLimits,
  options: Record<string, unknown> = {},
  sink?: MappingSink,
): AsyncGenerator<ReadRow> {
  if (from === "csv") {
    const iterator = bytes[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < DELIMITER_SNIFF_BYTES && !head.some((b) => b.includes(10))) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(Buffer.from(next.value));
      headBytes += next.value.length;
    }
    // The CSV reader turns any error inside its input into a parse issue (a fatal one, or a row error ending the
    // reading early): a failure of the stream itself (a reset S3 socket, the upload limit) is kept here and thrown
    // as it is, so that the reading is retried (or the job failed) instead of the job losing its remaining rows.
    let failure: { error: unknown } | undefined;
    const rest = async function* (): AsyncGenerator<Buffer> {
      try {
        yield* head;
        if (ended) return;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield Buffer.from(next.value);
      } catch (error) {
        failure = { error };
        throw error;
      } finally {
        // A reader that stops early (a paused reading) closes the object's stream instead of leaving it open.
        if (!ended) await iterator.return?.();
      }
    };
    const delimiter = spreadsheetOptions(options).delimiter ?? delimiterOf(Buffer.concat(head).toString("utf8"));
    try {
      for await (const item of csvRows(rest(), delimiter, options, limits, sink)) {
        if (failure) throw failure.error;
        yield item;
      }
    } catch (error) {
      throw failure ? failure.error : error;
    }
    if (failure) throw failure.error;
    return;
  }
  const parts: Buffer[] = [];
  for await (const part of bytes) parts.push(Buffer.from(part));
  const whole = Buffer.concat(parts);
  yield* readRows(from === "xlsx" ? whole : whole.toString("utf8"), from, limits, options, sink);
}

/**
 * The id of a row's credential when its input gives none: derived from the job and the row (a UUID-shaped SHA-256
 * prefix), so that reading the same input again, after a crash, writes the same credentials.
 */
export function rowCredentialId(jobId: string, row: number): string {
  const hex = createHash("sha256").update(`${jobId}:${row}`).digest("hex");
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? "0", 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What reading an input into chunks counted. */
export interface SplitCounts {
  total: number;
  failed: number;
  chunks: number;
}

/** How {@link splitRows} resumes and reports: a resumable reading of an uploaded input. */
interface SplitOptions {
  /** Progress recorded by an earlier reading: its rows are skipped, its counts and chunk indexes continued. */
  resume?: ReadProgress;
  /**
   * Called after each chunk is stored, with the progress up to and including it (every row before the chunk's end
   * is in a stored chunk or an error result); false stops the reading there (nothing after it is kept).
   */
  onChunk?: (index: number, progress: ReadProgress) => Promise<boolean>;
}

/**
 * Reads the rows of an input into stored chunks, writing each row in the target format: rows that cannot be read or
 * written become error results at once. Idempotent for one job: chunks are written whole under their index and
 * results only if absent, and row credential ids are derived from the job, so a repeated read writes the same items.
 * `stopped` when `onChunk` stopped it before the input's end.
 */
async function splitRows(
  deps: JobDeps,
  job: { id: string; issuer: IssuerRecord; format: "ob3" | "elm"; expiresAt: string; batch?: JobBatch },
  rows: AsyncIterable<ReadRow>,
  options: SplitOptions = {},
  /** How the spreadsheet's header row was read (filled by the row reader): rows must carry what the format needs. */
  sink?: MappingSink,
): Promise<SplitCounts & { stopped: boolean }> {
  const found = WRITERS[job.format];
  if (!found) throw new GatewayError("not-implemented", `writing ${job.format} is not implemented`);
  const writer: NonNullable<typeof found> = found;
  const resume = options.resume ?? { rows: 0, chunks: 0, failed: 0 };
  let total = resume.rows;
  let failed = resume.failed;
  // Rows handled whole (in the chunker's buffer or an error result): a chunk flushed while a row is being added
  // ends before that row, which is not counted in the chunk's progress.
  let handled = resume.rows;
  let stopped = false;
  const fail = async (result: JobResult) => {
    failed += 1;
    await deps.jobs.putResult(job.id, result, job.expiresAt);
  };
  const chunker = new Chunker(
    deps.chunkRows ?? DEFAULT_CHUNK_ROWS,
    MAX_CHUNK_BYTES,
    async (index, chunk) => {
      await deps.jobs.putChunk({ jobId: job.id, index, rows: chunk, expiresAt: job.expiresAt });
      const progress = { rows: handled, chunks: index + 1, failed };
      if (options.onChunk && !(await options.onChunk(index, progress))) stopped = true;
    },
    resume.chunks,
  );
  let skip = resume.rows;
  for await (const read of rows) {
    // Rows a resumed reading recorded before: the reader yields the same rows in the same order (documented trade-off
    // of re-reading the input instead of seeking into it: parsing is cheap next to writing chunks).
    if (skip > 0) {
      skip -= 1;
      continue;
    }
    await splitRow(read);
    handled = total;
    if (stopped) break;
  }
  if (stopped) return { total, failed, chunks: chunker.count, stopped };
  await chunker.end();
  // The input is read whole: a pause asked for at its last chunk has nothing left to pause.
  return { total, failed, chunks: chunker.count, stopped: false };

  async function splitRow(read: ReadRow): Promise<void> {
    total += 1;
    if (!read.credential) {
      await fail(rowError(read.row, read.errors));
      return;
    }
    // Refuse, don't invent: a spreadsheet row without a title, a date or (ELM) an awarding body is a row error naming
    // the column to add. The job's issuer is the issuer, so OB 3.0 rows need no awarding body of their own.
    const gaps = sink?.mapping ? rowGaps(read.credential, job.format, sink.mapping, true) : [];
    if (gaps.length > 0) {
      await fail(rowError(read.row, gaps));
      return;
    }
    let credential: Record<string, unknown>;
    try {
      const written = writer(
        read.credential,
        job.format === "ob3"
          ? {
              issuerId: job.issuer.id,
              ...(deps.ob3ElmContextUrl ? { extensionContextUrl: deps.ob3ElmContextUrl } : {}),
            }
          : {},
        writeMomentOf(deps),
      );
      credential = written.document as Record<string, unknown>;
      // The writers derive an absent id from the content (title and date for OB3), which many rows of one
      // spreadsheet share: a row without its own id gets one of its own, stored with the chunk so retries keep it.
      if (read.credential.id === undefined) credential.id = rowCredentialId(job.id, read.row);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await fail(
        rowError(read.row, [{ path: `/rows/${read.row}`, message: `cannot be written as ${job.format}: ${message}` }]),
      );
      return;
    }
    const recipient = job.batch?.deliver ? recipientOf(read.credential) : undefined;
    if (!(await chunker.add({ row: read.row, credential, ...(recipient ? { recipient } : {}) }))) {
      await fail(
        rowError(read.row, [{ path: `/rows/${read.row}`, message: "the credential is too large for a bulk job" }]),
      );
    }
  }
}

/** How long a pre-signed upload URL is valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** The content type an upload is signed for (the client sends it as it is; the format is the job's `from`). */
export const UPLOAD_CONTENT_TYPE = "application/octet-stream";

/**
 * `POST /v1/jobs`: with a `document`, reads it, stores its chunks and the rows that could not be read, creates the
 * job and queues one message per chunk. With `upload: true`, creates the job awaiting its input and answers a
 * pre-signed upload request for it (see {@link startJob}). Answers the job's id; the work happens in the workers.
 */
export async function createJob(
  deps: JobDeps,
  principal: Principal,
  input: CreateJobInput,
): Promise<{ id: string; upload?: UploadTarget } & Partial<Pick<SpreadsheetMapping, "profile" | "unmapped">>> {
  if (input.upload && input.document !== undefined) {
    throw new GatewayError("validation-failed", "send the document in the request or upload it, not both", [
      { pointer: "/body/upload", detail: "must be absent when a document is sent" },
    ]);
  }
  if (!input.upload && input.document === undefined) {
    throw new GatewayError("validation-failed", "a job needs a document", [
      { pointer: "/body/document", detail: "is required (or ask for an upload URL with upload: true)" },
    ]);
  }
  const { issuer: ref, format, proof, issue, deliver, sendEmail, suspension, dryRun, ...readerOptions } = input.options;
  if (dryRun !== undefined && dryRun !== false) {
    throw new GatewayError("validation-failed", "a dry run is answered by previewJob, not created", [
      { pointer: "/body/options/dryRun", detail: "true is a preview (job-preview.ts)" },
    ]);
  }
  // Registry batches: `issue: false` converts only; `deliver: true` also deposits each issued record.
  const batch = batchOf({ issue, deliver, sendEmail }, format);
  checkSuspension(suspension, format);
  const issuer = await resolveJobIssuer(deps, principal, ref);
  if (!WRITERS[format]) throw new GatewayError("not-implemented", `writing ${format} is not implemented`);

  const id = deps.ids.newId();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + JOB_RETENTION_MS).toISOString();
  const base = {
    id,
    issuerSlug: issuer.slug,
    from: input.from,
    format,
    ...(proof ? { proof } : {}),
    done: 0,
    dlq: 0,
    finishedChunks: [],
    createdAt: now.toISOString(),
    expiresAt,
    ...(batch ? { batch } : {}),
    ...(suspension === true ? { suspension: true } : {}),
  };

  if (input.upload) {
    if (!deps.uploads) {
      throw new GatewayError("not-implemented", "uploads are not configured on this gateway (GATEWAY_UPLOADS_BUCKET)", [
        { pointer: "/body/upload", detail: "not available here; send the document in the request" },
      ]);
    }
    const uploadKey = `jobs/${id}/input`;
    const upload = await deps.uploads.createUploadUrl(uploadKey, {
      expiresInSeconds: UPLOAD_URL_SECONDS,
      contentType: UPLOAD_CONTENT_TYPE,
    });
    await deps.jobs.createJob({
      ...base,
      total: 0,
      chunks: 0,
      failed: 0,
      stage: "awaiting-upload",
      uploadKey,
      ...(Object.keys(readerOptions).length > 0 ? { readerOptions } : {}),
    });
    return { id, upload };
  }

  const sink: MappingSink = {};
  const counts = await splitRows(
    deps,
    { id, issuer, format, expiresAt, ...(batch ? { batch } : {}) },
    withinInlineRows(
      readRows(input.document, input.from, deps.limits, readerOptions, sink),
      deps.maxInlineJobRows ?? DEFAULT_WORK_BUDGET.maxInlineJobRows,
    ),
    {},
    sink,
  );
  if (counts.total === 0) {
    throw new GatewayError("unprocessable", "the document holds no credential", [
      { pointer: "/body/document", detail: "empty" },
    ]);
  }
  await deps.jobs.createJob({ ...base, total: counts.total, chunks: counts.chunks, failed: counts.failed });
  await queueChunks(deps, { id, createdAt: now.toISOString() }, counts.chunks);
  return { id, ...(sink.mapping ? { profile: sink.mapping.profile, unmapped: sink.mapping.unmapped } : {}) };
}

/**
 * `options.suspension` of a job, passed to each row's issuance. Checked at submission with issuance's own rule
 * (`addStatusEntry` in `issue.ts`), so that a job every row of which issuance would refuse is a 422 naming the option
 * instead of thousands of failed rows: an OB 3.0 credential has at most one credentialStatus (its revocation entry),
 * and an ELM credential (sealed with JAdES) carries no BitstringStatusListEntry.
 */
function checkSuspension(suspension: unknown, format: "ob3" | "elm"): void {
  const pointer = "/body/options/suspension";
  if (suspension === undefined || suspension === false) return;
  if (suspension !== true) {
    throw new GatewayError("validation-failed", "options.suspension is a boolean", [{ pointer, detail: "a boolean" }]);
  }
  const why =
    format === "ob3"
      ? "an Open Badges 3.0 credential has at most one credentialStatus, its revocation entry: suspension entries " +
        "are for plain W3C credentials"
      : "ELM credentials are sealed with JAdES and carry no BitstringStatusListEntry: they cannot be suspended";
  throw new GatewayError("unprocessable", `suspension is not available for ${format} jobs: ${why}`, [
    { pointer, detail: why },
  ]);
}

/** The queue message that has a worker read an uploaded input into chunks. */
export interface ReadMessage {
  type: "job-read";
  jobId: string;
}

/**
 * `POST /v1/jobs/{id}/start`: the client has PUT the input; the job moves to `reading` and a worker is asked to read
 * it (reading a large file takes longer than an HTTP request may). 409 when nothing was uploaded or the job was
 * started before; 400 when the upload is larger than the configured limit (it is deleted).
 */
export async function startJob(deps: JobDeps, principal: Principal, id: string): Promise<{ id: string }> {
  const job = await readableJob(deps, principal, id);
  if (job.stage !== "awaiting-upload" || !job.uploadKey) {
    throw conflict(
      job.uploadKey ? "the job was started before" : "the job's document was sent in the request: it started then",
      "/path/id",
    );
  }
  if (!deps.uploads) throw new GatewayError("not-implemented", "uploads are not configured on this gateway");
  const uploaded = await deps.uploads.stat(job.uploadKey);
  if (!uploaded) {
    throw conflict("nothing was uploaded for this job yet: PUT the input to the upload URL first", "/path/id");
  }
  const max = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (uploaded.size > max) {
    await deps.uploads.delete(job.uploadKey);
    throw new GatewayError("limit-exceeded", `the uploaded input has ${uploaded.size} bytes; at most ${max} are read`, [
      { pointer: "/path/id", detail: `upload at most ${max} bytes` },
    ]);
  }
  if (!(await deps.jobs.startReading(job.id))) throw conflict("the job was started before", "/path/id");
  const message: ReadMessage = { type: "job-read", jobId: job.id };
  await sendOrFail(deps, job, message, "the input could not be queued for reading");
  return { id: job.id };
}

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
async function sendOrFail(
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
async function queueChunks(
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

/** A job's status from its counters. */
export function jobStatus(job: JobRecord): JobStatus {
  if (job.error !== undefined) return "failed";
  if (job.stage !== undefined) return job.stage;
  if (job.finishedChunks.length >= job.chunks) {
    if (job.failed === 0) return "completed";
    return job.done === 0 ? "failed" : "completed-with-errors";
  }
  return job.startedAt ? "running" : "queued";
}

/** The job, if the caller may see it: the admin, or its issuer's token (others get 403, as for an unknown id). */
export async function readableJob(deps: { jobs: JobStore }, principal: Principal, id: string): Promise<JobRecord> {
  const job = await deps.jobs.getJob(id);
  const mine = principal.role === "admin" || (principal.role === "issuer" && principal.issuerId === job?.issuerSlug);
  if (!mine) throw notYours(`job "${id}"`, "/path/id");
  if (!job) throw notFound(`job "${id}"`, "/path/id");
  return job;
}

/**
 * The view of a job. `done` and `failed` count the rows of counted chunks exactly, plus the rows of chunks in flight
 * as their workers last recorded them (every second or so: see `job-worker.ts`); once every chunk is counted they
 * are exact. While an uploaded input is being read, `total` is the rows read so far (its chunks are issued already).
 */
export function jobView(job: JobRecord): JobView {
  let done = job.done;
  let failed = job.failed;
  for (const [index, progress] of Object.entries(job.chunkProgress ?? {})) {
    if (job.finishedChunks.includes(Number(index))) continue;
    done += progress.done;
    failed += progress.failed;
  }
  return {
    id: job.id,
    status: jobStatus(job),
    issuer: job.issuerSlug,
    from: job.from,
    format: job.format,
    ...(job.proof ? { proof: job.proof } : {}),
    total: job.stage === "reading" ? (job.readProgress?.rows ?? 0) : job.total,
    done,
    failed,
    dlq: job.dlq,
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.error !== undefined ? { error: job.error } : {}),
  };
}

/**
 * `GET /v1/jobs`: one page of jobs, newest first. An issuer's token sees its own jobs (naming another issuer in
 * `issuer` is 403); the admin sees every issuer's, or one issuer's with `issuer`.
 */
export async function listJobsPage(
  deps: { jobs: JobStore; publicUrl: string },
  principal: Principal,
  query: { issuer?: string; limit?: number; cursor?: string },
): Promise<{ items: JobView[]; cursor?: string }> {
  let issuerSlug: string | undefined;
  if (query.issuer !== undefined) {
    try {
      issuerSlug = query.issuer.startsWith("did:") ? slugFromId(query.issuer, deps.publicUrl) : query.issuer;
    } catch {
      // An issuer token is told the same for an issuer that is not its own and one that does not exist.
      if (principal.role !== "admin") issuerSlug = "\u0000";
      else throw notFound(`issuer ${query.issuer}`, "/query/issuer");
    }
  }
  if (principal.role !== "admin") {
    if (principal.role !== "issuer" || !principal.issuerId) {
      throw new GatewayError("forbidden", "jobs are listed for their issuer or the admin");
    }
    if (issuerSlug !== undefined && issuerSlug !== principal.issuerId) {
      throw new GatewayError("forbidden", "these jobs belong to another issuer", [
        { pointer: "/query/issuer", detail: "not this token's issuer" },
      ]);
    }
    issuerSlug = principal.issuerId;
  }
  const page = await deps.jobs.listJobs({
    ...(issuerSlug !== undefined ? { issuerSlug } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  return { items: page.items.map(jobView), ...(page.cursor ? { cursor: page.cursor } : {}) };
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
