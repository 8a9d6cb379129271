/** Decodes the body of a route that takes one: bytes under the size limit, then JSON (or a form), by media type. */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { GatewayError } from "../../kernel/errors.js";
import { bodyBytes, parseJson } from "../body.js";
import { parseForm } from "../form.js";
import { type HttpMiddleware, type RouteState, routeState } from "./state.js";

const BODY_METHODS = new Set(["POST", "PUT"]);

/** `application/json` or a structured `+json` type (RFC 6839 §3.1). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function decodeBody(event: APIGatewayProxyEventV2, { route, deps, headers }: RouteState): unknown {
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

export function bodyDecoding(): HttpMiddleware {
  return {
    before: async ({ event }) => {
      const state = routeState(event);
      state.body = decodeBody(event, state);
    },
  };
}
