import { describe, expect, it } from "vitest";
import { CONSOLE_WORDS, FIELD_WORDS } from "../../../../functions/http/console-words.js";
import { CANONICAL_FIELDS } from "../../../../mappings/spreadsheet/canonical-fields.js";

// The console's column dropdown names each field the readers fill, in each of its languages.
describe("the console's field names", () => {
  it.each(Object.keys(FIELD_WORDS) as (keyof typeof FIELD_WORDS)[])(
    "name every canonical field in %s, and no other",
    (lang) => {
      expect(Object.keys(FIELD_WORDS[lang]).sort()).toEqual([...CANONICAL_FIELDS].sort());
      for (const name of Object.values(FIELD_WORDS[lang])) expect(name.trim()).not.toBe("");
    },
  );
});

describe("the console's words", () => {
  it("has every English text in German too, with the same values to fill in", () => {
    const slots = (text: string) => (text.match(/\{\d\}/g) ?? []).sort();
    expect(Object.keys(CONSOLE_WORDS.de).sort()).toEqual(Object.keys(CONSOLE_WORDS.en).sort());
    for (const [key, text] of Object.entries(CONSOLE_WORDS.en))
      expect(slots(CONSOLE_WORDS.de[key] ?? ""), key).toEqual(slots(text));
  });
});
