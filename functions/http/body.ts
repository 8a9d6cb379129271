/**
 * Request body decoding with limits: size before parsing, then JSON nesting depth and total key count after, and no
 * `__proto__` / `constructor` / `prototype` keys (they are never legitimate in credentials and are a classic way to
 * reach object prototypes in code that merges input).
 */
import { GatewayError } from "../core/errors.js";

export interface BodyLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
  maxJsonKeys: number;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The raw body as bytes, enforcing the size limit. */
export function bodyBytes(body: string | undefined, isBase64Encoded: boolean | undefined, limits: BodyLimits): Buffer {
  if (body === undefined || body === "") return Buffer.alloc(0);
  // A base64 body is 4/3 of its bytes: refuse a clearly oversized one before decoding it.
  if (body.length > (isBase64Encoded ? Math.ceil((limits.maxBodyBytes * 4) / 3) + 4 : limits.maxBodyBytes * 4)) {
    throw tooLarge(limits);
  }
  const bytes = isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  if (bytes.length > limits.maxBodyBytes) throw tooLarge(limits);
  return bytes;
}

const tooLarge = (limits: BodyLimits) =>
  new GatewayError("body-too-large", `the body exceeds ${limits.maxBodyBytes} bytes`, [
    { pointer: "/body", detail: `at most ${limits.maxBodyBytes} bytes` },
  ]);

/** Parses JSON text (strict UTF-8) and enforces depth and key limits. */
export function parseJson(bytes: Buffer, limits: BodyLimits): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new GatewayError("malformed-json", "the body is not valid UTF-8", [
      { pointer: "/body", detail: "invalid UTF-8" },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof SyntaxError ? e.message : "invalid JSON";
    throw new GatewayError("malformed-json", `the body is not valid JSON: ${detail}`, [{ pointer: "/body", detail }]);
  }
  checkShape(value, limits);
  return value;
}

/** Iterative walk (no recursion, so a deep document cannot overflow the stack). */
function checkShape(root: unknown, limits: BodyLimits): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: root, depth: 0, path: "/body" }];
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
      const path = `${item.path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (FORBIDDEN_KEYS.has(k)) {
        throw new GatewayError("validation-failed", `the key "${k}" is not allowed`, [
          { pointer: path, detail: "forbidden key" },
        ]);
      }
      if (++keys > limits.maxJsonKeys) {
        throw new GatewayError("limit-exceeded", `more than ${limits.maxJsonKeys} JSON keys`, [
          { pointer: "/body", detail: `more than ${limits.maxJsonKeys} keys` },
        ]);
      }
      stack.push({ value: v, depth: item.depth + 1, path });
    }
  }
}
