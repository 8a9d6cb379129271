import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const GEOBADGES = "spreadsheets/layouts-synthetic/geobadges-open-badges-csv.sample.csv";
const DEFAULT_CSV = [
  "given_name,family_name,email,title,ects,eqf_level,mode,awarding_body,awarding_body_country,issued",
  "Ada,Example,ada@example.org,Intro to CAD,5,6,online,University of Zed,IE,2025-01-31",
  "Bob,Example,bob@example.org,Intro to CAD,five,6,online,University of Zed,IE,2025-01-31",
].join("\n");

describe("POST /v1/convert with spreadsheets", () => {
  it.each(["elm", "ob3"])("converts a corpus CSV (sniffed) to %s", async (to) => {
    const res = await gw.call("POST", "/v1/convert", { json: { to, document: corpusText(GEOBADGES) } });

    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.from).toBe("csv");
    expect(res.json.results).toHaveLength(1);
    expect(JSON.stringify(res.json.results[0].document)).toContain("Map Maker");
  });

  it.each(["elm", "ob3"])("converts the good rows to %s and lists the bad ones as rowErrors", async (to) => {
    const res = await gw.call("POST", "/v1/convert", { json: { to, document: DEFAULT_CSV } });

    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.results).toHaveLength(1);
    expect(res.json.rowErrors).toEqual([{ row: 3, path: "/rows/3/ects", message: expect.stringContaining("five") }]);
  });

  it("converts a small XLSX sent as base64 (sniffed) to elm, with the bad row as a rowError", async () => {
    // Prepare: the default layout's header and two rows, one with ECTS that are not a number.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Credentials");
    for (const line of DEFAULT_CSV.split("\n")) ws.addRow(line.split(","));
    const document = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
    // Act
    const res = await gw.call("POST", "/v1/convert", { json: { to: "elm", document } });
    // Assess
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.from).toBe("xlsx");
    expect(res.json.results).toHaveLength(1);
    const text = JSON.stringify(res.json.results[0].document);
    expect(text).toContain("EuropeanDigitalCredential");
    expect(text).toContain("Intro to CAD");
    expect(res.json.rowErrors).toEqual([{ row: 3, path: "/rows/3/ects", message: expect.stringContaining("five") }]);
  });

  it("answers problem+json naming the profile option when it is wrong", async () => {
    const res = await gw.call("POST", "/v1/convert", {
      json: { to: "elm", from: "csv", document: DEFAULT_CSV, options: { profile: { name: "x", columns: {} } } },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].pointer).toBe("/body/options/profile/columns");
  });
});
