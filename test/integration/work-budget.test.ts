import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import { type CallResult, startTestGateway, type TestGateway } from "../support/gateway.js";
import { assemble, deflatedEntry, entriesOf } from "../support/zip-surgery.js";

// The attacks of an anonymous caller on 127.0.0.1, within the documented body limit (5 MiB): each must be refused
// (or answered) quickly, never with a 5xx, and /health must stay responsive while it runs.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(5 * 1024 * 1024) },
  });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const HEADER = "given_name,family_name,email,title,ects,eqf_level,mode,awarding_body,awarding_body_country,issued";
const csv = (rows: number) =>
  [
    HEADER,
    ...Array.from(
      { length: rows },
      (_, i) => `Ada${i},Example,ada${i}@example.org,Intro to CAD,5,6,online,University of Zed,IE,2025-01-31`,
    ),
  ].join("\n");

/** Runs `attack` while probing /health one request after another; the probes' latencies in ms. */
async function underAttack(attack: () => Promise<CallResult>): Promise<{ res: CallResult; ms: number; p99: number }> {
  let running = true;
  const latencies: number[] = [];
  const probe = (async () => {
    while (running) {
      const t0 = performance.now();
      const h = await fetch(`${gw.url}/health`);
      await h.arrayBuffer();
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t0 = performance.now();
  const res = await attack();
  const ms = performance.now() - t0;
  // A few probes after the answer: work that goes on after it would show here.
  await new Promise((r) => setTimeout(r, 200));
  running = false;
  await probe;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0;
  return { res, ms, p99 };
}

const json = (body: string) => ({ body, headers: { "content-type": "application/json" } });

describe("work budget of synchronous routes", () => {
  it("refuses a body of a 2,000,000-element array fast, naming the limit", async () => {
    const body = `{"to":"ob3","document":[${new Array(2_000_000).fill("0").join(",")}]}`;
    expect(body.length).toBeLessThan(5 * 1024 * 1024);

    const { res, ms, p99 } = await underAttack(() => gw.call("POST", "/v1/convert", json(body)));

    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.code).toBe("work-budget-exceeded");
    expect(res.json.detail).toMatch(/maxArrayElements.*bulk job/);
    expect(ms).toBeLessThan(1000);
    expect(p99).toBeLessThan(300);
  });

  it("refuses a 25,000-row CSV check with 413 naming maxSyncRows, and keeps /health responsive", async () => {
    const document = csv(25_000);
    expect(document.length).toBeLessThan(5 * 1024 * 1024);

    const { res, ms, p99 } = await underAttack(() => gw.call("POST", "/v1/check", { json: { document } }));

    expect(res.status, res.text.slice(0, 300)).toBe(413);
    expect(res.json.code).toBe("work-budget-exceeded");
    expect(res.json.detail).toContain("maxSyncRows");
    expect(res.json.errors).toEqual([{ pointer: "/body/document", detail: expect.stringContaining("1000") }]);
    expect(ms).toBeLessThan(2000);
    expect(p99).toBeLessThan(300);
  });

  it("refuses a 25,000-row CSV convert the same way", async () => {
    const { res, p99 } = await underAttack(() =>
      gw.call("POST", "/v1/convert", { json: { to: "ob3", document: csv(25_000) } }),
    );
    expect(res.status).toBe(413);
    expect(res.json.detail).toContain("maxSyncRows");
    expect(p99).toBeLessThan(300);
  });

  it("checks 1,000 rows (the budget) with one registry lookup per distinct awarding body, not per row", async () => {
    const registry = gw.deps.registry;
    let finds = 0;
    const find = registry.findInstitutions.bind(registry);
    registry.findInstitutions = (lookup) => {
      finds++;
      return find(lookup);
    };
    try {
      const { res, p99 } = await underAttack(() => gw.call("POST", "/v1/check", { json: { document: csv(1_000) } }));
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      expect(res.json.results).toHaveLength(1_000);
      // Every row names the same awarding body: its lookups are made once for the request.
      expect(finds).toBeGreaterThan(0);
      expect(finds).toBeLessThan(10);
      expect(p99).toBeLessThan(300);
    } finally {
      registry.findInstitutions = find;
    }
  });

  it("refuses a presentation of 2,500 credentials before verifying any", async () => {
    const credential = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiableCredential"],
      issuer: "did:example:issuer",
      validFrom: "2024-01-01T00:00:00Z",
      credentialSubject: { id: "did:example:learner" },
    };
    const vp = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      verifiableCredential: Array.from({ length: 2_500 }, () => credential),
    };
    const { res, ms, p99 } = await underAttack(() =>
      gw.call("POST", "/presentations/verify", { json: { verifiablePresentation: vp } }),
    );
    expect(res.status, res.text.slice(0, 300)).toBe(413);
    expect(res.json.detail).toContain("maxPresentationCredentials");
    expect(res.json.errors?.[0]?.pointer).toBe("/body/verifiablePresentation/verifiableCredential");
    expect(ms).toBeLessThan(1000);
    expect(p99).toBeLessThan(300);
  });

  it("refuses the XLSX zip bomb (a hidden local entry of 128 MiB) in under 2 s", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Credentials").addRow(HEADER.split(","));
    const good = entriesOf(Buffer.from(await wb.xlsx.writeBuffer()));
    const bomb = assemble([deflatedEntry("xl/worksheets/sheet9.xml", Buffer.alloc(128 * 1024 * 1024)), ...good], good);

    const { res, ms, p99 } = await underAttack(() =>
      gw.call("POST", "/v1/convert", { json: { to: "ob3", from: "xlsx", document: bomb.toString("base64") } }),
    );
    expect(res.status, res.text.slice(0, 300)).toBe(422);
    expect(res.json.detail).toMatch(/disagree|not list/);
    expect(ms).toBeLessThan(2000);
    expect(p99).toBeLessThan(300);
  });
});
