import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { logger } from "./problem.js";
import type { HttpMiddleware } from "./state.js";

/** One structured log line per request: route, status, time. Never bodies, tokens or learner data. */
export const accessLog = (): HttpMiddleware => {
  const started = new WeakMap<object, number>();
  const log = (request: { event: APIGatewayProxyEventV2; response: APIGatewayProxyStructuredResultV2 | null }) => {
    const t0 = started.get(request.event);
    logger.info("request", {
      routeKey: request.event.routeKey,
      status: request.response?.statusCode,
      durationMs: t0 === undefined ? undefined : Math.round(performance.now() - t0),
      requestId: request.event.requestContext?.requestId,
    });
  };
  return {
    before: async (request) => {
      started.set(request.event, performance.now());
    },
    after: async (request) => log(request),
    onError: async (request) => log(request),
  };
};
