/**
 * The behaviour every {@link TrustStore} must have. Each test gets a fresh, empty store from the factory.
 */
import { describe, expect, it } from "vitest";
import type { TrustAnchorRecord, TrustListRecord, TrustStore } from "../../functions/kernel/ports/index.js";

export type TrustStoreFactory = () => Promise<TrustStore>;

/** An anchor record; certificates are opaque to the store, so any distinct base64 will do. */
const anchorFactory = (n: number, subjectKey = "aa".repeat(32), source = "eu-tl:LU"): TrustAnchorRecord => ({
  certificate: Buffer.from(`certificate ${n}`).toString("base64"),
  subjectKey,
  subject: `CN=CA ${n}, C=LU`,
  source,
  tspName: "Test QTSP",
  serviceName: `Service ${n}`,
});

const listFactory = (source = "eu-tl:LU", extra: Partial<TrustListRecord> = {}): TrustListRecord => ({
  source,
  kind: "tsl",
  territory: source.slice(-2),
  sequenceNumber: 1,
  importedAt: "2026-06-01T00:00:00.000Z",
  anchorCount: 0,
  ...extra,
});

/** Registers the TrustStore contract tests for one implementation. */
export function trustStoreContract(name: string, create: TrustStoreFactory): void {
  describe(name, () => {
    it("answers no trusted issuers and no lists when nothing was stored", async () => {
      // Prepare
      const store = await create();
      // Act / Assess
      expect(await store.getTrustedIssuers()).toEqual([]);
      expect(await store.listTrustLists()).toEqual([]);
      expect(await store.findTrustAnchors("ab".repeat(32))).toEqual([]);
    });

    it("replaces the trusted issuers as a whole", async () => {
      // Prepare
      const store = await create();
      await store.putTrustedIssuers([{ id: "did:web:a.example", name: "A" }, { jwkThumbprint: "x".repeat(43) }]);
      // Act
      await store.putTrustedIssuers([{ verificationMethod: "did:web:b.example#key-1" }]);
      // Assess
      expect(await store.getTrustedIssuers()).toEqual([{ verificationMethod: "did:web:b.example#key-1" }]);
    });

    it("finds the anchors of a list by subject key, and lists the list with its anchor count", async () => {
      // Prepare
      const store = await create();
      const other = "cd".repeat(32);
      // Act
      await store.replaceTrustList(listFactory(), [anchorFactory(1), anchorFactory(2), anchorFactory(3, other)]);
      // Assess
      const found = await store.findTrustAnchors("aa".repeat(32));
      expect(found.map((a) => a.serviceName).sort()).toEqual(["Service 1", "Service 2"]);
      expect(await store.findTrustAnchors(other)).toEqual([anchorFactory(3, other)]);
      expect(await store.listTrustLists()).toEqual([listFactory("eu-tl:LU", { anchorCount: 3 })]);
    });

    it("counts an anchor listed twice once", async () => {
      // Prepare
      const store = await create();
      // Act
      await store.replaceTrustList(listFactory(), [anchorFactory(1), anchorFactory(1)]);
      // Assess
      expect(await store.findTrustAnchors("aa".repeat(32))).toHaveLength(1);
      expect((await store.listTrustLists())[0]?.anchorCount).toBe(1);
    });

    it("replacing a list drops its previous anchors and keeps other lists' anchors", async () => {
      // Prepare
      const store = await create();
      await store.replaceTrustList(listFactory("eu-tl:LU"), [anchorFactory(1), anchorFactory(2)]);
      await store.replaceTrustList(listFactory("eu-tl:BE"), [anchorFactory(9, "aa".repeat(32), "eu-tl:BE")]);
      // Act
      await store.replaceTrustList(listFactory("eu-tl:LU", { sequenceNumber: 2 }), [anchorFactory(3)]);
      // Assess
      const found = await store.findTrustAnchors("aa".repeat(32));
      expect(found.map((a) => a.serviceName).sort()).toEqual(["Service 3", "Service 9"]);
      const lists = await store.listTrustLists();
      expect(lists.map((l) => [l.source, l.sequenceNumber, l.anchorCount]).sort()).toEqual([
        ["eu-tl:BE", 1, 1],
        ["eu-tl:LU", 2, 1],
      ]);
    });

    it("stores a list of more anchors than one batch write takes", async () => {
      // Prepare
      const store = await create();
      const anchors = Array.from({ length: 60 }, (_, i) => anchorFactory(i));
      // Act
      await store.replaceTrustList(listFactory(), anchors);
      // Assess
      expect(await store.findTrustAnchors("aa".repeat(32))).toHaveLength(60);
    });

    it("keeps the LOTL's pointers", async () => {
      // Prepare
      const store = await create();
      const lotl = listFactory("eu-tl:EU", {
        kind: "lotl",
        pointers: [{ territory: "LU", location: "https://example.lu/tsl.xml" }],
      });
      // Act
      await store.replaceTrustList(lotl, []);
      // Assess
      expect(await store.listTrustLists()).toEqual([lotl]);
    });
  });
}
