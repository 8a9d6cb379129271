/** The shape of one route of the API contract (`contract.ts`): method, path, family, access, schemas, success. */
import type { JsonSchema } from "./schemas.js";

/** Lambda functions, one per family of routes, each bundled from `functions/handlers/{family}.ts`. */
export const FAMILIES = ["meta", "issuers", "convert", "credentials", "jobs", "wallet"] as const;
export type Family = (typeof FAMILIES)[number];

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "OPTIONS";

/**
 * Who may call a route. `public`: anyone. `issuer`: the admin token or a token of the issuer the request names
 * (checked by the route). `admin`: the admin token only. `registry`: the admin token or a registry-bridge token
 * (batch routes of national registries). Every route's access is tested table-driven (test/hostile/route-access).
 */
export type Access = "public" | "issuer" | "admin" | "registry";

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path template: `/v1/issuers/{id}`. */
  path: string;
  family: Family;
  operationId: string;
  summary: string;
  access: Access;
  body?: JsonSchema;
  params?: JsonSchema;
  /** Success status and a short description of the response. */
  success: { status: number; description: string; contentType?: string; schema?: JsonSchema };
  /** Set while the route answers 501: the issue that implements it. */
  plannedIn?: number;
  /** The body's media type when it is not JSON: `form` is `application/x-www-form-urlencoded` (OAuth token requests). */
  bodyEncoding?: "form";
  /**
   * OAuth-style route (OpenID4VCI endpoints): errors carry `error` / `error_description` besides the problem members
   * (see `oauth-errors.ts`); `invalidRequest` is the `error` of a request that fails validation.
   */
  oauthErrors?: { invalidRequest: string };
  /**
   * Never rate limited: liveness probes (load balancers, monitors, the operator) must see the gateway up while a
   * flood of other requests from the same address is being throttled.
   */
  unthrottled?: true;
  /**
   * Answered 503 once the request's time budget (`GATEWAY_REQUEST_TIMEOUT_MS`) is spent, the use case signalled to
   * stop. Only for routes that change nothing (conversion, checks, verification): a write cut off mid-way would leave
   * the caller a 503 for work that still completes.
   */
  timeBudget?: true;
}
