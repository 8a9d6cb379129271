import { describe, expect, it } from "vitest";
import { applyTransforms, TRANSFORM_NAMES, TRANSFORMS } from "../../../../mappings/spreadsheet/transforms.js";
import { MODES } from "../../../../mappings/vocab/index.js";

const value = (name: (typeof TRANSFORM_NAMES)[number], input: string) => {
  const r = TRANSFORMS[name](input);
  return r.ok ? r.value : { error: r.message };
};

describe("spreadsheet value transforms", () => {
  it.each([
    ["trim", "  a b  ", "a b"],
    ["lowercase", "ABC", "abc"],
    ["uppercase", "abc", "ABC"],
    ["split;", "a; b ;;c", ["a", "b", "c"]],
    ["split,", "a,b", ["a", "b"]],
    ["split|", "a|b", ["a", "b"]],
    ["split\n", "a\nb", ["a", "b"]],
    ["date", "2025-01-31", "2025-01-31"],
    ["date", "2025-01-31T10:00:00Z", "2025-01-31T10:00:00Z"],
    ["date", "Friday, 31 January 2025, 10:00 AM", "2025-01-31T10:00:00"],
    ["date", "31 January 2025", "2025-01-31"],
    ["date", "45688", "2025-01-31"],
    ["date", "Never", undefined],
    ["date", "15.03.2026", "2026-03-15"],
    ["date", "1.2.2026", "2026-02-01"],
    ["date", "31.02.2026", { error: '"31.02.2026" is not a calendar date (DD.MM.YYYY)' }],
    ["date", "03/04/2026", { error: expect.stringContaining("ambiguous") }],
    ["date-mdy", "01/31/25", "2025-01-31"],
    ["date-dmy", "31.01.2025", "2025-01-31"],
    ["number", "7,5", 7.5],
    ["number", "60", 60],
    ["eqf", "EQF 6", 6],
    ["eqf", "http://data.europa.eu/snb/eqf/7", 7],
    ["country", "Belgium", "BE"],
    ["country", "IRL", "IE"],
    // Names as registrars write them in their own language (ISO 3166-1 DE, FR, ES, IT, AT).
    ["country", "Deutschland", "DE"],
    ["country", "France", "FR"],
    ["country", "España", "ES"],
    ["country", "Italia", "IT"],
    ["country", "Österreich", "AT"],
    ["country", "Allemagne", "DE"],
    ["country", "Narnia", { error: '"Narnia" is not a known country' }],
    ["language", "en_US", "en"],
    ["language", "FRA", "fr"],
    ["mode", "in person", MODES.presential.uri],
    ["mode", "Online", MODES.online.uri],
    ["hours", "60", "PT60H"],
    ["hours", "PT10H", "PT10H"],
  ] as const)("%s(%j) gives %j", (name, input, expected) => {
    expect(value(name, input)).toEqual(expected);
  });

  it.each([
    ["date", "2025-02-30"],
    ["date", "yesterday"],
    ["date-mdy", "13/31/25"],
    ["number", "seven"],
    ["eqf", "9"],
    ["country", "Atlantis"],
    ["language", "klingon"],
    ["mode", "telepathy"],
    ["learning-setting", "sometimes"],
    ["hours", "a while"],
  ] as const)("%s(%j) is an error with a message", (name, input) => {
    expect(value(name, input)).toMatchObject({ error: expect.stringContaining(input) });
  });

  it("every named transform has a test above", () => {
    expect(new Set(TRANSFORM_NAMES).size).toBe(Object.keys(TRANSFORMS).length);
  });

  it("applies transforms in order and element-wise after a split", () => {
    expect(applyTransforms("online; blended", ["split;", "mode"])).toEqual({
      ok: true,
      value: [MODES.online.uri, MODES.blended.uri],
    });
  });
});
