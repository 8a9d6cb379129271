/**
 * What the middlewares of one request learn and hand on: the route, the deps, the headers, then the caller, the body
 * and the path parameters. Kept per event object (the family handler gives each invocation its own event copy), so no
 * middleware reads another's result through an untyped bag.
 */
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { GatewayDeps } from "../../composition.js";
import type { Principal } from "../../core/tokens/auth.js";
import { GatewayError } from "../../kernel/errors.js";
import type { RouteSpec } from "../contract.js";

export interface RouteState {
  route: RouteSpec;
  deps: GatewayDeps;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Set by `authentication()`. */
  principal?: Principal;
  /** Set by `bodyDecoding()`: the decoded body, undefined for a route that takes none. */
  body?: unknown;
  /** Set by `routeResolution()`: the path parameters. */
  params: Record<string, string>;
}

export type HttpMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

const states = new WeakMap<APIGatewayProxyEventV2, RouteState>();

export function setRouteState(event: APIGatewayProxyEventV2, state: RouteState): void {
  states.set(event, state);
}

/** The state `routeResolution()` made for this event; a middleware used without it is a wiring error. */
export function routeState(event: APIGatewayProxyEventV2): RouteState {
  const state = states.get(event);
  if (!state) throw new Error("routeResolution() must run before the other route middlewares");
  return state;
}

/** The caller `authentication()` found; a middleware used before it is a wiring error. */
export function principalOf(state: RouteState): Principal {
  if (!state.principal) throw new Error("authentication() must run before this middleware");
  return state.principal;
}

function lowerHeaders(headers: APIGatewayProxyEventV2["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function pathParameters(event: APIGatewayProxyEventV2): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.pathParameters ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Finds the route of the event's route key (a HEAD key serves its GET route) and the deps; a key the family does not
 * serve is a 404. `getDeps` is memoised by the composition root.
 */
export function routeResolution(
  routes: ReadonlyMap<string, RouteSpec>,
  family: string,
  getKeyOfHead: (key: string) => string | undefined,
  getDeps: () => Promise<GatewayDeps>,
): HttpMiddleware {
  return {
    before: async ({ event }) => {
      const route = routes.get(getKeyOfHead(event.routeKey) ?? event.routeKey);
      if (!route) throw new GatewayError("not-found", `no route ${event.routeKey} in ${family}`);
      const deps = await getDeps();
      setRouteState(event, { route, deps, headers: lowerHeaders(event.headers), params: pathParameters(event) });
    },
  };
}
