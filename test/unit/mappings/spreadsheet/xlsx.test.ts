import { deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { looksLikeXlsx } from "../../../../mappings/spreadsheet/sniff.js";
import { readXlsx } from "../../../../mappings/spreadsheet/xlsx.js";
import { checkZip, openZip } from "../../../../mappings/spreadsheet/zip.js";

/** A workbook with the default layout; `rows` are cell arrays under the header. */
async function workbook(
  rows: unknown[][],
  header = ["given_name", "email", "title", "ects", "issued"],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Credentials");
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A one-entry ZIP whose headers declare `declared` bytes uncompressed for `content`. */
function zipOf(content: Buffer, declared = content.length): Buffer {
  const data = deflateRawSync(content);
  const name = Buffer.from("xl/worksheets/sheet1.xml");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

describe("readXlsx", () => {
  it("reads rows from base64, taking formulas' cached results and dates as dates", async () => {
    const bytes = await workbook([
      ["Ada", "ada@example.org", "CAD", { formula: "2+3", result: 5 }, new Date(Date.UTC(2025, 0, 31))],
      ["Bob", "bob@example.org", "CAD", "many", new Date(Date.UTC(2025, 0, 31))],
    ]);

    const r = await readXlsx(bytes.toString("base64"));

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(1);
    expect(r.value[0]?.claims[0]?.specification?.credits[0]?.points).toBe("5");
    expect(r.value[0]?.issued).toBe("2025-01-31");
    expect(r.value[0]?.provenance.paths["/learner/givenName"]).toBe("/rows/2/given_name");
    expect(r.rowErrors).toEqual([{ path: "/rows/3/ects", message: expect.stringContaining("many") }]);
    expect(looksLikeXlsx(bytes.toString("base64"))).toBe(true);
  });

  it("refuses a zip whose central directory declares a huge uncompressed size", async () => {
    const bomb = zipOf(Buffer.from("<x/>"), 3 * 1024 * 1024 * 1024);
    expect(checkZip(bomb)).toMatchObject({ ok: false, message: expect.stringContaining("zip bomb") });
    const r = await readXlsx(bomb.toString("base64"));
    expect(r).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining("zip bomb") }] });
  });

  it("refuses a highly compressible entry and one that inflates beyond what it declares", async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    expect(checkZip(zipOf(zeros))).toMatchObject({ ok: false, message: expect.stringContaining("zip bomb") });
    expect(await openZip(zipOf(Buffer.alloc(4096), 100), () => true)).toMatchObject({
      ok: false,
      message: expect.stringContaining("beyond its declared size"),
    });
    expect(checkZip(zipOf(Buffer.from("<ok/>")))).toMatchObject({ ok: true });
  });

  it("refuses input that is not a zip", async () => {
    expect(await readXlsx(Buffer.from("hello").toString("base64"))).toMatchObject({ ok: false });
    expect(await readXlsx(42)).toMatchObject({ ok: false });
  });
});
