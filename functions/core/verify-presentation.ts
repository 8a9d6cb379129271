/**
 * Verification of a verifiable presentation (W3C VC API `POST /presentations/verify`). An unsigned presentation is a
 * container: each credential it holds is verified ({@link verifyCredential}). A signed one must also carry
 * `eddsa-rdfc-2022` proofs made for `authentication`, with the verifier's `challenge` and `domain` when the caller
 * gives them (the replay protection of a presentation). `verified` is true only when the presentation and every
 * credential verify.
 */
import { EDDSA_RDFC_2022, verifyEddsaRdfc2022Proof } from "../proofs/data-integrity.js";
import { GatewayError } from "./errors.js";
import { parseJsonText } from "./json.js";
import { KeyResolutionError, type ResolvedKey, resolveVerificationMethod } from "./keys.js";
import { type VerificationCheck, type VerificationResult, type VerifyDeps, verifyCredential } from "./verify.js";

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
): Promise<PresentationVerificationResult> {
  const vp = parsePresentation(input.verifiablePresentation, deps);
  const options = input.options ?? {};
  const warnings: string[] = [];
  const credentials = toArray(vp.verifiableCredential);

  const presentationChecks = [checkFormat(vp), await checkProof(deps, vp, options, credentials.length, warnings)];
  const credentialResults: VerificationResult[] = [];
  for (const [i, credential] of credentials.entries()) {
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

function parsePresentation(value: unknown, deps: VerifyDeps): Record<string, unknown> {
  let vp = value;
  if (typeof value === "string") {
    const text = value.trim();
    if (!text.startsWith("{")) {
      throw notAPresentation("a presentation is a JSON-LD object; VP-JWT presentations are not verified yet");
    }
    vp = parseJsonText(text, deps.limits, POINTER);
  }
  if (!isRecord(vp)) throw notAPresentation("a verifiable presentation is a JSON object");
  if (!stringsOf(vp.type).includes("VerifiablePresentation")) {
    throw notAPresentation("not a verifiable presentation: its type does not include VerifiablePresentation");
  }
  return vp;
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
    const detail = `${at}: ${error.message}`;
    return {
      verified: false,
      checks: [{ check: "format", status: "error", detail }],
      warnings: [],
      errors: [`format: ${detail}`],
    };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
