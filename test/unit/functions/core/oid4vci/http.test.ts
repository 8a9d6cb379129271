import { describe, expect, it } from "vitest";
import { parseForm } from "../../../../../functions/http/form.js";
import { oauthErrorResponse } from "../../../../../functions/http/oauth-errors.js";
import { openApiDocument } from "../../../../../functions/http/openapi.js";
import { problemOf } from "../../../../../functions/http/problem.js";
import { GatewayError, OAuthError } from "../../../../../functions/kernel/errors.js";

const FORM = "application/x-www-form-urlencoded";

describe("form bodies (OAuth token requests)", () => {
  it("decodes parameters, percent-encoding included", () => {
    const body = Buffer.from("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&tx_code=12+34");

    expect(parseForm(body, `${FORM}; charset=utf-8`)).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
      tx_code: "12 34",
    });
  });

  it("is what the OpenAPI document says the token endpoint takes", () => {
    const doc = openApiDocument("https://gw.example", "test") as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };

    const content = doc.paths["/oid4vci/{slug}/token"]?.post?.requestBody?.content ?? {};

    expect(Object.keys(content)).toEqual([FORM]);
  });

  it("refuses a repeated parameter (naming it) and another media type", () => {
    expect(() => parseForm(Buffer.from("a=1&a=2"), FORM)).toThrow(
      expect.objectContaining({
        code: "validation-failed",
        issues: [{ pointer: "/body/a", detail: "sent more than once" }],
      }),
    );
    expect(() => parseForm(Buffer.from("{}"), "application/json")).toThrow(
      expect.objectContaining({ code: "unsupported-media-type" }),
    );
  });
});

describe("OAuth-style error responses", () => {
  const route = { oauthErrors: { invalidRequest: "invalid_credential_request" } };
  const render = (error: unknown) => {
    const res = oauthErrorResponse(error, problemOf(error, "/oid4vci/x/credential"), route);
    return { ...res, json: JSON.parse(String(res.body)) };
  };

  it("carries the problem members and the OAuth error of an OAuthError", () => {
    const res = render(
      new OAuthError("validation-failed", "invalid_proof", "bad signature", [
        { pointer: "/body/proofs/jwt/0", detail: "bad signature" },
      ]),
    );

    expect(res.statusCode).toBe(400);
    expect(res.headers?.["content-type"]).toBe("application/json");
    expect(res.json).toMatchObject({
      type: "urn:edc-gateway:problem:validation-failed",
      status: 400,
      detail: "bad signature",
      errors: [{ pointer: "/body/proofs/jwt/0" }],
      error: "invalid_proof",
      error_description: "bad signature",
    });
  });

  it("maps other failures: validation to the route's code, 401 to invalid_token with a challenge, crashes to server_error", () => {
    const invalid = render(new GatewayError("validation-failed", "/body/proofs: must be object"));
    const unauthenticated = render(new GatewayError("unauthenticated", "no token"));
    const crash = render(new Error("boom"));

    expect(invalid.json.error).toBe("invalid_credential_request");
    expect(unauthenticated.json.error).toBe("invalid_token");
    expect(unauthenticated.headers?.["www-authenticate"]).toContain('error="invalid_token"');
    expect([crash.statusCode, crash.json.error, crash.json.error_description]).toEqual([
      500,
      "server_error",
      "The gateway failed to handle the request; it has been logged.",
    ]);
  });
});
