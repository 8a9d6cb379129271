/**
 * API token management (admin): creating issuer and registry-bridge tokens, rotating them with an optional grace
 * period during which the old token still works, and revoking them. Only the SHA-256 of a token's secret is stored;
 * the token itself is answered once.
 */

import { GatewayError, notFound } from "../../kernel/errors.js";
import type { Clock, CredentialStore, IdGenerator, TokenRecord } from "../../kernel/ports/index.js";
import { formatToken, sha256Hex } from "./auth.js";

export interface TokenDeps {
  store: CredentialStore;
  ids: IdGenerator;
  clock: Clock;
}

/** Longest grace period of a rotation: one week, enough to roll a token out to every client of an institution. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

export interface CreateTokenInput {
  role: "issuer" | "registry";
  /** Slug of the issuer an issuer token belongs to (required for `issuer`, refused for `registry`). */
  issuer?: string;
}

/** What a token management answer shows: never the hash. */
export interface TokenView {
  tokenId: string;
  role: TokenRecord["role"];
  issuer?: string;
  createdAt: string;
  expiresAt?: string;
  replaces?: string;
}

export const tokenView = (r: TokenRecord): TokenView => ({
  tokenId: r.tokenId,
  role: r.role,
  ...(r.issuerId ? { issuer: r.issuerId } : {}),
  createdAt: r.createdAt,
  ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
  ...(r.replaces ? { replaces: r.replaces } : {}),
});

async function mint(
  deps: TokenDeps,
  fields: Pick<TokenRecord, "role" | "issuerId" | "replaces">,
): Promise<{ record: TokenRecord; token: string }> {
  const secret = deps.ids.secret(32);
  const record: TokenRecord = {
    tokenId: deps.ids.newId(),
    secretHash: sha256Hex(secret),
    role: fields.role,
    ...(fields.issuerId ? { issuerId: fields.issuerId } : {}),
    ...(fields.replaces ? { replaces: fields.replaces } : {}),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.store.putToken(record);
  return { record, token: formatToken(record.tokenId, secret) };
}

/** Creates a token for an existing issuer, or a registry-bridge token; answers the token once. */
export async function createToken(
  deps: TokenDeps,
  input: CreateTokenInput,
): Promise<{ token: string; view: TokenView }> {
  if (input.role === "issuer") {
    if (!input.issuer) {
      throw new GatewayError("validation-failed", "an issuer token names its issuer", [
        { pointer: "/body/issuer", detail: "is required for role issuer" },
      ]);
    }
    if (!(await deps.store.getIssuer(input.issuer))) throw notFound(`issuer "${input.issuer}"`, "/body/issuer");
  } else if (input.issuer) {
    throw new GatewayError("validation-failed", "a registry token belongs to no issuer", [
      { pointer: "/body/issuer", detail: "is not allowed for role registry" },
    ]);
  }
  const { record, token } = await mint(deps, { role: input.role, issuerId: input.issuer });
  return { token, view: tokenView(record) };
}

async function liveToken(deps: TokenDeps, tokenId: string): Promise<TokenRecord> {
  const record = await deps.store.getToken(tokenId);
  const now = deps.clock.now().getTime();
  if (!record || record.revokedAt || (record.expiresAt && Date.parse(record.expiresAt) <= now)) {
    throw notFound(`token "${tokenId}"`, "/path/id");
  }
  return record;
}

/**
 * Rotation: a new token with the same role and issuer; the old one keeps working for `graceSeconds` (0: it stops at
 * once), so clients can be moved over without an outage. Answers the new token once.
 */
export async function rotateToken(
  deps: TokenDeps,
  tokenId: string,
  graceSeconds: number,
): Promise<{ token: string; view: TokenView; previous: TokenView }> {
  const old = await liveToken(deps, tokenId);
  const { record, token } = await mint(deps, { role: old.role, issuerId: old.issuerId, replaces: old.tokenId });
  const expiresAt = new Date(deps.clock.now().getTime() + graceSeconds * 1000).toISOString();
  await deps.store.expireToken(old.tokenId, expiresAt);
  // The store never pushes an expiry back (a token rotated before keeps its earlier end): answer what it kept.
  const previous = (await deps.store.getToken(old.tokenId)) ?? { ...old, expiresAt };
  return { token, view: tokenView(record), previous: tokenView(previous) };
}

/** Revocation: the token stops authenticating now. */
export async function revokeToken(deps: TokenDeps, tokenId: string): Promise<TokenView> {
  const old = await liveToken(deps, tokenId);
  const expiresAt = deps.clock.now().toISOString();
  await deps.store.expireToken(old.tokenId, expiresAt);
  return tokenView({ ...old, expiresAt });
}
