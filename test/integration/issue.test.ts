import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { dbVerify } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { type Envelope, verifiesWithNode } from "../support/jades.js";
import { schemaErrors, unsignedOb3Credential } from "../support/ob3.js";
import { validateElm } from "../support/shacl.js";

// Issuance over HTTP with the local key store: each proof verified by a library other than the one that signed.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };
let other: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  const register = (name: string) => registerIssuer(gw, { name, country: "IE", legalIdentifier: "IE-12345" });
  issuer = await register("University of Zed");
  other = await register("Other College");
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const ob3Credential = () => unsignedOb3Credential();

const didDocumentOf = async (slug: string) => (await gw.call("GET", `/issuers/${slug}/did.json`)).json;

describe("POST /v1/credentials/issue", () => {
  it("signs an OB 3.0 credential with eddsa-rdfc-2022 that Digital Bazaar's verifier accepts", async () => {
    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential: ob3Credential(), options: { issuer: issuer.id } },
    });

    expect(res.status).toBe(201);
    const vc = res.json.verifiableCredential;
    expect(vc.issuer.id ?? vc.issuer).toBe(issuer.id);
    // OB 3.0 JSON: "Sequence values MUST be represented as an JSON Array"; the 1EdTech AchievementCredential JSON
    // Schema (the validator's) takes `proof` as an array only, and the whole signed credential must pass it.
    expect(vc.proof).toEqual([expect.objectContaining({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022" })]);
    expect(schemaErrors(vc)).toEqual([]);
    const verified = await dbVerify(vc, [await didDocumentOf(issuer.slug)]);
    expect(verified.verified, JSON.stringify(verified.error ?? verified)).toBe(true);
    const tampered = { ...vc, name: "Another badge" };
    expect((await dbVerify(tampered, [await didDocumentOf(issuer.slug)])).verified).toBe(false);
  });

  it("signs a VC-JWT verifiable with the issuer's JWKS (jose)", async () => {
    const res = await gw.call("POST", "/credentials/issue", {
      token: issuer.token,
      json: { credential: ob3Credential(), options: { issuer: issuer.slug, proof: "vc-jwt" } },
    });

    expect(res.status).toBe(201);
    const jwks = (await gw.call("GET", `/issuers/${issuer.slug}/jwks.json`)).json;
    const { payload, protectedHeader } = await jwtVerify(res.json.verifiableCredential, createLocalJWKSet(jwks));
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "JWT", kid: `${issuer.id}#key-p256` });
    expect(payload).toMatchObject({ iss: issuer.id });
  });

  it("seals an ELM credential with JAdES (local test certificate) that node:crypto verifies and SHACL accepts", async () => {
    const credential = corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld");

    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential, options: { issuer: issuer.id, format: "elm" } },
    });

    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const envelope = res.json.verifiableCredential as Envelope;
    expect(verifiesWithNode(envelope)).toBe(true);
    const payload = JSON.parse(envelope.payload);
    expect(payload.issued).toBeDefined();
    expect(payload.issuer.eIDASIdentifier.notation).toMatch(/IE-12345/);
    const report = await validateElm(payload, ["generic-full"]);
    expect(report.results).toEqual([]);
  });

  it("converts an ELM credential to OB 3.0 and signs it when asked for format ob3", async () => {
    const credential = corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld");

    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential, options: { issuer: issuer.id, format: "ob3" } },
    });

    expect(res.status, JSON.stringify(res.json).slice(0, 500)).toBe(201);
    const vc = res.json.verifiableCredential;
    expect(vc.type).toContain("OpenBadgeCredential");
    expect((await dbVerify(vc, [await didDocumentOf(issuer.slug)])).verified).toBe(true);
  });

  it("returns the same credential for the same Idempotency-Key, and refuses the key for another request", async () => {
    const body = { credential: ob3Credential(), options: { issuer: issuer.id } };
    const headers = { "idempotency-key": `key-${crypto.randomUUID()}` };

    const first = await gw.call("POST", "/v1/credentials/issue", { token: issuer.token, json: body, headers });
    const again = await gw.call("POST", "/v1/credentials/issue", { token: issuer.token, json: body, headers });
    const changed = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { ...body, credential: ob3Credential() },
      headers,
    });

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(changed.status).toBe(422);
    expect(changed.json.errors[0].pointer).toBe("/headers/idempotency-key");
  });

  it("never issues the same credential id twice without an Idempotency-Key", async () => {
    const body = { credential: ob3Credential(), options: { issuer: issuer.id } };

    const first = await gw.call("POST", "/v1/credentials/issue", { token: issuer.token, json: body });
    const second = await gw.call("POST", "/v1/credentials/issue", { token: issuer.token, json: body });

    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
  });

  it("refuses another issuer's token with 403 and no token with 401", async () => {
    const body = { credential: ob3Credential(), options: { issuer: issuer.id } };

    const foreign = await gw.call("POST", "/v1/credentials/issue", { token: other.token, json: body });
    const anonymous = await gw.call("POST", "/v1/credentials/issue", { json: body });
    const asAdmin = await gw.call("POST", "/v1/credentials/issue", { token: ADMIN_TOKEN, json: body });

    expect(foreign.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(asAdmin.status).toBe(201);
  });

  it.each([
    [
      "no issuer anywhere",
      { credential: { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"] } },
      400,
      "/body/options/issuer",
    ],
    [
      "an unknown context",
      {
        credential: {
          "@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/ctx"],
          type: ["VerifiableCredential"],
          credentialSubject: { id: "did:example:1" },
        },
      },
      422,
      undefined,
    ],
    ["JAdES on OB 3.0", { credential: {}, options: { proof: "jades" } }, 422, "/body/options/proof"],
    [
      "an inverted validity window",
      {
        credential: {
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          type: ["VerifiableCredential"],
          credentialSubject: { id: "did:example:1" },
          validFrom: "2026-01-02T00:00:00Z",
          validUntil: "2026-01-01T00:00:00Z",
        },
      },
      422,
      "/body/credential/validUntil",
    ],
  ])("answers %s with 4xx problem+json", async (_what, body, status, pointer) => {
    const json = { ...body, options: { issuer: issuer.id, ...(body as { options?: object }).options } };
    if (_what === "no issuer anywhere") delete (json as { options?: unknown }).options;

    const res = await gw.call("POST", "/v1/credentials/issue", { token: issuer.token, json });

    expect(res.status, JSON.stringify(res.json)).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    if (pointer) expect(res.json.errors[0].pointer).toBe(pointer);
  });
});

describe("key rotation", () => {
  it("signs with the new key while credentials signed with the old one still verify", async () => {
    const rotating = (
      await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: { name: "Rotating Institute", country: "IE" } })
    ).json as { id: string; slug: string; token: string };
    const issue = async () =>
      (
        await gw.call("POST", "/v1/credentials/issue", {
          token: rotating.token,
          json: { credential: ob3Credential(), options: { issuer: rotating.id } },
        })
      ).json.verifiableCredential;
    const before = await issue();

    const rotated = await gw.call("POST", `/v1/issuers/${rotating.slug}/keys`, {
      token: rotating.token,
      json: { type: "Ed25519" },
    });
    const after = await issue();
    const foreign = await gw.call("POST", `/v1/issuers/${rotating.slug}/keys`, {
      token: other.token,
      json: { type: "Ed25519" },
    });

    expect(rotated.status).toBe(201);
    expect(before.proof[0].verificationMethod).toBe(`${rotating.id}#key-ed25519`);
    expect(after.proof[0].verificationMethod).toBe(`${rotating.id}#key-ed25519-2`);
    const doc = await didDocumentOf(rotating.slug);
    expect(doc.verificationMethod.map((m: { id: string }) => m.id)).toContain(`${rotating.id}#key-ed25519`);
    expect((await dbVerify(before, [doc])).verified).toBe(true);
    expect((await dbVerify(after, [doc])).verified).toBe(true);
    expect(foreign.status).toBe(403);
  });
});
