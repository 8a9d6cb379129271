import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readXlsx, readXlsxRows } from "../../../../mappings/spreadsheet/xlsx.js";
import { checkZip } from "../../../../mappings/spreadsheet/zip.js";
import { assemble, deflatedEntry, entriesOf, type RawEntry } from "../../../support/zip-surgery.js";

/** A workbook with the default layout, as exceljs writes it (worksheets before shared strings, like Excel). */
async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Credentials");
  ws.addRow(["given_name", "email", "title", "ects", "issued"]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const ROWS = [
  ["Ada", "ada@example.org", "CAD", 5, new Date(Date.UTC(2025, 0, 31))],
  ["Bob", "bob@example.org", "CAD", 6, new Date(Date.UTC(2025, 0, 31))],
];

// exceljs spools worksheets with the `tmp` package under os.tmpdir(), which reads TMPDIR on each call: a private
// directory makes the count of left-behind files this test's own, whatever else runs on the machine.
let tmp: string;
let savedTmp: string | undefined;
beforeAll(() => {
  savedTmp = process.env.TMPDIR;
  tmp = mkdtempSync(join(tmpdir(), "zip-guard-"));
  process.env.TMPDIR = tmp;
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(tmp, { recursive: true, force: true });
});

const descriptors = () => readdirSync("/proc/self/fd").length;
const tempFiles = () => readdirSync(tmp).length;

/** Runs `read`, then lets pending closes settle, and reports what it left behind. */
async function leftBehind(read: () => Promise<unknown>): Promise<{ fds: number; files: number; ms: number }> {
  const fds = descriptors();
  const files = tempFiles();
  const t0 = performance.now();
  await read();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 50));
  return { fds: descriptors() - fds, files: tempFiles() - files, ms };
}

describe("XLSX zip guard", () => {
  it("refuses a workbook with a hidden local entry inflating to 128 MiB, fast and leaving nothing behind", async () => {
    const good = entriesOf(await workbook(ROWS));
    // The attack: an extra local entry, absent from the central directory, named like a worksheet and placed first,
    // where a streaming reader meets it before anything else.
    const hidden = deflatedEntry("xl/worksheets/sheet9.xml", Buffer.alloc(128 * 1024 * 1024));
    const bomb = assemble([hidden, ...good], good);
    expect(bomb.length).toBeLessThan(1024 * 1024);

    let result: unknown;
    const left = await leftBehind(async () => {
      result = await readXlsx(bomb.toString("base64"));
    });

    expect(result).toMatchObject({ ok: false, issues: [{ message: expect.stringMatching(/disagree|not list/) }] });
    expect(left.ms).toBeLessThan(2000);
    expect(left.files).toBe(0);
    expect(left.fds).toBeLessThanOrEqual(0);
  });

  it("refuses local headers that disagree with the central directory in order, names or sizes", async () => {
    const good = entriesOf(await workbook(ROWS));
    expect(checkZip(assemble(good))).toMatchObject({ ok: true });

    const swapped = [...good];
    [swapped[0], swapped[1]] = [swapped[1] as RawEntry, swapped[0] as RawEntry];
    expect(checkZip(assemble(swapped, good))).toMatchObject({ ok: false });

    const sheet = good.findIndex((e) => e.name === "xl/worksheets/sheet1.xml");
    const renamed = good.map((e, i) => {
      if (i !== sheet) return e;
      const local = Buffer.from(e.local);
      local.write("xl/worksheets/sheet2.xml", 30, "utf8");
      return { ...e, local };
    });
    expect(checkZip(assemble(renamed, good))).toMatchObject({
      ok: false,
      message: expect.stringContaining("disagree"),
    });

    const resized = good.map((e, i) => {
      if (i !== sheet) return e;
      const local = Buffer.from(e.local);
      local.writeUInt32LE(local.readUInt32LE(22) * 1000, 22);
      return { ...e, local };
    });
    expect(checkZip(assemble(resized, good))).toMatchObject({ ok: false, message: expect.stringContaining("size") });

    // An entry listed in the directory that is not where the directory says: two directory records for one entry.
    const doubled = assemble(good, [...good, good[sheet] as RawEntry]);
    expect(checkZip(doubled)).toMatchObject({ ok: false });

    // Trailing bytes between the last entry and the directory.
    const padding: RawEntry = { name: "", local: Buffer.alloc(64), central: Buffer.alloc(0) };
    expect(checkZip(assemble([...good, padding], good))).toMatchObject({ ok: false });
  });

  it("stops inflating an entry at its declared size, whatever the archive declares", async () => {
    const good = entriesOf(await workbook(ROWS));
    const sheet = good.findIndex((e) => e.name === "xl/worksheets/sheet1.xml");
    // Both headers agree on a small size and the right CRC of a small text, but the data inflates to 64 MiB.
    const big = deflatedEntry("xl/worksheets/sheet1.xml", Buffer.alloc(64 * 1024 * 1024, 0x20));
    const liar: RawEntry = { ...big, local: Buffer.from(big.local), central: Buffer.from(big.central) };
    liar.local.writeUInt32LE(4096, 22);
    liar.central.writeUInt32LE(4096, 24);
    const entries = good.map((e, i) => (i === sheet ? liar : e));
    let result: unknown;
    const left = await leftBehind(async () => {
      result = await readXlsx(assemble(entries));
    });
    expect(result).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining("zip bomb") }] });
    expect(left.ms).toBeLessThan(2000);
    expect(left.files).toBe(0);
  });

  it("reads a well-formed workbook in Excel's entry order without a temporary file, also when stopped early", async () => {
    const bytes = await workbook(ROWS);
    const names = entriesOf(bytes).map((e) => e.name);
    expect(names.indexOf("xl/worksheets/sheet1.xml")).toBeLessThan(names.indexOf("xl/sharedStrings.xml"));

    let result: Awaited<ReturnType<typeof readXlsx>> | undefined;
    const whole = await leftBehind(async () => {
      result = await readXlsx(bytes);
    });
    expect(result?.ok && result.value.map((c) => c.learner.givenName?.und)).toEqual(["Ada", "Bob"]);
    expect(whole).toMatchObject({ files: 0 });
    expect(whole.fds).toBeLessThanOrEqual(0);

    // A consumer that stops after the header (a bulk job cancelled, a request that timed out).
    const early = await leftBehind(async () => {
      for await (const item of readXlsxRows(bytes)) if ("header" in item) break;
    });
    expect(early).toMatchObject({ files: 0 });
    expect(early.fds).toBeLessThanOrEqual(0);
  });
});
