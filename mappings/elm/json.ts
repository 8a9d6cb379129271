/**
 * Value normalisation for compacted ELM JSON-LD, read by term names without JSON-LD expansion. The same credential
 * comes in two shapes: EDC output writes single values as objects and language maps with string values
 * (`{"en": "Ana"}`); the EBSI VCDM 2.0 form writes arrays and language maps with array values (`{"en": ["Ana"]}`).
 * Expanded-style value objects (`{"@value": "Ana", "@language": "en"}`) are accepted as well.
 */

/** A plain JSON object (not an array, not null). */
import { isRecord } from "../../lib/guards.js";
import type { LangMap } from "../model.js";

export { isRecord };

/** Escapes one JSON Pointer reference token (RFC 6901). */
export function escapeToken(token: string | number): string {
  if (typeof token === "number") return String(token);
  // Most tokens (field names, indexes) need no escaping: skip the two string copies (writers build a pointer per field).
  return token.includes("~") || token.includes("/") ? token.replaceAll("~", "~0").replaceAll("/", "~1") : token;
}

/** Appends reference tokens to a JSON Pointer. */
export function pointer(base: string, ...tokens: (string | number)[]): string {
  let p = base;
  for (const t of tokens) p = `${p}/${escapeToken(t)}`;
  return p;
}

/**
 * The items of a property that may hold one value or an array of values, each with the pointer suffix that reaches
 * it: no index when the source held a single value, `/i` when it held an array (so provenance points at what is there).
 */
export function itemsOf(v: unknown): { value: unknown; suffix: string }[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.map((value, i) => ({ value, suffix: `/${i}` }));
  return [{ value: v, suffix: "" }];
}

/** A language map read, with values it had no room for (a second value in one language) and notes to warn about. */
export type LangMapParse =
  | { ok: true; value: LangMap; extra: { suffix: string; value: unknown }[]; notes: string[] }
  | { ok: false; message: string };

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/** `@none` (JSON-LD's "no language") and a missing language are `und` in the model. */
const tagOf = (key: string | undefined): string => (key === undefined || key === "@none" ? "und" : key);

/**
 * Reads a language map in any of the shapes ELM JSON-LD uses: `{"en": "x"}`, `{"en": ["x"]}`, a plain string (no
 * language: `und`), a value object `{"@value", "@language"}`, or an array of strings / value objects. Further values in
 * one language are returned in `extra` (the model keeps one text per language). Not a text at all: `ok: false`.
 */
export function parseLangMap(v: unknown): LangMapParse {
  const entries: [string, string][] = [];
  const extra: { suffix: string; value: unknown }[] = [];
  const notes: string[] = [];
  const add = (tag: string, text: string, suffix: string): void => {
    if (entries.some(([t]) => t === tag)) extra.push({ suffix, value: text });
    else entries.push([tag, text]);
  };
  const done = (): LangMapParse => ({ ok: true, value: Object.fromEntries(entries), extra, notes });

  if (typeof v === "string") {
    add("und", v, "");
    return done();
  }
  if (Array.isArray(v)) {
    for (const [i, item] of v.entries()) {
      if (typeof item === "string") add("und", item, `/${i}`);
      else if (isValueObject(item)) add(tagOf(stringOr(item["@language"])), item["@value"], `/${i}`);
      else return { ok: false, message: `expected a language map or text, found an array holding ${kindOf(item)}` };
    }
    return done();
  }
  if (!isRecord(v)) return { ok: false, message: `expected a language map (e.g. {"en": "…"}), found ${kindOf(v)}` };
  if (isValueObject(v)) {
    add(tagOf(stringOr(v["@language"])), v["@value"], "");
    return done();
  }
  for (const key of Object.keys(v)) {
    const tag = tagOf(key);
    if (tag !== "und" && !LANGUAGE_TAG.test(tag)) notes.push(`"${key}" is not a language tag`);
    const value = v[key];
    if (typeof value === "string") add(tag, value, `/${escapeToken(key)}`);
    else if (Array.isArray(value)) {
      for (const [i, text] of value.entries()) {
        if (typeof text !== "string") return { ok: false, message: `language "${key}" holds ${kindOf(text)}` };
        add(tag, text, `/${escapeToken(key)}/${i}`);
      }
    } else if (value === null) notes.push(`language "${key}" is null`);
    else return { ok: false, message: `language "${key}" holds ${kindOf(value)}, not text` };
  }
  return done();
}

/**
 * Reads a property holding several texts per language (`altLabel`: `{"en": ["UniZ", "UZ"]}`) as one language map per
 * position: `[{en: "UniZ"}, {en: "UZ"}]`.
 */
export function parseLangMaps(v: unknown): { ok: true; value: LangMap[] } | { ok: false; message: string } {
  if (isRecord(v) && !isValueObject(v)) {
    const maps: [string, string][][] = [];
    for (const key of Object.keys(v)) {
      const value = v[key];
      const texts = Array.isArray(value) ? value : [value];
      for (const [i, text] of texts.entries()) {
        if (text === null) continue;
        if (typeof text !== "string") return { ok: false, message: `language "${key}" holds ${kindOf(text)}` };
        const at = maps[i] ?? [];
        at.push([tagOf(key), text]);
        maps[i] = at;
      }
    }
    return { ok: true, value: maps.map((m) => Object.fromEntries(m)) };
  }
  const one = parseLangMap(v);
  if (!one.ok) return one;
  return { ok: true, value: [one.value, ...one.extra.map((e) => ({ und: String(e.value) }))] };
}

function isValueObject(v: unknown): v is { "@value": string; "@language"?: unknown } {
  return isRecord(v) && typeof v["@value"] === "string";
}

function stringOr(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A short description of a JSON value's kind, for messages (`a number`, `an object`...). */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  switch (typeof v) {
    case "object":
      return "an object";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    default:
      return typeof v;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether a string is an ISO 8601 date or date-time as ELM writes them (`xsd:dateTime`, `xsd:date`). */
export function isIsoDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));
}

const DURATION =
  /^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * Checks an ISO 8601 duration (`xsd:duration`): `undefined` when fine, else why it is odd. Twelve months or more
 * written without years (`P60M`) is flagged: it is usually minutes meant (`PT60M`), as in the EC micro-credential
 * sample's activity specification.
 */
export function durationProblem(s: string): string | undefined {
  const m = DURATION.exec(s);
  if (!m) return `"${s}" is not an ISO 8601 duration (e.g. PT60H)`;
  const [, years, months, , , , ,] = m;
  if (years === undefined && months !== undefined && Number(months.replace(",", ".")) >= 12) {
    return `"${s}" is ${months} months; minutes would be PT${months}M`;
  }
  return undefined;
}
