/**
 * Verification: every check EDC's verifier (FORMAT, SEAL, EXPIRY, REVOCATION, OWNER/trust) and the OB 3.0
 * specification (§9: conformance, proof, status, validity window, endorsements) perform, each reported with a reason.
 * Input is a JSON-LD credential, a VC-JWT, a JAdES envelope or EDC's upload wrapper. `verified` is true only when no
 * check is in error (a `trust` error included: a seal on no trusted list is not verified; a failing embedded
 * endorsement too); a check that could not run is `skipped` and says why. `format` runs the OB 3.0 JSON Schema rules
 * (`./ob3-schema.ts`) or the ELM constraint table (`./elm-constraints.ts`); `trust` consults the configured
 * {@link TrustSource}s (`./trust.ts`). Bitstring status lists of this gateway are read from its store; those of other
 * hosts only with outbound HTTP. Keys are resolved without network unless outbound HTTP is configured (`./keys.ts`).
 */
import { X509Certificate as NodeCertificate } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from "jose";
import { isRecord } from "../../../lib/guards.js";
import { type Annex1Report, checkAnnex1 } from "../../../mappings/compliance/annex1.js";
import { ELM_RULES, elmConstraintIssues } from "../../../mappings/elm/constraints.js";
import type { Format } from "../../../mappings/formats.js";
import { pinnedContexts } from "../../../mappings/jsonld/loader.js";
import type { ReaderLimits } from "../../../mappings/limits.js";
import type { CanonicalCredential, Organisation, ReadResult } from "../../../mappings/model.js";
import { type BakedCredential, looksLikeBakedImage, readBakedImage } from "../../../mappings/ob3/baked.js";
import { ob3SchemaIssues, ob3ValidAsArrays, type SchemaIssue } from "../../../mappings/ob3/schema.js";
import { hasOb3Context } from "../../../mappings/ob3/sniff.js";
import { READERS, sniffFormat } from "../../../mappings/registry.js";
import { GatewayError } from "../../kernel/errors.js";
import { type JsonLimits, parseJsonText } from "../../kernel/json.js";
import type { Clock, CredentialStore, IssuerRecord, StatusListStore } from "../../kernel/ports/index.js";
import { EDDSA_2022_LEGACY, EDDSA_RDFC_2022, verifyDataIntegrityProof } from "../../proofs/data-integrity.js";
import { type JadesTimestamp, verifyJades } from "../../proofs/jades.js";
import { type DecodedVcJwt, decodeVcJwt, vcJwtClaimIssues } from "../../proofs/vc-jwt.js";
import { certificateBase64, isQualified } from "../../proofs/x509.js";
import { verificationMethodId } from "../issuers/did.js";
import {
  gatewayIssuerOf,
  KeyResolutionError,
  type KeyResolverDeps,
  publicJwkOf,
  type ResolvedKey,
  resolveVerificationMethod,
} from "../issuers/keys.js";
import { decodeList } from "../status/bitstring.js";
import {
  bitStatus,
  type EntryStatus,
  ownEntryStatus,
  ownListIdOf,
  STATUS_ENTRY_TYPE,
  STATUS_LIST_CREDENTIAL_TYPE,
} from "../status/status-lists.js";
import { assessTrust, summariseTrust, type TrustFinding, type TrustSource, type TrustSubject } from "../trust/trust.js";
import { relatedResourceFindings } from "./related-resources.js";
import { looksLikeSdJwt, type SdJwtVcReport, verifySdJwtVcCredential } from "./sd-jwt-vc.js";
import { issuerLabelOf, plainReason, type Verdict, verdictOf } from "./verdict.js";

export type CheckName =
  | "format"
  | "proof"
  | "expiry"
  | "status"
  | "trust"
  | "microCredential"
  | "endorsement"
  | "relatedResource";
export type CheckStatus = "ok" | "error" | "skipped";

export interface VerificationCheck {
  check: CheckName;
  status: CheckStatus;
  detail: string;
  /** `microCredential` only: the Annex I report of the credential. */
  report?: Annex1Report;
  /** `trust` only: what each trust source said. */
  findings?: TrustFinding[];
  /** A check in error: why, in plain words (`detail` is the technical account). */
  reason?: string;
}

export interface VerificationResult {
  /** True only when no check is in error. */
  verified: boolean;
  /**
   * What a person should conclude: `valid-trusted`, `valid-issuer-unknown` (verified, but no trust source confirms
   * the issuer) or `invalid`, with one plain sentence.
   */
  verdict: Verdict;
  checks: VerificationCheck[];
  warnings: string[];
  /** The detail of every check in error, prefixed with the check's name. */
  errors: string[];
  /** One result per embedded endorsement (OB 3.0 `endorsement` / `endorsementJwt`), verified like a credential. */
  endorsements?: EndorsementResult[];
  /** When the input was a baked badge image: which kind, and the credential text taken out of it (what was verified). */
  baked?: BakedCredential;
  /** An SD-JWT VC: its issuer, type, the claims the holder disclosed (and their values), whether key-bound. */
  sdJwtVc?: SdJwtVcReport["sdJwtVc"];
}

/** An embedded endorsement's own verification, and where it sits in the credential. */
export interface EndorsementResult extends Omit<VerificationResult, "endorsements"> {
  /** JSON Pointer of the endorsement in the credential (`/endorsement/0`, `/issuer/endorsementJwt/1`, ...). */
  at: string;
  /** Who endorses (the endorsement's issuer id), when readable. */
  endorser?: string;
}

export interface VerifyDeps extends KeyResolverDeps {
  /** `findIssuerByDid` (the store's DID index) is optional for callers with a bare store; without it did:key issuers are scanned. */
  store: Pick<CredentialStore, "getIssuer" | "listIssuers"> &
    Partial<Pick<CredentialStore, "findIssuerByDid" | "findIssuerByCertificate">>;
  clock: Clock;
  /** JSON limits of the request; `readers` the configured XML/sheet/zip limits the format readers work under. */
  limits: JsonLimits & { readers?: ReaderLimits };
  /** This gateway's status lists: BitstringStatusListEntry of its own lists are read here, never over HTTP. */
  statusLists?: Pick<StatusListStore, "getList">;
  /** Sources of trust consulted by the `trust` check (trusted issuers, trusted lists, DEQAR, ...). */
  trustSources?: readonly TrustSource[];
}

export interface VerifyInput {
  verifiableCredential: unknown;
  /** SD-JWT VC: `challenge` / `domain` are the Key Binding JWT's expected `nonce` / `aud`; either requires one. */
  options?: { challenge?: string; domain?: string };
}

const POINTER = "/body/verifiableCredential";
const JWT_ALGORITHMS = new Set(["EdDSA", "ES256", "RS256", "PS256"]);
const VC_CONTEXTS = new Set(["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"]);
/** How many registered issuers a lookup reads at most when the store offers no index (a bare store in tests, emulators). */
const ISSUER_SCAN_LIMIT = 1_000;

/** What the request carried, unpacked; `baked` when it came out of a baked badge image. */
type Parsed = (
  | { kind: "jsonld"; credential: Record<string, unknown>; readerInput: unknown }
  | { kind: "jwt"; credential: Record<string, unknown>; readerInput: unknown; jwt: string; decoded: DecodedVcJwt }
  | { kind: "jades"; credential: Record<string, unknown>; readerInput: unknown; envelope: Record<string, unknown> }
) & { baked?: BakedCredential };

/** What the proof check learned that the trust check needs. */
interface ProofFacts {
  ok: boolean;
  keys: ResolvedKey[];
  certificate?: X509Certificate;
  /** The verification methods that verified (Data Integrity `verificationMethod`, JWT `kid`). */
  methods?: string[];
  /** JAdES: the `x5c` chain (base64 DER, leaf first), `xVals` certificates and `sigT`. */
  chain?: string[];
  extraCertificates?: string[];
  signingTime?: string;
  /** JAdES: the verified signature time-stamps (`sigTst`), for the trust check's certificate time. */
  signatureTimestamps?: NonNullable<TrustSubject["signatureTimestamps"]>;
}

const check = (name: CheckName, status: CheckStatus, detail: string): VerificationCheck => ({
  check: name,
  status,
  detail,
});

/**
 * Verifies one credential. Throws a 4xx {@link GatewayError} only when the input is not a credential at all (not
 * JSON, not a JWS, no `@context` or `type`); everything wrong with a credential is a check in error.
 */
export async function verifyCredential(deps: VerifyDeps, input: VerifyInput): Promise<VerificationResult> {
  if (looksLikeSdJwt(input.verifiableCredential)) return verifySdJwt(deps, input.verifiableCredential, input.options);
  return verifyAt(deps, input.verifiableCredential, 0);
}

/** An SD-JWT VC (`sd-jwt-vc.ts`), its report made a verification result like the others. */
async function verifySdJwt(
  deps: VerifyDeps,
  compact: string,
  options: VerifyInput["options"],
): Promise<VerificationResult> {
  const { challenge, domain } = options ?? {};
  const keyBinding =
    challenge !== undefined || domain !== undefined
      ? { ...(challenge !== undefined ? { nonce: challenge } : {}), ...(domain !== undefined ? { aud: domain } : {}) }
      : undefined;
  const report = await verifySdJwtVcCredential(deps, compact, keyBinding);
  const errors = report.checks.filter((c) => c.status === "error").map((c) => `${c.check}: ${c.detail}`);
  const explained = report.checks.map((c) => (c.status === "error" ? { ...c, reason: plainReason(c) } : c));
  return {
    verified: errors.length === 0,
    verdict: verdictOf(explained, issuerLabelOf(report.issuer.id, report.issuer, false)),
    checks: explained,
    warnings: report.warnings,
    errors,
    ...(report.sdJwtVc ? { sdJwtVc: report.sdJwtVc } : {}),
  };
}

/** Endorsements are verified one level deep: an endorsement's own endorsements are not followed. */
const MAX_ENDORSEMENT_DEPTH = 1;
/** Most endorsements verified per credential; more are reported as not checked (bounded work per request). */
const MAX_ENDORSEMENTS = 20;

async function verifyAt(deps: VerifyDeps, input: unknown, depth: number): Promise<VerificationResult> {
  // Only the request's own credential may be an image; an endorsement inside it may not.
  const parsed = parseInput(input, deps.limits, depth > 0);
  const warnings: string[] = [];
  if (parsed.baked) {
    const { image, openBadges } = parsed.baked;
    warnings.push(
      `the credential was read from a baked ${image.toUpperCase()} image (Open Badges ${openBadges} baking)`,
    );
  }
  const now = deps.clock.now();
  const format = sniffFormat(parsed.credential);
  // The OB 3.0 reader takes achievement credentials; an EndorsementCredential is checked for structure only.
  const endorsement = stringsOf(parsed.credential.type).includes("EndorsementCredential");
  const read = format && !endorsement ? readerResult(format, parsed.readerInput, deps.limits.readers) : undefined;

  const formatCheck = checkFormat(parsed, format, read, warnings);
  const { check: proofCheck, facts } = await checkProof(deps, parsed, warnings);
  const checks = [
    formatCheck,
    proofCheck,
    checkExpiry(parsed, now),
    await checkStatus(deps, parsed.credential, warnings),
    await checkTrust(deps, parsed, facts, read, warnings),
    checkMicroCredential(format, read),
  ];
  if (parsed.credential.relatedResource !== undefined) checks.push(checkRelatedResources(parsed.credential));
  const endorsements = depth < MAX_ENDORSEMENT_DEPTH ? await verifyEndorsements(deps, parsed.credential, depth) : [];
  if (depth < MAX_ENDORSEMENT_DEPTH) checks.push(endorsementCheck(parsed.credential, endorsements, warnings));
  const errors = checks.filter((c) => c.status === "error").map((c) => `${c.check}: ${c.detail}`);
  const explained = checks.map((c) => (c.status === "error" ? { ...c, reason: plainReason(c) } : c));
  return {
    verified: errors.length === 0,
    verdict: verdictOf(explained, issuerLabelOf(parsed.credential.issuer, readIssuer(read), parsed.kind === "jades")),
    checks: explained,
    warnings,
    errors,
    ...(endorsements.length > 0 ? { endorsements } : {}),
    ...(parsed.baked ? { baked: parsed.baked } : {}),
  };
}

/** The result for an input that is no readable credential: its format check in error, and so invalid. */
export function unreadableResult(detail: string): VerificationResult {
  const checks = [{ ...check("format", "error", detail), reason: plainReason({ check: "format", detail }) }];
  return { verified: false, verdict: verdictOf(checks, {}), checks, warnings: [], errors: [`format: ${detail}`] };
}

/** The issuer's name and country as the reader found them (ELM legalName, OB 3.0 profile name and address). */
function readIssuer(read: ReadResult | undefined): { name?: string; country?: string } | undefined {
  if (!read?.ok) return undefined;
  const credential = read.value[0] as CanonicalCredential | undefined;
  const org = credential?.issuer;
  if (!org) return undefined;
  const name = org.legalName.en ?? Object.values(org.legalName)[0];
  const country = org.locations.find((l) => l.address?.country)?.address?.country;
  return { ...(name !== undefined ? { name } : {}), ...(country !== undefined ? { country } : {}) };
}

// ---------------------------------------------------------------------------------------------------------- input

function parseInput(value: unknown, limits: JsonLimits, fromImage = false): Parsed {
  if (typeof value === "string") {
    const text = value.trim();
    if (!fromImage && looksLikeBakedImage(text)) return parseBaked(text, limits);
    if (text.startsWith("{")) return parseObject(parseJsonText(text, limits, POINTER), limits);
    let decoded: DecodedVcJwt;
    try {
      decoded = decodeVcJwt(text);
    } catch (error) {
      throw notACredential(`a string credential must be JSON or a VC-JWT: ${messageOf(error)}`);
    }
    return { kind: "jwt", credential: decoded.credential, readerInput: text, jwt: text, decoded };
  }
  return parseObject(value, limits);
}

function parseObject(value: unknown, limits: JsonLimits, wrapped = false): Parsed {
  if (!isRecord(value)) throw notACredential("a verifiable credential is a JSON object or a VC-JWT string");
  if ("payload" in value && ("signatures" in value || "signature" in value) && !("@context" in value)) {
    if (typeof value.payload !== "string") throw notACredential("a JAdES payload is the credential's JSON text");
    let credential: unknown;
    try {
      credential = parseJsonText(value.payload, limits, `${POINTER}/payload`);
    } catch (error) {
      if (error instanceof GatewayError && error.code === "limit-exceeded") throw error;
      throw notACredential(`the JAdES payload is not JSON: ${messageOf(error)}`);
    }
    if (!isRecord(credential)) throw notACredential("the JAdES payload is not a JSON object");
    return { kind: "jades", credential, readerInput: value, envelope: value };
  }
  if (!wrapped && isRecord(value.credential) && !("@context" in value) && !("type" in value)) {
    // EDC's upload wrapper {credential}: what it holds is verified.
    const inner = parseObject(value.credential, limits, true);
    return inner.kind === "jsonld" ? { ...inner, readerInput: value } : inner;
  }
  if (!("@context" in value) && !("type" in value)) {
    throw notACredential("not a verifiable credential: it has neither @context nor type");
  }
  return { kind: "jsonld", credential: value, readerInput: value };
}

/**
 * A baked badge (a PNG or SVG data URL, base64 PNG or SVG text): the credential is taken out of the image and parsed
 * like any other input. An image without a credential is a 422 naming the field; the image is never rendered.
 */
function parseBaked(text: string, limits: JsonLimits): Parsed {
  const baked = readBakedImage(text);
  if (!baked.ok) {
    throw notACredential(`the image holds no readable credential: ${baked.issues.map((i) => i.message).join("; ")}`);
  }
  if (baked.value.kind === "url") {
    throw notACredential(
      "the image holds an Open Badges 2.0 hosted assertion URL; this verifier does not fetch hosted assertions",
    );
  }
  return { ...parseInput(baked.value.text, limits, true), baked: baked.value };
}

const notACredential = (detail: string) => new GatewayError("unprocessable", detail, [{ pointer: POINTER, detail }]);

function readerResult(format: Format, input: unknown, limits?: ReaderLimits): ReadResult | undefined {
  const reader = READERS[format];
  if (!reader) return undefined;
  try {
    return reader(input, undefined, limits);
  } catch (error) {
    return { ok: false, issues: [{ path: "", message: messageOf(error) }] };
  }
}

// --------------------------------------------------------------------------------------------------------- format

function checkFormat(
  parsed: Parsed,
  format: Format | undefined,
  read: ReadResult | undefined,
  warnings: string[],
): VerificationCheck {
  const doc = parsed.credential;
  if (read && !read.ok) {
    const issues = read.issues.slice(0, 5).map((i) => `${i.path || "/"}: ${i.message}`);
    return check("format", "error", `not a readable ${format} credential: ${issues.join("; ")}`);
  }
  const missing: string[] = [];
  if (format === "elm") {
    const issues = elmConstraintIssues(doc);
    if (issues.length > 0) {
      const shown = issues.slice(0, 8).map((i) => `${i.pointer}: ${i.message} (${i.shape})`);
      const more = issues.length > 8 ? ` (and ${issues.length - 8} more)` : "";
      return check(
        "format",
        "error",
        `ELM v3 credential: the EDC application profile constraints fail: ${shown.join("; ")}${more}`,
      );
    }
    return check(
      "format",
      "ok",
      `ELM v3 European Digital Credential, SHACL-level structure: readable, and the ${ELM_RULES.length} EDC application ` +
        "profile constraints hold (cardinalities, xsd:dateTime values, classes, controlled vocabularies; EDC-generic-full)",
    );
  }
  const endorsement = stringsOf(doc.type).includes("EndorsementCredential");
  if (format === "ob3" || endorsement) return checkOb3Format(doc, endorsement, warnings);
  missing.push(...vcMissing(doc));
  if (missing.length > 0) return check("format", "error", `W3C verifiable credential: missing ${missing.join(", ")}`);
  return check(
    "format",
    "ok",
    "W3C verifiable credential (neither OB 3.0 nor ELM): @context, type, issuer, credentialSubject present",
  );
}

/**
 * OB 3.0: the run-time JSON Schema rules (`ob3-schema.ts`) on a VCDM 2.0 credential, errors named by JSON Pointer; a
 * single value where the schema wants an array (what JSON-LD compaction writes, accepted by the OB 3.0 schemas since
 * v1.3) is a warning, not an error. A VCDM 1.1 credential (OB 3.0's legacy form, still to be verified per the spec)
 * gets the structural checks of that form: the JSON Schema describes the VCDM 2.0 form only. Both also get the rule the
 * schema cannot express: a credentialSubject has an id or an identifier.
 */
function checkOb3Format(doc: Record<string, unknown>, endorsement: boolean, warnings: string[]): VerificationCheck {
  const what = endorsement ? "Open Badges 3.0 EndorsementCredential" : "Open Badges 3.0 credential";
  const problems: string[] = [];
  const subjects = toArray(doc.credentialSubject);
  if (!endorsement && subjects.some((s) => isRecord(s) && absent(s.id) && absent(s.identifier))) {
    problems.push("/credentialSubject: needs an id or an identifier");
  }
  if (!hasOb3Context(doc["@context"])) {
    warnings.push(
      "format: @context names no published OB 3.0 context (context-3.0.x.json): JSON-LD processors may not read it",
    );
  }
  if (stringsOf(doc["@context"])[0] === "https://www.w3.org/2018/credentials/v1") {
    const missing = vcMissing(doc);
    for (const member of ["id", "name"]) if (absent(doc[member])) missing.push(member);
    problems.push(...missing.map((m) => `missing ${m}`));
    if (problems.length > 0) return check("format", "error", `${what} (VCDM 1.1 form): ${problems.join("; ")}`);
    warnings.push(
      "format: a VCDM 1.1 credential (OB 3.0's legacy form): the OB 3.0 JSON Schema describes the VCDM 2.0 form, so only the structure was checked",
    );
    return check(
      "format",
      "ok",
      `${what} in the VCDM 1.1 form: @context, type, id, issuer, issuanceDate, name and credentialSubject with id or identifier present`,
    );
  }
  const kind = endorsement ? "endorsement" : "achievement";
  const all = ob3SchemaIssues(doc, kind);
  const remaining: SchemaIssue[] = all.length === 0 ? [] : ob3ValidAsArrays(doc, kind);
  const singles = all.filter((i) => i.singleValue);
  problems.push(...remaining.map((i) => `${i.pointer || "/"}: ${i.message}`));
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join("; ");
    const more = problems.length > 8 ? ` (and ${problems.length - 8} more)` : "";
    return check("format", "error", `${what}: the OB 3.0 JSON Schema rules fail: ${shown}${more}`);
  }
  if (singles.length > 0) {
    warnings.push(
      `format: ${singles.map((i) => i.pointer).join(", ")} hold a single value where the OB 3.0 JSON Schema (2024) wants an array; read as an array of one, as JSON-LD does`,
    );
  }
  return check(
    "format",
    "ok",
    `${what}: valid under the OB 3.0 JSON Schema rules (${endorsement ? "EndorsementCredential" : "AchievementCredential"}), credentialSubject ${endorsement ? "present" : "with id or identifier"}`,
  );
}

/** What VCDM requires of every credential. */
function vcMissing(doc: Record<string, unknown>): string[] {
  const missing: string[] = [];
  const first = stringsOf(doc["@context"])[0];
  if (first === undefined || !VC_CONTEXTS.has(first)) missing.push("a W3C credentials context first in @context");
  if (!stringsOf(doc.type).includes("VerifiableCredential")) missing.push("type VerifiableCredential");
  if (idOf(doc.issuer) === undefined) missing.push("issuer (with an id)");
  if (absent(doc.credentialSubject)) missing.push("credentialSubject");
  // validFrom is optional in VCDM 2.0 ("If present, …"); VCDM 1.1 requires issuanceDate.
  if (first === "https://www.w3.org/2018/credentials/v1" && absent(doc.issuanceDate)) {
    missing.push("issuanceDate (required in VCDM 1.1)");
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------------------- proof

async function checkProof(
  deps: VerifyDeps,
  parsed: Parsed,
  warnings: string[],
): Promise<{ check: VerificationCheck; facts: ProofFacts }> {
  if (parsed.kind === "jades") return checkJadesProof(parsed.envelope, warnings);
  if (parsed.kind === "jwt") return checkJwtProof(deps, parsed.decoded, parsed.jwt);
  return checkDataIntegrity(deps, parsed.credential, warnings);
}

function checkJadesProof(
  envelope: Record<string, unknown>,
  warnings: string[],
): { check: VerificationCheck; facts: ProofFacts } {
  const result = verifyJades(envelope);
  warnings.push(...result.warnings);
  const x5c = result.header?.x5c;
  const sigT = result.header?.sigT;
  const facts: ProofFacts = {
    ok: result.verified,
    keys: [],
    ...(result.certificate ? { certificate: result.certificate } : {}),
    ...(Array.isArray(x5c) && x5c.every((c) => typeof c === "string") ? { chain: x5c as string[] } : {}),
    ...(result.unsigned ? { extraCertificates: result.unsigned.certificates } : {}),
    ...(typeof sigT === "string" ? { signingTime: sigT } : {}),
    signatureTimestamps: verifiedSignatureTimestamps(result.timestamps ?? []),
  };
  if (!result.verified) return { check: check("proof", "error", `JAdES seal: ${result.errors.join("; ")}`), facts };
  const count = Array.isArray(envelope.signatures) ? envelope.signatures.length : 1;
  const subject = result.certificate ? new NodeCertificate(Buffer.from(result.certificate.rawData)).subject : "?";
  return {
    check: check(
      "proof",
      "ok",
      `JAdES seal (${String(result.header?.alg)}, unencoded payload): ${count} signature${count === 1 ? "" : "s"} verified ` +
        `with the x5c signing certificate (${subject.replace(/\n/g, ", ")}); x5t#S256, kid, crit and sigT checked` +
        timestampsNote(result.timestamps ?? []),
    ),
    facts,
  };
}

/** The `sigTst` tokens that verified and name a time, as the trust check takes them. */
function verifiedSignatureTimestamps(timestamps: JadesTimestamp[]): NonNullable<TrustSubject["signatureTimestamps"]> {
  return timestamps.flatMap(({ kind, check: c }) =>
    kind === "sigTst" && c.ok && c.genTime !== undefined
      ? [
          {
            time: c.genTime,
            ...(c.tsa !== undefined ? { tsa: c.tsa } : {}),
            ...(c.tsaCertificate !== undefined ? { tsaCertificate: c.tsaCertificate } : {}),
            ...(c.tsaCertificates !== undefined ? { tsaCertificates: c.tsaCertificates } : {}),
          },
        ]
      : [],
  );
}

/** The JAdES time-stamps in a proof detail: which verified (their times), which did not (details in the warnings). */
function timestampsNote(timestamps: JadesTimestamp[]): string {
  if (timestamps.length === 0) return "";
  const ok = timestamps.filter((t) => t.check.ok).map((t) => `${t.kind} ${t.check.genTime ?? "?"}`);
  const bad = timestamps.filter((t) => !t.check.ok).map((t) => t.kind);
  return (
    (ok.length > 0 ? `; time-stamps verified: ${ok.join(", ")}` : "") +
    (bad.length > 0 ? `; time-stamps that do not hold: ${bad.join(", ")} (see warnings)` : "")
  );
}

async function checkDataIntegrity(
  deps: VerifyDeps,
  credential: Record<string, unknown>,
  warnings: string[],
  label = "",
): Promise<{ check: VerificationCheck; facts: ProofFacts }> {
  if (absent(credential.proof)) {
    return {
      check: check("proof", "error", `${label}the credential has no proof: it is not signed`),
      facts: { ok: false, keys: [] },
    };
  }
  const issuerId = idOf(credential.issuer);
  const keys: ResolvedKey[] = [];
  const result = await verifyDataIntegrityProof(credential, {
    contexts: pinnedContexts,
    resolvePublicKey: async (methodId) => {
      const key = await resolveVerificationMethod(deps, methodId);
      bindToIssuer(key, methodId, issuerId, warnings, label);
      keys.push(key);
      return key.jwk;
    },
  });
  if (!result.verified) {
    const reasons = result.errors.map(
      (e) => `${e.proofIndex === undefined ? "" : `proof ${e.proofIndex}: `}${e.message}`,
    );
    return { check: check("proof", "error", `${label}${reasons.join("; ")}`), facts: { ok: false, keys } };
  }
  const methods = result.proofs.map((p) => p.verificationMethod ?? "?").join(", ");
  const n = result.proofs.length;
  for (const p of result.proofs.filter((p) => p.cryptosuite === EDDSA_2022_LEGACY)) {
    warnings.push(
      `${label}proof ${p.proofIndex} names the cryptosuite by its pre-2023 name ${EDDSA_2022_LEGACY}; verified as eddsa-rdfc-2022`,
    );
  }
  return {
    check: check(
      "proof",
      "ok",
      `${label}${n === 1 ? "the" : `all ${n}`} ${suitesOf(result.proofs)} Data Integrity proof${n === 1 ? "" : "s"} verified (${methods})`,
    ),
    facts: {
      ok: true,
      keys,
      methods: result.proofs.flatMap((p) => (p.verificationMethod ? [p.verificationMethod] : [])),
    },
  };
}

/** The cryptosuites of verified proofs, in order of first use (the legacy eddsa-2022 counted as eddsa-rdfc-2022). */
function suitesOf(proofs: { cryptosuite?: string }[]): string {
  const names = proofs.map((p) => (p.cryptosuite === EDDSA_2022_LEGACY ? EDDSA_RDFC_2022 : (p.cryptosuite ?? "?")));
  return [...new Set(names)].join(" and ");
}

// ---------------------------------------------------------------------------------------------------- endorsement

/** Where OB 3.0 puts endorsements: on the credential, its issuer profile, the achievement and its creator. */
function endorsementsOf(credential: Record<string, unknown>): { value: unknown; at: string; endorsed?: string }[] {
  const holders: { holder: unknown; at: string }[] = [
    { holder: credential, at: "" },
    { holder: credential.issuer, at: "/issuer" },
  ];
  const subjects = toArray(credential.credentialSubject);
  for (const [i, subject] of subjects.entries()) {
    const base = Array.isArray(credential.credentialSubject) ? `/credentialSubject/${i}` : "/credentialSubject";
    const achievement = isRecord(subject) ? subject.achievement : undefined;
    holders.push({ holder: achievement, at: `${base}/achievement` });
    if (isRecord(achievement)) holders.push({ holder: achievement.creator, at: `${base}/achievement/creator` });
  }
  return holders.flatMap(({ holder, at }) => {
    if (!isRecord(holder)) return [];
    const endorsed = typeof holder.id === "string" ? holder.id : undefined;
    const list = (name: string) =>
      toArray(holder[name]).map((value, i) => ({
        value,
        at: `${at}/${name}${Array.isArray(holder[name]) ? `/${i}` : ""}`,
        ...(endorsed ? { endorsed } : {}),
      }));
    return [...list("endorsement"), ...list("endorsementJwt")];
  });
}

/**
 * OB 3.0 §9.2: every embedded EndorsementCredential (Data Integrity or VC-JWT) is verified like a credential (format,
 * proof, validity window, status, trust), each with its own result.
 */
async function verifyEndorsements(
  deps: VerifyDeps,
  credential: Record<string, unknown>,
  depth: number,
): Promise<EndorsementResult[]> {
  const results: EndorsementResult[] = [];
  for (const { value, at, endorsed } of endorsementsOf(credential).slice(0, MAX_ENDORSEMENTS)) {
    let result: VerificationResult;
    try {
      result = await verifyAt(deps, value, depth + 1);
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== "unprocessable") throw error;
      result = unreadableResult(`not an endorsement credential: ${error.message}`);
    }
    const inner = endorsementCredentialOf(value);
    const parsedSubject = inner ? idOf(toArray(inner.credentialSubject)[0]) : undefined;
    const endorser = inner ? idOf(inner.issuer) : undefined;
    if (result.checks.length > 1 && !(inner && stringsOf(inner.type).includes("EndorsementCredential"))) {
      const detail = "its type does not include EndorsementCredential";
      result.checks = result.checks.map((c) =>
        c.check === "format" ? { ...check("format", "error", detail), reason: plainReason(c) } : c,
      );
      result.verdict = verdictOf(result.checks, { ...(endorser ? { id: endorser } : {}) });
      result.errors = [`format: ${detail}`, ...result.errors.filter((e) => !e.startsWith("format: "))];
      result.verified = false;
    }
    if (endorsed !== undefined && parsedSubject !== undefined && parsedSubject !== endorsed) {
      result.warnings.push(`it endorses ${parsedSubject}, not ${endorsed} where it is embedded`);
    }
    results.push({ at, ...(endorser ? { endorser } : {}), ...result });
  }
  return results;
}

/** An endorsement given as an object or a VC-JWT, as a credential object (undefined when unreadable). */
function endorsementCredentialOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "string") return isRecord(value) ? value : undefined;
  try {
    return decodeVcJwt(value.trim()).credential;
  } catch {
    return undefined;
  }
}

/**
 * The `endorsement` check. Policy: a failing endorsement is an `error` of this check, so the credential is not
 * `verified` — OB 3.0 §9 lists "verify embedded EndorsementCredentials" among the verification steps and the 1EdTech
 * validator fails a credential whose embedded endorsement fails; the credential's own proof is reported separately, so
 * a verifier who ignores endorsements can read `proof`/`expiry`/`status` and see they are ok.
 */
function endorsementCheck(
  credential: Record<string, unknown>,
  results: EndorsementResult[],
  warnings: string[],
): VerificationCheck {
  const total = endorsementsOf(credential).length;
  if (total === 0) return check("endorsement", "skipped", "no embedded endorsements");
  for (const r of results) warnings.push(...r.warnings.map((w) => `endorsement ${r.at}: ${w}`));
  const notChecked =
    total > results.length ? `; ${total - results.length} more not checked (limit ${MAX_ENDORSEMENTS})` : "";
  const failed = results.filter((r) => !r.verified);
  if (failed.length > 0) {
    return check(
      "endorsement",
      "error",
      failed.map((r) => `endorsement ${r.at} does not verify: ${r.errors.join("; ")}`).join(" | ") + notChecked,
    );
  }
  const by = results.map((r) => `${r.at}${r.endorser ? ` by ${r.endorser}` : ""}`);
  return check(
    "endorsement",
    "ok",
    `${results.length === 1 ? "the endorsement" : `all ${results.length} endorsements`} verified: ${by.join(", ")}${notChecked}`,
  );
}

/** Checks that the key may speak for the credential's issuer (the 1EdTech validator's "Key controller does not match issuer"). */
function bindToIssuer(
  key: ResolvedKey,
  methodId: string,
  issuerId: string | undefined,
  warnings: string[],
  label: string,
): void {
  if (key.controller === undefined || key.controller === issuerId) return;
  if (key.source === "did:key" || key.source === "did:jwk") {
    warnings.push(`${label}the proof's key ${methodId} is not the issuer's identifier (${issuerId ?? "no issuer id"})`);
    return;
  }
  throw new KeyResolutionError(
    `its controller ${key.controller} is not the credential's issuer ${issuerId ?? "(no issuer id)"}`,
  );
}

async function checkJwtProof(
  deps: VerifyDeps,
  decoded: DecodedVcJwt,
  jwt: string,
): Promise<{ check: VerificationCheck; facts: ProofFacts }> {
  const fail = (detail: string, keys: ResolvedKey[] = []) => ({
    check: check("proof", "error", `VC-JWT: ${detail}`),
    facts: { ok: false, keys },
  });
  const { header, payload } = decoded;
  const alg = header.alg;
  if (typeof alg !== "string" || !JWT_ALGORITHMS.has(alg)) {
    return fail(`alg ${JSON.stringify(alg)} is not one the gateway verifies (EdDSA, ES256, RS256, PS256)`);
  }
  if (header.typ !== undefined && header.typ !== "JWT")
    return fail(`typ must be "JWT" when present (OB 3.0), found ${JSON.stringify(header.typ)}`);
  const iss = typeof payload.iss === "string" ? payload.iss : idOf(decoded.credential.issuer);
  let key: ResolvedKey;
  try {
    key = await jwtKey(deps, header, iss, alg);
  } catch (error) {
    return fail(messageOf(error));
  }
  if (
    key.controller !== undefined &&
    iss !== undefined &&
    key.controller !== iss &&
    key.source !== "did:key" &&
    key.source !== "did:jwk"
  ) {
    return fail(`the key's controller ${key.controller} is not the issuer ${iss}`, [key]);
  }
  try {
    const publicKey = await importJWK(key.jwk as JWK, alg);
    await compactVerify(jwt, publicKey, { algorithms: [alg] });
  } catch (error) {
    return fail(`the signature does not verify: ${messageOf(error)}`, [key]);
  }
  const claimIssues = vcJwtClaimIssues(decoded, new Date(8.64e15)).filter(
    (i) => !/^the credential (is not valid yet|has expired)/.test(i),
  );
  if (claimIssues.length > 0)
    return fail(`signature valid but the claims do not match the credential: ${claimIssues.join("; ")}`, [key]);
  return {
    check: check(
      "proof",
      "ok",
      `VC-JWT (${alg}) signature verified with ${describeKey(header, key)}; iss, sub, jti, nbf and exp match the credential`,
    ),
    facts: {
      ok: true,
      keys: [key],
      // The kid names the verifying method only when the key was resolved from it: beside a `jwk` header it is an
      // unchecked label (anyone can sign with their own key and name a trusted issuer's key id).
      ...(typeof header.kid === "string" && header.jwk === undefined
        ? { methods: [header.kid.startsWith("#") && iss ? `${iss}${header.kid}` : header.kid] }
        : {}),
    },
  };
}

/** The key a VC-JWT names: its `jwk` header, its `kid`, else the issuer's own key when the issuer id is a key. */
async function jwtKey(
  deps: VerifyDeps,
  header: Record<string, unknown>,
  iss: string | undefined,
  alg: string,
): Promise<ResolvedKey> {
  if (header.jwk !== undefined) return { jwk: publicJwkOf(header.jwk), source: "http" };
  if (typeof header.kid === "string") {
    const kid = header.kid.startsWith("#") && iss ? `${iss}${header.kid}` : header.kid;
    return resolveVerificationMethod(deps, kid);
  }
  if (iss === undefined) throw new KeyResolutionError("the JWT names no key (no kid or jwk header) and no issuer");
  if (iss.startsWith("did:key:") || iss.startsWith("did:jwk:")) return resolveVerificationMethod(deps, iss);
  const issuer = await gatewayIssuerOf(deps, iss);
  const own = issuer?.keys.find((k) => k.algorithms.some((a) => a === alg));
  if (issuer && own) return { jwk: own.publicJwk, source: "gateway", controller: issuer.id, issuer };
  throw new KeyResolutionError(
    `the JWT names no key (no kid or jwk header), and the key of its issuer ${iss} cannot be found offline` +
      (deps.http ? "" : " (fetching issuer profiles and key documents is disabled: GATEWAY_OUTBOUND_HTTP)"),
  );
}

function describeKey(header: Record<string, unknown>, key: ResolvedKey): string {
  if (header.jwk !== undefined) return "the key in its jwk header";
  return typeof header.kid === "string" ? `kid ${header.kid}` : `the key of issuer ${key.controller ?? "?"}`;
}

// --------------------------------------------------------------------------------------------------------- expiry

function checkExpiry(parsed: Parsed, now: Date): VerificationCheck {
  const doc = parsed.credential;
  const bounds: { name: string; kind: "from" | "until"; value: unknown }[] = [
    { name: "validFrom", kind: "from", value: doc.validFrom },
    { name: "issuanceDate", kind: "from", value: doc.issuanceDate },
    { name: "validUntil", kind: "until", value: doc.validUntil },
    { name: "expirationDate", kind: "until", value: doc.expirationDate },
  ];
  if (parsed.kind === "jwt") {
    const { nbf, exp } = parsed.decoded.payload;
    if (nbf !== undefined)
      bounds.push({
        name: "nbf",
        kind: "from",
        value: typeof nbf === "number" ? new Date(nbf * 1000).toISOString() : nbf,
      });
    if (exp !== undefined)
      bounds.push({
        name: "exp",
        kind: "until",
        value: typeof exp === "number" ? new Date(exp * 1000).toISOString() : exp,
      });
  }
  const problems: string[] = [];
  let from: { name: string; at: Date } | undefined;
  let until: { name: string; at: Date } | undefined;
  for (const bound of bounds) {
    if (bound.value === undefined || bound.value === null) continue;
    const at = typeof bound.value === "string" ? new Date(bound.value) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime())) {
      problems.push(`${bound.name} is not a date-time`);
      continue;
    }
    if (bound.kind === "from" && at > now) problems.push(`not valid yet: ${bound.name} is ${bound.value}`);
    if (bound.kind === "until" && at <= now) problems.push(`expired: ${bound.name} was ${bound.value}`);
    if (bound.kind === "from" && (!from || at > from.at)) from = { name: bound.name, at };
    if (bound.kind === "until" && (!until || at < until.at)) until = { name: bound.name, at };
  }
  if (problems.length > 0) return check("expiry", "error", `${problems.join("; ")} (checked at ${now.toISOString()})`);
  const since = from ? `valid since ${from.at.toISOString()} (${from.name})` : "no start of validity";
  const to = until ? `until ${until.at.toISOString()} (${until.name})` : "with no expiry";
  return check("expiry", "ok", `${since}, ${to}`);
}

// ------------------------------------------------------------------------------------------------ relatedResource

/**
 * VCDM 2.0 §5.3: "If the digest provided by the issuer does not match the digest computed for the retrieved resource,
 * the conforming verifier implementation MUST produce an error." Nothing is fetched: a resource is checked against the
 * pinned copy the gateway holds (`related-resources.ts`); any other is reported as unknown.
 */
function checkRelatedResources(doc: Record<string, unknown>): VerificationCheck {
  const findings = relatedResourceFindings(doc.relatedResource);
  const errors = findings.filter((f) => f.status === "error");
  if (errors.length > 0) return check("relatedResource", "error", errors.map((f) => f.detail).join("; "));
  const status = findings.length > 0 && findings.every((f) => f.status === "ok") ? "ok" : "skipped";
  return check("relatedResource", status, findings.map((f) => f.detail).join("; ") || "no related resource");
}

// --------------------------------------------------------------------------------------------------------- status

/**
 * Bitstring Status List entries: those on this gateway are read from the store; those of other hosts are fetched
 * through the outbound HTTP port when it is enabled (their list credential's proof verified like any credential's).
 * Other kinds of status (StatusList2021, 1EdTech revocation lists) are not checked.
 */
async function checkStatus(
  deps: VerifyDeps,
  doc: Record<string, unknown>,
  warnings: string[],
): Promise<VerificationCheck> {
  if (absent(doc.credentialStatus)) return check("status", "skipped", "no credentialStatus");
  const results: EntryStatus[] = [];
  for (const entry of toArray(doc.credentialStatus)) {
    results.push(await entryStatus(deps, doc, entry, warnings));
  }
  const errors = results.filter((r) => r.status === "error");
  if (errors.length > 0) return check("status", "error", errors.map((r) => r.detail).join("; "));
  const status = results.every((r) => r.status === "ok") ? "ok" : "skipped";
  return check("status", status, results.map((r) => r.detail).join("; "));
}

async function entryStatus(
  deps: VerifyDeps,
  doc: Record<string, unknown>,
  entry: unknown,
  warnings: string[],
): Promise<EntryStatus> {
  if (!isRecord(entry)) return { status: "error", detail: "a credentialStatus entry is not an object" };
  const types = stringsOf(entry.type);
  if (!types.includes(STATUS_ENTRY_TYPE)) {
    return {
      status: "skipped",
      detail: `credentialStatus ${types.join(", ") || "of no type"} not checked (only ${STATUS_ENTRY_TYPE} is)`,
    };
  }
  const url = entry.statusListCredential;
  if (typeof url !== "string" || !URL.canParse(url)) {
    return { status: "error", detail: `${STATUS_ENTRY_TYPE}: statusListCredential is not a URL` };
  }
  const listId = ownListIdOf(url, deps.publicUrl);
  if (listId !== undefined) {
    if (!deps.statusLists)
      return { status: "skipped", detail: `status list ${url}: this verifier has no status store` };
    return ownEntryStatus({ store: deps.store, statusLists: deps.statusLists }, listId, entry, idOf(doc.issuer));
  }
  if (!deps.http) {
    return {
      status: "skipped",
      detail: `the status list ${url} is on another host; fetching it is disabled (GATEWAY_OUTBOUND_HTTP)`,
    };
  }
  return foreignEntryStatus(deps, deps.http, url, entry, idOf(doc.issuer), warnings);
}

/** A status list of another host, fetched, its proof verified, its bit read. */
async function foreignEntryStatus(
  deps: VerifyDeps,
  http: NonNullable<VerifyDeps["http"]>,
  url: string,
  entry: Record<string, unknown>,
  credentialIssuer: string | undefined,
  warnings: string[],
): Promise<EntryStatus> {
  let fetched: unknown;
  try {
    fetched = await http.fetchJson(url, { timeoutMs: 5_000, maxBytes: 1024 * 1024 });
  } catch (error) {
    return { status: "error", detail: `the status list ${url} could not be retrieved: ${messageOf(error)}` };
  }
  if (!isRecord(fetched) || !stringsOf(fetched.type).includes(STATUS_LIST_CREDENTIAL_TYPE)) {
    return { status: "error", detail: `${url} is not a ${STATUS_LIST_CREDENTIAL_TYPE}` };
  }
  const listWarnings: string[] = [];
  const { check: proof } = await checkDataIntegrity(deps, fetched, listWarnings, `status list ${url}: `);
  if (proof.status !== "ok") return { status: "error", detail: proof.detail };
  const listIssuer = idOf(fetched.issuer);
  if (listIssuer !== credentialIssuer) {
    warnings.push(`the status list ${url} is issued by ${listIssuer ?? "no one"}, not the credential's issuer`);
  }
  const expiry = checkExpiry({ kind: "jsonld", credential: fetched, readerInput: fetched }, deps.clock.now());
  if (expiry.status === "error") return { status: "error", detail: `status list ${url}: ${expiry.detail}` };
  const subject = toArray(fetched.credentialSubject).find(isRecord);
  if (!subject || typeof subject.encodedList !== "string") {
    return { status: "error", detail: `the status list ${url} has no encodedList` };
  }
  if (subject.statusPurpose !== entry.statusPurpose) {
    return {
      status: "error",
      detail: `the entry's statusPurpose ${JSON.stringify(entry.statusPurpose)} is not the list's (${JSON.stringify(subject.statusPurpose)})`,
    };
  }
  let bits: Uint8Array;
  try {
    bits = decodeList(subject.encodedList);
  } catch (error) {
    return { status: "error", detail: `the status list ${url}: ${messageOf(error)}` };
  }
  return bitStatus(bits, String(subject.statusPurpose), entry.statusListIndex, `status list ${url}`);
}

// ---------------------------------------------------------------------------------------------------------- trust

/**
 * The `trust` check: this gateway's own registered issuers (a built-in finding), then every configured
 * {@link TrustSource}, summarised by {@link summariseTrust}: ok when someone vouches for the signer, error when a
 * source says the signer is not trusted (a seal certificate on no trusted list), else skipped.
 */
async function checkTrust(
  deps: VerifyDeps,
  parsed: Parsed,
  facts: ProofFacts,
  read: ReadResult | undefined,
  warnings: string[],
): Promise<VerificationCheck> {
  const own = await gatewayFinding(deps, parsed, facts, warnings);
  const subject = await trustSubjectOf(parsed, facts, read);
  const findings = [...(own ? [own] : []), ...(await assessTrust(deps.trustSources ?? [], subject))];
  if (findings.length === 0) {
    const detail =
      subject.issuerId === undefined
        ? "the credential names no issuer id; no trust source applies"
        : `no trust source knows ${subject.issuerId}`;
    return check("trust", "skipped", detail);
  }
  const summary = summariseTrust(findings);
  return { ...check("trust", summary.status, summary.detail), findings: summary.findings };
}

/** What the trust sources see: the issuer, the verifying keys or seal chain, the awarding bodies. */
async function trustSubjectOf(parsed: Parsed, facts: ProofFacts, read: ReadResult | undefined): Promise<TrustSubject> {
  const thumbprints: string[] = [];
  for (const key of facts.keys) {
    try {
      thumbprints.push(await calculateJwkThumbprint(key.jwk as JWK, "sha256"));
    } catch {
      // A key jose cannot thumbprint is simply not matched by thumbprint.
    }
  }
  const issuerId = idOf(parsed.credential.issuer);
  const method = facts.methods?.[0];
  return {
    ...(issuerId !== undefined ? { issuerId } : {}),
    ...(method !== undefined ? { verificationMethod: method } : {}),
    ...(facts.chain ? { certificateChain: facts.chain } : {}),
    ...(facts.extraCertificates?.length ? { extraCertificates: facts.extraCertificates } : {}),
    ...(facts.signingTime ? { signingTime: facts.signingTime } : {}),
    ...(facts.signatureTimestamps?.length ? { signatureTimestamps: facts.signatureTimestamps } : {}),
    ...(thumbprints.length > 0 ? { keyThumbprints: thumbprints } : {}),
    awardingBodies: awardingBodiesOf(read),
    proofVerified: facts.ok,
  };
}

/** The awarding bodies the credential names (ELM awardingBody, OB3: the issuer profile), as trust sources see them. */
function awardingBodiesOf(read: ReadResult | undefined): TrustSubject["awardingBodies"] {
  if (!read?.ok) return [];
  const credential = read.value[0] as CanonicalCredential | undefined;
  if (!credential) return [];
  const organisations = credential.claims.flatMap((c) => c.awardingBodies);
  if (organisations.length === 0 && credential.issuer) organisations.push(credential.issuer);
  const seen = new Set<string>();
  const out: TrustSubject["awardingBodies"] = [];
  for (const org of organisations) {
    const body = bodyOf(org);
    const key = JSON.stringify(body);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(body);
  }
  return out;
}

function bodyOf(org: Organisation): TrustSubject["awardingBodies"][number] {
  const legal = org.identifiers.find((i) => ["legal", "eidas", "registration", "vat", "national"].includes(i.kind));
  const schac = org.identifiers.find((i) => i.scheme?.toUpperCase() === "SCHAC");
  const name = org.legalName.en ?? Object.values(org.legalName)[0];
  const country = legal?.country ?? org.locations.find((l) => l.address?.country)?.address?.country;
  return {
    ...(org.id !== undefined ? { id: org.id } : {}),
    ...(legal ? { legalIdentifier: legal.value } : {}),
    ...(schac ? { schac: schac.value } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(country !== undefined ? { country } : {}),
  };
}

/** The built-in finding: the credential is by one of this gateway's registered issuers, verified with its keys. */
async function gatewayFinding(
  deps: VerifyDeps,
  parsed: Parsed,
  facts: ProofFacts,
  warnings: string[],
): Promise<TrustFinding | undefined> {
  const finding = (status: TrustFinding["status"], detail: string): TrustFinding => ({
    source: "gateway",
    status,
    detail,
  });
  if (parsed.kind === "jades") {
    const certificate = facts.certificate;
    if (!certificate) return finding("skipped", "no seal certificate to assess");
    const qualified = isQualified(certificate);
    if (!qualified) {
      warnings.push(
        "the seal certificate is not a qualified certificate for eSeal (no QcCompliance statement): a test seal, on no EU trusted list",
      );
    }
    const base64 = certificateBase64(certificate);
    const issuer = deps.store.findIssuerByCertificate
      ? await deps.store.findIssuerByCertificate(base64)
      : await findIssuer(deps.store, (i) => i.certificates?.some((c) => c.chain[0] === base64) ?? false);
    if (issuer && facts.ok) {
      return finding(
        "ok",
        `issued by a registered issuer of this gateway (${issuer.name}, ${issuer.id}); the seal certificate is ${qualified ? "qualified" : "not qualified"}`,
      );
    }
    return finding(
      "skipped",
      qualified
        ? "the seal certificate says it is a qualified certificate for eSeal (QcCompliance); only a trusted list can confirm it"
        : "the seal certificate is not a qualified certificate for eSeal",
    );
  }
  const issuerId = idOf(parsed.credential.issuer);
  if (issuerId === undefined) return undefined;
  let issuer: IssuerRecord | undefined;
  if (issuerId.startsWith("did:web:")) issuer = await gatewayIssuerOf(deps, issuerId);
  else if (issuerId.startsWith("did:key:")) {
    issuer = deps.store.findIssuerByDid
      ? await deps.store.findIssuerByDid(issuerId)
      : await findIssuer(deps.store, (i) => i.id === issuerId);
  }
  if (!issuer) return undefined;
  const ownKey =
    facts.keys.length > 0 && facts.keys.every((k) => k.controller === issuer.id || k.issuer?.id === issuer.id);
  if (!facts.ok || !ownKey) {
    return finding(
      "skipped",
      `the credential names ${issuer.id}, a registered issuer of this gateway, but is not verified with its keys`,
    );
  }
  const keyIds = issuer.keys.map((k) => verificationMethodId(issuer, k));
  return finding(
    "ok",
    `issued by a registered issuer of this gateway (${issuer.name}, ${issuer.id}; keys ${keyIds.join(", ")})`,
  );
}

/** A registered issuer matching `test`, looking at the first {@link ISSUER_SCAN_LIMIT}: the fallback for stores without indexes. */
async function findIssuer(
  store: Pick<CredentialStore, "listIssuers">,
  test: (issuer: IssuerRecord) => boolean,
): Promise<IssuerRecord | undefined> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await store.listIssuers({ limit: 100, ...(cursor ? { cursor } : {}) });
    const found = page.items.find(test);
    if (found) return found;
    seen += page.items.length;
    cursor = page.cursor;
  } while (cursor && seen < ISSUER_SCAN_LIMIT);
  return undefined;
}

// ------------------------------------------------------------------------------------------------ microCredential

function checkMicroCredential(format: Format | undefined, read: ReadResult | undefined): VerificationCheck {
  if (!format || !read)
    return check("microCredential", "skipped", "not an OB 3.0 or ELM credential: the Annex I check does not apply");
  if (!read.ok)
    return check("microCredential", "skipped", `the ${format} credential is not readable, so Annex I was not checked`);
  const [credential] = read.value;
  if (!credential) return check("microCredential", "skipped", "the document holds no credential");
  const report = checkAnnex1(credential);
  const { compliant, missing, invalid } = report.microCredential;
  if (compliant) {
    return {
      ...check("microCredential", "ok", "an EU micro-credential: every mandatory Annex I element is present"),
      report,
    };
  }
  const why = [
    missing.length ? `missing ${missing.join(", ")}` : "",
    invalid.length ? `invalid ${invalid.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  return { ...check("microCredential", "skipped", `not a micro-credential: ${why}`), report };
}

// -------------------------------------------------------------------------------------------------------- helpers

function absent(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return isRecord(value) && typeof value.id === "string" ? value.id : undefined;
}

function stringsOf(value: unknown): string[] {
  return toArray(value).filter((v): v is string => typeof v === "string");
}

function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The `format` check of verification, run on a credential before it is signed (the issuance gate, issuance-gate.ts):
 * the same reader, ELM constraints and OB 3.0 schema rules, so that nothing the gateway signs fails this check later.
 */
export function checkCredentialFormat(doc: Record<string, unknown>): { check: VerificationCheck; format?: Format } {
  const format = sniffFormat(doc);
  const endorsement = stringsOf(doc.type).includes("EndorsementCredential");
  const read = format && !endorsement ? readerResult(format, doc) : undefined;
  const check = checkFormat({ kind: "jsonld", credential: doc, readerInput: doc }, format, read, []);
  return { check, ...(format ? { format } : {}) };
}
