/**
 * The verification verdict a person reads: `valid-trusted` (every check passed and a trust source vouches for the
 * issuer), `valid-issuer-unknown` (every check passed, but nothing confirms who the issuer is: a valid signature by
 * an unknown key proves only that someone signed it) or `invalid` (a check failed). `verified` keeps its meaning
 * (format, proof, validity, status, as the W3C test suites read it); the verdict adds trust, so that an unknown
 * issuer can never pass for a known one. Each failing check gets a plain `reason` beside its technical `detail`.
 */
import { isRecord } from "../../../lib/guards.js";

/** A check as the verdict reads it (the verifier's and the presentation verifier's checks both fit). */
export interface CheckLike {
  check: string;
  status: "ok" | "error" | "skipped";
  detail: string;
}

export type VerdictStatus = "valid-trusted" | "valid-issuer-unknown" | "invalid";

export interface Verdict {
  status: VerdictStatus;
  /** One plain sentence saying what the verdict means for this credential. */
  summary: string;
}

/** What the verdict names the issuer by: its name (and country) when the credential gives one, else its id. */
export interface IssuerLabel {
  name?: string;
  country?: string;
  id?: string;
  /** A JAdES seal (sealed, not signed). */
  sealed?: boolean;
}

/** The plain reason of a check in error, from its name and what its detail says. */
export function plainReason(check: Pick<CheckLike, "check" | "detail">): string {
  const d = check.detail;
  const reasons: Record<string, () => string> = {
    format: () =>
      "The credential is not in a form the verifier can read: required information is missing or malformed.",
    proof: () => {
      if (/no proof|not signed/.test(d))
        return "The credential is not signed, so nothing shows who issued it or that it is unchanged.";
      if (/does not match|does not verify|mismatch|invalid signature/i.test(d))
        return "The signature does not match the credential: it was changed after it was signed, or not signed by its issuer.";
      if (/resolv|not found|no key|unknown key|cannot find|verification method/i.test(d))
        return "The key that signed the credential could not be found or does not belong to its issuer.";
      return "The signature could not be confirmed: the credential may have been changed after it was signed.";
    },
    expiry: () =>
      /expired/.test(d)
        ? "The credential has expired."
        : /not valid yet/.test(d)
          ? "The credential is not valid yet."
          : "The credential's validity dates cannot be read.",
    status: () =>
      /revoked/.test(d)
        ? "The issuer has revoked this credential."
        : /suspended/.test(d)
          ? "The issuer has suspended this credential."
          : "Whether the issuer has revoked this credential could not be confirmed.",
    trust: () => "A trusted list or registry says this issuer or its certificate is not to be trusted.",
    microCredential: () => "The credential does not have every element an EU micro-credential needs.",
    endorsement: () => "An endorsement included in the credential does not verify.",
    relatedResource: () =>
      "A file the credential links to does not match the fingerprint the credential records for it.",
  };
  return (reasons[check.check] ?? (() => `The ${check.check} check failed.`))();
}

const labelOf = (issuer: IssuerLabel): string => {
  const who = issuer.name ?? issuer.id ?? "an issuer that does not name itself";
  return issuer.country ? `${who} (${issuer.country})` : who;
};

/** The awarding body the Annex I report found (ELM `awardedBy`, OB 3.0 achievement creator), when it names one. */
function awardingBodyOf(checks: readonly CheckLike[]): string | undefined {
  const mc: unknown = checks.find((c) => c.check === "microCredential");
  const report = isRecord(mc) && isRecord(mc.report) && Array.isArray(mc.report.elements) ? mc.report.elements : [];
  const row: unknown = report.find((e: unknown) => isRecord(e) && e.element === "awardingBody");
  const value = isRecord(row) && row.status === "present" ? row.value : undefined;
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first.trim() !== "" ? first : undefined;
}

/**
 * A sealing certificate issued for testing: its subject's common name says TEST (the EC's samples are sealed with
 * "CN=TEST SEAL, O=ORGANIZACION TEST"). The proof check's detail carries the subject as the certificate states it.
 */
function testCertificate(checks: readonly CheckLike[]): boolean {
  const proof = checks.find((c) => c.check === "proof");
  return proof !== undefined && /\bCN=[^,;)]*\bTEST\b/i.test(proof.detail);
}

/** Who awarded and who signed or sealed: the awarding body first when it is not the issuer itself. */
function byline(checks: readonly CheckLike[], issuer: IssuerLabel): string {
  const verb = issuer.sealed ? "sealed" : "issued";
  const body = awardingBodyOf(checks);
  if (body === undefined || body === issuer.name)
    return `${verb === "sealed" ? "Sealed" : "Issued"} by ${labelOf(issuer)}`;
  const country = issuer.country ? ` (${issuer.country})` : "";
  return `Awarded by ${body}${country}, ${verb} by ${issuer.name ?? issuer.id ?? "an issuer that does not name itself"}`;
}

/** The verdict of a credential's checks; `issuer` names who the credential says issued it. */
export function verdictOf(checks: readonly CheckLike[], issuer: IssuerLabel): Verdict {
  const failed = checks.filter((c) => c.status === "error");
  const by = byline(checks, issuer);
  if (failed.length > 0) {
    const first = failed[0] as CheckLike;
    const reason = plainReason(first).replace(/\.$/, "");
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more problem${failed.length > 2 ? "s" : ""})` : "";
    return {
      status: "invalid",
      summary: `${by}; not valid: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}${more}.`,
    };
  }
  const trust = checks.find((c) => c.check === "trust");
  const what = issuer.sealed ? "the seal is valid" : "the signature is valid";
  if (trust?.status === "ok") {
    return { status: "valid-trusted", summary: `${by}; ${what} and a trusted source confirms this issuer.` };
  }
  if (issuer.sealed) {
    const test = testCertificate(checks) ? ": it is a test certificate" : "";
    return {
      status: "valid-issuer-unknown",
      summary: `${by}; the seal is valid, but no trusted list confirms this sealing certificate${test}.`,
    };
  }
  return {
    status: "valid-issuer-unknown",
    summary: `${by}; ${what}, but no trusted source confirms who this issuer is, so the name is the credential's own claim.`,
  };
}

/** The issuer's name and country as the credential states them (OB 3.0 / W3C profile, ELM organisation). */
export function issuerLabelOf(
  credentialIssuer: unknown,
  read: { name?: string; country?: string } | undefined,
  sealed: boolean,
): IssuerLabel {
  const id =
    typeof credentialIssuer === "string"
      ? credentialIssuer
      : isRecord(credentialIssuer)
        ? credentialIssuer.id
        : undefined;
  const own =
    isRecord(credentialIssuer) && typeof credentialIssuer.name === "string" ? credentialIssuer.name : undefined;
  const name = read?.name ?? own;
  return {
    ...(name !== undefined ? { name } : {}),
    ...(read?.country !== undefined ? { country: read.country } : {}),
    ...(typeof id === "string" ? { id } : {}),
    ...(sealed ? { sealed: true } : {}),
  };
}
