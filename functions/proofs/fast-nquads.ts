/**
 * The pinned-context fast path of canonicalization: RDF quads straight from a JSON-LD document, for the shapes
 * credentials have (node objects, `@id` / `@type`, terms from pinned contexts with type- and property-scoped contexts,
 * language maps, lists, graph containers such as VC 2.0 `proof` and `verifiableCredential`, strings, numbers, booleans, IRIs,
 * typed literals), then RDFC-1.0 by rdf-canonize, the canonicalizer jsonld.canonize itself calls. Anything outside
 * that subset (index / id / type containers, lists of lists, value objects, `@reverse`, `@nest`, `@included`, a default
 * language or direction, relative IRIs, undefined terms...) makes it answer `undefined`, and the caller runs jsonld,
 * whose answer (or safe-mode refusal) is then the one given.
 *
 * Why hand-written: jsonld's expansion deep-clones the whole active context (hundreds of OB 3.0 / VC 2.0 term
 * definitions) on every type-scoped context and every nested node (`revertToPreviousContext`), which was ~2/3 of
 * the time of an eddsa-rdfc-2022 issuance. Context processing itself is still jsonld's own (its
 * `context.process`), only memoised here by the identity of the active context and the local context, so the term
 * definitions are exactly jsonld's. The expansion and toRDF steps below follow jsonld 9's `expand.js` / `toRdf.js`
 * line by line for the subset; a fast-check property test (test/unit/functions/proofs/fast-nquads.test.ts) and every corpus OB 3.0 /
 * VC document prove the output identical to `jsonld.canonize`.
 */

import ContextResolver from "jsonld/lib/ContextResolver.js";
import jsonldContext, { type ActiveContext } from "jsonld/lib/context.js";
import jsonldEvents from "jsonld/lib/events.js";
import rdfCanonize, { type Quad, type Term } from "rdf-canonize";
import type { JsonLdContexts } from "../kernel/ports/index.js";

const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: Term = { termType: "NamedNode", value: "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil" };
const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
const XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double";
const RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
/** jsonld's BCP 47 check (util.js): a language map key failing it is a safe-mode error. */
const BCP47 = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
/** jsonld's `isAbsolute` test (url.js), which toRDF uses to keep or drop IRIs. */
const ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
const DEFAULT_GRAPH: Term = { termType: "DefaultGraph", value: "" };
/** IRI expansion options as jsonld.canonize has them: no base IRI, so relative IRIs stay relative (and fall back). */
const IRI_OPTIONS = { base: null };

/** Thrown inside the walk when the document leaves the supported subset; never escapes this module. */
class OutsideSubset extends Error {}
const outside = (why = "outside the subset"): never => {
  throw new OutsideSubset(why);
};

/** The processing of one set of pinned contexts: what it remembers is only valid for the documents its loader pins. */
class ContextProcessing {
  /**
   * jsonld's context resolution with a cache of its own (not jsonld's process-wide one), whose entries are the pinned
   * documents: a URL can only ever name the document the loader pins for it (the gateway's refuses to swap one), so
   * the `static` tag that lets jsonld reuse a resolved context across calls is safe here.
   */
  private readonly resolvedContexts = new Map<string, unknown>();
  private readonly sharedCache: { get(key: string): unknown; set(key: string, value: unknown): unknown };
  private readonly staticLoader: (url: string) => Promise<unknown>;
  /**
   * Processed contexts by (flags, active context, local context): active contexts are never mutated once jsonld has
   * returned them, so the same inputs always give an equivalent result, and reusing it skips jsonld's clone. Scoped
   * contexts (objects inside pinned term definitions) are keyed by identity, a document's own `@context` by its URLs;
   * a document's inline context definitions (input) are processed every time, never remembered.
   */
  readonly processed = [0, 1, 2, 3].map(() => new WeakMap<ActiveContext, Map<unknown, ActiveContext>>());

  constructor(contexts: JsonLdContexts) {
    this.sharedCache = {
      get: (key) => this.resolvedContexts.get(key),
      // Only pinned URLs are kept across calls: jsonld also files inline contexts here under their JSON, which come
      // from input and would grow the map without bound.
      set: (key, value) => (contexts.isPinned(key) ? this.resolvedContexts.set(key, value) : this.resolvedContexts),
    };
    this.staticLoader = async (url) => ({ ...(await contexts.documentLoader(url)), tag: "static" });
  }

  /** The options jsonld.canonize passes down to context processing (`_setDefaults` in jsonld.js). */
  options(): Record<string, unknown> {
    return {
      base: null,
      documentLoader: this.staticLoader,
      safe: true,
      // Context processing reports unsafe conditions (reserved terms, relative @vocab...) as events; in safe mode
      // jsonld turns them into errors with this handler, and so do we (the context is then left to jsonld to report).
      eventHandler: [jsonldEvents.safeEventHandler],
      processingMode: "json-ld-1.1",
      contextResolver: new ContextResolver({ sharedCache: this.sharedCache }),
    };
  }
}

/** One processing per set of contexts the callers pass (the gateway passes one for the life of the process). */
const processings = new WeakMap<JsonLdContexts, ContextProcessing>();
function processingOf(contexts: JsonLdContexts): ContextProcessing {
  let processing = processings.get(contexts);
  if (processing === undefined) {
    processing = new ContextProcessing(contexts);
    processings.set(contexts, processing);
  }
  return processing;
}

const INITIAL = jsonldContext.getInitialContext({ processingMode: "json-ld-1.1" });

/** Bound on the local contexts remembered per active context (a document's inline contexts come from input). */
const MAX_PER_CONTEXT = 512;

/**
 * The active context after `local`: synchronously when remembered (the common case: no promise, no microtask per
 * node, which was a measurable share of a walk), else a promise of jsonld's processing.
 */
function applyContext(
  processing: ContextProcessing,
  active: ActiveContext,
  local: unknown,
  propagate: boolean,
  overrideProtected: boolean,
  /** What the result is remembered under (the local context itself for scoped contexts); `null`: not remembered. */
  key: unknown,
): ActiveContext | Promise<ActiveContext> {
  if (key === null)
    return jsonldContext.process({
      activeCtx: active,
      localCtx: local,
      options: processing.options(),
      propagate,
      overrideProtected,
    });
  const cache = processing.processed[(propagate ? 2 : 0) + (overrideProtected ? 1 : 0)] as WeakMap<
    ActiveContext,
    Map<unknown, ActiveContext>
  >;
  const hit = cache.get(active)?.get(key);
  if (hit) return hit;
  return processAndRemember(processing, cache, active, local, propagate, overrideProtected, key);
}

async function processAndRemember(
  processing: ContextProcessing,
  cache: WeakMap<ActiveContext, Map<unknown, ActiveContext>>,
  active: ActiveContext,
  local: unknown,
  propagate: boolean,
  overrideProtected: boolean,
  key: unknown,
): Promise<ActiveContext> {
  let byLocal = cache.get(active);
  const result = await jsonldContext.process({
    activeCtx: active,
    localCtx: local,
    options: processing.options(),
    propagate,
    overrideProtected,
  });
  if (byLocal === undefined) {
    byLocal = new Map();
    cache.set(active, byLocal);
  }
  if (byLocal.size < MAX_PER_CONTEXT) byLocal.set(key, result);
  return result;
}

/** A document's own `@context` as a cache key: URLs as they are, anything with inline definitions as JSON. */
const documentContextKey = (local: unknown): string => (typeof local === "string" ? local : JSON.stringify(local));

/** `revertToPreviousContext` without its defensive clone (nothing here mutates a context). */
const revert = (active: ActiveContext): ActiveContext => active.previousContext ?? active;

/** Expanded keys per active context: a credential's keys are looked up several times each, on every call. */
const expandedKeys = new WeakMap<ActiveContext, Map<string, string | null>>();
/** Bound on the keys remembered per active context (keys come from input). */
const MAX_KEYS_PER_CONTEXT = 2048;

/** A key (a term, compact IRI, IRI or keyword) as an IRI or keyword, `@vocab` applied: jsonld's own `expandIri`. */
function expandKey(active: ActiveContext, key: string): string | null {
  let byKey = expandedKeys.get(active);
  if (byKey === undefined) {
    byKey = new Map();
    expandedKeys.set(active, byKey);
  }
  const hit = byKey.get(key);
  if (hit !== undefined) return hit;
  const expanded = jsonldContext.expandIri(active, key, { vocab: true }, IRI_OPTIONS);
  if (byKey.size < MAX_KEYS_PER_CONTEXT) byKey.set(key, expanded);
  return expanded;
}

/** `_getContextValue(ctx, key, '@language' | '@direction')`: the term's own setting, else the context default. */
function defaultOf(active: ActiveContext, key: string, what: "@language" | "@direction"): unknown {
  const entry = active.mappings.get(key);
  if (entry && Object.hasOwn(entry, what)) return entry[what];
  return what in active ? active[what] : null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const named = (iri: string): Term => {
  if (!ABSOLUTE_IRI.test(iri)) outside("not an absolute IRI");
  return { termType: "NamedNode", value: iri };
};

/** The map under `key` in `outer`, added when missing. */
function getOrAdd<K, V extends Map<unknown, unknown>>(outer: Map<K, V>, key: K): V {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map() as V;
    outer.set(key, inner);
  }
  return inner;
}

/** Two object terms with the same value are the same RDF term when their kind, datatype and language agree. */
const sameLiteralKind = (a: Term, b: Term): boolean =>
  a.termType === b.termType && a.datatype?.value === b.datatype?.value && a.language === b.language;

/** One walk over a document: quads in order, blank node labels issued as jsonld would see them (any labels do). */
class Walk {
  readonly quads: Quad[] = [];

  private readonly processing: ContextProcessing;

  constructor(processing: ContextProcessing) {
    this.processing = processing;
  }

  /**
   * Emitted quads by graph, subject, predicate and object value, with the object terms at the leaves: lookups of the
   * strings as they are (IRIs from term definitions keep their hashes), where one joined key per quad cost ~14% of a
   * canonicalization. A NamedNode's value never starts with `_:` (idTerm sends those to blank nodes, types and
   * datatypes refuse them), so a subject's or graph's value alone tells it from a blank node.
   */
  private readonly seen = new Map<string, Map<string, Map<string, Map<string, Term[]>>>>();
  private readonly blankLabels = new Map<string, string>();
  private counter = 0;

  /** A term for an `@id` (or id-coerced) value: an absolute IRI or a blank node identifier. */
  idTerm(iri: string | null): Term {
    if (iri === null) return outside("id dropped");
    if (iri.startsWith("_:")) {
      let label = this.blankLabels.get(iri);
      if (label === undefined) {
        label = `_:b${this.counter++}`;
        this.blankLabels.set(iri, label);
      }
      return { termType: "BlankNode", value: label };
    }
    return named(iri);
  }

  freshBlank(): Term {
    return { termType: "BlankNode", value: `_:b${this.counter++}` };
  }

  emit(subject: Term, predicate: string, object: Term, graph: Term): void {
    // jsonld's node map merges values, so a repeated quad appears once.
    const bySubject = getOrAdd(this.seen, graph.value);
    const byPredicate = getOrAdd(bySubject, subject.value);
    const byObject = getOrAdd(byPredicate, predicate);
    const same = byObject.get(object.value);
    if (same === undefined) byObject.set(object.value, [object]);
    else if (same.some((t) => sameLiteralKind(t, object))) return;
    else same.push(object);
    this.quads.push({ subject, predicate: { termType: "NamedNode", value: predicate }, object, graph });
  }

  /**
   * A node object (expand.js `api.expand` for objects, then `_expandObject`, then the node map and toRDF): returns
   * its subject term after emitting its quads into `graph`. `graphRoot`: the node is the content of a graph container
   * (a VC 2.0 `proof` or `verifiableCredential`), which jsonld, like a top-level node, drops when it is empty.
   */
  async node(
    element: Record<string, unknown>,
    context: ActiveContext,
    activeProperty: string | null,
    graph: Term,
    graphRoot = false,
  ): Promise<Term> {
    let active = context;
    const propertyScoped = activeProperty === null ? undefined : active.mappings.get(activeProperty)?.["@context"];
    const keys = Object.keys(element).sort();
    // Revert a type-scoped context unless the element is a subject reference ({"id": ...} alone).
    let mustRevert = true;
    if (active.previousContext && keys.length <= 2 && !keys.includes("@context")) {
      for (const key of keys) {
        const expanded = expandKey(active, key);
        if (expanded === "@value") outside("value object");
        if (expanded === "@id" && keys.length === 1) mustRevert = false;
      }
    }
    if (mustRevert) active = revert(active);
    if (propertyScoped !== undefined) {
      const next = applyContext(this.processing, active, propertyScoped, true, true, propertyScoped);
      active = next instanceof Promise ? await next : next;
    }
    if ("@context" in element) {
      const local = element["@context"];
      const next = applyContext(this.processing, active, local, true, false, documentContextKey(local));
      active = next instanceof Promise ? await next : next;
    }
    const typeScoped = active;

    let types: string[] = [];
    for (const key of keys) {
      if (expandKey(active, key) !== "@type") continue;
      const value = element[key];
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((t): t is string => typeof t === "string")) outside("non-string type");
      types = types.concat(list as string[]);
      const sorted = list.length > 1 ? [...(list as string[])].sort() : (list as string[]);
      for (const type of sorted) {
        const scoped = typeScoped.mappings.get(type)?.["@context"];
        if (scoped === undefined) continue;
        const next = applyContext(this.processing, active, scoped, false, false, scoped);
        active = next instanceof Promise ? await next : next;
      }
    }

    // The subject: its @id, or a fresh blank node.
    let subject: Term | undefined;
    for (const key of keys) {
      if (expandKey(active, key) !== "@id") continue;
      const id = element[key];
      if (typeof id !== "string" || subject !== undefined) outside("id not a single string");
      subject = this.idTerm(jsonldContext.expandIri(active, id as string, { base: true }, IRI_OPTIONS));
    }
    subject ??= this.freshBlank();
    for (const type of types) {
      const iri = jsonldContext.expandIri(typeScoped, type, { vocab: true, base: true }, IRI_OPTIONS);
      if (iri === null || iri.startsWith("_:")) outside("type not an IRI");
      this.emit(subject, RDF_TYPE, named(iri as string), graph);
    }

    // jsonld drops (and safe mode refuses) a top-level object with nothing but an id: leave that to it.
    if (
      (activeProperty === null || graphRoot) &&
      !keys.some((key) => !["@id", "@context"].includes(expandKey(active, key) ?? ""))
    )
      outside("top-level object without type or properties");
    for (const key of keys) {
      const property = expandKey(active, key);
      if (property === "@id" || property === "@type" || property === "@context") continue;
      // Other keywords, dropped terms, relative or blank-node properties: jsonld's business.
      if (property === null || property.startsWith("@") || property.startsWith("_:") || !ABSOLUTE_IRI.test(property))
        outside("property not an IRI");
      const definition = active.mappings.get(key);
      if (definition?.reverse) outside("reverse property");
      const container = definition?.["@container"] ?? [];
      const value = element[key];
      const languageMap = container.includes("@language") && isObject(value);
      const graphContainer = container.includes("@graph");
      const listContainer = container.includes("@list");
      if (container.some((c) => c !== "@set" && !(c === "@language" && languageMap) && c !== "@graph" && c !== "@list"))
        outside("container");
      if (definition?.["@type"] === "@json") outside("@json");
      const scoped = definition?.["@context"];
      let termContext = active;
      if (scoped !== undefined) {
        const next = applyContext(this.processing, active, scoped, true, true, scoped);
        termContext = next instanceof Promise ? await next : next;
      }
      if (languageMap) {
        for (const literal of languageLiterals(termContext, key, value as Record<string, unknown>))
          this.emit(subject, property as string, literal, graph);
        continue;
      }
      if (listContainer) {
        if (graphContainer) outside("graph list");
        this.emit(subject, property as string, await this.list(value, termContext, key, graph), graph);
        continue;
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        if (graphContainer) {
          // Each value is the content of a graph of its own, named by a blank node the property points to.
          if (!isObject(item)) outside("graph container value");
          const name = this.freshBlank();
          await this.node(item as Record<string, unknown>, termContext, key, name, true);
          this.emit(subject, property as string, name, graph);
          continue;
        }
        const term = this.value(item, termContext, key, graph);
        this.emit(subject, property as string, term instanceof Promise ? await term : term, graph);
      }
    }
    return subject;
  }

  /**
   * An RDF list (a `@list` container): blank nodes chained by rdf:first / rdf:rest ending in rdf:nil, as toRdf.js
   * `_listToRDF` writes it; null items are dropped, nested arrays (lists of lists) are left to jsonld.
   */
  async list(value: unknown, context: ActiveContext, key: string, graph: Term): Promise<Term> {
    const items: Term[] = [];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null) continue;
      if (Array.isArray(item)) outside("list of lists");
      const term = this.value(item, context, key, graph);
      items.push(term instanceof Promise ? await term : term);
    }
    if (items.length === 0) return RDF_NIL;
    const head = this.freshBlank();
    let node = head;
    items.forEach((item, i) => {
      const next = i === items.length - 1 ? RDF_NIL : this.freshBlank();
      this.emit(node, RDF_FIRST, item, graph);
      this.emit(node, RDF_REST, next, graph);
      node = next;
    });
    return head;
  }

  /** A property value: a nested node, an IRI (id / vocab coercion) or a literal (expand.js `_expandValue`, toRdf.js). */
  value(item: unknown, context: ActiveContext, key: string, graph: Term): Term | Promise<Term> {
    // Only a nested node is asynchronous (it may process a context); literals and IRIs are answered without a promise.
    if (isObject(item)) return this.node(item, context, key, graph);
    const definition = context.mappings.get(key);
    const type = definition?.["@type"] ?? null;
    if (typeof item === "string") {
      if (type === "@id") return this.idTerm(jsonldContext.expandIri(context, item, { base: true }, IRI_OPTIONS));
      if (type === "@vocab")
        return this.idTerm(jsonldContext.expandIri(context, item, { vocab: true, base: true }, IRI_OPTIONS));
      if (type !== null && type !== "@none") {
        if (!ABSOLUTE_IRI.test(type) || type.startsWith("_:")) outside("datatype");
        return { termType: "Literal", value: item, datatype: { termType: "NamedNode", value: type } };
      }
      if (defaultOf(context, key, "@language") !== null || defaultOf(context, key, "@direction") !== null)
        outside("language or direction");
      return { termType: "Literal", value: item, datatype: { termType: "NamedNode", value: XSD_STRING } };
    }
    // Numbers and booleans (toRdf.js `_objectToRDF`): a datatype coercion applies unless it is @id / @vocab / @none.
    const datatype = type === "@id" || type === "@vocab" || type === "@none" ? null : type;
    if (datatype !== null && (!ABSOLUTE_IRI.test(datatype) || datatype.startsWith("_:"))) outside("datatype");
    const literal = (value: string, fallback: string): Term => ({
      termType: "Literal",
      value,
      datatype: { termType: "NamedNode", value: datatype ?? fallback },
    });
    if (typeof item === "boolean") return literal(String(item), XSD_BOOLEAN);
    if (typeof item === "number" && Number.isFinite(item)) {
      // jsonld's isDouble: a decimal point in the JS rendering, or too large for an integer.
      if (String(item).includes(".") || Math.abs(item) >= 1e21 || datatype === XSD_DOUBLE) {
        return literal(item.toExponential(15).replace(/(\d)0*e\+?/, "$1E"), XSD_DOUBLE);
      }
      return literal(item.toFixed(0), XSD_INTEGER);
    }
    return outside("value");
  }
}

/** The literals of a language map (expand.js `_expandLanguageMap`, then toRdf.js): keys sorted, tags lower-cased. */
function languageLiterals(context: ActiveContext, key: string, map: Record<string, unknown>): Term[] {
  if (defaultOf(context, key, "@direction")) outside("direction");
  const out: Term[] = [];
  for (const language of Object.keys(map).sort()) {
    const none = jsonldContext.expandIri(context, language, { vocab: true }, IRI_OPTIONS) === "@none";
    if (!none && !BCP47.test(language)) outside("language tag");
    const items = map[language];
    for (const item of Array.isArray(items) ? items : [items]) {
      if (item === null) continue;
      if (typeof item !== "string") return outside("language map value");
      out.push(
        none
          ? { termType: "Literal", value: item, datatype: { termType: "NamedNode", value: XSD_STRING } }
          : {
              termType: "Literal",
              value: item,
              datatype: { termType: "NamedNode", value: RDF_LANG_STRING },
              language: language.toLowerCase(),
            },
      );
    }
  }
  return out;
}

/** Limits passed through to rdf-canonize, as {@link canonize} in rdfc.ts sets them. */
export interface FastCanonizeOptions {
  maxWorkFactor: number;
  /** Wall-clock budget in milliseconds, checked by rdf-canonize between deep iterations. */
  timeoutMs: number;
}

/**
 * What rdf-canonize reads of an AbortSignal, computed from a deadline: `AbortSignal.timeout` arms a timer per call,
 * which cost ~7% of a fast-path canonicalization, and rdf-canonize only ever polls `aborted`.
 */
function deadline(timeoutMs: number): { readonly aborted: boolean; readonly reason: string } {
  const end = performance.now() + timeoutMs;
  return {
    get aborted() {
      return performance.now() > end;
    },
    reason: `canonicalization exceeded ${timeoutMs} ms`,
  };
}

/**
 * The RDF quads of a JSON-LD document whose shape the fast path covers, or `undefined` (use jsonld). The document's
 * top-level `@context` must be present; pinning is checked by the loader (an unpinned URL fails context processing,
 * which also answers `undefined`, so jsonld reports it).
 */
export async function fastQuads(document: object, contexts: JsonLdContexts): Promise<Quad[] | undefined> {
  if (!isObject(document) || !("@context" in document)) return undefined;
  try {
    const walk = new Walk(processingOf(contexts));
    await walk.node(document, INITIAL, null, DEFAULT_GRAPH);
    return walk.quads;
  } catch (error) {
    // Outside the subset, or a context jsonld refuses to process (unpinned, invalid, protected redefinition): jsonld
    // runs on the document and gives its answer or says why not. (`error.message` says which rule sent it there.)
    if (error instanceof OutsideSubset || error instanceof Error) return undefined;
    throw error;
  }
}

/** Canonical N-Quads by the fast path, or `undefined` when the document is outside it. */
export async function fastCanonize(
  document: object,
  contexts: JsonLdContexts,
  options: FastCanonizeOptions,
): Promise<string | undefined> {
  const quads = await fastQuads(document, contexts);
  if (quads === undefined) return undefined;
  return rdfCanonize.canonize(quads, {
    algorithm: "RDFC-1.0",
    maxWorkFactor: options.maxWorkFactor,
    signal: deadline(options.timeoutMs),
  });
}
