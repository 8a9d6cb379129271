/**
 * Who is calling. Bearer tokens: the admin token (configured as its SHA-256), or an issuer token
 * `gw1.{tokenId}.{secret}` whose secret's SHA-256 is stored. Hashes are compared in constant time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { GatewayError } from "../../kernel/errors.js";
import type { CredentialStore, Role, TokenRecord } from "../../kernel/ports/index.js";

export interface Principal {
  role: Role;
  /** Slug of the issuer an issuer token belongs to. */
  issuerId?: string;
  tokenId?: string;
}

export const PUBLIC: Principal = Object.freeze({ role: "public" });

const TOKEN_PREFIX = "gw1";

export const sha256Hex = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");

/** Constant-time comparison of two hex digests of equal length. */
export function sameDigest(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, "hex");
  const b = Buffer.from(bHex, "hex");
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Formats an issuer token. The token id locates the record; only the secret's hash is stored. */
export const formatToken = (tokenId: string, secret: string): string => `${TOKEN_PREFIX}.${tokenId}.${secret}`;

const unauthenticated = (detail: string) =>
  new GatewayError("unauthenticated", detail, [{ pointer: "/headers/authorization", detail }]);

/**
 * Resolves the `Authorization` header to a principal. No header is the public principal; a header that is present
 * but not a valid token is an error (never silently downgraded to public).
 */
export async function authenticate(
  authorization: string | undefined,
  deps: { store: CredentialStore; adminTokenSha256?: string; now?: Date },
): Promise<Principal> {
  if (authorization === undefined || authorization.trim() === "") return PUBLIC;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(authorization.trim());
  if (!match?.[1]) throw unauthenticated("Authorization must be `Bearer <token>`");
  const token = match[1];
  const digest = sha256Hex(token);
  if (deps.adminTokenSha256 && sameDigest(digest, deps.adminTokenSha256)) return { role: "admin" };
  const parts = token.split(".");
  if (parts.length === 3 && parts[0] === TOKEN_PREFIX && parts[1] && parts[2]) {
    const record = await deps.store.getToken(parts[1]);
    if (record && isLive(record, deps.now ?? new Date()) && sameDigest(sha256Hex(parts[2]), record.secretHash)) {
      return { role: record.role, issuerId: record.issuerId, tokenId: record.tokenId };
    }
  }
  throw unauthenticated("the bearer token is not valid");
}

/** A token authenticates until it is revoked or its expiry (a rotation's grace period, a revocation) has passed. */
export function isLive(record: Pick<TokenRecord, "revokedAt" | "expiresAt">, now: Date): boolean {
  if (record.revokedAt) return false;
  return record.expiresAt === undefined || now.getTime() < Date.parse(record.expiresAt);
}

/** Admin only: anyone else is told to authenticate (public) or refused (other roles). */
export function requireAdmin(principal: Principal): void {
  if (principal.role === "admin") return;
  if (principal.role === "public") throw unauthenticated("this route needs the admin token");
  throw new GatewayError("forbidden", "this route needs the admin token");
}

/** The admin, or the issuer `slug` itself. */
export function requireIssuer(principal: Principal, slug: string): void {
  if (principal.role === "admin") return;
  if (principal.role === "public") throw unauthenticated("this route needs the issuer's token");
  if (principal.role === "issuer" && principal.issuerId === slug) return;
  throw new GatewayError("forbidden", "the token does not belong to this issuer");
}

/** The admin or a registry-bridge token: routes registries use for batch work. */
export function requireRegistry(principal: Principal): void {
  if (principal.role === "admin" || principal.role === "registry") return;
  if (principal.role === "public") throw unauthenticated("this route needs a registry token or the admin token");
  throw new GatewayError("forbidden", "this route needs a registry token or the admin token");
}
