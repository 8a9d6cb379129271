import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDeliveryStore } from "../../functions/adapters/aws/delivery-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { MemoryQueue } from "../../functions/adapters/local/memory-queue.js";
import { deliverRecordWith, finishBatchRecord } from "../../functions/core/registry/batch.js";
import type { JobBatch, JobRecord, JobResult, JobRow } from "../../functions/kernel/ports/index.js";
import { randomIds } from "../../functions/kernel/system.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorClientConfig } from "../support/moto.js";

/** A store that issued nothing and knows each caller's issuer by its slug (what a delivery checks). */
const issuedNothing = {
  getIssuance: async () => undefined,
  getIssuer: async (slug: string) => ({
    id: `did:web:localhost:issuers:${slug}`,
    slug,
    didMethod: "web" as const,
    name: slug,
    country: "IE",
    keys: [],
    createdAt: "2026-01-01T00:00:00Z",
  }),
  listIssuers: async () => ({ items: [] }),
  findIssuerByCertificate: async () => undefined,
};

// A registry batch chunk processed twice (the queue delivers at least once; a worker may die after delivering some
// records): each record gets one delivery, under an id derived from the job and row, with the real delivery store on
// dynalite and the in-process queue.
let dynalite: RunningDynalite;
let client: DynamoDBClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = new DynamoDBClient(emulatorClientConfig(dynalite.endpoint));
});

afterAll(async () => {
  client?.destroy();
  await dynalite?.stop();
});

const clock = { now: () => new Date("2026-03-01T10:00:00.000Z") };

function jobFactory(overrides: Partial<JobRecord> = {}): JobRecord & { batch: JobBatch } {
  return {
    id: `job-${randomUUID()}`,
    issuerSlug: "nqa",
    from: "csv",
    format: "elm",
    total: 2,
    chunks: 1,
    done: 0,
    failed: 0,
    dlq: 0,
    finishedChunks: [],
    createdAt: clock.now().toISOString(),
    expiresAt: "2026-04-01T10:00:00.000Z",
    ...overrides,
    batch: { issue: true, deliver: true, sendEmail: false },
  };
}

const rowFactory = (row: number): JobRow => ({
  row,
  credential: { name: `record ${row}` },
  recipient: `learner${row}@example.org`,
});

/** The worker's issuance of a row, idempotent per row as the job worker's is: the same credential every time. */
const issuedFactory = (row: number) => async (): Promise<JobResult> => ({
  row,
  verifiableCredential: { id: `urn:uuid:row-${row}`, type: ["VerifiableCredential"] },
});

async function setup() {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  const deliveries = new DynamoDeliveryStore({ client: DynamoDBDocumentClient.from(client), tableName });
  const queue = new MemoryQueue({ clock });
  const deliver = deliverRecordWith({
    deliveries,
    queue,
    clock,
    ids: randomIds,
    store: issuedNothing,
    walletConfigured: true,
  });
  /** Runs the chunk's rows through the worker's finishing step, as the job worker does for one queue message. */
  const runChunk = (job: JobRecord & { batch: JobBatch }, rows: JobRow[]) =>
    Promise.all(rows.map((row) => finishBatchRecord(job, row, issuedFactory(row.row), deliver)));
  const allPending = async () => (await deliveries.listPending({ limit: 100 })).items;
  return { deliveries, queue, runChunk, allPending };
}

const deliveryIdOf = (result: JobResult) => (result as { outcome?: { deliveryId?: string } }).outcome?.deliveryId;

describe("registry batch deliveries when a chunk is processed again", () => {
  it("creates one delivery per record however often the chunk runs, answering the same delivery ids", async () => {
    // Prepare
    const { runChunk, allPending } = await setup();
    const job = jobFactory();
    const rows = [rowFactory(0), rowFactory(1)];
    // Act
    const first = await runChunk(job, rows);
    const redelivered = await runChunk(job, rows);
    // Assess
    expect(redelivered.map(deliveryIdOf)).toEqual(first.map(deliveryIdOf));
    expect(new Set(first.map(deliveryIdOf)).size).toBe(2);
    const pending = await allPending();
    expect(pending.map((d) => d.id).sort()).toEqual(first.map(deliveryIdOf).sort());
  });

  it("queues a still-pending delivery again when the chunk is redelivered, so a message lost in between is made good", async () => {
    // Prepare: the first run stored and queued the delivery; its message is then lost (received and deleted).
    const { runChunk, queue } = await setup();
    const job = jobFactory();
    const [first] = await runChunk(job, [rowFactory(0)]);
    for (const message of await queue.receive({ max: 10 })) await queue.ack(message);
    // Act
    await runChunk(job, [rowFactory(0)]);
    // Assess
    const messages = await queue.receive({ max: 10 });
    expect(messages.map((m) => m.body)).toEqual([{ type: "delivery", id: first && deliveryIdOf(first) }]);
  });

  it("gives another job's same row its own delivery", async () => {
    // Prepare
    const { runChunk, allPending } = await setup();
    // Act
    const [a] = await runChunk(jobFactory(), [rowFactory(0)]);
    const [b] = await runChunk(jobFactory(), [rowFactory(0)]);
    // Assess
    expect(a && deliveryIdOf(a)).not.toBe(b && deliveryIdOf(b));
    expect(await allPending()).toHaveLength(2);
  });
});
