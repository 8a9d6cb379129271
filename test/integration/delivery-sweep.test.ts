import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDeliveryStore } from "../../functions/adapters/aws/delivery-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { MemoryQueue } from "../../functions/adapters/local/memory-queue.js";
import { DELIVERY_SWEEP_EVENT } from "../../functions/core/deliveries/sweep.js";
import { createDeliveriesWorkerHandler } from "../../functions/handlers/deliveries-worker.js";
import type { DeliveryGatewayDeps } from "../../functions/handlers/delivery-deps.js";
import type { DeliveryRecord } from "../../functions/kernel/ports/index.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorClientConfig } from "../support/moto.js";

// The scheduled delivery sweep through the deliveries worker's handler, with the real delivery store on dynalite and
// the in-process queue: EventBridge's fixed event re-queues the pending deliveries whose message was lost.
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

const NOW = new Date("2026-03-01T12:00:00.000Z");
const clock = { now: () => NOW };
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

const deliveryFactory = (id: string, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  id,
  owner: "uni-zed",
  status: "pending",
  attempts: 1,
  credentialId: `urn:uuid:${id}`,
  recipientKind: "email",
  recipientHash: "0".repeat(64),
  createdAt: minutesAgo(120),
  updatedAt: minutesAgo(60),
  nextAttemptAt: minutesAgo(60),
  expiresAt: "2026-04-01T00:00:00.000Z",
  ...overrides,
});

const payload = { recipient: { email: "ada@example.org" }, credential: "{}", sendEmail: false };

describe("the scheduled delivery sweep", () => {
  it("re-queues only the pending deliveries long overdue when the worker gets the sweep event", async () => {
    // Prepare
    const tableName = `gateway-${randomUUID()}`;
    await ensureTable(client, tableName);
    const deliveries = new DynamoDeliveryStore({ client: DynamoDBDocumentClient.from(client), tableName });
    const queue = new MemoryQueue({ clock });
    await deliveries.createDelivery(deliveryFactory("lost"), payload);
    await deliveries.createDelivery(deliveryFactory("due-soon", { nextAttemptAt: minutesAgo(-5) }), payload);
    await deliveries.createDelivery(deliveryFactory("just-late", { nextAttemptAt: minutesAgo(2) }), payload);
    // The sweep reads only the store and the queue: the rest of the gateway's dependencies are not built for it.
    const deps = { deliveries, deliveriesQueue: queue, clock } as unknown as DeliveryGatewayDeps;
    const handler = createDeliveriesWorkerHandler(async () => deps);
    // Act
    const summary = await handler(DELIVERY_SWEEP_EVENT);
    // Assess
    expect(summary).toEqual({ pending: 3, requeued: 1 });
    const messages = await queue.receive({ max: 10 });
    expect(messages.map((m) => m.body)).toEqual([{ type: "delivery", id: "lost" }]);
  });
});
