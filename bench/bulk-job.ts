/**
 * One bulk job end to end in local mode, run by `bench/run.ts` in a child process so that its peak RSS (VmHWM) is the
 * job's alone: dynalite on disk, the real HTTP front and handlers, the in-process jobs queue drained by the local
 * worker, issuance as ES256 VC-JWT with the file key store. Prints one JSON line: rows, wall time, peak RSS.
 *
 * Usage: `tsx bench/bulk-job.ts ROWS`. With `BENCH_DYNALITE=process` dynalite runs in a child process instead of in
 * this one (what the figures say about giving the emulator the second core; `npm start` runs it in-process).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_WORK_BUDGET } from "../functions/kernel/work-budget.js";
import { startLocalWorker } from "../functions/local/worker.js";
import { startDynalite } from "../test/support/dynalite.js";
import { registerIssuer, startTestGateway } from "../test/support/gateway.js";
import { jobCsv } from "../test/support/jobs.js";

/** The result line the parent reads. */
export interface BulkJobFigures {
  rows: number;
  status: string;
  done: number;
  failed: number;
  /** Submission (POST /v1/jobs, which reads and stores the CSV) to the job's completion. */
  wallMs: number;
  /** Of the whole wall time, how long the POST took (reading, chunking, queueing). */
  submitMs: number;
  /** VmHWM of this process: the peak resident set, in MiB. */
  peakRssMiB: number;
  /**
   * Heap still in use after a full GC at the end (when run with `--expose-gc`): what the job retained, as against a
   * peak RSS that also counts garbage V8 had not collected yet.
   */
  retainedHeapMiB?: number;
  /** Where dynalite ran. */
  dynalite: "in-process" | "child process";
  /** How the input was given: in the request, or uploaded and read by the worker (`BENCH_BULK_UPLOAD=1`). */
  input?: "request" | "upload";
  inputMiB: number;
}

const FINISHED = new Set(["completed", "completed-with-errors", "failed"]);
/**
 * Uploaded when asked (`BENCH_BULK_UPLOAD=1`) or when the rows exceed what a request may carry inline (the work
 * budget's `maxInlineJobRows`): the gateway refuses those in the request, as a deployed one does.
 */
const UPLOAD =
  process.env.BENCH_BULK_UPLOAD === "1" || Number(process.argv[2] ?? 1000) > DEFAULT_WORK_BUDGET.maxInlineJobRows;

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

/** Creates an upload job, PUTs the CSV to its pre-signed URL and starts it; answers the start's response. */
async function uploaded(gw: Gateway, token: string, csv: string, options: Record<string, unknown>) {
  const created = await gw.call("POST", "/v1/jobs", { token, json: { from: "csv", upload: true, options } });
  if (created.status !== 202) throw new Error(`upload job failed (${created.status}): ${created.text}`);
  const { id, upload } = created.json as {
    id: string;
    upload: { url: string; method: string; headers: Record<string, string> };
  };
  const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: csv });
  if (!put.ok) throw new Error(`upload PUT failed (${put.status}): ${await put.text()}`);
  const started = await gw.call("POST", `/v1/jobs/${id}/start`, { token });
  return { ...started, json: { ...started.json, id } };
}

/** dynalite on disk in a child process; resolves once it listens. Its RSS is not counted in this process's peak. */
async function dynaliteProcess(path: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const code = `const d = require("dynalite")({ path: ${JSON.stringify(path)}, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
d.listen(0, "127.0.0.1", () => console.log(d.address().port));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (data: Buffer) => resolve(data.toString().trim()));
    child.once("exit", (status) => reject(new Error(`dynalite exited ${status}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill();
    },
  };
}

/** The heap in use after a full collection, when the process was started with `--expose-gc`. */
function retainedHeap(): { retainedHeapMiB?: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return {};
  gc();
  return { retainedHeapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
}

/** Peak resident set size of this process from /proc (Linux); falls back to the sampled maximum elsewhere. */
function peakRssMiB(sampled: number): number {
  try {
    const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (line?.[1]) return Number(line[1]) / 1024;
  } catch {
    // not Linux: the sampled figure stands
  }
  return sampled / 2 ** 20;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1000);
  if (!Number.isInteger(rows) || rows < 1) throw new Error("usage: bulk-job.ts ROWS");
  let sampled = 0;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 100);
  const dataDir = mkdtempSync(join(tmpdir(), "bench-dynalite-"));
  const db =
    process.env.BENCH_DYNALITE === "process" ? await dynaliteProcess(dataDir) : await startDynalite({ path: dataDir });
  const csv = jobCsv(rows, { batch: "bench" });
  const gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(csv.length * 2 + 1024 * 1024),
      // Rows per chunk (the chunk is the unit of work); the gateway's default when unset.
      ...(process.env.GATEWAY_JOB_CHUNK_ROWS ? { GATEWAY_JOB_CHUNK_ROWS: process.env.GATEWAY_JOB_CHUNK_ROWS } : {}),
    },
  });
  const worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  try {
    const issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
    const t0 = performance.now();
    const options = { issuer: issuer.id, format: "ob3", proof: "vc-jwt" };
    // BENCH_BULK_UPLOAD=1: the input is uploaded (what an input over the body limit takes: pre-signed PUT, start) and
    // read by the worker, which queues each chunk as it is stored, so issuance overlaps the reading.
    const submitted = UPLOAD
      ? await uploaded(gw, issuer.token, csv, options)
      : await gw.call("POST", "/v1/jobs", { token: issuer.token, json: { from: "csv", document: csv, options } });
    const submitMs = performance.now() - t0;
    if (submitted.status !== 202) throw new Error(`job submission failed (${submitted.status}): ${submitted.text}`);
    for (;;) {
      const res = await gw.call("GET", `/v1/jobs/${submitted.json.id}`, { token: issuer.token });
      if (res.status !== 200) throw new Error(`job status failed (${res.status}): ${res.text}`);
      if (FINISHED.has(res.json.status)) {
        const figures: BulkJobFigures = {
          rows,
          status: res.json.status,
          done: res.json.done,
          failed: res.json.failed,
          wallMs: performance.now() - t0,
          submitMs,
          peakRssMiB: peakRssMiB(sampled),
          ...retainedHeap(),
          dynalite: process.env.BENCH_DYNALITE === "process" ? "child process" : "in-process",
          input: UPLOAD ? "upload" : "request",
          inputMiB: csv.length / 2 ** 20,
        };
        console.log(JSON.stringify(figures));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    clearInterval(sampler);
    await worker.stop();
    await gw.close();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
