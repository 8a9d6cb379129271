/**
 * The behaviour every {@link DeliveryStore} must have. Each test gets a fresh, empty store from the factory.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../functions/kernel/errors.js";
import type { DeliveryPayload, DeliveryRecord, DeliveryStore } from "../../functions/kernel/ports/index.js";

let sequence = 0;

/** A delivery as `POST /v1/deliveries` creates it (expiry on a whole second: the store keeps epoch seconds). */
export function aDelivery(overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  sequence += 1;
  return {
    id: `delivery-${sequence}-${Math.random().toString(36).slice(2)}`,
    owner: "uni-zed",
    status: "pending",
    attempts: 0,
    credentialId: `urn:credential:${sequence}`,
    recipientKind: "email",
    recipientHash: "a".repeat(64),
    createdAt: `2025-03-01T10:00:${String(sequence % 60).padStart(2, "0")}.000Z`,
    updatedAt: "2025-03-01T10:00:00.000Z",
    nextAttemptAt: "2025-03-01T10:00:00.000Z",
    expiresAt: "2025-03-31T10:00:00.000Z",
    ...overrides,
  };
}

export function aPayload(overrides: Partial<DeliveryPayload> = {}): DeliveryPayload {
  return {
    recipient: { email: "learner@example.org" },
    credential: JSON.stringify({ payload: '{"id":"urn:credential:1"}', signatures: [] }),
    sendEmail: true,
    ...overrides,
  };
}

const T0 = "2025-03-01T10:00:00.000Z";
const T1 = "2025-03-01T10:00:10.000Z";
const T2 = "2025-03-01T10:00:20.000Z";

export function deliveryStoreContract(
  name: string,
  makeStore: () => Promise<DeliveryStore>,
  { raceSafe = true }: { raceSafe?: boolean } = {},
): void {
  describe(`DeliveryStore contract: ${name}`, () => {
    it("stores a delivery and reads it back without its payload; a second one with the same id is a conflict", async () => {
      const store = await makeStore();
      const delivery = aDelivery();

      await store.createDelivery(delivery, aPayload());

      expect(await store.getDelivery(delivery.id)).toStrictEqual(delivery);
      await expect(store.createDelivery({ ...delivery, attempts: 3 }, aPayload())).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "conflict",
      );
      expect(await store.getDelivery("no-such-delivery")).toBeUndefined();
    });

    it("claims an attempt: counts it, leases the delivery and hands out the payload", async () => {
      const store = await makeStore();
      const delivery = aDelivery();
      const payload = aPayload({ recipient: { walletId: "wallet-7" }, sendEmail: false });
      await store.createDelivery(delivery, payload);

      const claimed = await store.claimAttempt(delivery.id, { token: "lease-1", now: T0, until: T1 });

      expect(claimed?.payload).toStrictEqual(payload);
      expect(claimed?.record).toMatchObject({ id: delivery.id, attempts: 1, status: "pending", leaseUntil: T1 });
    });

    it("refuses a second claim while the lease runs, and allows one once it has expired", async () => {
      const store = await makeStore();
      const delivery = aDelivery();
      await store.createDelivery(delivery, aPayload());
      await store.claimAttempt(delivery.id, { token: "lease-1", now: T0, until: T1 });

      const during = await store.claimAttempt(delivery.id, { token: "lease-2", now: T0, until: T2 });
      const after = await store.claimAttempt(delivery.id, { token: "lease-3", now: T2, until: T2 });

      expect(during).toBeUndefined();
      expect(after?.record.attempts).toBe(2);
    });

    it("records a retry: the delivery stays pending with its error and next attempt, and the lease is free", async () => {
      const store = await makeStore();
      const delivery = aDelivery();
      await store.createDelivery(delivery, aPayload());
      await store.claimAttempt(delivery.id, { token: "lease-1", now: T0, until: T2 });

      const written = await store.finishAttempt(delivery.id, "lease-1", {
        status: "pending",
        at: T1,
        lastError: "the wallet answered 503",
        nextAttemptAt: T2,
      });
      const again = await store.claimAttempt(delivery.id, { token: "lease-2", now: T1, until: T2 });

      expect(written).toBe(true);
      expect(again?.record).toMatchObject({
        status: "pending",
        attempts: 2,
        lastError: "the wallet answered 503",
        nextAttemptAt: T2,
      });
    });

    it("ends a delivery: delivered with a note, the payload gone, no further claim", async () => {
      const store = await makeStore();
      const delivery = aDelivery();
      await store.createDelivery(delivery, aPayload());
      await store.claimAttempt(delivery.id, { token: "lease-1", now: T0, until: T1 });

      await store.finishAttempt(delivery.id, "lease-1", { status: "delivered", at: T1, note: "already held (409)" });

      const stored = await store.getDelivery(delivery.id);
      expect(stored).toMatchObject({ status: "delivered", attempts: 1, updatedAt: T1, note: "already held (409)" });
      expect(stored?.leaseUntil).toBeUndefined();
      expect(stored?.nextAttemptAt).toBeUndefined();
      expect(await store.claimAttempt(delivery.id, { token: "lease-2", now: T2, until: T2 })).toBeUndefined();
    });

    it("ends a delivery as failed with the reason and whether it was dead-lettered", async () => {
      const store = await makeStore();
      const delivery = aDelivery();
      await store.createDelivery(delivery, aPayload());
      await store.claimAttempt(delivery.id, { token: "lease-1", now: T0, until: T1 });

      await store.finishAttempt(delivery.id, "lease-1", {
        status: "failed",
        at: T1,
        lastError: "gave up after 8 attempts",
        deadLettered: true,
      });

      expect(await store.getDelivery(delivery.id)).toMatchObject({
        status: "failed",
        lastError: "gave up after 8 attempts",
        deadLettered: true,
      });
    });

    it("writes nothing for a lease that is not the current one", async () => {
      const store = await makeStore();
      const delivery = aDelivery();
      await store.createDelivery(delivery, aPayload());
      await store.claimAttempt(delivery.id, { token: "lease-1", now: T0, until: T1 });
      await store.claimAttempt(delivery.id, { token: "lease-2", now: T2, until: T2 });

      const stale = await store.finishAttempt(delivery.id, "lease-1", { status: "delivered", at: T2 });

      expect(stale).toBe(false);
      expect((await store.getDelivery(delivery.id))?.status).toBe("pending");
    });

    it("lists every pending delivery, a page at a time, and not the ended ones", async () => {
      const store = await makeStore();
      const deliveries = [1, 2, 3, 4, 5].map(() => aDelivery());
      for (const d of deliveries) await store.createDelivery(d, aPayload());
      const ended = deliveries[1] as DeliveryRecord;
      await store.claimAttempt(ended.id, { token: "lease", now: T0, until: T1 });
      await store.finishAttempt(ended.id, "lease", { status: "delivered", at: T1 });
      const leased = deliveries[2] as DeliveryRecord;
      await store.claimAttempt(leased.id, { token: "lease", now: T0, until: T1 });

      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listPending({ limit: 2, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((d) => d.id));
        expect(page.items.length).toBeLessThanOrEqual(2);
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== undefined && pages < 10);

      expect(ids.sort()).toEqual(
        deliveries
          .filter((d) => d !== ended)
          .map((d) => d.id)
          .sort(),
      );
      expect(pages).toBeGreaterThan(1);
    });

    it.runIf(raceSafe)("gives one lease to one of many concurrent claims", async () => {
      const store = await makeStore();
      const delivery = aDelivery();
      await store.createDelivery(delivery, aPayload());

      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.claimAttempt(delivery.id, { token: `lease-${i}`, now: T0, until: T1 }),
        ),
      );

      expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
      expect((await store.getDelivery(delivery.id))?.attempts).toBe(1);
    });
  });
}
