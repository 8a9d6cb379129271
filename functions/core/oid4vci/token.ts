/**
 * The token endpoint (OpenID4VCI 1.0 §6, RFC 6749 §5): exchanges a pre-authorised code (and its transaction code, when
 * the offer has one) for an opaque access token bound to the offer. A code is redeemed once; wrong transaction codes
 * are counted and the code dies after a few, so a short numeric code cannot be guessed.
 */

import { sameDigest } from "../tokens/auth.js";
import { MAX_FAILED_TX_CODES, OID4VCI_TTL, type Oid4vciDeps } from "./deps.js";
import { invalidGrant, invalidRequest, unsupportedGrantType } from "./errors.js";
import { digestOf, matches, splitSecret, txCodeDigest } from "./secrets.js";
import { PRE_AUTHORIZED_GRANT } from "./version.js";

/** The form parameters of a token request (already decoded; each present once). */
export type TokenRequest = Record<string, string>;

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
}

/** Redeems a pre-authorised code of an offer of issuer `slug`. */
export async function redeemPreAuthorizedCode(
  deps: Pick<Oid4vciDeps, "oid4vci" | "clock" | "ids">,
  slug: string,
  request: TokenRequest,
): Promise<TokenResponse> {
  const grantType = request.grant_type;
  if (!grantType) throw invalidRequest("grant_type is required", "/body/grant_type");
  if (grantType !== PRE_AUTHORIZED_GRANT) throw unsupportedGrantType(`only ${PRE_AUTHORIZED_GRANT} is supported`);
  const code = request["pre-authorized_code"];
  if (!code) throw invalidRequest("pre-authorized_code is required", "/body/pre-authorized_code");
  const parts = splitSecret(code);
  const offer = parts ? await deps.oid4vci.getOffer(parts.offerId) : undefined;
  // One answer for every unusable code, so that a caller learns nothing about which offers exist.
  const badCode = invalidGrant(
    "the pre-authorized code is not valid, has expired or was used",
    "/body/pre-authorized_code",
  );
  if (!parts || !offer || offer.issuerSlug !== slug || !matches(code, offer.codeHash)) throw badCode;
  const now = deps.clock.now();
  if (offer.redeemedAt || offer.codeExpiresAt <= now.toISOString() || offer.failedTxCodes >= MAX_FAILED_TX_CODES) {
    throw badCode;
  }
  const txCode = request.tx_code;
  if (offer.txCode && txCode === undefined) {
    throw invalidRequest("this offer needs its transaction code (tx_code)", "/body/tx_code");
  }
  if (!offer.txCode && txCode !== undefined) {
    throw invalidRequest("this offer has no transaction code: leave tx_code out", "/body/tx_code");
  }
  if (offer.txCode && txCode !== undefined) {
    // The attempt is counted before the code is compared: concurrent guesses each get their own count from one atomic
    // write, so at most MAX_FAILED_TX_CODES codes are ever compared, however many arrive at once (counting only the
    // wrong ones after comparing let a burst that read the offer together be judged in full).
    const attempt = await deps.oid4vci.recordFailedTxCode(offer.id);
    if (attempt > MAX_FAILED_TX_CODES) {
      throw invalidGrant("too many transaction codes were tried; the offer is locked", "/body/tx_code");
    }
    if (!sameDigest(txCodeDigest(offer.id, txCode), offer.txCode.hash)) {
      const left = MAX_FAILED_TX_CODES - attempt;
      throw invalidGrant(
        left > 0
          ? `the transaction code is wrong (${left} attempt${left === 1 ? "" : "s"} left)`
          : "the transaction code is wrong; the offer is now locked",
        "/body/tx_code",
      );
    }
  }
  const token = `${offer.id}.${deps.ids.secret(32)}`;
  const tokenExpiresAt = new Date(now.getTime() + OID4VCI_TTL.tokenSeconds * 1000).toISOString();
  const redeemed = await deps.oid4vci.redeemCode(
    offer.id,
    { tokenHash: digestOf(token), tokenExpiresAt },
    now,
    // The right code's own attempt is counted too: it may be the last one allowed.
    MAX_FAILED_TX_CODES + 1,
  );
  // A concurrent request redeemed it first (or it expired meanwhile).
  if (!redeemed) throw badCode;
  return { access_token: token, token_type: "Bearer", expires_in: OID4VCI_TTL.tokenSeconds };
}

/** Constant-time check of a presented access token against the offer it names: the offer, or undefined. */
export async function offerOfAccessToken(
  deps: Pick<Oid4vciDeps, "oid4vci" | "clock">,
  token: string,
): Promise<Awaited<ReturnType<Oid4vciDeps["oid4vci"]["getOffer"]>>> {
  const parts = splitSecret(token);
  if (!parts) return undefined;
  const offer = await deps.oid4vci.getOffer(parts.offerId);
  if (!offer?.tokenExpiresAt || !matches(token, offer.tokenHash)) return undefined;
  return offer.tokenExpiresAt > deps.clock.now().toISOString() ? offer : undefined;
}
