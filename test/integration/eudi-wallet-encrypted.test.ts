import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { TestWallet } from "../support/oid4vci-wallet.js";
import { readRequest, respond, respondEncrypted } from "../support/oid4vp-wallet.js";
import type { Holder } from "../support/sd-jwt-wallet.js";

// OpenID4VP 1.0 §8.3 `direct_post.jwt` (HAIP): the request object names an ephemeral ECDH-ES key in
// client_metadata.jwks and the content encryptions it takes; the wallet (jose's CompactEncrypt, not the gateway's
// code) encrypts vp_token and state to it and posts `response`. A plain answer, a JWE to another key, or an `enc`
// the request did not name is refused.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let university: { slug: string; token: string };
let employer: { slug: string; token: string };
let wallet: TestWallet;
let holder: Holder;

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

async function ask() {
  const res = await gw.call("POST", "/v1/presentation-requests", {
    token: employer.token,
    json: { preset: "micro-credential", responseMode: "direct_post.jwt" },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; walletUrl: string };
}

const poll = async (id: string) =>
  (await gw.call("GET", `/v1/presentation-requests/${id}`, { token: employer.token })).json;

describe("OpenID4VP direct_post.jwt", () => {
  it("takes a response encrypted to the request's key and verifies it", async () => {
    const sdJwt = await collect();
    const created = await ask();
    const request = await readRequest(created.walletUrl);
    expect(request.payload.response_mode).toBe("direct_post.jwt");
    const key = request.payload.client_metadata.jwks.keys[0];
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", use: "enc", alg: "ECDH-ES" });
    expect(key.d).toBeUndefined();
    expect(request.payload.client_metadata.encrypted_response_enc_values_supported).toContain("A128GCM");

    const answer = await respondEncrypted(request, sdJwt, holder);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const state = await poll(created.id);
    expect(state.status).toBe("received");
    expect(state.result.verified, JSON.stringify(state.result)).toBe(true);
    expect([...state.result.disclosed].sort()).toEqual(["achievement_title", "awarding_body", "level", "workload"]);
  });

  it("refuses a plain answer, a JWE to another key and an enc the request did not name", async () => {
    const sdJwt = await collect();
    const plain = await respond(await readRequest((await ask()).walletUrl), sdJwt, holder);
    expect(plain.status).toBe(400);
    expect(plain.json).toMatchObject({ error: "invalid_request" });

    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    const wrongKey = await respondEncrypted(await readRequest((await ask()).walletUrl), sdJwt, holder, {
      to: other as Record<string, unknown>,
    });
    expect(wrongKey.status).toBe(400);

    const created = await ask();
    const wrongEnc = await respondEncrypted(await readRequest(created.walletUrl), sdJwt, holder, { enc: "A192GCM" });
    expect(wrongEnc.status).toBe(400);
    expect((await poll(created.id)).status).toBe("pending");
  });
});
