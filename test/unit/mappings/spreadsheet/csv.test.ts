import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsv, readCsvStream, type StreamItem } from "../../../../mappings/spreadsheet/csv.js";
import { neutraliseCell, writeCsvRows } from "../../../../mappings/spreadsheet/csv-writer.js";
import { validateProfile } from "../../../../mappings/spreadsheet/profiles.js";
import { looksLikeCsv } from "../../../../mappings/spreadsheet/sniff.js";
import { ECTS, MODES } from "../../../../mappings/vocab/index.js";

const HEADER =
  "given_name,family_name,email,title,ects,eqf_level,mode,learning_outcomes,awarding_body,awarding_body_country";
const row = (i: number, ects = "5") =>
  `Ada${i},Example,ada${i}@example.org,Intro to CAD,${ects},6,online,"Draw parts; Read drawings",University of Zed,IE`;
const csvOf = (...rows: string[]) => [HEADER, ...rows].join("\n");

describe("readCsv with the default layout", () => {
  it("reads one credential per row with values and source paths", () => {
    const r = readCsv(csvOf(row(1), row(2)));

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(2);
    const [c] = r.value;
    expect(c?.learner.givenName).toEqual({ und: "Ada1" });
    expect(c?.learner.emails).toEqual(["ada1@example.org"]);
    expect(c?.claims[0]?.specification?.credits).toEqual([{ framework: ECTS, points: "5" }]);
    expect(c?.claims[0]?.specification?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/6");
    expect(c?.claims[0]?.specification?.modes).toEqual([MODES.online]);
    expect(c?.claims[0]?.specification?.learningOutcomes.map((o) => o.title.und)).toEqual([
      "Draw parts",
      "Read drawings",
    ]);
    expect(c?.issuer?.locations[0]?.address?.country).toBe("IE");
    expect(c?.provenance.root).toBe("/rows/2");
    expect(c?.provenance.paths["/claims/0/specification/credits/0"]).toBe("/rows/2/ects");
    expect(r.value[1]?.provenance.paths["/learner/givenName"]).toBe("/rows/3/given_name");
  });

  it("reads a registrar's own ordinary headers (first_name, programme, awarded_on, university, country)", () => {
    const r = readCsv(
      "first_name,last_name,programme,credits,level,awarded_on,university,country\n" +
        "Maria,Lindqvist,MSc Data Engineering,120,7,2026-06-30,Uppsala University,Sweden\n",
    );

    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const [c] = r.value;
    expect(c?.title).toEqual({ und: "MSc Data Engineering" });
    expect(c?.claims[0]?.awardingDate).toBe("2026-06-30");
    expect(c?.provenance.paths["/claims/0/awardingDate"]).toBe("/rows/2/awarded_on");
    expect(c?.claims[0]?.awardingBodies[0]?.legalName).toEqual({ und: "Uppsala University" });
    expect(c?.issuer?.locations[0]?.address?.country).toBe("SE");
    expect(c?.claims[0]?.specification?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/7");
  });

  it("reports a bad cell as a row error with row and column, and still converts the other rows", () => {
    const r = readCsv(csvOf(row(1), row(2, "lots"), row(3)));

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((c) => c.learner.givenName?.und)).toEqual(["Ada1", "Ada3"]);
    expect(r.rowErrors).toEqual([{ path: "/rows/3/ects", message: expect.stringContaining("lots") }]);
  });

  it("keeps unknown columns as extensions pointing at their cells", () => {
    const r = readCsv("title,shoe_size\nCAD,42\n");
    expect(r.ok && r.value[0]?.extensions).toEqual([{ path: "/rows/2/shoe_size", value: "42" }]);
  });

  it("refuses a header with duplicates, naming the column", () => {
    const r = readCsv("title,email,email\nCAD,a@example.org,b@example.org\n");
    expect(r).toMatchObject({
      ok: false,
      issues: [{ path: "/rows/1/email", message: expect.stringContaining("duplicate") }],
    });
  });

  it("stops at the row limit with one row error", () => {
    const r = readCsv(csvOf(row(1), row(2), row(3)), { maxRows: 2 });
    expect(r.ok && r.value).toHaveLength(2);
    expect(r.ok && r.rowErrors).toEqual([{ path: "/rows/4", message: expect.stringContaining("more than 2") }]);
  });

  it("refuses a cell over the cell-size limit as a row error", () => {
    const r = readCsv(`title,description\nCAD,${"x".repeat(100)}\nCAD,short\n`, { maxCellChars: 50 });
    expect(r.ok && r.value).toHaveLength(1);
    expect(r.ok && r.rowErrors?.[0]?.path).toBe("/rows/2/description");
  });

  it("reads semicolon-separated exports", () => {
    const r = readCsv("title;ects\nCAD;7,5\n");
    expect(r.ok && r.value[0]?.claims[0]?.specification?.credits[0]?.points).toBe("7.5");
  });

  it("uses a custom profile with fixed values", () => {
    const r = readCsv("Name,Course,Credits\nAda Example,CAD,5\n", {
      profile: {
        name: "registrar",
        description: "",
        columns: {
          Name: { field: "learner.fullName" },
          Course: { field: "title" },
          Credits: { field: "achievement.ects", transform: "number" },
        },
        fixed: { awardingBody: { name: "University of Zed", country: "IRL" }, eqfLevel: 5, language: "en" },
      },
    });
    expect(r.ok).toBe(true);
    const c = r.ok ? r.value[0] : undefined;
    expect(c?.title).toEqual({ en: "CAD" });
    expect(c?.claims[0]?.awardingBodies[0]?.legalName).toEqual({ en: "University of Zed" });
    expect(c?.provenance.paths["/claims/0/specification/eqfLevel"]).toBe("/options/profile/fixed/eqfLevel");
  });

  it("refuses an unknown built-in profile name and an invalid custom profile, with paths", () => {
    expect(readCsv("title\nx\n", { profile: "nope" })).toMatchObject({
      ok: false,
      issues: [{ path: "/options/profile" }],
    });
    const bad = readCsv("title\nx\n", {
      profile: { name: "p", columns: { title: { field: "learner.shoeSize", transform: "rot13" } }, extra: 1 },
    });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path).sort()).toEqual([
      "/options/profile/columns/title/field",
      "/options/profile/columns/title/transform",
      "/options/profile/extra",
    ]);
  });

  it("needs a header some profile recognises", () => {
    expect(readCsv("foo,bar\n1,2\n")).toMatchObject({ ok: false, issues: [{ path: "/rows/1" }] });
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = readCsv(`title,ects,eqf_level,email\n${text}`);
        expect(typeof r.ok).toBe("boolean");
        readCsv(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe("readCsvStream", () => {
  it("yields each row as it is mapped, from chunks split anywhere", async () => {
    const text = csvOf(row(1), row(2, "x"), row(3));
    async function* chunks() {
      for (let i = 0; i < text.length; i += 7) yield text.slice(i, i + 7);
    }
    const items: StreamItem[] = [];
    for await (const item of readCsvStream(chunks())) items.push(item);
    expect(items.map((i) => ("fatal" in i ? "fatal" : i.credential ? `ok ${i.row}` : `error ${i.row}`))).toEqual([
      "ok 2",
      "error 3",
      "ok 4",
    ]);
  });

  it("leaves no listener behind on the parser after waiting for it to drain (a long upload, a slow consumer)", async () => {
    // Large chunks and a consumer that yields between rows make the parser's buffer fill, so the feeder waits for
    // it to drain again and again: each wait must take its listeners back (Node warns past 10 of one event).
    const text = csvOf(...Array.from({ length: 4000 }, (_, i) => row(i)));
    async function* chunks() {
      for (let i = 0; i < text.length; i += 17 * 1024) yield text.slice(i, i + 17 * 1024);
    }
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      let n = 0;
      for await (const item of readCsvStream(chunks())) {
        if (!("fatal" in item) && item.credential) n++;
        await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setImmediate(r));
      expect(n).toBe(4000);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  });
});

describe("profile validation", () => {
  it("accepts a well-formed profile", () => {
    expect(validateProfile({ name: "p", columns: { a: { field: "title" } } }).ok).toBe(true);
  });
  it("checks fixed values", () => {
    const r = validateProfile({ name: "p", columns: { a: { field: "title" } }, fixed: { eqfLevel: 9, ects: "5" } });
    expect(r.ok ? [] : r.issues.map((i) => i.path).sort()).toEqual([
      "/options/profile/fixed/ects",
      "/options/profile/fixed/eqfLevel",
    ]);
  });
});

describe("writeCsvRows", () => {
  it("neutralises formula injection", () => {
    for (const cell of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(neutraliseCell(cell)).toBe(`'${cell}`);
    expect(neutraliseCell("plain")).toBe("plain");
    const csv = writeCsvRows([{ row: 3, message: '=HYPERLINK("http://evil")' }], ["row", "message"]);
    expect(csv).toBe('row,message\r\n3,"\'=HYPERLINK(""http://evil"")"\r\n');
  });
});

describe("looksLikeCsv", () => {
  it("recognises known headers only", () => {
    expect(looksLikeCsv(csvOf(row(1)))).toBe(true);
    expect(looksLikeCsv("fullname,email,timecreated,code\n")).toBe(true);
    expect(looksLikeCsv("hello world")).toBe(false);
    expect(looksLikeCsv('{"a":1}')).toBe(false);
  });
});
