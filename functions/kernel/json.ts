/**
 * JSON with limits: nesting depth and total key count, checked without recursion, and no `__proto__` /
 * `constructor` / `prototype` keys (never legitimate in credentials; a classic way to reach object prototypes in
 * code that merges input). Used for request bodies and for documents sent as JSON text inside them.
 */
import { GatewayError } from "./errors.js";

export interface JsonLimits {
  maxJsonDepth: number;
  maxJsonKeys: number;
}

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

/** Parses JSON text and checks its shape; errors name `root`. */
export function parseJsonText(text: string, limits: JsonLimits, root: string): unknown {
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
