/**
 * VC-JWT as Open Badges 3.0 defines it ("JSON Web Token Proof Format"): a compact JWS whose JOSE header is exactly
 * `{alg, kid, typ: "JWT"}` (the spec allows no other header) and whose payload is the credential JSON itself plus the
 * JWT claims `iss` (issuer id), `jti` (credential id), `nbf` (validFrom), `sub` (credentialSubject id) and `exp`
 * (validUntil). Credentials made under VCDM 1.1 carry the credential in a `vc` claim instead; {@link decodeVcJwt} reads
 * both. Signing goes through the {@link Signer} port; verifying the signature is left to a JOSE library (`jose`), with
 * {@link vcJwtClaimIssues} for the claim checks OB 3.0 adds.
 */

import { GatewayError } from "../kernel/errors.js";
import type { SignatureAlgorithm, Signer } from "../kernel/ports/index.js";

/** JWS algorithms a VC-JWT can be signed with. OB 3.0 requires RS256 support; the 1EdTech validator accepts RS256 and ES256. */
export type VcJwtAlgorithm = SignatureAlgorithm;

/** The JOSE header of a VC-JWT: `kid` names the verification method (JWKS `kid`) that verifies it. */
export interface VcJwtHeader {
  alg: VcJwtAlgorithm;
  kid: string;
  typ: "JWT";
}

/** The registered JWT claims a VC-JWT carries, as NumericDates (seconds since the epoch) where they are times. */
export interface VcJwtClaims {
  iss: string;
  jti?: string;
  nbf?: number;
  sub?: string;
  exp?: number;
  iat: number;
}

export interface SignVcJwtOptions {
  signer: Signer;
  keyRef: string;
  alg: VcJwtAlgorithm;
  /** The verification method id of the key (its `kid` in the issuer's JWKS). */
  kid: string;
  /** Sets `iat`. Default: the current time. */
  now?: Date;
}

const REGISTERED_CLAIMS = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"] as const;
const ALGORITHMS: ReadonlySet<string> = new Set<VcJwtAlgorithm>(["RS256", "PS256", "ES256", "EdDSA"]);
/** Signature sizes that are fixed by the algorithm (RSA's depends on the modulus). */
const SIGNATURE_BYTES: Partial<Record<VcJwtAlgorithm, number>> = { ES256: 64, EdDSA: 64 };

const utf8 = new TextEncoder();
const b64url = (bytes: Uint8Array | string): string =>
  Buffer.from(typeof bytes === "string" ? utf8.encode(bytes) : bytes).toString("base64url");

/**
 * The JWT claims OB 3.0 derives from a credential. `iss` is required (a credential without an issuer id cannot be a
 * VC-JWT); `jti`, `nbf`, `sub` and `exp` are set when the credential has `id`, `validFrom`, a single
 * `credentialSubject` with an `id`, and `validUntil` (the OB 3.0 writer always sets `id` and `validFrom`). Times are
 * truncated to whole seconds, as NumericDate is.
 */
export function vcJwtClaims(credential: Record<string, unknown>, now: Date): VcJwtClaims {
  const iss = idOf(credential.issuer);
  if (iss === undefined)
    throw new GatewayError("unprocessable", "the credential's issuer has no id: a VC-JWT needs `iss`");
  const claims: VcJwtClaims = { iss, iat: numericDate(now, "now") };
  if (typeof credential.id === "string") claims.jti = credential.id;
  if (credential.validFrom !== undefined) claims.nbf = numericDate(credential.validFrom, "validFrom");
  const subject = singleSubjectId(credential.credentialSubject);
  if (subject !== undefined) claims.sub = subject;
  if (credential.validUntil !== undefined) claims.exp = numericDate(credential.validUntil, "validUntil");
  return claims;
}

/**
 * Signs a credential as an OB 3.0 VC-JWT and returns the compact JWS. Any embedded (Data Integrity) proof must already
 * be on the credential. Throws `unprocessable` when the credential has no issuer id, has a bad date, or already uses a
 * registered JWT claim name as a property; and whatever the signer throws (KMS signs EdDSA only over inputs of at most
 * 4,096 bytes, which a large credential exceeds).
 */
export async function signVcJwt(credential: Record<string, unknown>, options: SignVcJwtOptions): Promise<string> {
  if (!ALGORITHMS.has(options.alg)) throw new GatewayError("unprocessable", `unsupported JWS algorithm ${options.alg}`);
  const clash = REGISTERED_CLAIMS.filter((claim) => claim in credential);
  if (clash.length > 0) {
    throw new GatewayError("unprocessable", `the credential has properties named like JWT claims: ${clash.join(", ")}`);
  }
  const claims = vcJwtClaims(credential, options.now ?? new Date());
  const header: VcJwtHeader = { alg: options.alg, kid: options.kid, typ: "JWT" };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify({ ...credential, ...claims }))}`;
  const signature = await options.signer.sign(options.keyRef, options.alg, utf8.encode(signingInput));
  const expected = SIGNATURE_BYTES[options.alg];
  if (expected !== undefined && signature.length !== expected) {
    throw new GatewayError("upstream-failed", `the signer returned ${signature.length} bytes for ${options.alg}`);
  }
  return `${signingInput}.${b64url(signature)}`;
}

/** A compact JWS taken apart, not verified. */
export interface DecodedVcJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The credential: the `vc` claim (VCDM 1.1 form), else the payload without its registered JWT claims. */
  credential: Record<string, unknown>;
  /** `vc-claim` when the credential came from a `vc` claim. */
  form: "payload" | "vc-claim";
  /** The bytes the signature covers (`header.payload`, ASCII). */
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/**
 * Splits and parses a compact JWS carrying a credential, without checking the signature (use `jose` with the issuer's
 * JWKS for that). Throws `unprocessable` when it is not a compact JWS with JSON object header and payload.
 */
export function decodeVcJwt(jwt: string): DecodedVcJwt {
  const parts = jwt.trim().split(".");
  const [h, p, s] = parts;
  if (parts.length !== 3 || h === undefined || p === undefined || s === undefined) {
    throw new GatewayError("unprocessable", "a VC-JWT is a compact JWS: three base64url parts separated by dots");
  }
  const header = jsonPart(h, "header");
  const payload = jsonPart(p, "payload");
  let credential: Record<string, unknown>;
  let form: DecodedVcJwt["form"];
  if (isObject(payload.vc)) {
    credential = payload.vc;
    form = "vc-claim";
  } else {
    credential = Object.fromEntries(
      Object.entries(payload).filter(([key]) => !(REGISTERED_CLAIMS as readonly string[]).includes(key)),
    );
    form = "payload";
  }
  return {
    header,
    payload,
    credential,
    form,
    signingInput: utf8.encode(`${h}.${p}`),
    signature: new Uint8Array(Buffer.from(s, "base64url")),
  };
}

/**
 * OB 3.0's claim checks on a decoded VC-JWT whose signature has been verified: `iss`, `sub`, `jti` match the
 * credential, `nbf` equals `validFrom` (`issuanceDate` for VCDM 1.1) and has passed, `exp` equals `validUntil`
 * (`expirationDate`) and has not passed. Returns what is wrong; empty when all holds.
 */
export function vcJwtClaimIssues(decoded: Pick<DecodedVcJwt, "payload" | "credential">, now: Date): string[] {
  const { payload, credential } = decoded;
  const issues: string[] = [];
  const issuer = idOf(credential.issuer);
  if (payload.iss === undefined || payload.iss !== issuer)
    issues.push("`iss` does not match the credential's issuer id");
  const subject = singleSubjectId(credential.credentialSubject);
  if ((payload.sub !== undefined || subject !== undefined) && payload.sub !== subject) {
    issues.push("`sub` does not match credentialSubject.id");
  }
  if ((payload.jti !== undefined || credential.id !== undefined) && payload.jti !== credential.id) {
    issues.push("`jti` does not match the credential's id");
  }
  const seconds = Math.floor(now.getTime() / 1000);
  const validFrom = credential.validFrom ?? credential.issuanceDate;
  if (typeof payload.nbf !== "number") {
    issues.push("`nbf` is missing");
  } else {
    if (!sameSecond(payload.nbf, validFrom)) issues.push("`nbf` does not equal the credential's validFrom");
    if (payload.nbf > seconds) issues.push("the credential is not valid yet (`nbf`)");
  }
  const validUntil = credential.validUntil ?? credential.expirationDate;
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== "number") issues.push("`exp` is not a NumericDate");
    else {
      if (!sameSecond(payload.exp, validUntil)) issues.push("`exp` does not equal the credential's validUntil");
      if (payload.exp <= seconds) issues.push("the credential has expired (`exp`)");
    }
  } else if (validUntil !== undefined) {
    issues.push("`exp` is missing while the credential has validUntil");
  }
  return issues;
}

function sameSecond(numeric: number, dateTime: unknown): boolean {
  if (typeof dateTime !== "string") return false;
  const ms = Date.parse(dateTime);
  return !Number.isNaN(ms) && Math.floor(ms / 1000) === numeric;
}

function jsonPart(part: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch (error) {
    throw new GatewayError("unprocessable", `the VC-JWT ${name} is not base64url JSON`, [], { cause: error });
  }
  if (!isObject(value)) throw new GatewayError("unprocessable", `the VC-JWT ${name} is not a JSON object`);
  return value;
}

function numericDate(value: unknown, name: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new GatewayError("unprocessable", `${name} is not a valid date-time`);
  return Math.floor(ms / 1000);
}

function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return isObject(value) && typeof value.id === "string" ? value.id : undefined;
}

/** The `id` of the credential subject when there is exactly one subject (`sub` holds one value). */
function singleSubjectId(subject: unknown): string | undefined {
  const subjects = Array.isArray(subject) ? subject : [subject];
  return subjects.length === 1 ? idOf(subjects[0]) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
