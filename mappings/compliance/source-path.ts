/**
 * Where a canonical value came from in the input document, from the reader's {@link Provenance}: the check reports
 * paths into what the user sent (`/payload/credentialSubject/hasClaim/specifiedBy/learningOutcome`), not into the
 * canonical model.
 */
import type { Provenance } from "../model.js";

/**
 * Prefix of a canonical pointer reported when the reader recorded no source path for a value (a reader that does not
 * fill {@link Provenance.paths}, or a value a reader computed). `#canonical/claims/0/title` says "this is a pointer
 * into the canonical model, not into your document".
 */
export const CANONICAL_PREFIX = "#canonical";

const segments = (pointer: string): string[] => (pointer === "" ? [] : pointer.slice(1).split("/"));
const INDEX = /^\d+$/;
const isIndex = (segment: string): boolean => INDEX.test(segment);

/**
 * A source pointer in the input: the credential's root inside the input plus the source pointer. A reader that
 * already wrote rooted pointers (`/payload/…` inside a JAdES envelope) is not prefixed twice, nor is a pointer that
 * starts at the document's own top like the root does (the XML readers trace from the document element, so an ELMO
 * learner beside the report is `/elmo/learner/0`, not inside the report's `/elmo/report/0`).
 */
export function rooted(root: string, source: string): string {
  if (root === "" || source === root || source.startsWith(`${root}/`)) return source;
  // A pointer derived up past the credential (`/rows` for a row's value) stops at the credential's own root.
  if (root.startsWith(`${source}/`) || source === "") return root;
  const top = root.split("/")[1];
  if (top && source.split("/")[1] === top) return source;
  return root + source;
}

/**
 * The source pointer of a canonical node derived from one of its descendants: `tail` is the descendant's pointer
 * below the node (`["0", "title"]`), `source` the descendant's source pointer. The tail's named segments are taken off
 * the end of the source, and as many array indices as the tail has where the source has them (ELM writes a single
 * value as an object, so `learningOutcomes/0` may come from `learningOutcome` with no index; the EBSI form writes
 * arrays where the model holds one value, so `title/en` may come from `title/en/0`). Undefined when the source is
 * shorter than the tail.
 */
function ancestorOf(tail: string[], source: string): string | undefined {
  const src = segments(source);
  let names = tail.filter((s) => !isIndex(s)).length;
  let indices = tail.length - names;
  while (names > 0 || indices > 0) {
    const last = src.at(-1);
    if (last === undefined) return undefined;
    if (isIndex(last)) {
      if (indices > 0) indices--;
      else if (names === 0) break;
      // else: an index the tail does not have (an array in the source where the model holds one value): skipped.
    } else if (names > 0) names--;
    else break;
    src.pop();
  }
  return src.length === 0 ? "" : `/${src.join("/")}`;
}

/**
 * The pointer into the input document of the first canonical pointer (in order of preference) the reader recorded a
 * source for: an exact entry of {@link Provenance.paths}, else one derived from the closest recorded descendant.
 * When no candidate has a known source, the first canonical pointer prefixed with {@link CANONICAL_PREFIX}.
 */
export function sourcePath(provenance: Provenance, candidates: readonly [string, ...string[]]): string {
  const { paths, root } = provenance;
  for (const c of candidates) {
    const exact = paths[c];
    if (exact !== undefined) return rooted(root, exact);
  }
  // Writers ask for a source per loss and warning: the recorded pointers are indexed once (sorted, so a prefix's
  // descendants are one range) and each descendant is derived only when it could beat the best found so far.
  const index = indexOf(paths);
  for (const c of candidates) {
    let best: { depth: number; path: string; order: number } | undefined;
    const prefix = `${c}/`;
    const base = c === "" ? 0 : segmentCount(c);
    for (let i = lowerBound(index.entries, prefix); i < index.entries.length; i++) {
      const entry = index.entries[i] as IndexEntry;
      if (!entry.canonical.startsWith(prefix)) break;
      const depth = entry.depth - base;
      if (best && depth > best.depth) continue;
      const source = paths[entry.canonical] as string;
      const derived = ancestorOf(segments(entry.canonical.slice(c.length)), source);
      if (derived === undefined) continue;
      if (
        !best ||
        depth < best.depth ||
        (depth === best.depth &&
          (derived.length < best.path.length || (derived.length === best.path.length && entry.order < best.order)))
      ) {
        best = { depth, path: derived, order: entry.order };
      }
    }
    if (best) return rooted(root, best.path);
  }
  return CANONICAL_PREFIX + candidates[0];
}

/** A recorded canonical pointer: its place in the record's key order and its number of segments. */
interface IndexEntry {
  canonical: string;
  order: number;
  depth: number;
}

/** The recorded pointers of a {@link Provenance.paths} sorted by code unit, rebuilt when pointers are added. */
const indexes = new WeakMap<Record<string, string>, { count: number; entries: IndexEntry[] }>();

const segmentCount = (pointer: string): number => {
  let n = 0;
  for (let i = pointer.indexOf("/"); i !== -1; i = pointer.indexOf("/", i + 1)) n++;
  return n;
};

function indexOf(paths: Record<string, string>): { count: number; entries: IndexEntry[] } {
  const keys = Object.keys(paths);
  let index = indexes.get(paths);
  if (!index || index.count !== keys.length) {
    const entries = keys.map((canonical, order) => ({ canonical, order, depth: segmentCount(canonical) }));
    entries.sort((a, b) => (a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0));
    index = { count: keys.length, entries };
    indexes.set(paths, index);
  }
  return index;
}

/** The first entry not sorted before `prefix`. */
function lowerBound(entries: readonly IndexEntry[], prefix: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid] as IndexEntry).canonical < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
