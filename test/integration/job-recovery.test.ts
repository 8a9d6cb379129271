import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jobCsv } from "../support/jobs.js";
import { type LocalProcess, startLocalProcess } from "../support/local-process.js";
import { sized } from "../support/size.js";

// The kill-the-worker test: `npm start` as a real second process, SIGKILLed in the middle of a bulk job (no chance to
// clean up: its in-process queue, the chunks being issued and any claim it holds die with it), then started again on
// the same data dir. The restarted worker recovers the job from the store and it ends with every row issued once.
const dataDir = mkdtempSync(join(tmpdir(), "gw-recovery-"));
const children: ChildProcess[] = [];
const ADMIN = "recovery-admin-token";
// The kill comes once 100 rows are done; 600 rows leave the job well short of its end at the kill (asserted below), so
// recovery still has hundreds of rows and several chunks to pick up. `npm run test:full` runs the full 1,500.
const ROWS = sized(600, 1500);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

interface Server extends LocalProcess {}

async function startServer(): Promise<Server> {
  const server = await startLocalProcess({ GATEWAY_DATA_DIR: dataDir, GATEWAY_ADMIN_TOKEN: ADMIN });
  children.push(server.child);
  return server;
}

async function call(base: string, method: string, path: string, token: string, json?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(json === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : {} };
}

/** Every result line of a job, all pages. */
async function allResults(base: string, id: string, token: string) {
  const lines: Array<{ row: number; verifiableCredential?: string; error?: unknown }> = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=1000&cursor=${cursor}` : "?limit=1000";
    const res = await fetch(`${base}/v1/jobs/${id}/results${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    for (const line of (await res.text()).split("\n")) if (line) lines.push(JSON.parse(line));
    cursor = res.headers.get("next-cursor");
  } while (cursor);
  return lines;
}

/** The payload of a compact JWS (the test issues VC-JWTs: the same job path, without RDF canonicalization's cost). */
const jwtPayload = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));

describe("a bulk job whose gateway process is killed mid-job", () => {
  it("ends after a restart with exactly one credential per row: distinct ids and status indexes, no row missing", async () => {
    // Prepare: a gateway process, an issuer and a ROWS-row job that has started but not finished.
    const first = await startServer();
    const registered = await call(first.url, "POST", "/v1/issuers", ADMIN, {
      name: "Kill Test College",
      country: "IE",
    });
    expect(registered.status, registered.text).toBe(201);
    const issuer = registered.json as { id: string; token: string };
    const submitted = await call(first.url, "POST", "/v1/jobs", issuer.token, {
      from: "csv",
      document: jobCsv(ROWS),
      options: { issuer: issuer.id, format: "ob3", proof: "vc-jwt" },
    });
    expect(submitted.status, submitted.text).toBe(202);
    const jobId = submitted.json.id as string;
    let before = { done: 0, status: "queued" };
    const deadline = Date.now() + 120_000;
    while (before.done < 100) {
      if (Date.now() > deadline) throw new Error(`the job did not start:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 25));
      before = (await call(first.url, "GET", `/v1/jobs/${jobId}`, issuer.token)).json;
    }

    // Act: kill the process without warning, then start it again on the same data dir.
    await first.kill();
    const second = await startServer();
    let after = (await call(second.url, "GET", `/v1/jobs/${jobId}`, issuer.token)).json;
    const finishBy = Date.now() + 240_000;
    while (after.status === "running" || after.status === "queued") {
      if (Date.now() > finishBy)
        throw new Error(`the job did not finish: ${JSON.stringify(after)}\n${second.output()}`);
      await new Promise((r) => setTimeout(r, 200));
      after = (await call(second.url, "GET", `/v1/jobs/${jobId}`, issuer.token)).json;
    }
    const lines = await allResults(second.url, jobId, issuer.token);

    // Assess: it was killed mid-job; now every row has exactly one issued credential.
    expect(before.status).toBe("running");
    expect(before.done).toBeGreaterThan(0);
    expect(before.done).toBeLessThan(ROWS);
    expect(second.output()).toMatch(/recovered 1 unfinished job/);
    // Recovery adds no listener per job or chunk: Node warns past ten on one emitter.
    expect(second.output()).not.toMatch(/MaxListenersExceededWarning/);
    expect(after).toMatchObject({ status: "completed", total: ROWS, done: ROWS, failed: 0, dlq: 0 });
    expect(lines.map((l) => l.row)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
    expect(lines.filter((l) => l.error !== undefined)).toEqual([]);
    const credentials = lines.map((l) => jwtPayload(l.verifiableCredential as string));
    expect(new Set(credentials.map((c) => c.jti)).size).toBe(ROWS);
    const entries = credentials.map(
      (c) => `${c.credentialStatus.statusListCredential}#${c.credentialStatus.statusListIndex}`,
    );
    expect(new Set(entries).size).toBe(ROWS);
    expect(await second.stop()).toBe(0);
  }, 420_000);
});
