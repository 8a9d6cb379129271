/**
 * JAdES seals (ETSI TS 119 182-1) as the EDC issuer makes them (research elm.md §3.1): JWS JSON serialization in its
 * general form (`{payload, signatures: [...]}`), the credential JSON as an unencoded payload (RFC 7797 `b64: false`),
 * and a protected header carrying the signing certificate (`x5c`, `x5t#S256`, `kid` as a base64 DER IssuerSerial)
 * and the claimed signing time `sigT`, both `b64` and `sigT` marked critical.
 *
 * The gateway seals at baseline B. Verification also reads EDC's B-T/LTA additions: the content time-stamp (`adoTst`)
 * and the signature time-stamp (`sigTst` in `etsiU`) are checked (`./timestamp.ts`); the rest of `etsiU` (`xVals`,
 * `rVals`, `arcTst`) is read and reported. Signing goes through the Signer port; verification uses node:crypto.
 */
import { constants, type KeyObject, X509Certificate as NodeCertificate, verify as verifySignature } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { isRecord } from "../../lib/guards.js";
import type { SignatureAlgorithm, Signer } from "../kernel/ports/index.js";
import { checkTimestampToken, type TimestampCheck } from "./timestamp.js";
import { certificateBase64, certificateDer, jadesKid, parseCertificate, x5tS256 } from "./x509.js";

/** Algorithms the gateway seals with (RSA keys: RS256 as EDC does, or PS256; P-256 keys: ES256). */
export type JadesAlgorithm = Extract<SignatureAlgorithm, "RS256" | "PS256" | "ES256">;

/** One signature of a JWS JSON serialization. */
export interface JwsSignature {
  /** BASE64URL(UTF8(JSON protected header)). */
  protected: string;
  /** Unprotected header (EDC's `etsiU` for B-LT/LTA); the gateway's B-level seals have none. */
  header?: Record<string, unknown>;
  signature: string;
}

/** A JAdES seal in the JWS JSON general serialization: the payload is the credential JSON, as a string. */
export interface JadesEnvelope {
  payload: string;
  signatures: JwsSignature[];
}

/** Options of {@link sealJades}. */
export interface SealOptions {
  signer: Signer;
  keyRef: string;
  alg: JadesAlgorithm;
  /** The seal certificate chain, leaf (the key's certificate) first. */
  chain: readonly X509Certificate[];
  /** The claimed signing time (`sigT`); default now. */
  now?: Date;
  /** Content type of the payload: EDC writes `octet-stream` (its test vectors `json`). Default `octet-stream`. */
  cty?: string;
}

/** The protected header the gateway writes, in EDC's member order. */
export interface JadesProtectedHeader {
  alg: JadesAlgorithm;
  cty: string;
  kid: string;
  "x5t#S256": string;
  x5c: string[];
  typ: "jose+json";
  b64: false;
  sigT: string;
  crit: ["b64", "sigT"];
}

/** The outcome of {@link verifyJades}. */
export interface JadesVerification {
  verified: boolean;
  /** Every reason the seal does not verify; empty when `verified`. */
  errors: string[];
  /** What was checked only in part (a time-stamp token's presence, not its validity). */
  warnings: string[];
  /** The first signature's protected header, when it could be decoded. */
  header?: Record<string, unknown>;
  /** The first signature's signing certificate (`x5c[0]`), when it could be parsed. */
  certificate?: X509Certificate;
  /** The signed payload (the credential JSON text), when the envelope has one. */
  payload?: string;
  /** The first signature's unprotected `etsiU` components (B-T/LT/LTA data), as read. */
  unsigned?: UnsignedProperties;
  /** Every signature's content and signature time-stamps, checked. */
  timestamps?: JadesTimestamp[];
}

/**
 * What a JAdES `etsiU` array holds (ETSI TS 119 182-1 §5.3): signature time-stamps (`sigTst`), certificate values
 * (`xVals`: the chain and the time-stamp authorities' certificates), revocation values (`rVals`: CRLs and OCSP
 * responses) and archive time-stamps (`arcTst`). Signature time-stamps are checked (`./timestamp.ts`: imprint over
 * the JWS signature value, TSA signature); archive time-stamps, CRLs and OCSP responses are counted, not validated;
 * `xVals` certificates help build the seal's chain.
 */
export interface UnsignedProperties {
  signatureTimestamps: number;
  /** The `sigTst` tokens (base64 DER), to check against the signature value. */
  signatureTimestampTokens: string[];
  archiveTimestamps: number;
  /** `xVals` certificates, standard base64 DER. */
  certificates: string[];
  crls: number;
  ocspResponses: number;
  /** Components that are not JSON or not one of the above. */
  unknown: string[];
}

/** The `val` of each token of a JAdES time-stamp property (`{tstTokens: [{val}]}`). */
function tokenValues(value: unknown): string[] {
  if (!isRecord(value) || !Array.isArray(value.tstTokens)) return [];
  return value.tstTokens.flatMap((t) => (isRecord(t) && typeof t.val === "string" ? [t.val] : []));
}

/** One time-stamp of a signature, checked. */
export interface JadesTimestamp {
  kind: "adoTst" | "sigTst";
  check: TimestampCheck;
}

/** Reads an `etsiU` array: each item a JSON object, base64url-encoded (EDC) or plain. */
export function readEtsiU(etsiU: unknown): UnsignedProperties {
  const out: UnsignedProperties = {
    signatureTimestamps: 0,
    signatureTimestampTokens: [],
    archiveTimestamps: 0,
    certificates: [],
    crls: 0,
    ocspResponses: 0,
    unknown: [],
  };
  const items = Array.isArray(etsiU) ? etsiU : [etsiU];
  const tokens = (value: unknown) => (isRecord(value) && Array.isArray(value.tstTokens) ? value.tstTokens.length : 0);
  const vals = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  for (const item of items) {
    const component = typeof item === "string" ? decodeHeader(item) : isRecord(item) ? item : undefined;
    if (!component) {
      out.unknown.push("(not a JSON object)");
      continue;
    }
    for (const [name, value] of Object.entries(component)) {
      if (name === "sigTst") {
        out.signatureTimestamps += tokens(value);
        out.signatureTimestampTokens.push(...tokenValues(value));
      } else if (name === "arcTst") out.archiveTimestamps += tokens(value);
      else if (name === "xVals" && Array.isArray(value)) {
        for (const v of value) {
          const cert = isRecord(v) && isRecord(v.x509Cert) ? v.x509Cert.val : undefined;
          if (typeof cert === "string") out.certificates.push(cert);
        }
      } else if (name === "rVals" && isRecord(value)) {
        out.crls += vals(value.crlVals);
        out.ocspResponses += vals(value.ocspVals);
      } else out.unknown.push(name);
    }
  }
  return out;
}

function describeEtsiU(u: UnsignedProperties): string {
  const parts = [
    `${u.signatureTimestamps} signature time-stamp(s) (sigTst)`,
    `${u.certificates.length} certificate value(s) (xVals)`,
    `${u.crls} CRL(s) and ${u.ocspResponses} OCSP response(s) (rVals)`,
    `${u.archiveTimestamps} archive time-stamp(s) (arcTst)`,
  ];
  if (u.unknown.length > 0) parts.push(`unknown: ${u.unknown.join(", ")}`);
  return `${parts.join(", ")}; archive time-stamps, CRLs and OCSP responses are not validated`;
}

/** The outcome of time-stamp checks, for a warning: what verified (and what was not checked), what did not. */
function describeTimestamps(what: string, checks: TimestampCheck[]): string {
  return checks
    .map((c) =>
      c.ok
        ? `the ${what} time-stamp of ${c.genTime ?? "?"} by "${c.tsa ?? "?"}" verified (imprint and TSA signature; the TSA is not checked against a trusted list)`
        : `a ${what} time-stamp does not hold: ${c.reason ?? "?"}`,
    )
    .join("; ");
}

/** `YYYY-MM-DDTHH:mm:ssZ`, the form of `sigT`. */
const sigTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const SIG_T = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const encoder = new TextEncoder();
const base64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64url");

/** The JWS signing input for a `b64: false` payload (RFC 7797 §3): ASCII(protected) "." payload bytes. */
export function signingInput(protectedHeader: string, payload: string, b64 = false): Uint8Array {
  const encodedPayload = b64 ? base64url(payload) : payload;
  const head = encoder.encode(`${protectedHeader}.`);
  const body = encoder.encode(encodedPayload);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * Seals a credential: its JSON (as `JSON.stringify` writes it) becomes the unencoded payload of a JAdES baseline B
 * signature by `keyRef`, whose certificate is `chain[0]`. Fill the issuer from the certificate first
 * (`applySealCertificate` in `mappings/elm/seal.ts`), as EDC does.
 */
export async function sealJades(credentialJson: object, options: SealOptions): Promise<JadesEnvelope> {
  const [leaf] = options.chain;
  if (!leaf) throw new RangeError("a JAdES seal needs the signing certificate");
  const header: JadesProtectedHeader = {
    alg: options.alg,
    cty: options.cty ?? "octet-stream",
    kid: jadesKid(leaf),
    "x5t#S256": x5tS256(leaf),
    x5c: options.chain.map(certificateBase64),
    typ: "jose+json",
    b64: false,
    sigT: sigTime(options.now ?? new Date()),
    crit: ["b64", "sigT"],
  };
  const payload = JSON.stringify(credentialJson);
  const protectedHeader = base64url(JSON.stringify(header));
  const signature = await options.signer.sign(options.keyRef, options.alg, signingInput(protectedHeader, payload));
  return { payload, signatures: [{ protected: protectedHeader, signature: base64url(signature) }] };
}

/** How node:crypto verifies each JWS algorithm a JAdES seal may use (DSS accepts SHA-256/384/512). */
const VERIFIERS: Record<string, { hash: string; kind: "pkcs1" | "pss" | "ecdsa"; keyType: string }> = {
  RS256: { hash: "sha256", kind: "pkcs1", keyType: "rsa" },
  RS384: { hash: "sha384", kind: "pkcs1", keyType: "rsa" },
  RS512: { hash: "sha512", kind: "pkcs1", keyType: "rsa" },
  PS256: { hash: "sha256", kind: "pss", keyType: "rsa" },
  PS384: { hash: "sha384", kind: "pss", keyType: "rsa" },
  PS512: { hash: "sha512", kind: "pss", keyType: "rsa" },
  ES256: { hash: "sha256", kind: "ecdsa", keyType: "ec" },
  ES384: { hash: "sha384", kind: "ecdsa", keyType: "ec" },
  ES512: { hash: "sha512", kind: "ecdsa", keyType: "ec" },
};

/** Header parameters this verifier processes, and so may be critical. `adoTst` tokens are checked (`./timestamp.ts`). */
const UNDERSTOOD_CRITICAL = new Set(["b64", "sigT", "adoTst", "sigX5ts", "srCms", "sigPl", "srAts", "sigPId"]);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeHeader(encoded: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(encoded)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function checkSignature(alg: string, key: KeyObject, input: Uint8Array, signature: Buffer): boolean {
  const how = VERIFIERS[alg];
  if (!how) return false;
  if (how.kind === "pss") {
    // RFC 7518 §3.5: the salt is as long as the hash.
    const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    return verifySignature(how.hash, input, pss, signature);
  }
  if (how.kind === "ecdsa") return verifySignature(how.hash, input, { key, dsaEncoding: "ieee-p1363" }, signature);
  return verifySignature(how.hash, input, key, signature);
}

/** A signing certificate (`x5c[0]`) parsed once: both parsed forms and what the checks compare with it. */
interface SigningCertificate {
  certificate: X509Certificate;
  /** The certificate's key, from node's parser (the signature check's). */
  publicKey: KeyObject;
  /** `x5t#S256` of the certificate. */
  x5t: string;
  notBefore: Date;
  notAfter: Date;
  /** The JAdES `kid` (IssuerSerial), made on first use: reading it may throw, as it did before the cache. */
  kid?: string;
}

/**
 * Signing certificates by their `x5c[0]` text, most recently used last. Parsing a certificate twice (@peculiar/x509
 * for the fields, node:crypto for the key) was most of a verification (bench), and an issuer's seals all
 * carry the same certificate: a small bounded cache (least recently used entry dropped first) keeps its parse.
 * Entries are immutable: a cached certificate is what parsing the same text gives again. Only certificates that parse
 * are kept, and texts longer than any real certificate are never kept.
 */
const signingCertificates = new Map<string, SigningCertificate>();
const SIGNING_CERTIFICATE_CACHE_SIZE = 64;
const CACHEABLE_CERTIFICATE_CHARS = 16 * 1024;

/** The parsed signing certificate of an `x5c[0]` text, from the cache when seen; throws when it is no certificate. */
function signingCertificate(text: string): SigningCertificate {
  const cached = signingCertificates.get(text);
  if (cached !== undefined) {
    signingCertificates.delete(text);
    signingCertificates.set(text, cached);
    return cached;
  }
  const certificate = parseCertificate(text);
  const parsed: SigningCertificate = {
    certificate,
    publicKey: new NodeCertificate(certificateDer(certificate)).publicKey,
    x5t: x5tS256(certificate),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
  if (text.length <= CACHEABLE_CERTIFICATE_CHARS) {
    if (signingCertificates.size >= SIGNING_CERTIFICATE_CACHE_SIZE) {
      const oldest = signingCertificates.keys().next().value;
      if (oldest !== undefined) signingCertificates.delete(oldest);
    }
    signingCertificates.set(text, parsed);
  }
  return parsed;
}

/** The `kid` of a signing certificate, computed once. */
function kidOf(signer: SigningCertificate): string {
  signer.kid ??= jadesKid(signer.certificate);
  return signer.kid;
}

/** How many signing certificates the verifier holds parsed (for tests of its bound). */
export const cachedSigningCertificates = (): number => signingCertificates.size;

/** Checks one signature; pushes what is wrong into `errors`. */
function verifyOne(
  payload: string,
  entry: unknown,
  at: string,
  errors: string[],
  warnings: string[],
): {
  header?: Record<string, unknown>;
  certificate?: X509Certificate;
  unsigned?: UnsignedProperties;
  timestamps?: JadesTimestamp[];
} {
  if (!isRecord(entry) || typeof entry.protected !== "string" || typeof entry.signature !== "string") {
    errors.push(`${at}: needs "protected" and "signature" strings`);
    return {};
  }
  const header = decodeHeader(entry.protected);
  if (!header) {
    errors.push(`${at}: the protected header is not base64url JSON`);
    return {};
  }
  const { alg, crit, b64, x5c, sigT, kid } = header;
  if (typeof alg !== "string" || !VERIFIERS[alg]) errors.push(`${at}: alg ${JSON.stringify(alg)} is not supported`);
  if (!Array.isArray(crit) || crit.some((name) => typeof name !== "string")) {
    errors.push(`${at}: crit must list the critical header parameters`);
  } else {
    for (const name of crit as string[]) {
      if (!UNDERSTOOD_CRITICAL.has(name)) errors.push(`${at}: critical header parameter "${name}" is not understood`);
      else if (!(name in header)) errors.push(`${at}: critical header parameter "${name}" is missing`);
    }
    if (b64 !== undefined && !crit.includes("b64")) errors.push(`${at}: b64 must be listed in crit (RFC 7797)`);
    if (sigT !== undefined && !crit.includes("sigT")) errors.push(`${at}: sigT must be listed in crit`);
  }
  if (b64 !== undefined && typeof b64 !== "boolean") errors.push(`${at}: b64 must be a boolean`);
  if (b64 !== false) errors.push(`${at}: a JAdES seal of a credential has an unencoded payload (b64: false)`);
  let unsigned: UnsignedProperties | undefined;
  const timestamps: JadesTimestamp[] = [];
  if (isRecord(entry.header) && "etsiU" in entry.header) {
    unsigned = readEtsiU(entry.header.etsiU);
    // ETSI TS 119 182-1 §5.3.4.1: the signature time-stamp's imprint is over the base64url JWS signature value.
    const signed = encoder.encode(entry.signature);
    const checks = unsigned.signatureTimestampTokens.map((t) => checkTimestampToken(t, signed));
    timestamps.push(...checks.map((check) => ({ kind: "sigTst" as const, check })));
    const stamps = checks.length > 0 ? `; ${describeTimestamps("signature", checks)}` : "";
    warnings.push(`${at}: the unprotected etsiU is read: ${describeEtsiU(unsigned)}${stamps}`);
  }
  if (header.adoTst !== undefined) {
    // §5.2.8.1: for an unencoded (b64 false) payload, the content time-stamp's imprint is over the payload itself.
    const checks = tokenValues(header.adoTst).map((t) => checkTimestampToken(t, encoder.encode(payload)));
    timestamps.push(...checks.map((check) => ({ kind: "adoTst" as const, check })));
    if (checks.some((c) => c.reason?.startsWith("its message imprint"))) {
      errors.push(`${at}: the content time-stamp (adoTst) in the signed header does not cover this payload`);
    }
    warnings.push(`${at}: adoTst: ${checks.length > 0 ? describeTimestamps("content", checks) : "holds no token"}`);
  }
  let signingTime: Date | undefined;
  if (typeof sigT !== "string" || !SIG_T.test(sigT) || Number.isNaN(Date.parse(sigT))) {
    errors.push(`${at}: sigT (the claimed signing time) must be YYYY-MM-DDThh:mm:ssZ`);
  } else signingTime = new Date(sigT);

  if (!Array.isArray(x5c) || x5c.length === 0 || typeof x5c[0] !== "string") {
    errors.push(`${at}: x5c must hold the signing certificate`);
    return { header };
  }
  let signer: SigningCertificate;
  try {
    signer = signingCertificate(x5c[0]);
  } catch {
    errors.push(`${at}: x5c[0] is not a base64 DER certificate`);
    return { header };
  }
  const { certificate } = signer;
  const thumbprint = header["x5t#S256"];
  if (thumbprint === undefined && header.sigX5ts === undefined) {
    errors.push(`${at}: no signing certificate digest (x5t#S256)`);
  } else if (thumbprint !== undefined && thumbprint !== signer.x5t) {
    errors.push(`${at}: x5t#S256 is not the digest of x5c[0]`);
  }
  if (kid !== undefined && kid !== kidOf(signer)) {
    errors.push(`${at}: kid is not the issuer and serial number of x5c[0]`);
  }
  if (signingTime && (signingTime < signer.notBefore || signingTime > signer.notAfter)) {
    errors.push(`${at}: sigT ${sigT} is outside the certificate's validity`);
  }
  if (typeof alg === "string" && VERIFIERS[alg]) {
    const key = signer.publicKey;
    const expected = VERIFIERS[alg]?.keyType;
    if (key.asymmetricKeyType !== expected && !(expected === "rsa" && key.asymmetricKeyType === "rsa-pss")) {
      errors.push(`${at}: alg ${alg} does not fit the certificate's ${key.asymmetricKeyType} key`);
    } else if (!BASE64URL.test(entry.signature)) {
      errors.push(`${at}: the signature is not base64url`);
    } else {
      const input = signingInput(entry.protected, payload, b64 !== false);
      let valid = false;
      try {
        valid = checkSignature(alg, key, input, Buffer.from(entry.signature, "base64url"));
      } catch {
        valid = false;
      }
      if (!valid) errors.push(`${at}: the signature does not verify with x5c[0]'s key`);
    }
  }
  return { header, certificate, ...(unsigned ? { unsigned } : {}), timestamps };
}

/**
 * Verifies a JAdES seal in the JWS JSON serialization (general `{payload, signatures}` or flattened
 * `{payload, protected, signature}`): every signature's critical parameters are understood, the payload is
 * unencoded, `x5t#S256` and `kid` name `x5c[0]`, `sigT` falls in its validity, and the signature verifies with its
 * key. Whether the certificate is trusted (qualified, on the EU trusted lists) is not checked here.
 */
export function verifyJades(envelope: unknown): JadesVerification {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!isRecord(envelope) || typeof envelope.payload !== "string") {
    return { verified: false, errors: ["not a JWS JSON serialization: no payload string"], warnings };
  }
  const payload = envelope.payload;
  const signatures: unknown[] = Array.isArray(envelope.signatures)
    ? envelope.signatures
    : "protected" in envelope
      ? [{ protected: envelope.protected, signature: envelope.signature, header: envelope.header }]
      : [];
  if (signatures.length === 0)
    return { verified: false, errors: ["the envelope has no signatures"], warnings, payload };
  const results = signatures.map((entry, i) => verifyOne(payload, entry, `signatures[${i}]`, errors, warnings));
  const first = results[0] ?? {};
  return {
    verified: errors.length === 0,
    errors,
    warnings,
    ...(first.header ? { header: first.header } : {}),
    ...(first.certificate ? { certificate: first.certificate } : {}),
    ...(first.unsigned ? { unsigned: first.unsigned } : {}),
    timestamps: results.flatMap((r) => r.timestamps ?? []),
    payload,
  };
}
