/**
 * The JSON-LD document loader of the gateway, built from declared contexts: it serves the context documents it was
 * built with from memory and refuses every other URL, so jsonld never goes to the network: no SSRF through a crafted
 * `@context` (e.g. the instance metadata address), no outage or tampering coupled to a context host, the same RDF on
 * every run.
 *
 * Nothing registers a context here: each format declares the contexts its credentials name (its module's `contexts`,
 * `mappings/<format>/index.ts`), the registry puts them together with {@link VC_CONTEXTS} (the W3C VC contexts v1 and
 * v2 from `@digitalbazaar/credentials-context`, and the contexts the W3C interoperability suites use: VC examples
 * v2, Data Integrity v1 and v2, Multikey v1, DID v1, Ed25519Signature2020 v1, {@link W3C_SUITE_CONTEXT_URLS}), and
 * {@link documentLoaderFor} makes the loader of exactly those (`mappings/contexts.ts`). The VC examples v1 context
 * is not declared: `@digitalbazaar/credentials-examples-context` cannot load without its ODRL context, which is not
 * installed (it is a dev dependency of that package).
 *
 * Always pass a loader of {@link documentLoaderFor} to jsonld (`{documentLoader}`): jsonld's own default loader
 * fetches URLs.
 *
 * The EBSI VCDM 2.0 form of an EDC (`@context: [credentials/v2, edc-ap]`) cannot be processed as JSON-LD at all:
 * the VC 2.0 context protects the term `description` and `edc-ap` redefines it, so any expansion, toRDF or
 * canonicalisation fails with "protected term redefinition" (the official context fails the same way; this loader
 * is not the cause). Readers of that form must work on the JSON, not on expansion.
 */

import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { contexts as didContexts } from "did-context";
import { contexts as ed25519Signature2020Contexts } from "ed25519-signature-2020-context";
import type { DocumentLoader, RemoteDocument } from "jsonld";

/** VC Data Model 1.1 context, used by EDC output. */
export const VC_V1_CONTEXT_URL = "https://www.w3.org/2018/credentials/v1";
/** VC Data Model 2.0 context, used by OB 3.0 and by EBSI's VCDM 2.0 EDC form. */
export const VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";

/** A JSON-LD context document: an object whose `@context` member holds the definitions. */
export interface ContextDocument {
  readonly "@context": unknown;
}

/**
 * Thrown for a URL that is not pinned. jsonld wraps it (`jsonld.InvalidUrl`, "loading remote context failed") and
 * keeps it as `details.cause`.
 */
export class ContextNotPinnedError extends Error {
  readonly code = "context-not-pinned";
  readonly url: string;

  constructor(url: string) {
    super(
      `JSON-LD context ${JSON.stringify(url)} is not pinned: the gateway never fetches contexts; ` +
        "a format must declare it in its module's contexts",
    );
    this.name = "ContextNotPinnedError";
    this.url = url;
  }
}

/** The VC examples v2 context, as W3C publishes it: one `@vocab` (no npm package ships it). */
export const VC_EXAMPLES_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2";
const VC_EXAMPLES_V2_CONTEXT: ContextDocument = {
  "@context": { "@vocab": "https://www.w3.org/ns/credentials/examples#" },
};

export const DATA_INTEGRITY_V1_CONTEXT_URL = "https://w3id.org/security/data-integrity/v1";
export const DATA_INTEGRITY_V2_CONTEXT_URL = "https://w3id.org/security/data-integrity/v2";
export const MULTIKEY_V1_CONTEXT_URL = "https://w3id.org/security/multikey/v1";
export const DID_V1_CONTEXT_URL = "https://www.w3.org/ns/did/v1";
export const ED25519_2020_V1_CONTEXT_URL = "https://w3id.org/security/suites/ed25519-2020/v1";

/** The entry for `url` of a context package's table (`contexts`, by URL), which must hold it. */
export function packagedContext(
  from: ReadonlyMap<string, ContextDocument>,
  packageName: string,
  url: string,
): [string, DeclaredContext] {
  const document = from.get(url);
  if (!document) throw new Error(`${packageName} does not hold ${url}`);
  return [url, { document }];
}

/** The contexts the W3C VC interoperability suites (vc-data-model-2.0, vc-di-eddsa, VC API) need besides VC v1/v2. */
export const W3C_SUITE_CONTEXT_URLS = [
  VC_EXAMPLES_V2_CONTEXT_URL,
  DATA_INTEGRITY_V1_CONTEXT_URL,
  DATA_INTEGRITY_V2_CONTEXT_URL,
  MULTIKEY_V1_CONTEXT_URL,
  DID_V1_CONTEXT_URL,
  ED25519_2020_V1_CONTEXT_URL,
] as const;

/**
 * A context as a format declares it: the document, and whether the loader hands out a fresh deep copy on each load,
 * for a document with relative context references, which jsonld resolves by writing the absolute URL into the
 * document it was given (against the URL it loaded it from, so one document served under two URLs must not share
 * that object).
 */
export interface DeclaredContext {
  readonly document: ContextDocument;
  readonly copy?: boolean;
}

/** Declared contexts by URL (exactly that string). */
export type DeclaredContexts = ReadonlyMap<string, DeclaredContext>;

/**
 * The VC data model's contexts, which every W3C credential names whatever its format, and the proof suites'
 * contexts (the ones the W3C interoperability suites put in credentials).
 */
export const VC_CONTEXTS: DeclaredContexts = new Map<string, DeclaredContext>([
  packagedContext(credentialsContexts, "@digitalbazaar/credentials-context", VC_V1_CONTEXT_URL),
  packagedContext(credentialsContexts, "@digitalbazaar/credentials-context", VC_V2_CONTEXT_URL),
  [VC_EXAMPLES_V2_CONTEXT_URL, { document: VC_EXAMPLES_V2_CONTEXT }],
  packagedContext(dataIntegrityContexts, "@digitalbazaar/data-integrity-context", DATA_INTEGRITY_V1_CONTEXT_URL),
  packagedContext(dataIntegrityContexts, "@digitalbazaar/data-integrity-context", DATA_INTEGRITY_V2_CONTEXT_URL),
  packagedContext(multikeyContexts, "@digitalbazaar/multikey-context", MULTIKEY_V1_CONTEXT_URL),
  packagedContext(didContexts, "did-context", DID_V1_CONTEXT_URL),
  packagedContext(ed25519Signature2020Contexts, "ed25519-signature-2020-context", ED25519_2020_V1_CONTEXT_URL),
]);

/**
 * One table of the contexts of several declarations. The same document declared twice for a URL is one entry; two
 * different documents for one URL throw, so no format can swap a context (the VC ones included) under another's feet.
 */
export function mergeContexts(...declarations: readonly DeclaredContexts[]): DeclaredContexts {
  const merged = new Map<string, DeclaredContext>();
  for (const declared of declarations) {
    for (const [url, context] of declared) {
      if (!URL.canParse(url)) throw new TypeError(`not an absolute URL: ${JSON.stringify(url)}`);
      const { document } = context;
      if (typeof document !== "object" || document === null || !("@context" in document)) {
        throw new TypeError(`the document for ${url} has no @context`);
      }
      const current = merged.get(url);
      if (current !== undefined && current.document !== document) {
        throw new Error(`JSON-LD context ${url} is declared with two different documents`);
      }
      merged.set(url, current?.copy || context.copy ? { document, copy: true } : context);
    }
  }
  return merged;
}

/**
 * The contexts a loader serves, in the shape the proofs take them (`JsonLdContexts` in the kernel's ports): its jsonld
 * `documentLoader` and whether a URL is one it serves.
 */
export interface PinnedContexts {
  readonly documentLoader: DocumentLoader;
  isPinned(url: string): boolean;
}

/**
 * The loader of exactly `contexts`: resolves a declared context from memory, rejects anything else with
 * {@link ContextNotPinnedError}. The answer carries no `"static"` tag: jsonld still caches processed contexts by
 * content, but never lets a URL stand for a document this loader did not hand out in the same call. The table is
 * copied: what the loader serves cannot change after it is built.
 */
export function documentLoaderFor(contexts: DeclaredContexts): PinnedContexts {
  const table: DeclaredContexts = mergeContexts(contexts);
  const documentLoader: DocumentLoader = async (url: string): Promise<RemoteDocument> => {
    const context = table.get(url);
    if (context === undefined) throw new ContextNotPinnedError(url);
    const document = context.copy ? structuredClone(context.document) : context.document;
    return { contextUrl: null, documentUrl: url, document };
  };
  return { documentLoader, isPinned: (url) => table.has(url) };
}
