/**
 * The bulk-job worker's idempotency: chunks issued with the real use cases over the real DynamoDB adapters (embedded
 * dynalite), the in-process queue on a fake clock, and a signer / job store that can be made to "crash" mid-chunk.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoCredentialStore } from "../../../../../functions/adapters/aws/dynamo-store.js";
import { DynamoJobStore } from "../../../../../functions/adapters/aws/job-store.js";
import { DynamoStatusListStore } from "../../../../../functions/adapters/aws/status-store.js";
import { ensureTable } from "../../../../../functions/adapters/aws/table.js";
import { FileKeyStore } from "../../../../../functions/adapters/local/file-keys.js";
import { MemoryQueue } from "../../../../../functions/adapters/local/memory-queue.js";
import { readConfig } from "../../../../../functions/config.js";
import { registerIssuer } from "../../../../../functions/core/issuers/registration.js";
import { createJob } from "../../../../../functions/core/jobs/jobs.js";
import { jobStatus } from "../../../../../functions/core/jobs/view.js";
import { processJobMessage, type WorkerDeps } from "../../../../../functions/core/jobs/worker.js";
import type { Principal } from "../../../../../functions/core/tokens/auth.js";
import type { JobGatewayDeps } from "../../../../../functions/handlers/job-deps.js";
import { createWorkerHandler } from "../../../../../functions/handlers/jobs-worker.js";
import type {
  Clock,
  CredentialStore,
  IssuerRecord,
  JobResult,
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
let keyDir: string;
let keys: FileKeyStore;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = DynamoDBDocumentClient.from(new DynamoDBClient(emulatorClientConfig(dynalite.endpoint)));
  keyDir = mkdtempSync(join(tmpdir(), "job-worker-keys-"));
  keys = new FileKeyStore({ dir: keyDir });
});

afterAll(async () => {
  client?.destroy();
  await dynalite?.stop();
  rmSync(keyDir, { recursive: true, force: true });
});

/** A clock the test moves. */
function fakeClock(start = Date.parse("2025-03-01T10:00:00Z")): Clock & { advance(seconds: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (seconds) => (now += seconds * 1000) };
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
  deps: WorkerDeps & { chunkRows: number };
  queue: MemoryQueue;
  clock: ReturnType<typeof fakeClock>;
  issuer: IssuerRecord;
  principal: Principal;
  /** Credential ids recorded by the issuance store, in order (a duplicate issuance would show twice). */
  issued: string[];
  /**
   * Faults to inject: the signer / the job store's putResult throw while these return true; the chunk path's batch
   * writes (putIssuances, putResults: the n-th call) and block recording throw when theirs do, a putResults fault
   * after writing the first `written` results of the call.
   */
  faults: {
    sign: (n: number) => boolean;
    putResult: (n: number) => boolean;
    putIssuances: (n: number) => boolean;
    putResults: (n: number) => { written: number } | undefined;
    recordChunkStatus: (n: number) => boolean;
  };
  tableName: string;
}

async function world(chunkRows = 10): Promise<World> {
  const tableName = `jobs-${crypto.randomUUID()}`;
  await ensureTable(client, tableName);
  const clock = fakeClock();
  const queue = new MemoryQueue({ clock, visibilitySeconds: 30 });
  const issued: string[] = [];
  const faults: World["faults"] = {
    sign: () => false,
    putResult: () => false,
    putIssuances: () => false,
    putResults: () => undefined,
    recordChunkStatus: () => false,
  };
  let issuanceBatches = 0;
  const realStore = new DynamoCredentialStore({ client, tableName });
  const store: CredentialStore = wrap<CredentialStore>(realStore, {
    putIssuance: async (record: Parameters<CredentialStore["putIssuance"]>[0]) => {
      await realStore.putIssuance(record);
      issued.push(record.credentialId);
    },
    putIssuances: async (records: Parameters<CredentialStore["putIssuances"]>[0]) => {
      issuanceBatches += 1;
      if (faults.putIssuances(issuanceBatches)) throw new Error("simulated crash before the issuance records");
      await realStore.putIssuances(records);
      issued.push(...records.map((r) => r.credentialId));
    },
  });
  let signatures = 0;
  const signer: Signer = {
    sign: async (keyRef, alg, data) => {
      signatures += 1;
      if (faults.sign(signatures)) throw new Error("simulated crash in the signer");
      return keys.sign(keyRef, alg, data);
    },
  };
  const realJobs = new DynamoJobStore({ client, tableName });
  let puts = 0;
  let resultBatches = 0;
  let statusRecords = 0;
  const jobs: JobStore = wrap<JobStore>(realJobs, {
    putResult: async (...args: Parameters<JobStore["putResult"]>) => {
      puts += 1;
      if (faults.putResult(puts)) throw new Error("simulated crash before the result was written");
      return realJobs.putResult(...args);
    },
    putResults: async (jobId: string, results: JobResult[], expiresAt: string) => {
      resultBatches += 1;
      const fault = faults.putResults(resultBatches);
      if (!fault) return realJobs.putResults(jobId, results, expiresAt);
      await realJobs.putResults(jobId, results.slice(0, fault.written), expiresAt);
      throw new Error("simulated crash while the results were written");
    },
    recordChunkStatus: async (...args: Parameters<JobStore["recordChunkStatus"]>) => {
      statusRecords += 1;
      if (faults.recordChunkStatus(statusRecords)) throw new Error("simulated crash before the block was recorded");
      return realJobs.recordChunkStatus(...args);
    },
  });
  const { issuer } = await registerIssuer(
    { store: realStore, keys, clock, ids: randomIds, publicUrl: PUBLIC_URL },
    { name: "University of Zed", country: "IE", keyTypes: ["Ed25519"] },
  );
  return {
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
      // Small lists (64 entries): a chunk's block that does not fit in what is left of one moves to the next.
      statusLists: new DynamoStatusListStore({ client, tableName, listSize: 64 }),
    },
    queue,
    clock,
    issuer,
    principal: { role: "issuer", issuerId: issuer.slug },
    issued,
    faults,
    tableName,
  };
}

async function submit(w: World, rows: number, extra: { badEcts?: number[] } = {}): Promise<string> {
  const { id } = await createJob(w.deps, w.principal, {
    from: "csv",
    document: jobCsv(rows, extra),
    options: { issuer: w.issuer.slug, format: "ob3" },
  });
  return id;
}

async function receiveOne(w: World): Promise<QueueMessage> {
  const [message] = await w.queue.receive();
  if (!message) throw new Error("no message visible");
  return message;
}

/** A result's credential (the test issues eddsa-rdfc-2022: a JSON credential). */
function credentialOf(result: JobResult): { id: string; credentialStatus: Record<string, string> } {
  if (!("verifiableCredential" in result)) throw new Error(`row ${result.row} has no credential`);
  return result.verifiableCredential as { id: string; credentialStatus: Record<string, string> };
}

/** A result's revocation entry: its list and index. */
function statusOf(result: JobResult): { listId: string; index: number } {
  const status = credentialOf(result).credentialStatus;
  const listId = decodeURIComponent((status.statusListCredential ?? "").split("/").at(-1) ?? "");
  return { listId, index: Number(status.statusListIndex) };
}

const sha256Of = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

async function allResults(w: World, jobId: string) {
  return (await w.deps.jobs.listResults(jobId, { limit: 1000 })).items;
}

describe("createJob", () => {
  it("splits the rows into chunks of chunkRows, one message each, and records unreadable rows as failed", async () => {
    const w = await world(50);

    const id = await submit(w, 120, { badEcts: [60] });

    const job = await w.deps.jobs.getJob(id);
    expect(job).toMatchObject({ total: 120, chunks: 3, done: 0, failed: 1, dlq: 0, finishedChunks: [] });
    expect(jobStatus(job as NonNullable<typeof job>)).toBe("queued");
    const sizes = await Promise.all([0, 1, 2].map(async (i) => (await w.deps.jobs.getChunk(id, i))?.rows.length));
    expect(sizes).toEqual([50, 50, 19]);
    expect((await w.deps.jobs.getChunk(id, 0))?.rows[0]?.row).toBe(2);
    const messages = await w.queue.receive({ max: 10 });
    expect(messages.map((m) => m.body)).toEqual([0, 1, 2].map((chunk) => ({ type: "job-chunk", jobId: id, chunk })));
    expect(await allResults(w, id)).toEqual([
      { row: 60, error: { path: "/rows/60/ects", message: expect.stringContaining("five") } },
    ]);
  });
});

describe("processJobMessage", () => {
  it("issues every row of a chunk once and counts it on the job", async () => {
    const w = await world();
    const id = await submit(w, 10);

    const outcome = await processJobMessage(w.deps, await receiveOne(w));

    expect(outcome).toBe("finished");
    expect(w.issued).toHaveLength(10);
    const job = await w.deps.jobs.getJob(id);
    expect(job).toMatchObject({ done: 10, failed: 0, finishedChunks: [0] });
    expect(jobStatus(job as NonNullable<typeof job>)).toBe("completed");
    expect((await allResults(w, id)).map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("after a crash mid-chunk (signer), the redelivered message issues the rest: nothing twice, nothing skipped", async () => {
    const w = await world();
    const id = await submit(w, 10);
    // The 6th signature fails: the chunk's attempt stops before writing anything, as a worker that "dies" there.
    w.faults.sign = (n) => n === 6;

    const first = await receiveOne(w);
    await expect(processJobMessage(w.deps, first)).rejects.toThrow(/simulated crash/);
    const hidden = await w.queue.receive();
    w.clock.advance(31);
    const again = await receiveOne(w);
    const outcome = await processJobMessage(w.deps, again);
    await w.queue.ack(again);

    expect(hidden).toEqual([]);
    expect(again.receiveCount).toBe(2);
    expect(outcome).toBe("finished");
    expect(w.issued).toHaveLength(10);
    expect(new Set(w.issued).size).toBe(10);
    const results = await allResults(w, id);
    expect(results.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(results.every((r) => "verifiableCredential" in r)).toBe(true);
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 10, failed: 0, dlq: 0, finishedChunks: [0] });
    w.clock.advance(60);
    expect(await w.queue.receive()).toEqual([]);
  });

  it("after a crash between issuing a row and writing its result, the retry replays that row's credential", async () => {
    // Rows with ids of their own (not derived from the job) are issued one by one with their Idempotency-Key.
    const w = await world();
    const id = await submit(w, 10);
    const chunk = await w.deps.jobs.getChunk(id, 0);
    if (!chunk) throw new Error("no chunk");
    for (const row of chunk.rows) row.credential.id = `urn:uuid:${crypto.randomUUID()}`;
    await w.deps.jobs.putChunk(chunk);
    // The 4th result write fails after its credential was issued (and its Idempotency-Key completed).
    w.faults.putResult = (n) => n === 4;

    await expect(processJobMessage(w.deps, await receiveOne(w))).rejects.toThrow(/simulated crash/);
    const issuedBeforeRetry = [...w.issued];
    w.clock.advance(31);
    await processJobMessage(w.deps, await receiveOne(w));

    expect(issuedBeforeRetry).toHaveLength(4);
    expect(w.issued).toHaveLength(10);
    expect(new Set(w.issued).size).toBe(10);
    const results = await allResults(w, id);
    expect(results).toHaveLength(10);
    const row5 = results.find((r) => r.row === 5);
    expect(row5 && "verifiableCredential" in row5 && (row5.verifiableCredential as { id: string }).id).toBe(
      issuedBeforeRetry[3],
    );
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 10, failed: 0 });
  });

  it("replays a row's credential when its chunk comes back more than a day later (recovery after a long stop)", async () => {
    // Prepare: rows with ids of their own; the 4th result write fails after its credential was issued.
    const w = await world();
    const id = await submit(w, 10);
    const chunk = await w.deps.jobs.getChunk(id, 0);
    if (!chunk) throw new Error("no chunk");
    for (const row of chunk.rows) row.credential.id = `urn:uuid:${crypto.randomUUID()}`;
    await w.deps.jobs.putChunk(chunk);
    w.faults.putResult = (n) => n === 4;
    await expect(processJobMessage(w.deps, await receiveOne(w))).rejects.toThrow(/simulated crash/);
    const issuedBeforeRetry = [...w.issued];

    // Act: the chunk is processed again 25 hours later, well within the job's 30-day retention
    w.clock.advance(25 * 60 * 60);
    await processJobMessage(w.deps, await receiveOne(w));

    // Assess: row 5 holds the credential issued for it, not an error saying it was issued before
    const results = await allResults(w, id);
    const row5 = results.find((r) => r.row === 5);
    expect(row5 && "error" in row5 ? row5.error.message : "").toBe("");
    expect(row5 && "verifiableCredential" in row5 && (row5.verifiableCredential as { id: string }).id).toBe(
      issuedBeforeRetry[3],
    );
    expect(new Set(w.issued).size).toBe(10);
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 10, failed: 0 });
  });

  it("issues a chunk's rows with one status block recorded on the chunk: row i gets index start + i", async () => {
    const w = await world();
    const id = await submit(w, 10);

    await processJobMessage(w.deps, await receiveOne(w));

    const chunk = await w.deps.jobs.getChunk(id, 0);
    const block = chunk?.status?.revocation;
    expect(block).toMatchObject({ count: 10 });
    const entries = (await allResults(w, id)).map(statusOf);
    expect(entries.map((e) => e.index)).toEqual(Array.from({ length: 10 }, (_, i) => (block?.start ?? -1) + i));
    expect(new Set(entries.map((e) => e.listId))).toEqual(new Set([block?.listId]));
    expect(w.issued.sort()).toEqual((await allResults(w, id)).map((r) => credentialOf(r).id).sort());
  });

  it("after a crash between the issuance records and the results, the retry issues the same credentials once", async () => {
    const w = await world();
    const id = await submit(w, 10);
    w.faults.putResults = (n) => (n === 1 ? { written: 0 } : undefined);

    await expect(processJobMessage(w.deps, await receiveOne(w))).rejects.toThrow(/simulated crash/);
    const recordedBefore = [...w.issued];
    const blockBefore = (await w.deps.jobs.getChunk(id, 0))?.status;
    w.clock.advance(31);
    expect(await processJobMessage(w.deps, await receiveOne(w))).toBe("finished");

    const results = await allResults(w, id);
    expect(results.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // The same 10 credential ids, recorded again (replaced), never a new one; the same status indexes.
    expect(new Set(w.issued)).toEqual(new Set(recordedBefore));
    expect(new Set(results.map((r) => credentialOf(r).id))).toEqual(new Set(recordedBefore));
    expect((await w.deps.jobs.getChunk(id, 0))?.status).toEqual(blockBefore);
    expect(results.map((r) => statusOf(r).index)).toEqual(
      Array.from({ length: 10 }, (_, i) => (blockBefore?.revocation?.start ?? -1) + i),
    );
    // Each issuance record is the one of the credential the results hand out.
    for (const result of results) {
      const record = await w.deps.store.getIssuance(credentialOf(result).id);
      expect(record?.contentHash).toBe(sha256Of(credentialOf(result)));
    }
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 10, failed: 0, finishedChunks: [0] });
  });

  it("after a crash part-way through writing the results, the retry keeps the stored ones and signs only the rest", async () => {
    const w = await world(60);
    const id = await submit(w, 60);
    w.faults.putResults = (n) => (n === 1 ? { written: 25 } : undefined);
    let signatures = 0;
    const countingSigner = w.deps.signer;
    w.deps.signer = {
      sign: (...args) => {
        signatures += 1;
        return countingSigner.sign(...args);
      },
    };

    await expect(processJobMessage(w.deps, await receiveOne(w))).rejects.toThrow(/simulated crash/);
    const stored = await allResults(w, id);
    signatures = 0;
    w.clock.advance(31);
    expect(await processJobMessage(w.deps, await receiveOne(w))).toBe("finished");

    expect(stored).toHaveLength(25);
    expect(signatures).toBe(35);
    const results = await allResults(w, id);
    expect(results).toHaveLength(60);
    expect(results.slice(0, 25)).toEqual(stored);
    const indexes = results.map((r) => statusOf(r).index);
    expect(new Set(indexes).size).toBe(60);
    expect(new Set(results.map((r) => credentialOf(r).id)).size).toBe(60);
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 60, failed: 0 });
  });

  it("after a crash between allocating a chunk's block and recording it, the retry takes a new one: no index twice", async () => {
    const w = await world(10);
    const id = await submit(w, 20);
    w.faults.recordChunkStatus = (n) => n === 1;

    await expect(processJobMessage(w.deps, await receiveOne(w))).rejects.toThrow(/simulated crash/);
    w.clock.advance(31);
    for (let i = 0; i < 2; i++) {
      const message = await receiveOne(w);
      expect(await processJobMessage(w.deps, message)).toBe("finished");
      await w.queue.ack(message);
    }

    const entries = (await allResults(w, id)).map(statusOf);
    expect(entries).toHaveLength(20);
    expect(new Set(entries.map((e) => `${e.listId}#${e.index}`)).size).toBe(20);
    // The lost block (10 indexes) is never handed out: the chunks' blocks come after it.
    const blocks = await Promise.all([0, 1].map(async (i) => (await w.deps.jobs.getChunk(id, i))?.status?.revocation));
    expect(blocks.map((b) => b?.start)).not.toContain(0);
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 20, failed: 0, finishedChunks: [0, 1] });
  });

  it("keeps a result another attempt wrote while this one was signing, instead of replacing it", async () => {
    // Prepare: a concurrent attempt's result for row 4 lands between this attempt's first read and its writes.
    const w = await world();
    const id = await submit(w, 10);
    const theirs = { row: 4, verifiableCredential: { id: "written-by-the-other-attempt" } };
    const jobs = w.deps.jobs;
    let reads = 0;
    w.deps.jobs = wrap<JobStore>(jobs, {
      listResults: async (...args: Parameters<JobStore["listResults"]>) => {
        reads += 1;
        if (reads === 2) await jobs.putResult(id, theirs, "2025-04-01T00:00:00.000Z");
        return jobs.listResults(...args);
      },
    });

    // Act
    const outcome = await processJobMessage(w.deps, await receiveOne(w));

    // Assess: row 4 is the other attempt's; nothing else was lost, the chunk counted once with 10 rows done
    const results = await allResults(w, id);
    expect(outcome).toBe("finished");
    expect(results.find((r) => r.row === 4)).toEqual(theirs);
    expect(results).toHaveLength(10);
    expect(w.issued).toHaveLength(9);
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 10, failed: 0, finishedChunks: [0] });
  });

  it("moves a chunk's block to the next list when the current one has too few indexes left", async () => {
    const w = await world(30);
    const id = await submit(w, 90);

    for (let i = 0; i < 3; i++) {
      const message = await receiveOne(w);
      await processJobMessage(w.deps, message);
      await w.queue.ack(message);
    }

    // Lists of 64: chunks 0 and 1 take 0..29 and 30..59 of the first, chunk 2 does not fit in the 4 left.
    const blocks = await Promise.all(
      [0, 1, 2].map(async (i) => (await w.deps.jobs.getChunk(id, i))?.status?.revocation),
    );
    expect(blocks.map((b) => [b?.listId.split(".").at(-1), b?.start])).toEqual([
      ["0", 0],
      ["0", 30],
      ["1", 0],
    ]);
    const entries = (await allResults(w, id)).map(statusOf);
    expect(new Set(entries.map((e) => `${e.listId}#${e.index}`)).size).toBe(90);
  });

  it("counts a chunk delivered twice once", async () => {
    const w = await world();
    const id = await submit(w, 10);
    const message = await receiveOne(w);

    const first = await processJobMessage(w.deps, message);
    const second = await processJobMessage(w.deps, message);

    expect([first, second]).toEqual(["finished", "duplicate"]);
    expect(w.issued).toHaveLength(10);
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 10, failed: 0, finishedChunks: [0] });
  });

  it("gives up a poison chunk on its maxReceives-th delivery: its rows fail and the job shows it in dlq", async () => {
    const w = await world(5);
    const id = await submit(w, 10);
    w.faults.sign = (n) => n > 5; // the first chunk issues; the second always fails

    const firstChunk = await receiveOne(w);
    expect(await processJobMessage(w.deps, firstChunk, { maxReceives: 3 })).toBe("finished");
    await w.queue.ack(firstChunk);
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const message = await receiveOne(w);
      try {
        outcomes.push(await processJobMessage(w.deps, message, { maxReceives: 3 }));
        await w.queue.ack(message);
      } catch {
        outcomes.push("retry");
      }
      w.clock.advance(31);
    }

    expect(outcomes).toEqual(["retry", "retry", "dead"]);
    expect(await w.queue.receive()).toEqual([]);
    const job = await w.deps.jobs.getJob(id);
    expect(job).toMatchObject({ total: 10, done: 5, failed: 5, dlq: 1 });
    expect(jobStatus(job as NonNullable<typeof job>)).toBe("completed-with-errors");
    const results = await allResults(w, id);
    expect(results.filter((r) => "error" in r).map((r) => r.row)).toEqual([7, 8, 9, 10, 11]);
    expect(results.find((r) => r.row === 7)).toEqual({
      row: 7,
      error: { path: "", message: expect.stringContaining("dead-letter queue") },
    });
  });

  it("makes a row the issuer refuses an error result and issues the others", async () => {
    const w = await world();
    const id = await submit(w, 3);
    const chunk = await w.deps.jobs.getChunk(id, 0);
    if (!chunk?.rows[1]) throw new Error("no chunk");
    chunk.rows[1].credential.validFrom = "not a date";
    await w.deps.jobs.putChunk(chunk);

    await processJobMessage(w.deps, await receiveOne(w));

    const results = await allResults(w, id);
    expect(results[1]).toEqual({
      row: 3,
      error: { path: "/credential/validFrom", message: expect.stringContaining("dateTimeStamp") },
    });
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 2, failed: 1 });
  });

  it("ignores messages that are not chunks of a known job", async () => {
    const w = await world();
    const message = { id: "m", receipt: "r", receiveCount: 1 };

    expect(await processJobMessage(w.deps, { ...message, body: { hello: "world" } })).toBe("ignored");
    expect(await processJobMessage(w.deps, { ...message, body: { type: "job-chunk", jobId: "nope", chunk: 0 } })).toBe(
      "ignored",
    );
  });
});

describe("the SQS worker handler", () => {
  it("reports only the chunks to retry as batchItemFailures", async () => {
    const w = await world(5);
    const id = await submit(w, 10);
    w.faults.sign = (n) => n > 5;
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
    };
    const handler = createWorkerHandler(async () => deps);
    const record = (messageId: string, chunk: number) => ({
      messageId,
      receiptHandle: `rh-${messageId}`,
      body: JSON.stringify({ type: "job-chunk", jobId: id, chunk }),
      attributes: { ApproximateReceiveCount: "1" },
    });
    const event = { Records: [record("a", 0), record("b", 1)] } as unknown as SQSEvent;

    const response = await handler(event);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "b" }] });
    expect(await w.deps.jobs.getJob(id)).toMatchObject({ done: 5, finishedChunks: [0] });
  });
});
