import { createHash } from "node:crypto";
import { KMSClient } from "@aws-sdk/client-kms";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import { corpusJson } from "../support/corpus.js";
import { minimalElmCredential } from "../support/elm-minimal.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { type Envelope, signingInputOf, verifiesWithNode } from "../support/jades.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";

// Issuance with keys in moto's KMS and records in moto's DynamoDB. moto has no Ed25519 (so no eddsa-rdfc-2022 here;
// the request-level KMS tests cover it) and implements RAW signing only (see the ELM seal below).
let moto: RunningMoto;
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  moto = await startMoto();
  const keys = new KmsKeyStore({
    client: new KMSClient(emulatorClientConfig(moto.endpoint)),
    appName: "edc-gateway-test",
    keyTypes: ["P-256", "RSA-2048"],
  });
  gw = await startTestGateway({ dynamoEndpoint: moto.endpoint, keys });
  const res = await gw.call("POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    json: { name: "Hochschule Y", country: "DE", legalIdentifier: "DE-HRB-1" },
  });
  expect(res.status).toBe(201);
  issuer = res.json;
});

afterAll(async () => {
  await gw?.close();
  await moto?.stop();
});

describe("issuing with KMS keys (moto)", () => {
  it("signs a VC-JWT with the KMS P-256 key, verifiable with the published JWKS", async () => {
    const credential = corpusJson("ob3/validator-fixtures/simple.json");
    delete credential.proof;

    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential, options: { issuer: issuer.id, proof: "vc-jwt" } },
    });

    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const jwks = (await gw.call("GET", `/issuers/${issuer.slug}/jwks.json`)).json;
    const { protectedHeader } = await jwtVerify(res.json.verifiableCredential, createLocalJWKSet(jwks));
    expect(protectedHeader.alg).toBe("ES256");
  });

  // The smallest ELM credential the issuance gate accepts (display page image included) makes a JAdES signing input
  // over KMS's 4,096-byte RAW limit, so the gateway sends its SHA-256 as MessageType DIGEST. AWS signs that digest as
  // the hash of the message; moto 5.x does not implement DIGEST ("The MessageType-parameter DIGEST is not yet
  // implemented", moto/kms/models.py) and signs the 32 bytes as a RAW message. So against moto the signature verifies
  // over SHA-256(signing input) hashed once more, which proves the gateway sent exactly the digest of the JAdES
  // signing input; AWS's own DIGEST semantics are covered by test/contract/key-store.kms-requests.test.ts.
  it("seals a small ELM credential with JAdES using a KMS key, sending the signing input's digest", async () => {
    const credential = minimalElmCredential("urn:credential:kms-1");

    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential, options: { issuer: issuer.id, format: "elm", proof: "jades" } },
    });

    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const envelope = res.json.verifiableCredential as Envelope;
    const input = signingInputOf(envelope);
    expect(input.length).toBeGreaterThan(4096);
    const digest = createHash("sha256").update(input).digest();
    expect(verifiesWithNode(envelope, 0, digest)).toBe(true);
    // A signature over anything else (here: the input itself, as if sent RAW) does not verify.
    expect(verifiesWithNode(envelope)).toBe(false);
  });
});
