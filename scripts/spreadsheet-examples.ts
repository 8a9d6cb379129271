/**
 * Writes the XLSX examples of docs/examples/ from their CSV twins (`npx tsx scripts/spreadsheet-examples.ts`): the
 * same rows, with what a registrar's spreadsheet program would store — numbers as numbers, dates as date cells — so
 * that the XLSX reader is exercised on real cell types, not on text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";

const DIR = join(import.meta.dirname, "..", "docs", "examples");
const EXAMPLES = [
  { csv: "registrar-de.csv", xlsx: "registrar-de.xlsx", sheet: "Teilnehmende" },
  { csv: "registrar-en.csv", xlsx: "registrar-en.xlsx", sheet: "Learners" },
];

/** A cell as a spreadsheet program would keep it once typed in. */
function typed(text: string): string | number | Date {
  if (/^\d{4}-\d\d-\d\d$/.test(text)) return new Date(`${text}T00:00:00Z`);
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

for (const { csv, xlsx, sheet } of EXAMPLES) {
  const rows = parse(readFileSync(join(DIR, csv), "utf8"), { bom: true }) as string[][];
  const workbook = new ExcelJS.Workbook();
  // Fixed metadata, so that writing again gives the same file.
  workbook.creator = "europass-edc-gateway examples";
  workbook.created = new Date("2025-07-01T00:00:00Z");
  workbook.modified = new Date("2025-07-01T00:00:00Z");
  const ws = workbook.addWorksheet(sheet);
  rows.forEach((row, i) => {
    ws.addRow(i === 0 ? row : row.map(typed));
  });
  await workbook.xlsx.writeFile(join(DIR, xlsx));
  console.log(`wrote docs/examples/${xlsx} (${rows.length - 1} rows)`);
}
