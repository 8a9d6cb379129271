/**
 * Builds one Lambda handler for a family of routes (see `contract.ts`). API Gateway has already chosen the route, so
 * the handler dispatches on the event's `routeKey`; the local gateway sets the same field. The middy stack, one
 * middleware each (`./middleware/`): log, render errors as problem+json, then per route: find the route, authenticate,
 * spend rate-limit quota, check access, decode the body with limits, check its values' limits, validate path and body
 * against the route's schemas; then the route's function is called, within its time budget.
 */
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { GatewayDeps } from "../composition.js";
import type { Principal } from "../core/tokens/auth.js";
import { GatewayError } from "../kernel/errors.js";
import { type Family, getKeyOfHead, type RouteSpec, routeKey, routesOf } from "./contract.js";
import { accessLog } from "./middleware/access-log.js";
import { authentication, routeAccess } from "./middleware/auth.js";
import { bodyDecoding } from "./middleware/body.js";
import { problemJson } from "./middleware/problem.js";
import { rateLimiting } from "./middleware/rate-limit.js";
import { principalOf, routeResolution, routeState } from "./middleware/state.js";
import { NEVER_ABORTED, withinBudget } from "./middleware/time-budget.js";
import { validation } from "./middleware/validation.js";
import { valueLimits } from "./middleware/value-limits.js";

// Kept importable from here: the local gateway and tests import them from this module.
export { checkAccess } from "./middleware/auth.js";
export { loggableError } from "./middleware/problem.js";

export interface RouteRequest {
  body: unknown;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  principal: Principal;
  deps: GatewayDeps;
  route: RouteSpec;
  /** Aborted once the request's time budget is spent (its answer, a 503, is sent then): long use cases stop on it. */
  signal: AbortSignal;
}

export interface RouteResult {
  status: number;
  /** JSON body (serialised) unless `text` is given. */
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type RouteFn = (req: RouteRequest) => Promise<RouteResult>;

/** Implementations by operationId; a route left out answers 501 (after validating its input). */
export type RouteImpls = Partial<Record<string, RouteFn>>;

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

function render(result: RouteResult): APIGatewayProxyStructuredResultV2 {
  const isText = result.text !== undefined;
  return {
    statusCode: result.status,
    headers: {
      "content-type": result.contentType ?? (isText ? "text/plain; charset=utf-8" : "application/json"),
      ...result.headers,
    },
    body: isText ? result.text : result.body === undefined ? "" : JSON.stringify(result.body),
  };
}

/**
 * The Lambda handler of a family. `getDeps` is called per request but is expected to be memoised (built once at
 * cold start by the composition root).
 */
export function familyHandler(
  family: Family,
  impls: RouteImpls,
  getDeps: () => Promise<GatewayDeps>,
): LambdaHttpHandler {
  const routes = new Map(routesOf(family).map((r) => [routeKey(r), r] as const));
  for (const op of Object.keys(impls)) {
    if (![...routes.values()].some((r) => r.operationId === op)) throw new Error(`${family}: no route ${op}`);
  }
  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const state = routeState(event);
    const { route, deps, headers, body, params } = state;
    const principal: Principal = principalOf(state);
    const impl = impls[route.operationId];
    if (!impl) {
      throw new GatewayError(
        "not-implemented",
        `${route.method} ${route.path} is part of the API contract but not implemented yet (planned in issue ${route.plannedIn ?? "?"})`,
      );
    }
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
    const call = (signal: AbortSignal) => impl({ body, params, query, headers, principal, deps, route, signal });
    return render(
      route.timeBudget ? await withinBudget(deps.config.requestTimeoutMs, context, call) : await call(NEVER_ABORTED),
    );
  };
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(accessLog())
    .use(problemJson())
    .use(routeResolution(routes, family, getKeyOfHead, getDeps))
    .use(authentication())
    .use(rateLimiting())
    .use(routeAccess())
    .use(bodyDecoding())
    .use(valueLimits())
    .use(validation())
    .handler(core);
  return async (event, context) => {
    // Each invocation its own event object: the middlewares' state is kept per event, and a caller may reuse one.
    const result = await handler({ ...event }, context);
    return getKeyOfHead(event.routeKey) === undefined ? result : withoutContent(result);
  };
}

/**
 * A HEAD answer: the GET answer's status and headers, no content; `content-length` says how long the content would
 * have been (RFC 9110 §8.6: a HEAD response may carry the length a GET would have).
 */
function withoutContent(result: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2 {
  const body = result.body ?? "";
  const length = result.isBase64Encoded ? Buffer.from(body, "base64").length : Buffer.byteLength(body, "utf8");
  return { ...result, headers: { ...result.headers, "content-length": String(length) }, body: "" };
}
