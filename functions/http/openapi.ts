/**
 * The OpenAPI 3.1 document, generated from the route table and its JSON Schemas (OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, so the validation schemas are used as they are). Routes not built yet are marked `x-planned-in` and list
 * their 501 answer.
 */
import type { ErrorCode } from "../kernel/errors.js";
import { ROUTES, type RouteSpec } from "./contract.js";
import { ERROR_TABLE } from "./error-table.js";
import { EXAMPLES } from "./examples.js";
import { RESPONSE_SCHEMAS_BY_OPERATION } from "./operation-response-schemas.js";
import { problemSchema } from "./schemas.js";

const problemRef = { $ref: "#/components/schemas/Problem" };
const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemRef } },
});

function errorCodesFor(route: RouteSpec): ErrorCode[] {
  const codes: ErrorCode[] = ["internal"];
  if (route.body) codes.push("validation-failed", "unsupported-media-type", "body-too-large");
  else if (route.params) codes.push("validation-failed");
  if (route.access !== "public") codes.push("unauthenticated", "forbidden");
  if (route.params) codes.push("not-found");
  if (route.operationId === "registerIssuer") codes.push("conflict", "unprocessable");
  if (route.plannedIn) codes.push("not-implemented");
  // Per-caller quotas (functions/http/rate-limit.ts) and API Gateway throttling both answer 429.
  codes.push("rate-limited");
  return codes;
}

/** The request body's media type: JSON, or a form for OAuth token requests. */
const bodyMediaType = (route: RouteSpec): string =>
  route.bodyEncoding === "form" ? "application/x-www-form-urlencoded" : "application/json";

/** `{example}` when there is one (an answer without content, such as a 204, has none). */
const exampleOf = (value: unknown): { example?: unknown } => (value === undefined ? {} : { example: value });

function operation(route: RouteSpec): Record<string, unknown> {
  const example = EXAMPLES[route.operationId];
  const schema = route.success.schema ?? RESPONSE_SCHEMAS_BY_OPERATION[route.operationId] ?? {};
  const responses: Record<string, unknown> = {
    [String(route.success.status)]: {
      description: route.success.description,
      // RFC 9110 §15.3.5: a 204 answer has no content.
      ...(route.success.status === 204
        ? {}
        : {
            content: {
              [route.success.contentType ?? "application/json"]: { schema, ...exampleOf(example?.response) },
            },
          }),
    },
  };
  for (const code of errorCodesFor(route)) {
    const { status, title } = ERROR_TABLE[code];
    responses[String(status)] ??= problemResponse(title);
  }
  const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: (route.params?.properties as Record<string, unknown> | undefined)?.[m[1] ?? ""] ?? { type: "string" },
    ...exampleOf(example?.params?.[m[1] ?? ""]),
  }));
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.family],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { [bodyMediaType(route)]: { schema: route.body, ...exampleOf(example?.request) } },
          },
        }
      : {}),
    responses,
    ...(route.access === "public" ? { security: [] } : { security: [{ bearer: [] }] }),
    ...(route.plannedIn
      ? { "x-planned-in": route.plannedIn, description: `Not implemented yet: answers 501 (issue ${route.plannedIn}).` }
      : {}),
    "x-access": route.access,
  };
}

/** The document for a gateway served at `publicUrl`. */
export function openApiDocument(publicUrl: string, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Europass / EDC interoperability gateway",
      version,
      description:
        "Converts learning credentials between local formats, Open Badges 3.0 and the European Learning Model v3, " +
        "signs them with KMS-held keys, verifies them and exchanges them with Europass wallets. Errors are RFC 9457 " +
        "problem+json documents whose `errors[].pointer` names the offending field.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: publicUrl }],
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The admin token or an issuer token (`gw1.…`)." },
      },
    },
  };
}
