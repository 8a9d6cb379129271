import { describe, expect, it } from "vitest";
import {
  authenticate,
  formatToken,
  requireAdmin,
  requireIssuer,
  requireRegistry,
  sameDigest,
  sha256Hex,
} from "../../../../../functions/core/tokens/auth.js";
import type { CredentialStore, TokenRecord } from "../../../../../functions/kernel/ports/index.js";

const storeWith = (tokens: TokenRecord[]): CredentialStore => ({
  putIssuer: async () => undefined,
  getIssuer: async () => undefined,
  findIssuerByDid: async () => undefined,
  findIssuerByCertificate: async () => undefined,
  setIssuerCertificates: async () => undefined,
  addIssuerKey: async () => undefined,
  listIssuers: async () => ({ items: [] }),
  putToken: async () => undefined,
  getToken: async (id) => tokens.find((t) => t.tokenId === id),
  expireToken: async () => undefined,
  reserveSlug: async () => undefined,
  putIssuance: async () => undefined,
  putIssuances: async () => undefined,
  getIssuance: async () => undefined,
  claimIdempotency: async () => undefined,
  getIdempotency: async () => undefined,
  completeIdempotency: async () => undefined,
  releaseIdempotency: async () => undefined,
});

const issuerToken = (over: Partial<TokenRecord> = {}): TokenRecord => ({
  tokenId: "tok1",
  secretHash: sha256Hex("s3cret"),
  role: "issuer",
  issuerId: "uni-x",
  createdAt: "2026-01-01T00:00:00Z",
  ...over,
});

describe("authenticate", () => {
  const adminTokenSha256 = sha256Hex("the-admin-token");

  it("treats a missing header as the public principal", async () => {
    expect(await authenticate(undefined, { store: storeWith([]), adminTokenSha256 })).toEqual({ role: "public" });
  });

  it("recognises the admin token by its hash", async () => {
    const p = await authenticate("Bearer the-admin-token", { store: storeWith([]), adminTokenSha256 });
    expect(p.role).toBe("admin");
  });

  it("recognises an issuer token and its issuer", async () => {
    const p = await authenticate(`Bearer ${formatToken("tok1", "s3cret")}`, {
      store: storeWith([issuerToken()]),
      adminTokenSha256,
    });
    expect(p).toEqual({ role: "issuer", issuerId: "uni-x", tokenId: "tok1" });
  });

  it.each([
    ["a wrong secret", `Bearer ${formatToken("tok1", "wrong")}`, [issuerToken()]],
    ["an unknown token id", `Bearer ${formatToken("nope", "s3cret")}`, [issuerToken()]],
    [
      "a revoked token",
      `Bearer ${formatToken("tok1", "s3cret")}`,
      [issuerToken({ revokedAt: "2026-02-01T00:00:00Z" })],
    ],
    ["a basic scheme", "Basic dXNlcjpwYXNz", []],
    ["a wrong admin token", "Bearer the-admin-tokeN", []],
  ])("refuses %s with 401 naming the header", async (_name, header, tokens) => {
    const result = authenticate(header, { store: storeWith(tokens), adminTokenSha256 });
    await expect(result).rejects.toMatchObject({
      code: "unauthenticated",
      issues: [{ pointer: "/headers/authorization" }],
    });
  });

  it("never accepts any token as admin when no admin token is configured", async () => {
    await expect(authenticate("Bearer anything", { store: storeWith([]) })).rejects.toMatchObject({
      code: "unauthenticated",
    });
  });
});

describe("token expiry (rotation grace periods, revocation)", () => {
  const header = `Bearer ${formatToken("tok1", "s3cret")}`;
  const now = new Date("2026-03-01T12:00:00Z");

  it("accepts a rotated token until its grace period ends", async () => {
    // Prepare
    const store = storeWith([issuerToken({ expiresAt: "2026-03-01T12:00:01Z" })]);

    // Act
    const principal = await authenticate(header, { store, now });

    // Assess
    expect(principal).toMatchObject({ role: "issuer", tokenId: "tok1" });
  });

  it("refuses it from the instant its grace period ends", async () => {
    // Prepare
    const store = storeWith([issuerToken({ expiresAt: "2026-03-01T12:00:00Z" })]);

    // Act
    const result = authenticate(header, { store, now });

    // Assess
    await expect(result).rejects.toMatchObject({ code: "unauthenticated" });
  });
});

describe("access rules", () => {
  it("admin routes: public → 401, issuer → 403, admin passes", () => {
    expect(() => requireAdmin({ role: "public" })).toThrow(expect.objectContaining({ code: "unauthenticated" }));
    expect(() => requireAdmin({ role: "issuer", issuerId: "a" })).toThrow(
      expect.objectContaining({ code: "forbidden" }),
    );
    expect(() => requireAdmin({ role: "admin" })).not.toThrow();
  });

  it("issuer routes: only the admin or that issuer", () => {
    expect(() => requireIssuer({ role: "issuer", issuerId: "a" }, "a")).not.toThrow();
    expect(() => requireIssuer({ role: "admin" }, "a")).not.toThrow();
    expect(() => requireIssuer({ role: "issuer", issuerId: "b" }, "a")).toThrow(
      expect.objectContaining({ code: "forbidden" }),
    );
    expect(() => requireIssuer({ role: "public" }, "a")).toThrow(expect.objectContaining({ code: "unauthenticated" }));
  });

  it("registry routes: public → 401, issuer → 403, a registry token or the admin passes", () => {
    expect(() => requireRegistry({ role: "public" })).toThrow(expect.objectContaining({ code: "unauthenticated" }));
    expect(() => requireRegistry({ role: "issuer", issuerId: "a" })).toThrow(
      expect.objectContaining({ code: "forbidden" }),
    );
    expect(() => requireRegistry({ role: "registry", tokenId: "r" })).not.toThrow();
    expect(() => requireRegistry({ role: "admin" })).not.toThrow();
  });

  it("a registry token is no issuer: refused on every issuer's resources", () => {
    expect(() => requireIssuer({ role: "registry", tokenId: "r" }, "a")).toThrow(
      expect.objectContaining({ code: "forbidden" }),
    );
  });

  it("compares digests only when both are well formed and equal", () => {
    expect(sameDigest(sha256Hex("a"), sha256Hex("a"))).toBe(true);
    expect(sameDigest(sha256Hex("a"), sha256Hex("b"))).toBe(false);
    expect(sameDigest("", "")).toBe(false);
    expect(sameDigest(sha256Hex("a"), sha256Hex("a").slice(0, 10))).toBe(false);
  });
});
