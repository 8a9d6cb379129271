/**
 * The behaviour every {@link JobStore} must have. Each test gets a fresh, empty store from the factory.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../functions/kernel/errors.js";
import type { JobRecord, JobStore } from "../../functions/kernel/ports/index.js";

let sequence = 0;

/** A job as submission creates it (expiry on a whole second: the store keeps epoch seconds). */
export function aJob(overrides: Partial<JobRecord> = {}): JobRecord {
  sequence += 1;
  return {
    id: `job-${sequence}-${Math.random().toString(36).slice(2)}`,
    issuerSlug: "uni-zed",
    from: "csv",
    format: "ob3",
    proof: "eddsa-rdfc-2022",
    total: 120,
    chunks: 3,
    done: 0,
    failed: 1,
    dlq: 0,
    finishedChunks: [],
    createdAt: "2025-03-01T10:00:00.000Z",
    expiresAt: "2025-03-31T10:00:00.000Z",
    ...overrides,
  };
}

const EXPIRES = "2025-03-31T10:00:00.000Z";

/**
 * `raceSafe: false` leaves out the test that races writers on one item: moto's DynamoDB server does not serialise
 * writes to an item (see the status-list contract); DynamoDB and dynalite do, and the dynalite run keeps it.
 */
export function jobStoreContract(
  name: string,
  makeStore: () => Promise<JobStore>,
  { raceSafe = true }: { raceSafe?: boolean } = {},
): void {
  describe(`JobStore contract: ${name}`, () => {
    it("stores a job and reads it back as it was; a second job with the same id is a conflict", async () => {
      const store = await makeStore();
      const job = aJob();

      await store.createJob(job);

      expect(await store.getJob(job.id)).toStrictEqual(job);
      await expect(store.createJob({ ...job, total: 1 })).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "conflict",
      );
      expect(await store.getJob("no-such-job")).toBeUndefined();
    });

    it("keeps a registry batch's settings and each record's outcome, and a convert-only record's credential", async () => {
      // Prepare (issue 12)
      const store = await makeStore();
      const job = aJob({ batch: { issue: true, deliver: true, sendEmail: false } });
      const delivered = { converted: true, issued: true, delivered: true, deliveryId: "d-1" };
      const notIssued = { converted: true, issued: false, reason: "not issued: refused" };

      // Act
      await store.createJob(job);
      await store.putResult(job.id, { row: 2, verifiableCredential: { id: "vc-2" }, outcome: delivered }, EXPIRES);
      await store.putResult(
        job.id,
        { row: 3, error: { path: "/rows/3", message: "refused" }, outcome: notIssued },
        EXPIRES,
      );
      await store.putResult(
        job.id,
        { row: 4, credential: { id: "c-4" }, outcome: { converted: true, issued: false } },
        EXPIRES,
      );
      await store.putResult(job.id, { row: 5, verifiableCredential: { id: "vc-5" } }, EXPIRES);

      // Assess
      expect(await store.getJob(job.id)).toStrictEqual(job);
      expect((await store.listResults(job.id)).items).toStrictEqual([
        { row: 2, verifiableCredential: { id: "vc-2" }, outcome: delivered },
        { row: 3, error: { path: "/rows/3", message: "refused" }, outcome: notIssued },
        { row: 4, credential: { id: "c-4" }, outcome: { converted: true, issued: false } },
        { row: 5, verifiableCredential: { id: "vc-5" } },
      ]);
    });

    it("sets startedAt once", async () => {
      const store = await makeStore();
      const job = aJob();
      await store.createJob(job);

      await store.markJobStarted(job.id, "2025-03-01T10:00:05.000Z");
      await store.markJobStarted(job.id, "2025-03-01T10:09:00.000Z");

      expect((await store.getJob(job.id))?.startedAt).toBe("2025-03-01T10:00:05.000Z");
    });

    it("round-trips a chunk's rows, deep and with empty values, as JSON", async () => {
      const store = await makeStore();
      const deep: Record<string, unknown> = { leaf: "" };
      let node = deep;
      for (let i = 0; i < 40; i++) {
        const next: Record<string, unknown> = { empty: {}, list: [] };
        node.child = next;
        node = next;
      }
      const rows = [
        { row: 2, credential: { id: "urn:uuid:1", name: "Zoë – ünïcode", deep } },
        { row: 4, credential: { id: "urn:uuid:2" } },
      ];

      await store.putChunk({ jobId: "j1", index: 7, rows, expiresAt: EXPIRES });

      expect(await store.getChunk("j1", 7)).toStrictEqual({ jobId: "j1", index: 7, rows, expiresAt: EXPIRES });
      expect(await store.getChunk("j1", 8)).toBeUndefined();
    });

    it("writes a row's result once and lists results in row order, a page at a time", async () => {
      const store = await makeStore();
      const id = aJob().id;
      for (const row of [10, 2, 100, 3]) {
        expect(await store.putResult(id, { row, verifiableCredential: { id: `vc-${row}` } }, EXPIRES)).toBe(true);
      }
      await store.putResult(id, { row: 5, error: { path: "/rows/5/ects", message: "not a number" } }, EXPIRES);

      const again = await store.putResult(id, { row: 2, verifiableCredential: { id: "other" } }, EXPIRES);
      const first = await store.listResults(id, { limit: 3 });
      const second = await store.listResults(id, { limit: 3, cursor: first.cursor });
      const range = await store.listResults(id, { fromRow: 3, toRow: 10 });

      expect(again).toBe(false);
      expect(first.items.map((r) => r.row)).toEqual([2, 3, 5]);
      expect(first.items[0]).toEqual({ row: 2, verifiableCredential: { id: "vc-2" } });
      expect(first.items[2]).toEqual({ row: 5, error: { path: "/rows/5/ects", message: "not a number" } });
      expect(second.items.map((r) => r.row)).toEqual([10, 100]);
      expect(second.cursor).toBeUndefined();
      expect(range.items.map((r) => r.row)).toEqual([3, 5, 10]);
      expect((await store.listResults("other-job")).items).toEqual([]);
    });

    it("writes a batch of results (more than 25) listed in row order, replacing none it is not given", async () => {
      // Prepare
      const store = await makeStore();
      const id = aJob().id;
      await store.putResult(id, { row: 1, error: { path: "/rows/1", message: "unreadable" } }, EXPIRES);
      const results = Array.from({ length: 60 }, (_, i) => ({ row: i + 2, verifiableCredential: `jwt-${i + 2}` }));
      // Act
      await store.putResults(id, results, EXPIRES);
      await store.putResults(id, [], EXPIRES);
      const listed = await store.listResults(id, { limit: 1000 });
      // Assess
      expect(listed.items).toHaveLength(61);
      expect(listed.items[0]).toEqual({ row: 1, error: { path: "/rows/1", message: "unreadable" } });
      expect(listed.items.slice(1)).toEqual(results);
    });

    it("records a chunk's status blocks once: a later attempt gets the first blocks back", async () => {
      // Prepare
      const store = await makeStore();
      const rows = [{ row: 2, credential: { id: "urn:uuid:1" } }];
      await store.putChunk({ jobId: "j-status", index: 0, rows, expiresAt: EXPIRES });
      const first = { revocation: { listId: "uni.revocation.0", start: 100, count: 50 } };
      const second = {
        revocation: { listId: "uni.revocation.0", start: 150, count: 50 },
        suspension: { listId: "uni.suspension.0", start: 0, count: 50 },
      };
      // Act
      const recorded = await store.recordChunkStatus("j-status", 0, first);
      const again = await store.recordChunkStatus("j-status", 0, second);
      // Assess
      expect(recorded).toEqual(first);
      expect(again).toEqual(first);
      expect(await store.getChunk("j-status", 0)).toStrictEqual({
        jobId: "j-status",
        index: 0,
        rows,
        expiresAt: EXPIRES,
        status: first,
      });
      await expect(store.recordChunkStatus("j-status", 1, first)).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "not-found",
      );
    });

    it("refuses a page size out of range and a foreign cursor", async () => {
      const store = await makeStore();

      await expect(store.listResults("j", { limit: 0 })).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "validation-failed",
      );
      await expect(store.listResults("j", { cursor: "abc" })).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "validation-failed",
      );
    });

    it.runIf(raceSafe)(
      "counts a chunk once, also when finished concurrently, and counts dead chunks in dlq",
      async () => {
        const store = await makeStore();
        const job = aJob({ failed: 1 });
        await store.createJob(job);

        const racing = await Promise.all(
          Array.from({ length: 5 }, () => store.finishChunk(job.id, 0, { done: 40, failed: 2, dead: false })),
        );
        const second = await store.finishChunk(job.id, 1, { done: 0, failed: 50, dead: true });
        const repeat = await store.finishChunk(job.id, 1, { done: 0, failed: 50, dead: true });

        expect(racing.filter(Boolean)).toHaveLength(1);
        expect(second).toBe(true);
        expect(repeat).toBe(false);
        expect(await store.getJob(job.id)).toMatchObject({ done: 40, failed: 53, dlq: 1, finishedChunks: [0, 1] });
      },
    );

    it("lists jobs newest first, one issuer's or every issuer's, a page at a time", async () => {
      const store = await makeStore();
      const at = (minute: number) => `2025-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
      const zed = [1, 3, 5].map((m) => aJob({ issuerSlug: "uni-zed", createdAt: at(m) }));
      const other = [2, 4].map((m) => aJob({ issuerSlug: "other", createdAt: at(m) }));
      for (const job of [...zed, ...other]) await store.createJob(job);

      const own = await store.listJobs({ issuerSlug: "uni-zed" });
      const firstPage = await store.listJobs({ limit: 2 });
      const secondPage = await store.listJobs({ limit: 2, cursor: firstPage.cursor });
      const lastPage = await store.listJobs({ limit: 2, cursor: secondPage.cursor });
      const ownPaged = await store.listJobs({ issuerSlug: "uni-zed", limit: 2 });
      const ownRest = await store.listJobs({ issuerSlug: "uni-zed", limit: 2, cursor: ownPaged.cursor });

      expect(own.items.map((j) => j.id)).toEqual([zed[2]?.id, zed[1]?.id, zed[0]?.id]);
      expect(own.items[0]).toStrictEqual(zed[2]);
      expect(own.cursor).toBeUndefined();
      expect(firstPage.items.map((j) => j.createdAt)).toEqual([at(5), at(4)]);
      expect(secondPage.items.map((j) => j.createdAt)).toEqual([at(3), at(2)]);
      expect(lastPage.items.map((j) => j.createdAt)).toEqual([at(1)]);
      expect(lastPage.cursor).toBeUndefined();
      expect(ownRest.items.map((j) => j.id)).toEqual([zed[0]?.id]);
      expect((await store.listJobs({ issuerSlug: "nobody" })).items).toEqual([]);
      await expect(store.listJobs({ cursor: "not-a-cursor" })).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "validation-failed",
      );
      await expect(store.listJobs({ limit: 101 })).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "validation-failed",
      );
    });

    it("lists open jobs oldest first until they are closed", async () => {
      const store = await makeStore();
      const older = aJob({ createdAt: "2025-03-01T09:00:00.000Z" });
      const newer = aJob({ createdAt: "2025-03-01T11:00:00.000Z" });
      await store.createJob(newer);
      await store.createJob(older);

      const before = await store.listOpenJobs();
      await store.closeJob(older);
      await store.closeJob(older);
      const after = await store.listOpenJobs();

      expect(before.items.map((j) => j.id)).toEqual([older.id, newer.id]);
      expect(after.items.map((j) => j.id)).toEqual([newer.id]);
      expect((await store.listJobs()).items.map((j) => j.id)).toEqual([newer.id, older.id]);
    });

    it("records a job's error once and shows it on the job", async () => {
      const store = await makeStore();
      const job = aJob();
      await store.createJob(job);

      await store.setJobError(job.id, "chunk 2 could not be queued");
      await store.setJobError(job.id, "a later message");

      expect(await store.getJob(job.id)).toStrictEqual({ ...job, error: "chunk 2 could not be queued" });
      await expect(store.setJobError("nope", "x")).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "not-found",
      );
    });

    it("records a reading's progress only from the progress it started from, and only while reading", async () => {
      // Prepare: an upload job being read, which keeps its suspension option.
      const store = await makeStore();
      const job = aJob({ total: 0, chunks: 0, failed: 0, stage: "awaiting-upload", uploadKey: "jobs/x/input" });
      await store.createJob({ ...job, suspension: true });
      await store.startReading(job.id);
      const first = { rows: 50, chunks: 1, failed: 0 };
      const second = { rows: 102, chunks: 2, failed: 2 };

      // Act
      const firstRecorded = await store.recordReadProgress(job.id, undefined, first);
      const staleFirst = await store.recordReadProgress(job.id, undefined, first);
      const secondRecorded = await store.recordReadProgress(job.id, first, second);
      const staleSecond = await store.recordReadProgress(job.id, first, second);
      const reading = await store.getJob(job.id);
      await store.setJobCounts(job.id, { total: 102, chunks: 2, failed: 2 });
      const afterCounts = await store.recordReadProgress(job.id, second, { rows: 150, chunks: 3, failed: 2 });

      // Assess
      expect([firstRecorded, staleFirst, secondRecorded, staleSecond, afterCounts]).toEqual([
        true,
        false,
        true,
        false,
        false,
      ]);
      expect(reading).toStrictEqual({ ...job, suspension: true, stage: "reading", readProgress: second });
      expect((await store.getJob(job.id))?.readProgress).toEqual(second);
      await expect(store.recordReadProgress("nope", undefined, first)).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "not-found",
      );
    });

    it("keeps a chunk's in-flight progress until the chunk is counted, then refuses it", async () => {
      // Prepare
      const store = await makeStore();
      const job = aJob();
      await store.createJob(job);

      // Act
      const set = await store.setChunkProgress(job.id, 0, { done: 3, failed: 1 });
      await store.setChunkProgress(job.id, 0, { done: 5, failed: 1 });
      await store.setChunkProgress(job.id, 2, { done: 1, failed: 0 });
      const inFlight = await store.getJob(job.id);
      await store.finishChunk(job.id, 0, { done: 48, failed: 2, dead: false });
      const late = await store.setChunkProgress(job.id, 0, { done: 7, failed: 1 });
      const counted = await store.getJob(job.id);

      // Assess
      expect([set, late]).toEqual([true, false]);
      expect(inFlight?.chunkProgress).toStrictEqual({ 0: { done: 5, failed: 1 }, 2: { done: 1, failed: 0 } });
      expect(counted?.chunkProgress).toStrictEqual({ 2: { done: 1, failed: 0 } });
      expect(counted).toMatchObject({ done: 48, failed: 3, finishedChunks: [0] });
    });

    it("refuses to count a chunk of an unknown job", async () => {
      const store = await makeStore();

      await expect(store.finishChunk("nope", 0, { done: 1, failed: 0, dead: false })).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "not-found",
      );
    });
  });
}
