/** Renders every error as problem+json (RFC 9457), with OAuth's members on OpenID4VCI routes; logs unexpected ones. */
import { Logger } from "@aws-lambda-powertools/logger";
import { sha256Hex } from "../../core/tokens/auth.js";
import { isGatewayError } from "../../kernel/errors.js";
import { ROUTES, routeKey } from "../contract.js";
import { oauthErrorResponse } from "../oauth-errors.js";
import { problemOf, problemResponse } from "../problem.js";
import { RateLimitedError } from "../rate-limit.js";
import type { HttpMiddleware } from "./state.js";

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "edc-gateway" });

/** Routes whose errors also carry OAuth's `error` / `error_description` (OpenID4VCI endpoints), by route key. */
const OAUTH_ROUTES = new Map(ROUTES.filter((r) => r.oauthErrors).map((r) => [routeKey(r), r] as const));

/**
 * What is logged of an unexpected error: its class and where it was thrown, but not its message, which may quote the
 * input (`JSON.parse` quotes the text it failed on; a library may echo a value), so may hold learner data. The message
 * is kept as a short digest, enough to tell occurrences of the same failure apart. Causes are logged the same way.
 */
export function loggableError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return {
    name: error.name,
    messageSha256: sha256Hex(error.message).slice(0, 16),
    messageLength: error.message.length,
    stack: frames.join("\n"),
    ...(error.cause !== undefined && depth < 3 ? { cause: loggableError(error.cause, depth + 1) } : {}),
  };
}

/** Renders any error as problem+json; unknown errors are logged (without their messages) and answered with an opaque 500. */
export const problemJson = (): HttpMiddleware => ({
  onError: async (request) => {
    const error = request.error;
    if (!isGatewayError(error))
      logger.error("unhandled error", { error: loggableError(error), routeKey: request.event.routeKey });
    const problem = problemOf(error, request.event.rawPath);
    const extra: Record<string, string> = {};
    if (problem.status === 401) extra["www-authenticate"] = 'Bearer realm="edc-gateway"';
    if (error instanceof RateLimitedError) extra["retry-after"] = String(error.retryAfterSeconds);
    const oauthRoute = OAUTH_ROUTES.get(request.event.routeKey);
    request.response = oauthRoute
      ? oauthErrorResponse(error, problem, oauthRoute, extra)
      : problemResponse(problem, extra);
  },
});
