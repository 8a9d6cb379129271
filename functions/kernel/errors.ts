/**
 * The gateway's one error model. Use cases throw {@link GatewayError}s with a stable `code`; the HTTP layer maps the
 * code to a status and an RFC 9457 problem `type` (`functions/http/error-table.ts`). Anything else is an internal
 * error. Codes only here: this module knows nothing of HTTP.
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
  | "timed-out"
  | "internal";

/** One problem found in a request: where (a JSON Pointer into the request) and what. */
export interface FieldIssue {
  /** JSON Pointer, rooted at the request: `/body/name`, `/path/id`, `/query/to`, `/headers/authorization`. */
  pointer: string;
  detail: string;
}

/** Codes that mean the gateway or a service behind it failed, not the caller's input. */
const SERVER_FAULTS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["internal", "not-implemented", "upstream-failed"]);

/** Whether an error with `code` is the gateway's (or an upstream's) fault rather than the caller's. */
export const isServerFault = (code: ErrorCode): boolean => SERVER_FAULTS.has(code);

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, detail: string, issues: FieldIssue[] = [], options?: { cause?: unknown }) {
    super(detail, options);
    this.name = "GatewayError";
    this.code = code;
    this.issues = issues;
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

/**
 * A tenant-scoped resource another caller owns, or none: the same answer for both, so that a token cannot tell another
 * issuer's ids from ids that do not exist (an existence oracle). `what` names the resource as the caller gave it.
 */
export const notYours = (what: string, pointer: string): GatewayError =>
  new GatewayError("forbidden", `${what} is not one this token may use: it is another issuer's, or there is none`, [
    { pointer, detail: "not this token's, or no such resource" },
  ]);

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
