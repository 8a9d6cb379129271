/**
 * A {@link Signer} bound to one issuer: every signature it makes carries that issuer as its {@link SignContext}, so
 * the Signer port refuses another issuer's key (and, in AWS, signs in that issuer's STS session). Use cases hand it
 * to the proof builders instead of the bare signer, which then need not know about issuers.
 */

import type { SignContext, Signer } from "../../kernel/ports/index.js";

/** `signer`, with `issuerId` (the issuer's slug, the owner its keys were created for) on every call. */
export function issuerSigner(signer: Signer, issuerId: string): Signer {
  const context: SignContext = { issuerId };
  return { sign: (keyRef, alg, data) => signer.sign(keyRef, alg, data, context) };
}
