/**
 * One spreadsheet row → one canonical credential, by a column profile. Shared by the CSV and XLSX readers (and their
 * streaming forms), so both map the same way: the header row is planned once, then each row is mapped on its own and
 * nothing but its canonical output is kept.
 */
import type { CanonicalCredential, ReadIssue, SpreadsheetMapping } from "../model.js";
import { ECTS, eqfConcept, languageTag } from "../vocab/index.js";
import { type ColumnOverrides, IGNORE_COLUMN } from "./canonical-fields.js";
import { FIELD_SETTERS, fixedCountry, RowBuilder } from "./fields.js";
import { type ColumnRule, escapeToken, normalizeHeader, type Profile } from "./profiles.js";
import { applyTransforms, learningSettingUri, modeUri, type TransformName } from "./transforms.js";

export type Cell = string | number | boolean | Date | null | undefined;

export interface SpreadsheetLimits {
  /** Most data rows read (default 100,000); the rest are refused with one row error. */
  maxRows: number;
  /** Largest cell, in characters (default 32 KiB); a larger cell is a row error. */
  maxCellChars: number;
}

export const DEFAULT_LIMITS: SpreadsheetLimits = { maxRows: 100_000, maxCellChars: 32 * 1024 };

const rowLimitIssues = new WeakSet<ReadIssue>();

/** The one row error of a spreadsheet with more than `maxRows` data rows (at the first row past the limit). */
export function rowLimitIssue(row: number, maxRows: number): ReadIssue {
  const issue = { path: `/rows/${row}`, message: `more than ${maxRows} data rows: this row and the rest are not read` };
  rowLimitIssues.add(issue);
  return issue;
}

/** Whether a row error is {@link rowLimitIssue}'s: the reader stopped at its row limit. */
export const isRowLimitIssue = (issue: ReadIssue): boolean => rowLimitIssues.has(issue);

/** What mapping one row gave: a credential, or the row's errors (with `/rows/{n}/{column}` paths). */
export interface RowResult {
  row: number;
  credential?: CanonicalCredential;
  errors: ReadIssue[];
}

interface PlannedColumn {
  index: number;
  header: string;
  rule?: ColumnRule;
  /** The caller's `options.columns` named it `ignore`: its cells are neither read into a field nor reported. */
  ignored?: boolean;
  /** The header as a JSON Pointer token, escaped once when planning (every row's source pointers use it). */
  token: string;
  /** The rule's transforms as a list, made once when planning. */
  transforms: readonly TransformName[];
}

/** A cell as text: dates as ISO (date only at midnight UTC), numbers as written, booleans as `true`/`false`. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return "";
    const iso = cell.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(".000Z", "Z");
  }
  return String(cell);
}

export class RowMapper {
  private constructor(
    private readonly profile: Profile,
    private readonly columns: PlannedColumn[],
    private readonly format: "csv" | "xlsx",
    private readonly limits: SpreadsheetLimits,
  ) {}

  /**
   * Plans the columns of a header row. Duplicate (non-empty) headers are issues: which column a value came from would
   * be ambiguous. `headerRow` is the header's row number (1 in a CSV). `overrides` (the caller's `options.columns`)
   * replace the profile's rule of the headers they name: a field (the profile's transforms kept only when it named the
   * same field), or `ignore`; an override naming a header the row does not have is an issue, not a silent no-op.
   */
  static plan(
    profile: Profile,
    headers: readonly Cell[],
    format: "csv" | "xlsx",
    limits: SpreadsheetLimits,
    headerRow = 1,
    overrides: ColumnOverrides = {},
  ): { ok: true; mapper: RowMapper } | { ok: false; issues: ReadIssue[] } {
    const rules = new Map(Object.entries(profile.columns).map(([h, r]) => [normalizeHeader(h), r]));
    const wanted = new Map(Object.entries(overrides).map(([h, target]) => [normalizeHeader(h), { header: h, target }]));
    const used = new Set<string>();
    const seen = new Map<string, number>();
    const issues: ReadIssue[] = [];
    const columns: PlannedColumn[] = [];
    headers.forEach((cell, index) => {
      const header = cellText(cell)
        .replace(/^\uFEFF/, "")
        .trim();
      if (header === "") return;
      const key = normalizeHeader(header);
      const first = seen.get(key);
      if (first !== undefined) {
        issues.push({
          path: `/rows/${headerRow}/${escapeToken(header)}`,
          message: `duplicate header ${JSON.stringify(header)} (columns ${first + 1} and ${index + 1})`,
        });
        return;
      }
      seen.set(key, index);
      const override = wanted.get(key);
      if (override) used.add(key);
      const target = override?.target;
      const ignored = target === IGNORE_COLUMN;
      const profileRule = rules.get(key);
      let rule = ignored ? undefined : profileRule;
      if (target !== undefined && target !== IGNORE_COLUMN && profileRule?.field !== target) rule = { field: target };
      columns.push({
        index,
        header,
        ...(rule ? { rule } : {}),
        ...(ignored ? { ignored } : {}),
        token: escapeToken(header),
        transforms: rule?.transform === undefined ? [] : [rule.transform].flat(),
      });
    });
    const present = columns.map((c) => c.header);
    for (const [key, { header }] of wanted)
      if (!used.has(key))
        issues.push({
          path: `/options/columns/${escapeToken(header)}`,
          message: `no column ${JSON.stringify(header)} in the header row (its headers: ${present.map((h) => JSON.stringify(h)).join(", ")})`,
        });
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, mapper: new RowMapper(profile, columns, format, limits) };
  }

  /** Which column went where (the answer's `profile` and `unmapped`). */
  mapping(): SpreadsheetMapping {
    const columns: Record<string, string> = {};
    const unmapped: string[] = [];
    const ignored: string[] = [];
    for (const c of this.columns) {
      if (c.rule) columns[c.header] = c.rule.field;
      else if (c.ignored) ignored.push(c.header);
      else unmapped.push(c.header);
    }
    const fixed = Object.keys(this.profile.fixed ?? {});
    return {
      profile: { name: this.profile.name, columns, ...(fixed.length > 0 ? { fixed } : {}) },
      unmapped,
      ...(ignored.length > 0 ? { ignored } : {}),
    };
  }

  /** Which profile headers the header row lacks (for warnings). */
  missingHeaders(): string[] {
    const present = new Set(this.columns.map((c) => normalizeHeader(c.header)));
    return Object.keys(this.profile.columns).filter((h) => !present.has(normalizeHeader(h)));
  }

  /** Maps one data row. A blank row gives neither credential nor errors. Never throws. */
  map(cells: readonly Cell[], row: number): RowResult {
    const values = this.columns.map((c) => ({ column: c, text: cellText(cells[c.index]).trim() }));
    if (values.every((v) => v.text === "")) return { row, errors: [] };
    const errors: ReadIssue[] = [];
    const lang = this.rowLanguage(values, row, errors);
    const b = new RowBuilder(this.format, `/rows/${row}`, lang);
    this.applyFixed(b);
    for (const { column, text } of values) {
      if (text === "") continue;
      const source = `/rows/${row}/${column.token}`;
      if (text.length > this.limits.maxCellChars) {
        errors.push({ path: source, message: `cell larger than ${this.limits.maxCellChars} characters` });
        continue;
      }
      if (column.ignored) continue;
      if (!column.rule) {
        b.credential.extensions.push({ path: source, value: text });
        continue;
      }
      if (column.rule.field === "credential.language") continue;
      const t = applyTransforms(text, column.transforms);
      if (!t.ok) {
        errors.push({ path: source, message: t.message });
        continue;
      }
      if (t.value === undefined || (Array.isArray(t.value) && t.value.length === 0)) continue;
      const message = FIELD_SETTERS[column.rule.field](b, t.value, source);
      if (message) errors.push({ path: source, message });
    }
    if (errors.length > 0) return { row, errors };
    // A row dated only by its award is valid from then: the OB 3.0 writer's rule, applied for ELM too (whose writer
    // would otherwise date it at the time of writing).
    const c = b.credential;
    const awarded = c.claims[0]?.awardingDate;
    if (c.validFrom === undefined && c.issued === undefined && awarded !== undefined) {
      c.validFrom = awarded;
      const source = c.provenance.paths["/claims/0/awardingDate"];
      if (source) b.trace("/validFrom", source);
    }
    return { row, credential: b.credential, errors };
  }

  /** The row's language: a `credential.language` column, else the profile's fixed language, else `und`. */
  private rowLanguage(values: { column: PlannedColumn; text: string }[], row: number, errors: ReadIssue[]): string {
    const fallback = this.profile.fixed?.language ?? "und";
    const cell = values.find((v) => v.column.rule?.field === "credential.language" && v.text !== "");
    if (!cell) return fallback;
    const tag = languageTag(cell.text.replace(/_/g, "-"));
    if (!tag) {
      errors.push({
        path: `/rows/${row}/${escapeToken(cell.column.header)}`,
        message: `${JSON.stringify(cell.text)} is not a language`,
      });
      return fallback;
    }
    return tag;
  }

  private applyFixed(b: RowBuilder): void {
    const fixed = this.profile.fixed;
    if (!fixed) return;
    const at = (key: string) => `/options/profile/fixed/${key}`;
    if (fixed.title) FIELD_SETTERS.title(b, fixed.title, at("title"));
    if (fixed.awardingBody) {
      const body = b.awardingBody;
      body.legalName = b.text(fixed.awardingBody.name);
      b.trace("/claims/0/awardingBodies/0/legalName", at("awardingBody/name"));
      b.trace("/issuer/legalName", at("awardingBody/name"));
      const country = fixedCountry(fixed.awardingBody.country);
      if (country) {
        body.locations = [{ address: { country } }];
        b.trace("/claims/0/awardingBodies/0/locations/0/address/country", at("awardingBody/country"));
        b.trace("/issuer/locations/0/address/country", at("awardingBody/country"));
      }
      if (fixed.awardingBody.legalIdentifier) {
        body.identifiers = [
          { value: fixed.awardingBody.legalIdentifier, kind: "legal", ...(country ? { country } : {}) },
        ];
        b.trace("/claims/0/awardingBodies/0/identifiers/0", at("awardingBody/legalIdentifier"));
        b.trace("/issuer/identifiers/0", at("awardingBody/legalIdentifier"));
      }
      if (fixed.awardingBody.homepage) body.homepages = [fixed.awardingBody.homepage];
    }
    if (fixed.ects !== undefined) {
      b.spec.credits = [{ framework: ECTS, points: String(fixed.ects) }];
      b.trace("/claims/0/specification/credits/0", at("ects"));
    }
    if (
      fixed.eqfLevel !== undefined &&
      Number.isInteger(fixed.eqfLevel) &&
      fixed.eqfLevel >= 1 &&
      fixed.eqfLevel <= 8
    ) {
      b.spec.eqfLevel = eqfConcept(fixed.eqfLevel);
      b.trace("/claims/0/specification/eqfLevel", at("eqfLevel"));
    }
    if (fixed.assessmentType) FIELD_SETTERS["assessment.type"](b, fixed.assessmentType, at("assessmentType"));
    if (fixed.mode && modeUri(fixed.mode)) FIELD_SETTERS["achievement.mode"](b, fixed.mode, at("mode"));
    if (fixed.learningSetting && learningSettingUri(fixed.learningSetting))
      FIELD_SETTERS["achievement.learningSetting"](b, fixed.learningSetting, at("learningSetting"));
  }
}
