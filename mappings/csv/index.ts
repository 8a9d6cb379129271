/** CSV sheets of credentials (one row each), read with the request's column options and the configured ceilings. */
import type { FormatModule } from "../format-module.js";
import { readCsv } from "../spreadsheet/csv.js";
import { spreadsheetOptions } from "../spreadsheet/select.js";
import { looksLikeCsv } from "../spreadsheet/sniff.js";

export const csv: FormatModule = {
  id: "csv",
  sniff: looksLikeCsv,
  read: (input, options, limits) => readCsv(input, spreadsheetOptions(options, limits?.sheet)),
};
