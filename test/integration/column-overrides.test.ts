import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { schemaErrors } from "../support/ob3.js";

// `options.columns`: the registrar corrects the column mapping the reader detected, on convert, check, the dry run
// and the job itself. The expected values are the sheet's own cells, read here by csv-parse (not the gateway's
// reader); OB 3.0 output is held to the official OB 3.0 JSON Schema.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let issuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  issuer = await registerIssuer(gw, { name: "Shannon Valley University", country: "IE", testIssuer: true });
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, probed member by member by the test
type Json = Record<string, any>;

const ORIGINAL = readFileSync(join(import.meta.dirname, "..", "..", "docs", "examples", "registrar-en.csv"), "utf8");
/** The example sheet with its title column renamed to a header no profile knows: the reader cannot find a title. */
const SHEET = ORIGINAL.replace(/^([^\n]*)course_title/, "$1offering");
const records: Record<string, string>[] = parse(SHEET, { columns: true, skip_empty_lines: true });
/** Rows whose `offering` cell is filled, with their spreadsheet row number (the header is row 1). */
const titled = records.map((r, i) => ({ row: i + 2, r })).filter(({ r }) => (r.offering ?? "") !== "");

const jobBody = (options: Json) => ({
  from: "csv",
  document: SHEET,
  options: { issuer: issuer.id, format: "ob3", ...options },
});

describe("options.columns", () => {
  it("is needed: without it the renamed title column is not read and the sheet is refused for its missing title", async () => {
    const res = await gw.call("POST", "/v1/jobs", { token: issuer.token, json: jobBody({ dryRun: true }) });
    expect(res.status, res.text).toBe(422);
    expect(res.json.detail).toMatch(/title/);
  });

  it("maps a header to a field and ignores another in the dry run", async () => {
    const res = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: jobBody({ dryRun: true, columns: { offering: "title", result: "ignore", assessment: "description" } }),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.profile.columns).toMatchObject({ offering: "title", assessment: "description" });
    expect(res.json.profile.columns.result).toBeUndefined();
    expect(res.json.ignored).toEqual(["result"]);
    expect(res.json.unmapped).not.toContain("result");
    for (const { row, r } of titled) {
      const previewed = res.json.rows.find((p: Json) => p.row === row);
      expect(previewed.values.title).toBe(r.offering);
    }
  });

  it("converts with it: the OB 3.0 achievement's name and description are the cells, the ignored one is nowhere", async () => {
    const res = await gw.call("POST", "/v1/convert", {
      json: {
        from: "csv",
        to: "ob3",
        document: SHEET,
        options: {
          issuerId: "https://example.ie",
          columns: { offering: "title", result: "ignore", assessment: "description" },
        },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.ignored).toEqual(["result"]);
    const first = titled[0] as { row: number; r: Record<string, string> };
    const doc = res.json.results[0].document;
    expect(schemaErrors(doc)).toEqual([]);
    expect(doc.credentialSubject.achievement.name).toBe(first.r.offering);
    expect(doc.credentialSubject.achievement.description).toBe(first.r.assessment);
    // The ignored column's cells are neither in a credential nor reported as losses of unread cells.
    const grades = new Set(records.map((r) => r.result).filter(Boolean));
    expect(grades.size).toBeGreaterThan(0);
    for (const grade of grades) expect(JSON.stringify(res.json)).not.toContain(`"${grade}"`);
  });

  it("checks with it: Annex I finds the title in the overridden column", async () => {
    const res = await gw.call("POST", "/v1/check", {
      json: { document: SHEET, options: { columns: { offering: "title" } } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toHaveLength(records.length);
    // Council Recommendation 2022/C 243/02, Annex I: "Title of the micro-credential", found where the cell is.
    const first = titled[0] as { row: number; r: Record<string, string> };
    const title = res.json.results[0].elements.find((e: Json) => e.element === "title");
    expect(title).toMatchObject({ status: "present", path: `/rows/${first.row}/offering` });
    const without = await gw.call("POST", "/v1/check", { json: { document: SHEET } });
    expect(without.status).toBe(422);
  });

  it("issues a job with it: every titled row's credential carries its cell as the achievement's name", async () => {
    const submitted = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: jobBody({ columns: { offering: "title" } }),
    });
    expect(submitted.status, submitted.text).toBe(202);
    expect(submitted.json.profile.columns.offering).toBe("title");
    const deadline = Date.now() + 60_000;
    let job: Json;
    for (;;) {
      job = (await gw.call("GET", `/v1/jobs/${submitted.json.id}`, { token: issuer.token })).json;
      if (/^completed|^failed/.test(job.status)) break;
      if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.status).toMatch(/^completed/);
    const lines = (await gw.call("GET", `/v1/jobs/${submitted.json.id}/results`, { token: issuer.token })).text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const { row, r } of titled) {
      const line = lines.find((l: Json) => l.row === row);
      expect(line?.verifiableCredential?.credentialSubject?.achievement?.name, JSON.stringify(line)).toBe(r.offering);
    }
  });

  it("issues an uploaded sheet with it: the override is kept with the job until a worker reads the upload", async () => {
    const created = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: {
        from: "csv",
        upload: true,
        options: { issuer: issuer.id, format: "ob3", columns: { offering: "title" } },
      },
    });
    expect(created.status, created.text).toBe(202);
    const put = await fetch(created.json.upload.url, {
      method: created.json.upload.method,
      headers: created.json.upload.headers,
      body: SHEET,
    });
    expect(put.status).toBe(200);
    const started = await gw.call("POST", `/v1/jobs/${created.json.id}/start`, { token: issuer.token });
    expect(started.status, started.text).toBe(202);
    const deadline = Date.now() + 60_000;
    let job: Json;
    for (;;) {
      job = (await gw.call("GET", `/v1/jobs/${created.json.id}`, { token: issuer.token })).json;
      if (/^completed|^failed/.test(job.status)) break;
      if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.status).toMatch(/^completed/);
    const lines = (await gw.call("GET", `/v1/jobs/${created.json.id}/results`, { token: issuer.token })).text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const { row, r } of titled) {
      const line = lines.find((l: Json) => l.row === row);
      expect(line?.verifiableCredential?.credentialSubject?.achievement?.name, JSON.stringify(line)).toBe(r.offering);
    }
  });

  it("reads an XLSX with it too: the English example workbook, its assessment column read as the description", async () => {
    // The workbook holds the CSV example's cells (docs/examples), read here from the CSV twin by csv-parse.
    const twin: Record<string, string>[] = parse(ORIGINAL, { columns: true, skip_empty_lines: true });
    const workbook = readFileSync(join(import.meta.dirname, "..", "..", "docs", "examples", "registrar-en.xlsx"));
    const res = await gw.call("POST", "/v1/convert", {
      json: {
        from: "xlsx",
        to: "ob3",
        document: workbook.toString("base64"),
        options: { issuerId: "https://example.ie", columns: { assessment: "description", result: "ignore" } },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.ignored).toEqual(["result"]);
    expect(res.json.profile.columns.assessment).toBe("description");
    expect(res.json.results[0].document.credentialSubject.achievement.description).toBe(twin[0]?.assessment);
  });

  it.each([
    [
      "convert",
      "/v1/convert",
      { from: "csv", to: "ob3", document: SHEET, options: { columns: { offering: "titel" } } },
    ],
    ["check", "/v1/check", { document: SHEET, options: { columns: { offering: "titel" } } }],
    ["a job", "/v1/jobs", null],
  ])("refuses an unknown field on %s with a problem naming the header", async (_what, path, body) => {
    const json = body ?? jobBody({ columns: { offering: "titel" } });
    const res = await gw.call("POST", path, { token: issuer.token, json });
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.errors.map((e: Json) => e.pointer)).toContain("/body/options/columns/offering");
  });

  it("refuses a header the sheet does not have (422 naming it), on the dry run and on convert", async () => {
    const dry = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: jobBody({ dryRun: true, columns: { offering: "title", Kurs: "title" } }),
    });
    expect(dry.status, dry.text).toBe(422);
    expect(dry.json.errors.map((e: Json) => e.pointer)).toContain("/body/options/columns/Kurs");
    const converted = await gw.call("POST", "/v1/convert", {
      json: {
        from: "csv",
        to: "ob3",
        document: SHEET,
        options: { issuerId: "https://example.ie", columns: { Kurs: "title" } },
      },
    });
    expect(converted.status, converted.text).toBe(422);
    expect(converted.json.errors.map((e: Json) => e.pointer)).toContain("/body/options/columns/Kurs");
  });
});
