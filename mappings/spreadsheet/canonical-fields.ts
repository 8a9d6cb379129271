/**
 * The canonical fields a spreadsheet column can fill (each one setter in fields.ts), in a module of its own so that the
 * request schemas and the console can name them without loading the readers.
 */
export const CANONICAL_FIELDS = [
  "learner.givenName",
  "learner.familyName",
  "learner.fullName",
  "learner.email",
  "learner.dateOfBirth",
  "learner.studentId",
  "learner.nationalId",
  "learner.citizenship",
  "learner.country",
  "credential.id",
  "credential.identifier",
  "credential.language",
  "credential.issued",
  "credential.validFrom",
  "credential.validUntil",
  "credential.furtherInformation",
  "title",
  "description",
  "achievement.identifier",
  "achievement.awardingDate",
  "achievement.learningOutcomes",
  "achievement.ects",
  "achievement.eqfLevel",
  "achievement.iscedF",
  "achievement.mode",
  "achievement.learningSetting",
  "achievement.language",
  "achievement.volumeOfLearning",
  "achievement.entryRequirements",
  "achievement.homepage",
  "assessment.type",
  "assessment.grade",
  "awardingBody.name",
  "awardingBody.country",
  "awardingBody.legalIdentifier",
  "awardingBody.homepage",
  "evidence.url",
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** What `options.columns` names for a column its cells are not read at all (neither a field nor a loss). */
export const IGNORE_COLUMN = "ignore";

/**
 * A caller's correction of the detected mapping, `{"<header as in the sheet>": "<canonical field>" | "ignore"}`: it
 * replaces the profile's rule for those headers only (a header matches after the profiles' header normalisation).
 */
export type ColumnOverrides = Record<string, CanonicalField | typeof IGNORE_COLUMN>;

/** Most headers an override may name: a sheet wider than this is not a registrar's export. */
export const MAX_COLUMN_OVERRIDES = 500;

const TARGETS = new Set<string>([...CANONICAL_FIELDS, IGNORE_COLUMN]);
const isTarget = (t: unknown): t is CanonicalField | typeof IGNORE_COLUMN => typeof t === "string" && TARGETS.has(t);

/** Checks `options.columns`; issues point under `base` (the member's place in the request). Never throws. */
export function validateColumnOverrides(
  value: unknown,
  base = "/options/columns",
): { ok: true; columns: ColumnOverrides } | { ok: false; issues: { path: string; message: string }[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return {
      ok: false,
      issues: [{ path: base, message: 'must be an object mapping a header to a field or "ignore"' }],
    };
  const entries = Object.entries(value);
  if (entries.length > MAX_COLUMN_OVERRIDES)
    return { ok: false, issues: [{ path: base, message: `at most ${MAX_COLUMN_OVERRIDES} headers` }] };
  const issues: { path: string; message: string }[] = [];
  const columns: ColumnOverrides = {};
  for (const [header, target] of entries) {
    const path = `${base}/${header.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (!isTarget(target)) {
      issues.push({
        path,
        message: `unknown field ${JSON.stringify(target)} for column ${JSON.stringify(header)}; known: ${CANONICAL_FIELDS.join(", ")}, or ${IGNORE_COLUMN}`,
      });
      continue;
    }
    columns[header] = target;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, columns };
}
