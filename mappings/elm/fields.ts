/**
 * Field readers for ELM nodes: each reads one key of an {@link ElmNode} in the shape the model wants (a language map,
 * a date, a concept, one or many child objects), records where the value came from, warns on recoverable oddities
 * and reports an issue where the value is unusable. `dst` is the model field name under the node's canonical pointer.
 */
import type { Concept, LangMap } from "../model.js";
import { lookupConcept } from "../vocab/index.js";
import { durationProblem, isIsoDate, itemsOf, kindOf, parseLangMap, parseLangMaps } from "./json.js";
import type { ElmNode } from "./node.js";

/** A language map (`title`, `legalName`...), or undefined when absent or unusable. */
export function text(n: ElmNode, key: string, dst: string | null = key): LangMap | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  const parsed = parseLangMap(v);
  if (!parsed.ok) {
    n.fail(n.at(key), parsed.message);
    return undefined;
  }
  for (const note of parsed.notes) n.warn(n.at(key), note);
  for (const e of parsed.extra) {
    n.warn(n.at(key) + e.suffix, "a second text in the same language: kept as an extension");
    n.keep(n.at(key) + e.suffix, e.value);
  }
  traceField(n, dst, key);
  return parsed.value;
}

/** Records canonical field → source key, unless `dst` is null (a value read for its parent, not a field of its own). */
function traceField(n: ElmNode, dst: string | null, key: string): void {
  if (dst !== null) n.trace(n.to(dst), n.at(key));
}

/** A language map with several texts per language (`altLabel`), as one map per position. */
export function texts(n: ElmNode, key: string, dst: string): LangMap[] {
  const v = n.take(key);
  if (v === undefined) return [];
  const parsed = parseLangMaps(v);
  if (!parsed.ok) {
    n.fail(n.at(key), parsed.message);
    return [];
  }
  traceField(n, dst, key);
  return parsed.value;
}

/** The text of a `Note` (`noteLiteral`); a bare language map is accepted with a warning. */
function noteText(n: ElmNode): LangMap | undefined {
  if (n.has("noteLiteral")) return text(n, "noteLiteral", null);
  const bare = Object.keys(n.data).filter((k) => k !== "id" && k !== "type");
  if (bare.length === 0 || n.types().includes("Note")) {
    n.warn(n.src, "a Note without noteLiteral");
    return undefined;
  }
  const parsed = parseLangMap(Object.fromEntries(bare.map((k) => [k, n.data[k]])));
  if (!parsed.ok) {
    n.fail(n.src, `expected a Note ({noteLiteral: {...}}): ${parsed.message}`);
    return undefined;
  }
  for (const k of bare) n.consume(k);
  n.warn(n.src, "a language map where ELM has a Note: read as the note's text");
  return parsed.value;
}

/** One `Note` (`entryRequirement`, `grade`, `learningOutcomeSummary`...) as its text. */
export function note(n: ElmNode, key: string, dst: string = key): LangMap | undefined {
  const raw = n.data[key];
  if (typeof raw === "string") {
    n.take(key);
    n.warn(n.at(key), "a string where ELM has a Note: read as text in no stated language");
    traceField(n, dst, key);
    return { und: raw };
  }
  return one(n, key, dst, noteText);
}

/** Several `Note`s (`additionalNote`) as their texts. */
export function notes(n: ElmNode, key: string, dst: string = key): LangMap[] {
  return many(n, key, dst, noteText);
}

/**
 * The description of a node ELM gives none (Organisation, LearningOutcome): ELM's place for it is the node's
 * `additionalNote`, which is how the ELM writer writes a canonical description there. Read as one text per language:
 * a `description` (not ELM there, but some producers write one) first, then each note's, joined by a blank line, so that
 * neither a genuine note nor a description is lost and writing it back gives one note with the same text.
 */
export function noteDescription(n: ElmNode, dst = "description"): LangMap | undefined {
  const own = text(n, "description", null);
  const noted = many(n, "additionalNote", undefined, noteText);
  const texts = own ? [own, ...noted] : noted;
  if (texts.length === 0) return undefined;
  const src = n.at(own ? "description" : "additionalNote");
  if (texts.length > 1) {
    n.warn(src, `${texts.length} texts (description or notes) read as one description, separated by a blank line`);
  }
  const merged: LangMap = {};
  for (const map of texts) {
    for (const [lang, value] of Object.entries(map)) {
      const before = merged[lang];
      merged[lang] = before === undefined ? value : `${before}\n\n${value}`;
    }
  }
  traceField(n, dst, own ? "description" : "additionalNote");
  return merged;
}

/** A string (`notation`, `content`, `schemeName`...). Numbers are accepted as their decimal text. */
export function str(n: ElmNode, key: string, dst: string | null = key): string | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isFinite(v)) {
    traceField(n, dst, key);
    return String(v);
  }
  if (typeof v !== "string") {
    n.fail(n.at(key), `expected a string, found ${kindOf(v)}`);
    return undefined;
  }
  traceField(n, dst, key);
  return v;
}

/** A date or date-time; kept as written, with a warning when it is not ISO 8601. */
export function date(n: ElmNode, key: string, dst: string | null = key): string | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (typeof v !== "string") {
    n.fail(n.at(key), `expected an ISO 8601 date-time string, found ${kindOf(v)}`);
    return undefined;
  }
  if (!isIsoDate(v)) n.warn(n.at(key), `"${v}" is not an ISO 8601 date or date-time`);
  traceField(n, dst, key);
  return v;
}

/** An ISO 8601 duration; kept as written, with a warning when it is malformed or suspicious. */
export function duration(n: ElmNode, key: string, dst: string | null = key): string | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (typeof v !== "string") {
    n.fail(n.at(key), `expected an ISO 8601 duration string, found ${kindOf(v)}`);
    return undefined;
  }
  const problem = durationProblem(v);
  if (problem) n.warn(n.at(key), problem);
  traceField(n, dst, key);
  return v;
}

/** A boolean; `"true"`/`"false"` strings are accepted with a warning. */
export function bool(n: ElmNode, key: string, dst: string | null = key): boolean | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  if (typeof v === "boolean") {
    traceField(n, dst, key);
    return v;
  }
  if (v === "true" || v === "false") {
    n.warn(n.at(key), `the string "${v}" where ELM has a boolean`);
    traceField(n, dst, key);
    return v === "true";
  }
  n.fail(n.at(key), `expected a boolean, found ${kindOf(v)}`);
  return undefined;
}

/** A non-negative integer (`levelOfCompletion`, `page`); numeric strings are accepted with a warning. */
export function int(n: ElmNode, key: string, dst: string | null = key): number | undefined {
  const v = n.take(key);
  if (v === undefined) return undefined;
  const num = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof num !== "number" || !Number.isInteger(num) || num < 0) {
    n.fail(n.at(key), `expected a non-negative integer, found ${typeof v === "string" ? `"${v}"` : kindOf(v)}`);
    return undefined;
  }
  if (typeof v === "string") n.warn(n.at(key), `the string "${v}" where ELM has an integer`);
  traceField(n, dst, key);
  return num;
}

/**
 * One child object read by `read` (a string is read as a reference `{id}`), with the source pointer it was read
 * from. A single-valued property given as an array reads its first item; further items are kept as extensions, with a
 * warning. `dst` undefined flattens the child into this node's canonical object (an AwardingProcess into its claim)
 * and records no path for it.
 */
export function oneAt<T>(
  n: ElmNode,
  key: string,
  dst: string | undefined,
  read: (child: ElmNode) => T | undefined,
): { value: T; src: string } | undefined {
  const items = itemsOf(n.take(key));
  const first = items[0];
  if (!first) return undefined;
  if (items.length > 1) {
    n.warn(n.at(key), `${items.length} values where one is expected: the first is read, the rest kept as extensions`);
    for (const extra of items.slice(1)) n.keep(n.at(key) + extra.suffix, extra.value);
  }
  const src = n.at(key) + first.suffix;
  const child = n.child(first.value, src, dst === undefined ? n.dst : n.to(dst));
  if (!child) return undefined;
  const value = read(child);
  child.finish();
  if (value === undefined) return undefined;
  if (dst !== undefined) n.trace(child.dst, src);
  return { value, src };
}

/** {@link oneAt} without the source pointer. */
export function one<T>(
  n: ElmNode,
  key: string,
  dst: string | undefined,
  read: (child: ElmNode) => T | undefined,
): T | undefined {
  return oneAt(n, key, dst, read)?.value;
}

/**
 * Every child object of a property holding one object or an array of them, each read by `read`, into the canonical
 * array `dst` from index `start` (several source properties can fill one array: an organisation's identifiers).
 * `dst` undefined flattens each child into this node (a ContactPoint's mailboxes go to the organisation).
 */
export function many<T>(
  n: ElmNode,
  key: string,
  dst: string | undefined,
  read: (child: ElmNode) => T | undefined,
  start = 0,
): T[] {
  const out: T[] = [];
  for (const item of itemsOf(n.take(key))) {
    const src = n.at(key) + item.suffix;
    const child = n.child(item.value, src, dst === undefined ? n.dst : `${n.to(dst)}/${start + out.length}`);
    if (!child) continue;
    const value = read(child);
    child.finish();
    if (value === undefined) continue;
    if (dst !== undefined) n.trace(child.dst, src);
    out.push(value);
  }
  if (out.length > 0 && dst !== undefined && !(n.to(dst) in n.log.paths)) n.trace(n.to(dst), n.at(key));
  return out;
}

/**
 * Concept schemes whose concepts the vocabulary lists in full: a URI in one of them that the vocabulary does not know
 * is worth a warning. Open schemes (ISCED-F fields, DigComp, national QDR levels) are kept as read without one.
 */
const CLOSED_SNB_SCHEMES = [
  "education-credit",
  "eqf",
  "accreditation",
  "encoding",
  "credential",
  "learning-activity",
  "assessment",
  "entitlement-status",
  "entitlement",
  "learning-opportunity",
  "learning-schedule",
  "learning-setting",
  "learning-assessment",
  "target-group",
  "skill-reuse-level",
  "skill-type",
  "evidence-type",
  "supervision-verification",
] as const;

const SNB = "http://data.europa.eu/snb/";

/** Why a concept URI is unknown to the vocabulary, or undefined when known or in an open scheme. */
function unknownConcept(uri: string): string | undefined {
  if (!uri.startsWith(SNB)) return undefined;
  const [scheme, code] = uri.slice(SNB.length).split("/");
  if (!CLOSED_SNB_SCHEMES.some((s) => s === scheme) || code === "25831c2") return undefined;
  return lookupConcept(uri) ? undefined : `unknown concept ${uri} in the ${scheme} vocabulary: kept as read`;
}

/** A `Concept` node: `{uri: id, label: prefLabel, notation, scheme: inScheme.id}` (traced as a whole by its parent). */
export function readConcept(c: ElmNode): Concept | undefined {
  const concept: Concept = {};
  const uri = c.id();
  if (uri !== undefined) {
    concept.uri = uri;
    if (!uri.includes(":")) c.warn(c.src, `concept id "${uri}" is not an IRI: kept as read`);
    const unknown = unknownConcept(uri);
    if (unknown) c.warn(c.src, unknown);
  }
  const label = text(c, "prefLabel", null);
  if (label) concept.label = label;
  const notation = str(c, "notation", null);
  if (notation !== undefined) concept.notation = notation;
  const scheme = one(c, "inScheme", undefined, (s) => s.id());
  if (scheme !== undefined) concept.scheme = scheme;
  if (concept.uri === undefined && concept.label === undefined && concept.notation === undefined) {
    c.warn(c.src, "a concept with neither id, prefLabel nor notation");
    return undefined;
  }
  return concept;
}

/** One concept (`eqfLevel`, `idVerification`...). */
export function concept(n: ElmNode, key: string, dst: string = key): Concept | undefined {
  return one(n, key, dst, readConcept);
}

/** Several concepts (`thematicArea`, `mode`, `language`...). */
export function concepts(n: ElmNode, key: string, dst: string = key): Concept[] {
  return many(n, key, dst, readConcept);
}

/** The ids of referenced nodes (`hasPart`/`isPartOf` of specifications); objects with more than an id are kept whole. */
export function refs(n: ElmNode, key: string, dst: string = key): string[] {
  return many(n, key, dst, (c) => {
    const id = c.id();
    if (id === undefined) c.fail(c.src, "a reference without an id");
    const rest = Object.keys(c.data).filter((k) => k !== "id" && k !== "type");
    if (rest.length > 0) {
      for (const k of rest) c.consume(k);
      c.keep(c.src, c.data);
    }
    return id;
  });
}
