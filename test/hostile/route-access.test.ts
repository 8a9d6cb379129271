import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Access, ROUTES, type RouteSpec, routeKey } from "../../functions/http/contract.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, type CallResult, registerIssuer, startTestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";
import { unsignedOb3Credential } from "../support/ob3.js";
import { type AccessWorld, type FixtureRequest, ROUTE_FIXTURES } from "./route-fixtures.js";

// Access control on every route of the route table: no token is 401, a role the route does not admit is 403, another
// issuer's token on the owner's resources is 403, and the owner (or admin) gets past access control. Driven by
// ROUTES, so routes added later are covered as soon as they have a fixture (a test fails until they do).

let db: { endpoint: string; stop(): Promise<void> };
let w: AccessWorld;

async function adminToken(json: Record<string, unknown>): Promise<{ token: string; tokenId: string }> {
  const res = await w.gw.call("POST", "/v1/tokens", { token: ADMIN_TOKEN, json });
  if (res.status !== 201) throw new Error(`token creation failed (${res.status}): ${res.text}`);
  return res.json;
}

beforeAll(async () => {
  db = await startDynalite();
  // A wallet is configured (nothing listens there: deliveries are queued, never sent, in this test).
  const gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_WALLET_URL: "http://127.0.0.1:9" } });
  const owner = await registerIssuer(gw, { name: "Owner University", country: "IE" });
  const other = await registerIssuer(gw, { name: "Other College", country: "FR" });
  w = { gw, owner, other } as AccessWorld;
  w.registryToken = (await adminToken({ role: "registry" })).token;
  w.spareTokenIds = {
    rotate: (await adminToken({ role: "issuer", issuer: owner.slug })).tokenId,
    revoke: (await adminToken({ role: "issuer", issuer: owner.slug })).tokenId,
  };
  const issued = await gw.call("POST", "/v1/credentials/issue", {
    token: owner.token,
    json: { credential: unsignedOb3Credential(), options: { issuer: owner.id } },
  });
  if (issued.status !== 201) throw new Error(`issue failed: ${issued.text}`);
  w.ownedCredential = issued.json.verifiableCredential;
  w.ownedCredentialId = issued.json.verifiableCredential.id;
  const job = await gw.call("POST", "/v1/jobs", {
    token: owner.token,
    json: { from: "csv", document: jobCsv(1), options: { issuer: owner.id, format: "ob3" } },
  });
  if (job.status !== 202) throw new Error(`job failed: ${job.text}`);
  w.ownedJobId = job.json.id;
});

afterAll(async () => {
  await w?.gw.close();
  await db?.stop();
});

const send = async (route: RouteSpec, req: FixtureRequest, token?: string): Promise<CallResult> =>
  w.gw.call(route.method, req.path, {
    ...(token ? { token } : {}),
    ...(req.json !== undefined ? { json: req.json } : {}),
    ...(req.form !== undefined
      ? { body: req.form, headers: { "content-type": "application/x-www-form-urlencoded" } }
      : {}),
  });

/**
 * A problem document: application/problem+json, or on OAuth-style routes (OpenID4VCI) the same members plus OAuth's
 * `error`, served as application/json as OAuth requires.
 */
function expectProblem(res: CallResult, status: number, code: string, route?: RouteSpec): void {
  expect(res.status, res.text).toBe(status);
  const oauth = route !== undefined && "oauthErrors" in route && route.oauthErrors !== undefined;
  expect(res.headers.get("content-type")).toBe(oauth ? "application/json" : "application/problem+json");
  expect(res.json).toMatchObject({ status, code, type: `urn:edc-gateway:problem:${code}` });
}

/** Tokens of roles a route's access level does not admit (each must get 403). */
const refusedRoles: Record<Access, { name: string; token: () => string }[]> = {
  public: [],
  admin: [
    { name: "the issuer token", token: () => w.owner.token },
    { name: "a registry token", token: () => w.registryToken },
  ],
  issuer: [{ name: "a registry token", token: () => w.registryToken }],
  registry: [{ name: "an issuer token", token: () => w.owner.token }],
};

/** The token that may use the fixture's request: the owner on issuer routes, the admin on admin routes. */
const allowedToken = (access: Access): string | undefined =>
  access === "issuer"
    ? w.owner.token
    : access === "admin"
      ? ADMIN_TOKEN
      : access === "registry"
        ? w.registryToken
        : undefined;

describe("the route fixture map", () => {
  it("has a reviewed fixture for every route of the route table", () => {
    // Act
    const missing = ROUTES.filter((r) => !ROUTE_FIXTURES[r.operationId]).map(routeKey);

    // Assess
    expect(missing, "add these routes to test/hostile/route-fixtures.ts").toEqual([]);
  });

  it("has no fixture for a route that no longer exists", () => {
    // Act
    const stale = Object.keys(ROUTE_FIXTURES).filter((op) => !ROUTES.some((r) => r.operationId === op));

    // Assess
    expect(stale).toEqual([]);
  });
});

for (const route of ROUTES) {
  const fixture = ROUTE_FIXTURES[route.operationId];
  describe(`${routeKey(route)} (${route.access})`, () => {
    if (!fixture) {
      it("has a fixture in test/hostile/route-fixtures.ts", () => {
        expect(fixture, `no fixture for ${route.operationId}`).toBeDefined();
      });
      return;
    }

    if (route.method === "GET") {
      it("answers HEAD with the GET answer's status and headers, and no content", async () => {
        // Prepare
        const req = await fixture.request(w);
        const token = allowedToken(route.access);

        // Act
        const get = await send(route, req, token);
        const head = await w.gw.call("HEAD", req.path, token ? { token } : {});

        // Assess
        expect(head.status, head.text).toBe(get.status);
        expect(head.text).toBe("");
        expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
        expect(head.headers.get("cache-control")).toBe(get.headers.get("cache-control"));
        // The length a GET answer has (the CSR and listings may differ by a few bytes between two calls).
        expect(Math.abs(Number(head.headers.get("content-length")) - Buffer.byteLength(get.text))).toBeLessThan(16);
      });
    }

    if (route.access === "public" && fixture.ownAuth) {
      it("answers 401 without its own access token, and takes no gateway API token for one", async () => {
        // Act
        const anonymous = await send(route, await fixture.request(w));
        const apiToken = await send(route, await fixture.request(w), w.owner.token);

        // Assess
        expectProblem(anonymous, 401, "unauthenticated", route);
        expectProblem(apiToken, 401, "unauthenticated", route);
      });
      return;
    }

    if (route.access === "public") {
      it("is served without a token", async () => {
        // Act
        const res = await send(route, await fixture.request(w));

        // Assess
        expect([401, 403]).not.toContain(res.status);
        if (route.plannedIn) expect(res.status).toBe(501);
        else expect(res.status, res.text).toBeLessThan(500);
      });
      return;
    }

    it("answers 401 problem+json with a challenge when no token is sent", async () => {
      // Act
      const res = await send(route, await fixture.request(w));

      // Assess
      expectProblem(res, 401, "unauthenticated", route);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(res.json.errors).toEqual([expect.objectContaining({ pointer: "/headers/authorization" })]);
    });

    it("answers 401 to a token that is not one of the gateway's", async () => {
      // Act
      const res = await send(route, await fixture.request(w), `gw1.${w.spareTokenIds.rotate}.not-the-secret`);

      // Assess
      expectProblem(res, 401, "unauthenticated", route);
    });

    for (const refused of refusedRoles[route.access]) {
      it(`answers 403 problem+json to ${refused.name}`, async () => {
        // Act
        const res = await send(route, await fixture.request(w), refused.token());

        // Assess
        expectProblem(res, 403, "forbidden", route);
      });
    }

    if (route.access === "issuer") {
      it(
        route.plannedIn
          ? `answers another issuer's token 501 while planned in issue ${route.plannedIn} (403 once implemented)`
          : fixture.crossTenant === "scoped"
            ? "shows another issuer's token only its own resources"
            : "answers 403 problem+json to another issuer's token on the owner's resource",
        async () => {
          // Act
          const res = await send(route, await fixture.request(w), w.other.token);

          // Assess
          if (route.plannedIn) expectProblem(res, 501, "not-implemented");
          else if (fixture.crossTenant === "scoped") {
            expect(res.status, res.text).toBe(200);
            expect(res.text).not.toContain(fixture.ownerMarker?.(w) ?? "\u0000");
          } else expectProblem(res, 403, "forbidden", route);
        },
      );
    }

    it("lets the owner (or the admin) past access control", async () => {
      // Act
      const res = await send(route, await fixture.request(w), allowedToken(route.access));

      // Assess
      expect([401, 403], res.text).not.toContain(res.status);
      if (route.plannedIn) expect(res.status).toBe(501);
      else expect(res.status, res.text).toBeLessThan(500);
    });
  });
}
