import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuerRecord } from "../../functions/kernel/ports/index.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jwkOf, signAndVerify, type VerificationMethod } from "../support/keys.js";

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

const issuerBody = (over: Record<string, unknown> = {}) => ({
  name: "Université de Zed",
  country: "FR",
  legalIdentifier: "FR-123456789",
  homepage: "https://univ-zed.example.org",
  ...over,
});

async function register(over: Record<string, unknown> = {}) {
  const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: issuerBody(over) });
  expect(res.status).toBe(201);
  return res.json as { id: string; slug: string; token: string };
}

describe("POST /v1/issuers", () => {
  it("registers an issuer under the gateway's did:web, with a readable slug and a token shown once", async () => {
    const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: issuerBody() });

    expect(res.status).toBe(201);
    const host = encodeURIComponent(new URL(gw.url).host);
    expect(res.json.slug).toMatch(/^universite-de-zed-[a-z0-9]+$/);
    expect(res.json.id).toBe(`did:web:${host}:issuers:${res.json.slug}`);
    expect(res.json.token).toMatch(/^gw1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get("location")).toBe(`${gw.url}/v1/issuers/${res.json.slug}`);
    expect(res.json.keys.map((k: { type: string }) => k.type)).toEqual(["Ed25519", "P-256", "RSA-2048"]);
    expect(JSON.stringify(res.json)).not.toMatch(/keyRef|"d":/);
    const stored = (await gw.deps.store.getIssuer(res.json.slug)) as IssuerRecord;
    expect(stored.name).toBe("Université de Zed");
    expect(JSON.stringify(await gw.deps.store.getToken(res.json.token.split(".")[1]))).not.toContain(
      res.json.token.split(".")[2],
    );
  });

  it("publishes a DID document whose every key verifies a signature made through the Signer port", async () => {
    const { slug, id } = await register();
    const stored = (await gw.deps.store.getIssuer(slug)) as IssuerRecord;

    const res = await gw.call("GET", `/issuers/${slug}/did.json`);

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/did+json");
    expect(res.json.id).toBe(id);
    const methods = res.json.verificationMethod as VerificationMethod[];
    expect(methods).toHaveLength(3);
    for (const key of stored.keys) {
      const vm = methods.find((m) => m.id === `${id}#${key.fragment}`);
      if (!vm) throw new Error(`no method for ${key.fragment}`);
      for (const alg of key.algorithms) {
        expect(await signAndVerify(gw.deps.signer, key.keyRef, alg, jwkOf(vm))).toBe("a signed statement");
      }
    }
    // A key of another issuer must not verify: the check can fail.
    const other = (await gw.deps.store.getIssuer((await register()).slug)) as IssuerRecord;
    const foreign = other.keys.find((k) => k.type === "Ed25519");
    const ownEd = methods.find((m) => m.id.endsWith("#key-ed25519")) as VerificationMethod;
    await expect(signAndVerify(gw.deps.signer, foreign?.keyRef ?? "", "EdDSA", jwkOf(ownEd))).rejects.toThrow();
  });

  it("publishes the same keys as a JWK Set whose kids are the verification methods", async () => {
    const { slug, id } = await register();
    const stored = (await gw.deps.store.getIssuer(slug)) as IssuerRecord;

    const res = await gw.call("GET", `/issuers/${slug}/jwks.json`);

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/jwk-set+json");
    const p256 = res.json.keys.find((k: { kid: string }) => k.kid === `${id}#key-p256`);
    const key = stored.keys.find((k) => k.type === "P-256");
    expect(await signAndVerify(gw.deps.signer, key?.keyRef ?? "", "ES256", p256)).toBe("a signed statement");
  });

  it("registers a did:key issuer whose DID document is its Ed25519 key", async () => {
    const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: issuerBody({ didMethod: "key" }) });

    expect(res.status).toBe(201);
    expect(res.json.id).toMatch(/^did:key:z6Mk/);
    const doc = await gw.call("GET", `/issuers/${res.json.slug}/did.json`);
    expect(doc.json.verificationMethod).toHaveLength(1);
    expect(doc.json.verificationMethod[0].id).toBe(`${res.json.id}#${res.json.id.slice(8)}`);
  });

  it("refuses a taken slug with 409 naming the field, and keeps the first issuer", async () => {
    await register({ slug: "taken-slug" });

    const res = await gw.call("POST", "/v1/issuers", {
      token: ADMIN_TOKEN,
      json: issuerBody({ slug: "taken-slug", name: "Other" }),
    });

    expect(res.status).toBe(409);
    expect(res.json.errors).toEqual([{ pointer: "/body/slug", detail: "already taken" }]);
    expect((await gw.deps.store.getIssuer("taken-slug"))?.name).toBe("Université de Zed");
  });

  it.each([
    ["no name", { country: "FR" }, "/body/name"],
    ["a lower-case country", { name: "X", country: "fr" }, "/body/country"],
    ["a non-http homepage", { name: "X", country: "FR", homepage: "javascript:alert(1)" }, "/body/homepage"],
    ["an unknown property", { name: "X", country: "FR", colour: "red" }, "/body/colour"],
    ["a bad slug", { name: "X", country: "FR", slug: "../etc" }, "/body/slug"],
    ["an unknown key type", { name: "X", country: "FR", keyTypes: ["DSA"] }, "/body/keyTypes/0"],
    ["did:key without Ed25519", { name: "X", country: "FR", didMethod: "key", keyTypes: ["P-256"] }, "/body/keyTypes"],
    ["a non-object body", ["a"], "/body"],
  ])("answers 400 problem+json for %s, naming the field", async (_what, body, pointer) => {
    const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: body });

    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({
      type: "urn:edc-gateway:problem:validation-failed",
      status: 400,
      code: "validation-failed",
    });
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

describe("access to issuer routes", () => {
  it("needs the admin token to register: none → 401 with a challenge, an issuer's → 403", async () => {
    const { token } = await register();

    const anonymous = await gw.call("POST", "/v1/issuers", { json: issuerBody() });
    const asIssuer = await gw.call("POST", "/v1/issuers", { token, json: issuerBody() });
    const forged = await gw.call("POST", "/v1/issuers", { token: `${token}x`, json: issuerBody() });

    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(asIssuer.status).toBe(403);
    expect(forged.status).toBe(401);
    expect(forged.json.errors).toEqual([
      { pointer: "/headers/authorization", detail: "the bearer token is not valid" },
    ]);
  });

  it("shows an issuer to itself and the admin, by slug or DID, and to nobody else", async () => {
    const a = await register();
    const b = await register();

    const own = await gw.call("GET", `/v1/issuers/${a.slug}`, { token: a.token });
    const byDid = await gw.call("GET", `/v1/issuers/${encodeURIComponent(a.id)}`, { token: ADMIN_TOKEN });
    const other = await gw.call("GET", `/v1/issuers/${a.slug}`, { token: b.token });
    const anonymous = await gw.call("GET", `/v1/issuers/${a.slug}`);

    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ id: a.id, slug: a.slug, country: "FR", legalIdentifier: "FR-123456789" });
    expect(byDid.status).toBe(200);
    expect(byDid.json.slug).toBe(a.slug);
    expect(other.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });

  it("answers 404 problem+json for unknown issuers and foreign DIDs", async () => {
    const missing = await gw.call("GET", "/issuers/no-such-issuer/did.json");
    const foreign = await gw.call("GET", `/v1/issuers/${encodeURIComponent("did:web:elsewhere.example:x")}`, {
      token: ADMIN_TOKEN,
    });

    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: "not-found", errors: [{ pointer: "/path/id" }] });
    expect(foreign.status).toBe(404);
  });
});
