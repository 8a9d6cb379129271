import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import {
  ADMIN_TOKEN,
  type RegisteredIssuer,
  registerIssuer,
  startTestGateway,
  type TestGateway,
} from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// Token management (create, rotate with a grace period, revoke) and per-caller rate limits, over HTTP.

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
/** A second gateway with small quotas: the token tests' refused requests would otherwise drain its buckets. */
let limited: TestGateway;
let issuer: RegisteredIssuer;

/** Quotas small enough to reach in a test: 3 anonymous requests a minute, 6 for a registry bridge. */
const QUOTAS = {
  GATEWAY_RATE_LIMIT: "on",
  GATEWAY_RATE_PUBLIC_PER_MINUTE: "3",
  GATEWAY_RATE_REGISTRY_PER_MINUTE: "6",
  GATEWAY_RATE_ISSUER_PER_MINUTE: "1000",
};

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  limited = await startTestGateway({ dynamoEndpoint: db.endpoint, env: QUOTAS });
  issuer = await registerIssuer(gw, { name: "Token University", country: "IE" });
});

afterAll(async () => {
  await gw?.close();
  await limited?.close();
  await db?.stop();
});

const mint = async (json: Record<string, unknown>) => gw.call("POST", "/v1/tokens", { token: ADMIN_TOKEN, json });
const readIssuer = (token: string) => gw.call("GET", `/v1/issuers/${issuer.slug}`, { token });

describe("token management", () => {
  it("creates an issuer token that works for its issuer only and is shown once, never its hash", async () => {
    // Act
    const res = await mint({ role: "issuer", issuer: issuer.id });

    // Assess
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ role: "issuer", issuer: issuer.slug, token: expect.stringMatching(/^gw1\./) });
    expect(res.text).not.toMatch(/secretHash|[0-9a-f]{64}/);
    expect((await readIssuer(res.json.token)).status).toBe(200);
    const stored = await gw.deps.store.getToken(res.json.tokenId);
    expect(JSON.stringify(stored)).not.toContain(res.json.token.split(".")[2]);
  });

  it("refuses an issuer token for an unknown issuer with 404 naming the field", async () => {
    // Act
    const res = await mint({ role: "issuer", issuer: "no-such-issuer" });

    // Assess
    expect(res.status).toBe(404);
    expect(res.json.errors).toEqual([expect.objectContaining({ pointer: "/body/issuer" })]);
  });

  it("refuses a registry token that names an issuer, and an issuer token that names none", async () => {
    // Act
    const registry = await mint({ role: "registry", issuer: issuer.slug });
    const bare = await mint({ role: "issuer" });

    // Assess
    expect(registry.status).toBe(400);
    expect(registry.json.errors[0].pointer).toBe("/body/issuer");
    expect(bare.status).toBe(400);
    expect(bare.json.errors[0].pointer).toBe("/body/issuer");
  });

  it("rotates with a grace period: old and new token both work until the grace period ends", async () => {
    // Prepare
    const old = (await mint({ role: "issuer", issuer: issuer.slug })).json;

    // Act
    const res = await gw.call("POST", `/v1/tokens/${old.tokenId}/rotate`, {
      token: ADMIN_TOKEN,
      json: { graceSeconds: 3600 },
    });

    // Assess
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ replaces: old.tokenId, role: "issuer", issuer: issuer.slug });
    expect(Date.parse(res.json.previous.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    expect((await readIssuer(old.token)).status).toBe(200);
    expect((await readIssuer(res.json.token)).status).toBe(200);
  });

  it("reports the old token's real expiry when a second rotation asks for a longer grace than the first", async () => {
    // Prepare: the first rotation gives the old token one minute; a second asks for a day, which the store refuses
    // to grant (an expiry is never pushed back).
    const old = (await mint({ role: "issuer", issuer: issuer.slug })).json;
    const first = await gw.call("POST", `/v1/tokens/${old.tokenId}/rotate`, {
      token: ADMIN_TOKEN,
      json: { graceSeconds: 60 },
    });

    // Act
    const second = await gw.call("POST", `/v1/tokens/${old.tokenId}/rotate`, {
      token: ADMIN_TOKEN,
      json: { graceSeconds: 86400 },
    });

    // Assess
    expect(second.status, second.text).toBe(201);
    expect(second.json.previous.expiresAt).toBe(first.json.previous.expiresAt);
  });

  it("rotates without a grace period: the old token is refused at once", async () => {
    // Prepare
    const old = (await mint({ role: "issuer", issuer: issuer.slug })).json;

    // Act
    const res = await gw.call("POST", `/v1/tokens/${old.tokenId}/rotate`, { token: ADMIN_TOKEN, json: {} });

    // Assess
    expect(res.status).toBe(201);
    expect((await readIssuer(old.token)).status).toBe(401);
    expect((await readIssuer(res.json.token)).status).toBe(200);
  });

  it("revokes a token at once, and a revoked token cannot be rotated back to life", async () => {
    // Prepare
    const old = (await mint({ role: "issuer", issuer: issuer.slug })).json;

    // Act
    const revoked = await gw.call("DELETE", `/v1/tokens/${old.tokenId}`, { token: ADMIN_TOKEN });
    const rotated = await gw.call("POST", `/v1/tokens/${old.tokenId}/rotate`, { token: ADMIN_TOKEN, json: {} });

    // Assess
    expect(revoked.status).toBe(200);
    expect((await readIssuer(old.token)).status).toBe(401);
    expect(rotated.status).toBe(404);
    expect(rotated.json.errors[0].pointer).toBe("/path/id");
  });

  it("refuses a grace period longer than a week, naming the field", async () => {
    // Prepare
    const old = (await mint({ role: "issuer", issuer: issuer.slug })).json;

    // Act
    const res = await gw.call("POST", `/v1/tokens/${old.tokenId}/rotate`, {
      token: ADMIN_TOKEN,
      json: { graceSeconds: 604_801 },
    });

    // Assess
    expect(res.status).toBe(400);
    expect(res.json.errors[0].pointer).toBe("/body/graceSeconds");
  });
});

describe("rate limits", () => {
  const check = (token?: string) =>
    limited.call("POST", "/v1/check", { ...(token ? { token } : {}), json: { document: unsignedOb3Credential() } });

  it("answers 429 problem+json with retry-after once an anonymous caller's bucket is empty", async () => {
    // Act
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof check>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await check();
      statuses.push(last.status);
    }

    // Assess
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(last?.headers.get("content-type")).toBe("application/problem+json");
    expect(last?.json).toMatchObject({ status: 429, code: "rate-limited" });
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("answers /health (GET and HEAD) to a caller whose bucket is empty: liveness is never rate limited", async () => {
    // Prepare: this address's bucket is empty after the test above; confirm it still is.
    expect((await check()).status).toBe(429);

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await limited.call(i % 2 ? "HEAD" : "GET", "/health")).status);

    // Assess
    expect(statuses).toEqual(Array(10).fill(200));
  });

  it("gives a registry bridge its own, higher quota on the public routes", async () => {
    // Prepare
    const registry = (await limited.call("POST", "/v1/tokens", { token: ADMIN_TOKEN, json: { role: "registry" } })).json
      .token;

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await check(registry)).status);

    // Assess
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
  });

  it("never limits the admin", async () => {
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await check(ADMIN_TOKEN)).status);

    // Assess
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
