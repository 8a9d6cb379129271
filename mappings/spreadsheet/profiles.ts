/**
 * Column profiles: a small declarative, typed description of a spreadsheet layout — which column holds which
 * canonical field, how its value is normalised first (a named {@link TransformName}), and values fixed for every row
 * (the awarding body, ECTS, EQF level...) because registrars' exports rarely carry them. Built-in profiles cover the
 * default layout (default.ts), the EDC issuer templates and common LMS / badge-platform exports (builtin.ts); callers
 * may pass their own profile object in `options.profile`, which {@link validateProfile} checks first.
 *
 * Headers match after {@link normalizeHeader}: case, accents, surrounding and repeated spaces are ignored, `_` and `-`
 * count as spaces, and `{…}` groups are removed, so `Course_Title`, `course-title` and `course title` are one header,
 * `Intitulé` matches `intitule`, and EDC 2.x generated headers (`{#<uuid>}.REC.givenNames`, `ACH{<uuid>}.title(en)`)
 * match `REC.givenNames` and `ACH.title(en)` whatever the template's UUIDs.
 */

import { isRecord } from "../../lib/guards.js";
import { CANONICAL_FIELDS, type CanonicalField } from "./canonical-fields.js";
import { TRANSFORM_NAMES, type TransformName } from "./transforms.js";

export { CANONICAL_FIELDS, type CanonicalField };

export interface ColumnRule {
  field: CanonicalField;
  /** Applied in order before the field's own parsing; a failing transform is a row error naming the column. */
  transform?: TransformName | TransformName[];
}

/** Values every row gets (a column with a value wins over them). */
export interface FixedValues {
  awardingBody?: { name: string; country: string; legalIdentifier?: string; homepage?: string };
  title?: string;
  ects?: number;
  eqfLevel?: number;
  /** An assessment-type concept URI (`http://data.europa.eu/snb/assessment/…`). */
  assessmentType?: string;
  /** A mode name (`online`, `blended`, `presential`...) or a learning-assessment concept URI. */
  mode?: string;
  /** `formal` / `non-formal`, or a learning-setting concept URI. */
  learningSetting?: string;
  /** Language of the row's texts (BCP 47 / ISO 639-1); `und` when absent. */
  language?: string;
}

export interface Profile {
  name: string;
  description: string;
  /**
   * Auto-detection: the profile applies when every one of `requiredHeaders` is present and, when `anyHeaders` is
   * given, at least one of those (the default layout: any header that means a title).
   */
  match?: { requiredHeaders: string[]; anyHeaders?: string[] };
  /** XLSX: the worksheet to read (default: the first). */
  sheet?: string;
  /** XLSX: the 1-based row holding the headers (default 1); data rows follow it. CSV always uses its first line. */
  headerRow?: number;
  columns: Record<string, ColumnRule>;
  fixed?: FixedValues;
}

/** Header text as profiles match it (see the module comment). */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/^\.+/, "")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[\u2018\u2019\u00b4`]/g, "'")
    .replace(/[\s_-]+/g, " ")
    .trim()
    .toLowerCase();
}

export interface ProfileIssue {
  path: string;
  message: string;
}

const FIELDS = new Set<string>(CANONICAL_FIELDS);
const TRANSFORMS = new Set<string>(TRANSFORM_NAMES);
const PROFILE_KEYS = new Set(["name", "description", "match", "sheet", "headerRow", "columns", "fixed"]);
const FIXED_KEYS: Record<string, "string" | "number" | "object"> = {
  awardingBody: "object",
  title: "string",
  ects: "number",
  eqfLevel: "number",
  assessmentType: "string",
  mode: "string",
  learningSetting: "string",
  language: "string",
};

/** JSON Pointer escaping of one reference token. */
export const escapeToken = (token: string): string => token.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Checks a caller's profile object: shape, known canonical fields and transforms, fixed values' types. Issues carry
 * a JSON Pointer under `base` (the profile's place in the request, `/options/profile`). Never throws.
 */
export function validateProfile(
  value: unknown,
  base = "/options/profile",
): { ok: true; profile: Profile } | { ok: false; issues: ProfileIssue[] } {
  const issues: ProfileIssue[] = [];
  const at = (path: string, message: string) => issues.push({ path: `${base}${path}`, message });
  if (!isRecord(value)) return { ok: false, issues: [{ path: base, message: "a profile must be an object" }] };
  for (const key of Object.keys(value)) if (!PROFILE_KEYS.has(key)) at(`/${escapeToken(key)}`, "unknown profile key");
  if (typeof value.name !== "string" || value.name === "") at("/name", "must be a non-empty string");
  if (value.description !== undefined && typeof value.description !== "string") at("/description", "must be a string");
  if (value.sheet !== undefined && typeof value.sheet !== "string") at("/sheet", "must be a string");
  if (
    value.headerRow !== undefined &&
    !(typeof value.headerRow === "number" && Number.isInteger(value.headerRow) && value.headerRow >= 1)
  )
    at("/headerRow", "must be an integer ≥ 1");
  if (value.match !== undefined) {
    const req = isRecord(value.match) ? value.match.requiredHeaders : undefined;
    if (!Array.isArray(req) || !req.every((h) => typeof h === "string"))
      at("/match/requiredHeaders", "must be an array of header strings");
    const any = isRecord(value.match) ? value.match.anyHeaders : undefined;
    if (any !== undefined && !(Array.isArray(any) && any.every((h) => typeof h === "string")))
      at("/match/anyHeaders", "must be an array of header strings");
  }
  if (!isRecord(value.columns) || Object.keys(value.columns).length === 0) {
    at("/columns", "must be an object mapping at least one header to {field, transform?}");
  } else {
    for (const [header, rule] of Object.entries(value.columns)) {
      const p = `/columns/${escapeToken(header)}`;
      if (!isRecord(rule)) {
        at(p, "must be {field, transform?}");
        continue;
      }
      for (const key of Object.keys(rule))
        if (key !== "field" && key !== "transform") at(`${p}/${escapeToken(key)}`, "unknown column-rule key");
      if (typeof rule.field !== "string" || !FIELDS.has(rule.field))
        at(
          `${p}/field`,
          `unknown canonical field ${JSON.stringify(rule.field)}; known: ${CANONICAL_FIELDS.join(", ")}`,
        );
      const transforms =
        rule.transform === undefined ? [] : Array.isArray(rule.transform) ? rule.transform : [rule.transform];
      transforms.forEach((t, i) => {
        if (typeof t !== "string" || !TRANSFORMS.has(t))
          at(
            Array.isArray(rule.transform) ? `${p}/transform/${i}` : `${p}/transform`,
            `unknown transform ${JSON.stringify(t)}; known: ${TRANSFORM_NAMES.join(", ")}`,
          );
      });
    }
  }
  if (value.fixed !== undefined) {
    if (!isRecord(value.fixed)) at("/fixed", "must be an object");
    else {
      for (const [key, v] of Object.entries(value.fixed)) {
        const type = FIXED_KEYS[key];
        if (!type) at(`/fixed/${escapeToken(key)}`, "unknown fixed value");
        else if (type === "object" ? !isRecord(v) : typeof v !== type) at(`/fixed/${key}`, `must be a ${type}`);
      }
      const body = value.fixed.awardingBody;
      if (isRecord(body)) {
        if (typeof body.name !== "string" || body.name === "")
          at("/fixed/awardingBody/name", "must be a non-empty string");
        if (typeof body.country !== "string" || !/^[A-Za-z]{2,3}$/.test(body.country))
          at("/fixed/awardingBody/country", "must be an ISO 3166-1 alpha-2 or alpha-3 code");
      }
      const eqf = value.fixed.eqfLevel;
      if (typeof eqf === "number" && !(Number.isInteger(eqf) && eqf >= 1 && eqf <= 8))
        at("/fixed/eqfLevel", "must be an integer 1..8");
      const ects = value.fixed.ects;
      if (typeof ects === "number" && !(Number.isFinite(ects) && ects >= 0)) at("/fixed/ects", "must be a number ≥ 0");
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const description = typeof value.description === "string" ? value.description : "";
  return { ok: true, profile: { ...(value as unknown as Profile), description } };
}
