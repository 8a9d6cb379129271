/** The meta function's routes of the API reference page (`GET /docs`, `GET /docs/{file}`). */
import {
  API_REFERENCE_CSP,
  type ApiReferenceAsset,
  apiReferenceAsset,
  apiReferenceHtml,
} from "../http/api-reference.js";
import type { RouteImpls } from "../http/family.js";

const PAGE_HEADERS = {
  "content-security-policy": API_REFERENCE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

export const apiReferenceRoutes: RouteImpls = {
  apiReference: async () => ({
    status: 200,
    text: await apiReferenceHtml(),
    contentType: "text/html; charset=utf-8",
    headers: { ...PAGE_HEADERS, "cache-control": "public, max-age=300" },
  }),
  getApiReferenceAsset: async ({ params }) => {
    // The path was validated against the route's enum of file names.
    const asset = await apiReferenceAsset(params.file as ApiReferenceAsset);
    return {
      status: 200,
      text: asset.text,
      contentType: asset.contentType,
      headers: {
        "x-content-type-options": "nosniff",
        "cross-origin-resource-policy": "same-origin",
        "cache-control": "public, max-age=31536000, immutable",
      },
    };
  },
};
