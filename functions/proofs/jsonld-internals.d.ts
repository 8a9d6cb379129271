/**
 * Types for the parts of jsonld's and rdf-canonize's internals the pinned-context fast path uses
 * (`functions/proofs/fast-nquads.ts`), limited to what it calls. rdf-canonize is jsonld's own canonicalizer (the same
 * installed copy jsonld.canonize calls).
 */

declare module "jsonld/lib/context.js" {
  /** A processed active context: term definitions by term, plus defaults. */
  export interface ActiveContext {
    mappings: Map<string, TermDefinition>;
    previousContext?: ActiveContext;
    "@language"?: string | null;
    "@direction"?: string | null;
    "@vocab"?: string;
    processingMode?: string;
  }
  export interface TermDefinition {
    "@id"?: string;
    "@type"?: string;
    "@container"?: string[];
    "@context"?: unknown;
    "@language"?: string | null;
    "@direction"?: string | null;
    reverse?: boolean;
    [key: string]: unknown;
  }
  interface ContextApi {
    process(args: {
      activeCtx: ActiveContext;
      localCtx: unknown;
      options: Record<string, unknown>;
      propagate?: boolean;
      overrideProtected?: boolean;
    }): Promise<ActiveContext>;
    getInitialContext(options: Record<string, unknown>): ActiveContext;
    expandIri(
      activeCtx: ActiveContext,
      value: string,
      relativeTo: { vocab?: boolean; base?: boolean },
      options: Record<string, unknown>,
    ): string | null;
  }
  const api: ContextApi;
  export default api;
}

declare module "jsonld/lib/ContextResolver.js" {
  export default class ContextResolver {
    constructor(options: { sharedCache: { get(key: string): unknown; set(key: string, value: unknown): unknown } });
  }
}

declare module "jsonld/lib/events.js" {
  /** jsonld's safe-mode handler: throws `jsonld.ValidationError` on the warnings safe mode refuses. */
  const api: { safeEventHandler: (args: { event: unknown; next: () => void }) => void };
  export default api;
}

declare module "rdf-canonize" {
  export interface Term {
    termType: "NamedNode" | "BlankNode" | "Literal" | "DefaultGraph";
    value: string;
    datatype?: { termType: "NamedNode"; value: string };
    language?: string;
  }
  export interface Quad {
    subject: Term;
    predicate: Term;
    object: Term;
    graph: Term;
  }
  const api: {
    canonize(
      dataset: Quad[],
      // rdf-canonize reads only `aborted` and `reason` of its signal (RDFC10.js), between deep iterations.
      options: {
        algorithm: "RDFC-1.0";
        maxWorkFactor?: number;
        signal?: { readonly aborted: boolean; readonly reason?: unknown };
      },
    ): Promise<string>;
  };
  export default api;
}
