import { describe, expect, it } from "vitest";
import { readSourceTree } from "../../support/import-graph.js";

// A source file a newcomer can read in one sitting: at most MAX_LINES lines. The files over it are named below with
// why they are, and a ceiling each, so that none grows unnoticed and an entry is dropped once its file is split.

const MAX_LINES = 700;

interface Allowed {
  /** The most lines the file may have until it is split. */
  ceiling: number;
  why: string;
}

const ALLOWED: Record<string, Allowed> = {
  "mappings/tables/elm-to-ob3.ts": {
    ceiling: 1_600,
    why: "data, not code: the ELM → OB 3.0 field table, one entry per mapped field, read as a table",
  },
};

/** Lines as an editor numbers them: a last line without a newline counts. */
function lineCount(text: string): number {
  if (text === "") return 0;
  const newlines = text.split("\n").length - 1;
  return text.endsWith("\n") ? newlines : newlines + 1;
}

/** Files of `tree` over `max` lines not allowed, allowed ones over their ceiling, and entries no longer needed. */
function sizeProblems(tree: Map<string, string>, allowed: Record<string, Allowed>, max: number): string[] {
  const problems: string[] = [];
  for (const [path, text] of tree) {
    const lines = lineCount(text);
    const entry = allowed[path];
    if (!entry) {
      if (lines > max) problems.push(`${path} has ${lines} lines (at most ${max})`);
    } else if (lines > entry.ceiling) {
      problems.push(`${path} has ${lines} lines, over its ceiling of ${entry.ceiling}`);
    } else if (lines <= max) {
      problems.push(`${path} has ${lines} lines: drop it from the allow-list`);
    }
  }
  for (const path of Object.keys(allowed)) {
    if (!tree.has(path)) problems.push(`${path} is allowed but does not exist`);
  }
  return problems;
}

const tree = readSourceTree(process.cwd());

describe("source files stay readable", () => {
  it("reads the source folders", () => {
    expect([...tree.keys()].some((p) => p.startsWith("functions/core/jobs/"))).toBe(true);
    expect([...tree.keys()].some((p) => p.startsWith("mappings/"))).toBe(true);
  });

  it(`has no file over ${MAX_LINES} lines but the named ones, each under its ceiling`, () => {
    expect(sizeProblems(tree, ALLOWED, MAX_LINES)).toEqual([]);
  });

  it("says why each allowed file is allowed", () => {
    for (const entry of Object.values(ALLOWED)) expect(entry.why.length).toBeGreaterThan(20);
  });

  it("counts lines as an editor does", () => {
    expect([lineCount(""), lineCount("a"), lineCount("a\n"), lineCount("a\nb"), lineCount("a\n\n")]).toEqual([
      0, 1, 1, 2, 2,
    ]);
  });

  it.each([
    ["a new file over the limit", "functions/core/jobs/planted.ts", 701, "has 701 lines (at most 700)"],
    ["an allowed file over its ceiling", "mappings/tables/elm-to-ob3.ts", 1_601, "over its ceiling of 1600"],
    ["an allowed file split below the limit", "mappings/tables/elm-to-ob3.ts", 300, "drop it from the allow-list"],
  ])("fails on %s", (_what, path, lines, message) => {
    // Arrange
    const planted = new Map(tree);
    planted.set(path, "export const x = 1;\n".repeat(lines));

    // Act
    const problems = sizeProblems(planted, ALLOWED, MAX_LINES);

    // Assess
    expect(problems).toEqual([expect.stringContaining(message)]);
  });

  it("fails on an allowed file that no longer exists", () => {
    const planted = new Map(tree);
    planted.delete("mappings/tables/elm-to-ob3.ts");
    expect(sizeProblems(planted, ALLOWED, MAX_LINES)).toEqual([
      "mappings/tables/elm-to-ob3.ts is allowed but does not exist",
    ]);
  });
});
