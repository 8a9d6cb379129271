import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { TestWallet } from "../support/oid4vci-wallet.js";
import { post, readRequest, respond } from "../support/oid4vp-wallet.js";
import type { Holder } from "../support/sd-jwt-wallet.js";

// The "Done when": a wallet written from the specifications (jose, node:crypto) receives an SD-JWT VC over
// OpenID4VCI, discloses only title, awarding body, workload and level with a Key Binding JWT, and presents it over
// OpenID4VP to the gateway's verifier; then revocation, tampering, wrong nonce/audience, expiry and replay.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let university: { id: string; slug: string; token: string };
let employer: { id: string; slug: string; token: string };
let wallet: TestWallet;
let holder: Holder;

const SHOWN = ["achievement_title", "awarding_body", "workload", "level"];

async function collect(): Promise<string> {
  const offer = await gw.call("POST", `/v1/issuers/${university.slug}/offers`, {
    token: university.token,
    json: {
      credential: corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
      configuration: "MicroCredential_dc_sd_jwt",
    },
  });
  expect(offer.status, offer.text).toBe(201);
  return (await wallet.collect(offer.json.offerUri)).credential as string;
}

async function ask(json: Record<string, unknown> = { preset: "micro-credential", purpose: "Job application" }) {
  const res = await gw.call("POST", "/v1/presentation-requests", { token: employer.token, json });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; walletUrl: string; requestUri: string; expiresAt: string; clientId: string };
}

const poll = async (id: string) =>
  (await gw.call("GET", `/v1/presentation-requests/${id}`, { token: employer.token })).json;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  university = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
  employer = await registerIssuer(gw, { name: "Employer Ltd", country: "BE" });
  wallet = new TestWallet("P-256", "jwk");
  holder = { privateKey: wallet.privateKey, publicJwk: wallet.publicJwk as Record<string, unknown> };
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

describe("EUDI wallet flow: OpenID4VCI issuance, OpenID4VP presentation", () => {
  it("verifies four disclosed claims with key binding; the undisclosed ones are absent from the result", async () => {
    const sdJwt = await collect();
    const created = await ask();
    expect(created.walletUrl.startsWith("openid4vp://?client_id=")).toBe(true);
    expect(created.clientId.startsWith("x509_hash:")).toBe(true);
    expect((await poll(created.id)).status).toBe("pending");

    const request = await readRequest(created.walletUrl);
    expect(request.payload).toMatchObject({
      response_type: "vp_token",
      response_mode: "direct_post",
      client_id: created.clientId,
    });
    expect(typeof request.payload.nonce).toBe("string");
    expect(request.payload.dcql_query.credentials[0].format).toBe("dc+sd-jwt");

    const answer = await respond(request, sdJwt, holder);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const state = await poll(created.id);
    expect(state.status).toBe("received");
    expect(state.result.verified, JSON.stringify(state.result)).toBe(true);
    expect([...state.result.disclosed].sort()).toEqual([...SHOWN].sort());
    const text = JSON.stringify(state);
    for (const hidden of ["Andromeda", "1999-10-01", "LA-234218", "given_name", "birthdate"])
      expect(text).not.toContain(hidden);
    expect(state.result.credentials[0].claims.achievement_title).toBe("Digital micro-credential creation");
    expect(state.result.credentials[0].claims.workload).toMatchObject({ ects_credits: 2 });
  });

  it("refuses a replayed response, and the same credential once revoked", async () => {
    const sdJwt = await collect();
    const created = await ask();
    const request = await readRequest(created.walletUrl);
    const first = await respond(request, sdJwt, holder);
    expect(first.status).toBe(200);
    const replay = await post(request.payload.response_uri, first.form);
    expect(replay.status).toBe(400);
    expect(replay.json).toMatchObject({ error: "invalid_request" });
    // The request object is no longer served once answered.
    expect((await fetch(created.requestUri)).status).toBe(404);

    const jti = JSON.parse(Buffer.from(sdJwt.split(".")[1] as string, "base64url").toString("utf8")).jti;
    const revoked = await gw.call("POST", `/v1/credentials/${encodeURIComponent(jti)}/revoke`, {
      token: university.token,
      json: { action: "revoke" },
    });
    expect(revoked.status, revoked.text).toBe(200);
    const again = await ask();
    expect((await respond(await readRequest(again.walletUrl), sdJwt, holder)).status).toBe(200);
    const state = await poll(again.id);
    expect(state.result.verified).toBe(false);
    expect(JSON.stringify(state.result)).toContain("revoked");
  });

  it("does not verify a wrong nonce, a wrong audience or a tampered disclosure", async () => {
    const sdJwt = await collect();
    for (const overrides of [{ nonce: "not-the-nonce" }, { aud: "x509_hash:someone-else" }]) {
      const created = await ask();
      const answer = await respond(await readRequest(created.walletUrl), sdJwt, holder, overrides);
      expect(answer.status).toBe(200);
      const state = await poll(created.id);
      expect(state.result.verified, JSON.stringify(overrides)).toBe(false);
    }
    // A disclosure changed after issuance: its digest is in no `_sd`.
    const [jwt, ...parts] = sdJwt.split("~");
    const changed = parts.map((d) => {
      if (!d) return d;
      const array = JSON.parse(Buffer.from(d, "base64url").toString("utf8"));
      if (array[1] !== "level") return d;
      return Buffer.from(JSON.stringify([array[0], "level", { eqf: 8 }])).toString("base64url");
    });
    const created = await ask();
    await respond(await readRequest(created.walletUrl), [jwt, ...changed].join("~"), holder);
    const state = await poll(created.id);
    expect(state.result.verified).toBe(false);
  });

  it("refuses a response to an expired request, and a wrong state", async () => {
    const sdJwt = await collect();
    const created = await ask({ preset: "micro-credential", expiresIn: 1 });
    const request = await readRequest(created.walletUrl);
    const wrongState = await respond(request, sdJwt, holder, { state: "forged" });
    expect(wrongState.status).toBe(400);
    await new Promise((ok) => setTimeout(ok, 1100));
    expect((await poll(created.id)).status).toBe("expired");
    const late = await respond(request, sdJwt, holder);
    expect(late.status).toBe(400);
    expect(JSON.stringify(late.json)).toContain("expired");
    expect((await fetch(created.requestUri)).status).toBe(404);
  });

  it("refuses a DCQL query that is not one, naming the field", async () => {
    const queries = [
      { credentials: [{ id: "x", format: "dc+sd-jwt" }] },
      { credentials: [{ id: "not an id", format: "dc+sd-jwt", meta: { vct_values: ["https://x.example/vct"] } }] },
      { credentials: [] },
    ];
    for (const query of queries) {
      const res = await gw.call("POST", "/v1/presentation-requests", { token: employer.token, json: { query } });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      expect(JSON.stringify(res.json)).toContain("/body/query");
    }
  });
});
