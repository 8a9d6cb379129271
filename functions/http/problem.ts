/**
 * Renders errors as RFC 9457 `application/problem+json`. Gateway errors keep their detail and field pointers;
 * anything else is an opaque 500 (the full error is logged by the caller, never sent).
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { type GatewayError, isGatewayError } from "../kernel/errors.js";
import { ERROR_TABLE, problemType } from "./error-table.js";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: { pointer: string; detail: string }[];
}

export function problemOf(error: unknown, instance?: string): Problem {
  // An "internal" GatewayError (a corrupt stored item, a bad key file) is as opaque to callers as any crash.
  if (isGatewayError(error) && error.code !== "internal") return gatewayProblem(error, instance);
  const { status, title } = ERROR_TABLE.internal;
  return {
    type: problemType("internal"),
    title,
    status,
    detail: "The gateway failed to handle the request; it has been logged.",
    code: "internal",
    ...(instance ? { instance } : {}),
  };
}

function gatewayProblem(error: GatewayError, instance?: string): Problem {
  const { status, title } = ERROR_TABLE[error.code];
  return {
    type: problemType(error.code),
    title,
    status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.issues.length > 0 ? { errors: error.issues } : {}),
  };
}

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(problem),
  };
}
