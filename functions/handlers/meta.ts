/** Lambda: liveness, the OpenAPI document, the gateway's JSON-LD contexts and the verifier page. */

import { OB3_ELM_CONTEXT_TEXT, OB3_ELM_TERMS_CONTEXT_TEXT } from "../../mappings/ob3/extension-context.js";
import { depsFor, type GatewayDeps, type Wiring } from "../composition.js";
import { familyHandler } from "../http/family.js";
import { openApiDocument } from "../http/openapi.js";
import { VERIFIER_PAGE_CSP, VERIFIER_PAGE_HTML } from "../http/verifier-page.js";
import { apiReferenceRoutes } from "./api-reference.js";

/**
 * Contexts are versioned by URL: a published version never changes (a changed context is a new version, a new URL),
 * so any cache may keep it for a year without asking again. Served as the exact bytes the published digests are of.
 */
const CONTEXTS: Record<string, string> = { "v1.json": OB3_ELM_CONTEXT_TEXT, "v1-elm.json": OB3_ELM_TERMS_CONTEXT_TEXT };

const VERSION = "0.1.0";

/**
 * The ports this function's routes use (the bundle carries only their adapters). `handlers/all.ts` gives
 * each family only these in tests too, so a route using a port left out here fails there.
 */
export const wiring: Wiring = {};

export const createHandler = (deps: () => Promise<GatewayDeps>) =>
  familyHandler(
    "meta",
    {
      health: async () => ({ status: 200, body: { status: "ok" }, headers: { "cache-control": "no-store" } }),
      getOb3ElmContext: async ({ params }) => ({
        status: 200,
        text: CONTEXTS[params.file ?? ""] ?? "",
        contentType: "application/ld+json",
        headers: { "cache-control": "public, max-age=31536000, immutable", "access-control-allow-origin": "*" },
      }),
      verifierPage: async () => ({
        status: 200,
        text: VERIFIER_PAGE_HTML,
        contentType: "text/html; charset=utf-8",
        headers: {
          "content-security-policy": VERIFIER_PAGE_CSP,
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
          "cross-origin-opener-policy": "same-origin",
          "cache-control": "public, max-age=300",
        },
      }),
      openapi: async ({ deps }) => ({
        status: 200,
        body: openApiDocument(deps.config.publicUrl, VERSION),
        headers: { "cache-control": "public, max-age=300" },
      }),
      ...apiReferenceRoutes,
    },
    deps,
  );

export const handler = createHandler(depsFor(wiring));
