/**
 * XLSX workbooks of credentials (one row each): read asynchronously (exceljs reads through streams), with the
 * request's column options, the configured sheet ceilings and the zip-bomb guard's sizes.
 */
import type { FormatModule } from "../format-module.js";
import { spreadsheetOptions } from "../spreadsheet/select.js";
import { looksLikeXlsx } from "../spreadsheet/sniff.js";
import { readXlsx } from "../spreadsheet/xlsx.js";

export const xlsx: FormatModule = {
  id: "xlsx",
  sniff: looksLikeXlsx,
  readsAsync: true,
  read: (input, options, limits) =>
    readXlsx(input, { ...spreadsheetOptions(options, limits?.sheet), ...(limits?.zip ? { zip: limits.zip } : {}) }),
};
