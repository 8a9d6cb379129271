/**
 * Parsing untrusted XML safely (ELMO transcripts, legacy Europass credentials). fast-xml-parser expands internal
 * entities by default and no option of it refuses a DOCTYPE (research/toolchain-spike.md §7), so before it sees the
 * text this module refuses: documents over the size limit, any `<!DOCTYPE` or `<!ENTITY` (XXE, billion laughs,
 * quadratic blow-up), nesting deeper than the depth limit (counted by a linear scan, never by recursion) and
 * unclosed elements (truncated files). The parser then runs with entities off; this module decodes the five
 * predefined entities and numeric character references itself, and leaves CDATA as it is.
 *
 * The result is a small namespace-aware tree: each element has its local name, its namespace URI (resolved from the
 * `xmlns` declarations in scope), its attributes (decoded) and its text (decoded text and CDATA, concatenated).
 * Problems carry the position as `line L, column C` (1-based) in the message.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { isRecord } from "../../lib/guards.js";

export interface XmlElement {
  /** Local name (prefix removed). */
  name: string;
  /** Prefix as written, if any. */
  prefix?: string;
  /** Namespace URI in scope for the element, if any. */
  ns?: string;
  /** Attributes by qualified name as written (`type`, `xml:lang`), values decoded. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (text nodes and CDATA sections, decoded, concatenated; not its descendants'). */
  text: string;
}

export interface XmlLimits {
  /** Largest accepted document, in UTF-8 bytes (default 10 MiB). */
  maxBytes: number;
  /** Deepest accepted element nesting (default 256). */
  maxDepth: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 10 * 1024 * 1024, maxDepth: 256 };

/**
 * What a caller accepts beyond the default. `externalDoctype`: a document type declaration that only names an
 * external DTD (`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://…/svg11.dtd">`, as SVG 1.1 editors write)
 * is skipped: the DTD is never fetched and nothing in it is declared here, so it can neither read a file nor expand
 * an entity. An internal subset (`[ … ]`, where entities are declared) is still refused.
 */
export interface XmlOptions {
  externalDoctype?: boolean;
}

export interface XmlIssue {
  path: string;
  message: string;
}

export type ParseXmlResult = { ok: true; doc: XmlElement } | { ok: false; issues: XmlIssue[] };

/** `line L, column C` (1-based) of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

const at = (text: string, offset: number): string => {
  const { line, column } = positionOf(text, offset);
  return `at line ${line}, column ${column}`;
};

const refuse = (message: string): ParseXmlResult => ({ ok: false, issues: [{ path: "/", message }] });

/**
 * The pre-parse scan: refuses declarations (DOCTYPE, ENTITY and any other `<!…>` outside comments and CDATA), counts
 * the nesting depth and finds unclosed elements. Linear in the text; no recursion, no regular expression
 * backtracking on attacker-controlled input.
 */
function scan(
  text: string,
  maxDepth: number,
  options: XmlOptions,
): { error: string } | { error?: undefined; doctype?: [number, number] } {
  const open: { name: string; offset: number }[] = [];
  let doctype: [number, number] | undefined;
  let rootSeen = false;
  let i = text.indexOf("<");
  while (i !== -1) {
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end === -1) return { error: `unterminated comment ${at(text, i)}` };
      i = text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9);
      if (end === -1) return { error: `unterminated CDATA section ${at(text, i)}` };
      i = text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end === -1) return { error: `unterminated processing instruction ${at(text, i)}` };
      i = text.indexOf("<", end + 2);
      continue;
    }
    if (text.startsWith("<!", i)) {
      const what = /^<!\s*([A-Za-z]*)/.exec(text.slice(i, i + 20))?.[1]?.toUpperCase() || "declaration";
      if (options.externalDoctype && text.startsWith("<!DOCTYPE", i) && !doctype && !rootSeen) {
        const end = externalDoctypeEnd(text, i);
        if (typeof end === "number") {
          doctype = [i, end];
          i = text.indexOf("<", end);
          continue;
        }
        return { error: `${end.problem} ${at(text, i)}` };
      }
      return {
        error: `${what === "DOCTYPE" ? "a DOCTYPE" : `a <!${what}> declaration`} is not accepted (DTDs and entities are refused: XXE, entity expansion) ${at(text, i)}`,
      };
    }
    rootSeen = true;
    // An element tag: find its end, skipping quoted attribute values.
    let j = i + 1;
    let quote = "";
    for (; j < text.length; j++) {
      const ch = text[j];
      if (quote) {
        if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === ">") break;
      else if (ch === "<") return { error: `unexpected "<" inside a tag ${at(text, j)}` };
    }
    if (j >= text.length)
      return { error: `unterminated tag ${at(text, i)}: the document ends at ${at(text, text.length)}` };
    if (text[i + 1] === "/") {
      const name = /^<\/([^\s>]+)/.exec(text.slice(i, Math.min(j + 1, i + 200)))?.[1] ?? "?";
      const top = open.pop();
      if (!top) return { error: `closing tag </${name}> with no open element ${at(text, i)}` };
      if (top.name !== name) {
        return {
          error: `closing tag </${name}> ${at(text, i)} does not match <${top.name}> opened ${at(text, top.offset)}`,
        };
      }
    } else if (text[j - 1] !== "/") {
      const name = /^<([^\s/>]+)/.exec(text.slice(i, Math.min(j + 1, i + 200)))?.[1] ?? "?";
      open.push({ name, offset: i });
      if (open.length > maxDepth) return { error: `elements nest deeper than ${maxDepth} levels ${at(text, i)}` };
    }
    i = text.indexOf("<", j + 1);
  }
  const last = open[open.length - 1];
  if (last) {
    return {
      error: `element <${last.name}> opened ${at(text, last.offset)} is not closed: the document ends (truncated?) ${at(text, text.length)}`,
    };
  }
  return doctype ? { doctype } : {};
}

/**
 * The end (just past `>`) of a DOCTYPE at `start` that names only an external identifier: `<!DOCTYPE name>`,
 * `<!DOCTYPE name SYSTEM "uri">` or `<!DOCTYPE name PUBLIC "pubid" "uri">` (XML 1.0 §2.8, production 28 without
 * `intSubset`); or why it is refused. A linear walk, no regular expression over the whole text.
 */
function externalDoctypeEnd(text: string, start: number): number | { problem: string } {
  const refuse = (why: string) => ({
    problem: `a DOCTYPE ${why} is not accepted (only a DOCTYPE naming an external DTD, which is never fetched, is)`,
  });
  let k = start + "<!DOCTYPE".length;
  const space = () => {
    const from = k;
    while (k < text.length && /\s/.test(text.charAt(k))) k++;
    return k > from;
  };
  const literal = (): boolean => {
    const q = text.charAt(k);
    if (q !== '"' && q !== "'") return false;
    const close = text.indexOf(q, k + 1);
    if (close < 0 || text.slice(k + 1, close).includes("<")) return false;
    k = close + 1;
    return true;
  };
  if (!space()) return refuse("without a name");
  const name = /^[A-Za-z_:][\w.:-]*/.exec(text.slice(k, k + 200))?.[0];
  if (!name) return refuse("without a name");
  k += name.length;
  const spaced = space();
  const keyword = text.slice(k, k + 6);
  if (spaced && (keyword === "SYSTEM" || keyword === "PUBLIC")) {
    k += 6;
    if (!space() || !literal()) return refuse(`with a malformed ${keyword} identifier`);
    if (keyword === "PUBLIC") {
      if (!space() || !literal()) return refuse("with a malformed PUBLIC identifier");
    }
    space();
  }
  if (text.charAt(k) === "[") return refuse("with an internal subset (entity declarations)");
  if (text.charAt(k) !== ">") return refuse("that is malformed");
  return k + 1;
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references; anything else stays as written. */
export function decodeXmlText(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== "#") return PREDEFINED[ref] ?? whole;
    const code = ref[1] === "x" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    const valid =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  processEntities: false,
  htmlEntities: false,
  cdataPropName: "#cdata",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // No callback here reads the element path: without this the parser renders it as a string for every text and tag.
  jPath: false,
});

type Ordered = Record<string, unknown>;

/** Text of a `#cdata` node's children (kept raw: CDATA is not entity-decoded). */
function cdataText(children: unknown): string {
  if (!Array.isArray(children)) return "";
  return children.map((c) => (isRecord(c) && typeof c["#text"] === "string" ? c["#text"] : "")).join("");
}

/** Turns fast-xml-parser's ordered output into {@link XmlElement}s; depth is bounded by the scan. */
function build(node: Ordered, scope: Record<string, string>): XmlElement | undefined {
  const qname = Object.keys(node).find((k) => k !== ":@");
  if (qname === undefined || qname.startsWith("#")) return undefined;
  const rawAttrs = isRecord(node[":@"]) ? node[":@"] : {};
  const attrs: Record<string, string> = {};
  let inner = scope;
  for (const [k, v] of Object.entries(rawAttrs)) {
    const value = decodeXmlText(String(v));
    attrs[k] = value;
    if (k === "xmlns" || k.startsWith("xmlns:")) {
      if (inner === scope) inner = { ...scope };
      inner[k === "xmlns" ? "" : k.slice(6)] = value;
    }
  }
  const colon = qname.indexOf(":");
  const prefix = colon === -1 ? undefined : qname.slice(0, colon);
  const name = colon === -1 ? qname : qname.slice(colon + 1);
  const ns = inner[prefix ?? ""];
  const el: XmlElement = { name, attrs, children: [], text: "" };
  if (prefix !== undefined) el.prefix = prefix;
  if (ns) el.ns = ns;
  const content = node[qname];
  if (Array.isArray(content)) {
    for (const child of content) {
      if (!isRecord(child)) continue;
      if (typeof child["#text"] === "string") el.text += decodeXmlText(child["#text"]);
      else if ("#cdata" in child) el.text += cdataText(child["#cdata"]);
      else {
        const built = build(child, inner);
        if (built) el.children.push(built);
      }
    }
  }
  return el;
}

/**
 * Parses untrusted XML text into an element tree, or says why not (with line and column). Never throws; never
 * expands entities or reads anything outside the text.
 */
export function parseXml(input: string, limits: Partial<XmlLimits> = {}, options: XmlOptions = {}): ParseXmlResult {
  const { maxBytes, maxDepth } = { ...DEFAULT_XML_LIMITS, ...limits };
  if (input.length > maxBytes || Buffer.byteLength(input, "utf8") > maxBytes) {
    return refuse(`the XML document is larger than ${maxBytes} bytes at line 1, column 1`);
  }
  const unmarked = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (unmarked.trim() === "") return refuse("the XML document is empty at line 1, column 1");
  const scanned = scan(unmarked, maxDepth, options);
  if (scanned.error !== undefined) return refuse(scanned.error);
  // An accepted external-identifier DOCTYPE is blanked (same length, so later positions stay right): the parser then
  // never sees a declaration at all.
  const text = scanned.doctype
    ? `${unmarked.slice(0, scanned.doctype[0])}${" ".repeat(scanned.doctype[1] - scanned.doctype[0])}${unmarked.slice(scanned.doctype[1])}`
    : unmarked;
  try {
    const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
    if (valid !== true) {
      return refuse(`not well-formed XML: ${valid.err.msg} at line ${valid.err.line}, column ${valid.err.col}`);
    }
    const ordered: unknown = parser.parse(text);
    const top = Array.isArray(ordered) ? ordered.filter(isRecord) : [];
    const roots = top.map((n) => build(n, { xml: "http://www.w3.org/XML/1998/namespace" })).filter((e) => !!e);
    const [root, ...more] = roots;
    if (!root) return refuse("the XML document has no root element at line 1, column 1");
    if (more.length > 0) return refuse("the XML document has more than one root element at line 1, column 1");
    return { ok: true, doc: root };
  } catch (e) {
    return refuse(`not well-formed XML: ${e instanceof Error ? e.message : String(e)} at line 1, column 1`);
  }
}

/** The child elements named `name` (local name). */
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);

/** Whether the text looks like XML (after a BOM and whitespace, it starts with `<`). */
export function looksLikeXml(input: unknown): input is string {
  if (typeof input !== "string") return false;
  const t = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  return t.trimStart().startsWith("<");
}
