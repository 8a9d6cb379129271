import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDeliveryStore } from "../../functions/adapters/aws/delivery-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { MemoryQueue } from "../../functions/adapters/local/memory-queue.js";
import {
  createDelivery,
  type DeliveryWorkerDeps,
  processDeliveryMessage,
  requeuePending,
} from "../../functions/core/deliveries/deliveries.js";
import type { Clock, WalletAnswer, WalletClient, WalletRecipient } from "../../functions/kernel/ports/index.js";
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

// One deposit attempt at a time, with the real delivery store on dynalite, the in-process queue and a settable clock;
// the wallet is an in-memory twin that answers what each test scripts (the HTTP wallet is in wallet.test.ts).
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

class SettableClock implements Clock {
  t = Date.parse("2025-03-01T10:00:00.000Z");
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

/** A wallet that answers from a script, calling `during` (if set) while the deposit is "in flight". */
class ScriptedWallet implements WalletClient {
  readonly deposits: { recipient: WalletRecipient; file: string; sendEmail: boolean }[] = [];
  during?: () => Promise<void>;
  constructor(private readonly answers: WalletAnswer[]) {}
  async deposit(recipient: WalletRecipient, file: string, sendEmail: boolean): Promise<WalletAnswer> {
    this.deposits.push({ recipient, file, sendEmail });
    await this.during?.();
    return this.answers.shift() ?? { kind: "answered", status: 201, detail: "" };
  }
  fetchShared = async () => ({ kind: "network", detail: "not scripted" }) as const;
  fetchOwned = async () => ({ kind: "network", detail: "not scripted" }) as const;
}

async function setup(answers: WalletAnswer[], policy: Partial<DeliveryWorkerDeps["policy"]> = {}) {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  const clock = new SettableClock();
  const deliveries = new DynamoDeliveryStore({ client: DynamoDBDocumentClient.from(client), tableName });
  const queue = new MemoryQueue({ clock });
  const deadLetters = new MemoryQueue({ clock });
  const wallet = new ScriptedWallet(answers);
  const deps: DeliveryWorkerDeps = {
    deliveries,
    wallet,
    queue,
    deadLetters,
    clock,
    ids: randomIds,
    policy: { maxAttempts: 3, retryBaseMs: 2_000, retryMaxMs: 60_000, leaseMs: 15_000, ...policy },
    random: () => 0.5,
  };
  const { id } = await createDelivery(
    { deliveries, queue, clock, ids: randomIds, store: issuedNothing, walletConfigured: true },
    { role: "issuer", issuerId: "uni-zed" },
    { credential: { id: "urn:credential:1" }, recipient: { email: "ada@example.org" }, sendEmail: false },
  );
  const next = async () => {
    const [message] = await queue.receive({ max: 1 });
    if (!message) throw new Error("no message is visible");
    return message;
  };
  return { deps, clock, queue, deadLetters, wallet, deliveries, id, next };
}

const unavailable: WalletAnswer = { kind: "answered", status: 503, detail: "Service Unavailable" };

describe("processDeliveryMessage", () => {
  it("deposits the stored payload and ends delivered", async () => {
    const { deps, deliveries, wallet, id, next } = await setup([]);

    const result = await processDeliveryMessage(deps, await next());

    expect(result).toBe("delivered");
    expect(wallet.deposits).toEqual([
      { recipient: { email: "ada@example.org" }, file: '{"id":"urn:credential:1"}', sendEmail: false },
    ]);
    expect(await deliveries.getDelivery(id)).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("queues the next attempt after the jittered backoff, not before", async () => {
    const { deps, clock, queue, deliveries, id, next } = await setup([unavailable]);

    const result = await processDeliveryMessage(deps, await next());

    // Attempt 1 failed: ceiling 2 s, jitter 0.5 → 1 s.
    expect(result).toBe("retry");
    expect(await deliveries.getDelivery(id)).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "the wallet answered 503: Service Unavailable",
      nextAttemptAt: "2025-03-01T10:00:01.000Z",
    });
    expect(await queue.receive()).toEqual([]);
    clock.advance(1_000);
    expect(await queue.receive()).toHaveLength(1);
  });

  it("fails after the last attempt and sends the delivery to the dead-letter queue", async () => {
    const { deps, clock, deadLetters, deliveries, id, next } = await setup([unavailable, unavailable, unavailable]);

    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await processDeliveryMessage(deps, await next()));
      clock.advance(10_000);
    }

    expect(results).toEqual(["retry", "retry", "failed"]);
    expect(await deliveries.getDelivery(id)).toMatchObject({
      status: "failed",
      attempts: 3,
      deadLettered: true,
      lastError: expect.stringMatching(/503.*gave up after 3 attempts$/),
    });
    const [letter] = await deadLetters.receive();
    expect(letter?.body).toMatchObject({ type: "delivery", id });
  });

  it("queues a message that finds the delivery leased again for when the lease ends", async () => {
    const { deps, clock, queue, deliveries, id, next } = await setup([]);
    const message = await next();
    await deliveries.claimAttempt(id, {
      token: "another-worker",
      now: clock.now().toISOString(),
      until: new Date(clock.t + 15_000).toISOString(),
    });

    const result = await processDeliveryMessage(deps, message);

    expect(result).toBe("deferred");
    clock.advance(15_000);
    expect(await queue.receive()).toEqual([]);
    clock.advance(1_000);
    expect(await queue.receive()).toHaveLength(1);
  });

  it("queues a duplicate message that arrives before the next attempt is due again for then, without an early attempt", async () => {
    // Prepare: attempt 1 fails (ceiling 20 s, jitter 0.5 → next attempt in 10 s); SQS then hands its message out again.
    const { deps, clock, queue, deliveries, wallet, id, next } = await setup([unavailable], { retryBaseMs: 20_000 });
    const message = await next();
    await processDeliveryMessage(deps, message);
    await queue.ack(message);
    clock.advance(2_000);

    // Act
    const duplicate = await processDeliveryMessage(deps, message);

    // Assess
    expect(duplicate).toBe("deferred");
    expect(wallet.deposits).toHaveLength(1);
    expect(await deliveries.getDelivery(id)).toMatchObject({ status: "pending", attempts: 1 });
    clock.advance(7_000);
    expect(await queue.receive()).toEqual([]);
    clock.advance(1_000);
    expect(await queue.receive({ max: 10 })).toHaveLength(2);
  });

  it("writes nothing when its lease was taken over during the deposit", async () => {
    const { deps, clock, deliveries, wallet, id, next } = await setup([]);
    wallet.during = async () => {
      clock.advance(20_000);
      await deliveries.claimAttempt(id, {
        token: "took-over",
        now: clock.now().toISOString(),
        until: new Date(clock.t + 15_000).toISOString(),
      });
    };

    const result = await processDeliveryMessage(deps, await next());

    expect(result).toBe("skipped");
    expect(await deliveries.getDelivery(id)).toMatchObject({ status: "pending", attempts: 2 });
  });

  it("drops a message for a delivery that has ended", async () => {
    const { deps, wallet, next } = await setup([]);
    const message = await next();
    await processDeliveryMessage(deps, message);

    const again = await processDeliveryMessage(deps, message);

    expect(again).toBe("skipped");
    expect(wallet.deposits).toHaveLength(1);
  });
});

describe("requeuePending", () => {
  it("queues every pending delivery again, when its attempt is due or its lease ends", async () => {
    const { deps, clock, deliveries, id } = await setup([]);
    await deliveries.claimAttempt(id, {
      token: "dead-worker",
      now: clock.now().toISOString(),
      until: new Date(clock.t + 15_000).toISOString(),
    });
    const fresh = new MemoryQueue({ clock });

    const count = await requeuePending({ deliveries: deps.deliveries, queue: fresh, clock });

    expect(count).toBe(1);
    clock.advance(15_000);
    expect(await fresh.receive()).toEqual([]);
    clock.advance(1_000);
    const [message] = await fresh.receive();
    expect(await processDeliveryMessage({ ...deps, queue: fresh }, message as never)).toBe("delivered");
  });
});
