import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { GatewayDeps } from "../../functions/composition.js";
import { readConfig } from "../../functions/config.js";
import type { RouteSpec } from "../../functions/http/contract.js";
import { problemJson } from "../../functions/http/middleware/problem.js";
import { type HttpMiddleware, routeResolution, routeState } from "../../functions/http/middleware/state.js";

export const TEST_ROUTE: RouteSpec = {
  method: "POST",
  path: "/v1/test",
  family: "convert",
  operationId: "test",
  summary: "a route for middleware tests",
  access: "public",
  body: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: { name: { type: "string", maxLength: 10 }, tags: { type: "array", items: { type: "string" } } },
  },
  success: { status: 200, description: "echo" },
};

/**
 * A pipeline of problem+json, route resolution, then the given middlewares; the handler answers the state the
 * middlewares left (principal, body). Only the configuration, the clock and a token store that knows no token are
 * wired: the middlewares under test read nothing else.
 */
export function pipeline(
  middlewares: HttpMiddleware[],
  options: { route?: Partial<RouteSpec>; env?: Record<string, string> } = {},
): (event: Partial<APIGatewayProxyEventV2>) => Promise<APIGatewayProxyStructuredResultV2> {
  const route: RouteSpec = { ...TEST_ROUTE, ...options.route };
  const config = readConfig({ GATEWAY_ADMIN_TOKEN: "admin-secret", GATEWAY_RATE_LIMIT: "off", ...options.env });
  const deps = {
    config,
    clock: { now: () => new Date("2026-01-01T00:00:00Z") },
    store: { getToken: async () => undefined },
  };
  // The middlewares read config, clock and store.getToken only; the rest of GatewayDeps is not wired in this test.
  const getDeps = async () => deps as unknown as GatewayDeps;
  let handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemJson())
    .use(routeResolution(new Map([[`${route.method} ${route.path}`, route]]), "test", () => undefined, getDeps));
  for (const m of middlewares) handler = handler.use(m);
  const run = handler.handler(async (event) => {
    const { principal, body } = routeState(event);
    return { statusCode: 200, body: JSON.stringify({ principal, body }) };
  });
  return (event) =>
    run(
      {
        routeKey: `${route.method} ${route.path}`,
        rawPath: route.path,
        headers: {},
        requestContext: { http: { sourceIp: "127.0.0.1" } },
        ...event,
      } as APIGatewayProxyEventV2,
      {} as Context,
    );
}

export const problem = (result: APIGatewayProxyStructuredResultV2) =>
  JSON.parse(result.body ?? "{}") as { status?: number; errors?: { pointer: string; detail: string }[] };
