/**
 * Fuzz targets: one fast-check property per reader of the registry (READERS, ASYNC_READERS), the format sniffer,
 * the document preparation, and every route of the route table (called through its Lambda handler with API Gateway
 * v2 events, as API Gateway or the local gateway would). Shared by the fixed-seed slice in `npm test`
 * (`fuzz.test.ts`) and by `npm run fuzz` (`scripts/fuzz.ts`), which runs at least 100,000 cases.
 *
 * The properties: readers never throw and answer `{ok: true, ...}` or `{ok: false, issues}`; the sniffer never throws;
 * routes never reject, never answer 5xx (planned routes: 501), and answer every 4xx with problem+json (OAuth-style
 * routes: JSON carrying the problem members and OAuth's `error`; the W3C verify aliases: their 422 result body).
 */
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import type { GatewayDeps } from "../../functions/composition.js";
import { prepareDocument } from "../../functions/core/convert/documents.js";
import { handlersWith } from "../../functions/handlers/all.js";
import { type Family, ROUTES, type RouteSpec, routeKey } from "../../functions/http/contract.js";
import type { LambdaHttpHandler } from "../../functions/http/family.js";
import type { JsonSchema } from "../../functions/http/schemas.js";
import { isGatewayError, isServerFault } from "../../functions/kernel/errors.js";
import { toEventV2 } from "../../functions/local/event.js";
import { FORMATS } from "../../mappings/formats.js";
import { ASYNC_READERS, READERS, sniffFormat } from "../../mappings/registry.js";
import { type DocumentArbitraries, documentArbitraries } from "./inputs.js";

export interface FuzzResult {
  target: string;
  runs: number;
  failed: boolean;
  /** The shrunk counterexample and error, when failed. */
  failure?: string;
}

export interface FuzzTarget {
  name: string;
  /** Share of the total budget (weights are relative). */
  weight: number;
  run(numRuns: number, seed: number): Promise<FuzzResult>;
}

const describeFailure = (details: { errorInstance?: unknown; counterexample: unknown }): string =>
  `${String(details.errorInstance ?? "property returned false").slice(0, 1500)}\ncounterexample: ${fc
    .stringify(details.counterexample)
    .slice(0, 1500)}`;

export async function checked(
  name: string,
  property: fc.IProperty<[unknown, ...unknown[]]> | fc.IAsyncProperty<[unknown, ...unknown[]]>,
  numRuns: number,
  seed: number,
): Promise<FuzzResult> {
  const details = await fc.check(property as fc.IAsyncProperty<[unknown, ...unknown[]]>, { numRuns, seed });
  return {
    target: name,
    runs: details.numRuns,
    failed: details.failed,
    ...(details.failed ? { failure: describeFailure(details) } : {}),
  };
}

const readerOptions = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.record(
    {
      profile: fc.oneof(fc.constantFrom("default", "moodle", "edc-generic", "nope"), fc.jsonValue({ maxDepth: 2 })),
      delimiter: fc.constantFrom(",", ";", "\t", "||"),
      maxRows: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(1e12)),
      sheet: fc.string({ maxLength: 5 }),
    },
    { requiredKeys: [] },
  ),
);

/** True when a reader's answer has the documented shape. */
const isReadResult = (r: unknown): boolean => {
  if (r === null || typeof r !== "object") return false;
  const res = r as { ok?: unknown; value?: unknown; issues?: unknown };
  return (res.ok === true && Array.isArray(res.value)) || (res.ok === false && Array.isArray(res.issues));
};

/** Reader, sniffer and preparation targets: pure, fast. */
export function readerTargets(docs: DocumentArbitraries = documentArbitraries()): FuzzTarget[] {
  const targets: FuzzTarget[] = [];
  for (const [format, reader] of Object.entries(READERS)) {
    if (!reader) continue;
    targets.push({
      name: `reader ${format}`,
      weight: 8,
      run: (n, seed) =>
        checked(
          `reader ${format}`,
          fc.property(docs.document, readerOptions, (input, options) =>
            isReadResult(reader(input, options as Record<string, unknown> | undefined)),
          ),
          n,
          seed,
        ),
    });
  }
  for (const [format, reader] of Object.entries(ASYNC_READERS)) {
    if (!reader) continue;
    targets.push({
      name: `async reader ${format}`,
      weight: 4,
      run: (n, seed) =>
        checked(
          `async reader ${format}`,
          fc.asyncProperty(docs.document, readerOptions, async (input, options) =>
            isReadResult(await reader(input, options as Record<string, unknown> | undefined)),
          ),
          n,
          seed,
        ),
    });
  }
  targets.push({
    name: "sniffFormat",
    weight: 8,
    run: (n, seed) =>
      checked(
        "sniffFormat",
        fc.property(docs.document, (input) => {
          const format = sniffFormat(input);
          return format === undefined || (FORMATS as readonly string[]).includes(format);
        }),
        n,
        seed,
      ),
  });
  targets.push({
    name: "prepareDocument",
    weight: 4,
    run: (n, seed) =>
      checked(
        "prepareDocument",
        fc.property(fc.oneof(docs.document, fc.json({ maxDepth: 80 })), (input) => {
          try {
            prepareDocument(input, { maxJsonDepth: 64, maxJsonKeys: 100_000 });
            return true;
          } catch (e) {
            // Refusals are typed 4xx errors; anything else is a crash.
            return isGatewayError(e) && !isServerFault(e.code);
          }
        }),
        n,
        seed,
      ),
  });
  return targets;
}

/** What route fuzzing refers to: tokens of every role and ids of the owner's resources. */
export interface RouteWorld {
  deps: GatewayDeps;
  adminToken: string;
  owner: { id: string; slug: string; token: string };
  other: { id: string; slug: string; token: string };
  registryToken: string;
  /** Ids that exist: the owner's credential, job, ... (path parameters pick among them). */
  knownIds: string[];
}

const LAMBDA_CONTEXT = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "fuzz",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:fuzz",
  memoryLimitInMB: "1024",
  awsRequestId: "fuzz",
  logGroupName: "fuzz",
  logStreamName: "fuzz",
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

/** A value shaped by a JSON Schema (loosely: sometimes valid, often nearly so), with documents where they go. */
function fromSchema(
  schema: JsonSchema | undefined,
  w: RouteWorld,
  docs: DocumentArbitraries,
  depth = 0,
): fc.Arbitrary<unknown> {
  const anyValue = fc.jsonValue({ maxDepth: 2 });
  if (!schema || depth > 4) return anyValue;
  const s = schema as {
    type?: string | string[];
    enum?: unknown[];
    anyOf?: JsonSchema[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
  };
  if (s.enum) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: anyValue });
  if (s.anyOf) return fc.oneof(...s.anyOf.map((a) => fromSchema(a, w, docs, depth + 1)));
  if (s.properties) {
    const props: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, sub] of Object.entries(s.properties)) props[key] = fieldArbitrary(key, sub, w, docs, depth);
    return fc.oneof(
      { weight: 6, arbitrary: fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) }) },
      { weight: 1, arbitrary: fc.record(props, { requiredKeys: [] }) },
      { weight: 1, arbitrary: anyValue },
    );
  }
  switch (s.type) {
    case "string":
      return fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom(w.owner.id, w.owner.slug, w.other.id, ...w.knownIds),
      );
    case "integer":
      return fc.oneof(fc.integer({ min: -10, max: 1_000_000 }), fc.constantFrom(0, 2 ** 53, -1));
    case "boolean":
      return fc.oneof(fc.boolean(), anyValue);
    case "array":
      return fc.array(fromSchema(s.items, w, docs, depth + 1), { maxLength: 3 });
    case "object":
      return fc.oneof(docs.object, anyValue);
    default:
      return anyValue;
  }
}

function fieldArbitrary(
  key: string,
  schema: JsonSchema,
  w: RouteWorld,
  docs: DocumentArbitraries,
  depth: number,
): fc.Arbitrary<unknown> {
  if (["document", "credential", "verifiableCredential", "verifiablePresentation"].includes(key)) return docs.document;
  if (key === "issuer")
    return fc.oneof(fc.constantFrom(w.owner.id, w.owner.slug, w.other.id), fc.string({ maxLength: 20 }));
  return fromSchema(schema, w, docs, depth + 1);
}

/** The body bytes of a fuzzed request: JSON of a shaped value mostly, sometimes raw junk or invalid UTF-8. */
function bodyArbitrary(route: RouteSpec, w: RouteWorld, docs: DocumentArbitraries): fc.Arbitrary<Buffer | undefined> {
  if (!route.body) return fc.constant(undefined);
  const shaped = fromSchema(route.body, w, docs).map((v) => {
    try {
      return Buffer.from(JSON.stringify(v) ?? "null");
    } catch {
      return Buffer.from("null");
    }
  });
  return fc.oneof(
    { weight: 12, arbitrary: shaped },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 80 }).map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const paramArbitrary = (w: RouteWorld) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(w.owner.slug, w.owner.id, w.other.slug, ...w.knownIds) },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
    { weight: 1, arbitrary: fc.constantFrom("..", "%00", "a".repeat(300), "did:web:evil.example", "v1.json", "EU") },
  );

/**
 * Routes whose answer depends on an outside service (a Europass wallet to pull from or deliver to, the DEQAR API), so
 * 502 `upstream-failed` is documented (also when no such service is configured, as in the fuzz world).
 */
const UPSTREAM_ROUTES = new Set(["importCredential", "importRegistry", "createDelivery"]);

/** A problem document, or the other documented 4xx bodies (OAuth-style routes, W3C verify aliases). */
function acceptable4xx(route: RouteSpec, res: APIGatewayProxyStructuredResultV2): boolean {
  const type = String(res.headers?.["content-type"] ?? "");
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(String(res.body ?? ""));
  } catch {
    return false;
  }
  if (type === "application/problem+json") return body.status === res.statusCode && typeof body.code === "string";
  if (res.statusCode === 502) return false;
  const oauth = "oauthErrors" in route && route.oauthErrors !== undefined;
  if (oauth && type === "application/json") return typeof body.error === "string" && body.status === res.statusCode;
  if (res.statusCode === 422 && type.startsWith("application/json")) return body.verified === false;
  return false;
}

/** One request to a route through its family's Lambda handler, as API Gateway would deliver it. */
export async function callRoute(
  handlers: Record<Family, LambdaHttpHandler>,
  route: RouteSpec,
  req: {
    url: string;
    pathParameters: Record<string, string>;
    token?: string | undefined;
    body?: Buffer | undefined;
    contentType?: string;
  },
): Promise<APIGatewayProxyStructuredResultV2> {
  const event = toEventV2(
    {
      method: route.method,
      url: req.url,
      headers: {
        ...(req.token ? { authorization: `Bearer ${req.token}` } : {}),
        ...(req.body ? { "content-type": req.contentType ?? "application/json" } : {}),
      },
      body: req.body ?? Buffer.alloc(0),
      sourceIp: "127.0.0.1",
      host: "localhost",
    },
    route,
    req.pathParameters,
  );
  return handlers[route.family](event, LAMBDA_CONTEXT);
}

/** Throws unless the answer is one a route may give: never 5xx (but documented 501/502), 4xx as problem documents. */
export function assessAnswer(route: RouteSpec, res: APIGatewayProxyStructuredResultV2): void {
  const status = res.statusCode ?? 0;
  if (route.plannedIn && status === 501) return;
  // Routes that call services outside the gateway (a Europass wallet, the DEQAR API) answer 502 upstream-failed
  // when those fail or, here, are not configured: a documented answer, not a crash.
  if (status === 502 && UPSTREAM_ROUTES.has(route.operationId) && acceptable4xx(route, res)) return;
  if (status >= 500 || status < 100) throw new Error(`${status} ${String(res.body).slice(0, 500)}`);
  if (status >= 400 && !acceptable4xx(route, res)) {
    throw new Error(
      `a ${status} that is not problem+json: ${String(res.headers?.["content-type"])} ${String(res.body).slice(0, 300)}`,
    );
  }
}

/** One target per route, through its family's Lambda handler. */
export function routeTargets(w: RouteWorld, docs: DocumentArbitraries = documentArbitraries()): FuzzTarget[] {
  const handlers: Record<Family, LambdaHttpHandler> = handlersWith(async () => w.deps);
  return ROUTES.map((route) => {
    const name = `route ${routeKey(route)}`;
    const paramNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    const request = fc.record({
      token: fc.constantFrom(undefined, w.adminToken, w.owner.token, w.other.token, w.registryToken, "gw1.x.y", "junk"),
      params: fc.tuple(...paramNames.map(() => paramArbitrary(w))),
      body: bodyArbitrary(route, w, docs),
      contentType: fc.oneof(
        {
          weight: 10,
          arbitrary: fc.constant(
            route.bodyEncoding === "form" ? "application/x-www-form-urlencoded" : "application/json",
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/xml", "application/ld+json", "") },
      ),
      query: fc.dictionary(fc.constantFrom("limit", "cursor", "key", "issuer", "x"), fc.string({ maxLength: 12 }), {
        maxKeys: 2,
      }),
    });
    return {
      name,
      weight: 1,
      run: (n, seed) =>
        checked(
          name,
          fc.asyncProperty(request, async (req) => {
            const pathParameters: Record<string, string> = {};
            let path = route.path;
            paramNames.forEach((p, i) => {
              const value = req.params[i] as string;
              pathParameters[p] = value;
              path = path.replace(`{${p}}`, encodeURIComponent(value));
            });
            const qs = new URLSearchParams(req.query).toString();
            const res = await callRoute(handlers, route, {
              url: `${path}${qs ? `?${qs}` : ""}`,
              pathParameters,
              token: req.token,
              body: req.body,
              contentType: req.contentType,
            });
            assessAnswer(route, res);
            return true;
          }),
          n,
          seed,
        ),
    };
  });
}

/** Splits `total` cases over targets by weight (at least `min` each). */
export function budget(targets: FuzzTarget[], total: number, min = 1): Map<FuzzTarget, number> {
  const weights = targets.reduce((sum, t) => sum + t.weight, 0);
  return new Map(targets.map((t) => [t, Math.max(min, Math.ceil((total * t.weight) / weights))]));
}
