/** The ports the OpenID4VCI use cases take: issuance's own, plus the offer / nonce store. */

import type { Oid4vciStore } from "../../kernel/ports/index.js";
import type { IssueDeps } from "../issue/issue.js";

export interface Oid4vciDeps extends IssueDeps {
  oid4vci: Oid4vciStore;
}

/** Lifetimes of the flow's secrets. */
export const OID4VCI_TTL = {
  /** Default lifetime of a pre-authorised code (the offer's `expiresIn` overrides it). */
  codeSeconds: 3600,
  /** Longest lifetime an issuer may give a code: a week, for offers sent by mail or printed. */
  maxCodeSeconds: 7 * 24 * 3600,
  /** Access tokens: long enough to fetch a nonce and ask for the credential. */
  tokenSeconds: 300,
  /** `c_nonce` values. */
  nonceSeconds: 300,
  /** A credential request holds its offer this long while it issues (a crashed request blocks it only so long). */
  issuingSeconds: 60,
  /** How old a key proof may be (its `iat`), and the clock skew tolerated. */
  proofMaxAgeSeconds: 300,
  clockSkewSeconds: 60,
} as const;

/** Wrong transaction codes after which a pre-authorised code is dead. */
export const MAX_FAILED_TX_CODES = 5;
