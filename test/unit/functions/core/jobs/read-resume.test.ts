/**
 * Bulk-job follow-ups (issue 8): the reading of an uploaded input that pauses before the worker's time runs out and
 * resumes where it left off, per-row progress of chunks in flight, and `options.suspension` in jobs. Real use cases
 * over the real DynamoDB adapters (embedded dynalite), the local upload store, the in-process queue on a fake clock,
 * and a job store / signer that can be made to "crash" at a chosen call.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoCredentialStore } from "../../../../../functions/adapters/aws/dynamo-store.js";
import { DynamoJobStore } from "../../../../../functions/adapters/aws/job-store.js";
import { DynamoStatusListStore } from "../../../../../functions/adapters/aws/status-store.js";
import { ensureTable } from "../../../../../functions/adapters/aws/table.js";
import { FileKeyStore } from "../../../../../functions/adapters/local/file-keys.js";
import { FileUploadStore } from "../../../../../functions/adapters/local/file-uploads.js";
import { MemoryQueue } from "../../../../../functions/adapters/local/memory-queue.js";
import { readConfig } from "../../../../../functions/config.js";
import { registerIssuer } from "../../../../../functions/core/issuers/registration.js";
import { createJob, startJob } from "../../../../../functions/core/jobs/jobs.js";
import { jobStatus, jobView } from "../../../../../functions/core/jobs/view.js";
import {
  type ChunkOutcome,
  processJobMessage,
  recoverOpenJobs,
  type WorkerDeps,
} from "../../../../../functions/core/jobs/worker.js";
import type { Principal } from "../../../../../functions/core/tokens/auth.js";
import type { JobGatewayDeps } from "../../../../../functions/handlers/job-deps.js";
import { createWorkerHandler } from "../../../../../functions/handlers/jobs-worker.js";
import { GatewayError } from "../../../../../functions/kernel/errors.js";
import type {
  Clock,
  CredentialStore,
  IssuerRecord,
  JobStore,
  QueueMessage,
  Signer,
} from "../../../../../functions/kernel/ports/index.js";
import { randomIds } from "../../../../../functions/kernel/system.js";
import { type RunningDynalite, startDynalite } from "../../../../support/dynalite.js";
import { jobCsv } from "../../../../support/jobs.js";
import { emulatorClientConfig } from "../../../../support/moto.js";

const PUBLIC_URL = "https://gateway.example";
const LIMITS = { maxBodyBytes: 5_000_000, maxJsonDepth: 64, maxJsonKeys: 100_000 };

let dynalite: RunningDynalite;
let client: DynamoDBDocumentClient;
let dir: string;
let keys: FileKeyStore;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = DynamoDBDocumentClient.from(new DynamoDBClient(emulatorClientConfig(dynalite.endpoint)));
  dir = mkdtempSync(join(tmpdir(), "job-read-resume-"));
  keys = new FileKeyStore({ dir: join(dir, "keys") });
});

afterAll(async () => {
  client?.destroy();
  await dynalite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A clock the test moves. */
function fakeClock(start = Date.parse("2025-03-01T10:00:00Z")): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

/** The object with some methods replaced; the others still run on it (adapters keep private fields). */
function wrap<T extends object>(real: T, overrides: Partial<T>): T {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

interface World {
  deps: WorkerDeps & { chunkRows: number; uploads: FileUploadStore };
  queue: MemoryQueue;
  clock: ReturnType<typeof fakeClock>;
  issuer: IssuerRecord;
  principal: Principal;
  uploadDir: string;
  tableName: string;
  /** Credential ids recorded by the issuance store, in order (a duplicate issuance would show twice). */
  issued: string[];
  /** Calls of the job store's methods that the test watches, by name. */
  calls: { recordReadProgress: number; setChunkProgress: number };
  /** Faults to inject: these throw on the calls for which they return true. */
  faults: { recordReadProgress: (n: number) => boolean; sign: (n: number) => boolean };
  /** Milliseconds the clock moves at each signature (a row takes time). */
  msPerSignature: number;
}

async function world(chunkRows: number): Promise<World> {
  const tableName = `resume-${crypto.randomUUID()}`;
  await ensureTable(client, tableName);
  const clock = fakeClock();
  const queue = new MemoryQueue({ clock, visibilitySeconds: 30 });
  const issued: string[] = [];
  const calls = { recordReadProgress: 0, setChunkProgress: 0 };
  const faults = { recordReadProgress: (_n: number) => false, sign: (_n: number) => false };
  const realStore = new DynamoCredentialStore({ client, tableName });
  const store: CredentialStore = wrap<CredentialStore>(realStore, {
    putIssuance: async (record: Parameters<CredentialStore["putIssuance"]>[0]) => {
      await realStore.putIssuance(record);
      issued.push(record.credentialId);
    },
    // The chunk path (issue 11) writes a chunk's issuance records in batches.
    putIssuances: async (records: Parameters<CredentialStore["putIssuances"]>[0]) => {
      await realStore.putIssuances(records);
      issued.push(...records.map((r) => r.credentialId));
    },
  });
  const w = { msPerSignature: 0 } as World;
  let signatures = 0;
  const signer: Signer = {
    sign: async (keyRef, alg, data) => {
      signatures += 1;
      if (faults.sign(signatures)) throw new Error("simulated crash in the signer");
      clock.advance(w.msPerSignature);
      return keys.sign(keyRef, alg, data);
    },
  };
  const realJobs = new DynamoJobStore({ client, tableName });
  const jobs: JobStore = wrap<JobStore>(realJobs, {
    recordReadProgress: async (...args: Parameters<JobStore["recordReadProgress"]>) => {
      calls.recordReadProgress += 1;
      if (faults.recordReadProgress(calls.recordReadProgress)) {
        throw new Error("simulated crash after a chunk was written, before its progress was recorded");
      }
      return realJobs.recordReadProgress(...args);
    },
    setChunkProgress: async (...args: Parameters<JobStore["setChunkProgress"]>) => {
      calls.setChunkProgress += 1;
      return realJobs.setChunkProgress(...args);
    },
  });
  const uploadDir = join(dir, tableName);
  const uploads = new FileUploadStore({ dir: uploadDir, publicUrl: PUBLIC_URL, maxBytes: 50_000_000 });
  const { issuer } = await registerIssuer(
    { store: realStore, keys, clock, ids: randomIds, publicUrl: PUBLIC_URL },
    { name: "University of Zed", country: "IE", keyTypes: ["Ed25519"] },
  );
  return Object.assign(w, {
    deps: {
      store,
      signer,
      clock,
      ids: randomIds,
      publicUrl: PUBLIC_URL,
      limits: LIMITS,
      jobs,
      queue,
      chunkRows,
      uploads,
    },
    queue,
    clock,
    issuer,
    principal: { role: "issuer", issuerId: issuer.slug } as Principal,
    uploadDir,
    tableName,
    issued,
    calls,
    faults,
  });
}

/** An upload job whose CSV of `rows` rows is uploaded (as the PUT leaves it) and started: a `job-read` is queued. */
async function uploadedJob(w: World, rows: number): Promise<string> {
  const { id } = await createJob(w.deps, w.principal, {
    from: "csv",
    upload: true,
    options: { issuer: w.issuer.slug, format: "ob3" },
  });
  const file = join(w.uploadDir, "jobs", id, "input");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, jobCsv(rows));
  await startJob(w.deps, w.principal, id);
  return id;
}

/** Invocation budgets: the time left drops below the reserve after `chunksPerInvocation` chunks of a reading. */
function chunkBudget(chunksPerInvocation: number): () => number {
  let checks = 0;
  return () => (++checks >= chunksPerInvocation ? 0 : 60_000);
}

/**
 * Drains the queue as SQS and the worker would: each visible message processed once (a new time budget per
 * invocation), acknowledged unless it threw; a thrown message comes back after the visibility timeout.
 */
async function drain(w: World, chunksPerInvocation: number): Promise<{ outcomes: ChunkOutcome[]; thrown: string[] }> {
  const outcomes: ChunkOutcome[] = [];
  // What each failed invocation threw: the test prints it when it expects none.
  const thrown: string[] = [];
  for (let round = 0; round < 10_000; round++) {
    const [message] = await w.queue.receive();
    if (!message) {
      w.clock.advance(31_000);
      const [late] = await w.queue.receive();
      if (!late) break;
      await run(late);
      continue;
    }
    await run(message);
  }
  return { outcomes, thrown };

  async function run(message: QueueMessage): Promise<void> {
    try {
      const options = { timeLeftMs: chunkBudget(chunksPerInvocation), readReserveMs: 1000 };
      outcomes.push(await processJobMessage(w.deps, message, options));
      await w.queue.ack(message);
    } catch (error) {
      thrown.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }
}

/**
 * Gives the rows of a stored chunk ids of their own, as an input that names its credentials would: such rows are
 * issued one by one (each with its Idempotency-Key), not by the chunk path that issues derived-id rows together.
 */
async function withOwnIds(w: World, jobId: string, index: number): Promise<void> {
  const chunk = await w.deps.jobs.getChunk(jobId, index);
  if (!chunk) throw new Error(`no chunk ${index}`);
  for (const row of chunk.rows)
    row.credential.id = `urn:uuid:00000000-0000-4000-8000-${String(row.row).padStart(12, "0")}`;
  await w.deps.jobs.putChunk(chunk);
}

async function allResults(w: World, jobId: string) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await w.deps.jobs.listResults(jobId, { limit: 1000, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}

const rowsFrom2 = (n: number) => Array.from({ length: n }, (_, i) => i + 2);

describe("resumable reading of an uploaded input", () => {
  it("reads a 2,000-row upload in several short invocations and ends with exactly 2,000 results, none twice", {
    timeout: 600_000,
  }, async () => {
    // Prepare: 40 chunks of 50 rows; each invocation may read 5 chunks before its time runs short (the last one's
    // pause, asked for at the input's end, has nothing left to pause).
    const w = await world(50);
    const id = await uploadedJob(w, 2000);

    // Act
    const { outcomes, thrown } = await drain(w, 5);

    // Assess
    expect(thrown).toEqual([]);
    expect(outcomes.filter((o) => o === "continued")).toHaveLength(7);
    const job = await w.deps.jobs.getJob(id);
    if (!job) throw new Error("job gone");
    expect(job).toMatchObject({ total: 2000, chunks: 40, done: 2000, failed: 0, dlq: 0 });
    expect(job.readProgress).toEqual({ rows: 2000, chunks: 40, failed: 0 });
    expect(job.finishedChunks).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(jobStatus(job)).toBe("completed");
    const results = await allResults(w, id);
    expect(results.map((r) => r.row)).toEqual(rowsFrom2(2000));
    expect(results.every((r) => "verifiableCredential" in r)).toBe(true);
    const ids = results.map((r) => ("verifiableCredential" in r ? (r.verifiableCredential as { id: string }).id : ""));
    expect(new Set(ids).size).toBe(2000);
    expect(w.issued).toHaveLength(2000);
    expect(new Set(w.issued).size).toBe(2000);
    expect(await w.deps.uploads.stat(`jobs/${id}/input`)).toBeUndefined();
    expect((await w.deps.jobs.listOpenJobs()).items.map((j) => j.id)).not.toContain(id);
  });

  it("fails a job whose upload was replaced after its start by one above the upload limit, reading none of it", async () => {
    // Prepare: a 10-row upload passes the start's size check; the URL is still valid and a 2,000-row file is PUT
    // over it before a worker reads it (S3 takes any size on a pre-signed PUT).
    const w = await world(50);
    const small = jobCsv(10);
    w.deps.maxUploadBytes = Buffer.byteLength(small) + 100;
    const id = await uploadedJob(w, 10);
    writeFileSync(join(w.uploadDir, "jobs", id, "input"), jobCsv(2000));

    // Act
    const { outcomes, thrown } = await drain(w, 1000);

    // Assess
    expect(thrown).toEqual([]);
    expect(outcomes).toEqual(["dead"]);
    const job = await w.deps.jobs.getJob(id);
    if (!job) throw new Error("job gone");
    expect(jobStatus(job)).toBe("failed");
    expect(job.error).toMatch(new RegExp(`at most ${w.deps.maxUploadBytes} bytes`));
    expect(job.chunks).toBe(0);
    expect(await allResults(w, id)).toEqual([]);
    expect(w.issued).toHaveLength(0);
    expect(await w.deps.uploads.stat(`jobs/${id}/input`)).toBeUndefined();
  });

  it("fails the job, not ends it early, when the upload limit is reached after rows were read", async () => {
    // Prepare: the replacing file passes the limit only after its first 64 KiB (header and many rows) were read
    const w = await world(50);
    w.deps.maxUploadBytes = 100_000;
    const id = await uploadedJob(w, 10);
    const large = jobCsv(3000);
    expect(Buffer.byteLength(large)).toBeGreaterThan(200_000);
    writeFileSync(join(w.uploadDir, "jobs", id, "input"), large);

    // Act
    await drain(w, 1000);

    // Assess
    const job = await w.deps.jobs.getJob(id);
    if (!job) throw new Error("job gone");
    expect(jobStatus(job)).toBe("failed");
    expect(job.error).toMatch(/at most 100000 bytes/);
    expect(await w.deps.uploads.stat(`jobs/${id}/input`)).toBeUndefined();
  });

  it("after a crash between writing a chunk and recording it, the retry writes it again: nothing lost or doubled", async () => {
    // Prepare: 6 chunks of 50 rows; the third progress record "crashes" after chunk 2 was written and queued.
    const w = await world(50);
    const id = await uploadedJob(w, 300);
    w.faults.recordReadProgress = (n) => n === 3;

    // Act
    const { thrown } = await drain(w, 1000);

    // Assess: the reading was retried once, chunk 2 was queued twice and counted once.
    expect(thrown).toHaveLength(1);
    expect(w.calls.recordReadProgress).toBe(7);
    const job = await w.deps.jobs.getJob(id);
    expect(job).toMatchObject({ total: 300, chunks: 6, done: 300, failed: 0, finishedChunks: [0, 1, 2, 3, 4, 5] });
    const results = await allResults(w, id);
    expect(results.map((r) => r.row)).toEqual(rowsFrom2(300));
    expect(w.issued).toHaveLength(300);
    expect(new Set(w.issued).size).toBe(300);
  });

  it("keeps unreadable rows' results and count exact across pauses", async () => {
    // Prepare: rows 30 and 160 unreadable, one chunk per invocation.
    const w = await world(50);
    const { id } = await createJob(w.deps, w.principal, {
      from: "csv",
      upload: true,
      options: { issuer: w.issuer.slug, format: "ob3" },
    });
    const file = join(w.uploadDir, "jobs", id, "input");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, jobCsv(200, { badEcts: [30, 160] }));
    await startJob(w.deps, w.principal, id);

    // Act
    const { outcomes } = await drain(w, 1);

    // Assess
    expect(outcomes.filter((o) => o === "continued").length).toBeGreaterThanOrEqual(3);
    const job = await w.deps.jobs.getJob(id);
    expect(job).toMatchObject({ total: 200, chunks: 4, done: 198, failed: 2 });
    const results = await allResults(w, id);
    expect(results.map((r) => r.row)).toEqual(rowsFrom2(200));
    expect(results.filter((r) => "error" in r).map((r) => r.row)).toEqual([30, 160]);
  });

  it("stops a reading whose recorded progress moved on under it (another delivery got further)", async () => {
    // Prepare: a reading that recorded one chunk; a second, stale delivery then starts from nothing.
    const w = await world(50);
    const id = await uploadedJob(w, 150);
    const [read] = await w.queue.receive();
    if (!read) throw new Error("no job-read message");
    expect(await processJobMessage(w.deps, read, { timeLeftMs: () => 0 })).toBe("continued");
    const realGet = w.deps.jobs.getJob.bind(w.deps.jobs);
    const stale = wrap<JobStore>(w.deps.jobs, {
      getJob: async (jobId: string) => {
        const job = await realGet(jobId);
        if (!job) return job;
        const { readProgress: _recorded, ...before } = job;
        return before;
      },
    });

    // Act
    const outcome = await processJobMessage({ ...w.deps, jobs: stale }, { ...read, id: "stale" });

    // Assess
    expect(outcome).toBe("ignored");
    expect((await w.deps.jobs.getJob(id))?.readProgress).toEqual({ rows: 50, chunks: 1, failed: 0 });
  });

  it("recovery after the local process died mid-reading continues the reading and re-queues its chunks", async () => {
    // Prepare: a reading paused after 2 chunks (the local worker's stop), then the process "dies" with its queue.
    const w = await world(50);
    const id = await uploadedJob(w, 230);
    const [read] = await w.queue.receive();
    if (!read) throw new Error("no job-read message");
    await processJobMessage(w.deps, read, { timeLeftMs: chunkBudget(2), readReserveMs: 1000 });
    const restarted = new MemoryQueue({ clock: w.clock, visibilitySeconds: 30 });
    w.queue = restarted;
    w.deps = { ...w.deps, queue: restarted };

    // Act
    const recovery = await recoverOpenJobs(w.deps, new Date(w.clock.now().getTime() + 1000));
    const requeued = (await restarted.receive({ max: 10 })).map((m) => m.body);
    w.clock.advance(31_000);
    await drain(w, 1000);

    // Assess
    expect(recovery).toMatchObject({ jobs: 1, chunks: 2 });
    expect(requeued).toEqual([
      { type: "job-read", jobId: id },
      { type: "job-chunk", jobId: id, chunk: 0 },
      { type: "job-chunk", jobId: id, chunk: 1 },
    ]);
    const job = await w.deps.jobs.getJob(id);
    expect(job).toMatchObject({ total: 230, chunks: 5, done: 230, failed: 0, finishedChunks: [0, 1, 2, 3, 4] });
    expect((await allResults(w, id)).map((r) => r.row)).toEqual(rowsFrom2(230));
    expect(new Set(w.issued).size).toBe(230);
    expect(w.issued).toHaveLength(230);
  });

  it("the SQS handler gives the reading the invocation's remaining time: one chunk, then a continuation", async () => {
    // Prepare
    const w = await world(50);
    const id = await uploadedJob(w, 120);
    const [read] = await w.queue.receive();
    if (!read) throw new Error("no job-read message");
    const config = readConfig({
      GATEWAY_MODE: "local",
      GATEWAY_PUBLIC_URL: PUBLIC_URL,
      GATEWAY_TABLE_NAME: w.tableName,
    });
    const deps: JobGatewayDeps = {
      config,
      store: w.deps.store,
      signer: w.deps.signer,
      clock: w.clock,
      ids: randomIds,
      jobsQueue: w.queue,
      jobs: w.deps.jobs,
      uploads: w.deps.uploads,
    };
    const handler = createWorkerHandler(async () => deps);
    const event = {
      Records: [
        {
          messageId: read.id,
          receiptHandle: read.receipt,
          body: JSON.stringify(read.body),
          attributes: { ApproximateReceiveCount: "1" },
        },
      ],
    } as unknown as SQSEvent;

    // Act: 5 s left, under the default 10 s reserve.
    const response = await handler(event, { getRemainingTimeInMillis: () => 5000 });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const job = await w.deps.jobs.getJob(id);
    expect(job?.stage).toBe("reading");
    expect(job?.readProgress).toEqual({ rows: 50, chunks: 1, failed: 0 });
    expect(job && jobView(job)).toMatchObject({ status: "reading", total: 50, done: 0 });
    const queued = (await w.queue.receive({ max: 10 })).map((m) => m.body);
    expect(queued).toEqual([
      { type: "job-chunk", jobId: id, chunk: 0 },
      { type: "job-read", jobId: id },
    ]);
  });
});

describe("per-row progress of chunks in flight", () => {
  it("shows the rows of a running chunk at most once a second, and exact counts once it is counted", async () => {
    // Prepare: one chunk of 10 rows issued one by one; each row takes 400 ms; the 8th signature "crashes" the worker.
    const w = await world(10);
    const { id } = await createJob(w.deps, w.principal, {
      from: "csv",
      document: jobCsv(10),
      options: { issuer: w.issuer.slug, format: "ob3" },
    });
    await withOwnIds(w, id, 0);
    w.msPerSignature = 400;
    w.faults.sign = (n) => n === 8;

    // Act
    const first = await w.queue.receive();
    const message = first[0];
    if (!message) throw new Error("no chunk message");
    await expect(processJobMessage(w.deps, message)).rejects.toThrow(/simulated crash/);
    const midway = await w.deps.jobs.getJob(id);
    const writesBeforeRetry = w.calls.setChunkProgress;
    w.clock.advance(31_000);
    const [again] = await w.queue.receive();
    if (!again) throw new Error("no redelivery");
    await processJobMessage(w.deps, again);
    const counted = await w.deps.jobs.getJob(id);

    // Assess: 7 rows done before the crash; progress written after rows 3 and 6 (>= 1 s apart), not per row.
    if (!midway || !counted) throw new Error("job gone");
    expect(writesBeforeRetry).toBe(2);
    expect(midway.done).toBe(0);
    expect(midway.chunkProgress).toEqual({ 0: { done: 6, failed: 0 } });
    expect(jobView(midway)).toMatchObject({ status: "running", done: 6, failed: 0 });
    expect(counted.chunkProgress).toBeUndefined();
    expect(jobView(counted)).toMatchObject({ status: "completed", done: 10, failed: 0 });
    expect(w.issued).toHaveLength(10);
  });

  it("writes no progress for a chunk that finishes within the interval", async () => {
    // Prepare
    const w = await world(10);
    const { id } = await createJob(w.deps, w.principal, {
      from: "csv",
      document: jobCsv(10),
      options: { issuer: w.issuer.slug, format: "ob3" },
    });
    await withOwnIds(w, id, 0);

    // Act
    const [message] = await w.queue.receive();
    if (!message) throw new Error("no chunk message");
    await processJobMessage(w.deps, message);

    // Assess
    expect(w.calls.setChunkProgress).toBe(0);
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 10, finishedChunks: [0] });
  });
});

describe("suspension in bulk jobs", () => {
  it("refuses options.suspension for OB 3.0 and ELM jobs, naming the option", async () => {
    // Prepare
    const w = await world(10);
    const submit = (format: "ob3" | "elm", suspension: unknown) =>
      createJob(w.deps, w.principal, {
        from: "csv",
        document: jobCsv(2),
        options: { issuer: w.issuer.slug, format, suspension },
      });

    // Act
    const outcomes = await Promise.allSettled([submit("ob3", true), submit("elm", true), submit("ob3", "yes")]);

    // Assess
    const errors = outcomes.map((o) => (o.status === "rejected" ? o.reason : undefined));
    expect(errors.map((e) => e instanceof GatewayError && [e.code, e.issues[0]?.pointer])).toEqual([
      ["unprocessable", "/body/options/suspension"],
      ["unprocessable", "/body/options/suspension"],
      ["validation-failed", "/body/options/suspension"],
    ]);
    expect((errors[0] as GatewayError).message).toMatch(/at most one credentialStatus/);
  });

  it("passes a job's suspension option to each row's issuance", async () => {
    // Prepare: a job that says suspension (as a store holding one would give it), issued as OB 3.0.
    const w = await world(10);
    const accepted = await createJob(w.deps, w.principal, {
      from: "csv",
      document: jobCsv(2),
      options: { issuer: w.issuer.slug, format: "ob3", suspension: false },
    });
    await withOwnIds(w, accepted.id, 0);
    const realGet = w.deps.jobs.getJob.bind(w.deps.jobs);
    const jobs = wrap<JobStore>(w.deps.jobs, {
      getJob: async (jobId: string) => {
        const job = await realGet(jobId);
        return job && { ...job, suspension: true };
      },
    });

    // Act
    const [message] = await w.queue.receive();
    if (!message) throw new Error("no chunk message");
    const statusLists = new DynamoStatusListStore({ client, tableName: w.tableName });
    await processJobMessage({ ...w.deps, jobs, statusLists }, message);

    // Assess: issuance saw the option (and refused it for OB 3.0 as it does for a single credential).
    const results = await allResults(w, accepted.id);
    expect(results).toEqual(
      [2, 3].map((row) => ({ row, error: expect.objectContaining({ path: "/options/suspension" }) })),
    );
    expect((await realGet(accepted.id))?.suspension).toBeUndefined();
  });
});
