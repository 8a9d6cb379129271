/**
 * How each stable error code is answered over HTTP: its status and the RFC 9457 problem `title` and `type`. The
 * kernel's error model names codes only; this table is the one place that turns them into HTTP.
 */
import type { ErrorCode } from "../kernel/errors.js";

export const ERROR_TABLE: Record<ErrorCode, { status: number; title: string }> = {
  "validation-failed": { status: 400, title: "The request is not valid" },
  "malformed-json": { status: 400, title: "The request body is not valid JSON" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "body-too-large": { status: 413, title: "The request body is too large" },
  "limit-exceeded": { status: 400, title: "The input exceeds a configured limit" },
  "work-budget-exceeded": { status: 413, title: "The request exceeds the work budget of a synchronous request" },
  unauthenticated: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Not allowed" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  "rate-limited": { status: 429, title: "Too many requests" },
  unprocessable: { status: 422, title: "The input could not be processed" },
  "not-implemented": { status: 501, title: "Not implemented yet" },
  "upstream-failed": { status: 502, title: "An upstream service failed" },
  "timed-out": { status: 503, title: "The request ran out of time" },
  internal: { status: 500, title: "Internal error" },
};

/** The problem `type` URI for a code: stable and absolute (RFC 9457 §3.1.1), not meant to be dereferenced. */
export function problemType(code: ErrorCode): string {
  return `urn:edc-gateway:problem:${code}`;
}
