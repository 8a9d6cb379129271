/**
 * Loss and warning paths for XML inputs as XPaths into the document the caller sent.
 *
 * The XML readers trace values with the pointer convention of `./node.ts` (`/elmo/report/0/issuer/0/title/1`: each
 * element name followed by its 0-based index among same-named siblings). That is not an XPath; a caller evaluating it
 * against the input selects nothing. XPath 1.0 (§2.4) numbers a step's nodes from 1 in document order, so the same
 * element is `/elmo/report[1]/issuer[1]/title[2]`. Writers also report canonical paths (`/claims/0/term`,
 * `#canonical/…`) where the reader recorded no source; those are pointed at the nearest element the reader did trace.
 * Steps are local names: the readers match elements by local name, whatever prefix the document binds.
 */
import { CANONICAL_PREFIX, rooted, sourcePath } from "../compliance/source-path.js";
import type { Provenance } from "../model.js";

const INDEX = /^\d+$/;

/** The XPath of a pointer in the readers' convention (`/a/b/0/@c` → `/a/b[1]/@c`); an XPath comes back unchanged. */
export function xmlPointerToXPath(pointer: string): string {
  if (!pointer.startsWith("/") || pointer.includes("[")) return pointer;
  const out: string[] = [];
  for (const segment of pointer.slice(1).split("/")) {
    const last = out.length - 1;
    if (INDEX.test(segment) && last >= 0 && !(out[last] ?? "").startsWith("@")) {
      out[last] = `${out[last]}[${Number(segment) + 1}]`;
    } else if (segment !== "") out.push(segment);
  }
  return `/${out.join("/")}`;
}

const firstSegment = (pointer: string): string => pointer.split("/")[1] ?? "";

/** The parent of a canonical pointer (`/claims/0/term` → `/claims/0`), undefined at the top. */
function parentOf(pointer: string): string | undefined {
  const cut = pointer.lastIndexOf("/");
  return cut > 0 ? pointer.slice(0, cut) : undefined;
}

/** Where a reported path is in an XML input: its XPaths, and whether they only stand near the value (see below). */
export interface XmlInputPlace {
  paths: string[];
  /** The canonical path when no element holding the value itself was traced, so `paths` is the nearest one. */
  near?: string;
}

/** A canonical node whose parts came from at most this many elements is reported at each of them. */
const MAX_PART_SOURCES = 3;

/**
 * The XPaths into the input of a path a reader or writer reported for a credential read from XML. A pointer in the
 * readers' convention is rewritten. A canonical path goes to the element it was read from; a canonical node read
 * from a few elements (a display from the title and the primary language) to each of them; else to the nearest
 * element that holds it ({@link sourcePath}: from its closest traced descendant, else an ancestor's), and at worst
 * to the credential's own element (the ELMO report, the Europass credential).
 */
export function xmlInputPlace(provenance: Provenance, path: string): XmlInputPlace {
  const documentRoot = firstSegment(provenance.root);
  if (documentRoot !== "" && firstSegment(path) === documentRoot) {
    return { paths: [xmlPointerToXPath(rooted(provenance.root, path))] };
  }
  const asked = path.startsWith(CANONICAL_PREFIX) ? path.slice(CANONICAL_PREFIX.length) : path;
  const exact = provenance.paths[asked];
  if (exact !== undefined) return { paths: [xmlPointerToXPath(rooted(provenance.root, exact))] };
  const parts = new Set<string>();
  for (const [canonical, source] of Object.entries(provenance.paths)) {
    if (canonical.startsWith(`${asked}/`)) parts.add(xmlPointerToXPath(rooted(provenance.root, source)));
  }
  if (parts.size > 0 && parts.size <= MAX_PART_SOURCES) return { paths: [...parts] };
  let canonical: string | undefined = asked;
  while (canonical !== undefined) {
    const found = sourcePath(provenance, [canonical]);
    if (!found.startsWith(CANONICAL_PREFIX)) return { paths: [xmlPointerToXPath(found)], near: asked };
    canonical = parentOf(canonical);
  }
  return { paths: [xmlPointerToXPath(provenance.root)], near: asked };
}
