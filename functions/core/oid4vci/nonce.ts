/**
 * The nonce endpoint (OpenID4VCI 1.0 §7): a fresh `c_nonce` for the wallet's key proof, stored (hashed) until it is
 * used once or expires.
 */
import { OID4VCI_TTL, type Oid4vciDeps } from "./deps.js";
import { digestOf } from "./secrets.js";

/** A new nonce for issuer `slug`'s credential endpoint. */
export async function issueNonce(deps: Pick<Oid4vciDeps, "oid4vci" | "clock" | "ids">): Promise<{ c_nonce: string }> {
  const nonce = deps.ids.secret(32);
  const expiresAt = new Date(deps.clock.now().getTime() + OID4VCI_TTL.nonceSeconds * 1000);
  // Whole seconds: the TTL attribute keeps epoch seconds.
  expiresAt.setUTCMilliseconds(0);
  await deps.oid4vci.putNonce(digestOf(nonce), expiresAt.toISOString());
  return { c_nonce: nonce };
}
