import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock, Oid4vciStore } from "../../functions/kernel/ports/index.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";
import { TestWallet } from "../support/oid4vci-wallet.js";

// The OpenID4VCI issuance hold (review fix): a credential request holds its offer for 60 s while it issues; one that
// takes longer and is overtaken by a second request (which took the lapsed hold) must not hand out a second credential.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };
let realClock: Clock;
let realStore: Oid4vciStore;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
  realClock = gw.deps.clock;
  realStore = gw.deps.oid4vci;
});

afterAll(async () => {
  gw.deps.clock = realClock;
  gw.deps.oid4vci = realStore;
  await gw?.close();
  await db?.stop();
});

const withoutId = ({ id: _, ...credential }: Record<string, unknown>) => credential;

const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

/** An offer redeemed for an access token by `wallet`, with the issuer's endpoints. */
async function redeemedOffer(wallet: TestWallet) {
  const res = await gw.call("POST", `/v1/issuers/${issuer.slug}/offers`, {
    token: issuer.token,
    // No id: the gateway gives each issuance a fresh one, so only the hold stands between the offer and a second
    // credential (with an id, the issuance registry would refuse the second as "issued before").
    json: { credential: withoutId(unsignedOb3Credential()), configuration: "OpenBadgeCredential_jwt_vc_json" },
  });
  expect(res.status, res.text).toBe(201);
  const base = `${gw.url}/oid4vci/${issuer.slug}`;
  const token = await wallet.token(`${base}/token`, res.json.credentialOffer.grants[PRE_AUTH]["pre-authorized_code"]);
  expect(token.status).toBe(200);
  const request = async () => {
    const nonce = await wallet.nonce(`${base}/nonce`);
    return {
      credential_configuration_id: "OpenBadgeCredential_jwt_vc_json",
      proofs: { jwt: [await wallet.proof({ audience: base, nonce: nonce.json.c_nonce })] },
    };
  };
  return { offerId: res.json.id as string, accessToken: token.json.access_token as string, base, request };
}

describe("a credential request that outlives its hold", () => {
  it("is refused (credential_request_denied) when another request took the offer over, which alone gets the credential", async () => {
    // Prepare: the slow request's completion waits until a second request, 61 s later (its hold lapsed), has run.
    const wallet = new TestWallet();
    const o = await redeemedOffer(wallet);
    const [slowBody, secondBody] = [await o.request(), await o.request()];
    let second: Awaited<ReturnType<TestWallet["credential"]>> | undefined;
    const bound = (name: keyof Oid4vciStore) => (realStore[name] as (...a: unknown[]) => unknown).bind(realStore);
    gw.deps.oid4vci = {
      ...(Object.fromEntries(
        (
          [
            "putOffer",
            "getOffer",
            "redeemCode",
            "recordFailedTxCode",
            "claimIssuance",
            "releaseIssuance",
            "putNonce",
            "consumeNonce",
          ] as const
        ).map((name) => [name, bound(name)]),
      ) as unknown as Oid4vciStore),
      completeIssuance: async (...args: Parameters<Oid4vciStore["completeIssuance"]>) => {
        if (!second) {
          gw.deps.clock = { now: () => new Date(realClock.now().getTime() + 61_000) };
          second = await wallet.credential(`${o.base}/credential`, o.accessToken, secondBody);
        }
        return realStore.completeIssuance(...args);
      },
    };
    // Act
    const slow = await wallet.credential(`${o.base}/credential`, o.accessToken, slowBody);
    // Assess
    gw.deps.oid4vci = realStore;
    gw.deps.clock = realClock;
    expect(second?.status, JSON.stringify(second?.json)).toBe(200);
    expect([slow.status, slow.json.error]).toEqual([400, "credential_request_denied"]);
    expect(slow.json.error_description).toMatch(/took longer than the hold .* withheld/);
    const issued = second?.json.credentials[0].credential as string;
    const jti = JSON.parse(Buffer.from(issued.split(".")[1] ?? "", "base64url").toString()).jti;
    expect(await realStore.getOffer(o.offerId)).toMatchObject({ credentialId: jti });
  });
});
