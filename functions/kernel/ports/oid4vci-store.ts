/** OpenID4VCI offers, codes, tokens and nonces (stored as hashes). */
/**
 * OpenID4VCI (pre-authorised code flow): a credential an issuer offered to a wallet, until it is collected or expires.
 * One item holds the offer, its pre-authorised code and the access token the code was exchanged for, so that every
 * step (redeem the code, claim the issuance, complete it) is one conditional write on one item. Secrets are kept
 * only as hex SHA-256 digests.
 */
export interface Oid4vciOffer {
  /** 128-bit random id; the prefix of the offer's pre-authorised code and access token (`{id}.{secret}`). */
  id: string;
  issuerSlug: string;
  /** The credential configuration (`credential_configurations_supported` key) offered. */
  configurationId: string;
  /** The unsigned credential to issue; dropped once it is issued. */
  credential?: Record<string, unknown>;
  /** Hex SHA-256 of the pre-authorised code. */
  codeHash: string;
  /** The transaction code the wallet must send with the code (its hash, and how the wallet should ask for it). */
  txCode?: { hash: string; inputMode: "numeric" | "text"; length: number; description?: string };
  createdAt: string;
  /** When the pre-authorised code stops being accepted. */
  codeExpiresAt: string;
  /** When the whole item may be forgotten (TTL), after the code and any token it gave have expired. */
  expiresAt: string;
  /** Wrong transaction codes sent so far; the code is dead after a few. */
  failedTxCodes: number;
  /** Set when the code was exchanged for an access token (once). */
  redeemedAt?: string;
  /** Hex SHA-256 of the access token. */
  tokenHash?: string;
  tokenExpiresAt?: string;
  /** A credential request holds the issuance until then (a crashed request blocks the offer only that long). */
  issuingUntil?: string;
  /** Random token of the request holding the issuance: only that request may complete or release it. */
  issuingHolder?: string;
  /** Set once the credential was issued: then the offer gives nothing more. */
  issuedAt?: string;
  /** The id of the issued credential. */
  credentialId?: string;
}

/** OpenID4VCI state: offers (with their code and token) and single-use `c_nonce` values (same table). */
export interface Oid4vciStore {
  /** Stores a new offer; fails with `conflict` when the id is taken. */
  putOffer(offer: Oid4vciOffer): Promise<void>;
  getOffer(id: string): Promise<Oid4vciOffer | undefined>;
  /**
   * Exchanges the offer's code for an access token, atomically: true when this call did it; false when the code was
   * redeemed before, has expired at `now`, or is locked after `maxFailedTxCodes` wrong transaction codes.
   */
  redeemCode(
    id: string,
    token: { tokenHash: string; tokenExpiresAt: string },
    now: Date,
    maxFailedTxCodes: number,
  ): Promise<boolean>;
  /** Counts one transaction code tried (before it is compared, so that a burst cannot outrun the limit); returns the new count. */
  recordFailedTxCode(id: string): Promise<number>;
  /**
   * Holds the offer for one credential request until `until`, under the caller's random `holder` token: true when
   * this call holds it; false when the credential was issued already or another request holds it (and its hold has
   * not lapsed at `now`).
   */
  claimIssuance(id: string, until: string, now: Date, holder: string): Promise<boolean>;
  /**
   * Marks the offer issued, records the credential id and drops the stored credential, only while `holder` still
   * holds it: false (nothing written) when the hold lapsed and another request took it, or the offer was issued.
   * A lapsed hold nobody took over still completes.
   */
  completeIssuance(id: string, issued: { credentialId: string; at: string }, holder: string): Promise<boolean>;
  /** Lets go of `holder`'s hold whose issuance failed, so that the wallet may try again (no-op if not its hold). */
  releaseIssuance(id: string, holder: string): Promise<void>;
  /** Stores a fresh `c_nonce` (its hex SHA-256) until `expiresAt`. */
  putNonce(nonceHash: string, expiresAt: string): Promise<void>;
  /** Uses up a nonce: true once for a stored nonce not expired at `now`, false otherwise (unknown, used, expired). */
  consumeNonce(nonceHash: string, now: Date): Promise<boolean>;
}
