import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../functions/kernel/ports/index.js";
import { corpusJson } from "../support/corpus.js";
import { dbVerify } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { type Envelope, verifiesWithNode } from "../support/jades.js";
import { unsignedOb3Credential } from "../support/ob3.js";
import { strangerKey, TestWallet } from "../support/oid4vci-wallet.js";

// OpenID4VCI 1.0 pre-authorised code flow over HTTP, driven by a test wallet written against the specification.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };
let other: { id: string; slug: string; token: string };
let realClock: Clock;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) } });
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
  other = await registerIssuer(gw, { name: "Other College", country: "IE" });
  realClock = gw.deps.clock;
});

afterEach(() => {
  gw.deps.clock = realClock;
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

interface OfferOptions {
  configuration?: string;
  credential?: Record<string, unknown>;
  txCode?: unknown;
  token?: string;
  slug?: string;
}

/** An offer made through the API by the issuer (an OB3 ldp_vc offer unless told otherwise). */
async function offer(options: OfferOptions = {}) {
  return gw.call("POST", `/v1/issuers/${options.slug ?? issuer.slug}/offers`, {
    token: options.token ?? issuer.token,
    json: {
      credential: options.credential ?? unsignedOb3Credential(),
      configuration: options.configuration ?? "OpenBadgeCredential_ldp_vc",
      ...(options.txCode !== undefined ? { txCode: options.txCode } : {}),
    },
  });
}

/** An offer, its code and the issuer's endpoints: where a wallet stands after reading an offer. */
async function offered(options: OfferOptions = {}) {
  const res = await offer(options);
  if (res.status !== 201) throw new Error(`offer failed (${res.status}): ${res.text}`);
  const base = `${gw.url}/oid4vci/${issuer.slug}`;
  return {
    created: res.json,
    code: res.json.credentialOffer.grants[PRE_AUTH]["pre-authorized_code"] as string,
    audience: base,
    token: `${base}/token`,
    nonce: `${base}/nonce`,
    credential: `${base}/credential`,
    configuration: res.json.credentialOffer.credential_configuration_ids[0] as string,
  };
}

/** An offer redeemed for an access token by `wallet`. */
async function withToken(wallet: TestWallet, options: OfferOptions = {}) {
  const o = await offered(options);
  const token = await wallet.token(o.token, o.code);
  expect(token.status, JSON.stringify(token.json)).toBe(200);
  return { ...o, accessToken: token.json.access_token as string };
}

async function freshNonce(wallet: TestWallet, endpoint: string): Promise<string> {
  const res = await wallet.nonce(endpoint);
  expect(res.status).toBe(200);
  return res.json.c_nonce;
}

/** The OAuth `error` of a raw fetch answer. */
const oauthErrorOf = async (res: Response) => ((await res.json()) as { error?: string }).error;

const didDocumentOf = async (slug: string) => (await gw.call("GET", `/issuers/${slug}/did.json`)).json;

describe("OpenID4VCI: a wallet collects an offered credential end to end", () => {
  it("jwt_vc_json: a P-256 did:key wallet gets an OB3 VC-JWT that verifies with the issuer's JWKS and names its DID", async () => {
    const wallet = new TestWallet("P-256", "did:key");
    const created = (await offer({ configuration: "OpenBadgeCredential_jwt_vc_json" })).json;

    const collected = await wallet.collect(created.offerUri);

    const jwks = (await gw.call("GET", `/issuers/${issuer.slug}/jwks.json`)).json;
    const { payload } = await jwtVerify(collected.credential as string, createLocalJWKSet(jwks));
    expect(payload.iss).toBe(issuer.id);
    expect((payload.credentialSubject as { id: string }).id).toBe(wallet.did);
    expect(wallet.did).toMatch(/^did:key:zDn/);
  });

  it("ldp_vc: an Ed25519 wallet naming a bare jwk, with a transaction code, gets an OB3 credential Digital Bazaar verifies", async () => {
    const wallet = new TestWallet("Ed25519", "jwk");
    const created = (await offer({ txCode: { length: 8, inputMode: "numeric", description: "sent by mail" } })).json;
    expect(created.txCode).toMatch(/^\d{8}$/);
    expect(created.credentialOffer.grants[PRE_AUTH].tx_code).toEqual({
      input_mode: "numeric",
      length: 8,
      description: "sent by mail",
    });

    const collected = await wallet.collect(created.offerUri, created.txCode);

    const vc = collected.credential as Record<string, unknown>;
    const verified = await dbVerify(vc, [await didDocumentOf(issuer.slug)]);
    expect(verified.verified, JSON.stringify(verified.error ?? verified)).toBe(true);
    expect((vc.credentialSubject as { id: string }).id).toBe(wallet.did);
    expect(wallet.did).toMatch(/^did:jwk:/);
  });

  it("ELM: a did:jwk wallet gets a JAdES-sealed European Digital Credential bound to its DID (offer by value)", async () => {
    const wallet = new TestWallet("P-256", "did:jwk");
    const created = (
      await offer({
        configuration: "EuropeanDigitalCredential_jades",
        credential: corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld") as Record<string, unknown>,
      })
    ).json;

    const collected = await wallet.collect(created.offerUriByValue);

    const envelope = collected.credential as Envelope;
    expect(verifiesWithNode(envelope)).toBe(true);
    expect(JSON.parse(envelope.payload).credentialSubject.id).toBe(wallet.did);
  });

  it("publishes metadata at the well-known URLs (inserted and appended) naming the issuer's endpoints and configurations", async () => {
    const inserted = await gw.call("GET", `/.well-known/openid-credential-issuer/oid4vci/${issuer.slug}`);
    const appended = await gw.call("GET", `/oid4vci/${issuer.slug}/.well-known/openid-credential-issuer`);
    const as = await gw.call("GET", `/.well-known/oauth-authorization-server/oid4vci/${issuer.slug}`);

    const base = `${gw.url}/oid4vci/${issuer.slug}`;
    expect(inserted.status).toBe(200);
    expect(appended.json).toEqual(inserted.json);
    expect(inserted.json).toMatchObject({
      credential_issuer: base,
      credential_endpoint: `${base}/credential`,
      nonce_endpoint: `${base}/nonce`,
    });
    expect(inserted.json.credential_configurations_supported.OpenBadgeCredential_jwt_vc_json).toMatchObject({
      format: "jwt_vc_json",
      credential_signing_alg_values_supported: ["ES256", "RS256", "EdDSA"],
      proof_types_supported: {
        jwt: { proof_signing_alg_values_supported: expect.arrayContaining(["ES256", "EdDSA"]) },
      },
    });
    expect(as.json).toMatchObject({
      issuer: base,
      token_endpoint: `${base}/token`,
      "pre-authorized_grant_anonymous_access_supported": true,
    });
    expect((await gw.call("GET", "/.well-known/openid-credential-issuer/oid4vci/no-such-issuer")).status).toBe(404);
  });
});

describe("OpenID4VCI: the token endpoint", () => {
  it("refuses a replayed pre-authorised code with invalid_grant, and the offer reference stops answering", async () => {
    const wallet = new TestWallet();
    const o = await offered();
    const first = await wallet.token(o.token, o.code);

    const replay = await wallet.token(o.token, o.code);

    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(replay.status).toBe(400);
    expect(replay.headers.get("content-type")).toBe("application/json");
    expect(replay.json).toMatchObject({
      error: "invalid_grant",
      code: "validation-failed",
      status: 400,
      errors: [{ pointer: "/body/pre-authorized_code" }],
    });
    expect(replay.json.error_description).toBe(replay.json.detail);
    expect((await wallet.readOffer(o.created.offerUri)).status).toBe(404);
  });

  it("asks for the transaction code (invalid_request), refuses a wrong one (invalid_grant) and locks after five", async () => {
    const wallet = new TestWallet();
    const o = await offered({ txCode: true });
    const wrong = o.created.txCode === "000000" ? "111111" : "000000";

    const missing = await wallet.token(o.token, o.code);
    const failures = [];
    for (let i = 0; i < 5; i++) failures.push(await wallet.token(o.token, o.code, wrong));
    const rightButLocked = await wallet.token(o.token, o.code, o.created.txCode);

    expect(missing.json).toMatchObject({ error: "invalid_request", errors: [{ pointer: "/body/tx_code" }] });
    expect(failures.map((f) => f.json.error)).toEqual(Array(5).fill("invalid_grant"));
    expect(failures[0]?.json.detail).toMatch(/4 attempts left/);
    expect(rightButLocked.json.error).toBe("invalid_grant");
  });

  it("checks at most five transaction codes however many guesses arrive at once", async () => {
    // Prepare: every guess reads the offer (no failures counted yet) before any of them goes on, as a burst does.
    const wallet = new TestWallet();
    const o = await offered({ txCode: true });
    const guesses = Array.from({ length: 12 }, (_, i) => String(i).padStart(6, "9")).filter(
      (code) => code !== o.created.txCode,
    );
    const store = gw.deps.oid4vci;
    let waiting: (() => void)[] = [];
    const barrier = {
      ...store,
      redeemCode: store.redeemCode.bind(store),
      recordFailedTxCode: store.recordFailedTxCode.bind(store),
      getOffer: async (id: string) => {
        const offer = await store.getOffer(id);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === guesses.length) for (const go of waiting) go();
        });
        return offer;
      },
    };
    gw.deps.oid4vci = barrier;
    // Act
    let answers: Awaited<ReturnType<TestWallet["token"]>>[];
    try {
      answers = await Promise.all(guesses.map((guess) => wallet.token(o.token, o.code, guess)));
    } finally {
      gw.deps.oid4vci = store;
      waiting = [];
    }
    const right = await wallet.token(o.token, o.code, o.created.txCode);
    // Assess
    expect(answers.map((a) => a.json.error)).toEqual(Array(guesses.length).fill("invalid_grant"));
    const judged = answers.filter((a) => /transaction code is wrong/.test(String(a.json.detail)));
    expect(judged.length).toBe(5);
    expect(right.json.error).toBe("invalid_grant");
  });

  it("refuses an unknown grant type, a JSON body and a code of another issuer's offer", async () => {
    const o = await offered();
    const otherBase = `${gw.url}/oid4vci/${other.slug}`;

    const grant = await fetch(o.token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=authorization_code&code=x",
    });
    const json = await fetch(o.token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: PRE_AUTH, "pre-authorized_code": o.code }),
    });
    const elsewhere = await new TestWallet().token(`${otherBase}/token`, o.code);

    expect([grant.status, await oauthErrorOf(grant)]).toEqual([400, "unsupported_grant_type"]);
    expect([json.status, await oauthErrorOf(json)]).toEqual([415, "invalid_request"]);
    expect([elsewhere.status, elsewhere.json.error]).toEqual([400, "invalid_grant"]);
  });
});

describe("OpenID4VCI: the credential endpoint", () => {
  it("refuses a replayed c_nonce with invalid_nonce", async () => {
    const wallet = new TestWallet();
    const first = await withToken(wallet);
    const second = await withToken(wallet);
    const nonce = await freshNonce(wallet, first.nonce);
    const ok = await wallet.credential(first.credential, first.accessToken, {
      credential_configuration_id: first.configuration,
      proofs: { jwt: [await wallet.proof({ audience: first.audience, nonce })] },
    });

    const replay = await wallet.credential(second.credential, second.accessToken, {
      credential_configuration_id: second.configuration,
      proofs: { jwt: [await wallet.proof({ audience: second.audience, nonce })] },
    });

    expect(ok.status).toBe(200);
    expect(replay.status).toBe(400);
    expect(replay.json).toMatchObject({ error: "invalid_nonce", errors: [{ pointer: "/body/proofs/jwt/0" }] });
  });

  it("refuses a proof for another audience with invalid_proof, and the nonce stays usable", async () => {
    const wallet = new TestWallet();
    const o = await withToken(wallet);
    const nonce = await freshNonce(wallet, o.nonce);
    const body = (jwt: string) => ({ credential_configuration_id: o.configuration, proofs: { jwt: [jwt] } });

    const wrongAudience = await wallet.credential(
      o.credential,
      o.accessToken,
      body(await wallet.proof({ audience: `${gw.url}/oid4vci/${other.slug}`, nonce })),
    );
    const retried = await wallet.credential(
      o.credential,
      o.accessToken,
      body(await wallet.proof({ audience: o.audience, nonce })),
    );

    expect(wrongAudience.status).toBe(400);
    expect(wrongAudience.json).toMatchObject({ error: "invalid_proof" });
    expect(wrongAudience.json.detail).toMatch(/aud/);
    expect(retried.status).toBe(200);
  });

  it("refuses a proof whose signature is not the named key's, of the wrong typ, or too old (invalid_proof)", async () => {
    const wallet = new TestWallet("Ed25519", "did:key");
    const o = await withToken(wallet);
    const ask = async (jwt: string) =>
      wallet.credential(o.credential, o.accessToken, {
        credential_configuration_id: o.configuration,
        proofs: { jwt: [jwt] },
      });
    const nonce = await freshNonce(wallet, o.nonce);

    const forged = await ask(await wallet.proof({ audience: o.audience, nonce, signWith: strangerKey("Ed25519") }));
    const wrongTyp = await ask(await wallet.proof({ audience: o.audience, nonce, typ: "JWT" }));
    const stale = await ask(
      await wallet.proof({ audience: o.audience, nonce, iat: Math.floor(Date.now() / 1000) - 3600 }),
    );
    const good = await ask(await wallet.proof({ audience: o.audience, nonce }));

    expect([forged, wrongTyp, stale].map((r) => [r.status, r.json.error])).toEqual(
      Array(3).fill([400, "invalid_proof"]),
    );
    expect(good.status).toBe(200);
    expect(good.json.credentials[0].credential.credentialSubject.id).toBe(wallet.did);
  });

  it("refuses an expired access token with 401 invalid_token", async () => {
    const wallet = new TestWallet();
    const o = await withToken(wallet);
    const nonce = await freshNonce(wallet, o.nonce);
    const jwt = await wallet.proof({ audience: o.audience, nonce });
    gw.deps.clock = { now: () => new Date(realClock.now().getTime() + 301_000) };

    const res = await wallet.credential(o.credential, o.accessToken, {
      credential_configuration_id: o.configuration,
      proofs: { jwt: [jwt] },
    });

    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: "invalid_token", code: "unauthenticated" });
    expect(res.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
  });

  it("issues an offer's credential once: a second request with the same token is credential_request_denied", async () => {
    const wallet = new TestWallet();
    const o = await withToken(wallet);
    const ask = async () =>
      wallet.credential(o.credential, o.accessToken, {
        credential_configuration_id: o.configuration,
        proofs: { jwt: [await wallet.proof({ audience: o.audience, nonce: await freshNonce(wallet, o.nonce) })] },
      });

    const first = await ask();
    const second = await ask();

    expect(first.status).toBe(200);
    expect([second.status, second.json.error]).toEqual([400, "credential_request_denied"]);
  });

  it("issues once when two requests with the same token race", async () => {
    const wallet = new TestWallet();
    const o = await withToken(wallet);
    const bodies = await Promise.all(
      [1, 2].map(async () => ({
        credential_configuration_id: o.configuration,
        proofs: { jwt: [await wallet.proof({ audience: o.audience, nonce: await freshNonce(wallet, o.nonce) })] },
      })),
    );

    const answers = await Promise.all(bodies.map((body) => wallet.credential(o.credential, o.accessToken, body)));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(answers.find((a) => a.status === 400)?.json.error).toBe("credential_request_denied");
  });

  it("names what is wrong with a request: no token, another configuration, no proof, the draft-13 proof member", async () => {
    const wallet = new TestWallet();
    const o = await withToken(wallet);
    const jwt = async () => wallet.proof({ audience: o.audience, nonce: await freshNonce(wallet, o.nonce) });

    const noToken = await fetch(o.credential, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ credential_configuration_id: o.configuration }),
    });
    const otherConfig = await wallet.credential(o.credential, o.accessToken, {
      credential_configuration_id: "OpenBadgeCredential_jwt_vc_json",
      proofs: { jwt: [await jwt()] },
    });
    const noProof = await wallet.credential(o.credential, o.accessToken, {
      credential_configuration_id: o.configuration,
    });
    const badShape = await wallet.credential(o.credential, o.accessToken, {
      credential_configuration_id: 42,
    });
    const draft13 = await wallet.credential(o.credential, o.accessToken, {
      credential_configuration_id: o.configuration,
      proof: { proof_type: "jwt", jwt: await jwt() },
    });

    expect([noToken.status, await oauthErrorOf(noToken)]).toEqual([401, "invalid_token"]);
    expect(otherConfig.json.error).toBe("unknown_credential_configuration");
    expect(noProof.json).toMatchObject({ error: "invalid_proof", errors: [{ pointer: "/body/proofs" }] });
    expect(badShape.json).toMatchObject({
      error: "invalid_credential_request",
      errors: [{ pointer: "/body/credential_configuration_id" }],
    });
    expect(draft13.status).toBe(200);
  });
});

describe("OpenID4VCI: offers", () => {
  it("needs the issuer's own token, a known configuration and a credential of the configuration's kind", async () => {
    const foreign = await offer({ token: other.token });
    const anonymous = await gw.call("POST", `/v1/issuers/${issuer.slug}/offers`, {
      json: { credential: unsignedOb3Credential(), configuration: "OpenBadgeCredential_ldp_vc" },
    });
    const unknown = await offer({ configuration: "mdoc" });
    const wrongKind = await offer({
      configuration: "EuropeanDigitalCredential_jades",
      credential: unsignedOb3Credential(),
    });

    expect(foreign.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(unknown.json).toMatchObject({ status: 400, errors: [{ pointer: "/body/configuration" }] });
    expect(wrongKind.json).toMatchObject({ status: 422, errors: [{ pointer: "/body/credential/type" }] });
  });

  it("refuses a credential too large to wait in one table item, naming it", async () => {
    const res = await offer({ credential: unsignedOb3Credential({ description: "x".repeat(310 * 1024) }) });

    expect(res.json).toMatchObject({ code: "limit-exceeded", errors: [{ pointer: "/body/credential" }] });
  });

  it("returns the offer by value and by reference; the reference serves the same offer until it is used", async () => {
    const wallet = new TestWallet();
    const created = (await offer()).json;

    const byReference = await wallet.readOffer(created.offerUri);
    const byValue = await wallet.readOffer(created.offerUriByValue);
    const tampered = await fetch(`${created.credentialOfferUri.slice(0, -4)}AAAA`);

    expect(created.offerUri).toBe(
      `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(created.credentialOfferUri)}`,
    );
    expect(byReference.json).toEqual(created.credentialOffer);
    expect(byValue.json).toEqual(created.credentialOffer);
    expect(created.credentialOffer).toMatchObject({
      credential_issuer: `${gw.url}/oid4vci/${issuer.slug}`,
      credential_configuration_ids: ["OpenBadgeCredential_ldp_vc"],
    });
    expect(tampered.status).toBe(404);
  });

  it("stores only hashes of the code and the token, and drops the credential once it is issued", async () => {
    const wallet = new TestWallet();
    const o = await offered();
    const collected = await wallet.collect(o.created.offerUri);

    const stored = await gw.deps.oid4vci.getOffer(o.created.id);

    expect(collected.credential).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(o.code.split(".")[1]);
    expect(stored?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.credential).toBeUndefined();
    expect(stored?.issuedAt).toBeDefined();
  });
});
