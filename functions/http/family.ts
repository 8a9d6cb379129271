/**
 * Builds one Lambda handler for a family of routes (see `contract.ts`). API Gateway has already chosen the route, so
 * the handler dispatches on the event's `routeKey`; the local gateway sets the same field. The middy stack is: log,
 * render errors as problem+json, then per route: decode the body with limits, authenticate, check access, validate
 * path and body against the route's schemas, and call the route's function.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import middy, { type MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { GatewayDeps } from "../composition.js";
import { authenticate, type Principal, PUBLIC, requireAdmin, requireRegistry, sha256Hex } from "../core/tokens/auth.js";
import { GatewayError, isGatewayError } from "../kernel/errors.js";
import { bodyBytes, parseJson } from "./body.js";
import { type Family, getKeyOfHead, ROUTES, type RouteSpec, routeKey, routesOf } from "./contract.js";
import { parseForm } from "./form.js";
import { checkInputValues } from "./input-limits.js";
import { oauthErrorResponse } from "./oauth-errors.js";
import { problemOf, problemResponse } from "./problem.js";
import { bucketsFor, enforceRateLimit, RateLimitedError } from "./rate-limit.js";

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

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "edc-gateway" });

const BODY_METHODS = new Set(["POST", "PUT"]);

/**
 * Request validation, loaded by the first request that has a path or body to validate rather than at init
 * (cold start): ajv, its formats and the compiler are ~120 KB that every family would otherwise load before its first
 * request. Each schema is still compiled once, on its route's first use (`validate.ts`); the errors are the same.
 */
const validation = () => import("./validate.js");

function lowerHeaders(headers: APIGatewayProxyEventV2["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function decodeBody(
  event: APIGatewayProxyEventV2,
  route: RouteSpec,
  deps: GatewayDeps,
  headers: Record<string, string>,
) {
  if (!route.body || !BODY_METHODS.has(route.method)) return undefined;
  const bytes = bodyBytes(event.body, event.isBase64Encoded, deps.config.limits);
  if (bytes.length === 0) {
    throw new GatewayError("validation-failed", "a JSON body is required", [
      { pointer: "/body", detail: "is required" },
    ]);
  }
  if (route.bodyEncoding === "form") return parseForm(bytes, headers["content-type"]);
  if (!isJsonMediaType(headers["content-type"])) {
    throw new GatewayError("unsupported-media-type", "send the body as application/json", [
      { pointer: "/headers/content-type", detail: "must be application/json" },
    ]);
  }
  return parseJson(bytes, deps.config.limits);
}

/**
 * The route's access level against the caller's role. Fails closed: a role a level does not name is refused (403),
 * an anonymous caller of a protected route is asked to authenticate (401). Which issuer an `issuer` route's request
 * is about is checked by the route (`requireIssuer`), since only it knows where the issuer is named.
 */
export function checkAccess(route: Pick<RouteSpec, "access">, principal: Principal): void {
  if (route.access === "public") return;
  if (route.access === "admin") {
    requireAdmin(principal);
    return;
  }
  if (route.access === "registry") {
    requireRegistry(principal);
    return;
  }
  if (principal.role === "public") {
    throw new GatewayError("unauthenticated", "this route needs an issuer token or the admin token", [
      { pointer: "/headers/authorization", detail: "missing bearer token" },
    ]);
  }
  if (principal.role !== "admin" && principal.role !== "issuer") {
    throw new GatewayError("forbidden", "this route needs an issuer token or the admin token");
  }
}

/**
 * The caller of a public route, for its quota only: a valid token counts against its own bucket, anything else
 * (no token, a bad one) is the anonymous caller. Tokens are looked at only when rate limiting is on, so the public
 * functions need no access to the token records otherwise.
 */
async function publicCaller(headers: Record<string, string>, deps: GatewayDeps): Promise<Principal> {
  if (!deps.config.rateLimit.enabled || !headers.authorization) return PUBLIC;
  try {
    const p = await authenticate(headers.authorization, {
      store: deps.store,
      adminTokenSha256: deps.config.adminTokenSha256,
      now: deps.clock.now(),
    });
    return p.role === "admin" ? p : { role: p.role, ...(p.tokenId ? { tokenId: p.tokenId } : {}) };
  } catch {
    return PUBLIC;
  }
}

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
const problemJson = (): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
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

/** One structured log line per request: route, status, time. Never bodies, tokens or learner data. */
const accessLog = (): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
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

/** The signal of routes without a time budget (writes run to their end: see `RouteSpec.timeBudget`). */
const NEVER_ABORTED = new AbortController().signal;

/** Time kept back from the Lambda's remaining time, to send the answer before the function is cut off. */
const ANSWER_MARGIN_MS = 1_000;

/**
 * Runs a route within its time budget: the configured request timeout, or less when the Lambda has less left. When it
 * is spent the answer is a 503 at once, and the signal tells the use case to stop (it checks between items: the
 * credentials of a presentation, the rows of a spreadsheet), so that no work goes on for a caller who has its answer.
 */
async function withinBudget<T>(
  timeoutMs: number,
  context: Context,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const left = typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : timeoutMs;
  const budget = Math.max(1, Math.min(timeoutMs, left - ANSWER_MARGIN_MS));
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new GatewayError("timed-out", `the request took longer than its ${budget} ms budget and was stopped`, [
          { pointer: "/body", detail: "send large inputs as a bulk job (POST /v1/jobs)" },
        ]),
      );
    }, budget);
  });
  const work = run(controller.signal);
  // The work's own failure after the answer (its stop on the signal) is nobody's to handle.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
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
    const route = routes.get(getKeyOfHead(event.routeKey) ?? event.routeKey);
    if (!route) throw new GatewayError("not-found", `no route ${event.routeKey} in ${family}`);
    const deps = await getDeps();
    const headers = lowerHeaders(event.headers);
    // Who is calling comes first: an unauthenticated caller of a protected route learns nothing about the body
    // rules, and the gateway parses no body for it. Public routes do not look at tokens: their functions need no access to the token records (least privilege).
    const sourceIp = event.requestContext?.http?.sourceIp ?? "unknown";
    // Keyed by the configuration, which every family of one gateway shares (each sees only its own ports).
    const buckets = bucketsFor(deps.config);
    let principal: Principal;
    if (route.unthrottled) {
      principal = PUBLIC;
    } else if (route.access === "public") {
      principal = await publicCaller(headers, deps);
    } else {
      try {
        principal = await authenticate(headers.authorization, {
          store: deps.store,
          adminTokenSha256: deps.config.adminTokenSha256,
          now: deps.clock.now(),
        });
      } catch (error) {
        // Failed authentications count against the address, so guessing tokens is throttled like anything else.
        enforceRateLimit(buckets, deps.config.rateLimit, PUBLIC, sourceIp);
        throw error;
      }
    }
    if (!route.unthrottled) enforceRateLimit(buckets, deps.config.rateLimit, principal, sourceIp);
    checkAccess(route, principal);
    const body = decodeBody(event, route, deps, headers);
    if (body !== undefined) checkInputValues(body, deps.config.inputLimits, "/body");
    const params = { ...(event.pathParameters ?? {}) } as Record<string, string>;
    if (route.params || route.body) {
      const { validate } = await validation();
      if (route.params) validate(route.params, params, "/path");
      if (route.body) validate(route.body, body, "/body");
    }
    const impl = impls[route.operationId];
    if (!impl) {
      throw new GatewayError(
        "not-implemented",
        `${route.method} ${route.path} is part of the API contract but not implemented yet (planned in issue ${route.plannedIn ?? "?"})`,
      );
    }
    const query = { ...(event.queryStringParameters ?? {}) } as Record<string, string>;
    const call = (signal: AbortSignal) => impl({ body, params, query, headers, principal, deps, route, signal });
    return render(
      route.timeBudget ? await withinBudget(deps.config.requestTimeoutMs, context, call) : await call(NEVER_ABORTED),
    );
  };
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(accessLog())
    .use(problemJson())
    .handler(core);
  return async (event, context) => {
    const result = await handler(event, context);
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
