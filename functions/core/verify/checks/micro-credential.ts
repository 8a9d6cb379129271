/** The `microCredential` check: the EU Council Recommendation's Annex I elements on the read credential. */
import { checkAnnex1 } from "../../../../mappings/compliance/annex1.js";
import type { Format } from "../../../../mappings/formats.js";
import type { ReadResult } from "../../../../mappings/model.js";
import { check, type VerificationCheck } from "../model.js";

export function checkMicroCredential(format: Format | undefined, read: ReadResult | undefined): VerificationCheck {
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
