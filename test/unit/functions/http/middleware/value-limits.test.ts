import { describe, expect, it } from "vitest";
import { bodyDecoding } from "../../../../../functions/http/middleware/body.js";
import { valueLimits } from "../../../../../functions/http/middleware/value-limits.js";
import { pipeline, problem } from "../../../../support/middleware.js";

describe("value limits", () => {
  it("refuses a string over the configured length, naming its JSON Pointer (RFC 6901)", async () => {
    const run = pipeline([bodyDecoding(), valueLimits()], { env: { GATEWAY_MAX_STRING_CHARS: "5" } });
    const res = await run({
      body: JSON.stringify({ name: "ok", tags: ["fine", "far too long"] }),
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(problem(res).errors?.map((e) => e.pointer)).toContain("/body/tags/1");
  });

  it("lets a body within the limits through", async () => {
    const run = pipeline([bodyDecoding(), valueLimits()], { env: { GATEWAY_MAX_STRING_CHARS: "5" } });
    const res = await run({ body: '{"name":"ok"}', headers: { "content-type": "application/json" } });
    expect(res.statusCode).toBe(200);
  });
});
