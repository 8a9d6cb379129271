import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJob } from "../../functions/core/jobs/jobs.js";
import { processJobMessage } from "../../functions/core/jobs/worker.js";
import { jobDepsOf } from "../../functions/handlers/job-deps.js";
import type { Queue } from "../../functions/kernel/ports/index.js";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// Bulk jobs whose input is too large for a request body: a pre-signed upload URL, the PUT (taken by the local gateway
// as S3 takes it on AWS), the start route, and a worker reading the uploaded file as a stream.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let issuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  // The default test body limit (64 KiB) is far below the uploaded files.
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  issuer = await registerIssuer(gw, { name: "Upload University", country: "IE" });
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

async function waitForJob(id: string, until: (status: string) => boolean) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await gw.call("GET", `/v1/jobs/${id}`, { token: issuer.token });
    expect(res.status, res.text).toBe(200);
    if (until(res.json.status)) return res.json;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${res.json.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const finished = (status: string) => !["awaiting-upload", "reading", "queued", "running"].includes(status);

async function uploadJob(options: Record<string, unknown> = {}) {
  const res = await gw.call("POST", "/v1/jobs", {
    token: issuer.token,
    json: { from: "csv", upload: true, options: { issuer: issuer.id, format: "ob3", proof: "vc-jwt", ...options } },
  });
  expect(res.status, res.text).toBe(202);
  return res.json as { id: string; upload: { url: string; method: string; headers: Record<string, string> } };
}

describe("bulk jobs with an uploaded input", () => {
  it("issues a CSV larger than the body limit: upload URL, PUT, start, every row issued, upload deleted", async () => {
    // Prepare: a CSV too large to send inline.
    const csv = jobCsv(400);
    const inline = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: csv, options: { issuer: issuer.id, format: "ob3" } },
    });
    expect(inline.status).toBe(413);

    // Act
    const created = await uploadJob();
    const waiting = await gw.call("GET", `/v1/jobs/${created.id}`, { token: issuer.token });
    const tooEarly = await gw.call("POST", `/v1/jobs/${created.id}/start`, { token: issuer.token });
    const put = await fetch(created.upload.url, {
      method: created.upload.method,
      headers: created.upload.headers,
      body: csv,
    });
    const started = await gw.call("POST", `/v1/jobs/${created.id}/start`, { token: issuer.token });
    const again = await gw.call("POST", `/v1/jobs/${created.id}/start`, { token: issuer.token });
    const job = await waitForJob(created.id, finished);
    const results = await gw.call("GET", `/v1/jobs/${created.id}/results?limit=1000`, { token: issuer.token });

    // Assess
    expect(created.upload).toMatchObject({ method: "PUT", headers: { "content-type": "application/octet-stream" } });
    expect(created.upload.url.startsWith(`${gw.url}/uploads/jobs/${created.id}/input?`)).toBe(true);
    expect(waiting.json).toMatchObject({ status: "awaiting-upload", total: 0 });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.json.errors[0].pointer).toBe("/path/id");
    expect(put.status).toBe(200);
    expect(started.status, started.text).toBe(202);
    expect(again.status).toBe(409);
    expect(job).toMatchObject({ status: "completed", total: 400, done: 400, failed: 0 });
    const lines = results.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.row)).toEqual(Array.from({ length: 400 }, (_, i) => i + 2));
    expect(new Set(lines.map((l) => l.verifiableCredential)).size).toBe(400);
    expect(await gw.deps.uploads?.stat(`jobs/${created.id}/input`)).toBeUndefined();
  }, 180_000);

  it("fails a job whose upload cannot be read, saying why", async () => {
    // Prepare
    const created = await uploadJob();
    await fetch(created.upload.url, {
      method: "PUT",
      headers: created.upload.headers,
      body: "name,colour\nx,y\n",
    });

    // Act
    const started = await gw.call("POST", `/v1/jobs/${created.id}/start`, { token: issuer.token });
    const job = await waitForJob(created.id, finished);

    // Assess
    expect(started.status).toBe(202);
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/CSV cannot be read/);
  });

  it("fails a started job whose upload is gone before a worker reads it, and deletes nothing else", async () => {
    // Prepare: a started job whose read message is held back (a queue that keeps it), and its upload deleted.
    const created = await uploadJob();
    await fetch(created.upload.url, { method: "PUT", headers: created.upload.headers, body: jobCsv(2) });
    const held: unknown[] = [];
    const holding: Queue = {
      send: async (body) => {
        held.push(body);
        return { id: "held" };
      },
      receive: async () => [],
      ack: async () => undefined,
    };
    const deps = jobDepsOf({ ...gw.deps, jobsQueue: holding });
    await startJob(deps, { role: "issuer", issuerId: issuer.slug }, created.id);
    await gw.deps.uploads?.delete(`jobs/${created.id}/input`);

    // Act
    const outcome = await processJobMessage(deps, { id: "m", receipt: "r", receiveCount: 1, body: held[0] });
    const job = (await gw.call("GET", `/v1/jobs/${created.id}`, { token: issuer.token })).json;

    // Assess
    expect(held).toEqual([{ type: "job-read", jobId: created.id }]);
    expect(outcome).toBe("dead");
    expect(job).toMatchObject({ status: "failed", error: "the uploaded input is gone" });
  });

  it("refuses a document and an upload together, another issuer's start, and a tampered upload URL", async () => {
    // Prepare
    const other = await registerIssuer(gw, { name: "Other Upload College", country: "IE" });
    const created = await uploadJob();

    // Act
    const both = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", upload: true, document: "a", options: { issuer: issuer.id, format: "ob3" } },
    });
    const foreign = await gw.call("POST", `/v1/jobs/${created.id}/start`, { token: other.token });
    const tampered = await fetch(created.upload.url.replace(/signature=[^&]+/, "signature=AAAA"), {
      method: "PUT",
      headers: created.upload.headers,
      body: "x",
    });
    const admin = await gw.call("POST", `/v1/jobs/${created.id}/start`, { token: ADMIN_TOKEN });

    // Assess
    expect(both.status).toBe(400);
    expect(both.json.errors[0].pointer).toBe("/body/upload");
    expect(foreign.status).toBe(403);
    expect(tampered.status).toBe(403);
    expect(admin.status).toBe(409);
  });
});
