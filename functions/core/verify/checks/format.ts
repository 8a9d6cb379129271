/**
 * The `format` check: the format reader, then the ELM constraint table (EDC application profile) or the OB 3.0 JSON
 * Schema rules, else the VCDM members every credential has.
 */
import { isRecord } from "../../../../lib/guards.js";
import { ELM_RULES, elmConstraintIssues } from "../../../../mappings/elm/constraints.js";
import type { Format } from "../../../../mappings/formats.js";
import type { ReaderLimits } from "../../../../mappings/limits.js";
import type { ReadResult } from "../../../../mappings/model.js";
import { ob3SchemaIssues, ob3ValidAsArrays, type SchemaIssue } from "../../../../mappings/ob3/schema.js";
import { hasOb3Context } from "../../../../mappings/ob3/sniff.js";
import { sniffFormat } from "../../../../mappings/registry.js";
import { readerResult } from "../input.js";
import { check, type Parsed, type VerificationCheck } from "../model.js";
import { absent, idOf, stringsOf, toArray } from "../values.js";

const VC_CONTEXTS = new Set(["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"]);

export function checkFormat(
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
export function vcMissing(doc: Record<string, unknown>): string[] {
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

/**
 * The `format` check of verification, run on a credential before it is signed (the issuance gate, issuance-gate.ts):
 * the same reader, ELM constraints and OB 3.0 schema rules, so that nothing the gateway signs fails this check later.
 * `limits` are the configured reader limits (the readers' defaults without them).
 */
export function checkCredentialFormat(
  doc: Record<string, unknown>,
  limits?: ReaderLimits,
): { check: VerificationCheck; format?: Format } {
  const format = sniffFormat(doc);
  const endorsement = stringsOf(doc.type).includes("EndorsementCredential");
  const read = format && !endorsement ? readerResult(format, doc, limits) : undefined;
  const check = checkFormat({ kind: "jsonld", credential: doc, readerInput: doc }, format, read, []);
  return { check, ...(format ? { format } : {}) };
}
