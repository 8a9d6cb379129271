/**
 * Verification: every check EDC's verifier (FORMAT, SEAL, EXPIRY, REVOCATION, OWNER/trust) and the OB 3.0
 * specification (§9: conformance, proof, status, validity window, endorsements) perform, each reported with a reason.
 * Input is a JSON-LD credential, a VC-JWT, a JAdES envelope or EDC's upload wrapper. `verified` is true only when no
 * check is in error; a check that could not run is `skipped` and says why (trust lists: later work). Bitstring
 * status lists of this gateway are read from its store; those of other hosts only with outbound HTTP.
 * Keys are resolved without network unless outbound HTTP is configured (`./keys.ts`).
 */
import { X509Certificate as NodeCertificate } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { compactVerify, importJWK, type JWK } from "jose";
import { type Annex1Report, checkAnnex1 } from "../../mappings/compliance/annex1.js";
import type { Format } from "../../mappings/formats.js";
import type { ReadResult } from "../../mappings/model.js";
import { hasOb3Context } from "../../mappings/ob3/sniff.js";
import { READERS, sniffFormat } from "../../mappings/registry.js";
import { EDDSA_2022_LEGACY, EDDSA_RDFC_2022, verifyDataIntegrityProof } from "../proofs/data-integrity.js";
import { verifyJades } from "../proofs/jades.js";
import { type DecodedVcJwt, decodeVcJwt, vcJwtClaimIssues } from "../proofs/vc-jwt.js";
import { certificateBase64, isQualified } from "../proofs/x509.js";
import { decodeList } from "./bitstring.js";
import { verificationMethodId } from "./did.js";
import { GatewayError } from "./errors.js";
import { type JsonLimits, parseJsonText } from "./json.js";
import {
  gatewayIssuerOf,
  KeyResolutionError,
  type KeyResolverDeps,
  publicJwkOf,
  type ResolvedKey,
  resolveVerificationMethod,
} from "./keys.js";
import type { Clock, CredentialStore, IssuerRecord, StatusListStore } from "./ports.js";
import {
  bitStatus,
  type EntryStatus,
  ownEntryStatus,
  ownListIdOf,
  STATUS_ENTRY_TYPE,
  STATUS_LIST_CREDENTIAL_TYPE,
} from "./status-lists.js";

export type CheckName = "format" | "proof" | "expiry" | "status" | "trust" | "microCredential";
export type CheckStatus = "ok" | "error" | "skipped";

export interface VerificationCheck {
  check: CheckName;
  status: CheckStatus;
  detail: string;
  /** `microCredential` only: the Annex I report of the credential. */
  report?: Annex1Report;
}

export interface VerificationResult {
  /** True only when no check is in error. */
  verified: boolean;
  checks: VerificationCheck[];
  warnings: string[];
  /** The detail of every check in error, prefixed with the check's name. */
  errors: string[];
}

export interface VerifyDeps extends KeyResolverDeps {
  store: Pick<CredentialStore, "getIssuer" | "listIssuers">;
  clock: Clock;
  limits: JsonLimits;
  /** This gateway's status lists: BitstringStatusListEntry of its own lists are read here, never over HTTP. */
  statusLists?: Pick<StatusListStore, "getList">;
}

export interface VerifyInput {
  verifiableCredential: unknown;
}

const POINTER = "/body/verifiableCredential";
const JWT_ALGORITHMS = new Set(["EdDSA", "ES256", "RS256", "PS256"]);
const VC_CONTEXTS = new Set(["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"]);
/** How many registered issuers a did:key or seal-certificate lookup reads at most (the store has no index by DID). */
const ISSUER_SCAN_LIMIT = 1_000;

/** What the request carried, unpacked. */
type Parsed =
  | { kind: "jsonld"; credential: Record<string, unknown>; readerInput: unknown }
  | { kind: "jwt"; credential: Record<string, unknown>; readerInput: unknown; jwt: string; decoded: DecodedVcJwt }
  | { kind: "jades"; credential: Record<string, unknown>; readerInput: unknown; envelope: Record<string, unknown> };

/** What the proof check learned that the trust check needs. */
interface ProofFacts {
  ok: boolean;
  keys: ResolvedKey[];
  certificate?: X509Certificate;
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
  const parsed = parseInput(input.verifiableCredential, deps.limits);
  const warnings: string[] = [];
  const now = deps.clock.now();
  const format = sniffFormat(parsed.credential);
  // The OB 3.0 reader takes achievement credentials; an EndorsementCredential is checked for structure only.
  const endorsement = stringsOf(parsed.credential.type).includes("EndorsementCredential");
  const read = format && !endorsement ? readerResult(format, parsed.readerInput) : undefined;

  const formatCheck = checkFormat(parsed, format, read, warnings);
  const { check: proofCheck, facts } = await checkProof(deps, parsed, warnings);
  const checks = [
    formatCheck,
    proofCheck,
    checkExpiry(parsed, now),
    await checkStatus(deps, parsed.credential, warnings),
    await checkTrust(deps, parsed, facts, warnings),
    checkMicroCredential(format, read),
  ];
  const errors = checks.filter((c) => c.status === "error").map((c) => `${c.check}: ${c.detail}`);
  return { verified: errors.length === 0, checks, warnings, errors };
}

// ---------------------------------------------------------------------------------------------------------- input

function parseInput(value: unknown, limits: JsonLimits): Parsed {
  if (typeof value === "string") {
    const text = value.trim();
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

const notACredential = (detail: string) => new GatewayError("unprocessable", detail, [{ pointer: POINTER, detail }]);

function readerResult(format: Format, input: unknown): ReadResult | undefined {
  const reader = READERS[format];
  if (!reader) return undefined;
  try {
    return reader(input);
  } catch (error) {
    return { ok: false, issues: [{ path: "", message: messageOf(error) }] };
  }
}

// --------------------------------------------------------------------------------------------------------- format

const ELM_REQUIRED = ["issuer", "credentialSubject", "validFrom", "credentialSchema", "displayParameter"] as const;

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
    for (const member of ELM_REQUIRED) if (absent(doc[member])) missing.push(member);
    if (parsed.kind === "jades" && absent(doc.issued)) missing.push("issued (a sealed credential says when)");
    if (missing.length > 0) return check("format", "error", `ELM v3 credential: missing ${missing.join(", ")}`);
    return check(
      "format",
      "ok",
      "ELM v3 European Digital Credential, SHACL-level structure: readable, with issuer, credentialSubject, validFrom, " +
        `credentialSchema, displayParameter${parsed.kind === "jades" ? " and issued" : ""} (the official SHACL shapes are not run here)`,
    );
  }
  missing.push(...vcMissing(doc));
  if (format === "ob3") {
    for (const member of ["id", "name"]) if (absent(doc[member])) missing.push(member);
    if (!hasOb3Context(doc["@context"])) {
      warnings.push(
        "format: @context names no published OB 3.0 context (context-3.0.x.json): JSON-LD processors may not read it",
      );
    }
    const subjects = Array.isArray(doc.credentialSubject) ? doc.credentialSubject : [doc.credentialSubject];
    if (subjects.some((s) => isRecord(s) && absent(s.id) && absent(s.identifier))) {
      missing.push("credentialSubject.id or credentialSubject.identifier");
    }
    if (missing.length > 0)
      return check("format", "error", `Open Badges 3.0 credential: missing ${missing.join(", ")}`);
    return check(
      "format",
      "ok",
      "Open Badges 3.0 credential: readable, with the members the OB 3.0 JSON Schema requires of every credential " +
        "(@context, type, id, issuer, validFrom, name, credentialSubject with id or identifier); the full JSON Schema is not run here",
    );
  }
  if (missing.length > 0) return check("format", "error", `W3C verifiable credential: missing ${missing.join(", ")}`);
  return check(
    "format",
    "ok",
    "W3C verifiable credential (neither OB 3.0 nor ELM): @context, type, issuer, credentialSubject present",
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
  if (absent(doc.validFrom) && absent(doc.issuanceDate)) missing.push("validFrom (issuanceDate in VCDM 1.1)");
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
  const result = await checkDataIntegrity(deps, parsed.credential, warnings);
  await checkEndorsements(deps, parsed.credential, warnings);
  return result;
}

function checkJadesProof(
  envelope: Record<string, unknown>,
  warnings: string[],
): { check: VerificationCheck; facts: ProofFacts } {
  const result = verifyJades(envelope);
  warnings.push(...result.warnings);
  const facts: ProofFacts = {
    ok: result.verified,
    keys: [],
    ...(result.certificate ? { certificate: result.certificate } : {}),
  };
  if (!result.verified) return { check: check("proof", "error", `JAdES seal: ${result.errors.join("; ")}`), facts };
  const count = Array.isArray(envelope.signatures) ? envelope.signatures.length : 1;
  const subject = result.certificate ? new NodeCertificate(Buffer.from(result.certificate.rawData)).subject : "?";
  return {
    check: check(
      "proof",
      "ok",
      `JAdES seal (${String(result.header?.alg)}, unencoded payload): ${count} signature${count === 1 ? "" : "s"} verified ` +
        `with the x5c signing certificate (${subject.replace(/\n/g, ", ")}); x5t#S256, kid, crit and sigT checked`,
    ),
    facts,
  };
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
    facts: { ok: true, keys },
  };
}

/** The cryptosuites of verified proofs, in order of first use (the legacy eddsa-2022 counted as eddsa-rdfc-2022). */
function suitesOf(proofs: { cryptosuite?: string }[]): string {
  const names = proofs.map((p) => (p.cryptosuite === EDDSA_2022_LEGACY ? EDDSA_RDFC_2022 : (p.cryptosuite ?? "?")));
  return [...new Set(names)].join(" and ");
}

/** OB 3.0 §9.2: embedded EndorsementCredentials are verified too; a failing one is a warning on the credential. */
async function checkEndorsements(
  deps: VerifyDeps,
  credential: Record<string, unknown>,
  warnings: string[],
): Promise<void> {
  const endorsements = [
    ...toArray(credential.endorsement).map((e, i) => ({ e, at: `/endorsement/${i}` })),
    ...toArray(isRecord(credential.credentialSubject) ? credential.credentialSubject.achievement : undefined).flatMap(
      (a) =>
        isRecord(a)
          ? toArray(a.endorsement).map((e, i) => ({ e, at: `/credentialSubject/achievement/endorsement/${i}` }))
          : [],
    ),
  ];
  for (const { e, at } of endorsements) {
    if (!isRecord(e)) continue;
    const { check: result } = await checkDataIntegrity(deps, e, warnings, `endorsement ${at}: `);
    warnings.push(result.status === "ok" ? result.detail : `${result.detail} (the endorsement does not verify)`);
  }
  for (const [i, jwt] of toArray(credential.endorsementJwt).entries()) {
    warnings.push(
      `endorsementJwt ${i}: ${typeof jwt === "string" ? "VC-JWT endorsements are not verified yet" : "not a JWT"}`,
    );
  }
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
    facts: { ok: true, keys: [key] },
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

async function checkTrust(
  deps: VerifyDeps,
  parsed: Parsed,
  facts: ProofFacts,
  warnings: string[],
): Promise<VerificationCheck> {
  if (parsed.kind === "jades") {
    const certificate = facts.certificate;
    if (!certificate) return check("trust", "skipped", "no seal certificate to assess");
    const qualified = isQualified(certificate);
    if (!qualified) {
      warnings.push(
        "the seal certificate is not a qualified certificate for eSeal (no QcCompliance statement): a test seal, on no EU trusted list",
      );
    }
    const base64 = certificateBase64(certificate);
    const issuer = await findIssuer(deps.store, (i) => i.certificates?.some((c) => c.chain[0] === base64) ?? false);
    if (issuer && facts.ok) {
      return check(
        "trust",
        "ok",
        `issued by a registered issuer of this gateway (${issuer.name}, ${issuer.id}); the seal certificate is ${qualified ? "qualified" : "not qualified"}`,
      );
    }
    return check(
      "trust",
      "skipped",
      qualified
        ? "the seal certificate is a qualified certificate for eSeal (QcCompliance); no trust list configured, so its chain is not checked against the EU trusted lists"
        : "no trust list configured; the seal certificate is not qualified",
    );
  }
  const issuerId = idOf(parsed.credential.issuer);
  if (issuerId === undefined)
    return check("trust", "skipped", "the credential names no issuer id; no trust list configured");
  let issuer: IssuerRecord | undefined;
  if (issuerId.startsWith("did:web:")) issuer = await gatewayIssuerOf(deps, issuerId);
  else if (issuerId.startsWith("did:key:")) issuer = await findIssuer(deps.store, (i) => i.id === issuerId);
  if (!issuer) return check("trust", "skipped", "no trust list configured");
  const ownKey =
    facts.keys.length > 0 && facts.keys.every((k) => k.controller === issuer.id || k.issuer?.id === issuer.id);
  if (!facts.ok || !ownKey) {
    return check(
      "trust",
      "skipped",
      `the credential names ${issuer.id}, a registered issuer of this gateway, but is not verified with its keys`,
    );
  }
  const keyIds = issuer.keys.map((k) => verificationMethodId(issuer, k));
  return check(
    "trust",
    "ok",
    `issued by a registered issuer of this gateway (${issuer.name}, ${issuer.id}; keys ${keyIds.join(", ")})`,
  );
}

/** A registered issuer matching `test`, looking at the first {@link ISSUER_SCAN_LIMIT} (no index by DID or certificate yet). */
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
