/**
 * The API reference served at `GET /docs`: Swagger UI (`swagger-ui-dist`, the project's own prebuilt bundle) rendering
 * `/openapi.json`, every file served by the gateway itself (no CDN). Why Swagger UI: it renders with React, whose
 * `style` props go through the CSSOM, and its stylesheet is one static file, so the page runs under a policy with
 * neither `'unsafe-inline'` nor a nonce; Redoc and Scalar inject `<style>` elements at run time (styled-components,
 * Vue), which a strict `style-src` blocks. The page's own start-up code is a served file too, not an inline script.
 *
 * The library's files (1.9 MB) are read on the first request for one of them, never at init: in the Lambda bundle they
 * are copied beside `index.mjs` (`infra/bundling.ts`, {@link API_REFERENCE_LIBRARY_FILES}); from the source tree
 * (local mode, tests) they are read from the installed package.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The npm package the renderer comes from. */
export const API_REFERENCE_PACKAGE = "swagger-ui-dist";

/** The directory the Lambda bundle holds the library's files in, beside `index.mjs`. */
export const API_REFERENCE_BUNDLE_DIR = "swagger-ui";

/** Files of the package that are served, plus its manifest (the version) and licence; copied into the bundle. */
export const API_REFERENCE_LIBRARY_FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "package.json", "LICENSE"];

/** The start-up script, served as `/docs/init.js`. Relative URLs: the gateway may sit under a path prefix. */
export const API_REFERENCE_INIT_SCRIPT = `"use strict";
window.ui = SwaggerUIBundle({
  url: new URL("openapi.json", document.baseURI).href,
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  displayOperationId: true,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  showExtensions: true,
  // The public validator badge would send the document to a third party (and the CSP would block it).
  validatorUrl: null,
});
`;

/** The files served under `/docs/{file}`: the library's script and stylesheet, and the start-up script. */
export const API_REFERENCE_ASSETS = {
  "swagger-ui-bundle.js": { contentType: "text/javascript; charset=utf-8" },
  "swagger-ui.css": { contentType: "text/css; charset=utf-8" },
  "init.js": { contentType: "text/javascript; charset=utf-8" },
} as const;
export type ApiReferenceAsset = keyof typeof API_REFERENCE_ASSETS;
export const API_REFERENCE_ASSET_NAMES = Object.keys(API_REFERENCE_ASSETS) as ApiReferenceAsset[];

/**
 * The page's Content-Security-Policy: scripts and the stylesheet from the gateway only, fetches to the gateway only
 * (the document, and "Try it out"), images from the gateway or `data:` (the stylesheet's icons are data: SVGs).
 */
export const API_REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Where the library's files are: beside the bundle when deployed, else in the installed package. */
function libraryDir(): string {
  const bundled = fileURLToPath(new URL(`./${API_REFERENCE_BUNDLE_DIR}/`, import.meta.url));
  if (existsSync(join(bundled, "package.json"))) return bundled;
  return dirname(createRequire(import.meta.url).resolve(`${API_REFERENCE_PACKAGE}/package.json`));
}

export interface LoadedAsset {
  text: string;
  contentType: string;
  /** A version of the content, put in the page's links so the files can be cached for a year. */
  version: string;
}

const short = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);

const loaded = new Map<ApiReferenceAsset, Promise<LoadedAsset>>();

async function load(name: ApiReferenceAsset): Promise<LoadedAsset> {
  const { contentType } = API_REFERENCE_ASSETS[name];
  if (name === "init.js")
    return { text: API_REFERENCE_INIT_SCRIPT, contentType, version: short(API_REFERENCE_INIT_SCRIPT) };
  const dir = libraryDir();
  const [raw, manifest] = await Promise.all([
    readFile(join(dir, name), "utf8"),
    readFile(join(dir, "package.json"), "utf8"),
  ]);
  const { version } = JSON.parse(manifest) as { version?: unknown };
  // The source maps are not served: a dangling map URL would only make developer tools fetch a 400.
  const text = raw.replace(/\n?\/[/*]# sourceMappingURL=[^\n]*$/, "");
  return { text, contentType, version: typeof version === "string" ? version : short(text) };
}

/** One served file, read once per process on its first request. */
export function apiReferenceAsset(name: ApiReferenceAsset): Promise<LoadedAsset> {
  let asset = loaded.get(name);
  if (!asset) {
    asset = load(name);
    // A failed read is not remembered: the next request tries again.
    asset.catch(() => loaded.delete(name));
    loaded.set(name, asset);
  }
  return asset;
}

let page: Promise<string> | undefined;

/** The page: static apart from the files' versions in its links. */
export function apiReferenceHtml(): Promise<string> {
  page ??= Promise.all(API_REFERENCE_ASSET_NAMES.map(apiReferenceAsset))
    .then(() => render())
    .catch((error: unknown) => {
      page = undefined;
      throw error;
    });
  return page;
}

async function render(): Promise<string> {
  const v = async (name: ApiReferenceAsset) =>
    `docs/${name}?v=${encodeURIComponent((await apiReferenceAsset(name)).version)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference — Europass / EDC interoperability gateway</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${await v("swagger-ui.css")}">
</head>
<body>
<noscript>The API reference needs JavaScript; the OpenAPI document itself is at <a href="openapi.json">/openapi.json</a>.</noscript>
<main id="swagger-ui" aria-label="API reference"></main>
<script src="${await v("swagger-ui-bundle.js")}"></script>
<script src="${await v("init.js")}"></script>
</body>
</html>
`;
}
