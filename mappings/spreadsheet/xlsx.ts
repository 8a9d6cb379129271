/**
 * The XLSX / XLSM reader: the same row mapping as CSV (mapper.ts) over exceljs's streaming WorkbookReader, after the
 * zip-bomb guard (zip.ts), which checks and inflates the archive itself and gives exceljs a stored copy of the
 * workbook parts. Input: a base64 string (how a JSON request carries it) or bytes.
 *
 * - Sheet: `options.sheet`, else the profile's `sheet`, else the first worksheet. Rows above the profile's `headerRow`
 *   are skipped; rows are numbered as the spreadsheet shows them (`/rows/13/...`).
 * - Formulas: the cell's cached result is taken, never the formula (a formula with no cached result is empty).
 * - Macros (.xlsm): the VBA project is a zip entry exceljs never executes (it cannot: it has no VBA engine); it is
 *   ignored like any other part.
 * - exceljs writes a worksheet to a temporary file when the workbook's shared strings come after it in the archive
 *   (Excel's usual order) and keeps its descriptor open until the sheet is read: the stored copy puts shared strings
 *   first, so that never happens.
 */
import { Readable } from "node:stream";
import type { CanonicalCredential, ReadIssue, ReadResult, SpreadsheetMapping } from "../model.js";
import { BUILTIN_PROFILES } from "./builtin.js";
import {
  type Cell,
  DEFAULT_LIMITS,
  RowMapper,
  type RowResult,
  rowLimitIssue,
  type SpreadsheetLimits,
} from "./mapper.js";
import type { Profile } from "./profiles.js";
import {
  detectionHeaders,
  detectProfile,
  matchesHeaders,
  NO_PROFILE,
  requestedColumns,
  requestedProfile,
  type SpreadsheetOptions,
} from "./select.js";
import { DEFAULT_ZIP_LIMITS, isWorkbookPart, openZip, storedWorkbook, type ZipLimits } from "./zip.js";

export interface XlsxOptions extends SpreadsheetOptions {
  zip?: Partial<ZipLimits>;
  /** Stops inflating when aborted (a request that timed out). */
  signal?: AbortSignal;
}

/** Bytes of an XLSX input: a Buffer / Uint8Array as is, a string as base64 (a `data:` URL prefix is accepted). */
export function xlsxBytes(input: unknown): Buffer | undefined {
  if (Buffer.isBuffer(input)) return input;
  if (input instanceof Uint8Array) return Buffer.from(input);
  if (typeof input !== "string") return undefined;
  const b64 = input.trim().replace(/^data:[^,]*;base64,/, "");
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(b64.slice(0, 1024))) return undefined;
  return Buffer.from(b64, "base64");
}

/** A cell value as exceljs streams it → a plain value: formulas give their cached result. */
export function plainCell(v: unknown): Cell {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("formula" in o || "sharedFormula" in o) return "result" in o ? plainCell(o.result) : undefined;
    if (Array.isArray(o.richText))
      return o.richText
        .map((r: unknown) => (typeof r === "object" && r && "text" in r ? String((r as { text: unknown }).text) : ""))
        .join("");
    if ("text" in o) return plainCell(o.text);
    if ("error" in o) return undefined;
  }
  return undefined;
}

type XlsxItem =
  | { header: { profile: Profile; sheet: string; mapping: SpreadsheetMapping } }
  | RowResult
  | { fatal: ReadIssue[] };

/**
 * Streams the rows of an XLSX as row results (after a `header` item naming the profile and sheet), holding one row
 * at a time; a fatal problem is one `{fatal}` item. The bulk-job form of {@link readXlsx}.
 */
export async function* readXlsxRows(input: unknown, options?: XlsxOptions): AsyncGenerator<XlsxItem> {
  const bytes = xlsxBytes(input);
  if (!bytes) {
    yield { fatal: [{ path: "", message: "XLSX input must be base64 text or bytes" }] };
    return;
  }
  const zip = await openZip(bytes, isWorkbookPart, { ...DEFAULT_ZIP_LIMITS, ...options?.zip }, options?.signal);
  if (!zip.ok) {
    yield { fatal: [{ path: "", message: zip.message }] };
    return;
  }
  const requested = requestedProfile(options);
  if (!requested.ok) {
    yield { fatal: requested.issues };
    return;
  }
  const overrides = requestedColumns(options);
  if (!overrides.ok) {
    yield { fatal: overrides.issues };
    return;
  }
  const limits: SpreadsheetLimits = {
    maxRows: options?.maxRows && options.maxRows > 0 ? options.maxRows : DEFAULT_LIMITS.maxRows,
    maxCellChars:
      options?.maxCellChars && options.maxCellChars > 0 ? options.maxCellChars : DEFAULT_LIMITS.maxCellChars,
  };
  const wantedSheet = options?.sheet ?? requested.profile?.sheet;
  // exceljs (and the stream and zip packages it brings) is loaded on the first XLSX read, not when a function that
  // merely can read XLSX starts: evaluating it cost every cold start of convert, credentials and jobs.
  const { default: ExcelJS } = await import("exceljs");
  // exceljs reads the gateway's stored re-packing of the checked parts, never the uploaded archive (see zip.ts).
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(storedWorkbook(zip.parts)), {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  let done = false;
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      const candidates = requested.profile
        ? [requested.profile]
        : BUILTIN_PROFILES.filter((p) => (p.sheet ? p.sheet === name : true));
      const take = !done && (wantedSheet ? wantedSheet === name : true);
      let mapper: RowMapper | undefined;
      let headerRow = 0;
      let dataRows = 0;
      let stopped = false;
      for await (const row of sheet) {
        if (!take || stopped) continue;
        const cells = (row.values as unknown[]).slice(1).map(plainCell);
        if (!mapper) {
          // The header: the profile's header row, or (auto-detection) the first row some profile matches.
          const seen = detectionHeaders(cells, overrides.columns);
          const profile = requested.profile
            ? row.number === (requested.profile.headerRow ?? 1)
              ? requested.profile
              : undefined
            : (candidates.find((p) => row.number === (p.headerRow ?? 1) && matchesHeaders(p, seen)) ??
              (row.number === 1 ? detectProfile(seen) : undefined));
          if (!profile) continue;
          const planned = RowMapper.plan(profile, cells, "xlsx", limits, row.number, overrides.columns);
          if (!planned.ok) {
            yield { fatal: planned.issues };
            return;
          }
          mapper = planned.mapper;
          headerRow = row.number;
          yield { header: { profile, sheet: name, mapping: planned.mapper.mapping() } };
          continue;
        }
        if (row.number <= headerRow) continue;
        const result = mapper.map(cells, row.number);
        if (!result.credential && result.errors.length === 0) continue;
        dataRows++;
        if (dataRows > limits.maxRows) {
          stopped = true;
          yield {
            row: row.number,
            errors: [rowLimitIssue(row.number, limits.maxRows)],
          };
          continue;
        }
        yield result;
      }
      if (take && mapper && dataRows === 0) {
        // An empty template (EDC's ships with its header rows only): say where the rows were looked for.
        yield { fatal: [emptySheetIssue(mapper.mapping().profile.name, name, headerRow)] };
        return;
      }
      if (take && mapper) done = true;
      else if (take && wantedSheet) {
        yield { fatal: [{ ...NO_PROFILE, message: `worksheet ${JSON.stringify(name)}: ${NO_PROFILE.message}` }] };
        return;
      }
    }
  } catch (e) {
    yield { fatal: [{ path: "", message: `unreadable XLSX: ${e instanceof Error ? e.message : String(e)}` }] };
    return;
  }
  if (!done)
    yield {
      fatal: [wantedSheet ? { path: "", message: `no worksheet named ${JSON.stringify(wantedSheet)}` } : NO_PROFILE],
    };
}

/** EDC's templates call their data rows recipients; other sheets have rows. */
function emptySheetIssue(profile: string, sheet: string, headerRow: number): ReadIssue {
  const rows = profile.startsWith("edc-") ? "recipient rows" : "data rows";
  return {
    path: "",
    message: `no ${rows} below the header row ${headerRow} of worksheet ${JSON.stringify(sheet)} (profile ${profile}): fill in at least one row`,
  };
}

/**
 * Reads an XLSX / XLSM workbook (base64 text or bytes) into canonical credentials, one per non-blank data row. Never
 * throws; row errors are in `rowErrors` as for CSV.
 */
export async function readXlsx(input: unknown, options?: XlsxOptions): Promise<ReadResult> {
  const value: CanonicalCredential[] = [];
  const rowErrors: ReadIssue[] = [];
  const warnings: ReadIssue[] = [];
  let mapping: SpreadsheetMapping | undefined;
  try {
    for await (const item of readXlsxRows(input, options)) {
      if ("fatal" in item) return { ok: false, issues: item.fatal, warnings };
      if ("header" in item) {
        mapping = item.header.mapping;
        continue;
      }
      if (item.credential) value.push(item.credential);
      rowErrors.push(...item.errors);
    }
  } catch (e) {
    return { ok: false, issues: [{ path: "", message: `internal XLSX reader error: ${String(e)}` }] };
  }
  return {
    ok: true,
    value,
    losses: [],
    warnings,
    ...(rowErrors.length > 0 ? { rowErrors } : {}),
    ...(mapping ? { mapping } : {}),
  };
}
