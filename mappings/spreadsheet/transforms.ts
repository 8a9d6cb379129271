/**
 * Named pure value transforms a column profile can apply to a cell before the canonical field reads it. Each takes the
 * cell's text and gives a normalised value, `undefined` for "no value" (an empty cell, `Never` for an expiry date), or
 * a message that becomes a row error naming the column.
 */
import countries from "i18n-iso-countries";
import { countryAlpha2, LEARNING_SETTINGS, languageTag, lookupConcept, MODES } from "../vocab/index.js";

export const TRANSFORM_NAMES = [
  "trim",
  "lowercase",
  "uppercase",
  "split;",
  "split,",
  "split|",
  "split\n",
  "date",
  "date-mdy",
  "date-dmy",
  "number",
  "eqf",
  "country",
  "language",
  "mode",
  "learning-setting",
  "hours",
] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];

export type Value = string | number | string[];
export type TransformResult = { ok: true; value: Value | undefined } | { ok: false; message: string };

const ok = (value: Value | undefined): TransformResult => ({ ok: true, value });
const fail = (message: string): TransformResult => ({ ok: false, message });
const asText = (v: Value): string => (Array.isArray(v) ? v.join(";") : String(v));

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const pad = (n: number) => String(n).padStart(2, "0");

/** A calendar date as `YYYY-MM-DD`, or undefined when it does not exist (31 February). */
function isoDate(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, "0")}-${pad(m)}-${pad(d)}`;
}

/** Two-digit years: 00–69 → 20xx, 70–99 → 19xx (as spreadsheet programs read them). */
const fullYear = (y: string) => (y.length === 2 ? (Number(y) < 70 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y));

/** Excel's serial day number (1900 date system, days since 1899-12-30) as an ISO date. */
export function excelSerialDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return undefined;
  const ms = Date.UTC(1899, 11, 30) + Math.round(serial * 86400) * 1000;
  const t = new Date(ms);
  const day = t.toISOString().slice(0, 10);
  return t.getUTCHours() || t.getUTCMinutes() || t.getUTCSeconds() ? t.toISOString().replace(".000Z", "Z") : day;
}

const NO_DATE = /^(never|none|n\/a|-|—)$/i;

/**
 * Dates: ISO 8601 date or date-time (kept), `31 January 2025` / `Friday, 31 January 2025, 10:00 AM` (Moodle), the
 * dotted day-first `15.03.2026` (German, Austrian, Swiss, Polish, Czech, Nordic usage: the dotted form is day-first
 * wherever it is written), and Excel serial day numbers (XLSX cells without a date style). Slashed dates are refused:
 * `03/04/2026` is 3 April in Paris and March 4 in the US, so the profile must say which (`date-dmy`, `date-mdy`).
 * `Never` and similar mean no date.
 */
export function parseDate(text: string): TransformResult {
  const s = text.trim();
  if (s === "" || NO_DATE.test(s)) return ok(undefined);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (iso) {
    const day = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return day ? ok(iso[4] ? s : day) : fail(`${JSON.stringify(s)} is not a calendar date`);
  }
  const named = /^(?:[a-z]+,\s*)?(\d{1,2})\s+([a-z]+)\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})\s*(am|pm)?)?$/i.exec(s);
  if (named) {
    const month = MONTHS.findIndex((m) => m.startsWith((named[2] ?? "").toLowerCase()) && (named[2] ?? "").length >= 3);
    const day = month >= 0 ? isoDate(Number(named[3]), month + 1, Number(named[1])) : undefined;
    if (!day) return fail(`${JSON.stringify(s)} is not a date`);
    if (named[4] === undefined) return ok(day);
    let h = Number(named[4]) % 12;
    if (named[6]?.toLowerCase() === "pm") h += 12;
    if (!named[6]) h = Number(named[4]);
    return ok(`${day}T${pad(h)}:${named[5]}:00`);
  }
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (dotted) {
    const day = isoDate(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]));
    return day ? ok(day) : fail(`${JSON.stringify(s)} is not a calendar date (DD.MM.YYYY)`);
  }
  if (/^\d{1,7}(\.\d+)?$/.test(s)) {
    const d = excelSerialDate(Number(s));
    if (d) return ok(d);
  }
  if (/^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(s)) {
    return fail(
      `${JSON.stringify(s)}: day and month order of a slashed date is ambiguous; write YYYY-MM-DD or DD.MM.YYYY`,
    );
  }
  return fail(`${JSON.stringify(s)} is not a date (expected YYYY-MM-DD or DD.MM.YYYY)`);
}

function numericDate(text: string, order: "mdy" | "dmy"): TransformResult {
  const s = text.trim();
  if (s === "" || NO_DATE.test(s)) return ok(undefined);
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (!m) return parseDate(s);
  const [a, b] = [Number(m[1]), Number(m[2])];
  const day = order === "mdy" ? isoDate(fullYear(m[3] ?? ""), a, b) : isoDate(fullYear(m[3] ?? ""), b, a);
  return day ? ok(day) : fail(`${JSON.stringify(s)} is not a date (${order === "mdy" ? "mm/dd/yy" : "dd/mm/yyyy"})`);
}

/** A decimal number; a decimal comma is accepted (`7,5`). */
export function parseNumber(text: string): TransformResult {
  const s = text.trim();
  if (s === "") return ok(undefined);
  const normalised = /^-?\d+,\d+$/.test(s) ? s.replace(",", ".") : s;
  if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(normalised)) return fail(`${JSON.stringify(s)} is not a number`);
  return ok(Number(normalised));
}

/** An EQF level 1–8 from `6`, `EQF 6`, `Level 6`, `EQF6` or the concept URI `http://data.europa.eu/snb/eqf/6`. */
export function parseEqf(text: string): TransformResult {
  const s = text.trim();
  if (s === "") return ok(undefined);
  const m =
    /^(?:https?:\/\/data\.europa\.eu\/snb\/eqf\/|(?:eqf|eqr|cec|mec|qeq|level|niveau|nivel|livello|stufe)\s*(?:level\s*)?)?([1-8])$/i.exec(
      s,
    );
  return m ? ok(Number(m[1])) : fail(`${JSON.stringify(s)} is not an EQF level (1–8)`);
}

/** The languages whose country names a cell may use: those of the synonym tables (registrars write `Deutschland`). */
const COUNTRY_NAME_LANGUAGES = ["en", "fr", "de", "es", "it"] as const;

/**
 * An ISO 3166-1 alpha-2 code from alpha-2, alpha-3, an EU country URI or a country name in English, French, German,
 * Spanish or Italian.
 */
export function parseCountry(text: string): TransformResult {
  const s = text.trim();
  if (s === "") return ok(undefined);
  let code = countryAlpha2(s);
  for (const language of COUNTRY_NAME_LANGUAGES) code ??= countries.getAlpha2Code(s, language);
  return code ? ok(code) : fail(`${JSON.stringify(s)} is not a known country`);
}

/** A BCP 47 primary language tag from a tag, locale (`en_US`), EU authority code or URI. */
export function parseLanguage(text: string): TransformResult {
  const s = text.trim();
  if (s === "") return ok(undefined);
  const tag = languageTag(s);
  return tag ? ok(tag) : fail(`${JSON.stringify(s)} is not a language`);
}

const MODE_SYNONYMS: Record<string, keyof typeof MODES> = {
  online: "online",
  "on-line": "online",
  distance: "online",
  remote: "online",
  elearning: "online",
  "e-learning": "online",
  blended: "blended",
  hybrid: "blended",
  presential: "presential",
  "in person": "presential",
  "in-person": "presential",
  "on site": "presential",
  onsite: "presential",
  "on-site": "presential",
  "face-to-face": "presential",
  "face to face": "presential",
  classroom: "presential",
  "work-based": "workbased",
  "work based": "workbased",
  workbased: "workbased",
  "project-based": "projectBased",
  "project based": "projectBased",
  "research lab": "researchLab",
  // The same, as registrars write them in French, German, Spanish and Italian (accents as typed and without).
  "en ligne": "online",
  "à distance": "online",
  "a distance": "online",
  hybride: "blended",
  présentiel: "presential",
  presentiel: "presential",
  "en présentiel": "presential",
  fernunterricht: "online",
  "online-kurs": "online",
  präsenz: "presential",
  praesenz: "presential",
  präsenzunterricht: "presential",
  "a distancia": "online",
  semipresencial: "blended",
  presencial: "presential",
  "in presenza": "presential",
  "a distanza": "online",
  mista: "blended",
};

/** A learning-assessment (mode) concept URI from a name (`online`, `in person`, `hybrid`...) or a concept URI. */
export function modeUri(text: string): string | undefined {
  const s = text.trim();
  if (lookupConcept(s)?.uri.includes("/learning-assessment/")) return s;
  const key = MODE_SYNONYMS[s.toLowerCase().replace(/\s+/g, " ")];
  return key ? MODES[key].uri : undefined;
}

/** A learning-setting concept URI from `formal` / `non-formal` or a concept URI. */
export function learningSettingUri(text: string): string | undefined {
  const s = text.trim();
  if (lookupConcept(s)?.uri.includes("/learning-setting/")) return s;
  const k = s.toLowerCase().replace(/[\s_]+/g, "-");
  if (k === "formal") return LEARNING_SETTINGS.formal.uri;
  if (k === "non-formal" || k === "nonformal" || k === "informal") return LEARNING_SETTINGS.nonFormal.uri;
  return undefined;
}

/** Notional workload in hours (`60`, `60h`) as an ISO 8601 duration (`PT60H`); ISO durations pass through. */
export function parseHours(text: string): TransformResult {
  const s = text.trim();
  if (s === "") return ok(undefined);
  if (/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(s)) return ok(s);
  const m = /^(\d+(?:[.,]\d+)?)\s*(h|hours?)?$/i.exec(s);
  return m ? ok(`PT${(m[1] ?? "").replace(",", ".")}H`) : fail(`${JSON.stringify(s)} is not a number of hours`);
}

const split =
  (sep: string) =>
  (text: string): TransformResult => {
    const parts = text
      .split(sep)
      .map((p) => p.trim())
      .filter((p) => p !== "");
    return ok(parts.length > 0 ? parts : undefined);
  };

const onText =
  (f: (text: string) => TransformResult) =>
  (v: Value): TransformResult => {
    if (!Array.isArray(v)) return f(asText(v));
    const out: string[] = [];
    for (const item of v) {
      const r = f(item);
      if (!r.ok) return r;
      if (r.value !== undefined) out.push(asText(r.value));
    }
    return ok(out);
  };

const byName = (resolve: (t: string) => string | undefined, what: string) => (text: string) => {
  const s = text.trim();
  if (s === "") return ok(undefined);
  const uri = resolve(s);
  return uri ? ok(uri) : fail(`${JSON.stringify(s)} is not a known ${what}`);
};

/** The transforms by name. Pure; total over their input. */
export const TRANSFORMS: Record<TransformName, (value: Value) => TransformResult> = {
  trim: onText((t) => ok(t.trim())),
  lowercase: onText((t) => ok(t.toLowerCase())),
  uppercase: onText((t) => ok(t.toUpperCase())),
  "split;": onText(split(";")),
  "split,": onText(split(",")),
  "split|": onText(split("|")),
  "split\n": onText(split("\n")),
  date: onText(parseDate),
  "date-mdy": onText((t) => numericDate(t, "mdy")),
  "date-dmy": onText((t) => numericDate(t, "dmy")),
  number: onText(parseNumber),
  eqf: onText(parseEqf),
  country: onText(parseCountry),
  language: onText(parseLanguage),
  mode: onText(byName(modeUri, "mode of learning (online, blended, presential...)")),
  "learning-setting": onText(byName(learningSettingUri, "learning setting (formal, non-formal)")),
  hours: onText(parseHours),
};

/** Applies transforms in order; stops at the first failure. */
export function applyTransforms(value: Value, names: readonly TransformName[]): TransformResult {
  let current: Value | undefined = value;
  for (const name of names) {
    if (current === undefined) return ok(undefined);
    const r = TRANSFORMS[name](current);
    if (!r.ok) return r;
    current = r.value;
  }
  return ok(current);
}
