import { KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import type { IssuerRecord } from "../../functions/kernel/ports/index.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jwkOf, signAndVerify, type VerificationMethod } from "../support/keys.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";

// The AWS wiring end to end: issuers registered through the HTTP front, keys created in moto's KMS, the issuer stored
// in moto's DynamoDB, and the published did:web document verifying signatures KMS made. moto has no Ed25519 keys and
// signs PS256 with a non-standard salt length, so this covers P-256 (ES256) and RSA (RS256).
let moto: RunningMoto;
let gw: TestGateway;

beforeAll(async () => {
  moto = await startMoto();
  const keys = new KmsKeyStore({
    client: new KMSClient(emulatorClientConfig(moto.endpoint)),
    appName: "edc-gateway-test",
    keyTypes: ["P-256", "RSA-2048"],
  });
  gw = await startTestGateway({ dynamoEndpoint: moto.endpoint, keys });
});

afterAll(async () => {
  await gw?.close();
  await moto?.stop();
});

describe("issuers on KMS and DynamoDB (moto)", () => {
  it("creates KMS keys and publishes them so that KMS signatures verify against the DID document", async () => {
    const res = await gw.call("POST", "/v1/issuers", {
      token: ADMIN_TOKEN,
      json: { name: "Hochschule Y", country: "DE" },
    });
    expect(res.status).toBe(201);
    expect(res.json.keys.map((k: { type: string }) => k.type)).toEqual(["P-256", "RSA-2048"]);
    const stored = (await gw.deps.store.getIssuer(res.json.slug)) as IssuerRecord;
    expect(stored.keys.every((k) => /^[0-9a-f-]{36}$|^arn:aws:kms:/.test(k.keyRef))).toBe(true);

    const doc = await gw.call("GET", `/issuers/${res.json.slug}/did.json`);

    const methods = doc.json.verificationMethod as VerificationMethod[];
    const es = methods.find((m) => m.id.endsWith("#key-p256")) as VerificationMethod;
    const rsa = methods.find((m) => m.id.endsWith("#key-rsa")) as VerificationMethod;
    const p256Key = stored.keys.find((k) => k.type === "P-256")?.keyRef ?? "";
    const rsaKey = stored.keys.find((k) => k.type === "RSA-2048")?.keyRef ?? "";
    expect(await signAndVerify(gw.deps.signer, p256Key, "ES256", jwkOf(es))).toBe("a signed statement");
    expect(await signAndVerify(gw.deps.signer, rsaKey, "RS256", jwkOf(rsa))).toBe("a signed statement");
    await expect(signAndVerify(gw.deps.signer, rsaKey, "RS256", jwkOf(es))).rejects.toThrow();
  });

  it("refuses Ed25519 where the KMS backend cannot create it, naming the field", async () => {
    const res = await gw.call("POST", "/v1/issuers", {
      token: ADMIN_TOKEN,
      json: { name: "Hochschule Y", country: "DE", keyTypes: ["Ed25519"] },
    });
    const key = await gw.call("POST", "/v1/issuers", {
      token: ADMIN_TOKEN,
      json: { name: "Hochschule Y", country: "DE", didMethod: "key" },
    });

    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ pointer: "/body/keyTypes", detail: "unsupported by the key store: Ed25519" }]);
    expect(key.status).toBe(422);
    expect(key.json.errors[0].pointer).toBe("/body/didMethod");
  });
});
