/**
 * The behaviour every {@link CredentialStore} must have, whatever holds the data. Each test gets a fresh, empty store
 * from the factory.
 */

import { describe, expect, it } from "vitest";
import { GatewayError } from "../../functions/kernel/errors.js";
import type {
  CredentialStore,
  IssuerCertificate,
  IssuerRecord,
  TokenRecord,
} from "../../functions/kernel/ports/index.js";

let sequence = 0;

/** A fully populated issuer: every optional member set, so that a store dropping one fails the round trip. */
export function anIssuer(overrides: Partial<IssuerRecord> = {}): IssuerRecord {
  sequence += 1;
  const slug = overrides.slug ?? `issuer-${sequence}`;
  return {
    id: `did:web:gateway.example:issuers:${slug}`,
    slug,
    didMethod: "web",
    name: "Universität Beispiel – Zentrum für Weiterbildung",
    country: "DE",
    legalIdentifier: "DE-123456789",
    homepage: "https://uni.example",
    email: "credentials@uni.example",
    keys: [
      {
        fragment: "key-ed25519",
        type: "Ed25519",
        keyRef: "ref-ed",
        publicJwk: { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" },
        algorithms: ["EdDSA"],
      },
      {
        fragment: "key-rsa",
        type: "RSA-2048",
        keyRef: "ref-rsa",
        publicJwk: { kty: "RSA", n: "sXch", e: "AQAB" },
        algorithms: ["RS256", "PS256"],
      },
    ],
    certificates: [aCertificate()],
    createdAt: "2025-01-15T10:00:00.000Z",
    ...overrides,
  };
}

/** A stored eSeal chain (the DER is opaque to the store: any base64 round-trips). */
export function aCertificate(overrides: Partial<IssuerCertificate> = {}): IssuerCertificate {
  return {
    keyFragment: "key-rsa",
    chain: ["MIIBleafAAAA", "MIIBcaBBBB=="],
    qualified: false,
    notAfter: "2026-01-15T10:00:00.000Z",
    ...overrides,
  };
}

/** An issuer with only the required members. */
export function aMinimalIssuer(overrides: Partial<IssuerRecord> = {}): IssuerRecord {
  sequence += 1;
  const slug = overrides.slug ?? `minimal-${sequence}`;
  return {
    id: `did:web:gateway.example:issuers:${slug}`,
    slug,
    didMethod: "key",
    name: "Minimal",
    country: "FR",
    keys: [],
    createdAt: "2025-02-01T00:00:00.000Z",
    ...overrides,
  };
}

export function aToken(overrides: Partial<TokenRecord> = {}): TokenRecord {
  sequence += 1;
  return {
    tokenId: `token-${sequence}`,
    secretHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    role: "issuer",
    issuerId: "did:web:gateway.example:issuers:uni",
    createdAt: "2025-03-01T08:30:00.000Z",
    revokedAt: "2025-04-01T08:30:00.000Z",
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

/** Registers the CredentialStore contract tests for one implementation. */
export function credentialStoreContract(name: string, create: () => Promise<CredentialStore>): void {
  describe(`CredentialStore contract: ${name}`, () => {
    describe("issuers", () => {
      it("returns a stored issuer exactly as it was put", async () => {
        // Prepare
        const store = await create();
        const issuer = anIssuer();
        // Act
        await store.putIssuer(issuer);
        const read = await store.getIssuer(issuer.slug);
        // Assess
        expect(read).toStrictEqual(issuer);
      });

      it("round-trips an issuer with no optional members without adding any", async () => {
        // Prepare
        const store = await create();
        const issuer = aMinimalIssuer();
        // Act
        await store.putIssuer(issuer);
        const read = await store.getIssuer(issuer.slug);
        // Assess
        expect(read).toStrictEqual(issuer);
      });

      it("answers undefined for an issuer that does not exist", async () => {
        // Prepare
        const store = await create();
        // Act
        const read = await store.getIssuer("nobody");
        // Assess
        expect(read).toBeUndefined();
      });

      it("refuses a second issuer with the same slug as a conflict and keeps the first", async () => {
        // Prepare
        const store = await create();
        const first = anIssuer({ slug: "taken" });
        await store.putIssuer(first);
        // Act
        const error = await rejection(store.putIssuer(anIssuer({ slug: "taken", name: "Impostor" })));
        // Assess
        expect(error.code).toBe("conflict");
        expect(await store.getIssuer("taken")).toStrictEqual(first);
      });
    });

    describe("issuer lookup by DID", () => {
      it("finds a did:key issuer by its DID", async () => {
        // Prepare
        const store = await create();
        const did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
        const issuer = anIssuer({ id: did, didMethod: "key" });
        await store.putIssuer(anIssuer());
        await store.putIssuer(issuer);
        // Act
        const found = await store.findIssuerByDid(did);
        // Assess
        expect(found).toStrictEqual(issuer);
      });

      it("finds a did:web issuer by its DID and answers undefined for an unknown DID", async () => {
        // Prepare
        const store = await create();
        const issuer = anIssuer();
        await store.putIssuer(issuer);
        // Act
        const found = await store.findIssuerByDid(issuer.id);
        const unknown = await store.findIssuerByDid("did:key:z6MkunknownunknownunknownunknownunknownunknownXX");
        // Assess
        expect(found).toStrictEqual(issuer);
        expect(unknown).toBeUndefined();
      });

      it("does not let a refused second registration under a taken slug take over the first issuer's DID", async () => {
        // Prepare
        const store = await create();
        const first = anIssuer({ slug: "held" });
        await store.putIssuer(first);
        const impostor = anIssuer({ slug: "held", id: "did:key:z6MkimpostorimpostorimpostorimpostorimpostorXX" });
        // Act
        await rejection(store.putIssuer(impostor));
        // Assess
        expect(await store.findIssuerByDid(impostor.id)).toBeUndefined();
        expect(await store.findIssuerByDid(first.id)).toStrictEqual(first);
      });
    });

    describe("issuer lookup by seal certificate", () => {
      it("finds an issuer by the leaf of a chain it was registered with, and of a chain set later", async () => {
        // Prepare
        const store = await create();
        const registered = anIssuer({ certificates: [aCertificate({ chain: ["MIIBregistered", "MIIBca"] })] });
        const later = aMinimalIssuer();
        await store.putIssuer(registered);
        await store.putIssuer(later);
        await store.setIssuerCertificates(later.slug, [aCertificate({ chain: ["MIIBlater"] })]);
        // Act
        const byRegistered = await store.findIssuerByCertificate("MIIBregistered");
        const byLater = await store.findIssuerByCertificate("MIIBlater");
        const byCa = await store.findIssuerByCertificate("MIIBca");
        // Assess
        expect(byRegistered?.slug).toBe(registered.slug);
        expect(byLater?.slug).toBe(later.slug);
        expect(byCa).toBeUndefined();
      });

      it("no longer finds an issuer by a certificate it replaced", async () => {
        // Prepare
        const store = await create();
        const issuer = anIssuer({ certificates: [aCertificate({ chain: ["MIIBold"] })] });
        await store.putIssuer(issuer);
        // Act
        await store.setIssuerCertificates(issuer.slug, [aCertificate({ chain: ["MIIBnew"] })]);
        // Assess
        expect(await store.findIssuerByCertificate("MIIBold")).toBeUndefined();
        expect((await store.findIssuerByCertificate("MIIBnew"))?.slug).toBe(issuer.slug);
      });
    });

    describe("issuer certificates", () => {
      it("replaces an issuer's certificate chains and leaves the rest of the record as it was", async () => {
        // Prepare
        const store = await create();
        const issuer = anIssuer();
        await store.putIssuer(issuer);
        const chains = [
          aCertificate({ keyFragment: "key-rsa", qualified: true }),
          aCertificate({ keyFragment: "key-p256", chain: ["MIIBp256"] }),
        ];
        // Act
        await store.setIssuerCertificates(issuer.slug, chains);
        const read = await store.getIssuer(issuer.slug);
        // Assess
        expect(read).toStrictEqual({ ...issuer, certificates: chains });
      });

      it("gives an issuer registered without certificates its first chain", async () => {
        // Prepare
        const store = await create();
        const issuer = aMinimalIssuer();
        await store.putIssuer(issuer);
        // Act
        await store.setIssuerCertificates(issuer.slug, [aCertificate()]);
        // Assess
        expect(await store.getIssuer(issuer.slug)).toStrictEqual({ ...issuer, certificates: [aCertificate()] });
        expect((await store.listIssuers()).items).toStrictEqual([{ ...issuer, certificates: [aCertificate()] }]);
      });

      it("answers not-found for an unknown or only reserved slug, and creates nothing", async () => {
        // Prepare
        const store = await create();
        await store.reserveSlug("pending", {
          now: new Date("2026-01-01T00:00:00Z"),
          until: new Date("2026-01-01T00:10:00Z"),
        });
        // Act
        const unknown = await rejection(store.setIssuerCertificates("nobody", [aCertificate()]));
        const reserved = await rejection(store.setIssuerCertificates("pending", [aCertificate()]));
        // Assess
        expect(unknown.code).toBe("not-found");
        expect(reserved.code).toBe("not-found");
        expect(await store.getIssuer("nobody")).toBeUndefined();
        expect(await store.getIssuer("pending")).toBeUndefined();
      });
    });

    describe("key rotation", () => {
      it("appends a key to a registered issuer, keeping the earlier ones", async () => {
        // Prepare
        const store = await create();
        const issuer = anIssuer({ slug: "rotating" });
        await store.putIssuer(issuer);
        const first = issuer.keys[0];
        if (!first) throw new Error("fixture has no key");
        const added = { ...first, fragment: `${first.fragment}-2`, keyRef: "new-ref" };
        // Act
        await store.addIssuerKey("rotating", added);
        // Assess
        expect((await store.getIssuer("rotating"))?.keys).toStrictEqual([...issuer.keys, added]);
      });

      it("answers not-found for an unknown issuer and creates nothing", async () => {
        // Prepare
        const store = await create();
        const key = anIssuer().keys[0];
        if (!key) throw new Error("fixture has no key");
        // Act
        const error = await rejection(store.addIssuerKey("nobody", key));
        // Assess
        expect(error.code).toBe("not-found");
        expect(await store.getIssuer("nobody")).toBeUndefined();
      });
    });

    describe("slug reservations", () => {
      const at = (iso: string) => new Date(iso);
      const window = (now: string, until: string) => ({ now: at(now), until: at(until) });

      it("holds a slug for one registration: a second reservation is a conflict", async () => {
        // Prepare
        const store = await create();
        await store.reserveSlug("held", window("2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z"));
        // Act
        const error = await rejection(
          store.reserveSlug("held", window("2026-01-01T00:01:00Z", "2026-01-01T00:11:00Z")),
        );
        // Assess
        expect(error.code).toBe("conflict");
        expect(error.issues).toEqual([{ pointer: "/body/slug", detail: "already taken" }]);
      });

      it("lets an expired reservation be taken over", async () => {
        // Prepare
        const store = await create();
        await store.reserveSlug("stale", window("2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z"));
        // Act
        const retaken = store.reserveSlug("stale", window("2026-01-01T00:20:00Z", "2026-01-01T00:30:00Z"));
        // Assess
        await expect(retaken).resolves.toBeUndefined();
      });

      it("refuses to reserve the slug of a registered issuer, and reservations are not issuers", async () => {
        // Prepare
        const store = await create();
        await store.putIssuer(anIssuer({ slug: "registered" }));
        await store.reserveSlug("pending", window("2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z"));
        // Act
        const error = await rejection(
          store.reserveSlug("registered", window("2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z")),
        );
        // Assess
        expect(error.code).toBe("conflict");
        expect(await store.getIssuer("pending")).toBeUndefined();
        expect((await store.listIssuers()).items.map((i) => i.slug)).toEqual(["registered"]);
      });
    });

    describe("issuance and idempotency records", () => {
      const issuance = (credentialId: string) => ({
        credentialId,
        issuerSlug: "uni",
        format: "ob3" as const,
        proof: "eddsa-rdfc-2022" as const,
        contentHash: "ab".repeat(32),
        issuedAt: "2026-01-01T00:00:00.000Z",
      });
      const claim = (key: string, expiresAt = "2026-01-02T00:00:00.000Z") => ({
        issuerSlug: "uni",
        key,
        requestHash: "cd".repeat(32),
        createdAt: "2026-01-01T00:00:00.000Z",
        expiresAt,
      });
      const at = (iso: string) => new Date(iso);

      it("records an issued credential once: a second record for the same id is a conflict", async () => {
        // Prepare
        const store = await create();
        await store.putIssuance(issuance("urn:uuid:1"));
        // Act
        const error = await rejection(store.putIssuance({ ...issuance("urn:uuid:1"), contentHash: "ef".repeat(32) }));
        // Assess
        expect(error.code).toBe("conflict");
        expect(await store.getIssuance("urn:uuid:1")).toStrictEqual(issuance("urn:uuid:1"));
        expect(await store.getIssuance("urn:uuid:2")).toBeUndefined();
      });

      it("records a batch of issued credentials (more than 25), replacing a record of the same id", async () => {
        // Prepare: a bulk job's chunk of 60 credentials, one of them recorded before (an earlier attempt's)
        const store = await create();
        const ids = Array.from({ length: 60 }, (_, i) => `urn:uuid:batch-${i}-${Math.random()}`);
        await store.putIssuance(issuance(ids[7] as string));
        const records = ids.map((id, i) => ({ ...issuance(id), statusListId: "uni.revocation.0", statusListIndex: i }));
        // Act
        await store.putIssuances(records);
        await store.putIssuances([]);
        // Assess
        for (const record of records) expect(await store.getIssuance(record.credentialId)).toStrictEqual(record);
      });

      it("claims a key, refuses a second claim while it holds, and keeps the response once done", async () => {
        // Prepare
        const store = await create();
        await store.claimIdempotency(claim("k1"), at("2026-01-01T00:00:00Z"));
        // Act
        const second = await rejection(store.claimIdempotency(claim("k1"), at("2026-01-01T00:05:00Z")));
        const pending = await store.getIdempotency("uni", "k1");
        await store.completeIdempotency("uni", "k1", { verifiableCredential: "x" }, "2026-01-03T00:00:00.000Z");
        const done = await store.getIdempotency("uni", "k1");
        const afterLease = await rejection(store.claimIdempotency(claim("k1"), at("2026-01-02T12:00:00Z")));
        // Assess
        expect(second.code).toBe("conflict");
        expect(pending).toMatchObject({ state: "pending", requestHash: "cd".repeat(32) });
        expect(done).toMatchObject({ state: "done", response: { verifiableCredential: "x" } });
        // Completing extends the record past the claim's lease: a done key is not taken over when the lease ends.
        expect(done?.expiresAt).toBe("2026-01-03T00:00:00.000Z");
        expect(afterLease.code).toBe("conflict");
        expect(await store.getIdempotency("other-issuer", "k1")).toBeUndefined();
      });

      it("lets a released or expired claim be taken again", async () => {
        // Prepare
        const store = await create();
        await store.claimIdempotency(claim("k2"), at("2026-01-01T00:00:00Z"));
        await store.claimIdempotency(claim("k3", "2026-01-01T00:10:00.000Z"), at("2026-01-01T00:00:00Z"));
        // Act
        await store.releaseIdempotency("uni", "k2");
        const retaken = store.claimIdempotency(claim("k2"), at("2026-01-01T00:01:00Z"));
        const expired = store.claimIdempotency(claim("k3"), at("2026-01-01T00:20:00Z"));
        // Assess
        await expect(retaken).resolves.toBeUndefined();
        await expect(expired).resolves.toBeUndefined();
      });

      it("lets an attempt whose lease ran out neither complete nor release the claim taken after it", async () => {
        // Prepare: attempt A claims at 00:00 (lease to 00:02), stalls; attempt B takes the key over at 00:05
        const store = await create();
        const stale = claim("k4", "2026-01-01T00:02:00.000Z");
        const newer = { ...claim("k4", "2026-01-01T00:07:00.000Z"), createdAt: "2026-01-01T00:05:00.000Z" };
        await store.claimIdempotency(stale, at("2026-01-01T00:00:00Z"));
        await store.claimIdempotency(newer, at("2026-01-01T00:05:00Z"));
        // Act: A wakes up and completes (its signing finished), then fails and releases
        const late = await rejection(
          store.completeIdempotency("uni", "k4", { verifiableCredential: "A" }, "2026-01-03T00:00:00.000Z", {
            claimedAt: stale.createdAt,
          }),
        );
        await store.releaseIdempotency("uni", "k4", { claimedAt: stale.createdAt });
        const afterA = await store.getIdempotency("uni", "k4");
        await store.completeIdempotency("uni", "k4", { verifiableCredential: "B" }, "2026-01-03T00:00:00.000Z", {
          claimedAt: newer.createdAt,
        });
        const afterB = await store.getIdempotency("uni", "k4");
        await store.releaseIdempotency("uni", "k4", { claimedAt: newer.createdAt });
        // Assess
        expect(late.code).toBe("conflict");
        expect(late.issues[0]?.pointer).toBe("/headers/idempotency-key");
        expect(afterA).toMatchObject({ state: "pending", createdAt: newer.createdAt });
        expect(afterB).toMatchObject({ state: "done", response: { verifiableCredential: "B" } });
        expect(await store.getIdempotency("uni", "k4")).toBeUndefined();
      });
    });

    describe("tokens", () => {
      it("returns a stored token exactly as it was put", async () => {
        // Prepare
        const store = await create();
        const token = aToken();
        // Act
        await store.putToken(token);
        const read = await store.getToken(token.tokenId);
        // Assess
        expect(read).toStrictEqual(token);
      });

      it("round-trips a token with no optional members", async () => {
        // Prepare
        const store = await create();
        const token = aToken({ role: "admin" });
        delete token.issuerId;
        delete token.revokedAt;
        // Act
        await store.putToken(token);
        const read = await store.getToken(token.tokenId);
        // Assess
        expect(read).toStrictEqual(token);
      });

      it("answers undefined for a token that does not exist", async () => {
        // Prepare
        const store = await create();
        // Act
        const read = await store.getToken("missing");
        // Assess
        expect(read).toBeUndefined();
      });

      it("refuses a second token with the same id as a conflict and keeps the first", async () => {
        // Prepare
        const store = await create();
        const first = aToken({ tokenId: "dup" });
        await store.putToken(first);
        // Act
        const error = await rejection(store.putToken(aToken({ tokenId: "dup", role: "admin" })));
        // Assess
        expect(error.code).toBe("conflict");
        expect(await store.getToken("dup")).toStrictEqual(first);
      });

      it("expires a token at a given time, never later than an expiry it already has", async () => {
        // Prepare
        const store = await create();
        const { revokedAt: _never, ...token } = aToken();
        await store.putToken(token);
        // Act
        await store.expireToken(token.tokenId, "2026-01-02T00:00:00.000Z");
        await store.expireToken(token.tokenId, "2026-06-01T00:00:00.000Z");
        // Assess
        expect(await store.getToken(token.tokenId)).toStrictEqual({ ...token, expiresAt: "2026-01-02T00:00:00.000Z" });
      });

      it("round-trips a token with an expiry and the token it replaces", async () => {
        // Prepare
        const store = await create();
        const token = aToken({ expiresAt: "2026-01-02T00:00:00.000Z", replaces: "token-old" });
        // Act
        await store.putToken(token);
        // Assess
        expect(await store.getToken(token.tokenId)).toStrictEqual(token);
      });

      it("answers not-found when expiring a token that does not exist, and creates nothing", async () => {
        // Prepare
        const store = await create();
        // Act
        const error = await rejection(store.expireToken("missing-token", "2026-01-02T00:00:00.000Z"));
        // Assess
        expect(error.code).toBe("not-found");
        expect(await store.getToken("missing-token")).toBeUndefined();
      });

      it("keeps tokens and issuers apart even when an id equals a slug", async () => {
        // Prepare
        const store = await create();
        const issuer = anIssuer({ slug: "same" });
        const token = aToken({ tokenId: "same" });
        // Act
        await store.putIssuer(issuer);
        await store.putToken(token);
        // Assess
        expect(await store.getIssuer("same")).toStrictEqual(issuer);
        expect(await store.getToken("same")).toStrictEqual(token);
        expect((await store.listIssuers()).items).toStrictEqual([issuer]);
      });
    });

    describe("listing issuers", () => {
      /** Five issuers, put out of order; two share a creation instant, so the slug breaks the tie. */
      const fiveIssuers = () => [
        aMinimalIssuer({ slug: "d", createdAt: "2025-01-04T00:00:00.000Z" }),
        aMinimalIssuer({ slug: "a", createdAt: "2025-01-01T00:00:00.000Z" }),
        anIssuer({ slug: "c", createdAt: "2025-01-03T00:00:00.000Z" }),
        aMinimalIssuer({ slug: "b2", createdAt: "2025-01-02T00:00:00.000Z" }),
        aMinimalIssuer({ slug: "b1", createdAt: "2025-01-02T00:00:00.000Z" }),
      ];

      it("lists nothing, and no cursor, when there are no issuers", async () => {
        // Prepare
        const store = await create();
        // Act
        const page = await store.listIssuers();
        // Assess
        expect(page).toStrictEqual({ items: [] });
      });

      it("pages through every issuer, oldest first, with a cursor on every page but the last", async () => {
        // Prepare
        const store = await create();
        const issuers = fiveIssuers();
        for (const issuer of issuers) await store.putIssuer(issuer);
        // Act
        const first = await store.listIssuers({ limit: 2 });
        const second = await store.listIssuers({ limit: 2, cursor: first.cursor });
        const third = await store.listIssuers({ limit: 2, cursor: second.cursor });
        // Assess
        expect(first.items.map((i) => i.slug)).toEqual(["a", "b1"]);
        expect(second.items.map((i) => i.slug)).toEqual(["b2", "c"]);
        expect(third.items.map((i) => i.slug)).toEqual(["d"]);
        expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(second.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(third.cursor).toBeUndefined();
        const bySlug = new Map(issuers.map((issuer) => [issuer.slug, issuer]));
        for (const item of [...first.items, ...second.items, ...third.items]) {
          expect(item).toStrictEqual(bySlug.get(item.slug));
        }
      });

      it("gives no cursor, and so no empty extra page, when the last page is exactly full", async () => {
        // Prepare
        const store = await create();
        for (const issuer of fiveIssuers().slice(0, 4)) await store.putIssuer(issuer);
        // Act
        const first = await store.listIssuers({ limit: 2 });
        const second = await store.listIssuers({ limit: 2, cursor: first.cursor });
        // Assess
        expect(first.items).toHaveLength(2);
        expect(second.items).toHaveLength(2);
        expect(second.cursor).toBeUndefined();
      });

      it("does not list tokens", async () => {
        // Prepare
        const store = await create();
        await store.putToken(aToken());
        // Act
        const page = await store.listIssuers();
        // Assess
        expect(page.items).toEqual([]);
      });

      it.each([
        ["garbage", "not a cursor!"],
        ["base64url of something that is not JSON", Buffer.from("{nope").toString("base64url")],
        ["base64url of JSON of the wrong shape", Buffer.from(JSON.stringify({ pk: "TOKEN#x" })).toString("base64url")],
        [
          "a cursor pointing at another partition",
          Buffer.from(JSON.stringify({ pk: "TOKEN#x", sk: "TOKEN", gsi1pk: "TOKENS", gsi1sk: "x" })).toString(
            "base64url",
          ),
        ],
        ["an empty cursor", ""],
      ])("refuses %s as a cursor, pointing at /query/cursor", async (_, cursor) => {
        // Prepare
        const store = await create();
        // Act
        const error = await rejection(store.listIssuers({ cursor }));
        // Assess
        expect(error.code).toBe("validation-failed");
        expect(error.issues.map((issue) => issue.pointer)).toEqual(["/query/cursor"]);
      });

      it.each([0, -1, 1.5, 101])("refuses a page size of %s, pointing at /query/limit", async (limit) => {
        // Prepare
        const store = await create();
        // Act
        const error = await rejection(store.listIssuers({ limit }));
        // Assess
        expect(error.code).toBe("validation-failed");
        expect(error.issues.map((issue) => issue.pointer)).toEqual(["/query/limit"]);
      });
    });
  });
}
