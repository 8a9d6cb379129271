/**
 * What a writer supplies that the source does not hold, tracked while it writes and reported as paths into its
 * output ({@link Derived}). Writers build their output bottom-up, before they know where a node will sit, so a value
 * is marked on the node that holds it (by object identity) and the paths are found once the output is whole: a node
 * that appears at several places (ELM repeats an awarding body in full) is reported at each.
 */
import type { Derived } from "./model.js";
import type { XmlOut } from "./xml/write.js";

/** The key that marks a node itself rather than one of its members. */
const SELF = "";

const escapeStep = (s: string): string => s.replace(/~/g, "~0").replace(/\//g, "~1");

export class DerivedMarks {
  private readonly marks = new WeakMap<object, Map<string, string>>();
  /** Generated ids: any `id` member holding one is derived. */
  private readonly ids = new Map<string, string>();

  /** `node[key]` (or, without a key, the node itself) is the writer's, not the source's. */
  mark(node: object, key: string | undefined, reason: string): void {
    const byKey = this.marks.get(node) ?? new Map<string, string>();
    if (!byKey.has(key ?? SELF)) byKey.set(key ?? SELF, reason);
    this.marks.set(node, byKey);
  }

  /** An id the writer generated. */
  generatedId(id: string, reason: string): void {
    if (!this.ids.has(id)) this.ids.set(id, reason);
  }

  /** The marked values of a JSON output, as JSON Pointers into it (depth-limited, as the writers' output is). */
  resolve(document: unknown): Derived[] {
    const out: Derived[] = [];
    const seen = new Set<string>();
    // The walk keeps the steps to the current node and joins them only for a marked value: most nodes hold none.
    const steps: string[] = [];
    const pointerTo = (last?: string): string => {
      let p = "";
      for (const s of steps) p += `/${escapeStep(s)}`;
      return last === undefined ? p : `${p}/${escapeStep(last)}`;
    };
    const push = (path: string, reason: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      out.push({ path, reason });
    };
    const visit = (v: unknown, depth: number): void => {
      if (depth > 96 || typeof v !== "object" || v === null) return;
      const byKey = this.marks.get(v);
      if (byKey) for (const [key, reason] of byKey) push(pointerTo(key === SELF ? undefined : key), reason);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          steps.push(String(i));
          visit(v[i], depth + 1);
          steps.pop();
        }
        return;
      }
      const record = v as Record<string, unknown>;
      const id = record.id;
      if (typeof id === "string" && this.ids.has(id)) push(pointerTo("id"), this.ids.get(id) ?? "");
      for (const key of Object.keys(record)) {
        const value = record[key];
        if (typeof value !== "object" || value === null) continue;
        steps.push(key);
        visit(value, depth + 1);
        steps.pop();
      }
    };
    visit(document, 0);
    return out;
  }

  /**
   * The marked elements and attributes of an XML output, as XPaths (`/elmo/report[1]/issueDate[1]`, `.../@localId`);
   * `mark(element, undefined, …)` marks an element's content, `mark(element, "@name", …)` one of its attributes.
   */
  resolveXml(root: XmlOut): Derived[] {
    const out: Derived[] = [];
    const visit = (el: XmlOut, path: string, depth: number): void => {
      if (depth > 96) return;
      const byKey = this.marks.get(el);
      if (byKey) for (const [key, reason] of byKey) out.push({ path: key === SELF ? path : `${path}/${key}`, reason });
      const counts = new Map<string, number>();
      for (const child of el.children ?? []) {
        if (child === undefined || typeof child === "string") continue;
        const n = (counts.get(child.name) ?? 0) + 1;
        counts.set(child.name, n);
        visit(child, `${path}/${child.name}[${n}]`, depth + 1);
      }
    };
    visit(root, `/${root.name}`, 0);
    return out;
  }
}
