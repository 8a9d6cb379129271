import { describe, expect, it } from "vitest";
import { FAMILIES, ROUTES, routeKey } from "../../../../functions/http/contract.js";
import { openApiDocument } from "../../../../functions/http/openapi.js";
import { fromResultV2, matchRoute, toEventV2 } from "../../../../functions/local/event.js";

describe("the route table", () => {
  it("has unique route keys and operation ids, and every family serves a route", () => {
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((r) => r.operationId)).size).toBe(ROUTES.length);
    for (const f of FAMILIES) expect(ROUTES.some((r) => r.family === f)).toBe(true);
  });

  it("lists every route of the DESIGN.md contract", () => {
    const expected = [
      "GET /health",
      "GET /openapi.json",
      "POST /v1/convert",
      "POST /v1/check",
      "POST /v1/credentials/issue",
      "POST /credentials/issue",
      "POST /v1/credentials/verify",
      "POST /credentials/verify",
      "POST /v1/issuers",
      "GET /v1/issuers/{id}",
      "GET /v1/issuers/{id}/csr",
      "PUT /v1/issuers/{id}/certificate",
      "GET /issuers/{id}/did.json",
      "GET /issuers/{id}/jwks.json",
      "POST /v1/credentials/{id}/revoke",
      "GET /status-lists/{id}",
      "POST /v1/jobs",
      "GET /v1/jobs",
      "POST /v1/jobs/{id}/start",
      "GET /v1/jobs/{id}",
      "GET /v1/jobs/{id}/results",
      "POST /v1/deliveries",
      "GET /v1/deliveries/{id}",
      "POST /v1/imports",
      "POST /presentations/verify",
      "GET /",
      "GET /console",
      "POST /console/qr",
      "GET /contexts/ob3-elm/{file}",
      "OPTIONS /contexts/ob3-elm/{file}",
      "GET /docs",
      "GET /docs/{file}",
      "POST /v1/issuers/{id}/keys",
      "POST /v1/issuers/{id}/offers",
      "GET /oid4vci/{slug}/offers/{reference}",
      "GET /.well-known/openid-credential-issuer/oid4vci/{slug}",
      "GET /oid4vci/{slug}/.well-known/openid-credential-issuer",
      "GET /.well-known/oauth-authorization-server/oid4vci/{slug}",
      "GET /oid4vci/{slug}/.well-known/oauth-authorization-server",
      "POST /oid4vci/{slug}/token",
      "POST /oid4vci/{slug}/nonce",
      "POST /oid4vci/{slug}/credential",
      "POST /v1/tokens",
      "POST /v1/tokens/{id}/rotate",
      "DELETE /v1/tokens/{id}",
      "GET /v1/admin/trust",
      "PUT /v1/admin/trust/issuers",
      "PUT /v1/admin/trust/roots",
      "PUT /v1/admin/trust/lists/{territory}",
      "POST /v1/registry/imports",
      "POST /v1/registry/match",
      "GET /token-status-lists/{id}",
      "GET /.well-known/jwt-vc-issuer/issuers/{id}",
      "GET /vct/{id}",
      "POST /v1/presentation-requests",
      "GET /v1/presentation-requests/{id}",
      "GET /oid4vp/requests/{id}",
      "POST /oid4vp/responses/{id}",
      "POST /verifier/presentation-requests",
      "POST /verifier/presentation-requests/{id}/result",
    ];
    expect(ROUTES.map(routeKey).sort()).toEqual(expected.sort());
  });
});

describe("local route matching (as API Gateway does)", () => {
  it("matches literal routes and decodes path parameters", () => {
    const m = matchRoute("GET", "/v1/issuers/did%3Aweb%3Alocalhost%253A3000%3Aissuers%3Aabc");
    expect(m).toMatchObject({
      kind: "route",
      spec: { operationId: "getIssuer" },
      pathParameters: { id: "did:web:localhost%3A3000:issuers:abc" },
    });
    expect(matchRoute("GET", "/v1/jobs/j1/results")).toMatchObject({ spec: { operationId: "getJobResults" } });
  });

  it("answers 405 with the allowed methods, and 404 for unknown paths", () => {
    expect(matchRoute("DELETE", "/v1/issuers")).toEqual({ kind: "method-not-allowed", allow: ["POST"] });
    expect(matchRoute("GET", "/nope")).toEqual({ kind: "not-found" });
    expect(matchRoute("GET", "/v1/issuers/%E0%A4%A")).toEqual({ kind: "not-found" });
  });

  it("builds a v2 event: route key, lower-case headers, query, cookies, base64 for binary bodies", () => {
    const m = matchRoute("POST", "/v1/issuers");
    if (m.kind !== "route") throw new Error("no match");

    const json = toEventV2(
      {
        method: "POST",
        url: "/v1/issuers?a=1&a=2",
        headers: { "Content-Type": "application/json", cookie: "x=1; y=2" },
        body: Buffer.from("{}"),
        sourceIp: "127.0.0.1",
        host: "localhost:3000",
      },
      m.spec,
      m.pathParameters,
    );
    const binary = toEventV2(
      {
        method: "POST",
        url: "/v1/issuers",
        headers: { "content-type": "application/octet-stream" },
        body: Buffer.from([0xff, 0]),
        sourceIp: "::1",
        host: "h",
      },
      m.spec,
      {},
    );

    expect(json).toMatchObject({
      version: "2.0",
      routeKey: "POST /v1/issuers",
      rawPath: "/v1/issuers",
      rawQueryString: "a=1&a=2",
      queryStringParameters: { a: "1,2" },
      cookies: ["x=1", "y=2"],
      headers: { "content-type": "application/json" },
      body: "{}",
      isBase64Encoded: false,
      requestContext: {
        http: { method: "POST", path: "/v1/issuers" },
        routeKey: "POST /v1/issuers",
        stage: "$default",
      },
    });
    expect(binary).toMatchObject({ body: "/wA=", isBase64Encoded: true });
    expect(fromResultV2({ statusCode: 201, body: "/wA=", isBase64Encoded: true }).body).toEqual(Buffer.from([0xff, 0]));
  });
});

describe("the OpenAPI document", () => {
  it("describes every route, marks unbuilt ones, and documents problem responses", () => {
    const doc = openApiDocument("https://gw.example.org", "0.1.0") as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { operationId: string; responses: Record<string, unknown>; "x-planned-in"?: number }>
      >;
    };

    expect(doc.openapi).toBe("3.1.0");
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.operationId).toBe(route.operationId);
      expect(op?.responses[String(route.success.status)]).toBeDefined();
      expect(op?.responses["500"]).toMatchObject({ content: { "application/problem+json": expect.anything() } });
      expect(op?.["x-planned-in"]).toBe(route.plannedIn);
      if (route.plannedIn) expect(op?.responses["501"]).toBeDefined();
      if (route.body) expect(op?.responses["400"]).toBeDefined();
    }
  });
});
