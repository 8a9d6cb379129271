/**
 * JSON with limits: nesting depth and total key count, checked without recursion, and no `__proto__` /
 * `constructor` / `prototype` keys (never legitimate in credentials; a classic way to reach object prototypes in
 * code that merges input). Used for request bodies and for documents sent as JSON text inside them.
 */
import { GatewayError } from "./errors.js";
import { overBudget } from "./work-budget.js";

export interface JsonLimits {
  maxJsonDepth: number;
  maxJsonKeys: number;
  /** Most values (objects, arrays, strings, numbers, literals) in one text; default {@link DEFAULT_MAX_JSON_VALUES}. */
  maxJsonValues?: number;
  /** Most elements of one array; default {@link DEFAULT_MAX_ARRAY_ELEMENTS}. */
  maxArrayElements?: number;
}

/**
 * Sized for the synchronous routes: a credential with its endorsements is a few thousand values, a presentation or an
 * issuance batch a few tens of thousands. Larger inputs are bulk jobs, which read records one at a time.
 */
export const DEFAULT_MAX_JSON_VALUES = 500_000;
export const DEFAULT_MAX_ARRAY_ELEMENTS = 10_000;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const escapePointer = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** Throws `limit-exceeded` or `validation-failed` naming the offending place under `root`. */
export function checkJsonShape(value: unknown, limits: JsonLimits, root: string): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: root }];
  let keys = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item || item.value === null || typeof item.value !== "object") continue;
    if (item.depth >= limits.maxJsonDepth) {
      throw new GatewayError("limit-exceeded", `JSON nesting deeper than ${limits.maxJsonDepth}`, [
        { pointer: item.path, detail: `nesting deeper than ${limits.maxJsonDepth}` },
      ]);
    }
    if (Array.isArray(item.value)) {
      item.value.forEach((v, i) => {
        stack.push({ value: v, depth: item.depth + 1, path: `${item.path}/${i}` });
      });
      continue;
    }
    for (const [k, v] of Object.entries(item.value)) {
      const path = `${item.path}/${escapePointer(k)}`;
      if (FORBIDDEN_KEYS.has(k)) {
        throw new GatewayError("validation-failed", `the key "${k}" is not allowed`, [
          { pointer: path, detail: "forbidden key" },
        ]);
      }
      if (++keys > limits.maxJsonKeys) {
        throw new GatewayError("limit-exceeded", `more than ${limits.maxJsonKeys} JSON keys`, [
          { pointer: root, detail: `more than ${limits.maxJsonKeys} keys` },
        ]);
      }
      stack.push({ value: v, depth: item.depth + 1, path });
    }
  }
}

/**
 * Counts the values, the elements of each array and the nesting of JSON text in one pass over its characters, before
 * `JSON.parse` builds anything: parsing a body of two million array elements, then walking it, holds the event loop
 * for seconds, while this scan refuses it in milliseconds. It only counts; syntax is left to `JSON.parse` (malformed
 * text miscounted here is refused there).
 */
export function scanJsonText(text: string, limits: JsonLimits, root: string): void {
  const maxValues = limits.maxJsonValues ?? DEFAULT_MAX_JSON_VALUES;
  const maxElements = limits.maxArrayElements ?? DEFAULT_MAX_ARRAY_ELEMENTS;
  // Per open container: the element count of an array, or -1 for an object; and the segment (index or key) of the
  // child being read in it, so that a refusal names the place as the parsed-value checks do.
  const open: number[] = [];
  const segments: string[] = [];
  const pointer = (depth = open.length) =>
    root +
    segments
      .slice(0, depth)
      .map((s) => `/${s}`)
      .join("");
  let values = 0;
  let expectKey = false;
  const value = (at: number) => {
    const top = open.length - 1;
    const count = open[top];
    if (count !== undefined && count >= 0) {
      open[top] = count + 1;
      segments[top] = String(count);
      if (count + 1 > maxElements)
        throw overBudget(
          "maxArrayElements",
          maxElements,
          pointer(top),
          `elements of one array (its element at character ${at} is one too many)`,
        );
    }
    if (++values > maxValues) throw overBudget("maxJsonValues", maxValues, pointer(), "JSON values");
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      if (expectKey) {
        expectKey = false;
        segments[open.length - 1] = keySegment(text.slice(i, j + 1));
      } else value(i);
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      value(i);
      if (open.length >= limits.maxJsonDepth)
        throw new GatewayError("limit-exceeded", `JSON nesting deeper than ${limits.maxJsonDepth}`, [
          { pointer: pointer(), detail: `nesting deeper than ${limits.maxJsonDepth}` },
        ]);
      open.push(c === 0x7b ? -1 : 0);
      segments.length = open.length;
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      segments.length = open.length;
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = open[open.length - 1] === -1;
    } else if (c === 0x3a /* : */ || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      // structure and white space
    } else {
      // A number or a literal: one value, up to the next delimiter.
      value(i);
      while (i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d === 0x2c || d === 0x5d || d === 0x7d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
        i++;
      }
    }
  }
}

/** A key's JSON string as a JSON Pointer segment (RFC 6901: `~` as `~0`, `/` as `~1`); malformed text kept raw. */
function keySegment(quoted: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoted);
  } catch {
    parsed = undefined;
  }
  return escapePointer(typeof parsed === "string" ? parsed : quoted.slice(1, -1));
}

/** Parses JSON text and checks its shape; errors name `root`. */
export function parseJsonText(text: string, limits: JsonLimits, root: string): unknown {
  scanJsonText(text, limits, root);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof SyntaxError ? e.message : "invalid JSON";
    throw new GatewayError("malformed-json", `${root} is not valid JSON: ${detail}`, [{ pointer: root, detail }]);
  }
  checkJsonShape(value, limits, root);
  return value;
}
