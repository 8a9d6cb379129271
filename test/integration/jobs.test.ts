import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJob } from "../../functions/core/jobs/jobs.js";
import { idempotencyKeyOf, recoverOpenJobs } from "../../functions/core/jobs/worker.js";
import { jobDepsOf } from "../../functions/handlers/job-deps.js";
import type { Queue } from "../../functions/kernel/ports/index.js";
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
  issuer = await register("University of Zed");
  other = await register("Other College");
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

async function register(name: string) {
  const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: { name, country: "IE" } });
  expect(res.status).toBe(201);
  return res.json as { id: string; slug: string; token: string };
}

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

  it("shows a job to its issuer and the admin only; another issuer's token gets 403, as for an unknown id", async () => {
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
    const missingToAdmin = await gw.call("GET", "/v1/jobs/no-such-job", { token: ADMIN_TOKEN });

    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("content-type")).toBe("application/problem+json");
    expect(foreignResults.status).toBe(403);
    expect(admin.status).toBe(200);
    expect(anonymous.status).toBe(401);
    // An unknown id is answered as another issuer's is (no existence oracle); the admin is told it does not exist.
    expect(missing.status).toBe(403);
    expect(missingToAdmin.status).toBe(404);
  });

  it("refuses a job for another issuer and an unreadable document", async () => {
    const foreign = await gw.call("POST", "/v1/jobs", {
      token: other.token,
      json: { from: "csv", document: jobCsv(2), options: { issuer: issuer.id, format: "ob3" } },
    });
    const unreadable = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: "name,colour\nx,y\n", options: { issuer: issuer.id, format: "ob3" } },
    });

    expect(foreign.status).toBe(403);
    expect(unreadable.status).toBe(422);
    expect(unreadable.json.errors[0].pointer).toMatch(/^\/body\/document/);
  });

  it("refuses options.suspension that is not a boolean (400) or that no job format can take (422)", async () => {
    // Prepare
    const submit = (suspension: unknown) =>
      gw.call("POST", "/v1/jobs", {
        token: issuer.token,
        json: { from: "csv", document: jobCsv(2), options: { issuer: issuer.id, format: "ob3", suspension } },
      });

    // Act
    const notBoolean = await submit("yes");
    const ob3 = await submit(true);

    // Assess
    expect(notBoolean.status, notBoolean.text).toBe(400);
    expect(notBoolean.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(notBoolean.json.errors[0].pointer).toBe("/body/options/suspension");
    expect(ob3.status, ob3.text).toBe(422);
    expect(ob3.json.errors).toEqual([
      { pointer: "/body/options/suspension", detail: expect.stringContaining("at most one credentialStatus") },
    ]);
  });

  it("lists the caller's jobs newest first, a page at a time; the admin sees every issuer's", async () => {
    // Prepare: a fresh issuer with three jobs, and one job of another issuer.
    const lister = await register(`Listing College ${crypto.randomUUID()}`);
    const submit = async (who: { id: string; token: string }) => {
      const res = await gw.call("POST", "/v1/jobs", {
        token: who.token,
        json: { from: "csv", document: jobCsv(1), options: { issuer: who.id, format: "ob3", proof: "vc-jwt" } },
      });
      expect(res.status, res.text).toBe(202);
      await new Promise((r) => setTimeout(r, 5)); // distinct creation times
      return res.json.id as string;
    };
    const own = [await submit(lister), await submit(lister), await submit(lister)];
    const foreignJob = await submit(other);

    // Act
    const first = await gw.call("GET", "/v1/jobs?limit=2", { token: lister.token });
    const second = await gw.call("GET", `/v1/jobs?limit=2&cursor=${first.headers.get("next-cursor")}`, {
      token: lister.token,
    });
    const asAdmin = await gw.call("GET", "/v1/jobs?limit=100", { token: ADMIN_TOKEN });
    const adminFiltered = await gw.call("GET", `/v1/jobs?issuer=${encodeURIComponent(lister.id)}`, {
      token: ADMIN_TOKEN,
    });
    const foreign = await gw.call("GET", `/v1/jobs?issuer=${other.slug}`, { token: lister.token });
    const badLimit = await gw.call("GET", "/v1/jobs?limit=0", { token: lister.token });
    const badCursor = await gw.call("GET", "/v1/jobs?cursor=zzz", { token: lister.token });

    // Assess
    expect(first.status, first.text).toBe(200);
    expect(first.json.items.map((j: { id: string }) => j.id)).toEqual([own[2], own[1]]);
    expect(first.json.items[0]).toMatchObject({ issuer: lister.slug, total: 1, from: "csv", format: "ob3" });
    expect(first.json.cursor).toBe(first.headers.get("next-cursor"));
    expect(second.json.items.map((j: { id: string }) => j.id)).toEqual([own[0]]);
    expect(second.json.cursor).toBeUndefined();
    const everyone = asAdmin.json.items.map((j: { id: string }) => j.id);
    expect(everyone).toEqual(expect.arrayContaining([...own, foreignJob]));
    expect(adminFiltered.json.items.map((j: { id: string }) => j.id)).toEqual([own[2], own[1], own[0]]);
    expect(foreign.status).toBe(403);
    expect(foreign.json.errors[0].pointer).toBe("/query/issuer");
    expect(badLimit.status).toBe(400);
    expect(badLimit.json.errors[0].pointer).toBe("/query/limit");
    expect(badCursor.status).toBe(400);
    expect(badCursor.json.errors[0].pointer).toBe("/query/cursor");
  });

  it("retries a failed chunk send with backoff, and a job whose chunk cannot be queued says so", async () => {
    // Prepare: the job use case on the gateway's store, with a queue whose sends fail (twice; then always).
    let failures = 2;
    const pauses: number[] = [];
    const real = gw.deps.jobsQueue;
    const flaky: Queue = {
      send: async (body, opts) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error("queue unavailable");
        }
        return real.send(body, opts);
      },
      receive: (opts) => real.receive(opts),
      ack: (message) => real.ack(message),
    };
    const deps = {
      ...jobDepsOf({ ...gw.deps, jobsQueue: flaky }),
      chunkRows: 2,
      sleep: async (ms: number) => {
        pauses.push(ms);
      },
    };
    const principal = { role: "issuer" as const, issuerId: issuer.slug };
    const input = { from: "csv" as const, document: jobCsv(3), options: { issuer: issuer.id, format: "ob3" as const } };

    // Act
    const recovered = await createJob(deps, principal, input);
    const recoveredJob = await waitForJob(recovered.id, issuer.token);
    failures = Number.POSITIVE_INFINITY;
    const stuck = await createJob(deps, principal, input);
    const stuckView = (await gw.call("GET", `/v1/jobs/${stuck.id}`, { token: issuer.token })).json;
    const open = await gw.deps.jobs.listOpenJobs({ limit: 100 });

    // Assess: two failures were retried after 100 and 200 ms; the second job gave up after five attempts.
    expect(recoveredJob).toMatchObject({ status: "completed", done: 3 });
    expect(pauses.slice(0, 2)).toEqual([100, 200]);
    expect(pauses.slice(2)).toEqual([100, 200, 400, 800]);
    expect(stuckView).toMatchObject({ status: "failed", error: expect.stringContaining("could not be queued") });
    expect(stuckView.error).toContain("queue unavailable");
    expect(open.items.map((j) => j.id)).not.toContain(stuck.id);
  });

  it("recovers an open job whose queue was lost: frees a dead attempt's claim and queues the uncounted chunks", async () => {
    // Prepare: a job whose chunk messages are lost (as the in-process queue is when its process is killed), and the
    // Idempotency-Key of its first row claimed by an attempt that died (a second ago, before "this start").
    const lost: Queue = { send: async () => ({ id: "lost" }), receive: async () => [], ack: async () => undefined };
    const principal = { role: "issuer" as const, issuerId: issuer.slug };
    const { id } = await createJob({ ...jobDepsOf({ ...gw.deps, jobsQueue: lost }), chunkRows: 2 }, principal, {
      from: "csv",
      document: jobCsv(5),
      options: { issuer: issuer.id, format: "ob3", proof: "vc-jwt" },
    });
    const deadAt = new Date(Date.now() - 1000);
    await gw.deps.store.claimIdempotency(
      {
        issuerSlug: issuer.slug,
        key: idempotencyKeyOf(id, 2),
        requestHash: "a-request-of-the-dead-attempt",
        createdAt: deadAt.toISOString(),
        expiresAt: new Date(deadAt.getTime() + 120_000).toISOString(),
      },
      deadAt,
    );

    // Act
    const recovery = await recoverOpenJobs(jobDepsOf(gw.deps), new Date());
    const job = await waitForJob(id, issuer.token);

    // Assess: the claim was freed (else row 2 would stay blocked for the claim's lease) and every row was issued.
    expect(recovery.jobs).toBeGreaterThanOrEqual(1);
    expect(recovery.released).toBe(1);
    expect(job).toMatchObject({ status: "completed", total: 5, done: 5, failed: 0 });
    expect((await resultLines(id, issuer.token)).map((l) => l.row)).toEqual([2, 3, 4, 5, 6]);
    expect((await gw.deps.jobs.listOpenJobs({ limit: 100 })).items.map((j) => j.id)).not.toContain(id);
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
