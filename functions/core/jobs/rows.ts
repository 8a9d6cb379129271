/**
 * Reading a bulk job's input row by row: spreadsheets through their streaming readers (from a request's text or an
 * upload's byte stream), other formats through their document readers, each row its credential or why it has none.
 */
import type { Format } from "../../../mappings/formats.js";
import type { CanonicalCredential, ReadIssue, SpreadsheetMapping } from "../../../mappings/model.js";
import { delimiterOf, readCsvStream } from "../../../mappings/spreadsheet/csv.js";
import { noTitleIssue, titleMapped } from "../../../mappings/spreadsheet/require.js";
import { spreadsheetOptions } from "../../../mappings/spreadsheet/select.js";
import { readXlsxRows } from "../../../mappings/spreadsheet/xlsx.js";
import { GatewayError } from "../../kernel/errors.js";
import type { JobResult } from "../../kernel/ports/index.js";
import { type DocumentLimits, readDocumentsAsync } from "../convert/documents.js";

/** One row of the input as read: its credential, or why it has none. */
export interface ReadRow {
  row: number;
  credential?: CanonicalCredential;
  errors: ReadIssue[];
}

// A reader's issue with the request's options (a profile, a column override) points there, not into the document.
const pointerOf = (path: string) =>
  path.startsWith("/options/") || path === "/options" ? `/body${path}` : `/body/document${path}`;

const unprocessable = (detail: string, issues: ReadIssue[]) =>
  new GatewayError(
    "unprocessable",
    detail,
    issues.slice(0, 100).map((i) => ({ pointer: pointerOf(i.path), detail: i.message })),
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

/** A row's read or write problems as one result error. */
export function rowError(row: number, errors: ReadIssue[]): JobResult {
  const first = errors[0];
  return {
    row,
    error: { path: first?.path ?? `/rows/${row}`, message: errors.map((e) => e.message).join("; ") || "unreadable" },
  };
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
 * The rows of a document sent in the request, refused with a 413 at the first row over `max`: the request reads and
 * writes every row while it waits. Chunks written before the refusal carry the job's expiry and no job names them.
 */
export async function* withinInlineRows(rows: AsyncIterable<ReadRow>, max: number): AsyncGenerator<ReadRow> {
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
