/**
 * Turning the `document` of a request into what readers take: JSON objects as they are, JSON text parsed with the
 * same limits as bodies, other strings (XML, CSV, base64 XLSX, VC-JWT) passed through for their readers. Then the
 * format: the caller's `from`, or the registry's recognition.
 */
import type { Format } from "../../../mappings/formats.js";
import type { ReaderLimits } from "../../../mappings/limits.js";
import type { CanonicalCredential, Loss, ReadIssue, ReadResult, SpreadsheetMapping } from "../../../mappings/model.js";
import { looksLikeSvgText, readBakedSvg } from "../../../mappings/ob3/baked.js";
import { ASYNC_READERS, READERS, sniffFormat } from "../../../mappings/registry.js";
import { unreadSpreadsheetText } from "../../../mappings/spreadsheet/legacy.js";
import { isRowLimitIssue, DEFAULT_LIMITS as SHEET_LIMITS } from "../../../mappings/spreadsheet/mapper.js";
import { noTitleIssue, titleMapped } from "../../../mappings/spreadsheet/require.js";
import { looksLikeXml, parseXml } from "../../../mappings/xml/safe-parse.js";
import { GatewayError } from "../../kernel/errors.js";
import { type JsonLimits, parseJsonText } from "../../kernel/json.js";
import { overBudget } from "../../kernel/work-budget.js";

const DOC = "/body/document";

/**
 * The limits a read is made under: the JSON limits of the request, and the configured ceilings of the document
 * readers (`readers`; the readers' own defaults where absent), passed with each read.
 */
export type DocumentLimits = JsonLimits & { readers?: ReaderLimits };

export interface ReadDocuments {
  from: Format;
  credentials: CanonicalCredential[];
  losses: Loss[];
  warnings: ReadIssue[];
  /** Records of a multi-record input (spreadsheet rows) left out because they could not be read. */
  rowErrors?: ReadIssue[];
  /** Spreadsheets: which column went where. */
  mapping?: SpreadsheetMapping;
}

/** The document as readers take it: a string holding JSON becomes the parsed value. */
export function prepareDocument(document: unknown, limits: JsonLimits): unknown {
  if (typeof document !== "string") return document;
  const text = document.trim();
  if (text.startsWith("{") || text.startsWith("[")) return parseJsonText(text, limits, DOC);
  return document;
}

/** Reads the request's document into canonical credentials, or throws a 4xx naming where it is wrong. */
export function readDocuments(
  document: unknown,
  from: Format | undefined,
  limits: DocumentLimits,
  options?: Record<string, unknown>,
): ReadDocuments {
  const { input, format } = formatOf(document, from, limits);
  const reader = READERS[format];
  if (!reader) throw noReader(format, from);
  return settle(reader(input, options, limits.readers), format);
}

/**
 * {@link readDocuments} for use cases that can await: also reads the formats whose readers are asynchronous
 * (`ASYNC_READERS`: XLSX).
 */
export async function readDocumentsAsync(
  document: unknown,
  from: Format | undefined,
  limits: DocumentLimits,
  options?: Record<string, unknown>,
  budget?: { maxSyncRows: number },
): Promise<ReadDocuments> {
  const { input, format } = formatOf(document, from, limits);
  const spreadsheet = format === "csv" || format === "xlsx";
  const within = budget && spreadsheet ? withinRows(options, budget.maxSyncRows, limits.readers) : options;
  const reader = READERS[format];
  const asyncReader = ASYNC_READERS[format];
  let result: ReadResult;
  if (reader) result = reader(input, within, limits.readers);
  else if (asyncReader) result = await asyncReader(input, within, limits.readers);
  else throw noReader(format, from);
  // The reader stopped at the request's budget (not at a lower `maxRows` the caller chose): the whole input is refused.
  if (budget && within?.budgetBinds && result.ok && result.rowErrors?.some(isRowLimitIssue))
    throw overBudget("maxSyncRows", budget.maxSyncRows, "/body/document", "spreadsheet data rows");
  return settle(result, format);
}

/**
 * The reader options with `maxRows` the least of what the caller asked, the configured sheet limit and the
 * synchronous budget; `budgetBinds` when the budget is that least, so that stopping there is a 413 (the others are
 * the row error the caller or the operator chose).
 */
function withinRows(
  options: Record<string, unknown> | undefined,
  maxSyncRows: number,
  readers: ReaderLimits | undefined,
): Record<string, unknown> & { maxRows: number; budgetBinds: boolean } {
  const asked = options?.maxRows;
  const chosen = typeof asked === "number" && Number.isInteger(asked) && asked > 0 ? asked : Number.POSITIVE_INFINITY;
  const other = Math.min(chosen, readers?.sheet?.maxRows ?? SHEET_LIMITS.maxRows);
  return { ...(options ?? {}), maxRows: Math.min(other, maxSyncRows), budgetBinds: maxSyncRows < other };
}

/** Formats whose documents are XML: text that looks like XML is sniffed as one of these or refused. */
const XML_FORMATS: readonly Format[] = ["elmo", "europass-xml"];

/**
 * XML text that no XML format recognises: parsed safely, so that refusals (DOCTYPE, depth, size) and syntax errors
 * (a truncated file) come back with their line and column; well-formed XML of another kind names its root.
 */
function unrecognisedXml(input: string, readers: ReaderLimits | undefined): GatewayError {
  // An SVG is a badge image: what is wrong with it is what the badge reader says (no credential, a DTD subset).
  if (looksLikeSvgText(input.trim())) {
    const baked = readBakedSvg(input.trim());
    const issues = baked.ok ? [{ message: "the SVG's baked credential is not an OB 3.0 credential" }] : baked.issues;
    return new GatewayError(
      "unprocessable",
      `the document is an SVG image without a readable badge: ${issues[0]?.message ?? ""}`,
      issues.map((i) => ({ pointer: DOC, detail: i.message })),
    );
  }
  const parsed = parseXml(input, readers?.xml);
  if (!parsed.ok) {
    const message = parsed.issues[0]?.message ?? "not well-formed XML";
    return new GatewayError(
      "unprocessable",
      `the document is not readable XML: ${message}`,
      parsed.issues.map((i) => ({ pointer: DOC, detail: i.message })),
    );
  }
  const readable = [...Object.keys(READERS), ...Object.keys(ASYNC_READERS)].join(", ");
  return new GatewayError(
    "unprocessable",
    `the document's format was not recognised: XML with root <${parsed.doc.name}> is none of ${XML_FORMATS.join(", ")}`,
    [{ pointer: "/body/from", detail: `not recognised; readable formats: ${readable}` }],
  );
}

function formatOf(
  document: unknown,
  from: Format | undefined,
  limits: DocumentLimits,
): { input: unknown; format: Format } {
  const input = prepareDocument(document, limits);
  const sniffed = from ? undefined : sniffFormat(input);
  // XML is one of the XML formats or a baked SVG badge (sniffed as the OB 3.0 credential it carries).
  if (!from && looksLikeXml(input)) {
    const svgBadge = sniffed === "ob3" && looksLikeSvgText(input.trim());
    if (!svgBadge && !(sniffed && XML_FORMATS.includes(sniffed))) throw unrecognisedXml(input, limits.readers);
  }
  const format = from ?? sniffed;
  // A workbook the gateway does not read (.xls, .ods) is named as such, whatever `from` says.
  const unread = typeof input === "string" && (!format || format === "xlsx") ? unreadSpreadsheetText(input) : undefined;
  if (unread) throw new GatewayError("unprocessable", unread, [{ pointer: DOC, detail: unread }]);
  if (!format) {
    const readable = [...Object.keys(READERS), ...Object.keys(ASYNC_READERS)].join(", ");
    throw new GatewayError("unprocessable", "the document's format was not recognised; name it with `from`", [
      { pointer: "/body/from", detail: `not recognised; readable formats: ${readable}` },
    ]);
  }
  return { input, format };
}

const noReader = (format: Format, from: Format | undefined) =>
  new GatewayError("not-implemented", `reading ${format} is not implemented yet`, [
    { pointer: from ? "/body/from" : "/body/document", detail: `no reader for ${format} yet` },
  ]);

/** Reader issues point into the document, except those about the request's options (a spreadsheet profile). */
const pointerOf = (path: string) =>
  path.startsWith("/options/") || path === "/options" ? `/body${path}` : `${DOC}${path}`;

function settle(result: ReadResult, format: Format): ReadDocuments {
  if (!result.ok) {
    throw new GatewayError(
      "unprocessable",
      `the document is not a readable ${format} credential: ${result.issues[0]?.message ?? "unreadable"}`,
      result.issues.map((i) => ({ pointer: pointerOf(i.path), detail: i.message })),
    );
  }
  // A spreadsheet none of whose columns holds a title would give credentials without one: refused as a whole.
  if (result.mapping && !titleMapped(result.mapping)) {
    const issue = noTitleIssue(result.mapping);
    throw new GatewayError("unprocessable", issue.message, [{ pointer: pointerOf(issue.path), detail: issue.message }]);
  }
  const rowErrors = result.rowErrors ?? [];
  if (result.value.length === 0) {
    // Every row failed: the row errors are the answer.
    if (rowErrors.length > 0)
      throw new GatewayError(
        "unprocessable",
        `no row of the ${format} document could be read: ${rowErrors[0]?.message ?? ""}`,
        rowErrors.slice(0, 100).map((i) => ({ pointer: pointerOf(i.path), detail: i.message })),
      );
    throw new GatewayError("unprocessable", "the document holds no credential", [{ pointer: DOC, detail: "empty" }]);
  }
  return {
    from: format,
    credentials: result.value,
    losses: result.losses,
    warnings: result.warnings,
    ...(rowErrors.length > 0 ? { rowErrors } : {}),
    ...(result.mapping ? { mapping: result.mapping } : {}),
  };
}
