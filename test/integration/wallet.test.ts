import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EuropassWalletClient } from "../../functions/adapters/shared/europass-wallet.js";
import { GuardedHttp } from "../../functions/adapters/shared/guarded-http.js";
import { type LocalDeliveryWorker, startLocalDeliveryWorker } from "../../functions/local/delivery-worker.js";
import { startWalletEmulator, type WalletEmulator } from "../../functions/local/wallet-emulator.js";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import {
  ADMIN_TOKEN,
  type RegisteredIssuer,
  registerIssuer,
  startTestGateway,
  type TestGateway,
} from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// Deliveries to and imports from a Europass wallet, over HTTP: the test gateway's real handlers, the local deliveries
// worker on its in-process queue, and the wallet emulator on loopback (fault injection scripted per test).
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let wallet: WalletEmulator;
let worker: LocalDeliveryWorker;
let issuer: RegisteredIssuer;
let other: RegisteredIssuer;

const MAX_ATTEMPTS = 4;

beforeAll(async () => {
  db = await startDynalite();
  wallet = await startWalletEmulator({ seed: 7, faults: { hangMs: 5_000 } });
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024),
      GATEWAY_WALLET_URL: wallet.url,
      GATEWAY_WALLET_ALLOW_LOOPBACK: "on",
      GATEWAY_WALLET_TIMEOUT_MS: "500",
      GATEWAY_DELIVERY_RETRY_BASE_MS: "1",
      GATEWAY_DELIVERY_RETRY_MAX_MS: "1",
      GATEWAY_DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    },
  });
  worker = startLocalDeliveryWorker(gw.deps, { intervalMs: 20 });
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
  other = await registerIssuer(gw, { name: "Other College", country: "FR" });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await wallet?.close();
  await db?.stop();
});

/** The EC's unsigned micro-credential sample under a fresh id, sealed by the gateway (JAdES, local test eSeal). */
async function sealedElm(as: RegisteredIssuer = issuer): Promise<Record<string, unknown>> {
  const credential = {
    ...corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
    id: `urn:credential:${crypto.randomUUID()}`,
  };
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: as.token,
    json: { credential, options: { issuer: as.id, format: "elm" } },
  });
  expect(res.status, res.text.slice(0, 300)).toBe(201);
  return res.json.verifiableCredential;
}

const idOf = (envelope: Record<string, unknown>): string => JSON.parse(envelope.payload as string).id;

async function deliver(json: Record<string, unknown>, token = issuer.token) {
  return gw.call("POST", "/v1/deliveries", { token, json });
}

/** Polls the delivery until it has ended (or the time is up). */
// biome-ignore lint/suspicious/noExplicitAny: the delivery view is checked by the assertions.
async function ended(id: string, token = issuer.token): Promise<any> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await gw.call("GET", `/v1/deliveries/${id}`, { token });
    if (res.json?.status !== "pending" || Date.now() > deadline) return res.json;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const heldCount = (credentialId: string) => wallet.held().filter((h) => h.credentialId === credentialId).length;

describe("POST /v1/deliveries → GET /v1/deliveries/{id}", () => {
  it("delivers a sealed ELM credential to a wallet by e-mail, where a temporary wallet holds it once", async () => {
    const envelope = await sealedElm();
    wallet.setFaults({});

    const created = await deliver({ credential: envelope, recipient: { email: "ada@example.org" } });
    const view = await ended(created.json.id);

    expect(created.status).toBe(202);
    expect(created.headers.get("location")).toBe(`/v1/deliveries/${created.json.id}`);
    expect(view).toMatchObject({ status: "delivered", attempts: 1, lastError: null, recipient: "email" });
    expect(view.credentialId).toBe(idOf(envelope));
    expect(JSON.stringify(view)).not.toContain("ada@example.org");
    const held = wallet.held().filter((h) => h.credentialId === idOf(envelope));
    expect(held).toHaveLength(1);
    expect(held[0]?.walletId).toMatch(/^Temp_[A-Za-z0-9]{10}$/);
  });

  it("delivers to a wallet by its id", async () => {
    const { userId } = wallet.createWallet(`user-${crypto.randomUUID()}`, "grace@example.org");
    const envelope = await sealedElm();

    const created = await deliver({ credential: envelope, recipient: { walletId: userId }, sendEmail: false });

    expect(await ended(created.json.id)).toMatchObject({ status: "delivered", recipient: "walletId" });
    expect(wallet.held().find((h) => h.credentialId === idOf(envelope))?.walletId).toBe(userId);
  });

  it("counts a credential the wallet already holds (409) as delivered, and the wallet keeps one copy", async () => {
    const envelope = await sealedElm();
    const first = await deliver({ credential: envelope, recipient: { email: "linus@example.org" } });
    await ended(first.json.id);

    const second = await deliver({ credential: envelope, recipient: { email: "linus@example.org" } });
    const view = await ended(second.json.id);

    expect(view).toMatchObject({ status: "delivered", attempts: 1, note: expect.stringMatching(/409/) });
    expect(heldCount(idOf(envelope))).toBe(1);
  });

  it("retries a 503 and a lost answer (timeout), then ends delivered with the credential held once", async () => {
    const envelope = await sealedElm();
    wallet.setFaults({ script: ["fail", "timeout"], hangMs: 2_000 });

    const created = await deliver({ credential: envelope, recipient: { email: "alan@example.org" } });
    const view = await ended(created.json.id);

    // Attempt 1: 503. Attempt 2: stored, but the answer never came. Attempt 3: 409, so delivered.
    expect(view).toMatchObject({ status: "delivered", attempts: 3 });
    expect(view.lastError).toMatch(/did not answer in time/);
    expect(heldCount(idOf(envelope))).toBe(1);
  });

  it("fails after the last attempt with the reason, dead-lettered", async () => {
    const envelope = await sealedElm();
    wallet.setFaults({ failRate: 1 });
    const dlq = gw.deps.deliveriesDlq;

    const created = await deliver({ credential: envelope, recipient: { email: "barbara@example.org" } });
    const view = await ended(created.json.id);
    wallet.setFaults({});

    expect(view).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, deadLettered: true });
    expect(view.lastError).toMatch(/answered 503.*gave up after 4 attempts/);
    const letters = await dlq?.receive({ max: 10 });
    expect(letters?.map((m) => (m.body as { id: string }).id)).toContain(created.json.id);
    expect(heldCount(idOf(envelope))).toBe(0);
  });

  it("fails at once, with the wallet's reason, when the wallet refuses the credential (not sealed: 400)", async () => {
    wallet.setFaults({});
    const unsealed = {
      ...corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
      id: `urn:credential:${crypto.randomUUID()}`,
    };

    const created = await deliver({ credential: unsealed, recipient: { email: "edsger@example.org" } });
    const view = await ended(created.json.id);

    expect(view).toMatchObject({ status: "failed", attempts: 1 });
    expect(view.lastError).toMatch(/refused the credential \(400\).*not sealed/);
  });

  it("fails at once for a wallet id the wallet does not know (404)", async () => {
    const created = await deliver({ credential: await sealedElm(), recipient: { walletId: "nobody-here" } });

    expect(await ended(created.json.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringMatching(/\(404\).*no wallet/),
    });
  });

  it("shows a delivery to its issuer and the admin only", async () => {
    const created = await deliver({ credential: await sealedElm(), recipient: { email: "ken@example.org" } });
    const path = `/v1/deliveries/${created.json.id}`;

    const byOther = await gw.call("GET", path, { token: other.token });
    const anonymous = await gw.call("GET", path);
    const byAdmin = await gw.call("GET", path, { token: ADMIN_TOKEN });
    const unknown = await gw.call("GET", "/v1/deliveries/no-such-delivery", { token: issuer.token });

    expect(byOther.status).toBe(403);
    expect(byOther.json.errors[0].pointer).toBe("/path/id");
    expect(anonymous.status).toBe(401);
    expect(byAdmin.status).toBe(200);
    // Unknown and another issuer's ids get the same answer: no existence oracle for a tenant.
    expect(unknown.status).toBe(403);
    expect(unknown.json.detail).toBe(byOther.json.detail.replace(/"[^"]+"/, '"no-such-delivery"'));
  });

  it("refuses to deliver another issuer's credential (403) and says why a credential id alone cannot be delivered (422)", async () => {
    const envelope = await sealedElm();

    const foreign = await deliver({ credential: envelope, recipient: { email: "x@example.org" } }, other.token);
    const byId = await deliver({ credentialId: idOf(envelope), recipient: { email: "x@example.org" } });
    const byIdForeign = await deliver(
      { credentialId: idOf(envelope), recipient: { email: "x@example.org" } },
      other.token,
    );

    expect(foreign.status).toBe(403);
    expect(foreign.json.errors[0].pointer).toBe("/body/credential/id");
    expect(byId.status).toBe(422);
    expect(byId.json.errors[0].pointer).toBe("/body/credentialId");
    expect(byIdForeign.status).toBe(403);
  });

  it.each([
    ["no credential", { recipient: { email: "a@example.org" } }, "/body/credential"],
    [
      "both credential and credentialId",
      { credential: { id: "urn:x" }, credentialId: "urn:x", recipient: { email: "a@example.org" } },
      "/body/credentialId",
    ],
    [
      "a credential without an id",
      { credential: { type: ["VerifiableCredential"] }, recipient: { email: "a@example.org" } },
      "/body/credential/id",
    ],
    [
      "an e-mail that is not one",
      { credential: { id: "urn:x" }, recipient: { email: "not-an-email" } },
      "/body/recipient/email",
    ],
    [
      "two recipients",
      { credential: { id: "urn:x" }, recipient: { email: "a@example.org", walletId: "w" } },
      "/body/recipient",
    ],
    [
      "a wallet id with a slash",
      { credential: { id: "urn:x" }, recipient: { walletId: "a/b" } },
      "/body/recipient/walletId",
    ],
    [
      "a wallet id that is a dot segment (the deposit URL would climb out of /wallets/)",
      { credential: { id: "urn:x" }, recipient: { walletId: ".." } },
      "/body/recipient/walletId",
    ],
  ])("answers 400 naming the field for %s", async (_what, json, pointer) => {
    const res = await deliver(json);

    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it("needs an issuer token", async () => {
    const res = await gw.call("POST", "/v1/deliveries", {
      json: { credential: { id: "urn:x" }, recipient: { email: "a@example.org" } },
    });

    expect(res.status).toBe(401);
  });
});

describe("POST /v1/imports", () => {
  it("imports the credential behind an emulated share link, converted to OB 3.0 and verified", async () => {
    wallet.setFaults({});
    const envelope = await sealedElm();
    await ended((await deliver({ credential: envelope, recipient: { email: "share@example.org" } })).json.id);
    const held = wallet.held().find((h) => h.credentialId === idOf(envelope));
    const hash = wallet.shareLink(held?.uuid as string);

    const res = await gw.call("POST", "/v1/imports", {
      json: { shareLink: `https://europa.eu/europass/digital-credentials/viewer/#/shareview/${hash}`, to: "ob3" },
    });

    expect(res.status, res.text.slice(0, 400)).toBe(200);
    expect(res.json.source).toEqual({ kind: "shareLink", shareHash: hash });
    expect(res.json.credential).toEqual(envelope);
    const ob3 = res.json.conversion.results[0].document;
    expect(ob3.type).toContain("OpenBadgeCredential");
    expect(ob3.name).toBeTruthy();
    expect(res.json.verification.verified, JSON.stringify(res.json.verification.errors)).toBe(true);
    expect(res.json.verification.checks.find((c: { check: string }) => c.check === "proof").status).toBe("ok");
  });

  it("imports a credential from its owner's wallet with the owner's token", async () => {
    const { userId, token } = wallet.createWallet(`owner-${crypto.randomUUID()}`);
    const envelope = await sealedElm();
    await ended((await deliver({ credential: envelope, recipient: { walletId: userId } })).json.id);
    const uuid = wallet.held().find((h) => h.credentialId === idOf(envelope))?.uuid;

    const res = await gw.call("POST", "/v1/imports", {
      json: { walletId: userId, bearerToken: token, credentialId: uuid },
    });
    const wrongToken = await gw.call("POST", "/v1/imports", {
      json: { walletId: userId, bearerToken: "not-the-token", credentialId: uuid },
    });

    expect(res.status).toBe(200);
    expect(res.json.verification.verified).toBe(true);
    expect(res.json.conversion).toBeUndefined();
    expect(wrongToken.status).toBe(403);
    expect(wrongToken.json.errors[0].pointer).toBe("/body/bearerToken");
  });

  it.each([
    ["a link that is not a share link", { shareLink: "https://example.org/some/page" }, 400, "/body/shareLink"],
    [
      "an unknown share link",
      { shareLink: "https://europa.eu/europass/wallet/api/v1/sharelinks/AAAABBBBCCCCDDDD" },
      404,
      "/body/shareLink",
    ],
    [
      "a share link and wallet fields",
      { shareLink: "https://x.example/#/shareview/AAAABBBBCCCCDDDD", walletId: "w" },
      400,
      "/body/walletId",
    ],
    ["a wallet id without its token", { walletId: "w", credentialId: "c" }, 400, "/body/bearerToken"],
    ["a dot-segment wallet id", { walletId: "..", bearerToken: "t", credentialId: "c" }, 400, "/body/walletId"],
    ["a dot-segment credential id", { walletId: "w", bearerToken: "t", credentialId: "." }, 400, "/body/credentialId"],
    ["nothing to import", { to: "ob3" }, 400, "/body/shareLink"],
  ])("answers a problem naming the field for %s", async (_what, json, status, pointer) => {
    const res = await gw.call("POST", "/v1/imports", { json });

    expect(res.status).toBe(status);
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

describe("the wallet client's outbound guard", () => {
  it("refuses a loopback wallet unless loopback is allowed by configuration", async () => {
    const client = new EuropassWalletClient({
      http: new GuardedHttp({ allowHttp: true }),
      baseUrl: wallet.url,
      timeoutMs: 500,
    });

    const answer = await client.deposit({ email: "a@example.org" }, JSON.stringify(unsignedOb3Credential()), false);

    expect(answer).toMatchObject({ kind: "refused" });
    expect(JSON.stringify(answer)).not.toContain("a@example.org");
  });
});
