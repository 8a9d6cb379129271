import { describe, expect, it } from "vitest";
import { authentication } from "../../../../../functions/http/middleware/auth.js";
import { rateLimiting } from "../../../../../functions/http/middleware/rate-limit.js";
import { pipeline } from "../../../../support/middleware.js";

const env = { GATEWAY_RATE_LIMIT: "on", GATEWAY_RATE_PUBLIC_PER_MINUTE: "2" };

describe("rate limiting", () => {
  it("answers 429 with Retry-After in seconds once the caller's quota is spent (RFC 6585 §4, RFC 9110 §10.2.3)", async () => {
    const run = pipeline([authentication(), rateLimiting()], { env });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof run>> | undefined;
    for (let i = 0; i < 3; i++) {
      last = await run({});
      statuses.push(last.statusCode ?? 0);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last?.headers?.["retry-after"]).toMatch(/^[1-9]\d*$/);
  });

  it("never limits an unthrottled route (liveness)", async () => {
    const run = pipeline([authentication(), rateLimiting()], { env, route: { unthrottled: true } });
    for (let i = 0; i < 4; i++) expect((await run({})).statusCode).toBe(200);
  });

  it("counts callers apart by address", async () => {
    const run = pipeline([authentication(), rateLimiting()], { env });
    const from = (ip: string) => ({ requestContext: { http: { sourceIp: ip } } }) as never;
    for (let i = 0; i < 2; i++) await run(from("127.0.0.2"));
    expect((await run(from("127.0.0.2"))).statusCode).toBe(429);
    expect((await run(from("127.0.0.3"))).statusCode).toBe(200);
  });
});
