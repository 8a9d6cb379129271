/**
 * The API contract as data: every route of DESIGN.md with the Lambda "family" that serves it, who may call it, and
 * its request schemas. API Gateway routes (infra), the local gateway's route matching and the OpenAPI document are all
 * built from this one table, so there is one list of routes. Handler code lives in `functions/handlers/{family}.ts`.
 */
import type { Family, RouteSpec } from "./route-spec.js";
import { convertRoutes } from "./routes/convert.js";
import { credentialsRoutes } from "./routes/credentials.js";
import { issuersRoutes } from "./routes/issuers.js";
import { jobsRoutes } from "./routes/jobs.js";
import { metaRoutes } from "./routes/meta.js";
import { walletRoutes } from "./routes/wallet.js";

export { type Access, FAMILIES, type Family, type HttpMethod, type RouteSpec } from "./route-spec.js";

/** Every route; one file per family under `./routes/`, listed in the same order as the OpenAPI document's paths. */
export const ROUTES: readonly RouteSpec[] = [
  ...metaRoutes,
  ...convertRoutes,
  ...credentialsRoutes,
  ...issuersRoutes,
  ...jobsRoutes,
  ...walletRoutes,
];

/** API Gateway's route key for a route: `POST /v1/issuers`. */
export const routeKey = (r: Pick<RouteSpec, "method" | "path">): string => `${r.method} ${r.path}`;

/**
 * Every GET route also answers HEAD (RFC 9110 §9.3.2: the GET answer's status and headers, no content): its route key
 * is `HEAD {path}`, served by the GET route's function.
 */
export const headRouteKey = (r: Pick<RouteSpec, "path">): string => `HEAD ${r.path}`;

/** The GET route key a `HEAD {path}` route key stands for; undefined for any other key. */
export const getKeyOfHead = (key: string): string | undefined =>
  key.startsWith("HEAD ") ? `GET ${key.slice("HEAD ".length)}` : undefined;

export const routesOf = (family: Family): RouteSpec[] => ROUTES.filter((r) => r.family === family);
