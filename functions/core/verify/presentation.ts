/**
 * Verification of a verifiable presentation (W3C VC API `POST /presentations/verify`). An unsigned presentation is a
 * container: each credential it holds is verified ({@link verifyCredential}). A signed one must also carry
 * `eddsa-rdfc-2022` proofs made for `authentication`, with the verifier's `challenge` and `domain` when the caller
 * gives them (the replay protection of a presentation). A VP-JWT (a compact JWS whose `vp` claim, or whose payload in
 * the VCDM 2.0 / VC-JOSE-COSE form, is the presentation; also inside an `EnvelopedVerifiablePresentation` data: URL)
 * is verified with the holder's key (did:key, did:jwk, a `kid` DID URL, or a `jwk` header bound to a did:jwk holder),
 * its `nonce` and `aud` checked as the challenge and domain, its `exp`/`nbf` against the clock. `verified` is true
 * only when the presentation and every credential verify.
 */
import { compactVerify, importJWK, type JWK } from "jose";
import { isRecord } from "../../../lib/guards.js";
import { gatewayContexts } from "../../../mappings/contexts.js";
import { GatewayError } from "../../kernel/errors.js";
import { parseJsonText } from "../../kernel/json.js";
import { DEFAULT_WORK_BUDGET, overBudget, stopIfAborted, type WorkBudget } from "../../kernel/work-budget.js";
import { EDDSA_RDFC_2022, verifyEddsaRdfc2022Proof } from "../../proofs/data-integrity.js";
import { decodeVcJwt } from "../../proofs/vc-jwt.js";
import { KeyResolutionError, publicJwkOf, type ResolvedKey, resolveVerificationMethod } from "../issuers/keys.js";
import {
  unreadableResult,
  type VerificationCheck,
  type VerificationResult,
  type VerifyDeps,
  verifyCredential,
} from "./verify.js";

export type PresentationCheckName = "format" | "proof" | "credentials";

export interface PresentationCheck {
  check: PresentationCheckName;
  status: VerificationCheck["status"];
  detail: string;
}

export interface PresentationVerificationResult {
  /** True only when no presentation check is in error and every credential verified. */
  verified: boolean;
  /** The presentation's own checks (structure and proof), as the VC API names them. */
  presentationResult: { verified: boolean; checks: PresentationCheck[] };
  /** One result per credential, in the order the presentation lists them. */
  credentialResults: VerificationResult[];
  /** The presentation's checks, then the `credentials` check summing up the credential results. */
  checks: PresentationCheck[];
  warnings: string[];
  /** Every check in error, the presentation's and the credentials' (prefixed `credential {i}`). */
  errors: string[];
}

export interface VerifyPresentationInput {
  verifiablePresentation: unknown;
  options?: { challenge?: string; domain?: string };
}

const POINTER = "/body/verifiablePresentation";
const VC_CONTEXTS = new Set(["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"]);
/** VCDM 2.0 enveloped credentials carry a VC-JWT as a data: URL. */
const ENVELOPED_JWT = /^data:application\/(?:vc\+jwt|vc\+ld\+json\+jwt|jwt),(.+)$/;
/** VCDM 2.0 enveloped presentations carry a VP-JWT as a data: URL. */
const ENVELOPED_VP_JWT = /^data:application\/(?:vp\+jwt|vp\+ld\+json\+jwt|jwt),(.+)$/;
const JWT_ALGORITHMS = new Set(["EdDSA", "ES256", "RS256", "PS256"]);
const VP_JWT_TYPES = new Set(["JWT", "vp+jwt", "vp+ld+json+jwt"]);
/** JWT claims that are not members of the presentation when the payload is the presentation itself. */
const REGISTERED_CLAIMS = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce"]);

/** A presentation as received: JSON-LD, or a VP-JWT with its decoded parts. */
type ParsedPresentation =
  | { kind: "jsonld"; vp: Record<string, unknown> }
  | {
      kind: "jwt";
      vp: Record<string, unknown>;
      jwt: string;
      header: Record<string, unknown>;
      payload: Record<string, unknown>;
    };

const check = (name: PresentationCheckName, status: PresentationCheck["status"], detail: string) => ({
  check: name,
  status,
  detail,
});

/**
 * Verifies a presentation. Throws a 4xx {@link GatewayError} only when the input is not a presentation at all;
 * everything wrong with a presentation or a credential in it is reported in the result.
 */
export async function verifyPresentation(
  deps: VerifyDeps,
  input: VerifyPresentationInput,
  budget: Pick<WorkBudget, "maxPresentationCredentials"> = DEFAULT_WORK_BUDGET,
  /** Aborted when the request has run out of time: no credential is verified after it. */
  signal?: AbortSignal,
): Promise<PresentationVerificationResult> {
  const parsed = parsePresentation(input.verifiablePresentation, deps);
  const vp = parsed.vp;
  const options = input.options ?? {};
  const warnings: string[] = [];
  const credentials = toArray(vp.verifiableCredential);
  // Counted before any proof is checked: each credential costs a canonicalization and a signature check or more.
  if (credentials.length > budget.maxPresentationCredentials)
    throw overBudget(
      "maxPresentationCredentials",
      budget.maxPresentationCredentials,
      `${POINTER}/verifiableCredential`,
      "credentials in the presentation",
    );

  const presentationChecks = [
    checkFormat(vp),
    parsed.kind === "jwt"
      ? await checkJwtProof(deps, parsed, options, warnings)
      : await checkProof(deps, vp, options, credentials.length, warnings),
  ];
  const credentialResults: VerificationResult[] = [];
  for (const [i, credential] of credentials.entries()) {
    stopIfAborted(signal);
    credentialResults.push(await verifyOne(deps, credential, `/verifiableCredential/${i}`));
  }
  const failed = credentialResults.flatMap((r, i) => (r.verified ? [] : [i]));
  const credentialsCheck: PresentationCheck =
    credentials.length === 0
      ? check("credentials", "skipped", "the presentation holds no credential")
      : failed.length === 0
        ? check(
            "credentials",
            "ok",
            `${credentials.length === 1 ? "the credential" : `all ${credentials.length} credentials`} verified`,
          )
        : check(
            "credentials",
            "error",
            `${failed.length} of ${credentials.length} credential${credentials.length === 1 ? "" : "s"} did not verify (credentialResults ${failed.join(", ")})`,
          );

  const presentationVerified = presentationChecks.every((c) => c.status !== "error");
  const checks = [...presentationChecks, credentialsCheck];
  const errors = [
    ...presentationChecks.filter((c) => c.status === "error").map((c) => `${c.check}: ${c.detail}`),
    ...credentialResults.flatMap((r, i) => r.errors.map((e) => `credential ${i}: ${e}`)),
  ];
  for (const [i, r] of credentialResults.entries()) warnings.push(...r.warnings.map((w) => `credential ${i}: ${w}`));
  return {
    verified: presentationVerified && failed.length === 0,
    presentationResult: { verified: presentationVerified, checks: presentationChecks },
    credentialResults,
    checks,
    warnings,
    errors,
  };
}

function parsePresentation(value: unknown, deps: VerifyDeps): ParsedPresentation {
  let vp = value;
  if (typeof value === "string") {
    const text = value.trim();
    if (!text.startsWith("{")) return parseVpJwt(text);
    vp = parseJsonText(text, deps.limits, POINTER);
  }
  if (isRecord(vp) && stringsOf(vp.type).includes("EnvelopedVerifiablePresentation")) {
    const match = typeof vp.id === "string" ? ENVELOPED_VP_JWT.exec(vp.id) : null;
    if (!match?.[1])
      throw notAPresentation("an EnvelopedVerifiablePresentation's id must be a data:application/vp+jwt URL");
    return parseVpJwt(match[1]);
  }
  if (!isRecord(vp)) throw notAPresentation("a verifiable presentation is a JSON object");
  if (!stringsOf(vp.type).includes("VerifiablePresentation")) {
    throw notAPresentation("not a verifiable presentation: its type does not include VerifiablePresentation");
  }
  return { kind: "jsonld", vp };
}

/** A VP-JWT: the `vp` claim (VCDM 1.1 JWT form), else the payload without its registered claims (VCDM 2.0). */
function parseVpJwt(jwt: string): ParsedPresentation {
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    ({ header, payload } = decodeVcJwt(jwt));
  } catch (error) {
    throw notAPresentation(
      `a string presentation must be JSON or a VP-JWT: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const vp = isRecord(payload.vp)
    ? payload.vp
    : Object.fromEntries(Object.entries(payload).filter(([key]) => !REGISTERED_CLAIMS.has(key)));
  if (!stringsOf(vp.type).includes("VerifiablePresentation")) {
    throw notAPresentation(
      "the VP-JWT holds no presentation: neither its vp claim nor its payload has type VerifiablePresentation",
    );
  }
  return { kind: "jwt", vp, jwt, header, payload };
}

const notAPresentation = (detail: string) => new GatewayError("unprocessable", detail, [{ pointer: POINTER, detail }]);

function checkFormat(vp: Record<string, unknown>): PresentationCheck {
  const missing: string[] = [];
  const first = stringsOf(vp["@context"])[0];
  if (first === undefined || !VC_CONTEXTS.has(first)) missing.push("a W3C credentials context first in @context");
  const bad = toArray(vp.verifiableCredential).flatMap((c, i) => (isRecord(c) || typeof c === "string" ? [] : [i]));
  if (bad.length > 0) missing.push(`verifiableCredential ${bad.join(", ")} as an object or a VC-JWT`);
  if (vp.holder !== undefined && idOf(vp.holder) === undefined) missing.push("a holder id (a URL)");
  if (missing.length > 0) return check("format", "error", `verifiable presentation: missing ${missing.join(", ")}`);
  return check("format", "ok", "W3C verifiable presentation: @context and type VerifiablePresentation present");
}

async function checkProof(
  deps: VerifyDeps,
  vp: Record<string, unknown>,
  options: { challenge?: string; domain?: string },
  credentialCount: number,
  warnings: string[],
): Promise<PresentationCheck> {
  if (absent(vp.proof)) {
    if (options.challenge !== undefined || options.domain !== undefined) {
      return check(
        "proof",
        "error",
        "a challenge or domain was given but the presentation is not signed: it cannot prove it was made for this verifier",
      );
    }
    if (credentialCount === 0)
      return check("proof", "error", "an unsigned presentation with no credential proves nothing");
    return check("proof", "skipped", "unsigned presentation: only the credentials it holds are verified");
  }
  const holder = idOf(vp.holder);
  const keys: ResolvedKey[] = [];
  const result = await verifyEddsaRdfc2022Proof(vp, {
    contexts: gatewayContexts({ ob3ElmContextUrl: deps.ob3ElmContextUrl }),
    expectedProofPurpose: "authentication",
    ...(options.challenge === undefined ? {} : { challenge: options.challenge }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    resolvePublicKey: async (methodId) => {
      const key = await resolveVerificationMethod(deps, methodId);
      if (holder !== undefined && key.controller !== undefined && key.controller !== holder) {
        if (key.source !== "did:key" && key.source !== "did:jwk") {
          throw new KeyResolutionError(`its controller ${key.controller} is not the presentation's holder ${holder}`);
        }
        warnings.push(`proof: the key ${methodId} is not the holder's identifier (${holder})`);
      }
      keys.push(key);
      return key.jwk;
    },
  });
  if (!result.verified) {
    const reasons = result.errors.map(
      (e) => `${e.proofIndex === undefined ? "" : `proof ${e.proofIndex}: `}${e.message} (${e.code})`,
    );
    return check("proof", "error", reasons.join("; "));
  }
  if (options.challenge === undefined) {
    warnings.push("proof: no challenge was given, so the presentation is not protected against replay");
  }
  const methods = result.proofs.map((p) => p.verificationMethod ?? "?").join(", ");
  return check(
    "proof",
    "ok",
    `${EDDSA_RDFC_2022} authentication proof verified (${methods})` +
      (options.challenge === undefined ? "" : "; challenge matches") +
      (options.domain === undefined ? "" : "; domain matches"),
  );
}

/**
 * The VP-JWT's signature by the holder: the key from `kid` (a DID URL; relative to `iss`), from `iss` when it is a
 * did:key / did:jwk, or the `jwk` header when the holder is that key's did:jwk. The key's controller must be the
 * holder (`vp.holder`, else `iss`); `nonce` must be the challenge and `aud` name the domain when they are given;
 * `exp` and `nbf` are checked against the clock.
 */
async function checkJwtProof(
  deps: VerifyDeps,
  parsed: Extract<ParsedPresentation, { kind: "jwt" }>,
  options: { challenge?: string; domain?: string },
  warnings: string[],
): Promise<PresentationCheck> {
  const fail = (detail: string) => check("proof", "error", `VP-JWT: ${detail}`);
  const { header, payload, vp } = parsed;
  const alg = header.alg;
  if (typeof alg !== "string" || !JWT_ALGORITHMS.has(alg)) {
    return fail(`alg ${JSON.stringify(alg)} is not one the gateway verifies (EdDSA, ES256, RS256, PS256)`);
  }
  if (header.typ !== undefined && !(typeof header.typ === "string" && VP_JWT_TYPES.has(header.typ))) {
    return fail(`typ ${JSON.stringify(header.typ)} is not a presentation JWT type (JWT, vp+jwt, vp+ld+json+jwt)`);
  }
  const iss = typeof payload.iss === "string" ? payload.iss : undefined;
  const holderId = idOf(vp.holder);
  if (vp.holder !== undefined && holderId === undefined) return fail("the presentation's holder has no id");
  if (iss !== undefined && holderId !== undefined && iss !== holderId) {
    return fail(`iss ${iss} is not the presentation's holder ${holderId}`);
  }
  const holder = holderId ?? iss;
  let key: ResolvedKey;
  try {
    key = await holderKey(deps, header, holder);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  if (holder !== undefined && key.controller !== undefined && key.controller !== holder) {
    return fail(`the key's controller ${key.controller} is not the holder ${holder}`);
  }
  try {
    await compactVerify(parsed.jwt, await importJWK(key.jwk as JWK, alg), { algorithms: [alg] });
  } catch (error) {
    return fail(`the signature does not verify: ${error instanceof Error ? error.message : String(error)}`);
  }
  const seconds = Math.floor(deps.clock.now().getTime() / 1000);
  if (payload.exp !== undefined && (typeof payload.exp !== "number" || payload.exp <= seconds)) {
    return fail(typeof payload.exp === "number" ? "the presentation has expired (exp)" : "exp is not a NumericDate");
  }
  if (payload.nbf !== undefined && (typeof payload.nbf !== "number" || payload.nbf > seconds)) {
    return fail(
      typeof payload.nbf === "number" ? "the presentation is not valid yet (nbf)" : "nbf is not a NumericDate",
    );
  }
  if (options.challenge !== undefined && payload.nonce !== options.challenge) {
    return fail("nonce does not match the challenge given");
  }
  const audiences = toArray(payload.aud).filter((a): a is string => typeof a === "string");
  if (options.domain !== undefined && !audiences.includes(options.domain)) {
    return fail("aud does not name the domain given");
  }
  if (options.challenge === undefined) {
    warnings.push("proof: no challenge was given, so the presentation is not protected against replay");
  }
  if (holder === undefined) warnings.push("proof: the presentation names no holder (no holder and no iss)");
  return check(
    "proof",
    "ok",
    `VP-JWT (${alg}) signature verified with the holder's key (${key.source}${key.controller ? ` ${key.controller}` : ""})` +
      (options.challenge === undefined ? "" : "; nonce matches the challenge") +
      (options.domain === undefined ? "" : "; aud names the domain"),
  );
}

async function holderKey(
  deps: VerifyDeps,
  header: Record<string, unknown>,
  holder: string | undefined,
): Promise<ResolvedKey> {
  if (typeof header.kid === "string") {
    const kid = header.kid.startsWith("#") && holder ? `${holder}${header.kid}` : header.kid;
    return resolveVerificationMethod(deps, kid);
  }
  if (header.jwk !== undefined) {
    const jwk = publicJwkOf(header.jwk);
    if (holder?.startsWith("did:jwk:")) {
      const own = await resolveVerificationMethod(deps, holder);
      if (JSON.stringify(own.jwk) !== JSON.stringify(jwk)) {
        throw new KeyResolutionError("the jwk header is not the key of the holder's did:jwk");
      }
      return own;
    }
    throw new KeyResolutionError(
      "a jwk header alone does not bind the key to the holder (use kid or a did:jwk holder)",
    );
  }
  if (holder?.startsWith("did:key:") || holder?.startsWith("did:jwk:")) return resolveVerificationMethod(deps, holder);
  throw new KeyResolutionError("the VP-JWT names no key: no kid header, and its holder is not a did:key or did:jwk");
}

/** Verifies one credential of the presentation; a member that is not a credential at all is a failed result. */
async function verifyOne(deps: VerifyDeps, credential: unknown, at: string): Promise<VerificationResult> {
  let value = credential;
  if (isRecord(credential) && stringsOf(credential.type).includes("EnvelopedVerifiableCredential")) {
    const match = typeof credential.id === "string" ? ENVELOPED_JWT.exec(credential.id) : null;
    if (match?.[1]) value = match[1];
  }
  try {
    return await verifyCredential(deps, { verifiableCredential: value });
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== "unprocessable") throw error;
    return unreadableResult(`${at}: ${error.message}`);
  }
}

function absent(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
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
