/**
 * The EU micro-credential check: each Annex I element (Council Recommendation 2022/C 243/02) of a canonical
 * credential, present, missing or invalid, with where it is in the input document and a compact value; whether the
 * credential carries all mandatory elements; and DEQAR's micro-credential rule. Pure: the same credential gives the
 * same report, whatever format it was read from.
 */
import type { CanonicalCredential } from "../model.js";
import { ANNEX1_ELEMENTS, type ElementId, MANDATORY_ELEMENTS } from "./annex1-elements.js";
import { readLevel, readWorkload } from "./annex1-rules.js";
import { contextOf } from "./context.js";
import { checkDeqar, type DeqarResult } from "./deqar.js";
import { sourcePath } from "./source-path.js";

export type { Annex1Element, ElementId } from "./annex1-elements.js";
export { ANNEX1_ELEMENTS, ELEMENT_IDS, MANDATORY_ELEMENTS, OPTIONAL_ELEMENTS } from "./annex1-elements.js";
export { CANONICAL_PREFIX } from "./source-path.js";
export type { DeqarResult };

/** One element's verdict. */
export interface ElementResult {
  element: ElementId;
  required: boolean;
  status: "present" | "missing" | "invalid";
  /**
   * JSON Pointer into the input document (the credential's root in the input plus the reader's source pointer) of
   * the value found; a `#canonical/…` pointer into the canonical model when the reader recorded no source for it.
   * Absent for a missing element.
   */
  path?: string;
  /** A compact, human-readable value ("EQF 6", `{ects: 2, hours: 60}`); for the learner, the fields present only. */
  value?: unknown;
  /** Why the element is missing or invalid, or where a present one was found when it is not the usual place. */
  detail?: string;
  /**
   * Where the value comes from: the credential itself. `registry` is for values a caller adds from a registry lookup
   * (a DEQAR accreditation of the awarding body); this pure check only reads the credential.
   */
  source?: "credential" | "registry";
}

/** The check's answer for one credential. */
export interface Annex1Report {
  /** Every element of {@link ANNEX1_ELEMENTS}, in its order. */
  elements: ElementResult[];
  microCredential: {
    /** All 11 mandatory elements present (a missing or invalid one fails it). */
    compliant: boolean;
    /** Mandatory elements missing. */
    missing: ElementId[];
    /** Mandatory elements found but unusable. */
    invalid: ElementId[];
    deqar: DeqarResult;
  };
}

/**
 * Checks a canonical credential against Annex I of the EU micro-credential Recommendation and DEQAR's micro-credential
 * rule. Every top-level claim is looked at; the main achievement (the first achievement claim) is preferred, so the
 * paths point at it whenever it has the element. Never throws on incomplete credentials: absent data is "missing".
 */
export function checkAnnex1(credential: CanonicalCredential): Annex1Report {
  const ctx = contextOf(credential);
  const elements = ANNEX1_ELEMENTS.map((row): ElementResult => {
    const finding = row.evaluate(ctx);
    const base = { element: row.id, required: row.required, status: finding.status };
    if (finding.status === "missing") return { ...base, detail: finding.detail };
    return {
      ...base,
      path: sourcePath(credential.provenance, finding.at),
      ...(finding.value === undefined ? {} : { value: finding.value }),
      ...(finding.detail === undefined ? {} : { detail: finding.detail }),
      source: "credential",
    };
  });
  const mandatory = new Set<ElementId>(MANDATORY_ELEMENTS);
  const failing = (status: ElementResult["status"]): ElementId[] =>
    elements.filter((e) => mandatory.has(e.element) && e.status === status).map((e) => e.element);
  const missing = failing("missing");
  const invalid = failing("invalid");
  const deqar = checkDeqar(ctx, {
    workload: readWorkload(ctx),
    level: readLevel(ctx),
    assessed: elements.some((e) => e.element === "assessmentType" && e.status === "present"),
  });
  return {
    elements,
    microCredential: { compliant: missing.length === 0 && invalid.length === 0, missing, invalid, deqar },
  };
}

/** The mandatory rows of {@link ANNEX1_ELEMENTS}, in order, found once. */
const MANDATORY_ROWS = ANNEX1_ELEMENTS.filter((row) => (MANDATORY_ELEMENTS as readonly string[]).includes(row.id));

/**
 * Whether a credential carries every mandatory Annex I element: the same answer as
 * `checkAnnex1(credential).microCredential.compliant`, without the report. Writers ask this once per credential (an
 * OB 3.0 achievement type), so it evaluates only the mandatory rules and stops at the first one missing or invalid,
 * and resolves no source paths (the full report was most of a CSV → OB3 conversion).
 */
export function isMicroCredential(credential: CanonicalCredential): boolean {
  const ctx = contextOf(credential);
  for (const row of MANDATORY_ROWS) {
    if (row.evaluate(ctx).status !== "present") return false;
  }
  return true;
}
