/**
 * What API Gateway (HTTP API, payload format 2.0) does in front of the functions, done locally: match the request to
 * a route of the contract, build the v2 event, and turn the function's result back into an HTTP response. The route
 * table is the same one the CDK stack turns into API Gateway routes.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { headRouteKey, ROUTES, type RouteSpec, routeKey } from "../http/contract.js";

interface CompiledRoute {
  spec: RouteSpec;
  regex: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = ROUTES.map((spec) => {
  const names: string[] = [];
  const pattern = spec.path
    .split("/")
    .map((seg) => {
      const m = /^\{([A-Za-z0-9_]+)\}$/.exec(seg);
      if (m?.[1]) {
        names.push(m[1]);
        return "([^/]+)";
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { spec, regex: new RegExp(`^${pattern}$`), names };
});

export type RouteMatch =
  | { kind: "route"; spec: RouteSpec; pathParameters: Record<string, string> }
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "not-found" };

/**
 * Matches a method and a raw path as API Gateway would: literal segments first, then parameters. HEAD matches the
 * path's GET route (the stack gives every GET route a HEAD route on the same function).
 */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const allow: string[] = [];
  const wanted = method === "HEAD" ? "GET" : method;
  const candidates = compiled
    .map((c) => ({ c, m: c.regex.exec(rawPath) }))
    .filter((x): x is { c: CompiledRoute; m: RegExpExecArray } => x.m !== null)
    // API Gateway prefers the most specific route: fewer parameters wins.
    .sort((a, b) => a.c.names.length - b.c.names.length);
  for (const { c, m } of candidates) {
    if (c.spec.method !== wanted) {
      allow.push(c.spec.method);
      if (c.spec.method === "GET") allow.push("HEAD");
      continue;
    }
    const pathParameters: Record<string, string> = {};
    let ok = true;
    c.names.forEach((name, i) => {
      try {
        pathParameters[name] = decodeURIComponent(m[i + 1] ?? "");
      } catch {
        ok = false;
      }
    });
    if (!ok) return { kind: "not-found" };
    return { kind: "route", spec: c.spec, pathParameters };
  }
  return allow.length > 0 ? { kind: "method-not-allowed", allow: [...new Set(allow)] } : { kind: "not-found" };
}

const TEXTUAL = /^(text\/|application\/([a-z0-9.+-]*\+)?(json|xml|x-www-form-urlencoded|jwt|javascript)\b)/i;

export interface IncomingRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  host: string;
}

/** The v2 event API Gateway would send for this request and route. */
export function toEventV2(
  req: IncomingRequest,
  spec: RouteSpec,
  pathParameters: Record<string, string>,
  now: Date = new Date(),
): APIGatewayProxyEventV2 {
  const url = new URL(req.url, "http://local");
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    if (name === "cookie") {
      cookies.push(...(Array.isArray(v) ? v : [v]).flatMap((c) => c.split(/;\s*/)));
      continue;
    }
    headers[name] = Array.isArray(v) ? v.join(",") : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const textual = TEXTUAL.test(headers["content-type"] ?? "");
  const key = req.method === "HEAD" ? headRouteKey(spec) : routeKey(spec);
  const requestId = randomUUID();
  return {
    version: "2.0",
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: req.host,
      domainPrefix: req.host.split(".")[0] ?? req.host,
      http: {
        method: req.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: req.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: key,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(req.body.length > 0
      ? { body: textual ? req.body.toString("utf8") : req.body.toString("base64"), isBase64Encoded: !textual }
      : { isBase64Encoded: false }),
  };
}

/** The HTTP status, headers and body bytes of a function's result. */
export function fromResultV2(result: APIGatewayProxyStructuredResultV2): {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
} {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : Buffer.alloc(0);
  return { status: result.statusCode ?? 200, headers, body };
}
