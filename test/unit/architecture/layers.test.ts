import { describe, expect, it } from "vitest";
import { checkArchitecture, clockAndRandomUses, readSourceTree } from "../../support/import-graph.js";

const tree = readSourceTree(process.cwd());

describe("the layers point one way", () => {
  it("reads the whole gateway", () => {
    expect([...tree.keys()].some((p) => p.startsWith("functions/kernel/"))).toBe(true);
    expect([...tree.keys()].some((p) => p.startsWith("mappings/"))).toBe(true);
    expect(tree.size).toBeGreaterThan(200);
  });

  it("has no import that runs outward and no cycle", () => {
    const { violations, cycles } = checkArchitecture(tree);
    expect(violations).toEqual([]);
    expect(cycles).toEqual([]);
  });

  it.each([
    [
      "functions/kernel/planted.ts",
      'import { convert } from "../core/convert/convert.js";',
      "kernel may not import core",
    ],
    [
      "functions/proofs/planted.ts",
      'import { registerIssuer } from "../core/issuers/registration.js";',
      "proofs may not import core",
    ],
    [
      "mappings/planted.ts",
      'import type { Clock } from "../functions/kernel/ports/clock.js";',
      "mappings may not import kernel",
    ],
    ["functions/core/planted.ts", 'import { handler } from "../handlers/convert.js";', "core may not import handlers"],
    [
      "functions/core/planted.ts",
      'export const load = () => import("../adapters/aws/table.js");',
      "core may not import adapters",
    ],
    ["functions/core/planted.ts", 'export type { Problem } from "../http/problem.js";', "core may not import http"],
    ["lib/planted.ts", 'import { GatewayError } from "../functions/kernel/errors.js";', "lib may not import kernel"],
  ])("fails on a planted outward import in %s", (path, source, rule) => {
    const planted = new Map(tree);
    planted.set(path, source);
    const { violations } = checkArchitecture(planted);
    expect(violations.map((v) => v.rule)).toContain(rule);
    expect(violations.every((v) => v.from === path)).toBe(true);
  });

  it("fails on a planted cycle", () => {
    const planted = new Map(tree);
    planted.set("functions/core/planted-a.ts", 'import { b } from "./planted-b.js";\nexport const a = 1;');
    planted.set("functions/core/planted-b.ts", 'import { a } from "./planted-a.js";\nexport const b = 2;');
    expect(checkArchitecture(planted).cycles).toContainEqual([
      "functions/core/planted-a.ts",
      "functions/core/planted-b.ts",
    ]);
  });
});

describe("the format mappings read no clock and make no random ids", () => {
  it("has no read of the wall clock or of randomness under mappings/ or lib/", () => {
    expect([...clockAndRandomUses(tree, "mappings/"), ...clockAndRandomUses(tree, "lib/")]).toEqual([]);
  });

  it.each([
    ["const at = new Date();", "new Date()"],
    ["export const t = () => Date.now();", "Date.now"],
    ['import { randomUUID } from "node:crypto";\nexport const id = () => randomUUID();', "randomUUID"],
    ["export const id = () => globalThis.crypto.randomUUID();", "randomUUID"],
    ["export const n = Math.random();", "Math.random"],
    ["export const s = String(Date());", "Date()"],
  ])("fails on a planted %s", (source, what) => {
    const planted = new Map([["mappings/planted.ts", `// a writer\n${source}\n`]]);
    expect(clockAndRandomUses(planted, "mappings/")).toContainEqual({ file: "mappings/planted.ts", line: 2, what });
  });

  it("does not count dates made from a value, nor names in comments or strings", () => {
    const planted = new Map([
      [
        "mappings/planted.ts",
        '// new Date() and Date.now() are not used here\nexport const d = new Date(Date.UTC(2020, 0, 1));\nexport const s = "Math.random";\n',
      ],
    ]);
    expect(clockAndRandomUses(planted, "mappings/")).toEqual([]);
  });
});
