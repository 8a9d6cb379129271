import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verificationMethodId } from "../../functions/core/issuers/did.js";
import { createEddsaRdfc2022Proof } from "../../functions/proofs/data-integrity.js";
import { testContexts as pinnedContexts } from "../support/contexts.js";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";

// POST /presentations/verify (W3C VC API) over HTTP: unsigned presentations of gateway-issued credentials, and
// presentations signed for authentication by a did:key holder, with the verifier's challenge and domain.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };
let holder: { id: string; slug: string; token: string };

const CHALLENGE = "c0ae1c8e-c7e7-469f-b252-86e6a0e7387e";
const DOMAIN = "verifier.example";

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  const register = async (json: Record<string, unknown>) => {
    const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json as { id: string; slug: string; token: string };
  };
  issuer = await register({ name: "University of Zed", country: "IE" });
  holder = await register({ name: "A Holder", country: "IE", didMethod: "key" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

async function issued(options: Record<string, unknown> = {}) {
  const doc = corpusJson("ob3/validator-fixtures/simple.json") as Record<string, unknown>;
  delete doc.proof;
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: issuer.token,
    json: { credential: { ...doc, id: `urn:uuid:${crypto.randomUUID()}` }, options: { issuer: issuer.id, ...options } },
  });
  expect(res.status, JSON.stringify(res.json).slice(0, 400)).toBe(201);
  return res.json.verifiableCredential;
}

function presentation(credentials: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiablePresentation"],
    verifiableCredential: credentials,
    ...extra,
  };
}

/** Signs a presentation with the did:key holder's Ed25519 key, through the gateway's own signer. */
async function signedByHolder(vp: Record<string, unknown>, proof: { challenge?: string; domain?: string } = {}) {
  const record = await gw.deps.store.getIssuer(holder.slug);
  const key = record?.keys.find((k) => k.type === "Ed25519");
  if (!record || !key) throw new Error("the holder has no Ed25519 key");
  return createEddsaRdfc2022Proof(
    { ...vp, holder: holder.id },
    {
      contexts: pinnedContexts,
      signer: gw.deps.signer,
      keyRef: key.keyRef,
      verificationMethod: verificationMethodId(record, key),
      proofPurpose: "authentication",
      ...proof,
    },
  );
}

const verify = (verifiablePresentation: unknown, options?: Record<string, unknown>) =>
  gw.call("POST", "/presentations/verify", {
    json: { verifiablePresentation, ...(options ? { options } : {}) },
  });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions.
const checkOf = (body: any, name: string) => body.checks.find((c: { check: string }) => c.check === name);

describe("POST /presentations/verify, unsigned presentations", () => {
  it("verifies a presentation of two gateway-issued credentials (Data Integrity and an enveloped VC-JWT)", async () => {
    const eddsa = await issued();
    const jwt: string = await issued({ proof: "vc-jwt" });
    const enveloped = {
      "@context": "https://www.w3.org/ns/credentials/v2",
      id: `data:application/vc+jwt,${jwt}`,
      type: "EnvelopedVerifiableCredential",
    };

    const res = await verify(presentation([eddsa, enveloped]));

    expect(res.status, JSON.stringify(res.json.errors)).toBe(200);
    expect(res.json.verified).toBe(true);
    expect(res.json.presentationResult.verified).toBe(true);
    expect(res.json.credentialResults.map((r: { verified: boolean }) => r.verified)).toEqual([true, true]);
    expect(checkOf(res.json, "proof")).toMatchObject({ status: "skipped" });
    expect(checkOf(res.json, "credentials")).toMatchObject({ status: "ok", detail: "all 2 credentials verified" });
  });

  it("answers 422 with the same body shape when one credential is tampered with", async () => {
    const first = await issued();
    const second = await issued();

    const res = await verify(presentation([first, { ...second, name: "Forged" }]));

    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json.verified).toBe(false);
    expect(res.json.presentationResult.verified).toBe(true);
    expect(res.json.credentialResults[0].verified).toBe(true);
    expect(res.json.credentialResults[1].checks).toContainEqual(
      expect.objectContaining({ check: "proof", status: "error" }),
    );
    expect(checkOf(res.json, "credentials")).toMatchObject({ status: "error" });
    expect(res.json.errors).toContainEqual(expect.stringMatching(/^credential 1: proof: /));
    expect(Object.keys(res.json).sort()).toEqual([
      "checks",
      "credentialResults",
      "errors",
      "presentationResult",
      "verified",
      "warnings",
    ]);
  });

  it("fails an unsigned presentation when the verifier asks for a challenge", async () => {
    const res = await verify(presentation([await issued()]), { challenge: CHALLENGE });

    expect(res.status).toBe(422);
    expect(checkOf(res.json, "proof")).toMatchObject({ status: "error" });
    expect(checkOf(res.json, "proof").detail).toMatch(/not signed/);
  });
});

describe("POST /presentations/verify, presentations signed by a did:key holder", () => {
  it("verifies the authentication proof with the expected challenge and domain", async () => {
    const vp = await signedByHolder(presentation([await issued()]), { challenge: CHALLENGE, domain: DOMAIN });

    const res = await verify(vp, { challenge: CHALLENGE, domain: DOMAIN });

    expect(res.status, JSON.stringify(res.json.errors)).toBe(200);
    expect(res.json.verified).toBe(true);
    expect(checkOf(res.json, "proof")).toMatchObject({ status: "ok" });
    expect(checkOf(res.json, "proof").detail).toMatch(/challenge matches; domain matches$/);
  });

  it("answers 422 for a wrong challenge, a wrong domain, or an assertionMethod proof", async () => {
    const vp = await signedByHolder(presentation([await issued()]), { challenge: CHALLENGE, domain: DOMAIN });
    const assertion = await createEddsaRdfc2022Proof(
      { ...presentation([]), holder: holder.id },
      {
        contexts: pinnedContexts,
        signer: gw.deps.signer,
        keyRef: (await gw.deps.store.getIssuer(holder.slug))?.keys[0]?.keyRef ?? "",
        verificationMethod: (vp.proof as { verificationMethod: string }).verificationMethod,
        challenge: CHALLENGE,
      },
    );

    const wrongChallenge = await verify(vp, { challenge: "another-challenge", domain: DOMAIN });
    const wrongDomain = await verify(vp, { challenge: CHALLENGE, domain: "elsewhere.example" });
    const wrongPurpose = await verify(assertion, { challenge: CHALLENGE });

    for (const [res, code] of [
      [wrongChallenge, "INVALID_CHALLENGE_ERROR"],
      [wrongDomain, "INVALID_DOMAIN_ERROR"],
      [wrongPurpose, "MISMATCHED_PROOF_PURPOSE_ERROR"],
    ] as const) {
      expect(res.status).toBe(422);
      expect(res.json.verified).toBe(false);
      expect(res.json.presentationResult.verified).toBe(false);
      expect(checkOf(res.json, "proof").detail).toContain(code);
    }
    expect(wrongChallenge.json.credentialResults[0].verified).toBe(true);
  });

  it("fails the proof of a signed presentation whose credential list was changed after signing", async () => {
    const vp = await signedByHolder(presentation([await issued()]), { challenge: CHALLENGE });

    const res = await verify({ ...vp, verifiableCredential: [] }, { challenge: CHALLENGE });

    expect(res.status).toBe(422);
    expect(checkOf(res.json, "proof")).toMatchObject({ status: "error" });
  });
});

describe("POST /presentations/verify, bad input", () => {
  it("answers a 4xx problem for what is not a presentation", async () => {
    const notVp = await verify({ "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["Thing"] });
    const jwt = await verify("eyJhbGciOiJFZERTQSJ9.e30.sig");
    const badOptions = await verify(presentation([]), { challenge: 42 });

    for (const res of [notVp, jwt, badOptions]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    expect(notVp.json.errors[0].pointer).toBe("/body/verifiablePresentation");
    expect(badOptions.status).toBe(400);
  });
});
