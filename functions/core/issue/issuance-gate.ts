/**
 * The issuance gate: before anything is signed, the credential goes through the `format` check of the gateway's own
 * verifier (`checkCredentialFormat` in verify.ts: the format's reader, the EDC application-profile constraints for
 * ELM, the OB 3.0 JSON Schema rules), and a credential that fails it is refused with 422 listing the violations. So
 * nothing the gateway signs — through /v1/credentials/issue, a bulk job or OpenID4VCI, which all sign through
 * `signCredential` — fails its own verification's format check.
 *
 * For ELM the gate runs on the credential as it will be sealed (the seal certificate's subject applied as issuer):
 * an issuer whose certificate carries no organizationIdentifier would give a credential without the
 * `issuer/eIDASIdentifier` EDC requires, and is told which field to register.
 */

import { elmConstraintIssues } from "../../../mappings/elm/constraints.js";
import type { Format } from "../../../mappings/formats.js";
import { ob3ValidAsArrays } from "../../../mappings/ob3/schema.js";
import { GatewayError } from "../../kernel/errors.js";

export interface GateViolation {
  pointer: string;
  detail: string;
}

/** The verifier is loaded with the first credential checked, not when a function that may issue starts. */
const verifying = () => import("../verify/verify.js");

/** Why the EDC issuer needs an eIDAS identifier, and what to do about it (the 422's advice). */
const EIDAS_ADVICE =
  "the seal certificate's subject has no organizationIdentifier, so the sealed credential has no issuer " +
  "eIDASIdentifier (EDC requires one): register the issuer with legalIdentifier (its VAT, trade-register or other " +
  "legal number) and give it a certificate carrying it";

/** Why an assessment needs a grade (a spreadsheet's `assessment_type` column without a `grade` one). */
const GRADE_ADVICE =
  "EDC records an assessment with its result: give the assessment a grade (a spreadsheet: add a `grade` column " +
  "next to the assessment's), or leave the assessment out";

/** Each violation the format check found, with a pointer into the credential (`base` prefixed). */
function violationsOf(doc: Record<string, unknown>, format: Format | undefined, detail: string, base: string) {
  const violations: GateViolation[] = [];
  if (format === "elm") {
    for (const issue of elmConstraintIssues(doc)) {
      const advice = issue.pointer.startsWith("/issuer/eIDASIdentifier")
        ? `: ${EIDAS_ADVICE}`
        : /\/provenBy(\/\d+)?\/grade$/.test(issue.pointer)
          ? `: ${GRADE_ADVICE}`
          : "";
      violations.push({ pointer: `${base}${issue.pointer}`, detail: `${issue.message} (${issue.shape})${advice}` });
    }
  } else if (format === "ob3") {
    for (const issue of ob3ValidAsArrays(doc))
      violations.push({ pointer: `${base}${issue.pointer}`, detail: issue.message });
  }
  // The check's own verdict is always listed: it is what verification would answer.
  violations.push({ pointer: base, detail: `format: ${detail}` });
  return violations;
}

/** The format check on an unsigned credential: ok, or the violations (what a dry run shows, what the gate refuses). */
export async function formatConformance(
  doc: Record<string, unknown>,
  base = "",
): Promise<{ ok: true; detail: string } | { ok: false; detail: string; violations: GateViolation[] }> {
  const { checkCredentialFormat } = await verifying();
  const { check, format } = checkCredentialFormat(doc);
  if (check.status !== "error") return { ok: true, detail: check.detail };
  return { ok: false, detail: check.detail, violations: violationsOf(doc, format, check.detail, base) };
}

/** Refuses (422, the violations listed) a credential its own verifier's format check would reject. */
export async function assertIssuable(doc: Record<string, unknown>, base = "/body/credential"): Promise<void> {
  const result = await formatConformance(doc, base);
  if (result.ok) return;
  throw new GatewayError(
    "unprocessable",
    `the gateway does not sign a credential its own verifier rejects: ${result.detail}`,
    result.violations,
  );
}
