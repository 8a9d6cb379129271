/**
 * The one JSON-LD document loader of the gateway. It serves pinned context documents from memory and refuses every
 * other URL, so jsonld never goes to the network: no SSRF through a crafted `@context` (e.g. the instance metadata
 * address), no outage or tampering coupled to a context host, the same RDF on every run.
 *
 * Pinned here: the W3C VC contexts v1 and v2 (from `@digitalbazaar/credentials-context`) and the ELM `edc-ap` context
 * that the project authors (`mappings/elm/context.ts`). Later work adds others (Open Badges 3.0…) with
 * {@link registerContext} when its module loads.
 *
 * Always pass {@link documentLoader} to jsonld (`{documentLoader}`): jsonld's own default loader fetches URLs.
 *
 * The EBSI VCDM 2.0 form of an EDC (`@context: [credentials/v2, edc-ap]`) cannot be processed as JSON-LD at all:
 * the VC 2.0 context protects the term `description` and `edc-ap` redefines it, so any expansion, toRDF or
 * canonicalisation fails with "protected term redefinition" (the official context fails the same way; this loader
 * is not the cause). Readers of that form must work on the JSON, not on expansion.
 */

import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import type { DocumentLoader, RemoteDocument } from "jsonld";
import { EDC_AP_CONTEXT, EDC_AP_CONTEXT_URL } from "../elm/context.js";

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
        "a module must register it with registerContext()",
    );
    this.name = "ContextNotPinnedError";
    this.url = url;
  }
}

function pinnedDocument(url: string): ContextDocument {
  const document = credentialsContexts.get(url);
  if (!document) throw new Error(`@digitalbazaar/credentials-context does not hold ${url}`);
  return document;
}

const pinned = new Map<string, ContextDocument>([
  [VC_V1_CONTEXT_URL, pinnedDocument(VC_V1_CONTEXT_URL)],
  [VC_V2_CONTEXT_URL, pinnedDocument(VC_V2_CONTEXT_URL)],
  [EDC_AP_CONTEXT_URL, EDC_AP_CONTEXT],
]);

/**
 * Pins `document` as the context served for `url` (exactly that string) for the rest of the process. Registering
 * the same document again is a no-op; registering a different one for a pinned URL throws, so no module can swap a
 * context (the VC ones included) under another's feet.
 */
export function registerContext(url: string, document: ContextDocument): void {
  if (!URL.canParse(url)) throw new TypeError(`not an absolute URL: ${JSON.stringify(url)}`);
  if (typeof document !== "object" || document === null || !("@context" in document)) {
    throw new TypeError(`the document for ${url} has no @context`);
  }
  const current = pinned.get(url);
  if (current !== undefined && current !== document) {
    throw new Error(`JSON-LD context ${url} is already pinned to another document`);
  }
  pinned.set(url, document);
}

/** Whether `url` is served by {@link documentLoader}. */
export function isPinnedContext(url: string): boolean {
  return pinned.has(url);
}

/**
 * The jsonld `documentLoader`: resolves a pinned context from memory, rejects anything else with
 * {@link ContextNotPinnedError}. The answer carries no `"static"` tag: jsonld still caches processed contexts by
 * content, but never lets a URL stand for a document this loader did not hand out in the same call.
 */
export const documentLoader: DocumentLoader = async (url: string): Promise<RemoteDocument> => {
  const document = pinned.get(url);
  if (document === undefined) throw new ContextNotPinnedError(url);
  return { contextUrl: null, documentUrl: url, document };
};
