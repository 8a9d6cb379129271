/**
 * Field readers for OB3 nodes: each reads one key of an {@link Ob3Node} in the shape the model wants (a string, a
 * text in the document's language, a date, a number, one or many child objects), records where the value came from,
 * and warns about (and keeps as an extension) a value it cannot use. `dst` is the model field name under the node's
 * canonical pointer; `null` reads a value for the parent without a path of its own.
 */
import type { LangMap } from "../model.js";
import { isIsoDate, itemsOf, kindOf } from "./read-json.js";
import type { Dst, Ob3Node } from "./read-node.js";

function traceField(n: Ob3Node, dst: string | null, key: string): void {
  if (dst !== null) n.trace(n.to(dst), n.at(key));
}

/** A string. Numbers and booleans are accepted as their text, with a warning. */
export function str(n: Ob3Node, key: string, dst: string | null = key): string | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (typeof v === "number" || typeof v === "boolean") {
    n.warn(n.at(key), `${kindOf(v)} where OB 3.0 has a string: read as "${String(v)}"`);
    traceField(n, dst, key);
    return String(v);
  }
  if (typeof v !== "string") return n.reject(n.at(key), v, `expected a string, found ${kindOf(v)}`);
  traceField(n, dst, key);
  return v;
}

/**
 * A text (`name`, `description`, `narrative`) as a language map in the document's language. A JSON-LD value object
 * (`{"@value", "@language"}`) keeps its own language.
 */
export function text(n: Ob3Node, key: string, dst: string | null = key): LangMap | undefined {
  const raw = n.data[key];
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const value = (raw as Record<string, unknown>)["@value"];
    const lang = (raw as Record<string, unknown>)["@language"];
    if (typeof value === "string") {
      n.take(key);
      traceField(n, dst, key);
      return { [typeof lang === "string" ? lang : n.log.lang]: value };
    }
  }
  const s = str(n, key, dst);
  return s === undefined ? undefined : { [n.log.lang]: s };
}

/** Several strings (`tag`); items that are not strings are kept as extensions. */
export function strs(n: Ob3Node, key: string, dst: string): string[] {
  const out: string[] = [];
  for (const item of itemsOf(n.take(key))) {
    if (typeof item.value === "string") out.push(item.value);
    else n.reject(n.at(key) + item.suffix, item.value, `expected a string, found ${kindOf(item.value)}`);
  }
  if (out.length > 0) traceField(n, dst, key);
  return out;
}

/** A date-time; kept as written, with a warning when it is not ISO 8601. */
export function date(n: Ob3Node, key: string, dst: string | null = key): string | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (typeof v !== "string") return n.reject(n.at(key), v, `expected an ISO 8601 date-time, found ${kindOf(v)}`);
  if (!isIsoDate(v)) n.warn(n.at(key), `"${v}" is not an ISO 8601 date or date-time`);
  traceField(n, dst, key);
  return v;
}

/** A number (`creditsAvailable`, `creditsEarned`); a numeric string is accepted with a warning. */
export function num(n: Ob3Node, key: string, dst: string | null = key): number | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v)) {
    n.warn(n.at(key), `the string "${v}" where OB 3.0 has a number`);
    traceField(n, dst, key);
    return Number(v);
  }
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    return n.reject(n.at(key), v, `expected a non-negative number, found ${typeof v === "number" ? v : kindOf(v)}`);
  }
  traceField(n, dst, key);
  return v;
}

/** A boolean; `"true"`/`"false"` strings are accepted with a warning. */
export function bool(n: Ob3Node, key: string, dst: string | null = key): boolean | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (v === "true" || v === "false") {
    n.warn(n.at(key), `the string "${v}" where OB 3.0 has a boolean`);
    traceField(n, dst, key);
    return v === "true";
  }
  if (typeof v !== "boolean") return n.reject(n.at(key), v, `expected a boolean, found ${kindOf(v)}`);
  traceField(n, dst, key);
  return v;
}

/**
 * One child object read by `read`, with the source pointer it was read from. A single-valued property given as an
 * array reads its first item; further items are kept as extensions, with a warning. With `byId`, a bare string is
 * read as `{id}`. `dst` undefined reads the child into this node's canonical object and records no path for it.
 */
export function oneAt<T>(
  n: Ob3Node,
  key: string,
  dst: Dst | undefined,
  read: (child: Ob3Node) => T | undefined,
  byId = false,
): { value: T; src: string } | undefined {
  const items = itemsOf(n.take(key));
  const first = items[0];
  if (!first) return undefined;
  if (items.length > 1) {
    n.warn(n.at(key), `${items.length} values where one is expected: the first is read, the rest kept as extensions`);
    for (const extra of items.slice(1)) n.keep(n.at(key) + extra.suffix, extra.value);
  }
  const src = n.at(key) + first.suffix;
  const child = n.child(first.value, src, dst === undefined ? n.dst : n.to(dst), byId);
  if (!child) return undefined;
  const value = read(child);
  child.finish();
  if (value === undefined) return undefined;
  if (dst !== undefined) n.trace(child.dst, src);
  return { value, src };
}

/** {@link oneAt} without the source pointer. */
export function one<T>(
  n: Ob3Node,
  key: string,
  dst: Dst | undefined,
  read: (child: Ob3Node) => T | undefined,
  byId = false,
): T | undefined {
  return oneAt(n, key, dst, read, byId)?.value;
}

/**
 * Every child object of a property holding one object or an array of them, each read by `read`, into the canonical
 * array `dst` from index `start` (several source properties can fill one array).
 */
export function many<T>(n: Ob3Node, key: string, dst: string, read: (child: Ob3Node) => T | undefined, start = 0): T[] {
  const out: T[] = [];
  for (const item of itemsOf(n.take(key))) {
    const src = n.at(key) + item.suffix;
    const child = n.child(item.value, src, `${n.to(dst)}/${start + out.length}`);
    if (!child) continue;
    const value = read(child);
    child.finish();
    if (value === undefined) continue;
    n.trace(child.dst, src);
    out.push(value);
  }
  if (out.length > 0 && !(n.to(dst) in n.log.paths)) n.trace(n.to(dst), n.at(key));
  return out;
}

/** The values of a property kept as read (endorsements, result descriptions), each traced to its source. */
export function raw(n: Ob3Node, key: string, dst: string, start = 0): unknown[] {
  const out: unknown[] = [];
  for (const item of itemsOf(n.take(key))) {
    n.trace(`${n.to(dst)}/${start + out.length}`, n.at(key) + item.suffix);
    out.push(item.value);
  }
  if (out.length > 0 && !(n.to(dst) in n.log.paths)) n.trace(n.to(dst), n.at(key));
  return out;
}

/** A field copy: OB 3.0 key → model field of the same value kind. */
export interface FieldRule<F extends string = string> {
  key: string;
  field: F;
}

/** Copies string fields by a table ({@link FieldRule}); `target` has the table's fields as optional strings. */
export function copyStrings<F extends string>(
  n: Ob3Node,
  target: Partial<Record<F, string>>,
  rules: readonly FieldRule<F>[],
): void {
  for (const { key, field } of rules) {
    const value = str(n, key, field);
    if (value !== undefined) target[field] = value;
  }
}

/** Copies text fields (language maps in the document's language) by a table. */
export function copyTexts<F extends string>(
  n: Ob3Node,
  target: Partial<Record<F, LangMap>>,
  rules: readonly FieldRule<F>[],
): void {
  for (const { key, field } of rules) {
    const value = text(n, key, field);
    if (value !== undefined) target[field] = value;
  }
}

/** Copies date-time fields by a table. */
export function copyDates<F extends string>(
  n: Ob3Node,
  target: Partial<Record<F, string>>,
  rules: readonly FieldRule<F>[],
): void {
  for (const { key, field } of rules) {
    const value = date(n, key, field);
    if (value !== undefined) target[field] = value;
  }
}
