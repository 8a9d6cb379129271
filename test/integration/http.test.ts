import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../functions/http/contract.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

/** A path for a route template, with a placeholder id. */
const pathOf = (template: string) => template.replace("{id}", "some-id");

const expectProblem = (
  res: { status: number; headers: Headers; json: { status: number; type: string } },
  status: number,
) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json.status).toBe(status);
  expect(res.json.type).toMatch(/^urn:edc-gateway:problem:/);
};

describe("meta routes", () => {
  it("GET /health answers ok", async () => {
    const res = await gw.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
  });

  it("GET /openapi.json describes every route of the contract at this gateway's URL", async () => {
    const res = await gw.call("GET", "/openapi.json");

    expect(res.status).toBe(200);
    expect(res.json.servers).toEqual([{ url: gw.url }]);
    const ops = Object.values(res.json.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) =>
      Object.values(p).map((o) => o.operationId),
    );
    expect(ops.sort()).toEqual(ROUTES.map((r) => r.operationId).sort());
  });
});

describe("the gateway's own JSON-LD contexts", () => {
  it("serves the OB3 ELM extension contexts the OB3 writer names, and nothing else", async () => {
    const { OB3_ELM_CONTEXT } = await import("../../mappings/ob3/extension-context.js");

    const ok = await gw.call("GET", "/contexts/ob3-elm/v1.json");
    const unknown = await gw.call("GET", "/contexts/ob3-elm/v2.json");

    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/ld+json");
    expect(ok.json).toEqual(JSON.parse(JSON.stringify(OB3_ELM_CONTEXT)));
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].pointer).toBe("/path/file");
  });
});

describe("routing and errors at the HTTP front", () => {
  it("answers 404 problem+json for unknown paths and 405 with Allow for wrong methods", async () => {
    expectProblem(await gw.call("GET", "/no/such/route"), 404);
    const wrong = await gw.call("DELETE", "/v1/issuers");
    expectProblem(wrong, 405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });

  it("answers 413 for a body over the limit, before any handler runs", async () => {
    const res = await gw.call("POST", "/v1/convert", {
      body: "x".repeat(65 * 1024),
      headers: { "content-type": "application/json" },
    });
    expectProblem(res, 413);
    expect(res.json.errors[0].pointer).toBe("/body");
  });

  it.each([
    ["malformed JSON", '{"to": "elm",', "application/json", 400, "malformed-json", "/body"],
    ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0x7d]), "application/json", 400, "malformed-json", "/body"],
    ["a non-JSON media type", "<xml/>", "application/xml", 415, "unsupported-media-type", "/headers/content-type"],
    ["an empty body", "", "application/json", 400, "validation-failed", "/body"],
    [
      "10,000-deep nesting",
      `${"[".repeat(10_000)}${"]".repeat(10_000)}`,
      "application/json",
      400,
      "limit-exceeded",
      `/body${"/0".repeat(64)}`,
    ],
    [
      "a __proto__ key",
      '{"to":"elm","document":{"__proto__":{"admin":true}}}',
      "application/json",
      400,
      "validation-failed",
      "/body/document/__proto__",
    ],
    ["a wrong type", '{"to":"elm","document":42}', "application/json", 400, "validation-failed", "/body/document"],
    ["an unknown format", '{"to":"pdf","document":{}}', "application/json", 400, "validation-failed", "/body/to"],
  ])("answers %s with problem+json naming the field", async (_what, body, type, status, code, pointer) => {
    const res = await gw.call("POST", "/v1/convert", { body, headers: { "content-type": type } });

    expectProblem(res, status);
    expect(res.json.code).toBe(code);
    expect(res.json.errors[0].pointer).toBe(pointer);
  });

  it("accepts JSON media types with parameters and +json suffixes", async () => {
    const res = await gw.call("POST", "/v1/convert", {
      body: '{"to":"elm","document":{}}',
      headers: { "content-type": "application/ld+json; charset=utf-8" },
    });
    // Accepted as JSON; the empty document is then refused by the conversion itself.
    expectProblem(res, 422);
    expect(res.json.errors[0].pointer).toBe("/body/from");
  });

  it("gives every route a 4xx or 501 problem for bad input, never a 5xx crash", async () => {
    for (const route of ROUTES.filter((r) => r.method !== "GET")) {
      const res = await gw.call(route.method, pathOf(route.path), {
        token: ADMIN_TOKEN,
        body: '{"unexpected": [1, {"deep": null}]}',
        headers: { "content-type": "application/json" },
      });
      expect(res.status, `${route.method} ${route.path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
      // OpenID4VCI token/nonce/credential endpoints answer OAuth-style `application/json` bodies that carry both the
      // OAuth `error` member and the problem+json fields (see functions/http/oauth-errors.ts).
      if (route.oauthErrors) {
        expect(res.headers.get("content-type")).toBe("application/json");
        expect(res.json.error, `${route.method} ${route.path}`).toMatch(/^[a-z_]+$/);
        expect(res.json.status).toBe(res.status);
      } else {
        expect(res.headers.get("content-type")).toBe("application/problem+json");
      }
    }
  });

  it("answers routes still to be built with 501 once their input is valid, naming the issue", async () => {
    for (const route of ROUTES.filter((r) => r.plannedIn && r.method === "GET")) {
      const res = await gw.call("GET", pathOf(route.path), { token: ADMIN_TOKEN });
      expectProblem(res, 501);
      expect(res.json.detail).toContain(`issue ${route.plannedIn}`);
    }
  });

  it("asks for a token on issuer routes before saying they are not built", async () => {
    const res = await gw.call("POST", "/v1/jobs", {
      json: { from: "csv", document: "a,b", options: { issuer: "x", format: "ob3" } },
    });
    expectProblem(res, 401);
  });
});

describe("requests API Gateway routes to $default", () => {
  it("answers them with 404 problem+json from the meta function", async () => {
    const { handlersWith } = await import("../../functions/handlers/all.js");
    const meta = handlersWith(async () => gw.deps).meta;

    const res = await meta(
      {
        version: "2.0",
        routeKey: "$default",
        rawPath: "/nowhere",
        rawQueryString: "",
        headers: {},
        isBase64Encoded: false,
        requestContext: {
          accountId: "1",
          apiId: "a",
          domainName: "d",
          domainPrefix: "d",
          http: { method: "GET", path: "/nowhere", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "" },
          requestId: "r",
          routeKey: "$default",
          stage: "$default",
          time: "",
          timeEpoch: 0,
        },
      },
      {} as Parameters<typeof meta>[1],
    );

    expect(res.statusCode).toBe(404);
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
  });
});
