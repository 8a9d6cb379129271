/** Lambda: liveness, the OpenAPI document, and (issue 7) the verifier page. */
import { getDeps } from "../composition.js";
import { familyHandler } from "../http/family.js";
import { openApiDocument } from "../http/openapi.js";

const VERSION = "0.1.0";

export const createHandler = (deps: typeof getDeps) =>
  familyHandler(
    "meta",
    {
      health: async () => ({ status: 200, body: { status: "ok" }, headers: { "cache-control": "no-store" } }),
      openapi: async ({ deps }) => ({
        status: 200,
        body: openApiDocument(deps.config.publicUrl, VERSION),
        headers: { "cache-control": "public, max-age=300" },
      }),
    },
    deps,
  );

export const handler = createHandler(getDeps);
