/** Embedded endorsements (OB 3.0 `endorsement` / `endorsementJwt`): where they sit, each verified, the `endorsement` check. */
import { isRecord } from "../../../../lib/guards.js";
import { GatewayError } from "../../../kernel/errors.js";
import { decodeVcJwt } from "../../../proofs/vc-jwt.js";
import {
  check,
  type EndorsementResult,
  unreadableResult,
  type VerificationCheck,
  type VerificationResult,
  type VerifyDeps,
} from "../model.js";
import { idOf, stringsOf, toArray } from "../values.js";
import { plainReason, verdictOf } from "../verdict.js";

/** Most endorsements verified per credential; more are reported as not checked (bounded work per request). */
export const MAX_ENDORSEMENTS = 20;

/** Verifies one embedded endorsement at `depth` (the orchestrator's own entry point, handed in to keep imports one-way). */
export type VerifyNested = (deps: VerifyDeps, input: unknown, depth: number) => Promise<VerificationResult>;

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
export async function verifyEndorsements(
  deps: VerifyDeps,
  credential: Record<string, unknown>,
  depth: number,
  verify: VerifyNested,
): Promise<EndorsementResult[]> {
  const results: EndorsementResult[] = [];
  for (const { value, at, endorsed } of endorsementsOf(credential).slice(0, MAX_ENDORSEMENTS)) {
    let result: VerificationResult;
    try {
      result = await verify(deps, value, depth + 1);
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
export function endorsementCheck(
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
