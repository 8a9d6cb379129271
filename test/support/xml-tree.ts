/**
 * A small XML tree for tests, built with fast-xml-parser (not the gateway's parser), and the XPath subset fact
 * sheets and loss reports use: absolute location paths of local names (prefixes ignored), `//` for any depth, `*`,
 * and predicates `[n]` (1-based among same-named siblings), `[@attr='v']`, `[child='v']`; a last step `@attr` or
 * `text()`.
 */
import { XMLParser } from "fast-xml-parser";

export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  /** The element's own text, whitespace collapsed. */
  text: string;
  /** Unique identity: the chain of `name#index` from the root (index among all the parent's children). */
  trail: string[];
}

const local = (qname: string): string => qname.slice(qname.indexOf(":") + 1);
const collapse = (s: string): string => s.replace(/\s+/g, " ").trim();

type Ordered = Record<string, unknown>;

export function parseXmlTree(text: string): XNode {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: "#comment",
  });
  const nodes = parser.parse(text) as Ordered[];
  const build = (entry: Ordered, trail: string[]): XNode | undefined => {
    const tag = Object.keys(entry).find((k) => k !== ":@");
    if (!tag || tag === "#text" || tag === "#comment" || tag.startsWith("?") || tag.startsWith("!")) return undefined;
    const attrs = (entry[":@"] ?? {}) as Record<string, string>;
    const node: XNode = { name: local(tag), attrs, children: [], text: "", trail };
    let own = "";
    for (const [i, child] of ((entry[tag] ?? []) as Ordered[]).entries()) {
      if ("#text" in child) own += String(child["#text"]);
      else if ("__cdata" in child) own += String((child.__cdata as Ordered[])[0]?.["#text"] ?? "");
      else {
        const built = build(child, [...trail, `${local(Object.keys(child).find((k) => k !== ":@") ?? "")}#${i}`]);
        if (built) node.children.push(built);
      }
    }
    node.text = collapse(own);
    return node;
  };
  for (const [i, entry] of nodes.entries()) {
    const tag = Object.keys(entry).find((k) => k !== ":@");
    if (tag && !tag.startsWith("?") && tag !== "#text" && tag !== "#comment") {
      const root = build(entry, [`${local(tag)}#${i}`]);
      if (root) return root;
    }
  }
  throw new Error("no root element");
}

/** The attribute by local name (`lang` finds `xml:lang`). */
export function attr(node: XNode, name: string): string | undefined {
  for (const [k, v] of Object.entries(node.attrs)) if (local(k) === name) return v;
  return undefined;
}

interface Step {
  axis: "child" | "descendant";
  name: string;
  predicates: string[];
}

function parseSteps(path: string): Step[] | undefined {
  if (!path.startsWith("/")) return undefined;
  const steps: Step[] = [];
  let rest = path;
  while (rest.length > 0) {
    const axis = rest.startsWith("//") ? "descendant" : "child";
    rest = rest.slice(axis === "descendant" ? 2 : 1);
    let i = 0;
    let depth = 0;
    while (i < rest.length && (depth > 0 || rest[i] !== "/")) {
      if (rest[i] === "[") depth++;
      else if (rest[i] === "]") depth--;
      i++;
    }
    const raw = rest.slice(0, i);
    rest = rest.slice(i);
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(raw);
    if (!m?.[1]) return undefined;
    const predicates = [...(m[2] ?? "").matchAll(/\[([^\]]*)\]/g)].map((p) => p[1] ?? "");
    steps.push({ axis, name: m[1], predicates });
  }
  return steps;
}

export interface Selected {
  trail: string[];
  value: string;
}

const unquote = (s: string): string => s.trim().replace(/^['"]|['"]$/g, "");

function matches(node: XNode, predicate: string): boolean {
  const a = /^@([\w:.-]+)\s*=\s*(.+)$/.exec(predicate);
  if (a?.[1] && a[2]) return attr(node, local(a[1])) === unquote(a[2]);
  const c = /^([\w:.-]+)\s*=\s*(.+)$/.exec(predicate);
  if (c?.[1] && c[2]) {
    const want = unquote(c[2]);
    return node.children.some((k) => k.name === local(c[1] ?? "") && k.text === want);
  }
  return true;
}

/** The elements, attributes or texts an XPath of the subset selects; empty when it selects nothing or is not one. */
export function resolveXPath(root: XNode, path: string): Selected[] {
  const steps = parseSteps(path.trim());
  if (!steps || steps.length === 0) return [];
  const descendants = (n: XNode): XNode[] => [n, ...n.children.flatMap(descendants)];
  let current: XNode[] = [];
  let first = true;
  for (const [index, step] of steps.entries()) {
    const last = index === steps.length - 1;
    if (last && step.name.startsWith("@")) {
      const name = local(step.name.slice(1));
      return current.flatMap((n) => {
        const v = attr(n, name);
        return v === undefined ? [] : [{ trail: [...n.trail, `@${name}`], value: v }];
      });
    }
    if (last && step.name === "text()") return current.map((n) => ({ trail: n.trail, value: n.text }));
    const pool: XNode[][] = first
      ? step.axis === "child"
        ? [[root]]
        : [descendants(root)]
      : current.map((n) => (step.axis === "child" ? n.children : n.children.flatMap(descendants)));
    first = false;
    const next: XNode[] = [];
    for (const candidates of pool) {
      let named = candidates.filter((n) => step.name === "*" || n.name === local(step.name));
      for (const predicate of step.predicates) {
        if (/^\d+$/.test(predicate.trim())) {
          const k = named[Number(predicate) - 1];
          named = k ? [k] : [];
        } else named = named.filter((n) => matches(n, predicate));
      }
      next.push(...named);
    }
    current = next;
  }
  return current.map((n) => ({ trail: n.trail, value: n.text }));
}

/** A leaf of a written document: its path of names (no indexes), its text and its language, if tagged. */
export interface Leaf {
  path: string;
  value: string;
  lang?: string;
  /** XML leaves: the element's identity ({@link XNode.trail}), plus `@attr` for an attribute. */
  trail?: string[];
}

/** Every element text and attribute value of an XML document, as leaves (`/elmo/report/issuer/title`, `…/@type`). */
export function xmlLeaves(root: XNode): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (n: XNode, path: string, lang: string | undefined) => {
    const here = `${path}/${n.name}`;
    const own = attr(n, "lang") ?? lang;
    for (const [k, v] of Object.entries(n.attrs)) {
      if (k.startsWith("xmlns")) continue;
      leaves.push({ path: `${here}/@${local(k)}`, value: v, trail: [...n.trail, `@${local(k)}`] });
    }
    if (n.text !== "") leaves.push({ path: here, value: n.text, trail: n.trail, ...(own ? { lang: own } : {}) });
    for (const c of n.children) walk(c, here, own);
  };
  walk(root, "", undefined);
  return leaves;
}
