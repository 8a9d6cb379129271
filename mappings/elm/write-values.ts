/**
 * Value builders of the ELM writer: language maps and dates as ELM writes them, concepts as the EC writes them
 * (`{id, type: "Concept", inScheme, prefLabel, notation}`), notes, web resources, media objects and credit points, and
 * the field-rule engine that writes a canonical object's fields from a {@link FieldRule} table, reporting what the
 * target class has no place for as losses.
 */
import type { Concept, Credit, LangMap, Media } from "../model.js";
import {
  countryAlpha2,
  countryName,
  countryUri,
  ENCODING_BASE64,
  fileTypeUri,
  isInScheme,
  languageUri,
  lookupConcept,
  SCHEMES,
} from "../vocab/index.js";
import { pointer } from "./json.js";
import type { OutNode, OutValue, WriteContext } from "./write-context.js";
import {
  type ElmClass,
  type FieldRule,
  restrictedScheme,
  SCHEME_URI_PREFIXES,
  UNMAPPED_FIELDS,
} from "./write-tables.js";

/** Whether a canonical value carries anything (empty strings, arrays, maps and objects do not). */
export function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.some(isPresent);
  if (typeof v === "object") return Object.values(v).some(isPresent);
  return true;
}

/** A non-empty language map, or undefined. */
export function textOf(map: LangMap | undefined): LangMap | undefined {
  return map && Object.values(map).some((t) => typeof t === "string" && t.trim() !== "") ? map : undefined;
}

/** ELM writes `xsd:dateTime`: a plain date becomes midnight UTC of that day; anything else is written as given. */
export function dateTime(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

const AUTHORITY = "http://publications.europa.eu/resource/authority/";

/** The authority table a URI belongs to (`country`, `language`, `file-type`, `atu`), if any. */
function authorityOf(uri: string | undefined): string | undefined {
  if (!uri?.startsWith(AUTHORITY)) return undefined;
  return uri.slice(AUTHORITY.length).split("/")[0];
}

/** English name of a language tag, for concept labels. */
/** English language names, made once (constructing Intl.DisplayNames per credential was a CSV → ELM hot spot). */
let englishLanguageNames: Intl.DisplayNames | undefined;
/** Answers of {@link languageName} by tag (ICU's lookup itself is slow); bounded, tags come from input. */
const languageNames = new Map<string, string | undefined>();

function languageName(tag: string): string | undefined {
  if (languageNames.has(tag)) return languageNames.get(tag);
  let answer: string | undefined;
  try {
    englishLanguageNames ??= new Intl.DisplayNames(["en"], { type: "language" });
    const name = englishLanguageNames.of(tag);
    answer = name && name !== tag ? name : undefined;
  } catch {
    answer = undefined;
  }
  if (languageNames.size < 1024) languageNames.set(tag, answer);
  return answer;
}

/** A concept node as the EC writes it: `{id, type: "Concept", inScheme: {id, type: "ConceptScheme"}, prefLabel, notation}`. */
function conceptNode(
  ctx: WriteContext,
  id: string,
  scheme: string | undefined,
  label: LangMap | undefined,
  notation?: string,
): OutNode {
  const node: OutNode = { id, type: "Concept" };
  if (scheme) node.inScheme = { id: scheme, type: "ConceptScheme" };
  const prefLabel = ctx.lang(label);
  if (prefLabel) node.prefLabel = prefLabel;
  if (notation !== undefined) node.notation = notation;
  return node;
}

/** {@link SCHEME_URI_PREFIXES} as entries, made once (a concept is written many times per credential). */
const SCHEME_PREFIX_ENTRIES = Object.entries(SCHEME_URI_PREFIXES);

/**
 * A canonical concept as the value of `key` on a `cls` node. Where the shapes pin the property to a scheme (EQF level,
 * ISCED-F field, language…) the concept must be an IRI of it: one that is not is a loss, not a guess. A free concept
 * (no URI) elsewhere gets a `urn:epass:concept:<n>` id, as the EC does for its own concepts.
 */
export function concept(ctx: WriteContext, c: Concept, cls: ElmClass, key: string, path: string): OutNode | undefined {
  const required = restrictedScheme(cls, key);
  let uri = c.uri;
  if (uri === undefined && required === SCHEMES.language) {
    uri = languageUri(c.notation ?? Object.values(c.label ?? {})[0] ?? "");
  }
  if (uri === undefined && required === SCHEMES.country && c.notation) uri = countryUri(c.notation);
  const known = uri ? lookupConcept(uri) : undefined;
  const table = authorityOf(uri);
  const byPrefix =
    uri === undefined ? undefined : SCHEME_PREFIX_ENTRIES.find(([, prefix]) => uri.startsWith(prefix))?.[0];
  let scheme = c.scheme ?? known?.scheme ?? (table ? `${AUTHORITY}${table}` : byPrefix);
  if (required) {
    if (uri === undefined) {
      ctx.loss(path, `${key} must be a concept of ${required}; this one has no URI`);
      return undefined;
    }
    if (scheme !== required && byPrefix !== required && !isInScheme({ uri }, required)) {
      ctx.loss(path, `${key} must be a concept of ${required}, not ${scheme ?? uri}`);
      return undefined;
    }
    scheme = required;
  }
  let label = textOf(c.label) ?? (known ? { en: known.label } : undefined);
  if (!label && table === "country" && uri) label = labelOf(countryName(countryAlpha2(uri) ?? ""));
  return conceptNode(ctx, uri ?? ctx.newId("Concept"), scheme, label, c.notation ?? table);
}

const labelOf = (text: string | undefined): LangMap | undefined => (text ? { en: text } : undefined);

/** Several concepts of one property. */
export function concepts(
  ctx: WriteContext,
  cs: readonly Concept[],
  cls: ElmClass,
  key: string,
  path: string,
): OutNode[] {
  const out: OutNode[] = [];
  for (const [i, c] of cs.entries()) {
    const node = concept(ctx, c, cls, key, pointer(path, i));
    if (node) out.push(node);
  }
  return out;
}

/** The EU country concept of an alpha-2 code; an unknown code is a loss. */
export function countryConcept(ctx: WriteContext, alpha2: string, path: string): OutNode | undefined {
  const uri = countryUri(alpha2);
  if (!uri) {
    ctx.loss(path, `"${alpha2}" is not an ISO 3166-1 country the EU country table has`);
    return undefined;
  }
  const alpha3 = uri.slice(uri.lastIndexOf("/") + 1);
  return conceptNode(ctx, uri, SCHEMES.country, labelOf(countryName(alpha2) ?? alpha3), "country");
}

/** The EU language concept of a language tag, or undefined when the table has no code for it. */
export function languageConcept(ctx: WriteContext, tag: string): OutNode | undefined {
  const uri = languageUri(tag);
  if (!uri) return undefined;
  return conceptNode(ctx, uri, SCHEMES.language, labelOf(languageName(tag)), "language");
}

/** The EU file-type concept of a MIME type, or undefined when the table has no code for it. */
export function fileTypeConcept(ctx: WriteContext, mediaType: string | undefined): OutNode | undefined {
  const uri = mediaType ? fileTypeUri(mediaType) : undefined;
  if (!uri) return undefined;
  return conceptNode(ctx, uri, SCHEMES.fileType, { en: uri.slice(uri.lastIndexOf("/") + 1) }, "file-type");
}

/** The base64 content-encoding concept. */
export function base64Concept(ctx: WriteContext): OutNode {
  return conceptNode(ctx, ENCODING_BASE64.uri ?? "", ENCODING_BASE64.scheme, ENCODING_BASE64.label);
}

/** A `Note` holding a text. */
export function note(ctx: WriteContext, text: LangMap | undefined, path: string): OutNode | undefined {
  const literal = ctx.lang(textOf(text), "Note", "noteLiteral", path);
  if (!literal) return undefined;
  return { ...ctx.node("Note"), noteLiteral: literal };
}

/** A `WebResource` for a URL. */
export function webResource(ctx: WriteContext, url: string): OutNode | undefined {
  if (url.trim() === "") return undefined;
  return { ...ctx.node("WebResource"), contentURL: url };
}

/**
 * A `MediaObject` (logo, attachment, embedded evidence). ELM embeds the content (base64) and names its file type: a
 * linked file is a loss; a type the EU file-type table lacks is written without one, with a warning.
 */
export function mediaObject(ctx: WriteContext, m: Media, path: string, what: string): OutValue | undefined {
  if (!m.content) {
    ctx.loss(path, `${what} is linked${m.url ? ` (${m.url})` : ""}, and an ELM MediaObject holds embedded content`);
    return undefined;
  }
  return ctx.memo(m, "MediaObject", path, (node) => {
    const title = ctx.lang(textOf(m.title), "MediaObject", "title", pointer(path, "title"));
    if (title) node.title = title;
    node.content = m.content;
    node.contentEncoding = base64Concept(ctx);
    const type = fileTypeConcept(ctx, m.mediaType);
    if (type) node.contentType = type;
    else
      ctx.warn(
        pointer(path, "mediaType"),
        `${what}: media type ${m.mediaType ?? "(none)"} has no EU file-type concept`,
      );
    if (m.url) node.contentURL = m.url;
  });
}

/**
 * Writes the fields a rule table maps (text, concepts, notes, literals, references…) onto a node of class `cls`, in
 * table order. A value on a class the rule does not list is a loss. Returns the fields it handled.
 */
export function applyRules<T extends object, C extends ElmClass>(
  ctx: WriteContext,
  node: OutNode,
  cls: C,
  source: T,
  rules: readonly FieldRule<T, C>[],
  path: string,
): Set<string> {
  const handled = new Set<string>();
  const values = source as Record<string, unknown>;
  for (const rule of rules) {
    const field = String(rule.field);
    handled.add(field);
    const value = values[field];
    if (!isPresent(value) && typeof value !== "boolean") continue;
    const at = pointer(path, field);
    if (!(rule.in as readonly ElmClass[]).includes(cls)) {
      ctx.loss(at, `an ELM ${cls} has no ${rule.key}`);
      continue;
    }
    const list = Array.isArray(value) ? value : [value];
    switch (rule.as) {
      case "text":
        node[rule.key] = ctx.lang(value as LangMap, cls, rule.key, at);
        break;
      case "texts":
        node[rule.key] = ctx.langs(value as LangMap[]);
        break;
      case "note":
        ctx.set(node, cls, rule.key, [note(ctx, value as LangMap, at)], at, rule.max);
        break;
      case "notes":
        ctx.set(
          node,
          cls,
          rule.key,
          (list as LangMap[]).map((n, i) => note(ctx, n, pointer(at, i))),
          at,
          rule.max,
        );
        break;
      case "concept":
        ctx.set(node, cls, rule.key, [concept(ctx, value as Concept, cls, rule.key, at)], at, 1);
        break;
      case "concepts":
      case "languages":
        ctx.set(node, cls, rule.key, concepts(ctx, list as Concept[], cls, rule.key, at), at, rule.max);
        break;
      case "literal":
        node[rule.key] = value;
        break;
      case "duration":
        node[rule.key] = value;
        break;
      case "date":
        node[rule.key] = dateTime(String(value));
        break;
      case "webResources": {
        // `#id` is a reference inside the source (an ELMO attachment's local id), not a URL: ELM's WebResource
        // needs a URL, and the attachment itself is written as evidence.
        const urls: string[] = [];
        for (const [i, u] of (list as string[]).entries()) {
          if (u.startsWith("#")) {
            ctx.loss(
              pointer(at, i),
              "a reference to an attachment of the source, not a URL: the attachment is written as evidence, and ELM links no evidence from here",
            );
          } else urls.push(u);
        }
        if (urls.length > 0) {
          ctx.set(
            node,
            cls,
            rule.key,
            urls.map((u) => webResource(ctx, u)),
            at,
            rule.max,
          );
        }
        break;
      }
      case "refs":
        ctx.refer(
          node,
          cls,
          rule.key,
          list as string[],
          at,
          cls === "LearningAchievementSpecification" ? [cls, "Qualification"] : [cls],
        );
        break;
      case "credits":
        ctx.set(
          node,
          cls,
          rule.key,
          (list as Credit[]).map((c, i) => creditPoint(ctx, c, pointer(at, i))),
          at,
          rule.max,
        );
        break;
    }
    if (node[rule.key] === undefined) delete node[rule.key];
  }
  return handled;
}

/**
 * The handled fields as a set. Callers pass module-level constant lists (never mutated), so each list's set is made
 * once instead of once per node written (hot path); the cache is weak, so one-off lists cost nothing.
 */
const handledSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function handledSet(handled: ReadonlySet<string> | readonly string[]): ReadonlySet<string> {
  if (!Array.isArray(handled)) return handled as ReadonlySet<string>;
  const list = handled as readonly string[];
  let set = handledSets.get(list);
  if (set === undefined) {
    set = new Set(list);
    handledSets.set(list, set);
  }
  return set;
}

/** Reports the fields of a canonical object that no rule or builder wrote, as losses. */
export function reportUnhandled(
  ctx: WriteContext,
  source: object,
  handled: ReadonlySet<string> | readonly string[],
  cls: ElmClass | "credential",
  path: string,
): void {
  const done = handledSet(handled);
  const values = source as Record<string, unknown>;
  for (const field of Object.keys(values)) {
    if (done.has(field) || field === "id" || field === "kind" || !isPresent(values[field])) continue;
    ctx.loss(pointer(path, field), UNMAPPED_FIELDS[field] ?? `an ELM ${cls} has no place for ${field}`);
  }
}

/** A `CreditPoint`: framework (ECTS, ECVET…) and points, a string. ELM requires both. */
export function creditPoint(ctx: WriteContext, c: Credit, path: string): OutNode | undefined {
  if (!c.points.trim()) return undefined;
  const node = ctx.node("CreditPoint");
  if (c.framework) {
    const framework = concept(ctx, c.framework, "CreditPoint", "framework", pointer(path, "framework"));
    if (framework) node.framework = framework;
  } else if (ctx.fill.creditFramework) {
    const framework = concept(ctx, ctx.fill.creditFramework, "CreditPoint", "framework", pointer(path, "framework"));
    if (framework) {
      node.framework = framework;
      ctx.derived.mark(node, "framework", "options.fill.creditFramework: the source names no credit system");
    }
  } else {
    ctx.warn(
      pointer(path, "framework"),
      "credit points without a credit system: ELM requires one (ECTS is not assumed)",
    );
  }
  node.point = c.points.trim();
  return node;
}
