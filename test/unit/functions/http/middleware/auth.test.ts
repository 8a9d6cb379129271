import { describe, expect, it } from "vitest";
import { authentication, routeAccess } from "../../../../../functions/http/middleware/auth.js";
import { pipeline, problem } from "../../../../support/middleware.js";

const protectedRoute = { route: { access: "admin" as const } };

describe("authentication and route access", () => {
  it("asks an anonymous caller of a protected route to authenticate with a Bearer challenge (RFC 6750 §3)", async () => {
    const res = await pipeline([authentication(), routeAccess()], protectedRoute)({});
    expect(res.statusCode).toBe(401);
    // RFC 6750 §3: the resource server includes a WWW-Authenticate header using the "Bearer" scheme.
    expect(res.headers?.["www-authenticate"]).toMatch(/^Bearer /);
    expect(problem(res).errors?.[0]?.pointer).toBe("/headers/authorization");
  });

  it("refuses an Authorization header that is not the Bearer syntax of RFC 6750 §2.1 (b64token)", async () => {
    const res = await pipeline(
      [authentication(), routeAccess()],
      protectedRoute,
    )({
      headers: { authorization: "Basic YWRtaW46YWRtaW4=" },
    });
    expect(res.statusCode).toBe(401);
  });

  it("admits the admin token, scheme name case-insensitive (RFC 9110 §11.1)", async () => {
    const res = await pipeline(
      [authentication(), routeAccess()],
      protectedRoute,
    )({
      headers: { authorization: "bearer admin-secret" },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? "{}").principal).toEqual({ role: "admin" });
  });

  it("refuses an unknown token on a protected route and does not look at tokens on a public one", async () => {
    const bad = { headers: { authorization: "Bearer gw.nope.nope" } };
    expect((await pipeline([authentication(), routeAccess()], protectedRoute)(bad)).statusCode).toBe(401);
    const open = await pipeline([authentication(), routeAccess()])(bad);
    expect(open.statusCode).toBe(200);
    expect(JSON.parse(open.body ?? "{}").principal).toEqual({ role: "public" });
  });
});
