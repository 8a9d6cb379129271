/**
 * Conformance of a written document to the target format's rules the gateway holds: ELM, the EDC application
 * profile's constraint tables (`elm/constraints.ts`: the paths verification checks and the class-targeted
 * cardinalities of the shapes); OB 3.0, its JSON Schema rules (`ob3/schema.ts`) and the subject rule the schema cannot
 * express; ELMO, its model of the EMREX ELMO 2.0 XSD (`elmo/xsd-model.ts`), loaded on the first ELMO answer only.
 * A format the gateway holds no rules for is answered `rules: "none"`, `conforms: null` instead of claiming conformance.
 */
import { isRecord } from "../lib/guards.js";
import { elmConformanceIssues } from "./elm/constraints.js";
import type { Format } from "./formats.js";
import type { Conformance, Violation } from "./model.js";
import { ob3ValidAsArrays } from "./ob3/schema.js";

export const ELM_RULES_NAME =
  "EDC application profile edc-generic-full (the gateway's constraint tables of its SHACL shapes)";
export const OB3_RULES_NAME = "Open Badges 3.0 JSON Schema (AchievementCredential)";

/**
 * What EDC's sealer writes into a credential just before sealing (`elm/seal.ts`): the issuer's eIDAS identifier, legal
 * name and location from the seal certificate, and `issued` / `issuanceDate`. A missing one of these is met by sealing.
 */
const SET_BY_SEALING = /^\/(issued|issuanceDate|issuer\/(eIDASIdentifier|legalName|location))$/;

function elmConformance(document: unknown): Conformance {
  const violations: Violation[] = [];
  const sealing: Violation[] = [];
  for (const issue of elmConformanceIssues(document)) {
    const v = { path: issue.pointer, message: `${issue.message} (${issue.shape})` };
    if (SET_BY_SEALING.test(issue.pointer) && issue.message.startsWith("at least")) sealing.push(v);
    else violations.push(v);
  }
  return { rules: ELM_RULES_NAME, conforms: violations.length === 0, violations, sealing };
}

function ob3Conformance(document: unknown): Conformance {
  const violations: Violation[] = ob3ValidAsArrays(document).map((i) => ({ path: i.pointer, message: i.message }));
  const subjects = isRecord(document) ? document.credentialSubject : undefined;
  const list = Array.isArray(subjects) ? subjects : subjects === undefined ? [] : [subjects];
  for (const [i, s] of list.entries()) {
    if (isRecord(s) && s.id === undefined && s.identifier === undefined) {
      const path = Array.isArray(subjects) ? `/credentialSubject/${i}` : "/credentialSubject";
      violations.push({ path, message: "needs an id or an identifier (OB 3.0 AchievementSubject)" });
    }
  }
  return { rules: OB3_RULES_NAME, conforms: violations.length === 0, violations };
}

/**
 * The conformance of a document written in `format`. Asynchronous because the ELMO check is imported on first use:
 * functions that never write ELMO do not load it at init.
 */
export async function conformanceOf(format: Format, document: unknown): Promise<Conformance> {
  if (format === "elm") return elmConformance(document);
  if (format === "ob3") return ob3Conformance(document);
  if (format === "elmo") return (await import("./elmo/conformance.js")).elmoConformance(document);
  return { rules: "none", conforms: null, violations: [] };
}
