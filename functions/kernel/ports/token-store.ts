/** API tokens and the roles they grant, and where they are stored. */
export type Role = "admin" | "issuer" | "registry" | "public";

/** An API token as stored: only its hash is kept. */
export interface TokenRecord {
  tokenId: string;
  /** Hex SHA-256 of the token's secret part. Tokens are 256-bit random, so a fast hash is sufficient. */
  secretHash: string;
  role: Role;
  issuerId?: string;
  createdAt: string;
  revokedAt?: string;
  /** When the token stops authenticating (rotation with a grace period, or revocation: then `now`). */
  expiresAt?: string;
  /** The token this one replaced (rotation), for audit. */
  replaces?: string;
}

/** API tokens, stored as their SHA-256. */
export interface TokenStore {
  /** Stores a new token; fails with `conflict` when the id is taken. */
  putToken(token: TokenRecord): Promise<void>;
  getToken(tokenId: string): Promise<TokenRecord | undefined>;
  /**
   * Makes a token stop authenticating at `expiresAt` (never later than an expiry it already has); `not-found` when
   * no token has that id. Rotation uses it for the grace period, revocation with `expiresAt` = now.
   */
  expireToken(tokenId: string, expiresAt: string): Promise<void>;
}
