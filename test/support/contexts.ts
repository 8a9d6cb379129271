/**
 * The document loader tests process JSON-LD with: the contexts the formats declare, with the extension context under
 * the URL tests write with, as a gateway's use cases build theirs from its configured URL.
 */

import { gatewayContexts } from "../../mappings/contexts.js";
import { defaultOb3ElmContextUrl } from "../../mappings/ob3/extension-url.js";

/**
 * The extension context URL tests write with: the default of a gateway at `http://localhost:3000` (what `readConfig`
 * gives without a `GATEWAY_PUBLIC_URL`).
 */
export const TEST_OB3_ELM_CONTEXT_URL = defaultOb3ElmContextUrl("http://localhost:3000");

/** The declared contexts with the extension under {@link TEST_OB3_ELM_CONTEXT_URL}. */
export const testContexts = gatewayContexts({ ob3ElmContextUrl: TEST_OB3_ELM_CONTEXT_URL });

/** {@link testContexts}' jsonld `documentLoader`. */
export const testDocumentLoader = testContexts.documentLoader;
