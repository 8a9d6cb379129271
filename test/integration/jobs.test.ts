import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { dbVerify } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// Bulk jobs over HTTP: submission, the local worker draining the in-process queue, progress and JSON Lines results.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let issuer: { id: string; slug: string; token: string };
let other: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  const register = async (name: string) => {
    const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: { name, country: "IE" } });
    expect(res.status).toBe(201);
    return res.json as { id: string; slug: string; token: string };
  };
  issuer = await register("University of Zed");
  other = await register("Other College");
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

const FINISHED = new Set(["completed", "completed-with-errors", "failed"]);

async function waitForJob(id: string, token: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await gw.call("GET", `/v1/jobs/${id}`, { token });
    expect(res.status, res.text).toBe(200);
    if (FINISHED.has(res.json.status)) return res.json;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${res.json.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function resultLines(id: string, token: string) {
  const res = await gw.call("GET", `/v1/jobs/${id}/results`, { token });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/jsonl");
  return res.text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

describe("bulk jobs", () => {
  it("issues a 120-row CSV: completed, 120 result lines in row order, every credential verifies", async () => {
    const submitted = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: jobCsv(120), options: { issuer: issuer.id, format: "ob3" } },
    });

    expect(submitted.status, submitted.text).toBe(202);
    const job = await waitForJob(submitted.json.id, issuer.token);
    expect(job).toMatchObject({ status: "completed", total: 120, done: 120, failed: 0, dlq: 0, issuer: issuer.slug });
    const lines = await resultLines(submitted.json.id, issuer.token);
    expect(lines).toHaveLength(120);
    expect(lines.map((l) => l.row)).toEqual(Array.from({ length: 120 }, (_, i) => i + 2));
    const didDocument = (await gw.call("GET", `/issuers/${issuer.slug}/did.json`)).json;
    const ids = new Set<string>();
    for (const line of lines) {
      const vc = line.verifiableCredential;
      ids.add(vc.id);
      const verified = await dbVerify(vc, [didDocument]);
      expect(verified.verified, `row ${line.row}: ${JSON.stringify(verified.error ?? verified).slice(0, 300)}`).toBe(
        true,
      );
    }
    expect(ids.size).toBe(120);
    expect(JSON.stringify(lines[5].verifiableCredential)).toContain("Learner5");
  }, 120_000);

  it("makes a row that cannot be read an error line with its row number", async () => {
    const submitted = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: jobCsv(60, { badEcts: [7] }), options: { issuer: issuer.slug, format: "ob3" } },
    });

    expect(submitted.status, submitted.text).toBe(202);
    const job = await waitForJob(submitted.json.id, issuer.token);
    expect(job).toMatchObject({ status: "completed-with-errors", total: 60, done: 59, failed: 1 });
    const lines = await resultLines(submitted.json.id, issuer.token);
    expect(lines).toHaveLength(60);
    expect(lines[5]).toEqual({ row: 7, error: { path: "/rows/7/ects", message: expect.stringContaining("five") } });
    expect(lines[4].verifiableCredential).toBeDefined();
  });

  it("shows a job to its issuer and the admin only; another issuer's token gets 403", async () => {
    const submitted = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: jobCsv(2), options: { issuer: issuer.id, format: "ob3" } },
    });
    expect(submitted.status, submitted.text).toBe(202);

    const foreign = await gw.call("GET", `/v1/jobs/${submitted.json.id}`, { token: other.token });
    const foreignResults = await gw.call("GET", `/v1/jobs/${submitted.json.id}/results`, { token: other.token });
    const admin = await gw.call("GET", `/v1/jobs/${submitted.json.id}`, { token: ADMIN_TOKEN });
    const anonymous = await gw.call("GET", `/v1/jobs/${submitted.json.id}`);
    const missing = await gw.call("GET", "/v1/jobs/no-such-job", { token: issuer.token });

    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("content-type")).toBe("application/problem+json");
    expect(foreignResults.status).toBe(403);
    expect(admin.status).toBe(200);
    expect(anonymous.status).toBe(401);
    expect(missing.status).toBe(404);
  });

  it("refuses a job for another issuer, an unreadable document and (for now) uploads", async () => {
    const foreign = await gw.call("POST", "/v1/jobs", {
      token: other.token,
      json: { from: "csv", document: jobCsv(2), options: { issuer: issuer.id, format: "ob3" } },
    });
    const unreadable = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: "name,colour\nx,y\n", options: { issuer: issuer.id, format: "ob3" } },
    });
    const upload = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", upload: true, options: { issuer: issuer.id, format: "ob3" } },
    });

    expect(foreign.status).toBe(403);
    expect(unreadable.status).toBe(422);
    expect(unreadable.json.errors[0].pointer).toMatch(/^\/body\/document/);
    expect(upload.status).toBe(501);
    expect(upload.json.errors[0].pointer).toBe("/body/upload");
  });

  it("pages results with limit and the next-cursor header", async () => {
    const submitted = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: jobCsv(5), options: { issuer: issuer.id, format: "ob3", proof: "vc-jwt" } },
    });
    await waitForJob(submitted.json.id, issuer.token);

    const first = await gw.call("GET", `/v1/jobs/${submitted.json.id}/results?limit=3`, { token: issuer.token });
    const cursor = first.headers.get("next-cursor");
    const second = await gw.call("GET", `/v1/jobs/${submitted.json.id}/results?limit=3&cursor=${cursor}`, {
      token: issuer.token,
    });

    expect(first.text.trim().split("\n")).toHaveLength(3);
    expect(cursor).toBe("4");
    expect(
      second.text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).row),
    ).toEqual([5, 6]);
    expect(second.headers.get("next-cursor")).toBeNull();
    expect(typeof JSON.parse(first.text.split("\n")[0] as string).verifiableCredential).toBe("string");
  });
});
