/**
 * JSON helpers of the OB3 reader: type guards, JSON Pointers and the "one value or an array of values" reading that
 * compacted JSON-LD allows for most OB3 properties.
 */

/** A plain JSON object (not an array, not null). */
import { isRecord } from "../../lib/guards.js";

export { isRecord };

/** Escapes one JSON Pointer reference token (RFC 6901). */
function escapeToken(token: string | number): string {
  const s = String(token);
  return s.includes("~") || s.includes("/") ? s.replaceAll("~", "~0").replaceAll("/", "~1") : s;
}

/** Appends reference tokens to a JSON Pointer. */
export function pointer(base: string, ...tokens: (string | number)[]): string {
  let p = base;
  for (const t of tokens) p += `/${escapeToken(t)}`;
  return p;
}

/**
 * The items of a property holding one value or an array of values, each with the pointer suffix that reaches it:
 * none for a single value, `/i` for an array item (so provenance points at what is there).
 */
export function itemsOf(v: unknown): { value: unknown; suffix: string }[] {
  if (v === undefined) return [];
  // Array.from, not map: a sparse array (no JSON has one, a JavaScript caller may) reads its holes as undefined.
  if (Array.isArray(v)) return Array.from(v, (value: unknown, i) => ({ value, suffix: `/${i}` }));
  return [{ value: v, suffix: "" }];
}

/** The string values of a property holding a string or an array (`type`, `@context`); other items are skipped. */
export function stringsOf(v: unknown): string[] {
  return itemsOf(v).flatMap(({ value }) => (typeof value === "string" ? [value] : []));
}

/** A short description of a JSON value's kind, for messages (`a number`, `an object`...). */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether a string is an ISO 8601 date or date-time (`xsd:dateTime`, `xsd:date`). */
export function isIsoDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));
}

/** Parses JSON text without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
