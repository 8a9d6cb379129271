/**
 * Error responses of OAuth-style routes (the OpenID4VCI token and credential endpoints). OAuth 2.0 clients and
 * wallets read `{error, error_description}` (RFC 6749 §5.2, RFC 6750 §3.1, OpenID4VCI 1.0 §8.3.1.2) from an
 * `application/json` body; the gateway's clients read RFC 9457 members. One body carries both: the problem document
 * plus `error` and `error_description`, served as `application/json` (which OAuth requires and every problem+json
 * reader accepts as JSON).
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { OAuthError } from "../kernel/errors.js";
import type { RouteSpec } from "./contract.js";
import type { Problem } from "./problem.js";

/** The OAuth `error` code of a failure on an OAuth-style route. */
export function oauthErrorCode(error: unknown, problem: Problem, route: Pick<RouteSpec, "oauthErrors">): string {
  if (error instanceof OAuthError) return error.oauthError;
  if (problem.status === 401) return "invalid_token";
  if (problem.status === 429 || problem.status === 503) return "temporarily_unavailable";
  if (problem.status >= 500) return "server_error";
  return route.oauthErrors?.invalidRequest ?? "invalid_request";
}

/** The response for a failure on an OAuth-style route: problem members plus `error` / `error_description`. */
export function oauthErrorResponse(
  error: unknown,
  problem: Problem,
  route: Pick<RouteSpec, "oauthErrors">,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  const code = oauthErrorCode(error, problem, route);
  const extra = { ...headers };
  if (problem.status === 401) extra["www-authenticate"] = `Bearer realm="edc-gateway", error="${code}"`;
  return {
    statusCode: problem.status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...extra },
    body: JSON.stringify({ ...problem, error: code, ...(problem.detail ? { error_description: problem.detail } : {}) }),
  };
}
