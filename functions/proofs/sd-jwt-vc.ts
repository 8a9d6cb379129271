/**
 * SD-JWT VC (draft-ietf-oauth-sd-jwt-vc over RFC 9901): the issuer-signed JWT with its disclosures, and the checks a
 * verifier makes. Issuance goes through `@sd-jwt/sd-jwt-vc` (salts, disclosures, `_sd` digests, `typ: dc+sd-jwt`) with
 * the signature made by the {@link Signer} port (KMS or the local key store). Verification is written here against
 * RFC 9901 §7 with `jose` for the JWS: the library (0.19) checks neither duplicate digests, disclosures no digest
 * refers to, nor the Key Binding JWT's `aud`, all of which RFC 9901 §7.1 and §7.3 require.
 */
import { createHash, randomBytes } from "node:crypto";
import { digest } from "@sd-jwt/crypto-nodejs";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { GatewayError } from "../kernel/errors.js";
import type { Signer } from "../kernel/ports/index.js";

/** `typ` of an SD-JWT VC; `vc+sd-jwt` was the value up to draft -05 and verifiers accept both for a while (§2.2.1). */
export const SD_JWT_VC_TYP = "dc+sd-jwt";
const ACCEPTED_TYPS = new Set([SD_JWT_VC_TYP, "vc+sd-jwt"]);
/** Claims that are never selectively disclosable (SD-JWT VC §2.2.2). */
const NEVER_DISCLOSABLE = new Set(["iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", "_sd", "_sd_alg"]);

const utf8 = new TextEncoder();
/** How far a Key Binding JWT's `iat` may be from now (RFC 9901 §7.3 leaves the window to the verifier). */
const KB_MAX_AGE_SECONDS = 300;

export interface SignSdJwtVcOptions {
  signer: Signer;
  keyRef: string;
  /** The JWK `kid` in the issuer's JWT VC Issuer Metadata. */
  kid: string;
  /** The certificate chain (base64 DER, leaf first) when the issuer's certificate names its `iss` (HAIP). */
  x5c?: string[];
}

/**
 * Signs `payload` as an SD-JWT VC (ES256) whose top-level claims named in `disclosable` are selectively disclosable;
 * returns `<issuer-signed JWT>~<disclosure>~…~`.
 */
export async function signSdJwtVc(
  payload: Record<string, unknown> & { iss: string; vct: string },
  disclosable: string[],
  options: SignSdJwtVcOptions,
): Promise<string> {
  const bad = disclosable.find((name) => NEVER_DISCLOSABLE.has(name));
  if (bad) throw new GatewayError("unprocessable", `${bad} cannot be selectively disclosable in an SD-JWT VC`);
  const instance = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: "sha-256",
    // RFC 9901 §9.3: at least 128 bits of salt, fresh per disclosure, base64url as its examples. The library's
    // generateSalt(n) gives n hex characters (n × 4 bits), so it is not used.
    saltGenerator: () => randomBytes(16).toString("base64url"),
    signAlg: "ES256",
    signer: async (data: string) => {
      const signature = await options.signer.sign(options.keyRef, "ES256", utf8.encode(data));
      if (signature.length !== 64) {
        throw new GatewayError("upstream-failed", `the signer returned ${signature.length} bytes for ES256`);
      }
      return Buffer.from(signature).toString("base64url");
    },
  });
  const present = disclosable.filter((name) => payload[name] !== undefined);
  // biome-ignore lint/suspicious/noExplicitAny: the library's DisclosureFrame type is keyed by the payload's own keys.
  const frame = { _sd: present } as any;
  return instance.issue(payload, frame, {
    header: { kid: options.kid, ...(options.x5c ? { x5c: options.x5c } : {}) },
  });
}

/** The parts of an SD-JWT (+KB) compact serialization (RFC 9901 §4). */
export interface SdJwtParts {
  jwt: string;
  disclosures: string[];
  /** The Key Binding JWT, when the string does not end with `~`. */
  kbJwt?: string;
}

/** Splits `<jwt>~<d1>~…~<dN>~[<kb-jwt>]`; refuses what is not that shape. */
export function splitSdJwt(compact: string): SdJwtParts {
  const parts = compact.trim().split("~");
  if (parts.length < 2) throw new GatewayError("unprocessable", "an SD-JWT is `<jwt>~<disclosures>~`: no `~` found");
  const jwt = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const disclosures = parts.slice(1, -1);
  if (jwt.split(".").length !== 3)
    throw new GatewayError("unprocessable", "the issuer-signed JWT is not a compact JWS");
  if (disclosures.some((d) => d.length === 0)) throw new GatewayError("unprocessable", "an empty disclosure");
  return { jwt, disclosures, ...(last !== "" ? { kbJwt: last } : {}) };
}

export const sha256b64url = (text: string): string => createHash("sha256").update(text, "ascii").digest("base64url");

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseDisclosure(encoded: string): { name?: string; value: unknown } {
  let array: unknown;
  try {
    array = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw new GatewayError("unprocessable", "a disclosure is not base64url JSON");
  }
  if (!Array.isArray(array) || typeof array[0] !== "string") {
    throw new GatewayError("unprocessable", "a disclosure is not a JSON array starting with a salt");
  }
  if (array.length === 3 && typeof array[1] === "string") {
    if (array[1] === "_sd" || array[1] === "...") {
      throw new GatewayError("unprocessable", `a disclosure names the reserved claim ${array[1]}`);
    }
    return { name: array[1], value: array[2] };
  }
  if (array.length === 2) return { value: array[1] };
  throw new GatewayError("unprocessable", "a disclosure has neither 2 nor 3 elements");
}

/** What the disclosures revealed, with where (claims path pointers, as DCQL writes them). */
export interface Unpacked {
  claims: Record<string, unknown>;
  disclosed: (string | number)[][];
}

/**
 * RFC 9901 §7.1 steps 3–5: replaces each digest by its disclosure, refusing a digest found twice, a disclosure whose
 * digest no `_sd` or `...` holds, a disclosed name already in the object, and disclosures of the never-disclosable
 * claims.
 */
export function unpackDisclosures(payload: Record<string, unknown>, disclosures: string[]): Unpacked {
  if (payload._sd_alg !== undefined && payload._sd_alg !== "sha-256") {
    throw new GatewayError("unprocessable", `unsupported _sd_alg ${String(payload._sd_alg)}`);
  }
  const byDigest = new Map<string, string>();
  for (const d of disclosures) {
    const h = sha256b64url(d);
    if (byDigest.has(h)) throw new GatewayError("unprocessable", "the same disclosure is presented twice");
    byDigest.set(h, d);
  }
  const seen = new Set<string>();
  const used = new Set<string>();
  const disclosed: (string | number)[][] = [];
  const take = (h: unknown): string | undefined => {
    if (typeof h !== "string") throw new GatewayError("unprocessable", "a digest is not a string");
    if (seen.has(h)) throw new GatewayError("unprocessable", "a digest appears more than once in the SD-JWT");
    seen.add(h);
    const d = byDigest.get(h);
    if (d !== undefined) used.add(h);
    return d;
  };
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const element of value) {
        if (isObject(element) && "..." in element) {
          if (Object.keys(element).length !== 1) {
            throw new GatewayError("unprocessable", "an array digest object has keys besides `...`");
          }
          const d = take(element["..."]);
          if (d === undefined) continue;
          const parsed = parseDisclosure(d);
          if (parsed.name !== undefined) throw new GatewayError("unprocessable", "an object disclosure in an array");
          disclosed.push([...path, out.length]);
          out.push(walk(parsed.value, [...path, out.length]));
        } else out.push(walk(element, [...path, out.length]));
      }
      return out;
    }
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === "_sd" || (key === "_sd_alg" && path.length === 0)) continue;
      out[key] = walk(v, [...path, key]);
    }
    const digests = value._sd;
    if (digests !== undefined) {
      if (!Array.isArray(digests)) throw new GatewayError("unprocessable", "`_sd` is not an array");
      for (const h of digests) {
        const d = take(h);
        if (d === undefined) continue;
        const parsed = parseDisclosure(d);
        if (parsed.name === undefined) throw new GatewayError("unprocessable", "an array disclosure in `_sd`");
        if (parsed.name in out) {
          throw new GatewayError("unprocessable", `the disclosed claim ${parsed.name} is already in the object`);
        }
        if (path.length === 0 && NEVER_DISCLOSABLE.has(parsed.name)) {
          throw new GatewayError("unprocessable", `${parsed.name} must not be selectively disclosed`);
        }
        disclosed.push([...path, parsed.name]);
        out[parsed.name] = walk(parsed.value, [...path, parsed.name]);
      }
    }
    return out;
  };
  const claims = walk(payload, []) as Record<string, unknown>;
  if (used.size !== byDigest.size) {
    throw new GatewayError("unprocessable", "a disclosure is not referred to by any digest of the SD-JWT");
  }
  return { claims, disclosed };
}

export interface VerifiedSdJwtVc {
  header: Record<string, unknown>;
  /** The issuer-signed payload as signed (digests, not claims). */
  payload: Record<string, unknown>;
  claims: Record<string, unknown>;
  disclosed: (string | number)[][];
  keyBinding?: { header: Record<string, unknown>; payload: Record<string, unknown> };
}

export interface VerifySdJwtVcOptions {
  /** The issuer's public key for the header's `kid` (from its JWT VC Issuer Metadata); undefined when unknown. */
  issuerKey: (iss: string, kid: string | undefined) => Promise<JWK | undefined>;
  now: Date;
  /** When given, a Key Binding JWT is required, with this `nonce` and `aud` where they are given (RFC 9901 §7.3). */
  keyBinding?: { nonce?: string; aud?: string };
  /** Seconds of clock skew allowed on `iat`/`nbf`/`exp`. */
  skewSeconds?: number;
}

/**
 * Verifies an SD-JWT VC: `typ`, the issuer's ES256 signature, `iss`/`vct`, the disclosures (RFC 9901 §7.1), the
 * validity window, and the Key Binding JWT (`typ: kb+jwt`, signed by `cnf.jwk`, `nonce`, `aud`, `iat`, `sd_hash`)
 * when one is required or present. Throws `unprocessable` naming the first failure.
 */
export async function verifySdJwtVc(compact: string, options: VerifySdJwtVcOptions): Promise<VerifiedSdJwtVc> {
  const { jwt, disclosures, kbJwt } = splitSdJwt(compact);
  const header = decodeProtectedHeader(jwt) as Record<string, unknown>;
  if (typeof header.typ !== "string" || !ACCEPTED_TYPS.has(header.typ)) {
    throw new GatewayError("unprocessable", `the SD-JWT VC header typ is ${String(header.typ)}, not ${SD_JWT_VC_TYP}`);
  }
  const unverified = JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString("utf8")) as unknown;
  if (!isObject(unverified)) throw new GatewayError("unprocessable", "the SD-JWT VC payload is not a JSON object");
  const iss = unverified.iss;
  if (typeof iss !== "string") throw new GatewayError("unprocessable", "the SD-JWT VC has no `iss`");
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const jwk = await options.issuerKey(iss, kid);
  if (!jwk) throw new GatewayError("unprocessable", `no key of ${iss} in its JWT VC Issuer Metadata for kid ${kid}`);
  let payload: Record<string, unknown>;
  try {
    const key = await importJWK(jwk, "ES256");
    const result = await compactVerify(jwt, key, { algorithms: ["ES256"] });
    payload = JSON.parse(new TextDecoder().decode(result.payload)) as Record<string, unknown>;
  } catch (error) {
    throw new GatewayError("unprocessable", "the issuer's signature on the SD-JWT VC does not verify", [], {
      cause: error,
    });
  }
  if (typeof payload.vct !== "string" || payload.vct === "") throw new GatewayError("unprocessable", "no `vct`");
  const now = Math.floor(options.now.getTime() / 1000);
  const skew = options.skewSeconds ?? 60;
  if (typeof payload.nbf === "number" && payload.nbf > now + skew) {
    throw new GatewayError("unprocessable", "the SD-JWT VC is not valid yet (`nbf`)");
  }
  if (typeof payload.exp === "number" && payload.exp <= now - skew) {
    throw new GatewayError("unprocessable", "the SD-JWT VC has expired (`exp`)");
  }
  const { claims, disclosed } = unpackDisclosures(payload, disclosures);
  const out: VerifiedSdJwtVc = { header, payload, claims, disclosed };
  if (kbJwt === undefined) {
    if (options.keyBinding) throw new GatewayError("unprocessable", "a Key Binding JWT is required and absent");
    return out;
  }
  const cnf = payload.cnf;
  if (!isObject(cnf) || !isObject(cnf.jwk)) {
    throw new GatewayError("unprocessable", "a Key Binding JWT is present but the SD-JWT VC has no `cnf.jwk`");
  }
  const kbHeader = decodeProtectedHeader(kbJwt) as Record<string, unknown>;
  if (kbHeader.typ !== "kb+jwt") throw new GatewayError("unprocessable", "the Key Binding JWT typ is not kb+jwt");
  const alg = typeof kbHeader.alg === "string" ? kbHeader.alg : "";
  if (alg === "" || alg === "none") throw new GatewayError("unprocessable", "the Key Binding JWT has no algorithm");
  let kbPayload: Record<string, unknown>;
  try {
    const holderKey = await importJWK(cnf.jwk as JWK, alg);
    const result = await compactVerify(kbJwt, holderKey, { algorithms: [alg] });
    kbPayload = JSON.parse(new TextDecoder().decode(result.payload)) as Record<string, unknown>;
  } catch (error) {
    throw new GatewayError("unprocessable", "the Key Binding JWT's signature does not verify with `cnf.jwk`", [], {
      cause: error,
    });
  }
  const presented = `${jwt}~${disclosures.map((d) => `${d}~`).join("")}`;
  if (kbPayload.sd_hash !== sha256b64url(presented)) {
    throw new GatewayError("unprocessable", "the Key Binding JWT's sd_hash does not match the presented SD-JWT");
  }
  if (typeof kbPayload.iat !== "number" || Math.abs(kbPayload.iat - now) > KB_MAX_AGE_SECONDS) {
    throw new GatewayError("unprocessable", "the Key Binding JWT's iat is missing or not recent");
  }
  if (typeof kbPayload.nonce !== "string" || typeof kbPayload.aud !== "string") {
    throw new GatewayError("unprocessable", "the Key Binding JWT lacks its nonce or aud (RFC 9901 §4.3: required)");
  }
  if (options.keyBinding) {
    if (options.keyBinding.nonce !== undefined && kbPayload.nonce !== options.keyBinding.nonce) {
      throw new GatewayError("unprocessable", "the Key Binding JWT's nonce is not the expected one");
    }
    if (options.keyBinding.aud !== undefined && kbPayload.aud !== options.keyBinding.aud) {
      throw new GatewayError("unprocessable", "the Key Binding JWT's aud is not this verifier");
    }
  }
  out.keyBinding = { header: kbHeader, payload: kbPayload };
  return out;
}
