import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { EXIT, runCli } from "../../scripts/gateway-cli.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// The CLI against a test gateway with the local worker: submit, progress, results file, status, errors.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let issuer: { id: string; slug: string; token: string };
let dir: string;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) } });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: { name: "Uni Zed", country: "IE" } });
  issuer = res.json;
  dir = mkdtempSync(join(tmpdir(), "gateway-cli-"));
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env: {}, sleep: () => delay(20) },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("cli jobs submit", () => {
  it("submits a CSV, prints progress until the job ends, and writes the results next to the file", async () => {
    const file = join(dir, "cohort.csv");
    writeFileSync(file, jobCsv(30, { badEcts: [4] }));
    const c = capture();

    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", issuer.token, "--issuer", issuer.id, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
        "--interval",
        "20",
      ]),
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.jobErrors);
    expect(c.out()).toMatch(/^\d+\/30 rows, \d+ failed, [\d.]+\/s \[(queued|running|completed-with-errors)\]$/m);
    expect(c.out()).toMatch(
      /completed-with-errors: 29 issued, 1 failed of 30 .* 30 results in .*cohort\.csv\.results\.jsonl/,
    );
    const lines = readFileSync(`${file}.results.jsonl`, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(30);
    expect(lines[2]).toMatchObject({ row: 4, error: { path: "/rows/4/ects" } });
    expect(lines[0].verifiableCredential.proof.cryptosuite).toBe("eddsa-rdfc-2022");
    const id = /job (\S+) submitted/.exec(c.err())?.[1];

    const s = capture();
    const statusCode = await runCli(["jobs", "status", id ?? "", "--url", gw.url, "--token", issuer.token], s.io);
    expect(statusCode).toBe(EXIT.ok);
    expect(JSON.parse(s.out())).toMatchObject({ id, status: "completed-with-errors", total: 30, done: 29, failed: 1 });
  });

  it("exits 0 for a job without errors", async () => {
    const file = join(dir, "clean.csv");
    writeFileSync(file, jobCsv(3));
    const c = capture();

    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", issuer.token, "--issuer", issuer.slug, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
        "--out",
        join(dir, "out.jsonl"),
      ]),
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.ok);
    expect(readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
  });

  it("sends a file over the body limit through a pre-signed upload, then starts the job", async () => {
    // Prepare: a file whose request would exceed a 2,000-byte body limit.
    const file = join(dir, "large.csv");
    writeFileSync(file, jobCsv(20));
    const c = capture();

    // Act
    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", issuer.token, "--issuer", issuer.id, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
        "--proof",
        "vc-jwt",
        "--max-body",
        "2000",
        "--interval",
        "20",
      ]),
      c.io,
    );

    // Assess
    expect(code, c.err()).toBe(EXIT.ok);
    expect(c.err()).toMatch(/job \S+ created; uploading \d+ bytes/);
    expect(c.out()).toMatch(/completed: 20 issued, 0 failed of 20/);
    expect(readFileSync(`${file}.results.jsonl`, "utf8").trim().split("\n")).toHaveLength(20);
  });

  it("prints the gateway's problem detail and exits 3 when the request is refused", async () => {
    const file = join(dir, "refused.csv");
    writeFileSync(file, jobCsv(1));
    const c = capture();

    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", "gw1.nope.nope", "--issuer", issuer.id, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
      ]),
      c.io,
    );
    const unknown = capture();
    const statusCode = await runCli(
      ["jobs", "status", "no-such-job", "--url", gw.url, "--token", issuer.token],
      unknown.io,
    );

    expect(code).toBe(EXIT.request);
    expect(c.err()).toContain("POST /v1/jobs failed: 401 the bearer token is not valid");
    expect(statusCode).toBe(EXIT.request);
    expect(unknown.err()).toContain("403");
  });

  it("exits 2 with the usage for bad command lines and missing files", async () => {
    const cases = [
      ["jobs", "submit", "--from", "csv", join(dir, "missing.csv"), "--issuer", "x", "--format", "ob3"],
      ["jobs", "submit", "--from", "csv"],
      ["jobs", "frobnicate"],
      ["jobs", "status", "--bogus"],
    ];
    for (const argv of cases) {
      const c = capture();
      expect(await runCli(argv, c.io), argv.join(" ")).toBe(EXIT.usage);
      expect(c.err()).toMatch(/^error: /);
    }
  });

  it("says when the gateway cannot be reached", async () => {
    const c = capture();

    const code = await runCli(["jobs", "status", "x", "--url", "http://127.0.0.1:9", "--token", "t"], c.io);

    expect(code).toBe(EXIT.request);
    expect(c.err()).toContain("cannot reach the gateway at http://127.0.0.1:9");
  });
});
