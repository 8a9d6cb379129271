/**
 * Reading an XML element tree with provenance, for the XML readers (ELMO, legacy Europass).
 *
 * Pointer convention for XML sources: an XPath-like path of element local names, each child followed by its index
 * among the siblings of the same name (0-based), the root written without index; an attribute is `@name` at the end;
 * the text of an element is the element's own pointer. Examples: `/elmo/report/0/issuer/0/title/1`,
 * `/elmo/report/0/learningOpportunitySpecification/2/specifies/0/learningOpportunityInstance/0/credit/0/value/0`,
 * `/elmo/learner/0/identifier/1/@type`. These are what `provenance.paths` values, losses, warnings and extensions
 * hold, so a caller can find each value in the document it sent.
 */
import type { Extension, LangMap, ReadIssue } from "../model.js";
import type { XmlElement } from "./safe-parse.js";

/** What a read collects: canonical → source paths, extensions, warnings. */
export interface XmlReadLog {
  paths: Record<string, string>;
  extensions: Extension[];
  warnings: ReadIssue[];
}

export const newXmlReadLog = (): XmlReadLog => ({ paths: {}, extensions: [], warnings: [] });

/** A plain-data copy of an element, for extensions (attributes under `@`, text under `#text`, children by name). */
export function plainXml(el: XmlElement): unknown {
  const text = el.text.trim();
  if (el.children.length === 0 && Object.keys(el.attrs).filter((k) => !k.startsWith("xmlns")).length === 0) {
    return text;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(el.attrs)) if (!k.startsWith("xmlns")) out[`@${k}`] = v;
  if (text) out["#text"] = text;
  for (const c of el.children) {
    const list = Array.isArray(out[c.name]) ? (out[c.name] as unknown[]) : [];
    list.push(plainXml(c));
    out[c.name] = list;
  }
  return out;
}

/** An element with its pointer. */
export class XNode {
  constructor(
    readonly el: XmlElement,
    readonly path: string,
    readonly log: XmlReadLog,
  ) {}

  get name(): string {
    return this.el.name;
  }

  /** Children named `name`, with their pointers. */
  all(name: string): XNode[] {
    let k = 0;
    const out: XNode[] = [];
    for (const c of this.el.children) {
      if (c.name === name) out.push(new XNode(c, `${this.path}/${name}/${k++}`, this.log));
    }
    return out;
  }

  first(name: string): XNode | undefined {
    return this.all(name)[0];
  }

  /** Trimmed text of the first child `name`, or undefined when absent or empty. */
  text(name: string): string | undefined {
    const t = this.first(name)?.el.text.trim();
    return t ? t : undefined;
  }

  /** This element's own trimmed text. */
  own(): string {
    return this.el.text.trim();
  }

  attr(name: string): string | undefined {
    return this.el.attrs[name];
  }

  /** All children with their pointers (indexes per name). */
  children(): XNode[] {
    const counts: Record<string, number> = {};
    return this.el.children.map((c) => {
      const k = counts[c.name] ?? 0;
      counts[c.name] = k + 1;
      return new XNode(c, `${this.path}/${c.name}/${k}`, this.log);
    });
  }

  /** Records where a canonical value came from. */
  trace(canonical: string, source: string = this.path): void {
    this.log.paths[canonical] = source;
  }

  warn(message: string, path: string = this.path): void {
    this.log.warnings.push({ path, message });
  }

  /** Keeps an element the model has no place for. */
  keep(node: XNode = this): void {
    this.log.extensions.push({ path: node.path, value: plainXml(node.el) });
  }

  /** Keeps every child whose name is not in `known`. */
  keepUnknown(known: readonly string[]): void {
    for (const c of this.children()) if (!known.includes(c.name)) this.keep(c);
  }
}

/** A language map of the children `name` (`xml:lang`, `und` when absent); the first of each language wins. */
export function langMapOf(nodes: XNode[], fallback = "und"): LangMap | undefined {
  const map: LangMap = {};
  for (const n of nodes) {
    const t = n.own();
    if (!t) continue;
    const lang = (n.attr("xml:lang") ?? n.attr("lang") ?? fallback).toLowerCase();
    if (map[lang] === undefined) map[lang] = t;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}
