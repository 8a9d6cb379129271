import { describe, expect, it } from "vitest";
import { validateColumnOverrides } from "../../../../mappings/spreadsheet/canonical-fields.js";
import { readCsv } from "../../../../mappings/spreadsheet/csv.js";

// `options.columns` in the spreadsheet readers: which rule a named header gets, what "ignore" leaves out, and where
// a refusal points (RFC 6901 §3: "~" is written "~0" and "/" is written "~1" in a reference token).
const SHEET =
  "given_name,family_name,Course Name/Code,awarded,internal_memo\nAna,Andromeda,Data Protection,2025-06-20,internal only\n";

describe("options.columns in the CSV reader", () => {
  it("maps a header the default layout does not know, matching it whatever its case and spacing", () => {
    const read = readCsv(SHEET, { columns: { "course name/code": "title", Awarded: "achievement.awardingDate" } });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.mapping?.profile.name).toBe("default");
    expect(read.mapping?.profile.columns).toMatchObject({
      "Course Name/Code": "title",
      awarded: "achievement.awardingDate",
    });
    expect(read.value[0]?.claims[0]?.title).toEqual({ und: "Data Protection" });
    expect(read.value[0]?.claims[0]?.awardingDate).toBe("2025-06-20");
  });

  it("ignores a column: not a field, not an extension, listed as ignored", () => {
    const plain = readCsv(SHEET, { columns: { "Course Name/Code": "title" } });
    const ignoring = readCsv(SHEET, { columns: { "Course Name/Code": "title", internal_memo: "ignore" } });
    if (!plain.ok || !ignoring.ok) throw new Error("unreadable");
    // Without the override the unknown column's cell is carried as an extension (and reported as a loss).
    expect(plain.mapping?.unmapped).toContain("internal_memo");
    expect(JSON.stringify(plain.value[0])).toContain("internal only");
    expect(ignoring.mapping?.unmapped).not.toContain("internal_memo");
    expect(ignoring.mapping?.ignored).toEqual(["internal_memo"]);
    expect(JSON.stringify(ignoring.value[0])).not.toContain("internal only");
  });

  it("keeps a profile's transform only when the override names the same field", () => {
    const moodle = "fullname,email,timecreated,code\nAna Andromeda,ana@example.org,15.03.2026,X1\n";
    const same = readCsv(moodle, { columns: { timecreated: "credential.issued" } });
    const other = readCsv(moodle, { columns: { timecreated: "credential.validFrom" } });
    if (!same.ok || !other.ok) throw new Error("unreadable");
    expect(same.mapping?.profile.name).toBe("moodle-customcert");
    expect(same.value[0]?.issued).toBeDefined();
    expect(other.value[0]?.validFrom).toBeDefined();
    expect(other.value[0]?.issued).toBeUndefined();
  });

  it("refuses a header the sheet does not have, pointing at it under /options/columns", () => {
    const read = readCsv(SHEET, { columns: { "Course Name/Code": "title", "a~b/c": "title" } });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.issues.map((i) => i.path)).toEqual(["/options/columns/a~0b~1c"]);
  });
});

describe("validateColumnOverrides", () => {
  it("names the header of an unknown field, escaped as a JSON Pointer token", () => {
    const v = validateColumnOverrides({ "x/y~z": "learner.shoeSize", title: "title" });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => i.path)).toEqual(["/options/columns/x~1y~0z"]);
    expect(v.issues[0]?.message).toContain("learner.shoeSize");
  });

  it("refuses what is not an object", () => {
    for (const value of [null, [], "title", 3]) expect(validateColumnOverrides(value).ok).toBe(false);
    expect(validateColumnOverrides({ a: "ignore", b: "learner.email" })).toEqual({
      ok: true,
      columns: { a: "ignore", b: "learner.email" },
    });
  });
});
