import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parsePoints } from "../../mappings/model.js";
import { readCsv } from "../../mappings/spreadsheet/csv.js";
import { readXlsx } from "../../mappings/spreadsheet/xlsx.js";
import { corpusPath, corpusText } from "../support/corpus.js";

const LAYOUTS = "spreadsheets/layouts-synthetic";

/** Each credential layout: its file, the profile detected, and the first row's expected values. */
const CASES = [
  ["badgr-bulk-award.sample.csv", 2, { email: "ada.example@example.org" }],
  ["credly-bulk-issue.sample.csv", 1, { email: "ada.example@example.org", issued: "2025-01-31" }],
  ["geobadges-open-badges-csv.sample.csv", 1, { email: "ada.example@example.org", title: "Map Maker" }],
  ["moodle-customcert-report.sample.csv", 1, { email: "ada.example@example.org", issued: "2025-01-31T10:00:00" }],
  ["moodle-tool_certificate-issues.sample.csv", 1, { email: "ada.example@example.org", issued: "2025-01-31" }],
  ["openedx-grade-report.sample.csv", 1, { email: "ada.example@example.org", grade: "0.87" }],
] as const;

const sumOfEcts = (rows: Record<string, string>[], column: string) =>
  rows.reduce((s, r) => s + (parsePoints(r[column] ?? "") ?? 0), 0);

describe("spreadsheet layouts in the corpus", () => {
  it.each(CASES)("%s: one credential per row, first row's values", (file, rows, first) => {
    const text = corpusText(`${LAYOUTS}/${file}`);
    const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

    const r = readCsv(text);

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rowErrors).toBeUndefined();
    expect(r.value).toHaveLength(rows);
    expect(records).toHaveLength(rows);
    const c = r.value[0];
    expect(c?.learner.emails[0]).toBe(first.email);
    if ("issued" in first) expect(c?.issued).toBe(first.issued);
    if ("title" in first) expect(c?.title?.und).toBe(first.title);
    if ("grade" in first) expect(c?.claims[0]?.provenBy[0]?.grade?.value).toBe(first.grade);
    // No ECTS column in these exports: the credit total is 0 on both sides.
    const total = r.value.reduce(
      (s, x) => s + (parsePoints(x.claims[0]?.specification?.credits[0]?.points ?? "") ?? 0),
      0,
    );
    expect(total).toBe(0);
  });

  it("the DEQAR submission template is not a credential layout: no profile claims it", () => {
    const r = readCsv(corpusText(`${LAYOUTS}/deqar-submission.sample.csv`));
    expect(r).toMatchObject({ ok: false, issues: [{ path: "/rows/1" }] });
  });

  it("a default-layout export of the DEQAR programme keeps its ECTS total", () => {
    const deqar = parse(corpusText(`${LAYOUTS}/deqar-submission.sample.csv`), { columns: true }) as Record<
      string,
      string
    >[];
    const csv = [
      "title,ects,isced_f",
      ...deqar.map(
        (d) =>
          `"${d["programme[1].name_primary"]}",${d["programme[1].workload_ects"]},${d["programme[1].field_study"]}`,
      ),
    ].join("\n");
    const r = readCsv(csv);
    const total = r.ok
      ? r.value.reduce((s, x) => s + Number(x.claims[0]?.specification?.credits[0]?.points ?? 0), 0)
      : -1;
    expect(total).toBe(sumOfEcts(deqar, "programme[1].workload_ects"));
    expect(total).toBe(15);
  });
});

describe("EDC issuer templates (.xlsm, parsed only)", () => {
  it.each([
    ["EDC_template-recipients.xlsm", "Recipients", "edc-recipients"],
    ["EDC_template-generic.xlsm", "Persons", "edc-generic-persons"],
  ])("%s: the empty template is refused as having no recipient rows, not read as no credential", async (file) => {
    const bytes = readFileSync(corpusPath(`spreadsheets/edc/${file}`));
    const r = await readXlsx(bytes.toString("base64"));
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toMatch(/no recipient rows below the header row \d+/);
  });

  it.each([
    ["EDC_template-recipients.xlsm", "Recipients", "edc-recipients", "O"],
    ["EDC_template-generic.xlsm", "Persons", "edc-generic-persons", "U"],
  ])("%s: rows filled in on sheet %s read through the hidden header row", async (file, sheet, profile, emailColumn) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(corpusPath(`spreadsheets/edc/${file}`)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(sheet);
    if (!ws) throw new Error(`no ${sheet}`);
    for (const [n, name] of [
      [13, "Ada Example"],
      [14, "Bob Example"],
    ] as const) {
      const row = ws.getRow(n);
      row.getCell("B").value = name;
      row.getCell(emailColumn).value = `${name.split(" ")[0]?.toLowerCase()}@example.org`;
      row.commit();
    }
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());

    const r = await readXlsx(bytes, { profile });

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((c) => c.learner.fullName?.en)).toEqual(["Ada Example", "Bob Example"]);
    expect(r.value[0]?.learner.emails).toEqual(["ada@example.org"]);
    expect(r.value[0]?.provenance.paths["/learner/fullName"]).toBe("/rows/13/Person.fullName.Property.content.en");
  });
});
