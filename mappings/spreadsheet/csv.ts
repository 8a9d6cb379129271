/**
 * The CSV reader: one credential per row, by a column profile (profiles.ts). csv-parse runs over the input with an
 * `on_record` hook that maps each record as it is parsed and keeps only its canonical output, so rows never pile up
 * as an array; {@link readCsvStream} does the same over a stream of chunks for bulk jobs.
 *
 * Rows are numbered as a spreadsheet program shows them: the header is row 1, the first data row row 2 (a quoted
 * cell spanning lines still counts as one row). A row whose value does not fit its field is a *row error*
 * (`/rows/{n}/{header}`) and the other rows still convert: the result is `ok` with those errors in `rowErrors`.
 * Only an unusable input (no header, duplicate headers, no matching profile, a bad custom profile) is `ok: false`.
 */
import { type CsvError, type Info, parse as parseStream } from "csv-parse";
import { parse } from "csv-parse/sync";
import type { CanonicalCredential, ReadIssue, ReadResult, SpreadsheetMapping } from "../model.js";
import {
  type Cell,
  DEFAULT_LIMITS,
  RowMapper,
  type RowResult,
  rowLimitIssue,
  type SpreadsheetLimits,
} from "./mapper.js";
import {
  detectionHeaders,
  detectProfile,
  NO_PROFILE,
  requestedColumns,
  requestedProfile,
  type SpreadsheetOptions,
} from "./select.js";

export type { SpreadsheetOptions } from "./select.js";

const limitsOf = (o?: SpreadsheetOptions): SpreadsheetLimits => ({
  maxRows: typeof o?.maxRows === "number" && o.maxRows > 0 ? o.maxRows : DEFAULT_LIMITS.maxRows,
  maxCellChars:
    typeof o?.maxCellChars === "number" && o.maxCellChars > 0 ? o.maxCellChars : DEFAULT_LIMITS.maxCellChars,
});

/** csv-parse options shared by both forms: ragged rows are ours to report, a BOM is dropped, delimiter `,` or `;`. */
const PARSE_OPTIONS = {
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
} as const;

/**
 * Guesses `;` for exports from locales where `,` is the decimal separator (a header line with more `;` than `,`).
 * Takes the text or its first line; only the first line counts.
 */
export function delimiterOf(text: string): string {
  const newline = text.indexOf("\n");
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  const semi = firstLine.split(";").length;
  const comma = firstLine.split(",").length;
  return semi > comma ? ";" : ",";
}

/** Maps records (header first) to row results; shared by the sync and streaming readers. */
class CsvRows {
  mapper?: RowMapper;
  issues: ReadIssue[] = [];
  warnings: ReadIssue[] = [];
  dataRows = 0;
  stopped = false;
  private headerWidth = 0;

  constructor(
    private readonly options: SpreadsheetOptions | undefined,
    private readonly limits: SpreadsheetLimits,
  ) {}

  /** Takes one record; returns the row's result (data rows), or undefined (header, blank, past the limit). */
  take(record: string[], row: number): RowResult | undefined {
    if (!this.mapper) {
      if (this.issues.length > 0) return undefined;
      this.header(record);
      return undefined;
    }
    if (this.stopped) return undefined;
    this.dataRows++;
    if (this.dataRows > this.limits.maxRows) {
      this.stopped = true;
      return {
        row,
        errors: [rowLimitIssue(row, this.limits.maxRows)],
      };
    }
    if (record.length > this.headerWidth && record.slice(this.headerWidth).some((c) => c.trim() !== "")) {
      return {
        row,
        errors: [{ path: `/rows/${row}`, message: `${record.length} cells but ${this.headerWidth} headers` }],
      };
    }
    return this.mapper.map(record as Cell[], row);
  }

  private header(record: string[]): void {
    const requested = requestedProfile(this.options);
    if (!requested.ok) {
      this.issues.push(...requested.issues);
      return;
    }
    const overrides = requestedColumns(this.options);
    if (!overrides.ok) {
      this.issues.push(...overrides.issues);
      return;
    }
    const profile = requested.profile ?? detectProfile(detectionHeaders(record, overrides.columns));
    if (!profile) {
      this.issues.push(NO_PROFILE);
      return;
    }
    const planned = RowMapper.plan(profile, record, "csv", this.limits, 1, overrides.columns);
    if (!planned.ok) {
      this.issues.push(...planned.issues);
      return;
    }
    this.mapper = planned.mapper;
    this.headerWidth = record.length;
    const missing = planned.mapper.missingHeaders();
    if (requested.profile && missing.length === Object.keys(profile.columns).length)
      this.warnings.push({
        path: "/rows/1",
        message: `none of profile ${profile.name}'s headers is in the header row`,
      });
  }
}

function parseErrorIssue(e: unknown): ReadIssue {
  const err = e as Partial<CsvError> & { message?: string };
  const row = typeof err.records === "number" ? err.records + 1 : undefined;
  return {
    path: row !== undefined ? `/rows/${row}` : "",
    message: `CSV syntax error${typeof err.lines === "number" ? ` at line ${err.lines}` : ""}: ${err.message ?? String(e)}`,
  };
}

/**
 * Reads CSV text (or bytes) into canonical credentials, one per non-blank row. Pure; never throws. Row errors are in
 * `rowErrors`; a CSV syntax error stops reading there (the rows before it are kept, the error is a row error).
 */
export function readCsv(input: unknown, options?: SpreadsheetOptions): ReadResult {
  const text = typeof input === "string" ? input : Buffer.isBuffer(input) ? input.toString("utf8") : undefined;
  if (text === undefined) return { ok: false, issues: [{ path: "", message: "CSV input must be text" }] };
  const limits = limitsOf(options);
  const rows = new CsvRows(options, limits);
  const value: CanonicalCredential[] = [];
  const rowErrors: ReadIssue[] = [];
  const newline = text.indexOf("\n");
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  try {
    parse(text, {
      ...PARSE_OPTIONS,
      delimiter: options?.delimiter ?? delimiterOf(firstLine),
      to: limits.maxRows + 2,
      on_record: (record: string[], context: Info) => {
        const r = rows.take(record, context.records);
        if (r?.credential) value.push(r.credential);
        if (r) rowErrors.push(...r.errors);
        // Nothing is returned, so csv-parse keeps no records: only canonical output is held.
        return null;
      },
    });
  } catch (e) {
    if (!rows.mapper) return { ok: false, issues: [parseErrorIssue(e)] };
    rowErrors.push(parseErrorIssue(e));
  }
  if (rows.issues.length > 0) return { ok: false, issues: rows.issues, warnings: rows.warnings };
  if (!rows.mapper) return { ok: false, issues: [{ path: "", message: "the CSV has no header row" }] };
  return {
    ok: true,
    value,
    losses: [],
    warnings: rows.warnings,
    ...(rowErrors.length > 0 ? { rowErrors } : {}),
    mapping: rows.mapper.mapping(),
  };
}

/** One item of {@link readCsvStream}: a row's credential or errors, or an issue that stops the stream. */
export type StreamItem = RowResult | { fatal: ReadIssue[] };

/**
 * Reads a CSV arriving in chunks (a bulk job's upload) and yields each row as it is mapped; memory holds one row at
 * a time. A fatal problem (no header, no profile, duplicate headers) is yielded once as `{fatal}` and ends the stream.
 * `onMapping` is told how the header row was read, before the first row is yielded.
 */
export async function* readCsvStream(
  chunks: AsyncIterable<string | Buffer>,
  options?: SpreadsheetOptions,
  onMapping?: (mapping: SpreadsheetMapping) => void,
): AsyncGenerator<StreamItem> {
  const limits = limitsOf(options);
  const rows = new CsvRows(options, limits);
  // Each record comes out with its row number in front (csv-parse's context is not in step with async iteration).
  const parser = parseStream({
    ...PARSE_OPTIONS,
    delimiter: options?.delimiter ?? ",",
    on_record: (record: string[], context: Info) => [String(context.records), ...record],
  });
  const feed = (async () => {
    try {
      // A parser that failed or was destroyed never drains: wait for whichever comes first (else a syntax error in
      // a chunk larger than its buffer hangs the reader, and the `finally` below that awaits this feed).
      for await (const chunk of chunks) {
        if (parser.destroyed) break;
        if (!parser.write(chunk)) {
          // Whichever event ends the wait takes all three listeners back: a long upload waits many times, and
          // listeners left on "close" and "error" would pile up on the parser for the whole job.
          await new Promise<void>((resolve) => {
            const done = () => {
              parser.off("drain", done);
              parser.off("close", done);
              parser.off("error", done);
              resolve();
            };
            parser.on("drain", done);
            parser.on("close", done);
            parser.on("error", done);
          });
        }
      }
      parser.end();
    } catch (e) {
      parser.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  try {
    let told = false;
    for await (const item of parser as AsyncIterable<string[]>) {
      const r = rows.take(item.slice(1), Number(item[0]));
      if (!told && rows.mapper) {
        told = true;
        onMapping?.(rows.mapper.mapping());
      }
      if (rows.issues.length > 0) {
        yield { fatal: rows.issues };
        return;
      }
      if (r && (r.credential || r.errors.length > 0)) yield r;
      if (rows.stopped) break;
    }
  } catch (e) {
    yield rows.mapper ? { row: 0, errors: [parseErrorIssue(e)] } : { fatal: [parseErrorIssue(e)] };
  } finally {
    parser.destroy();
    await feed.catch(() => undefined);
  }
  if (!rows.mapper && rows.issues.length === 0) yield { fatal: [{ path: "", message: "the CSV has no header row" }] };
}
