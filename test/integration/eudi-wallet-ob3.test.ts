import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { signPresentation } from "@digitalbazaar/vc";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { dbLoaderFor } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { post, type ReadRequest, readRequest } from "../support/oid4vp-wallet.js";

// Open Badges 3.0 over OpenID4VP 1.0 (W3C formats, Appendix B.1): the holder's side is Digital Bazaar's
// signPresentation (a Data Integrity VP made for `authentication`, challenge = the request's nonce, domain = its
// client_id) and jose (a VP-JWT with nonce and aud), never the gateway's own signer.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let university: { id: string; slug: string; token: string };
let employer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  university = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
  employer = await registerIssuer(gw, { name: "Employer Ltd", country: "BE" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

/** An OB 3.0 credential the university issues (eddsa-rdfc-2022) to a learner. */
async function badge(): Promise<Record<string, unknown>> {
  const doc = corpusJson("ob3/validator-fixtures/simple.json") as Record<string, unknown>;
  delete doc.proof;
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: university.token,
    json: { credential: { ...doc, id: `urn:uuid:${crypto.randomUUID()}` }, options: { issuer: university.id } },
  });
  expect(res.status, res.text.slice(0, 400)).toBe(201);
  return res.json.verifiableCredential;
}

async function ask(json: Record<string, unknown> = { preset: "open-badge", purpose: "Job application" }) {
  const res = await gw.call("POST", "/v1/presentation-requests", { token: employer.token, json });
  expect(res.status, res.text).toBe(201);
  return readRequest(res.json.walletUrl).then((request) => ({ id: res.json.id as string, request }));
}

const poll = async (id: string) =>
  (await gw.call("GET", `/v1/presentation-requests/${id}`, { token: employer.token })).json;

/** A did:key holder signing with Digital Bazaar's library. */
async function dbHolder() {
  const key = await Ed25519Multikey.generate({});
  const did = `did:key:${key.publicKeyMultibase}`;
  const pair = await Ed25519Multikey.from({ ...key, id: `${did}#${key.publicKeyMultibase}`, controller: did });
  return { did, suite: new DataIntegrityProof({ cryptosuite, signer: pair.signer() }) };
}

async function ldpVp(credential: unknown, nonce: string, domain: string) {
  const holder = await dbHolder();
  return signPresentation({
    presentation: {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      holder: holder.did,
      verifiableCredential: [credential],
    },
    suite: holder.suite,
    documentLoader: dbLoaderFor([]),
    challenge: nonce,
    domain,
  });
}

const answer = (request: ReadRequest, presentation: unknown, state = request.payload.state as string) =>
  post(
    request.payload.response_uri,
    new URLSearchParams({
      vp_token: JSON.stringify({ [request.payload.dcql_query.credentials[0].id]: [presentation] }),
      state,
    }).toString(),
  );

describe("Open Badges 3.0 over OpenID4VP", () => {
  it("asks for an OB 3.0 credential in ldp_vc and jwt_vc_json, by its expanded type", async () => {
    const { request } = await ask();
    const query = request.payload.dcql_query.credentials[0];
    expect(query.format).toBe("ldp_vc");
    // OB 3.0's context maps OpenBadgeCredential to this IRI (corpus context, read here independently).
    const context = corpusJson("ob3/context/ob_v3p0_context-3.0.3.json") as { "@context": Record<string, unknown> };
    const term = context["@context"].OpenBadgeCredential as { "@id": string } | string;
    expect(query.meta.type_values).toContainEqual([typeof term === "string" ? term : term["@id"]]);
    expect(Object.keys(request.payload.client_metadata.vp_formats_supported)).toEqual(
      expect.arrayContaining(["ldp_vc", "jwt_vc_json"]),
    );
  });

  it("verifies a Data Integrity VP made for the request's nonce and client_id", async () => {
    const credential = await badge();
    const { id, request } = await ask();
    const vp = await ldpVp(credential, request.payload.nonce, request.clientId);
    const res = await answer(request, vp);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const state = await poll(id);
    expect(state.status).toBe("received");
    expect(state.result.verified, JSON.stringify(state.result).slice(0, 1500)).toBe(true);
    expect(state.result.credentials[0].credentialResults[0].verified).toBe(true);
  });

  it("does not verify a VP made for another nonce or another verifier, nor one with a tampered credential", async () => {
    const credential = await badge();
    for (const [nonce, domain] of [
      ["another-nonce", undefined],
      [undefined, "x509_hash:another-verifier"],
    ] as const) {
      const { id, request } = await ask();
      const vp = await ldpVp(credential, nonce ?? request.payload.nonce, domain ?? request.clientId);
      expect((await answer(request, vp)).status).toBe(200);
      const state = await poll(id);
      expect(state.result.verified, `${nonce} ${domain}`).toBe(false);
    }
    const tampered = structuredClone(credential) as { credentialSubject: { achievement: { name: string } } };
    tampered.credentialSubject.achievement.name = "Doctor of Everything";
    const { id, request } = await ask();
    expect((await answer(request, await ldpVp(tampered, request.payload.nonce, request.clientId))).status).toBe(200);
    const state = await poll(id);
    expect(state.result.verified).toBe(false);
    expect(state.result.credentials[0].credentialResults[0].verified).toBe(false);
  });

  it("refuses an unsigned VP (it proves nothing about this request) and a VP that is not an object", async () => {
    const credential = await badge();
    const { id, request } = await ask();
    const unsigned = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      verifiableCredential: [credential],
    };
    expect((await answer(request, unsigned)).status).toBe(200);
    expect((await poll(id)).result.verified).toBe(false);
    const second = await ask();
    const res = await answer(second.request, "not-a-presentation");
    expect(res.status).toBe(400);
  });

  it("verifies a VP-JWT (jose, did:jwk holder) answering a jwt_vc_json query", async () => {
    const credential = await badge();
    const { id, request } = await ask({
      query: {
        credentials: [
          {
            id: "badge",
            format: "jwt_vc_json",
            meta: { type_values: [["https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]] },
          },
        ],
      },
    });
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const jwk = await exportJWK(publicKey);
    const did = `did:jwk:${Buffer.from(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x })).toString("base64url")}`;
    const vpJwt = await new SignJWT({
      vp: {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiablePresentation"],
        holder: did,
        verifiableCredential: [credential],
      },
      nonce: request.payload.nonce,
    })
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid: `${did}#0` })
      .setIssuer(did)
      .setAudience(request.clientId)
      .setIssuedAt()
      .sign(privateKey);
    const res = await answer(request, vpJwt);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const state = await poll(id);
    expect(state.result.verified, JSON.stringify(state.result).slice(0, 1500)).toBe(true);
  });
});
