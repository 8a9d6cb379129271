import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// A job document sent in the request is read and written while the request waits (25,000 rows took over 30 s and
// ended in a 500): over GATEWAY_MAX_INLINE_JOB_ROWS it is a 413 naming the limit and the upload route, no job is made,
// and the same rows uploaded are issued by the worker.
const LIMIT = 40;
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let issuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_INLINE_JOB_ROWS: String(LIMIT), GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) },
  });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  issuer = await registerIssuer(gw, { name: "Inline University", country: "IE" });
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

const inline = (rows: number) =>
  gw.call("POST", "/v1/jobs", {
    token: issuer.token,
    json: { from: "csv", document: jobCsv(rows), options: { issuer: issuer.id, format: "ob3", proof: "vc-jwt" } },
  });

const jobsOfIssuer = async () => ((await gw.call("GET", "/v1/jobs", { token: issuer.token })).json?.items ?? []).length;

describe("job documents sent in the request", () => {
  it("takes as many records as the limit", async () => {
    const res = await inline(LIMIT);
    expect(res.status, res.text.slice(0, 300)).toBe(202);
  });

  it("refuses one more with 413 naming maxInlineJobRows and /body/document, and makes no job", async () => {
    const before = await jobsOfIssuer();
    expect(before).toBeGreaterThan(0);
    const res = await inline(LIMIT + 1);
    expect(res.status, res.text.slice(0, 300)).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.code).toBe("work-budget-exceeded");
    expect(res.json.detail).toContain("maxInlineJobRows");
    expect(res.json.detail).toContain("upload: true");
    expect(res.json.errors[0].pointer).toBe("/body/document");
    expect(await jobsOfIssuer()).toBe(before);
  });

  it("issues the same rows uploaded: the limit binds the request, not the job", async () => {
    const created = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", upload: true, options: { issuer: issuer.id, format: "ob3", proof: "vc-jwt" } },
    });
    expect(created.status, created.text).toBe(202);
    const { id, upload } = created.json as {
      id: string;
      upload: { url: string; method: string; headers: Record<string, string> };
    };
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: jobCsv(LIMIT + 1) });
    expect(put.status).toBeLessThan(300);
    expect((await gw.call("POST", `/v1/jobs/${id}/start`, { token: issuer.token })).status).toBe(202);
    const deadline = Date.now() + 120_000;
    let job: { status: string; done?: number; failed?: number; total?: number } = { status: "queued" };
    while (["awaiting-upload", "reading", "queued", "running"].includes(job.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await gw.call("GET", `/v1/jobs/${id}`, { token: issuer.token })).json;
    }
    expect(job, JSON.stringify(job)).toMatchObject({ total: LIMIT + 1, failed: 0 });
  });
});
