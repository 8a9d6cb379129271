/**
 * Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0): what
 * Open Badges 3.0 requires of embedded proofs. Verification also accepts `ecdsa-rdfc-2019` with P-256 keys (W3C Data
 * Integrity ECDSA Cryptosuites v1.0): the same transformation and hashing, signed with ECDSA P-256 / SHA-256, the
 * proofValue being base58btc of the 64-byte r‖s. The signed bytes are SHA-256(canonical proof config) ‖
 * SHA-256(canonical document), 64 bytes, so a remote signer (KMS) only ever receives 64 bytes. Canonicalization is
 * RDFC-1.0 through the document loader the caller passes (`contexts`), in safe mode ({@link canonize}). Keys are used through the
 * {@link Signer} port; verification takes a resolver for public keys, so it never fetches anything itself.
 */

import { createHash, createPublicKey, type KeyObject, verify as verifySignature } from "node:crypto";
import { base58 } from "@scure/base";
import { GatewayError } from "../kernel/errors.js";
import type { JsonLdContexts, PublicJwk, Signer } from "../kernel/ports/index.js";
import { multibaseToJwk } from "./multikey.js";
import { assertPinnedContexts, type CanonicalizationLimits, canonize } from "./rdfc.js";

/** The proof `type` of every Data Integrity proof (the cryptosuite is named separately). */
export const DATA_INTEGRITY_PROOF = "DataIntegrityProof";
/** The VC Data Model 2.0 context, which defines the Data Integrity terms. */
const VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";
/** The cryptosuite OB 3.0 conformance requires of embedded proofs: Ed25519 over RDFC-1.0 canonical N-Quads. */
export const EDDSA_RDFC_2022 = "eddsa-rdfc-2022";

/**
 * The cryptosuite's name in drafts before the RDFC/JCS split (2023): the same algorithm. Accepted when verifying (the
 * 1EdTech validator's `simple-eddsa-2022` fixture uses it), never written.
 */
export const EDDSA_2022_LEGACY = "eddsa-2022";

/** ECDSA over RDFC-1.0 canonical N-Quads; verified for P-256 keys (SHA-256) only, never written. */
export const ECDSA_RDFC_2019 = "ecdsa-rdfc-2019";

/** The cryptosuites {@link verifyEddsaRdfc2022Proof} accepts. */
const EDDSA_SUITES: ReadonlySet<string> = new Set([EDDSA_RDFC_2022, EDDSA_2022_LEGACY]);
/** The cryptosuites {@link verifyDataIntegrityProof} accepts. */
const ALL_SUITES: ReadonlySet<string> = new Set([...EDDSA_SUITES, ECDSA_RDFC_2019]);

/** The Data Integrity context: defines the proof terms for documents that do not use the VC 2.0 context. */
const DATA_INTEGRITY_CONTEXT_V2_URL = "https://w3id.org/security/data-integrity/v2";

/** Verification relationships a proof can be made for: credentials use `assertionMethod`, presentations `authentication`. */
export type ProofPurpose = "assertionMethod" | "authentication";

/** A Data Integrity proof as it appears in a secured document. */
export interface DataIntegrityProof {
  type: typeof DATA_INTEGRITY_PROOF;
  id?: string;
  created?: string;
  verificationMethod: string;
  cryptosuite: string;
  proofPurpose: string;
  challenge?: string;
  domain?: string | string[];
  previousProof?: string | string[];
  proofValue: string;
}

/** A JSON-LD document with one proof, or a proof set (whose other members may be proofs of any kind). */
export type SecuredDocument = Record<string, unknown> & {
  proof: DataIntegrityProof | (DataIntegrityProof | Record<string, unknown>)[];
};

export interface CreateEddsaProofOptions {
  /** The JSON-LD contexts the document may name (the gateway's pinned ones). */
  contexts: JsonLdContexts;
  signer: Signer;
  /** The Ed25519 key in the signer's store. */
  keyRef: string;
  /** URL of the key's verification method (a DID URL), as published in the issuer's DID document. */
  verificationMethod: string;
  /** `created` of the proof, at second precision. Default: the current time. */
  created?: Date;
  /** Default `assertionMethod`. */
  proofPurpose?: ProofPurpose;
  challenge?: string;
  domain?: string;
  /** An id (a URL) for the proof, so later proofs can name it in `previousProof`. */
  id?: string;
  /** Ids of proofs already on the document that this one endorses (a proof chain); they are signed with the document. */
  previousProof?: string | string[];
  limits?: CanonicalizationLimits;
  /**
   * When the document's contexts define no Data Integrity terms (a VCDM 1.1 credential), append the Data Integrity v2
   * context to its `@context` before signing, as VC Data Integrity has implementations do; otherwise such a document is
   * refused.
   */
  addSuiteContext?: boolean;
}

/**
 * Adds an `eddsa-rdfc-2022` proof to a JSON-LD document (a credential or a presentation) and returns the secured copy;
 * the input is not changed. A document that already has proofs gets a proof set (and, with `previousProof`, a proof
 * chain). Throws `unprocessable` for a document that is not JSON-LD the gateway can sign without losing data (an
 * unpinned context, a term or type its contexts do not define, a relative id), `limit-exceeded` for a document whose
 * canonicalization exceeds its bounds, and whatever the signer throws.
 */
export async function createEddsaRdfc2022Proof(
  document: Record<string, unknown>,
  options: CreateEddsaProofOptions,
): Promise<SecuredDocument> {
  if (!isObject(document)) throw new GatewayError("unprocessable", "only a JSON object can carry a proof");
  let contexts = assertPinnedContexts(document, options.contexts);
  const definesProof = contexts.includes(VC_V2_CONTEXT_URL) || contexts.includes(DATA_INTEGRITY_CONTEXT_V2_URL);
  if (!definesProof && options.addSuiteContext === true) {
    const current = document["@context"];
    const list = Array.isArray(current) ? current : current === undefined ? [] : [current];
    document = { ...document, "@context": [...list, DATA_INTEGRITY_CONTEXT_V2_URL] };
    contexts = assertPinnedContexts(document, options.contexts);
  }
  if (!contexts.includes(VC_V2_CONTEXT_URL) && !contexts.includes(DATA_INTEGRITY_CONTEXT_V2_URL)) {
    throw new GatewayError(
      "unprocessable",
      `a ${EDDSA_RDFC_2022} proof needs the VC 2.0 context (${VC_V2_CONTEXT_URL}) in @context, which defines ${DATA_INTEGRITY_PROOF}`,
    );
  }
  if (!URL.canParse(options.verificationMethod)) {
    throw new GatewayError("unprocessable", "the verification method must be an absolute URL");
  }
  const created = options.created ?? new Date();
  if (Number.isNaN(created.getTime())) throw new GatewayError("unprocessable", "`created` is not a valid date");

  const existing = toArray(document.proof);
  if (!existing.every(isObject))
    throw new GatewayError("unprocessable", "the document's existing proof is not an object");
  const unsecured = withoutProof(document);
  if (options.previousProof !== undefined) unsecured.proof = previousProofs(options.previousProof, existing);
  const config: Omit<DataIntegrityProof, "proofValue"> = {
    type: DATA_INTEGRITY_PROOF,
    ...(options.id === undefined ? {} : { id: options.id }),
    created: xsdDateTimeStamp(created),
    verificationMethod: options.verificationMethod,
    cryptosuite: EDDSA_RDFC_2022,
    proofPurpose: options.proofPurpose ?? "assertionMethod",
    ...(options.challenge === undefined ? {} : { challenge: options.challenge }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options.previousProof === undefined ? {} : { previousProof: options.previousProof }),
  };
  const data = await hashData(
    unsecured,
    { "@context": document["@context"], ...config },
    options.contexts,
    options.limits,
  );
  const signature = await options.signer.sign(options.keyRef, "EdDSA", data);
  if (signature.length !== 64) {
    throw new GatewayError(
      "upstream-failed",
      `the signer returned ${signature.length} bytes, not an Ed25519 signature`,
    );
  }
  const proof: DataIntegrityProof = { ...config, proofValue: `z${base58.encode(signature)}` };
  return { ...document, proof: existing.length === 0 ? proof : [...existing, proof] };
}

/** Error codes of the Data Integrity specification's verification algorithms. */
export type DataIntegrityErrorCode =
  | "PROOF_VERIFICATION_ERROR"
  | "PROOF_TRANSFORMATION_ERROR"
  | "MALFORMED_PROOF_ERROR"
  | "MISMATCHED_PROOF_PURPOSE_ERROR"
  | "INVALID_DOMAIN_ERROR"
  | "INVALID_CHALLENGE_ERROR";

export interface VerificationIssue {
  code: DataIntegrityErrorCode;
  message: string;
  /** Position of the proof in the proof set, when the issue is about one proof. */
  proofIndex?: number;
}

/** The outcome for one proof of the document. */
export interface ProofCheck {
  proofIndex: number;
  verificationMethod?: string;
  /** The cryptosuite the proof names (`eddsa-rdfc-2022`, its legacy name `eddsa-2022`, or `ecdsa-rdfc-2019`). */
  cryptosuite?: string;
  verified: boolean;
}

export interface DataIntegrityVerification {
  /** True only when the document has at least one proof and every proof verified. */
  verified: boolean;
  proofs: ProofCheck[];
  errors: VerificationIssue[];
}

export interface VerifyEddsaProofOptions {
  /**
   * The public key of a verification method: a public JWK or a `publicKeyMultibase` value. It is the resolver's job to
   * check that the method may be used for the proof's purpose (listed under `assertionMethod` in its controller's DID
   * document, and that controller being the credential's issuer); a rejection becomes a verification error.
   */
  resolvePublicKey(verificationMethodId: string): Promise<PublicJwk | string>;
  /** The JSON-LD contexts the document may name (the gateway's pinned ones). */
  contexts: JsonLdContexts;
  /** Default `assertionMethod`. */
  expectedProofPurpose?: ProofPurpose;
  /** When given, each proof must carry this `challenge`. */
  challenge?: string;
  /** When given, each proof's `domain` must be or include it. */
  domain?: string;
  limits?: CanonicalizationLimits;
}

/**
 * Verifies every `eddsa-rdfc-2022` proof of a secured document (a proof set: all must verify; proof chains are followed
 * through `previousProof`). Never throws for a bad document: everything wrong is reported in `errors`. A proof of
 * another type or cryptosuite is reported as unsupported and fails the document.
 */
export function verifyEddsaRdfc2022Proof(
  document: unknown,
  options: VerifyEddsaProofOptions,
): Promise<DataIntegrityVerification> {
  return verifyProofs(document, options, EDDSA_SUITES);
}

/**
 * Like {@link verifyEddsaRdfc2022Proof}, and also verifies `ecdsa-rdfc-2019` proofs made with P-256 keys (the resolver
 * then returns an EC P-256 JWK or a `zDn…` Multikey): what the verification endpoint accepts.
 */
export function verifyDataIntegrityProof(
  document: unknown,
  options: VerifyEddsaProofOptions,
): Promise<DataIntegrityVerification> {
  return verifyProofs(document, options, ALL_SUITES);
}

async function verifyProofs(
  document: unknown,
  options: VerifyEddsaProofOptions,
  suites: ReadonlySet<string>,
): Promise<DataIntegrityVerification> {
  if (!isObject(document)) {
    return failed([{ code: "PROOF_VERIFICATION_ERROR", message: "the secured document is not a JSON object" }]);
  }
  const proofs = toArray(document.proof);
  if (proofs.length === 0) return failed([{ code: "MALFORMED_PROOF_ERROR", message: "the document has no proof" }]);
  if (!proofs.every(isObject)) {
    return failed([{ code: "MALFORMED_PROOF_ERROR", message: "every proof of the document must be an object" }]);
  }
  const checks: ProofCheck[] = [];
  const errors: VerificationIssue[] = [];
  for (const [proofIndex, proof] of proofs.entries()) {
    const issues = await verifyOne(document, proof, proofs, options, suites);
    const verificationMethod = typeof proof.verificationMethod === "string" ? proof.verificationMethod : undefined;
    const cryptosuite = typeof proof.cryptosuite === "string" ? proof.cryptosuite : undefined;
    checks.push({
      proofIndex,
      ...(verificationMethod ? { verificationMethod } : {}),
      ...(cryptosuite ? { cryptosuite } : {}),
      verified: issues.length === 0,
    });
    errors.push(...issues.map((issue) => ({ ...issue, proofIndex })));
  }
  return { verified: errors.length === 0, proofs: checks, errors };
}

type Issue = Omit<VerificationIssue, "proofIndex">;

async function verifyOne(
  document: Record<string, unknown>,
  proof: Record<string, unknown>,
  allProofs: Record<string, unknown>[],
  options: VerifyEddsaProofOptions,
  suites: ReadonlySet<string>,
): Promise<Issue[]> {
  if (proof.type !== DATA_INTEGRITY_PROOF || typeof proof.cryptosuite !== "string" || !suites.has(proof.cryptosuite)) {
    const accepted = suites.has(ECDSA_RDFC_2019) ? ` or ${ECDSA_RDFC_2019} (P-256)` : "";
    return [
      {
        code: "PROOF_VERIFICATION_ERROR",
        message: `unsupported proof ${JSON.stringify(proof.type)} / ${JSON.stringify(proof.cryptosuite)}: only ${DATA_INTEGRITY_PROOF} with ${EDDSA_RDFC_2022} (or its legacy name ${EDDSA_2022_LEGACY})${accepted} is verified here`,
      },
    ];
  }
  const ecdsa = proof.cryptosuite === ECDSA_RDFC_2019;
  const { signature, issues: malformed } = malformedIssues(proof, options, ecdsa);
  if (signature === undefined || malformed.length > 0) return malformed;
  const { proofValue: _proofValue, ...proofOptions } = proof;
  const verificationMethod = proof.verificationMethod as string;

  const unsecured = withoutProof(document);
  if (proofOptions["@context"] !== undefined) {
    // The proof names the contexts it was made under: the document's must start with them, in order.
    const expected = toArray(proofOptions["@context"]);
    const actual = toArray(document["@context"]);
    if (!expected.every((entry, i) => JSON.stringify(entry) === JSON.stringify(actual[i]))) {
      return [{ code: "PROOF_VERIFICATION_ERROR", message: "the document's @context does not start with the proof's" }];
    }
    unsecured["@context"] = proofOptions["@context"];
  }
  if (proof.previousProof !== undefined) {
    try {
      unsecured.proof = previousProofs(proof.previousProof, allProofs);
    } catch (error) {
      return [{ code: "PROOF_VERIFICATION_ERROR", message: messageOf(error) }];
    }
  }

  let data: Uint8Array;
  try {
    assertPinnedContexts(unsecured, options.contexts);
    data = await hashData(
      unsecured,
      { ...proofOptions, "@context": unsecured["@context"] },
      options.contexts,
      options.limits,
    );
  } catch (error) {
    return [{ code: "PROOF_TRANSFORMATION_ERROR", message: messageOf(error) }];
  }

  let key: KeyObject;
  try {
    key = publicKeyFor(await options.resolvePublicKey(verificationMethod), ecdsa);
  } catch (error) {
    return [
      {
        code: "PROOF_VERIFICATION_ERROR",
        message: `cannot use verification method ${JSON.stringify(verificationMethod)}: ${messageOf(error)}`,
      },
    ];
  }
  const valid = ecdsa
    ? verifySignature("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature)
    : verifySignature(null, data, key, signature);
  if (!valid) {
    return [{ code: "PROOF_VERIFICATION_ERROR", message: "the signature does not match the document and the key" }];
  }
  return [];
}

const XSD_DATE_TIME_STAMP = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The checks on a proof's own members that need neither canonicalization nor a key, and the signature bytes of its
 * proofValue (decoded once here: base58 decoding is quadratic in the length).
 */
function malformedIssues(
  proof: Record<string, unknown>,
  options: VerifyEddsaProofOptions,
  ecdsa: boolean,
): { signature: Uint8Array | undefined; issues: Issue[] } {
  const issues: Issue[] = [];
  let signature: Uint8Array | undefined;
  const { proofValue, verificationMethod, proofPurpose, created, expires, challenge, domain } = proof;
  if (typeof proofValue !== "string" || !proofValue.startsWith("z")) {
    issues.push({ code: "MALFORMED_PROOF_ERROR", message: "proofValue must be a base58btc multibase string (z...)" });
  } else {
    let bytes: Uint8Array | undefined;
    try {
      bytes = base58.decode(proofValue.slice(1));
    } catch {
      bytes = undefined;
    }
    if (bytes?.length === 64) signature = bytes;
    else {
      issues.push({
        code: "MALFORMED_PROOF_ERROR",
        message: ecdsa
          ? "proofValue is not a 64-byte P-256 signature (r‖s)"
          : "proofValue is not a 64-byte Ed25519 signature",
      });
    }
  }
  if (typeof verificationMethod !== "string" || !URL.canParse(verificationMethod)) {
    issues.push({ code: "MALFORMED_PROOF_ERROR", message: "verificationMethod must be a URL" });
  }
  const expectedPurpose = options.expectedProofPurpose ?? "assertionMethod";
  if (typeof proofPurpose !== "string") {
    issues.push({ code: "MALFORMED_PROOF_ERROR", message: "the proof has no proofPurpose" });
  } else if (proofPurpose !== expectedPurpose) {
    issues.push({
      code: "MISMATCHED_PROOF_PURPOSE_ERROR",
      message: `proofPurpose is ${JSON.stringify(proofPurpose)}, ${JSON.stringify(expectedPurpose)} was expected`,
    });
  }
  for (const [name, value] of [
    ["created", created],
    ["expires", expires],
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || !XSD_DATE_TIME_STAMP.test(value))) {
      issues.push({ code: "MALFORMED_PROOF_ERROR", message: `${name} must be an XML Schema dateTimeStamp` });
    }
  }
  if (options.challenge !== undefined && challenge !== options.challenge) {
    issues.push({ code: "INVALID_CHALLENGE_ERROR", message: "the proof's challenge is not the expected one" });
  }
  if (options.domain !== undefined && !toArray(domain).includes(options.domain)) {
    issues.push({ code: "INVALID_DOMAIN_ERROR", message: "the proof's domain is not the expected one" });
  }
  return { signature, issues };
}

/** Bound on the public keys {@link publicKeyFor} keeps imported (keys come from resolvers, i.e. from input). */
const MAX_PUBLIC_KEYS = 256;
/** Imported public keys by their resolved form (`publicKeyMultibase` or JWK members), with the JWK they came from. */
const publicKeys = new Map<string, { jwk: PublicJwk; key: KeyObject }>();

/**
 * The node:crypto public key for a resolved verification method, checked against the proof's cryptosuite. Imports are
 * remembered (bounded, oldest dropped first): a JWK import and a Multikey decode cost more than an Ed25519 hash of the
 * 64 signed bytes, and a verifier sees the same issuer keys over and over. The type checks run on every call.
 */
function publicKeyFor(resolved: PublicJwk | string, ecdsa: boolean): KeyObject {
  const id =
    typeof resolved === "string"
      ? `z|${resolved}`
      : `j|${resolved.kty}|${resolved.crv ?? ""}|${resolved.x ?? ""}|${resolved.y ?? ""}`;
  const cached = publicKeys.get(id);
  const jwk = cached?.jwk ?? (typeof resolved === "string" ? multibaseToJwk(resolved) : resolved);
  if (ecdsa && (jwk.kty !== "EC" || jwk.crv !== "P-256")) {
    throw new Error(`it is a ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ""} key, not P-256 (${ECDSA_RDFC_2019})`);
  }
  if (!ecdsa && (jwk.kty !== "OKP" || jwk.crv !== "Ed25519")) throw new Error(`it is a ${jwk.kty} key, not Ed25519`);
  if (cached !== undefined) return cached.key;
  const key = importPublicKey(jwk);
  if (publicKeys.size >= MAX_PUBLIC_KEYS) publicKeys.delete(publicKeys.keys().next().value as string);
  publicKeys.set(id, { jwk: { ...jwk }, key });
  return key;
}

/** A public JWK as a node:crypto key: Ed25519 and P-256 only (the keys Data Integrity proofs are verified with). */
function importPublicKey(jwk: PublicJwk): KeyObject {
  if (jwk.kty === "EC" && jwk.crv === "P-256") {
    return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: "jwk" });
  }
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") {
    return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: "jwk" });
  }
  throw new Error(`it is a ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ""} key, neither Ed25519 nor P-256`);
}

/** SHA-256(canonical proof config) ‖ SHA-256(canonical document): what eddsa-rdfc-2022 and ecdsa-rdfc-2019 (P-256) sign. */
async function hashData(
  unsecured: Record<string, unknown>,
  proofConfig: Record<string, unknown>,
  contexts: JsonLdContexts,
  limits: CanonicalizationLimits | undefined,
): Promise<Uint8Array> {
  const [proofHash, documentCanon] = await Promise.all([
    proofConfigHash(proofConfig, contexts, limits),
    canonize(unsecured, contexts, limits),
  ]);
  const out = new Uint8Array(64);
  out.set(proofHash, 0);
  out.set(createHash("sha256").update(documentCanon, "utf8").digest(), 32);
  return out;
}

/** Bound on the proof configurations {@link proofConfigHash} remembers. */
const MAX_PROOF_CONFIGS = 256;
/** Longest proof configuration (as JSON) worth remembering: the gateway's own are ~300 characters. */
const MAX_PROOF_CONFIG_KEY = 4_096;
/**
 * SHA-256 of canonical proof configurations by their JSON (with the limits they were canonicalized under), per set of
 * contexts (the same JSON can mean other terms under other contexts).
 */
const proofConfigHashesByContexts = new WeakMap<JsonLdContexts, Map<string, Uint8Array>>();

/**
 * SHA-256 of the canonical proof configuration. A signer's configurations repeat (same contexts, key, purpose and, in
 * a bulk run, the same `created` second) and a verifier sees the same proofs again, so the digest is remembered by the
 * configuration's JSON, which determines it (JSON-LD processing depends only on the document and the contexts):
 * bounded, oldest dropped first; failures are not remembered, so they are reported every time.
 */
async function proofConfigHash(
  proofConfig: Record<string, unknown>,
  contexts: JsonLdContexts,
  limits: CanonicalizationLimits | undefined,
): Promise<Uint8Array> {
  let proofConfigHashes = proofConfigHashesByContexts.get(contexts);
  if (proofConfigHashes === undefined) {
    proofConfigHashes = new Map();
    proofConfigHashesByContexts.set(contexts, proofConfigHashes);
  }
  const key = JSON.stringify([proofConfig, limits ?? null]);
  const cached = proofConfigHashes.get(key);
  if (cached !== undefined) return cached;
  const hash = createHash("sha256")
    .update(await canonize(proofConfig, contexts, limits), "utf8")
    .digest();
  if (key.length <= MAX_PROOF_CONFIG_KEY) {
    if (proofConfigHashes.size >= MAX_PROOF_CONFIGS)
      proofConfigHashes.delete(proofConfigHashes.keys().next().value as string);
    proofConfigHashes.set(key, hash);
  }
  return hash;
}

/** The proofs named by `previousProof`, as the document carried them; throws when one is missing. */
function previousProofs(
  previousProof: unknown,
  proofs: Record<string, unknown>[],
): Record<string, unknown> | Record<string, unknown>[] {
  const ids = toArray(previousProof);
  const found = ids.map((id) => {
    const match = typeof id === "string" ? proofs.find((proof) => proof.id === id) : undefined;
    if (match === undefined)
      throw new GatewayError("unprocessable", `previousProof ${JSON.stringify(id)} is not on the document`);
    return match;
  });
  return typeof previousProof === "string" && found[0] !== undefined ? found[0] : found;
}

/** `YYYY-MM-DDThh:mm:ssZ`: second precision, as Data Integrity libraries write `created`. */
function xsdDateTimeStamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function withoutProof(document: Record<string, unknown>): Record<string, unknown> {
  const { proof: _proof, ...rest } = document;
  return rest;
}

function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function failed(errors: VerificationIssue[]): DataIntegrityVerification {
  return { verified: false, proofs: [], errors };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
