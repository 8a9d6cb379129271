/**
 * The gateway's import graph, read with the Oxc parser that vitest's bundler ships (`rolldown/utils`: static imports,
 * re-exports, dynamic `import()` and `import type` alike; TypeScript 7 has no JavaScript API to do it), and the layer rules it must obey. The architecture test runs the rules
 * over the real tree; a planted file shows that they can fail.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseSync } from "rolldown/utils";

/** Source roots of the gateway (tests, benches and scripts are users of it, not layers). */
export const SOURCE_ROOTS = ["lib", "functions", "mappings"] as const;

/** A layer: the files under `prefix`, and the layers they may import (their own always). */
export interface Layer {
  name: string;
  prefix: string;
  mayImport: string[];
}

/**
 * From the floor up: lib (language helpers) ← kernel (ports, errors, ids, clock) ← proofs ← core (use cases, which
 * also read the formats) ← adapters ← the composition root and configuration ← http ← handlers ← local. `mappings/`
 * is pure format knowledge: it imports only lib. The first layer whose prefix matches a file is its layer, so the
 * longer prefixes come first.
 */
export const LAYERS: Layer[] = [
  { name: "lib", prefix: "lib/", mayImport: [] },
  { name: "kernel", prefix: "functions/kernel/", mayImport: ["lib"] },
  { name: "proofs", prefix: "functions/proofs/", mayImport: ["lib", "kernel"] },
  { name: "mappings", prefix: "mappings/", mayImport: ["lib"] },
  { name: "core", prefix: "functions/core/", mayImport: ["lib", "kernel", "proofs", "mappings"] },
  { name: "adapters", prefix: "functions/adapters/", mayImport: ["lib", "kernel", "proofs", "mappings", "core"] },
  {
    name: "root",
    prefix: "functions/",
    mayImport: ["lib", "kernel", "proofs", "mappings", "core", "adapters"],
  },
  {
    name: "http",
    prefix: "functions/http/",
    mayImport: ["lib", "kernel", "proofs", "mappings", "core", "adapters", "root"],
  },
  {
    name: "handlers",
    prefix: "functions/handlers/",
    mayImport: ["lib", "kernel", "proofs", "mappings", "core", "adapters", "root", "http"],
  },
  {
    name: "local",
    prefix: "functions/local/",
    mayImport: ["lib", "kernel", "proofs", "mappings", "core", "adapters", "root", "http", "handlers"],
  },
];

/** The layer of a repository-relative path; the most specific prefix wins. */
export function layerOf(path: string, layers: Layer[] = LAYERS): Layer | undefined {
  return [...layers].sort((a, b) => b.prefix.length - a.prefix.length).find((l) => path.startsWith(l.prefix));
}

/** Repository-relative path → its source text. */
export type SourceTree = Map<string, string>;

export function readSourceTree(repo: string): SourceTree {
  const tree: SourceTree = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".ts")) tree.set(relative(repo, full).split("\\").join("/"), readFileSync(full, "utf8"));
    }
  };
  for (const root of SOURCE_ROOTS) if (existsSync(join(repo, root))) walk(join(repo, root));
  return tree;
}

/** The files of the tree that `path` imports (relative specifiers only; packages are not layers). */
export function importsOf(path: string, source: string, tree: SourceTree): string[] {
  const { module } = parseSync(path, source);
  const specs = [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) => e.entries.flatMap((x) => (x.moduleRequest ? [x.moduleRequest.value] : []))),
    ...module.dynamicImports.map((d) =>
      source.slice(d.moduleRequest.start, d.moduleRequest.end).replace(/^["'`]|["'`]$/g, ""),
    ),
  ];
  const out: string[] = [];
  for (const spec of specs) {
    if (!spec.startsWith(".")) continue;
    const base = resolve("/", dirname(path), spec).slice(1);
    const candidates = [base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".d.ts"), `${base}.ts`, `${base}/index.ts`];
    const hit = candidates.find((c) => tree.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

export interface Violation {
  from: string;
  to: string;
  rule: string;
}

/** Every import that runs against the layers, and every cycle among files (each reported once, as its members). */
export function checkArchitecture(
  tree: SourceTree,
  layers: Layer[] = LAYERS,
): { violations: Violation[]; cycles: string[][] } {
  const graph = new Map<string, string[]>();
  for (const [path, source] of tree) graph.set(path, importsOf(path, source, tree));
  const violations: Violation[] = [];
  for (const [from, tos] of graph) {
    const own = layerOf(from, layers);
    for (const to of tos) {
      const theirs = layerOf(to, layers);
      if (!own || !theirs) {
        violations.push({ from, to, rule: "every source file belongs to a layer" });
      } else if (own.name !== theirs.name && !own.mayImport.includes(theirs.name)) {
        violations.push({ from, to, rule: `${own.name} may not import ${theirs.name}` });
      }
    }
  }
  return { violations, cycles: cyclesOf(graph) };
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan, iterative). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const start of graph.keys()) {
    if (idx.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++] as string;
        if (!idx.has(to)) {
          idx.set(to, index);
          low.set(to, index++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, idx.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === idx.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) out.push(component.sort());
      }
    }
  }
  return out;
}

/** A read of the wall clock or of randomness in a file: where, and which. */
export interface ImpureUse {
  file: string;
  line: number;
  what: string;
}

/** Names whose use reads randomness (node:crypto, Web Crypto). */
const RANDOM_NAMES = new Set([
  "randomUUID",
  "randomBytes",
  "randomInt",
  "randomFillSync",
  "randomFill",
  "getRandomValues",
]);
/** `object.property` reads of the clock or randomness. */
const IMPURE_MEMBERS = new Set(["Date.now", "Math.random", "performance.now", "process.hrtime"]);

interface AstNode {
  type: string;
  start: number;
  [key: string]: unknown;
}
const isNode = (value: unknown): value is AstNode =>
  typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
const nameOf = (node: unknown): string | undefined =>
  isNode(node) && node.type === "Identifier" ? (node.name as string) : undefined;

/**
 * Every read of the wall clock (`new Date()` or `Date()` without arguments, `Date.now`, `performance.now`,
 * `process.hrtime`) and of randomness (`Math.random`, `randomUUID`, `randomBytes`, `getRandomValues`…) in the files
 * of `tree` under `prefix`, found in the syntax tree (comments and strings do not count).
 */
export function clockAndRandomUses(tree: SourceTree, prefix: string): ImpureUse[] {
  const out: ImpureUse[] = [];
  for (const [file, source] of tree) {
    if (!file.startsWith(prefix)) continue;
    const lineAt = (offset: number) => source.slice(0, offset).split("\n").length;
    const visit = (node: AstNode) => {
      let what: string | undefined;
      if ((node.type === "NewExpression" || node.type === "CallExpression") && nameOf(node.callee) === "Date") {
        if ((node.arguments as unknown[]).length === 0) what = node.type === "NewExpression" ? "new Date()" : "Date()";
      } else if (node.type === "MemberExpression" && !node.computed) {
        const member = `${nameOf(node.object) ?? ""}.${nameOf(node.property) ?? ""}`;
        if (IMPURE_MEMBERS.has(member)) what = member;
        else if (RANDOM_NAMES.has(nameOf(node.property) ?? "")) what = nameOf(node.property);
      } else if (node.type === "Identifier" && RANDOM_NAMES.has(node.name as string)) {
        what = node.name as string;
      }
      if (what !== undefined) out.push({ file, line: lineAt(node.start), what });
      for (const [key, value] of Object.entries(node)) {
        // A member's property name is reported with its object, not again on its own.
        if (node.type === "MemberExpression" && key === "property" && what !== undefined) continue;
        for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) visit(child);
      }
    };
    visit(parseSync(file, source).program as unknown as AstNode);
  }
  return out;
}
