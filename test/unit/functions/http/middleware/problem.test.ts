import { describe, expect, it } from "vitest";
import { authentication, routeAccess } from "../../../../../functions/http/middleware/auth.js";
import { pipeline } from "../../../../support/middleware.js";

describe("problem+json", () => {
  it("answers errors as application/problem+json whose status member is the HTTP status (RFC 9457 §3, §3.1.2)", async () => {
    const res = await pipeline([authentication(), routeAccess()], { route: { access: "admin" } })({});
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
    const body = JSON.parse(res.body ?? "{}");
    expect(body.status).toBe(res.statusCode);
    // RFC 9457 §3.1.1: "type" is a URI reference; §3.1.5: "instance" identifies the occurrence.
    expect(() => new URL(body.type)).not.toThrow();
    expect(body.instance).toBe("/v1/test");
  });

  it("answers an unexpected failure with an opaque 500 that does not echo the error", async () => {
    const boom = {
      before: async () => {
        throw new Error("secret learner name");
      },
    };
    const res = await pipeline([boom])({});
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("secret learner name");
  });
});
