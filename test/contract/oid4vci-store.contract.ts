/**
 * The behaviour every {@link Oid4vciStore} must have. Each test gets a fresh, empty store from the factory.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../functions/kernel/errors.js";
import type { Oid4vciOffer, Oid4vciStore } from "../../functions/kernel/ports/index.js";

let sequence = 0;

const T0 = new Date("2025-03-01T10:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** An offer as the offer use case stores it (expiry on a whole second: the store keeps epoch seconds for TTL). */
export function anOffer(overrides: Partial<Oid4vciOffer> = {}): Oid4vciOffer {
  sequence += 1;
  return {
    id: `offer-${sequence}-${Math.random().toString(36).slice(2)}`,
    issuerSlug: "uni-zed",
    configurationId: "OpenBadgeCredential_ldp_vc",
    credential: {
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      name: "Zoë – ünïcode",
      deep: { a: { b: "" } },
    },
    codeHash: "a".repeat(64),
    txCode: { hash: "b".repeat(64), inputMode: "numeric", length: 6, description: "sent by mail" },
    createdAt: T0.toISOString(),
    codeExpiresAt: at(3600).toISOString(),
    expiresAt: at(4000).toISOString(),
    failedTxCodes: 0,
    ...overrides,
  };
}

const TOKEN = { tokenHash: "c".repeat(64), tokenExpiresAt: at(900).toISOString() };

/**
 * `raceSafe: false` leaves out the tests that race writers on one item: moto's DynamoDB server does not serialise
 * writes to an item (see the status-list contract); DynamoDB and dynalite do, and the dynalite run keeps them.
 */
export function oid4vciStoreContract(
  name: string,
  makeStore: () => Promise<Oid4vciStore>,
  { raceSafe = true }: { raceSafe?: boolean } = {},
): void {
  describe(`Oid4vciStore contract: ${name}`, () => {
    it("stores an offer and reads it back as it was; a second offer with the same id is a conflict", async () => {
      const store = await makeStore();
      const offer = anOffer();

      await store.putOffer(offer);

      expect(await store.getOffer(offer.id)).toStrictEqual(offer);
      await expect(store.putOffer({ ...offer, configurationId: "x" })).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "conflict",
      );
      expect(await store.getOffer("no-such-offer")).toBeUndefined();
    });

    it("redeems a code once, keeping the token's hash and expiry", async () => {
      const store = await makeStore();
      const offer = anOffer();
      await store.putOffer(offer);

      const first = await store.redeemCode(offer.id, TOKEN, at(10), 5);
      const second = await store.redeemCode(offer.id, { ...TOKEN, tokenHash: "d".repeat(64) }, at(11), 5);

      expect([first, second]).toEqual([true, false]);
      expect(await store.getOffer(offer.id)).toMatchObject({ ...TOKEN, redeemedAt: at(10).toISOString() });
    });

    it("refuses to redeem an expired code, an unknown offer, or a code locked by wrong transaction codes", async () => {
      const store = await makeStore();
      const expired = anOffer();
      const locked = anOffer();
      await store.putOffer(expired);
      await store.putOffer(locked);
      for (let i = 0; i < 3; i++) await store.recordFailedTxCode(locked.id);

      expect(await store.redeemCode(expired.id, TOKEN, at(3600), 5)).toBe(false);
      expect(await store.redeemCode("no-such-offer", TOKEN, at(10), 5)).toBe(false);
      expect(await store.redeemCode(locked.id, TOKEN, at(10), 3)).toBe(false);
      expect(await store.redeemCode(locked.id, TOKEN, at(10), 4)).toBe(true);
    });

    it("counts wrong transaction codes; counting for an unknown offer is not-found", async () => {
      const store = await makeStore();
      const offer = anOffer();
      await store.putOffer(offer);

      const counts = [await store.recordFailedTxCode(offer.id), await store.recordFailedTxCode(offer.id)];

      expect(counts).toEqual([1, 2]);
      expect((await store.getOffer(offer.id))?.failedTxCodes).toBe(2);
      await expect(store.recordFailedTxCode("no-such-offer")).rejects.toSatisfy(
        (e) => e instanceof GatewayError && e.code === "not-found",
      );
    });

    it("holds an issuance for one request at a time, lets a lapsed or released hold be taken, and issues once", async () => {
      const store = await makeStore();
      const offer = anOffer();
      await store.putOffer(offer);
      expect(await store.claimIssuance(offer.id, at(60).toISOString(), at(1), "h0")).toBe(false); // not redeemed yet
      await store.redeemCode(offer.id, TOKEN, at(1), 5);

      const first = await store.claimIssuance(offer.id, at(60).toISOString(), at(2), "h1");
      const whileHeld = await store.claimIssuance(offer.id, at(70).toISOString(), at(30), "h2");
      const afterLapse = await store.claimIssuance(offer.id, at(130).toISOString(), at(61), "h3");
      await store.releaseIssuance(offer.id, "h3");
      const afterRelease = await store.claimIssuance(offer.id, at(140).toISOString(), at(62), "h4");
      const completed = await store.completeIssuance(
        offer.id,
        { credentialId: "urn:uuid:1", at: at(63).toISOString() },
        "h4",
      );
      const afterIssue = await store.claimIssuance(offer.id, at(400).toISOString(), at(300), "h5");

      expect([first, whileHeld, afterLapse, afterRelease, completed, afterIssue]).toEqual([
        true,
        false,
        true,
        true,
        true,
        false,
      ]);
      const stored = await store.getOffer(offer.id);
      expect(stored).toMatchObject({ issuedAt: at(63).toISOString(), credentialId: "urn:uuid:1" });
      expect(stored?.credential).toBeUndefined();
      expect(stored?.issuingUntil).toBeUndefined();
      expect(stored?.issuingHolder).toBeUndefined();
    });

    it("completes or releases an issuance only for the request holding it: a slow holder whose hold was taken over gets false", async () => {
      const store = await makeStore();
      const offer = anOffer();
      await store.putOffer(offer);
      await store.redeemCode(offer.id, TOKEN, at(1), 5);
      await store.claimIssuance(offer.id, at(60).toISOString(), at(2), "slow");
      await store.claimIssuance(offer.id, at(130).toISOString(), at(70), "second"); // the slow hold lapsed

      await store.releaseIssuance(offer.id, "slow"); // must not free the second request's hold
      const slowCompletes = await store.completeIssuance(
        offer.id,
        { credentialId: "urn:uuid:slow", at: at(80).toISOString() },
        "slow",
      );
      const thirdClaims = await store.claimIssuance(offer.id, at(150).toISOString(), at(90), "third");
      const secondCompletes = await store.completeIssuance(
        offer.id,
        { credentialId: "urn:uuid:second", at: at(95).toISOString() },
        "second",
      );
      const secondAgain = await store.completeIssuance(
        offer.id,
        { credentialId: "urn:uuid:again", at: at(96).toISOString() },
        "second",
      );

      expect([slowCompletes, thirdClaims, secondCompletes, secondAgain]).toEqual([false, false, true, false]);
      expect(await store.getOffer(offer.id)).toMatchObject({
        issuedAt: at(95).toISOString(),
        credentialId: "urn:uuid:second",
      });
    });

    it("lets a holder whose hold lapsed complete when no other request took the offer", async () => {
      const store = await makeStore();
      const offer = anOffer();
      await store.putOffer(offer);
      await store.redeemCode(offer.id, TOKEN, at(1), 5);
      await store.claimIssuance(offer.id, at(60).toISOString(), at(2), "slow");

      const completed = await store.completeIssuance(
        offer.id,
        { credentialId: "urn:uuid:1", at: at(90).toISOString() },
        "slow",
      );
      const unknownOffer = await store.completeIssuance(
        "no-such-offer",
        { credentialId: "urn:uuid:2", at: at(90).toISOString() },
        "slow",
      );

      expect([completed, unknownOffer]).toEqual([true, false]);
      expect(await store.getOffer(offer.id)).toMatchObject({
        issuedAt: at(90).toISOString(),
        credentialId: "urn:uuid:1",
      });
    });

    it("uses a nonce once, and never an expired or unknown one", async () => {
      const store = await makeStore();
      await store.putNonce("e".repeat(64), at(300).toISOString());
      await store.putNonce("f".repeat(64), at(300).toISOString());

      const first = await store.consumeNonce("e".repeat(64), at(10));
      const replay = await store.consumeNonce("e".repeat(64), at(11));
      const expired = await store.consumeNonce("f".repeat(64), at(300));
      const unknown = await store.consumeNonce("0".repeat(64), at(10));

      expect([first, replay, expired, unknown]).toEqual([true, false, false, false]);
    });

    it.runIf(raceSafe)(
      "lets exactly one of many concurrent requests redeem a code, use a nonce, or hold the issuance",
      async () => {
        const store = await makeStore();
        const offer = anOffer();
        await store.putOffer(offer);
        await store.putNonce("9".repeat(64), at(300).toISOString());

        const redeemed = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.redeemCode(offer.id, { ...TOKEN, tokenHash: String(i).repeat(64) }, at(5), 5),
          ),
        );
        const used = await Promise.all(Array.from({ length: 8 }, () => store.consumeNonce("9".repeat(64), at(5))));
        const held = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.claimIssuance(offer.id, at(60).toISOString(), at(6), `h${i}`)),
        );

        expect(redeemed.filter(Boolean)).toHaveLength(1);
        expect(used.filter(Boolean)).toHaveLength(1);
        expect(held.filter(Boolean)).toHaveLength(1);
      },
    );
  });
}
