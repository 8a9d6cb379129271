/**
 * Fact sheets: what a corpus credential says, written by hand by reading the source document (never the gateway's
 * output), each fact with where it stands in the source. The fidelity test (test/corpus/facts.test.ts) checks that
 * every conversion of the document carries each fact or reports it as a loss pointing into the source.
 *
 * Sheets live in test/corpus/facts/<corpus path>.json, mirroring the corpus tree.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeJwt } from "jose";
import { corpusPath } from "./corpus.js";
import { parseXmlTree, resolveXPath, type XNode } from "./xml-tree.js";

/** What a fact is about; each kind has a place in each target format (the test's locators). */
export const FACT_KINDS = [
  "learner.givenName",
  "learner.familyName",
  "learner.fullName",
  "learner.birthDate",
  "learner.identifier",
  "learner.email",
  /** The title of the credential or of what it attests (the top achievement, a transcript's programme). */
  "title",
  "description",
  "awardingBody.name",
  "awardingBody.country",
  "issuer.name",
  "issuer.id",
  "issuer.country",
  "issued",
  "validFrom",
  "validUntil",
  "awardingDate",
  "startDate",
  "endDate",
  /** A learning outcome or an aligned skill / competency. */
  "outcome",
  /** Credit points of one node (course, programme); the value is the number as written. */
  "credits",
  /** EQF / NQF level. */
  "level",
  /** A grade or result value; `lang` when the source tags its language. */
  "grade",
  /** An assessment's title or type. */
  "assessment",
  /** Form of participation / mode of learning. */
  "participation",
  /** Quality assurance: an accreditation, a licence, a DEQAR report. */
  "qualityAssurance",
  /** The title of a part in the course tree (a course of a transcript, a module of a programme). */
  "part",
  /** Field of study (ISCED-F or free text). */
  "field",
  /** Language of instruction. */
  "language",
  /** An entitlement the credential gives (to further study, to practise an occupation). */
  "entitlement",
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface Fact {
  kind: FactKind;
  /** The value as the source writes it (whitespace may be collapsed). */
  value: string;
  /** The language the source tags the value with (`xml:lang`, an ELM language map key). */
  lang?: string;
  /** Where the value is: a JSON Pointer (JSON sources) or an XPath of local names (XML sources). */
  at: string;
  /**
   * The same value as other formats spell it, from the standards (a country's alpha-3 code and EU authority URI, an
   * EQF level's notation and concept URI, `mailto:` before an address). Never a gateway output.
   */
  same?: string[];
}

/** How the source's credential is carried when it is not the file itself. */
/** `jades`: a JAdES JSON envelope whose `payload` is the credential as JSON text (paths start `/payload/`). */
export type Carrier = "json" | "xml" | "jwt" | "png" | "jades";

export interface FactSheet {
  /** Corpus path of the source document. */
  source: string;
  carrier: Carrier;
  /** What the sheet's author read, in a sentence. */
  summary: string;
  facts: Fact[];
}

const FACTS_DIR = resolve(fileURLToPath(new URL("../corpus/facts", import.meta.url)));

/** Every fact sheet, by corpus path. */
export function loadFactSheets(): FactSheet[] {
  const sheets: FactSheet[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json")) {
        const sheet = JSON.parse(readFileSync(full, "utf8")) as FactSheet;
        const expected = relative(FACTS_DIR, full).replace(/\.json$/, "");
        if (sheet.source !== expected) throw new Error(`${full}: source ${sheet.source} is not ${expected}`);
        sheets.push(sheet);
      }
    }
  };
  walk(FACTS_DIR);
  return sheets.sort((a, b) => a.source.localeCompare(b.source));
}

/** The request document of a source file: its text, or the PNG as base64. */
export function sourceDocument(sheet: Pick<FactSheet, "source" | "carrier">): string {
  const path = corpusPath(sheet.source);
  return sheet.carrier === "png" ? readFileSync(path).toString("base64") : readFileSync(path, "utf8");
}

/** The PNG's `openbadgecredential` iTXt chunk (Open Badges 3.0 baking), read without the gateway's code. */
function unbakePng(bytes: Buffer): string {
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === "iTXt") {
      const keywordEnd = data.indexOf(0);
      if (data.toString("latin1", 0, keywordEnd) === "openbadgecredential") {
        // keyword\0 compression-flag compression-method language\0 translated-keyword\0 text
        let p = keywordEnd + 3;
        p = data.indexOf(0, p) + 1;
        p = data.indexOf(0, p) + 1;
        return data.toString("utf8", p);
      }
    }
    at += 12 + length;
  }
  throw new Error("no openbadgecredential iTXt chunk");
}

/** The source as the facts' paths address it: parsed JSON (a JWT's payload, a PNG's baked credential) or XML. */
export type SourceTree = { kind: "json"; value: unknown; text: string } | { kind: "xml"; root: XNode; text: string };

export function sourceTree(sheet: Pick<FactSheet, "source" | "carrier">): SourceTree {
  const path = corpusPath(sheet.source);
  if (sheet.carrier === "xml") {
    const text = readFileSync(path, "utf8");
    return { kind: "xml", root: parseXmlTree(text), text };
  }
  if (sheet.carrier === "png") {
    const text = unbakePng(readFileSync(path));
    return { kind: "json", value: JSON.parse(text), text };
  }
  if (sheet.carrier === "jwt") {
    const value = decodeJwt(readFileSync(path, "utf8").trim());
    return { kind: "json", value, text: JSON.stringify(value) };
  }
  const text = readFileSync(path, "utf8");
  if (sheet.carrier === "jades") {
    const envelope = JSON.parse(text) as { payload: string };
    return { kind: "json", value: { ...envelope, payload: JSON.parse(envelope.payload) }, text };
  }
  return { kind: "json", value: JSON.parse(text), text };
}

/** RFC 6901: the value at a JSON Pointer, or undefined. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
      node = node[Number(key)];
    } else if (node !== null && typeof node === "object" && Object.hasOwn(node, key)) {
      node = (node as Record<string, unknown>)[key];
    } else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The nodes a path names in the source: for JSON the pointer itself (when it resolves), for XML the elements or
 * attributes the XPath selects, each as a path of ancestors so that coverage (ancestor / descendant) can be decided.
 */
export function resolveInSource(tree: SourceTree, path: string): string[][] {
  if (tree.kind === "json") {
    if (atPointer(tree.value, path) === undefined) return [];
    return [path === "" ? [] : path.slice(1).split("/")];
  }
  return resolveXPath(tree.root, path).map((n) => n.trail);
}

/** The string value at a fact's path (JSON scalar, XML element text or attribute). */
export function valuesInSource(tree: SourceTree, path: string): string[] {
  if (tree.kind === "json") {
    const v = atPointer(tree.value, path);
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? [String(v)] : [];
  }
  return resolveXPath(tree.root, path).map((n) => n.value);
}
