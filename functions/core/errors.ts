/**
 * The gateway's one error model. Use cases throw {@link GatewayError}s with a stable `code`; the HTTP layer maps the
 * code to a status and an RFC 9457 problem `type` through {@link ERROR_TABLE}. Anything else is an internal error.
 */

/** Stable error codes. Clients may switch on them; never rename one. */
export type ErrorCode =
  | "validation-failed"
  | "malformed-json"
  | "unsupported-media-type"
  | "body-too-large"
  | "limit-exceeded"
  | "work-budget-exceeded"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "method-not-allowed"
  | "conflict"
  | "rate-limited"
  | "unprocessable"
  | "not-implemented"
  | "upstream-failed"
  | "internal";

/** One problem found in a request: where (a JSON Pointer into the request) and what. */
export interface FieldIssue {
  /** JSON Pointer, rooted at the request: `/body/name`, `/path/id`, `/query/to`, `/headers/authorization`. */
  pointer: string;
  detail: string;
}

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
  internal: { status: 500, title: "Internal error" },
};

/** The problem `type` URI for a code: stable and absolute (RFC 9457 §3.1.1), not meant to be dereferenced. */
export function problemType(code: ErrorCode): string {
  return `urn:edc-gateway:problem:${code}`;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, detail: string, issues: FieldIssue[] = [], options?: { cause?: unknown }) {
    super(detail, options);
    this.name = "GatewayError";
    this.code = code;
    this.issues = issues;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }
}

export const validationFailed = (issues: FieldIssue[], detail?: string): GatewayError =>
  new GatewayError(
    "validation-failed",
    detail ?? issues.map((i) => `${i.pointer}: ${i.detail}`).join("; ") ?? "invalid request",
    issues,
  );

export const notFound = (what: string, pointer?: string): GatewayError =>
  new GatewayError("not-found", `${what} was not found`, pointer ? [{ pointer, detail: "no such resource" }] : []);

export const conflict = (detail: string, pointer?: string): GatewayError =>
  new GatewayError("conflict", detail, pointer ? [{ pointer, detail }] : []);

export const isGatewayError = (e: unknown): e is GatewayError => e instanceof GatewayError;

/**
 * A {@link GatewayError} that also names an OAuth 2.0 error code (RFC 6749 §5.2, RFC 6750 §3.1, OpenID4VCI 1.0
 * §8.3.1.2: `invalid_grant`, `invalid_proof`, `invalid_nonce`, ...). Routes marked `errors: "oauth"` in the contract
 * answer with the problem document plus `error` / `error_description`, as OAuth clients and wallets expect.
 */
export class OAuthError extends GatewayError {
  readonly oauthError: string;

  constructor(code: ErrorCode, oauthError: string, detail: string, issues: FieldIssue[] = []) {
    super(code, detail, issues);
    this.name = "OAuthError";
    this.oauthError = oauthError;
  }
}
