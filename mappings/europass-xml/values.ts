/**
 * Value readers of the legacy Europass XML reader (`read.ts`): texts by language, concepts, identifiers, media,
 * locations and notes, as the genericschema XSDs type them. Pure.
 */
import type { Concept, Identifier, LangMap, Location, Media } from "../model.js";
import { countryAlpha2, mediaTypeOf } from "../vocab/index.js";
import type { XNode } from "../xml/node.js";
/** `<title><text lang="en">…</text></title>` → `{en: "…"}`. */
export function texts(n: XNode | undefined): LangMap | undefined {
  if (!n) return undefined;
  const map: LangMap = {};
  for (const t of n.all("text")) {
    const v = t.own();
    const lang = (t.attr("lang") ?? t.attr("xml:lang") ?? "und").toLowerCase();
    if (v && map[lang] === undefined) map[lang] = v;
  }
  if (Object.keys(map).length === 0 && n.own()) map.und = n.own();
  return Object.keys(map).length > 0 ? map : undefined;
}

/** A coded element (`uri`, `targetFrameworkUrl`, `targetName`) → a concept. */
export function concept(n: XNode | undefined): Concept | undefined {
  if (!n) return undefined;
  // URIs are trimmed: the EDC samples write some with a trailing space, which JSON-LD takes for a relative IRI.
  const uri = n.attr("uri")?.trim();
  const label = texts(n.first("targetName"));
  const scheme = n.attr("targetFrameworkUrl")?.trim();
  if (!uri && !label) return undefined;
  return { ...(uri ? { uri } : {}), ...(label ? { label } : {}), ...(scheme ? { scheme } : {}) };
}

/** An `identifier` (`IdentifierType`, `schemeID`): an eIDAS identifier when its scheme says so. */
export function identifierOf(x: XNode): Identifier | undefined {
  const value = x.own();
  if (!value) return undefined;
  const scheme = x.attr("schemeID") ?? x.attr("schemeName") ?? "identifier";
  return { value, kind: /eidas/i.test(scheme) ? "eidas" : "other", scheme };
}

/** A `MediaObjectType` (logo, attachment, background): content, its file type, its URL. */
export function media(n: XNode | undefined): Media | undefined {
  if (!n) return undefined;
  const content = n.text("content")?.replace(/\s+/g, "");
  const url = n.text("contentUrl");
  const fileType = n.first("contentType")?.attr("uri");
  const mediaType = fileType ? mediaTypeOf(fileType) : undefined;
  if (!content && !url) return undefined;
  const id = n.attr("id");
  return {
    ...(id ? { id } : {}),
    ...(content ? { content } : {}),
    ...(url ? { url } : {}),
    ...(mediaType ? { mediaType } : {}),
  };
}

/** A `LocationType` (`id`, `name`, `hasAddress` with `fullAddress` and `country`); undefined when it holds nothing. */
export function location(n: XNode): Location | undefined {
  const address = n.first("hasAddress");
  const country = countryAlpha2(address?.first("country")?.attr("uri") ?? "");
  const full = texts(address?.first("fullAddress"));
  const name = texts(n.first("name"));
  const id = n.text("id");
  if (!country && !full && !name) return undefined;
  return {
    ...(id ? { id } : {}),
    ...(name ? { name } : {}),
    ...(country || full ? { address: { ...(country ? { country } : {}), ...(full ? { full } : {}) } } : {}),
  };
}

/** Concepts of the children `name`. */
export const concepts = (n: XNode, name: string): Concept[] =>
  n.all(name).flatMap((c) => {
    const k = concept(c);
    return k ? [k] : [];
  });

/** {@link concepts}, each traced to its element at `at/<i>`. */
export function tracedConcepts(n: XNode, name: string, at: string): Concept[] {
  const out: Concept[] = [];
  for (const c of n.all(name)) {
    const k = concept(c);
    if (!k) continue;
    n.trace(`${at}/${out.length}`, c.path);
    out.push(k);
  }
  return out;
}

/** `identifier` children (`schemeID` attribute) as identifiers. */
export const identifiers = (n: XNode): Identifier[] =>
  n.all("identifier").flatMap((x) => {
    const value = x.own();
    return value ? [{ value, kind: "other" as const, scheme: x.attr("schemeID") ?? "identifier" }] : [];
  });

/** `additionalNote` children as texts. */
export const notes = (n: XNode): LangMap[] =>
  n.all("additionalNote").flatMap((x) => {
    const t = texts(x);
    return t ? [t] : [];
  });
