/**
 * Key proofs of type `jwt` (OpenID4VCI 1.0 Appendix F.1), checked with jose: `typ` `openid4vci-proof+jwt`, an
 * asymmetric algorithm, the holder key from the header, the signature, `aud` = the Credential Issuer Identifier, a
 * recent `iat`, and a `nonce` (used up by the caller once the proof verified).
 */
import { decodeProtectedHeader, importJWK, errors as joseErrors, jwtVerify } from "jose";
import { PROOF_ALGORITHMS } from "./configurations.js";
import { OID4VCI_TTL } from "./deps.js";
import { invalidNonce, invalidProof } from "./errors.js";
import { type HolderKey, holderKeyOf } from "./holder-key.js";
import { PROOF_JWT_TYPE } from "./version.js";

export interface VerifiedProof {
  holder: HolderKey;
  nonce: string;
}

/** Largest proof JWT accepted (a did:jwk RSA key in the header fits easily). */
const MAX_PROOF_BYTES = 16 * 1024;

function reason(error: unknown): string {
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "the proof's aud must be the Credential Issuer Identifier";
    if (error.claim === "iat")
      return `the proof's iat must be within the last ${OID4VCI_TTL.proofMaxAgeSeconds} s (plus ${OID4VCI_TTL.clockSkewSeconds} s of clock skew)`;
    return `the proof's ${error.claim} claim is not valid: ${error.message}`;
  }
  if (error instanceof joseErrors.JWTExpired) return "the proof has expired";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "the proof's signature does not verify";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "the proof's algorithm is not allowed";
  if (error instanceof joseErrors.JOSEError) return `the proof is not valid: ${error.message}`;
  return "the proof is not valid";
}

/** Verifies a proof JWT for `audience`; throws `invalid_proof` / `invalid_nonce` naming `pointer`. */
export async function verifyProofJwt(
  jwt: string,
  options: { audience: string; now: Date; pointer: string },
): Promise<VerifiedProof> {
  const { pointer } = options;
  if (jwt.length > MAX_PROOF_BYTES) throw invalidProof("the proof is too large", pointer);
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
  } catch {
    throw invalidProof("the proof is not a compact JWS", pointer);
  }
  if (header.typ !== PROOF_JWT_TYPE) throw invalidProof(`the proof's typ must be ${PROOF_JWT_TYPE}`, pointer);
  const alg = header.alg;
  if (typeof alg !== "string" || !(PROOF_ALGORITHMS as readonly string[]).includes(alg)) {
    throw invalidProof(`the proof's alg must be one of ${PROOF_ALGORITHMS.join(", ")}`, pointer);
  }
  const holder = holderKeyOf(header, pointer);
  let payload: Record<string, unknown>;
  try {
    const key = await importJWK(holder.jwk, alg);
    ({ payload } = await jwtVerify(jwt, key, {
      typ: PROOF_JWT_TYPE,
      algorithms: [alg],
      audience: options.audience,
      currentDate: options.now,
      maxTokenAge: OID4VCI_TTL.proofMaxAgeSeconds,
      clockTolerance: OID4VCI_TTL.clockSkewSeconds,
      requiredClaims: ["iat", "aud"],
    }));
  } catch (error) {
    throw invalidProof(reason(error), pointer);
  }
  const iat = payload.iat as number;
  if (iat * 1000 > options.now.getTime() + OID4VCI_TTL.clockSkewSeconds * 1000) {
    throw invalidProof("the proof's iat is in the future", pointer);
  }
  if (typeof payload.nonce !== "string" || payload.nonce === "") {
    throw invalidNonce("the proof must carry a c_nonce from the nonce endpoint", pointer);
  }
  return { holder, nonce: payload.nonce };
}
