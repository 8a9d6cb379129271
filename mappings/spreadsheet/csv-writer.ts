/**
 * CSV output for anything the gateway writes back (row-error reports, exports), with spreadsheet formula injection
 * neutralised: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` (OWASP "CSV
 * Injection"), so a spreadsheet program shows it as text instead of evaluating it.
 */
import { stringify } from "csv-stringify/sync";

const DANGEROUS = /^[=+\-@\t\r]/;

/** A cell safe to open in a spreadsheet program. */
export function neutraliseCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  return DANGEROUS.test(text) ? `'${text}` : text;
}

/**
 * Rows of objects as CSV text with a header line of `columns`; every cell neutralised. `delimiter` `;` writes for the
 * locales whose spreadsheet programs expect it (those with a decimal comma), as the file being answered used.
 */
export function writeCsvRows(
  rows: Iterable<Record<string, unknown>>,
  columns: readonly string[],
  delimiter: "," | ";" = ",",
): string {
  const records: string[][] = [columns.map(neutraliseCell)];
  for (const row of rows) records.push(columns.map((c) => neutraliseCell(row[c])));
  return stringify(records, { record_delimiter: "\r\n", delimiter });
}
