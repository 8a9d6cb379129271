/**
 * Writing a job's rows into stored chunks: each row written in the target format and added to a chunk bounded by
 * rows and bytes (one queue message, the workers' unit of issuance); rows that cannot be read or written become
 * error results at once.
 */
import { createHash } from "node:crypto";
import { WRITERS } from "../../../mappings/registry.js";
import { rowGaps } from "../../../mappings/spreadsheet/require.js";
import { GatewayError } from "../../kernel/errors.js";
import type { IssuerRecord, JobBatch, JobResult, JobRow, ReadProgress } from "../../kernel/ports/index.js";
import { writeMomentOf } from "../../kernel/write-moment.js";
import { recipientOf } from "../registry/batch.js";
import { type JobDeps, type JobFormat, rowFormatOf } from "./model.js";
import { type MappingSink, type ReadRow, rowError } from "./rows.js";

/**
 * Rows per chunk (one queue message) unless the deps say otherwise (`GATEWAY_JOB_CHUNK_ROWS`). The chunk is the unit
 * of work of issuance: one issuer lookup, one status block and ~10 requests a chunk besides the batched
 * writes. Locally 50, 100 and 200 measured the same (dynalite's item writes dominate; 500 is capped by
 * {@link MAX_CHUNK_BYTES} near 200 OB3 rows and measured slower), so the default stays.
 */
export const DEFAULT_CHUNK_ROWS = 50;

/** Largest chunk input as JSON text: a DynamoDB item holds at most 400 KB. */
export const MAX_CHUNK_BYTES = 300_000;

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
export async function splitRows(
  deps: JobDeps,
  job: { id: string; issuer: IssuerRecord; format: JobFormat; expiresAt: string; batch?: JobBatch },
  rows: AsyncIterable<ReadRow>,
  options: SplitOptions = {},
  /** How the spreadsheet's header row was read (filled by the row reader): rows must carry what the format needs. */
  sink?: MappingSink,
): Promise<SplitCounts & { stopped: boolean }> {
  const rowFormat = rowFormatOf(job.format);
  const found = WRITERS[rowFormat];
  if (!found) throw new GatewayError("not-implemented", `writing ${rowFormat} is not implemented`);
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
    const gaps = sink?.mapping ? rowGaps(read.credential, rowFormat, sink.mapping, true) : [];
    if (gaps.length > 0) {
      await fail(rowError(read.row, gaps));
      return;
    }
    let credential: Record<string, unknown>;
    try {
      const written = writer(
        read.credential,
        rowFormat === "ob3"
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
        rowError(read.row, [{ path: `/rows/${read.row}`, message: `cannot be written as ${rowFormat}: ${message}` }]),
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
