/**
 * Recognises spreadsheet input for the reader registry: CSV by its header line (a built-in profile's headers or the
 * default layout's), XLSX by the ZIP magic `PK\x03\x04` of the base64-decoded bytes.
 */
import { parse } from "csv-parse/sync";
import { detectProfile } from "./select.js";
import { xlsxBytes } from "./xlsx.js";
import { isZip } from "./zip.js";

/** Whether a string's first line is the header of a known spreadsheet layout. Never throws. */
export function looksLikeCsv(input: unknown): boolean {
  if (typeof input !== "string") return false;
  const text = input.replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("{") || text.startsWith("[") || text.startsWith("<")) return false;
  const newline = text.indexOf("\n");
  const first = (newline < 0 ? text : text.slice(0, newline)).slice(0, 64 * 1024);
  try {
    for (const delimiter of [",", ";"]) {
      const [header] = parse(first, { delimiter, relax_quotes: true, to: 1 }) as string[][];
      if (header && header.length > 1 && detectProfile(header)) return true;
      if (header && header.length === 1 && detectProfile(header)) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** Whether an input is base64 text (or bytes) of a ZIP archive, as XLSX files are. Never throws. */
export function looksLikeXlsx(input: unknown): boolean {
  if (typeof input === "string") {
    const head = input
      .trim()
      .replace(/^data:[^,]*;base64,/, "")
      .slice(0, 8);
    // "UEsDBA" is base64 for PK\x03\x04.
    if (!head.startsWith("UEsDB")) return false;
    const bytes = xlsxBytes(head);
    return bytes !== undefined && isZip(bytes);
  }
  return (Buffer.isBuffer(input) || input instanceof Uint8Array) && isZip(input);
}
