/**
 * Small readings of canonical values the compliance checks share: the text of a language map, a concept's label,
 * ISO 8601 dates and durations, EQF levels and QF-EHEA cycles. Pure and format-independent.
 */
import type { Concept, Credit, LangMap } from "../model.js";
import { countryAlpha2, ECTS, lookupConcept } from "../vocab/index.js";

/** The text of a language map to show in a report: English, then no-language, then the first non-blank one. */
export function textOf(map: LangMap | undefined): string | undefined {
  if (!map) return undefined;
  const nonBlank = (s: string | undefined): s is string => s !== undefined && s.trim() !== "";
  if (nonBlank(map.en)) return map.en;
  if (nonBlank(map.und)) return map.und;
  return Object.values(map).find(nonBlank);
}

/** Whether a language map holds any non-blank text. */
export const hasText = (map: LangMap | undefined): boolean => textOf(map) !== undefined;

/** A concept as a person reads it: its label, the vocabulary's label, its notation or its URI. */
export function conceptLabel(c: Concept): string {
  return textOf(c.label) ?? (c.uri ? lookupConcept(c.uri)?.label : undefined) ?? c.notation ?? c.uri ?? "(concept)";
}

/** Shortens a free text for a report value. */
export function excerpt(s: string, max = 160): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * Whether a string is an ISO 8601 calendar date or date-time (`2023-09-27`, `2023-09-27T13:54:17+02:00`) naming a
 * day that exists: `2023-02-30` and `yesterday` are not dates.
 */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [, y, mo, d, h, mi, sec, oh, om] = m.map((g) => (g === undefined ? undefined : Number(g)));
  if (y === undefined || mo === undefined || d === undefined) return false;
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return false;
  const inRange = (v: number | undefined, max: number): boolean => v === undefined || v <= max;
  return inRange(h, 23) && inRange(mi, 59) && inRange(sec, 60) && inRange(oh, 14) && inRange(om, 59);
}

const DURATION =
  /^P(?!$)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?W)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
const TIME_ONLY = /^PT/;

/** An ISO 8601 duration read: whether it is one, and its length in hours when it only has a time part (`PT60H`). */
export function readDuration(s: string): { valid: false } | { valid: true; hours?: number } {
  const m = DURATION.exec(s);
  if (!m) return { valid: false };
  if (!TIME_ONLY.test(s)) return { valid: true };
  const n = (g: string | undefined): number => (g === undefined ? 0 : Number(g.replace(",", ".")));
  const hours = n(m[1]) + n(m[2]) / 60 + n(m[3]) / 3600;
  return { valid: true, hours: Math.round(hours * 100) / 100 };
}

/** Whether a credit is in ECTS: the ELM ECTS concept, or a free concept named ECTS. */
export function isEcts(credit: Credit): boolean {
  const f = credit.framework;
  if (!f) return false;
  if (f.uri === ECTS.uri) return true;
  const names = [f.notation, ...Object.values(f.label ?? {})].map((s) => s?.trim().toLowerCase());
  return names.some((s) => s === "ects" || s === "european credit transfer system");
}

/**
 * The number an EQF-level concept names, whatever it is (so that `eqf/9` can be reported as wrong): by an EQF URI
 * (`…/snb/eqf/6`), a numeric notation, or a label such as "Level 6" / "EQF 6". Undefined when it names no number.
 */
export function eqfNumberOf(c: Concept): number | undefined {
  const fromUri = c.uri ? /\/eqf\/(\d+)$/.exec(c.uri)?.[1] : undefined;
  const fromNotation = c.notation && /^\d+$/.test(c.notation.trim()) ? c.notation.trim() : undefined;
  const label = textOf(c.label);
  const fromLabel = label ? /^(?:eqf\s*)?(?:level\s*)?(\d+)$/i.exec(label.trim())?.[1] : undefined;
  const raw = fromUri ?? fromNotation ?? fromLabel;
  return raw === undefined ? undefined : Number(raw);
}

/** QF-EHEA cycles (the Framework for Qualifications of the EHEA), with DEQAR's codes 0–3 and their EQF levels 5–8. */
export const QF_EHEA_CYCLES = ["short", "first", "second", "third"] as const;
/** A QF-EHEA cycle: `short` (EQF 5), `first` (6), `second` (7), `third` (8). */
export type QfEheaCycle = (typeof QF_EHEA_CYCLES)[number];

/** The QF-EHEA cycle of the EQF level DEQAR pairs it with (5 short, 6 first, 7 second, 8 third). */
export function cycleOfEqf(eqf: number): QfEheaCycle | undefined {
  return QF_EHEA_CYCLES[eqf - 5];
}

/**
 * The QF-EHEA cycle a concept names, by notation, label or URI: `short`/`first`/`second`/`third` (as words, with or
 * without "cycle"), or DEQAR's `qf_ehea_level` codes 0–3. Undefined when it names none of them.
 */
export function qfEheaCycleOf(c: Concept): QfEheaCycle | undefined {
  const candidates = [c.notation, ...Object.values(c.label ?? {}), c.uri?.replace(/^.*[/#]/, "")];
  for (const raw of candidates) {
    const s = raw?.trim().toLowerCase();
    if (!s) continue;
    if (/^[0-3]$/.test(s)) return QF_EHEA_CYCLES[Number(s)];
    const word = QF_EHEA_CYCLES.find((cycle) => new RegExp(`(^|[^a-z])${cycle}([^a-z]|$)`).test(s));
    if (word) return word;
  }
  return undefined;
}

/** An ISO 3166-1 alpha-2 country code, upper-cased, or undefined when the value is not one. */
export function alpha2(code: string): string | undefined {
  const trimmed = code.trim();
  return /^[A-Za-z]{2}$/.test(trimmed) ? countryAlpha2(trimmed) : undefined;
}

/** ELM learning-opportunity type for a whole educational programme (a degree programme, not a module or course). */
export const EDUCATIONAL_PROGRAMME = "http://data.europa.eu/snb/learning-opportunity/79343569f3";

/** Whether a concept is in the ELM learning-opportunity vocabulary's "Educational programme". */
export const isEducationalProgramme = (c: Concept): boolean => c.uri === EDUCATIONAL_PROGRAMME;
