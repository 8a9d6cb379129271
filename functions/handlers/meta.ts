/** Lambda: liveness, the OpenAPI document, the gateway's JSON-LD contexts, the verifier page and the console. */

import { OB3_ELM_CONTEXT_TEXT, OB3_ELM_TERMS_CONTEXT_TEXT } from "../../mappings/ob3/extension-context.js";
import { depsFor, type GatewayDeps, type Wiring } from "../composition.js";
import { familyHandler } from "../http/family.js";
import { PAGE_HEADERS } from "../http/page-csp.js";
import { apiReferenceRoutes } from "./api-reference.js";

// The pages and the OpenAPI document (with its examples and response schemas) load on their first request: /health
// and the contexts, the routes called most, do not pay for them at init.
const verifierPage = () => import("../http/verifier-page.js");
const consolePage = () => import("../http/console-page.js");
const openApi = () => import("../http/openapi.js");

/**
 * Contexts are versioned by URL: a published version never changes (a changed context is a new version, a new URL),
 * so any cache may keep it for a year without asking again. Served as the exact bytes the published digests are of.
 */
const CONTEXTS: Record<string, string> = { "v1.json": OB3_ELM_CONTEXT_TEXT, "v1-elm.json": OB3_ELM_TERMS_CONTEXT_TEXT };

const VERSION = "0.1.0";

/** A comma-separated list of HTTP field names (RFC 9110 tokens), else `*`. */
const headerNames = (asked: string | undefined): string =>
  asked !== undefined && /^\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*\s*$/.test(asked)
    ? asked.trim()
    : "*";

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
      // Fetch's CORS protocol: the preflight answer allows the methods and echoes the headers the browser asks for.
      ob3ElmContextPreflight: async ({ headers }) => ({
        status: 204,
        text: "",
        headers: {
          "access-control-allow-origin": "*",
          "access-control-allow-methods": "GET, HEAD, OPTIONS",
          // `*` does not cover `authorization` (Fetch), so the asked-for names are echoed when they are header names.
          "access-control-allow-headers": headerNames(headers["access-control-request-headers"]),
          "access-control-max-age": "86400",
          "cache-control": "public, max-age=86400",
        },
      }),
      verifierPage: async () => {
        const { VERIFIER_PAGE_CSP, VERIFIER_PAGE_HTML } = await verifierPage();
        return {
          status: 200,
          text: VERIFIER_PAGE_HTML,
          contentType: "text/html; charset=utf-8",
          headers: {
            "content-security-policy": VERIFIER_PAGE_CSP,
            ...PAGE_HEADERS,
          },
        };
      },
      consolePage: async () => {
        const { CONSOLE_PAGE_CSP, CONSOLE_PAGE_HTML } = await consolePage();
        return {
          status: 200,
          text: CONSOLE_PAGE_HTML,
          contentType: "text/html; charset=utf-8",
          headers: {
            "content-security-policy": CONSOLE_PAGE_CSP,
            ...PAGE_HEADERS,
          },
        };
      },
      // The body was validated: an offer URI of at most 2048 characters.
      consoleOfferQr: async ({ body }) => ({
        status: 200,
        text: await (await consolePage()).offerQrSvg((body as { text: string }).text),
        contentType: "image/svg+xml",
        headers: { "x-content-type-options": "nosniff", "cache-control": "no-store" },
      }),
      openapi: async ({ deps }) => ({
        status: 200,
        body: (await openApi()).openApiDocument(deps.config.publicUrl, VERSION),
        headers: { "cache-control": "public, max-age=300" },
      }),
      ...apiReferenceRoutes,
    },
    deps,
  );

export const handler = createHandler(depsFor(wiring));
