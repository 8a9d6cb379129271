import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";
import { unsignedOb3Credential } from "../support/ob3.js";
import { deepXml, zipBomb } from "./manifest.js";

// Every input limit is configurable: a gateway configured with small limits refuses, naming the field, what the
// defaults would accept.

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_STRING_CHARS: "2000",
      GATEWAY_MIN_YEAR: "2000",
      GATEWAY_MAX_YEAR: "2100",
      GATEWAY_MAX_XML_DEPTH: "8",
      GATEWAY_MAX_SHEET_ROWS: "2",
      GATEWAY_MAX_XLSX_BYTES: String(64 * 1024),
      GATEWAY_MAX_JSON_DEPTH: "10",
    },
  });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const check = (json: unknown) => gw.call("POST", "/v1/check", { json });

describe("configured limits", () => {
  it("refuses a string longer than GATEWAY_MAX_STRING_CHARS, naming it", async () => {
    // Act
    const res = await check({ document: unsignedOb3Credential({ name: "x".repeat(2001) }) });

    // Assess
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "limit-exceeded", errors: [{ pointer: "/body/document/name" }] });
  });

  it("refuses a year outside GATEWAY_MIN_YEAR..GATEWAY_MAX_YEAR, naming the field", async () => {
    // Act
    const res = await check({ document: unsignedOb3Credential({ validFrom: "1999-12-31T00:00:00Z" }) });

    // Assess
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "validation-failed", errors: [{ pointer: "/body/document/validFrom" }] });
  });

  it("refuses XML deeper than GATEWAY_MAX_XML_DEPTH with the line and column", async () => {
    // Act
    const res = await check({ from: "elmo", document: deepXml(12) });

    // Assess
    expect(res.status).toBe(422);
    expect(res.json.detail).toMatch(/deeper than 8 levels/);
  });

  it("reads no more than GATEWAY_MAX_SHEET_ROWS rows, and a request cannot raise it", async () => {
    // Act
    const res = await gw.call("POST", "/v1/convert", {
      json: { to: "ob3", from: "csv", document: jobCsv(4), options: { maxRows: 1000 } },
    });

    // Assess
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toHaveLength(2);
    expect(res.json.rowErrors[0].message).toMatch(/more than 2 data rows/);
  });

  it("refuses an XLSX that inflates beyond GATEWAY_MAX_XLSX_BYTES", async () => {
    // Act
    const res = await check({ from: "xlsx", document: zipBomb(128 * 1024).toString("base64") });

    // Assess
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain(`more than ${64 * 1024} bytes uncompressed`);
  });

  it("refuses JSON nested deeper than GATEWAY_MAX_JSON_DEPTH", async () => {
    // Act
    const res = await check({ document: { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: 1 } } } } } } } } } } });

    // Assess
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("limit-exceeded");
  });
});
