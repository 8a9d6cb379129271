/**
 * Verification: every check EDC's verifier (FORMAT, SEAL, EXPIRY, REVOCATION, OWNER/trust) and the OB 3.0
 * specification (§9: conformance, proof, status, validity window, endorsements) perform, each reported with a reason.
 * Input is a JSON-LD credential, a VC-JWT, a JAdES envelope or EDC's upload wrapper. `verified` is true only when no
 * check is in error (a `trust` error included: a seal on no trusted list is not verified; a failing embedded
 * endorsement too); a check that could not run is `skipped` and says why. Each check family is a module of `./checks/` (format, proof,
 * validity, status, trust, microCredential, relatedResource, endorsement); this module parses the input and runs them
 * in order. `format` runs the OB 3.0 JSON Schema rules or the ELM constraint table; `trust` consults the configured
 * trust sources. Bitstring status lists of this gateway are read from its store; those of other
 * hosts only with outbound HTTP. Keys are resolved without network unless outbound HTTP is configured (`./keys.ts`).
 */
import type { CanonicalCredential, ReadResult } from "../../../mappings/model.js";
import { sniffFormat } from "../../../mappings/registry.js";
import { endorsementCheck, verifyEndorsements } from "./checks/endorsement.js";
import { checkFormat } from "./checks/format.js";
import { checkMicroCredential } from "./checks/micro-credential.js";
import { checkProof } from "./checks/proof.js";
import { checkRelatedResources } from "./checks/related-resource.js";
import { checkStatus } from "./checks/status.js";
import { checkTrust } from "./checks/trust.js";
import { checkExpiry } from "./checks/validity.js";
import { parseInput, readerResult } from "./input.js";
import type { VerificationResult, VerifyDeps, VerifyInput } from "./model.js";
import { looksLikeSdJwt, verifySdJwtVcCredential } from "./sd-jwt-vc.js";
import { stringsOf } from "./values.js";
import { issuerLabelOf, plainReason, verdictOf } from "./verdict.js";

// The public names stay importable from here: callers and tests import verification from this module.
export { checkCredentialFormat } from "./checks/format.js";
export type {
  CheckName,
  CheckStatus,
  EndorsementResult,
  VerificationCheck,
  VerificationResult,
  VerifyDeps,
  VerifyInput,
} from "./model.js";
export { unreadableResult } from "./model.js";

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
  const endorsements =
    depth < MAX_ENDORSEMENT_DEPTH ? await verifyEndorsements(deps, parsed.credential, depth, verifyAt) : [];
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
