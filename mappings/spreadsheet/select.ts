/**
 * Which profile reads a spreadsheet: the caller's (`options.profile`, a built-in name or a profile object), else the
 * first built-in profile whose required headers are all in the header row.
 */
import type { ReadIssue } from "../model.js";
import { BUILTIN_PROFILES, profileByName } from "./builtin.js";
import { type ColumnOverrides, IGNORE_COLUMN, validateColumnOverrides } from "./canonical-fields.js";
import { DEFAULT_COLUMNS } from "./default.js";
import type { Cell, SpreadsheetLimits } from "./mapper.js";
import { cellText, DEFAULT_LIMITS } from "./mapper.js";
import { normalizeHeader, type Profile, validateProfile } from "./profiles.js";

export interface SpreadsheetOptions {
  /** A built-in profile's name, or a profile object (validated). Auto-detected from the headers when absent. */
  profile?: string | Profile | unknown;
  /** XLSX: the worksheet to read (default: the profile's, else the first). */
  sheet?: string;
  /** CSV: the cell delimiter (default: `;` when the header line has more of them than `,`, else `,`). */
  delimiter?: string;
  /** The caller's correction of the detected mapping, `{header: field | "ignore"}` (validated when the header is read). */
  columns?: unknown;
  maxRows?: number;
  maxCellChars?: number;
}

/** The profile the caller asked for, if any: `undefined` means "detect". */
export function requestedProfile(
  options: SpreadsheetOptions | undefined,
): { ok: true; profile?: Profile } | { ok: false; issues: ReadIssue[] } {
  const p = options?.profile;
  if (p === undefined) return { ok: true };
  if (typeof p === "string") {
    const found = profileByName(p);
    if (found) return { ok: true, profile: found };
    const names = BUILTIN_PROFILES.map((b) => b.name).join(", ");
    return {
      ok: false,
      issues: [{ path: "/options/profile", message: `unknown profile ${JSON.stringify(p)}; built-in: ${names}` }],
    };
  }
  const v = validateProfile(p);
  return v.ok ? { ok: true, profile: v.profile } : v;
}

/** The caller's column overrides, checked: none when absent. */
export function requestedColumns(
  options: SpreadsheetOptions | undefined,
): { ok: true; columns: ColumnOverrides } | { ok: false; issues: ReadIssue[] } {
  return options?.columns === undefined ? { ok: true, columns: {} } : validateColumnOverrides(options.columns);
}

/** Whether every required header of a profile is in the header row. */
export function matchesHeaders(profile: Profile, headers: readonly Cell[]): boolean {
  const present = new Set(headers.map((h) => normalizeHeader(cellText(h))));
  const required = profile.match?.requiredHeaders ?? [];
  const any = profile.match?.anyHeaders;
  if (required.length === 0 && any === undefined) return false;
  if (!required.every((h) => present.has(normalizeHeader(h)))) return false;
  return any === undefined || any.some((h) => present.has(normalizeHeader(h)));
}

/** The first built-in profile matching a header row. */
export function detectProfile(headers: readonly Cell[]): Profile | undefined {
  return BUILTIN_PROFILES.find((p) => matchesHeaders(p, headers));
}

/**
 * The header row as profile detection sees it under the caller's column overrides: the headers as they are, plus, for
 * each header given a field, the default layout's header of that field. A sheet whose title column is named
 * `offering` and overridden to `title` is then a default-layout sheet (not whatever later profile its other headers
 * happen to match), while a profile matched by the headers themselves (listed before the default) still is.
 */
export function detectionHeaders(headers: readonly Cell[], overrides: ColumnOverrides): Cell[] {
  const wanted = new Map(Object.entries(overrides).map(([h, t]) => [normalizeHeader(h), t]));
  if (wanted.size === 0) return [...headers];
  const added: Cell[] = [];
  for (const cell of headers) {
    const target = wanted.get(normalizeHeader(cellText(cell)));
    if (target === undefined || target === IGNORE_COLUMN) continue;
    const standIn = Object.entries(DEFAULT_COLUMNS).find(([, rule]) => rule.field === target)?.[0];
    if (standIn !== undefined) added.push(standIn);
  }
  return [...headers, ...added];
}

export const NO_PROFILE: ReadIssue = {
  path: "/rows/1",
  message: `no column profile matches the header row; name one in options.profile (built-in: ${BUILTIN_PROFILES.map((p) => p.name).join(", ")}) or use the default layout (given_name, family_name, email, title, ects, eqf_level...)`,
};

/**
 * Spreadsheet options out of a request's `options` object, keeping only well-typed values. `ceiling`: the configured
 * limits (the readers' defaults where absent), which the request may lower, never raise.
 */
export function spreadsheetOptions(
  raw: Record<string, unknown> | undefined,
  ceiling: Partial<SpreadsheetLimits> = {},
): SpreadsheetOptions {
  const o: SpreadsheetOptions = {};
  const limits = { ...DEFAULT_LIMITS, ...ceiling };
  if (ceiling.maxRows !== undefined) o.maxRows = limits.maxRows;
  if (ceiling.maxCellChars !== undefined) o.maxCellChars = limits.maxCellChars;
  if (!raw) return o;
  if (raw.profile !== undefined) o.profile = raw.profile;
  if (typeof raw.sheet === "string") o.sheet = raw.sheet;
  if (raw.columns !== undefined) o.columns = raw.columns;
  if (typeof raw.delimiter === "string" && raw.delimiter.length === 1) o.delimiter = raw.delimiter;
  // A caller may lower the configured limits, never raise them.
  if (typeof raw.maxRows === "number" && Number.isInteger(raw.maxRows) && raw.maxRows > 0)
    o.maxRows = Math.min(raw.maxRows, limits.maxRows);
  if (typeof raw.maxCellChars === "number" && Number.isInteger(raw.maxCellChars) && raw.maxCellChars > 0)
    o.maxCellChars = Math.min(raw.maxCellChars, limits.maxCellChars);
  return o;
}
