/**
 * The behaviour every {@link StatusListStore} must have. Each test gets a fresh, empty store from the factory; the
 * factory's `listSize` makes lists small enough to fill in a test.
 */

import { describe, expect, it } from "vitest";
import { getBit } from "../../functions/core/status/bitstring.js";
import { GatewayError } from "../../functions/kernel/errors.js";
import type { StatusEvent, StatusListStore } from "../../functions/kernel/ports/index.js";

export type StatusStoreFactory = (options?: { listSize?: number }) => Promise<StatusListStore>;

const NOW = new Date("2025-05-01T12:00:00.000Z");
const LATER = new Date("2025-05-02T08:30:00.000Z");

let sequence = 0;
const aSlug = () => `issuer-${++sequence}-${Math.floor(Math.random() * 1e6)}`;

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

const keyOf = (a: { listId: string; index: number }) => `${a.listId}#${a.index}`;

/** Registers the StatusListStore contract tests for one implementation. */
/**
 * `raceSafe: false` leaves out the tests that race many writers on ONE item: moto's DynamoDB server handles
 * requests on threads without serialising writes to an item, so a conditional update there can read a stale item
 * (seen as a rare duplicate index); DynamoDB and dynalite serialise them, and the dynalite run keeps those tests.
 */
export function statusStoreContract(
  name: string,
  create: StatusStoreFactory,
  { raceSafe = true }: { raceSafe?: boolean } = {},
): void {
  describe(`StatusListStore contract: ${name}`, () => {
    describe("allocation", () => {
      it("hands out indexes from 0 in the issuer's first list, which starts all clear", async () => {
        // Prepare
        const store = await create();
        const slug = aSlug();
        // Act
        const first = await store.allocate(slug, "revocation", NOW);
        const second = await store.allocate(slug, "revocation", NOW);
        const list = await store.getList(first.listId);
        // Assess
        expect(first).toEqual({ listId: `${slug}.revocation.0`, index: 0 });
        expect(second).toEqual({ listId: `${slug}.revocation.0`, index: 1 });
        expect(list).toMatchObject({
          listId: first.listId,
          issuerSlug: slug,
          purpose: "revocation",
          size: 131_072,
          allocated: 2,
          version: 0,
          createdAt: NOW.toISOString(),
          updatedAt: NOW.toISOString(),
        });
        expect(list?.bits.length).toBe(131_072 / 8);
        expect(list?.bits.every((byte) => byte === 0)).toBe(true);
      });

      it.runIf(raceSafe)("gives 50 concurrent allocations 50 distinct indexes", async () => {
        // Prepare
        const store = await create();
        const slug = aSlug();
        // Act
        const allocations = await Promise.all(
          Array.from({ length: 50 }, () => store.allocate(slug, "revocation", NOW)),
        );
        // Assess
        expect(new Set(allocations.map(keyOf)).size).toBe(50);
        expect(allocations.map((a) => a.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect((await store.getList(`${slug}.revocation.0`))?.allocated).toBe(50);
      });

      it.runIf(raceSafe)(
        "starts the next list when one is full, also under concurrency, and never reuses an index",
        async () => {
          // Prepare
          const store = await create({ listSize: 16 });
          const slug = aSlug();
          // Act
          const allocations = await Promise.all(
            Array.from({ length: 40 }, () => store.allocate(slug, "revocation", NOW)),
          );
          const after = await store.allocate(slug, "revocation", NOW);
          // Assess
          const all = [...allocations, after];
          expect(new Set(all.map(keyOf)).size).toBe(41);
          expect(all.every((a) => a.index >= 0 && a.index < 16)).toBe(true);
          const lists = new Set(all.map((a) => a.listId));
          expect([...lists].sort()).toEqual([`${slug}.revocation.0`, `${slug}.revocation.1`, `${slug}.revocation.2`]);
          expect((await store.getList(`${slug}.revocation.0`))?.allocated).toBe(16);
          expect(after).toEqual({ listId: `${slug}.revocation.2`, index: 8 });
        },
      );

      it("hands out a block of consecutive indexes in one list, after and before single ones", async () => {
        // Prepare
        const store = await create({ listSize: 64 });
        const slug = aSlug();
        // Act
        const single = await store.allocate(slug, "revocation", NOW);
        const block = await store.allocateBlock(slug, "revocation", 20, NOW);
        const next = await store.allocate(slug, "revocation", NOW);
        // Assess
        expect(single).toEqual({ listId: `${slug}.revocation.0`, index: 0 });
        expect(block).toEqual({ listId: `${slug}.revocation.0`, start: 1, count: 20 });
        expect(next).toEqual({ listId: `${slug}.revocation.0`, index: 21 });
        expect((await store.getList(block.listId))?.allocated).toBe(22);
      });

      it("takes a block that does not fit in what is left of the list from the next list, never reusing an index", async () => {
        // Prepare: 64 entries a list, 50 taken
        const store = await create({ listSize: 64 });
        const slug = aSlug();
        await store.allocateBlock(slug, "revocation", 50, NOW);
        // Act
        const block = await store.allocateBlock(slug, "revocation", 20, NOW);
        const single = await store.allocate(slug, "revocation", NOW);
        // Assess: the 14 left in list 0 are never handed out (its allocated count stays 50)
        expect(block).toEqual({ listId: `${slug}.revocation.1`, start: 0, count: 20 });
        expect(single).toEqual({ listId: `${slug}.revocation.1`, index: 20 });
        expect((await store.getList(`${slug}.revocation.0`))?.allocated).toBe(50);
        await expect(store.allocateBlock(slug, "revocation", 65, NOW)).rejects.toThrow(RangeError);
      });

      it.runIf(raceSafe)("gives concurrent blocks and single allocations disjoint indexes", async () => {
        // Prepare
        const store = await create({ listSize: 64 });
        const slug = aSlug();
        // Act
        const blocks = await Promise.all(
          Array.from({ length: 8 }, () => store.allocateBlock(slug, "revocation", 10, NOW)),
        );
        const singles = await Promise.all(Array.from({ length: 10 }, () => store.allocate(slug, "revocation", NOW)));
        // Assess
        const taken = [
          ...blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => `${b.listId}#${b.start + i}`)),
          ...singles.map(keyOf),
        ];
        expect(new Set(taken).size).toBe(90);
      });

      it("keeps separate lists per issuer and per purpose", async () => {
        // Prepare
        const store = await create();
        const a = aSlug();
        const b = aSlug();
        // Act
        const revocation = await store.allocate(a, "revocation", NOW);
        const suspension = await store.allocate(a, "suspension", NOW);
        const other = await store.allocate(b, "revocation", NOW);
        // Assess
        expect(revocation).toEqual({ listId: `${a}.revocation.0`, index: 0 });
        expect(suspension).toEqual({ listId: `${a}.suspension.0`, index: 0 });
        expect(other).toEqual({ listId: `${b}.revocation.0`, index: 0 });
        expect((await store.getList(suspension.listId))?.purpose).toBe("suspension");
      });
    });

    describe("bits", () => {
      it("sets and clears a bit, bumping the version only when something changes", async () => {
        // Prepare
        const store = await create();
        const { listId, index } = await store.allocate(aSlug(), "suspension", NOW);
        // Act
        const set = await store.setBit(listId, index, true, LATER);
        const again = await store.setBit(listId, index, true, LATER);
        const afterSet = await store.getList(listId);
        const cleared = await store.setBit(listId, index, false, LATER);
        const afterClear = await store.getList(listId);
        // Assess
        expect(set.changed).toBe(true);
        expect(set.list.version).toBe(1);
        expect(again.changed).toBe(false);
        expect(afterSet?.version).toBe(1);
        expect(afterSet?.updatedAt).toBe(LATER.toISOString());
        expect(afterSet && getBit(afterSet.bits, index)).toBe(true);
        expect(cleared.changed).toBe(true);
        expect(afterClear?.version).toBe(2);
        expect(afterClear && getBit(afterClear.bits, index)).toBe(false);
      });

      it.runIf(raceSafe)("loses no change when writers race on one list (version conflicts are retried)", async () => {
        // Prepare
        const store = await create();
        const slug = aSlug();
        const entries = await Promise.all(Array.from({ length: 6 }, () => store.allocate(slug, "revocation", NOW)));
        // Act: every write but one per round fails its version condition and must be retried
        const results = await Promise.all(entries.map((e) => store.setBit(e.listId, e.index, true, LATER)));
        // Assess
        const list = await store.getList(`${slug}.revocation.0`);
        expect(results.every((r) => r.changed)).toBe(true);
        expect(list?.version).toBe(6);
        for (const e of entries) expect(list && getBit(list.bits, e.index)).toBe(true);
        expect(list && getBit(list.bits, 6)).toBe(false);
      });

      it("answers not-found for an unknown list and for an index never allocated", async () => {
        // Prepare
        const store = await create();
        const { listId } = await store.allocate(aSlug(), "revocation", NOW);
        // Act
        const unknownList = await rejection(store.setBit("nobody.revocation.0", 0, true, NOW));
        const unallocated = await rejection(store.setBit(listId, 5, true, NOW));
        // Assess
        expect(unknownList.code).toBe("not-found");
        expect(unallocated.code).toBe("not-found");
        expect(await store.getList("nobody.revocation.0")).toBeUndefined();
      });
    });

    describe("audit trail", () => {
      it("returns a credential's status events oldest first, and no one else's", async () => {
        // Prepare
        const store = await create();
        const credentialId = `urn:uuid:${crypto.randomUUID()}`;
        const event = (at: Date, action: StatusEvent["action"]): StatusEvent => ({
          id: crypto.randomUUID(),
          credentialId,
          issuerSlug: "uni",
          action,
          purpose: action === "revoke" ? "revocation" : "suspension",
          listId: "uni.suspension.0",
          index: 3,
          actor: "issuer:token-1",
          at: at.toISOString(),
        });
        const later = event(LATER, "unsuspend");
        const earlier = event(NOW, "suspend");
        // Act
        await store.putStatusEvent(later);
        await store.putStatusEvent(earlier);
        await store.putStatusEvent({ ...event(NOW, "revoke"), credentialId: "urn:uuid:someone-else" });
        // Assess
        expect(await store.listStatusEvents(credentialId)).toStrictEqual([earlier, later]);
        expect(await store.listStatusEvents("urn:uuid:nobody")).toEqual([]);
      });
    });
  });
}
