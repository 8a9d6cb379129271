/**
 * The reader and writer registry: which formats the gateway can read and write, and how an input's format is
 * recognised when the caller does not say. Use cases go through here, so a new format is one entry in each table.
 */

import { readElm } from "./elm/read.js";
import { looksLikeElm } from "./elm/sniff.js";
import { writeElm } from "./elm/write.js";
import { readElmo } from "./elmo/read.js";
import { writeElmo } from "./elmo/write.js";
import { readEuropassXml } from "./europass-xml/read.js";
import type { Format } from "./formats.js";
import type { ReaderLimits } from "./limits.js";
import type { CanonicalCredential, ReadResult, WriteMoment, WriteResult } from "./model.js";
import { looksLikeOb2, readOb2 } from "./ob2/read.js";
import { looksLikeBakedImage, unbakeForReader } from "./ob3/baked.js";
import { readOb3 } from "./ob3/read.js";
import { looksLikeOb3 } from "./ob3/sniff.js";
import { writeOb3 } from "./ob3/write.js";
import { readCsv } from "./spreadsheet/csv.js";
import { spreadsheetOptions } from "./spreadsheet/select.js";
import { looksLikeCsv, looksLikeXlsx } from "./spreadsheet/sniff.js";
import { readXlsx } from "./spreadsheet/xlsx.js";
import { looksLikeElmo, looksLikeEuropassXml } from "./xml/sniff.js";

/**
 * `options` are the request's `options` (readers that take none ignore them: a spreadsheet's column profile...);
 * `limits` the configured ceilings of the readers (their defaults where absent).
 */
export type Reader = (input: unknown, options?: Record<string, unknown>, limits?: ReaderLimits) => ReadResult;
export type AsyncReader = (
  input: unknown,
  options?: Record<string, unknown>,
  limits?: ReaderLimits,
) => Promise<ReadResult>;
/** `options` are the request's; `at` is the caller's clock and id source, which request options cannot override. */
export type Writer = (
  credential: CanonicalCredential,
  options: Record<string, unknown>,
  at: WriteMoment,
) => WriteResult;

/** Readers by format. Formats without an entry are named in the API but not readable yet. */
export const READERS: Partial<Record<Format, Reader>> = {
  elm: readElm,
  // A baked badge image (data URL or base64 PNG) is read as the credential baked into it (ob3/baked.ts).
  ob3: (input) => readOb3(unbakeForReader(input)),
  elmo: (input, _options, limits) => readElmo(input, limits?.xml),
  ob2: readOb2,
  "europass-xml": (input, _options, limits) => readEuropassXml(input, limits?.xml),
  csv: (input, options, limits) => readCsv(input, spreadsheetOptions(options, limits?.sheet)),
};

/**
 * Readers that can only work asynchronously: exceljs reads XLSX through streams and has no synchronous API. Use
 * cases that can await (conversion) look here when {@link READERS} has no entry.
 */
export const ASYNC_READERS: Partial<Record<Format, AsyncReader>> = {
  xlsx: (input, options, limits) =>
    readXlsx(input, { ...spreadsheetOptions(options, limits?.sheet), ...(limits?.zip ? { zip: limits.zip } : {}) }),
};

/** Writers by format. */
export const WRITERS: Partial<Record<Format, Writer>> = {
  elm: (credential, options, at) => writeElm(credential, { ...options, now: at.now, uuid: at.uuid }),
  ob3: (credential, options, at) => writeOb3(credential, { ...options, now: at.now }),
  elmo: (credential, options, at) => writeElmo(credential, { ...options, now: at.now }),
};

/** Recognisers, most specific first: the first that claims the input names its format. */
const SNIFFERS: { format: Format; test: (input: unknown) => boolean }[] = [
  {
    format: "ob3",
    test: (input) => typeof input === "string" && looksLikeBakedImage(input) && looksLikeOb3(unbakeForReader(input)),
  },
  { format: "elm", test: looksLikeElm },
  { format: "ob3", test: looksLikeOb3 },
  { format: "elmo", test: looksLikeElmo },
  { format: "europass-xml", test: looksLikeEuropassXml },
  { format: "ob2", test: looksLikeOb2 },
  { format: "xlsx", test: looksLikeXlsx },
  { format: "csv", test: looksLikeCsv },
];

/** The format of an input, or undefined when no reader recognises it. Strings holding JSON are parsed first. */
export function sniffFormat(input: unknown): Format | undefined {
  return SNIFFERS.find((s) => s.test(input))?.format;
}
