/** The `relatedResource` check: digests of resources the credential names, against the pinned copies. */
import { check, type VerificationCheck } from "../model.js";
import { relatedResourceFindings } from "../related-resources.js";

/**
 * VCDM 2.0 §5.3: "If the digest provided by the issuer does not match the digest computed for the retrieved resource,
 * the conforming verifier implementation MUST produce an error." Nothing is fetched: a resource is checked against the
 * pinned copy the gateway holds (`related-resources.ts`); any other is reported as unknown.
 */
export function checkRelatedResources(doc: Record<string, unknown>): VerificationCheck {
  const findings = relatedResourceFindings(doc.relatedResource);
  const errors = findings.filter((f) => f.status === "error");
  if (errors.length > 0) return check("relatedResource", "error", errors.map((f) => f.detail).join("; "));
  const status = findings.length > 0 && findings.every((f) => f.status === "ok") ? "ok" : "skipped";
  return check("relatedResource", status, findings.map((f) => f.detail).join("; ") || "no related resource");
}
