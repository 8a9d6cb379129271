import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbVerify } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// One issuer's token must not put another's name, DID or homepage on what it signs or delivers: with issuer B's
// token, the issuer object of an issued credential is B's registration whatever the request says, and a request
// naming issuer A (by DID or registered name) is refused.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let alpha: RegisteredIssuer;
let beta: RegisteredIssuer;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024),
      // Deliveries are checked before any wallet is called; this address is never reached.
      GATEWAY_WALLET_URL: "https://wallet.invalid",
    },
  });
  alpha = await registerIssuer(gw, {
    name: "University of Alpha",
    country: "IE",
    homepage: "https://alpha.example.edu",
  });
  beta = await registerIssuer(gw, { name: "Beta College", country: "FR", homepage: "https://beta.example.edu" });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const issue = (token: string, credential: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  gw.call("POST", "/v1/credentials/issue", { token, json: { credential, options: { issuer: beta.id, ...options } } });

describe("the issuer object of an issued credential", () => {
  it("is the caller's registration (name, url, country), not the request's, and still verifies", async () => {
    const credential = unsignedOb3Credential({
      issuer: {
        id: "https://example.com/issuers/876543",
        type: ["Profile"],
        name: "A Very Prestigious Academy",
        url: "https://prestige.example",
        description: "Europe's finest",
        image: { id: "https://prestige.example/logo.png", type: "Image" },
      },
    });
    const res = await issue(beta.token, credential);

    expect(res.status, res.text).toBe(201);
    const vc = res.json.verifiableCredential;
    expect(vc.issuer).toEqual({
      id: beta.id,
      type: ["Profile"],
      name: "Beta College",
      url: "https://beta.example.edu",
      address: { type: ["Address"], addressCountryCode: "FR" },
    });
    // A verifier of its own (Digital Bazaar, pinned contexts) accepts the profile: every term is defined.
    const didDocument = (await gw.call("GET", `/issuers/${beta.slug}/did.json`)).json;
    const verified = await dbVerify(vc, [didDocument]);
    expect(verified.verified, JSON.stringify(verified.error ?? verified)).toBe(true);
  });

  it("refuses (422) an issuer object giving itself another registered issuer's name", async () => {
    const credential = unsignedOb3Credential({
      issuer: { id: beta.id, type: ["Profile"], name: "University of Alpha", url: "https://alpha.example.edu" },
    });
    const res = await issue(beta.token, credential);

    expect(res.status, res.text).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.errors).toEqual([{ pointer: "/body/credential/issuer", detail: expect.any(String) }]);
    // Spelling does not help: case and blanks are not what tells two names apart.
    const respelled = unsignedOb3Credential({
      issuer: { id: beta.id, type: ["Profile"], name: "  university OF  alpha" },
    });
    expect((await issue(beta.token, respelled)).status).toBe(422);
  });

  it("refuses (403) a credential naming another registered issuer's DID, even with options.issuer its own", async () => {
    const credential = unsignedOb3Credential({ issuer: { id: alpha.id, type: ["Profile"], name: "Beta College" } });
    const res = await issue(beta.token, credential);

    expect(res.status, res.text).toBe(403);
    expect(res.json.errors?.[0]?.pointer).toBe("/body/credential/issuer/id");
    // Naming it without options.issuer is refused as before (the token is not that issuer's).
    expect((await gw.call("POST", "/v1/credentials/issue", { token: beta.token, json: { credential } })).status).toBe(
      403,
    );
  });

  it("lets the issuer keep its own name in the request", async () => {
    const credential = unsignedOb3Credential({ issuer: { id: beta.id, type: ["Profile"], name: "Beta College" } });
    expect((await issue(beta.token, credential)).status).toBe(201);
  });
});

describe("deliveries check the credential's issuer against the caller", () => {
  const deliver = (token: string, credential: Record<string, unknown>) =>
    gw.call("POST", "/v1/deliveries", { token, json: { credential, recipient: { email: "ada@example.org" } } });

  it("refuses an unsigned credential naming another issuer's DID", async () => {
    const res = await deliver(beta.token, unsignedOb3Credential({ issuer: { id: alpha.id, type: ["Profile"] } }));
    expect(res.status, res.text).toBe(403);
    expect(res.json.errors?.[0]?.pointer).toBe("/body/credential/issuer");
  });

  it("refuses one naming another issuer by its registered name, or a DID that is not the caller's", async () => {
    const named = unsignedOb3Credential({ issuer: { id: beta.id, type: ["Profile"], name: "University of Alpha" } });
    expect((await deliver(beta.token, named)).status).toBe(403);
    const elsewhere = unsignedOb3Credential({ issuer: "did:example:somebody-else" });
    expect((await deliver(beta.token, elsewhere)).status).toBe(403);
  });

  it("refuses a credential the gateway signed for another issuer, and delivers the caller's own", async () => {
    const signedFor = async (who: RegisteredIssuer) =>
      (
        await gw.call("POST", "/v1/credentials/issue", {
          token: who.token,
          json: { credential: unsignedOb3Credential(), options: { issuer: who.id } },
        })
      ).json.verifiableCredential;
    expect((await deliver(beta.token, await signedFor(alpha))).status).toBe(403);
    // Its own passes the issuer checks (and is queued for the wallet).
    const own = await deliver(beta.token, await signedFor(beta));
    expect(own.status, own.text).toBe(202);
  });

  it("delivers the caller's own sealed ELM issued from an OB 3.0 credential naming its DID, and refuses it for another", async () => {
    // EDC's sealing appends a UUID to the issuer node's id (mappings/elm/seal.ts), so the sealed issuer id is the
    // caller's DID plus that suffix: the seal's certificate, the caller's own, says who issued it.
    const gamma = await registerIssuer(gw, { name: "Gamma Institute", country: "IE", legalIdentifier: "IE-778899" });
    const issued = await gw.call("POST", "/v1/credentials/issue", {
      token: gamma.token,
      json: {
        credential: unsignedOb3Credential({ issuer: { id: gamma.id, type: ["Profile"], name: "Gamma Institute" } }),
        options: { issuer: gamma.id, format: "elm" },
      },
    });
    expect(issued.status, issued.text).toBe(201);
    const sealed = issued.json.verifiableCredential;
    expect(JSON.parse(sealed.payload).issuer.id).toMatch(new RegExp(`^${gamma.id}[0-9a-f-]{36}$`));

    const own = await deliver(gamma.token, sealed);
    expect(own.status, own.text).toBe(202);
    expect((await deliver(beta.token, sealed)).status).toBe(403);
  });
});
