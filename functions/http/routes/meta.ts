/** The `meta` family's routes (health, the OpenAPI document, the pages and their assets, JSON-LD contexts, DID documents), in the order the API lists them. */
import { API_REFERENCE_ASSET_NAMES } from "../api-reference.js";
import { responseSchemas } from "../response-schemas.js";
import type { RouteSpec } from "../route-spec.js";

export const metaRoutes: readonly RouteSpec[] = [
  {
    method: "GET",
    path: "/health",
    family: "meta",
    operationId: "health",
    summary: "Liveness: answers 200 while the function can serve (never rate limited).",
    access: "public",
    unthrottled: true,
    success: { status: 200, description: '`{status: "ok"}`', schema: responseSchemas.health },
  },
  {
    method: "GET",
    path: "/openapi.json",
    family: "meta",
    operationId: "openapi",
    summary: "This OpenAPI 3.1 document.",
    access: "public",
    success: { status: 200, description: "The OpenAPI document", schema: responseSchemas.openapi },
  },
  {
    method: "GET",
    path: "/",
    family: "meta",
    operationId: "verifierPage",
    summary: "The verifier page: drop a credential, see every check.",
    access: "public",
    success: { status: 200, description: "HTML page", contentType: "text/html" },
  },
  {
    method: "GET",
    path: "/console",
    family: "meta",
    operationId: "consolePage",
    summary: "The registrar's console: sign in with an issuer token, preview a spreadsheet, issue it as a job, offer.",
    access: "public",
    success: { status: 200, description: "HTML page", contentType: "text/html" },
  },
  {
    method: "POST",
    path: "/console/qr",
    family: "meta",
    operationId: "consoleOfferQr",
    summary: "The console's QR code of an OpenID4VCI credential offer URI, as SVG (only offer URIs are drawn).",
    access: "public",
    body: {
      type: "object",
      additionalProperties: false,
      required: ["text"],
      properties: {
        text: {
          type: "string",
          pattern: "^openid-credential-offer://",
          maxLength: 2048,
          description: "The offer URI (`offerUri` of the offer route).",
        },
      },
    },
    success: { status: 200, description: "The QR code", contentType: "image/svg+xml" },
  },
  {
    method: "GET",
    path: "/contexts/ob3-elm/{file}",
    family: "meta",
    operationId: "getOb3ElmContext",
    summary: "The gateway's JSON-LD contexts for the ELM elements it carries inside Open Badges 3.0 credentials.",
    access: "public",
    params: {
      type: "object",
      required: ["file"],
      properties: { file: { enum: ["v1.json", "v1-elm.json"] } },
    },
    success: { status: 200, description: "JSON-LD context", contentType: "application/ld+json" },
  },
  {
    // A browser verifier's document loader may send headers that make its GET non-simple (Fetch: CORS preflight).
    method: "OPTIONS",
    path: "/contexts/ob3-elm/{file}",
    family: "meta",
    operationId: "ob3ElmContextPreflight",
    summary: "CORS preflight for the JSON-LD contexts: any origin may GET or HEAD them, with any request headers.",
    access: "public",
    params: {
      type: "object",
      required: ["file"],
      properties: { file: { enum: ["v1.json", "v1-elm.json"] } },
    },
    success: { status: 204, description: "The CORS headers, no content" },
  },
  {
    method: "GET",
    path: "/docs",
    family: "meta",
    operationId: "apiReference",
    summary: "The API reference: this document rendered by Swagger UI, served by the gateway itself (no CDN).",
    access: "public",
    success: { status: 200, description: "HTML page", contentType: "text/html" },
  },
  {
    method: "GET",
    path: "/docs/{file}",
    family: "meta",
    operationId: "getApiReferenceAsset",
    summary: "A file of the API reference page (Swagger UI's script and stylesheet, the page's start-up script).",
    access: "public",
    params: {
      type: "object",
      required: ["file"],
      properties: { file: { enum: [...API_REFERENCE_ASSET_NAMES] } },
    },
    success: {
      status: 200,
      description: "The file (cache-control public, max-age=31536000, immutable: the page links it by version)",
      contentType: "text/javascript",
    },
  },
];
