/**
 * The offer's secrets. The pre-authorised code, the offer reference and the access token all have the form
 * `{offerId}.{secret}`: the id finds the one stored offer, the secret is compared with the stored SHA-256 in constant
 * time (the secrets are 256-bit random, so a fast hash suffices, as for API tokens). The code is derived from the
 * reference secret, so the offer-by-reference endpoint can hand the code out again while only its hash is stored.
 */
import { createHash } from "node:crypto";
import { sameDigest, sha256Hex } from "../tokens/auth.js";

const COMPOSITE = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{32,128})$/;

/** Splits `{offerId}.{secret}`; undefined when the value does not have that shape. */
export function splitSecret(value: string): { offerId: string; secret: string } | undefined {
  const m = COMPOSITE.exec(value);
  return m?.[1] && m[2] ? { offerId: m[1], secret: m[2] } : undefined;
}

/** The pre-authorised code of an offer, from the secret of its reference. */
export function codeFromReference(offerId: string, referenceSecret: string): string {
  const derived = createHash("sha256").update(`oid4vci-code:${referenceSecret}`, "utf8").digest("base64url");
  return `${offerId}.${derived}`;
}

/** Hex SHA-256 of a secret value (code, token, nonce). */
export const digestOf = (value: string): string => sha256Hex(value);

/** Hex SHA-256 of a transaction code, salted with its offer id (so equal codes of two offers hash differently). */
export const txCodeDigest = (offerId: string, txCode: string): string => sha256Hex(`${offerId}:${txCode}`);

/** Whether `value` hashes to `digestHex` (constant time). */
export const matches = (value: string, digestHex: string | undefined): boolean =>
  digestHex !== undefined && sameDigest(sha256Hex(value), digestHex);
