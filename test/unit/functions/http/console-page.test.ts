import { describe, expect, it } from "vitest";
import { FIELD_WORDS } from "../../../../functions/http/console-page.js";
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
