import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardedHttp, refusalOf } from "../../functions/adapters/shared/guarded-http.js";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// Verification over HTTP: credentials the gateway issued in each proof format, tampered and expired ones, the W3C
// VC API alias (422 when not verified) and inputs that are not credentials.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };
let keyIssuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  const register = (json: Record<string, unknown>) => registerIssuer(gw, json);
  issuer = await register({ name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
  keyIssuer = await register({ name: "Key College", country: "IE", didMethod: "key" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const ob3Credential = unsignedOb3Credential;

/** The EC's unsigned micro-credential sample under a fresh id (the gateway never issues one id twice). */
function elmCredential(): Record<string, unknown> {
  return { ...corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"), id: `urn:credential:${crypto.randomUUID()}` };
}

async function issue(as: { id: string; token: string }, credential: unknown, options: Record<string, unknown> = {}) {
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: as.token,
    json: { credential, options: { issuer: as.id, ...options } },
  });
  expect(res.status, JSON.stringify(res.json).slice(0, 400)).toBe(201);
  return res.json.verifiableCredential;
}

const verify = (verifiableCredential: unknown, path = "/v1/credentials/verify") =>
  gw.call("POST", path, { json: { verifiableCredential } });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions.
const checkOf = (body: any, name: string) => body.checks.find((c: { check: string }) => c.check === name);

describe("POST /v1/credentials/verify with credentials issued here", () => {
  it.each([
    ["eddsa-rdfc-2022", {}],
    ["vc-jwt", { proof: "vc-jwt" }],
  ])("verifies an OB 3.0 credential signed with %s, the issuer being a registered one", async (_name, options) => {
    const vc = await issue(issuer, ob3Credential(), options);

    const res = await verify(vc);

    expect(res.status).toBe(200);
    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
    expect(checkOf(res.json, "trust")).toMatchObject({ status: "ok" });
    expect(checkOf(res.json, "trust").detail).toMatch(/^issued by a registered issuer of this gateway/);
  });

  it("verifies a JAdES-sealed ELM credential; trust names the gateway's issuer and warns the test seal is not qualified", async () => {
    const envelope = await issue(issuer, elmCredential(), { format: "elm" });

    const res = await verify(envelope);

    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
    expect(checkOf(res.json, "proof").detail).toMatch(/^JAdES seal/);
    expect(checkOf(res.json, "trust")).toMatchObject({ status: "ok" });
    expect(res.json.warnings).toContainEqual(expect.stringMatching(/not a qualified certificate for eSeal/));
  });

  it("verifies a credential of a did:key issuer registered here", async () => {
    const vc = await issue(
      keyIssuer,
      ob3Credential({ issuer: { id: keyIssuer.id, type: ["Profile"], name: "Key College" } }),
    );

    const res = await verify(vc);

    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
    expect(checkOf(res.json, "trust")).toMatchObject({ status: "ok" });
  });

  it("fails proof for a changed eddsa credential, VC-JWT and JAdES payload", async () => {
    const eddsa = await issue(issuer, ob3Credential());
    const jwt: string = await issue(issuer, ob3Credential(), { proof: "vc-jwt" });
    const envelope = await issue(issuer, elmCredential(), { format: "elm" });
    const [h, p, s] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(p as string, "base64url").toString());
    const changedJwt = `${h}.${Buffer.from(JSON.stringify({ ...payload, name: "Forged" })).toString("base64url")}.${s}`;
    const changedEnvelope = { ...envelope, payload: envelope.payload.replace("2022-12-31", "2021-12-31") };

    for (const tampered of [{ ...eddsa, name: "Forged" }, changedJwt, changedEnvelope]) {
      const res = await verify(tampered);
      expect(res.status).toBe(200);
      expect(res.json.verified).toBe(false);
      expect(checkOf(res.json, "proof").status).toBe("error");
    }
  });

  it("fails expiry for a credential whose validUntil has passed", async () => {
    const vc = await issue(
      issuer,
      ob3Credential({ validFrom: "2010-01-01T00:00:00Z", validUntil: "2011-01-01T00:00:00Z" }),
    );

    const res = await verify(vc);

    expect(res.json.verified).toBe(false);
    expect(checkOf(res.json, "expiry").status).toBe("error");
    expect(checkOf(res.json, "proof").status).toBe("ok");
  });
});

describe("POST /credentials/verify (W3C VC API)", () => {
  it("answers 200 when verified and 422 with the same body shape when a check fails", async () => {
    const vc = await issue(issuer, ob3Credential());

    const ok = await verify(vc, "/credentials/verify");
    const failed = await verify({ ...vc, name: "Forged" }, "/credentials/verify");
    const hosted = await verify({ ...vc, name: "Forged" });

    expect(ok.status).toBe(200);
    expect(ok.json.verified).toBe(true);
    expect(failed.status).toBe(422);
    expect(failed.headers.get("content-type")).toMatch(/^application\/json/);
    expect(failed.json).toEqual(hosted.json);
    expect(Object.keys(failed.json).sort()).toEqual(["checks", "errors", "verdict", "verified", "warnings"]);
  });

  it("verifies the 1EdTech fixture with an issuer-URL Multikey and fails the expired one with 422", async () => {
    const ok = await verify(corpusJson("ob3/validator-fixtures/simple.json"), "/credentials/verify");
    const expired = await verify(corpusJson("ob3/validator-fixtures/simple-err-expired.json"), "/credentials/verify");

    expect(ok.status).toBe(200);
    expect(expired.status).toBe(422);
    expect(checkOf(expired.json, "expiry").status).toBe("error");
  });
});

describe("bad input", () => {
  it("answers problem+json for what is not a credential", async () => {
    for (const path of ["/v1/credentials/verify", "/credentials/verify"]) {
      const notVc = await verify({ hello: "world" }, path);
      const garbage = await verify("definitely not a JWT", path);
      const missing = await gw.call("POST", path, { json: { credential: {} } });

      for (const res of [notVc, garbage, missing]) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }
      expect(notVc.json.errors[0].pointer).toBe("/body/verifiableCredential");
      expect(missing.status).toBe(400);
    }
  });

  it("refuses 10,000 levels of nesting with a 4xx problem, as body and as JSON text", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;

    const asBody = await gw.call("POST", "/v1/credentials/verify", {
      body: `{"verifiableCredential":{"@context":${deep}}}`,
      headers: { "content-type": "application/json" },
    });
    const asText = await verify(`{"@context":${deep}}`);

    for (const res of [asBody, asText]) {
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });
});

describe("GuardedHttp (outbound HTTP, off by default)", () => {
  let server: Server;
  let base: string;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === "/big") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ pad: "x".repeat(10_000) }));
      } else if (req.url === "/slow") {
        setTimeout(() => res.end("{}"), 2_000);
      } else if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" });
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/did+json" });
        res.end(JSON.stringify({ id: "did:web:example", n: hits }));
      }
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it("is not wired unless GATEWAY_OUTBOUND_HTTP=on", () => {
    expect(gw.deps.config.outboundHttp).toBe(false);
    expect(gw.deps.http).toBeUndefined();
  });

  it("refuses loopback (also by name, after DNS), http: and private, link-local and unique-local addresses", async () => {
    const guard = new GuardedHttp({ allowHttp: true });
    const strict = new GuardedHttp();
    const before = hits;

    await expect(guard.fetchJson(`${base}/doc`)).rejects.toThrow(/loopback/);
    await expect(guard.fetchJson(`${base.replace("127.0.0.1", "localhost")}/doc`)).rejects.toThrow(/loopback/);
    await expect(strict.fetchJson(`${base}/doc`)).rejects.toThrow(/only https/);
    await expect(
      new GuardedHttp({ resolve: async () => [{ address: "10.1.2.3", family: 4 }] }).fetchJson(
        "https://internal.example/x",
      ),
    ).rejects.toThrow(/private/);
    expect(hits).toBe(before);
    for (const address of [
      "169.254.169.254",
      "192.168.1.1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::1",
      "0.0.0.0",
    ]) {
      expect(refusalOf(address), address).toBeDefined();
    }
    expect(refusalOf("93.184.215.14")).toBeUndefined();
  });

  it("with loopback allowed (tests only): fetches JSON, caches it, bounds size and time, follows no redirect", async () => {
    const guard = new GuardedHttp({ allowHttp: true, allowLoopback: true, timeoutMs: 500, maxBytes: 1_000 });

    const first = await guard.fetchJson(`${base}/doc`);
    const again = await guard.fetchJson(`${base}/doc`);

    expect(again).toEqual(first);
    await expect(guard.fetchJson(`${base}/big`)).rejects.toThrow(/larger than 1000 bytes/);
    await expect(guard.fetchJson(`${base}/slow`)).rejects.toThrow(/timed out|abort/i);
    await expect(guard.fetchJson(`${base}/redirect`)).rejects.toThrow(/302 \(redirects are not followed\)/);
  });
});
