/**
 * Executes a mapping table (`mappings/tables/elm-to-ob3.ts`) on one canonical object: for each rule whose field holds
 * something, a loss (`lossy`, or `extension` with the extension off), or the value (`copy`) or the named transform's
 * result written at the rule's path in the output node.
 */
import { CANONICAL_PREFIX } from "../compliance/source-path.js";
import type { FieldRule, TransformName, Transforms } from "../tables/types.js";
import { isJson, isJsonObject, isPresent, type Json, type JsonObject, type Ob3Writer } from "./write-context.js";

/** What a transform sees besides the value: the write, the field's canonical pointer, its root and the output. */
export interface RuleContext<Root> {
  w: Ob3Writer;
  /** Canonical JSON Pointer of the field (`/claims/0/specification/eqfLevel`). */
  at: string;
  /** Canonical JSON Pointer of the root object. */
  base: string;
  root: Root;
  /** The node being written and the credential's root. */
  node: JsonObject;
  doc: JsonObject;
}

/** A table's transforms, typed by its root. */
export type RuleTransforms<R extends readonly FieldRule[], Root> = Transforms<R, Root, RuleContext<Root>, Json>;

/**
 * Rule paths split once: they come from the mapping tables (a fixed set), and a table is applied to every node of
 * every credential. Bounded anyway, in case a caller builds paths.
 */
const parsedPaths = new Map<string, { fromRoot: boolean; keys: readonly string[] }>();

function parsedPath(path: string): { fromRoot: boolean; keys: readonly string[] } {
  let parsed = parsedPaths.get(path);
  if (parsed === undefined) {
    const fromRoot = path.startsWith("$.");
    parsed = { fromRoot, keys: (fromRoot ? path.slice(2) : path).split(".").filter((k) => k !== "") };
    if (parsedPaths.size >= 1_024) parsedPaths.clear();
    parsedPaths.set(path, parsed);
  }
  return parsed;
}

/**
 * Writes `value` at `path` of `node` (`$.` from `doc`): `a.b` creates `a`; `a[]` appends (an array's items one by
 * one); an empty path merges an object's keys. A key already set keeps its value (the first rule wins), except that
 * two objects merge and two arrays concatenate.
 */
export function put(path: string, value: Json, node: JsonObject, doc: JsonObject): void {
  const { fromRoot, keys } = parsedPath(path);
  let target = fromRoot ? doc : node;
  if (keys.length === 0) {
    if (isJsonObject(value)) for (const [k, v] of Object.entries(value)) merge(target, k, v);
    return;
  }
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (isJsonObject(next)) target = next;
    else {
      const created: JsonObject = {};
      target[key] = created;
      target = created;
    }
  }
  const last = keys.at(-1) ?? "";
  if (last.endsWith("[]")) {
    const key = last.slice(0, -2);
    const current = target[key];
    const list: Json[] = Array.isArray(current) ? current : [];
    list.push(...(Array.isArray(value) ? value : [value]));
    target[key] = list;
    return;
  }
  merge(target, last, value);
}

function merge(target: JsonObject, key: string, value: Json): void {
  const current = target[key];
  if (current === undefined) target[key] = value;
  else if (isJsonObject(current) && isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) merge(current, k, v);
  } else if (Array.isArray(current) && Array.isArray(value)) current.push(...value);
}

/**
 * Applies `rules` to `root` (at canonical pointer `base`), writing into `node`. `key` picks the rule's `ob3` path (an
 * OB 3.0 node) or its `elm` path (an ELM node of the extension).
 */
export function applyRules<Root extends object, R extends readonly FieldRule<keyof Root & string>[]>(
  rules: R,
  transforms: RuleTransforms<R, Root>,
  root: Root,
  base: string,
  node: JsonObject,
  ctx: { w: Ob3Writer; doc: JsonObject; key?: "ob3" | "elm" },
): void {
  const { w, doc, key = "ob3" } = ctx;
  for (const rule of rules) {
    if (rule.on !== undefined && rule.on !== key) continue;
    const value: unknown = root[rule.field];
    if (!isPresent(value)) continue;
    const at = `${base}/${rule.field}`;
    if (rule.how === "lossy") {
      w.loss(at, rule.why);
      continue;
    }
    if (rule.how === "extension" && !w.extension) {
      extensionOffLoss(w, at, value, `the ELM extension is off: ${rule.why}`);
      continue;
    }
    const path = (key === "elm" ? rule.elm : rule.ob3) ?? rule.ob3;
    if (path === undefined) continue;
    let out: Json | undefined;
    if (rule.fn === undefined) out = isJson(value) ? value : undefined;
    else {
      // The transform's parameter is the field's type (Transforms<…> checks it per name); the lookup by name loses it.
      const fn = transforms[rule.fn as TransformName<R>] as unknown as (
        v: unknown,
        c: RuleContext<Root>,
      ) => Json | undefined;
      out = fn(value, { w, at, base, root, node, doc });
    }
    if (out === undefined) continue;
    if (rule.how === "extension") w.usesExtension = true;
    put(path, out, node, doc);
  }
}

/**
 * The loss of a field only the extension would have carried: one per item when the field's items came from different
 * places of the source (ELM's `registration`, `vatIdentifier` and `eIDASIdentifier` are one canonical list), so every
 * source value has its pointer; one for the field otherwise.
 */
function extensionOffLoss(w: Ob3Writer, at: string, value: unknown, reason: string): void {
  if (Array.isArray(value) && value.length > 1) {
    const paths = new Set(value.flatMap((item, k) => (isPresent(item) ? [w.source(`${at}/${k}`)] : [])));
    if (paths.size > 1 && ![...paths].some((p) => p.startsWith(CANONICAL_PREFIX))) {
      for (const path of paths) w.losses.push({ path, reason });
      return;
    }
  }
  w.loss(at, reason);
}

/**
 * Fields of `root` that `covered` tables do not map but `others` do (OB 3.0 fields of a nested ELM node): each one
 * present is a loss with `reason`.
 */
export function reportUncovered<Root extends object>(
  w: Ob3Writer,
  root: Root,
  base: string,
  covered: readonly (readonly FieldRule[])[],
  others: readonly (readonly FieldRule[])[],
  reason: string,
): void {
  const mapped = new Set(covered.flatMap((t) => t.map((r) => r.field)));
  const fields = new Set(others.flatMap((t) => t.map((r) => r.field)).filter((f) => !mapped.has(f)));
  for (const field of fields) {
    if (isPresent((root as Record<string, unknown>)[field])) w.loss(`${base}/${field}`, reason);
  }
}
