import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, DEFAULT_PROFILE } from "../../../../mappings/spreadsheet/default.js";
import { normalizeHeader } from "../../../../mappings/spreadsheet/profiles.js";
import {
  DEFAULT_HEADERS,
  type DefaultHeader,
  SYNONYM_LANGUAGES,
  SYNONYMS,
} from "../../../../mappings/spreadsheet/synonyms.js";
import { renderSpreadsheetDoc, SPREADSHEET_DOC } from "../../../../scripts/spreadsheet-doc.js";

/** Every spelling of the tables with the default header it stands for and where it was written. */
function spellings(): { spelling: string; header: DefaultHeader; where: string }[] {
  const all: { spelling: string; header: DefaultHeader; where: string }[] = DEFAULT_HEADERS.map((h) => ({
    spelling: h,
    header: h,
    where: "default",
  }));
  for (const language of SYNONYM_LANGUAGES)
    for (const [header, list] of Object.entries(SYNONYMS[language]))
      for (const spelling of list ?? []) all.push({ spelling, header: header as DefaultHeader, where: language });
  return all;
}

describe("the spreadsheet synonym tables", () => {
  it("map no header, once normalised, to two different columns", () => {
    const byKey = new Map<string, Set<string>>();
    const where = new Map<string, string[]>();
    for (const s of spellings()) {
      const key = normalizeHeader(s.spelling);
      byKey.set(key, (byKey.get(key) ?? new Set()).add(DEFAULT_COLUMNS[s.header].field));
      where.set(key, [...(where.get(key) ?? []), `${s.where}:${s.header}`]);
    }
    const conflicts = [...byKey].filter(([, fields]) => fields.size > 1).map(([key]) => `${key} (${where.get(key)})`);
    expect(conflicts).toEqual([]);
  });

  it("are all read by the default profile, each spelling with its column's rule", () => {
    const columns = new Map(Object.entries(DEFAULT_PROFILE.columns).map(([h, r]) => [normalizeHeader(h), r.field]));
    for (const s of spellings()) {
      expect(columns.get(normalizeHeader(s.spelling)), `${s.where}: ${s.spelling}`).toBe(
        DEFAULT_COLUMNS[s.header].field,
      );
    }
  });

  it("leave out words whose meaning differs between languages (Italian `note` is notes, French `note` a grade)", () => {
    const it = SYNONYMS.it.further_information ?? [];
    expect(it.map(normalizeHeader)).not.toContain("note");
    expect((SYNONYMS.fr.grade ?? []).map(normalizeHeader)).toContain("note");
  });

  it("are documented by docs/spreadsheet-layout.md as scripts/spreadsheet-doc.ts generates it", () => {
    expect(readFileSync(SPREADSHEET_DOC, "utf8")).toBe(renderSpreadsheetDoc());
  });

  it("appear on the docs page: every synonym is listed", () => {
    const page = readFileSync(SPREADSHEET_DOC, "utf8");
    for (const s of spellings()) expect(page, s.spelling).toContain(`\`${s.spelling}\``);
  });
});
