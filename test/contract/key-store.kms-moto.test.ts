import { constants, createPublicKey, verify } from "node:crypto";
import { KMSClient, ListResourceTagsCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import type { PublicJwk } from "../../functions/kernel/ports/index.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { joseCheck, jwsSigningInput, keyStoreContract, type SignatureCheck } from "./key-store.contract.js";

let moto: RunningMoto;
let client: KMSClient;

beforeAll(async () => {
  moto = await startMoto();
  client = new KMSClient(emulatorClientConfig(moto.endpoint));
});

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

/**
 * moto deviation: moto signs RSASSA_PSS_SHA_256 with the largest possible salt (222 bytes for RSA-2048) where KMS
 * uses 32 bytes (the SHA-256 length) as RFC 7518 PS256 expects, so jose (WebCrypto, salt fixed at 32) rejects moto's
 * PS256 signatures. On moto, PS256 is verified with node:crypto accepting any salt length, still against the
 * published key. The test "moto still signs PSS with the maximum salt" below notices when moto changes.
 */
const pssAnySalt: SignatureCheck = async (_alg, jwk, signingInput, signature) =>
  verify(
    "sha256",
    signingInput,
    { key: publicKeyOf(jwk), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
    signature,
  );

function publicKeyOf(jwk: PublicJwk) {
  return createPublicKey({ key: { ...jwk }, format: "jwk" });
}

// moto's KMS has no Ed25519 (covered by the file store and by key-store.kms-requests.test.ts), and its DIGEST
// signing hashes the digest again, so only messages up to 4096 bytes (sent RAW) are checked here.
keyStoreContract({
  name: "KmsKeyStore on moto KMS",
  create: async () => {
    const options = { client, appName: "edc-gateway-test", keyTypes: ["P-256", "RSA-2048"] as const };
    return { store: new KmsKeyStore(options), reopen: () => new KmsKeyStore(options) };
  },
  keyTypes: ["P-256", "RSA-2048"],
  largeMessages: false,
  checks: { PS256: pssAnySalt },
});

describe("KmsKeyStore on moto KMS", () => {
  it("tags each key with the app and the issuer, so that IAM can scope signing", async () => {
    // Prepare
    const store = new KmsKeyStore({ client, appName: "edc-gateway-test", keyTypes: ["P-256"] });
    // Act
    const key = await store.createKey("P-256", { issuerId: "did:web:gateway.example:issuers:uni" });
    // Assess
    const { Tags } = await client.send(new ListResourceTagsCommand({ KeyId: key.keyRef }));
    expect(Tags).toEqual(
      expect.arrayContaining([
        { TagKey: "edc-gateway:app", TagValue: "edc-gateway-test" },
        { TagKey: "edc-gateway:issuer", TagValue: "did:web:gateway.example:issuers:uni" },
      ]),
    );
  });

  it("moto still signs PSS with the maximum salt (drop the PS256 override when this fails)", async () => {
    // Prepare
    const store = new KmsKeyStore({ client, appName: "edc-gateway-test", keyTypes: ["RSA-2048"] });
    const key = await store.createKey("RSA-2048", { issuerId: "did:web:x" });
    const input = jwsSigningInput("PS256", new TextEncoder().encode("{}"));
    // Act
    const signature = await store.sign(key.keyRef, "PS256", input);
    // Assess
    expect(await joseCheck("PS256", key.publicJwk, input, signature)).toBe(false);
    const maxSalt = verify(
      "sha256",
      input,
      { key: publicKeyOf(key.publicJwk), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 222 },
      signature,
    );
    expect(maxSalt).toBe(true);
  });
});
