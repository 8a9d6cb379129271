/**
 * KmsKeyStore at the request level, against a fake KMS client that keeps real node:crypto keys. This covers what moto
 * cannot: Ed25519 (ECC_NIST_EDWARDS25519 / ED25519_SHA_512) and the RAW/DIGEST choice for long messages.
 */

import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  constants as nodeCrypto,
  randomUUID,
  sign,
  verify,
} from "node:crypto";
import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  GetPublicKeyCommand,
  type KMSClient,
  ListResourceTagsCommand,
  NotFoundException,
  SignCommand,
  type SignCommandInput,
} from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import { GatewayError } from "../../functions/kernel/errors.js";
import type { KeyType } from "../../functions/kernel/ports/index.js";
import { ALL_KEY_TYPES, joseCheck, jwsSigningInput, keyStoreContract } from "./key-store.contract.js";

type Request =
  | { command: "CreateKey"; input: CreateKeyCommandInput }
  | { command: "GetPublicKey"; keyId: string }
  | { command: "Sign"; input: SignCommandInput };

interface FakeKey {
  spec: string;
  tags: { TagKey?: string; TagValue?: string }[];
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Answers CreateKey, GetPublicKey and Sign as KMS does, with keys made by node:crypto, and records every request.
 * node:crypto cannot sign a precomputed digest, so DIGEST requests are answered only for messages registered with
 * {@link FakeKms.expectDigestOf}: the fake signs the registered message, which is what KMS's result is equivalent to.
 */
class FakeKms {
  readonly requests: Request[] = [];
  readonly #keys = new Map<string, FakeKey>();
  readonly #preimages = new Map<string, Uint8Array>();
  /** When set, Sign answers with these bytes instead of a signature. */
  signatureOverride: Uint8Array | undefined;

  expectDigestOf(message: Uint8Array): void {
    this.#preimages.set(createHash("sha256").update(message).digest("hex"), message);
  }

  asClient(): Pick<KMSClient, "send"> {
    return this as unknown as Pick<KMSClient, "send">;
  }

  async send(command: unknown): Promise<unknown> {
    if (command instanceof CreateKeyCommand) {
      this.requests.push({ command: "CreateKey", input: command.input });
      const spec = command.input.KeySpec ?? "SYMMETRIC_DEFAULT";
      const keyId = randomUUID();
      this.#keys.set(keyId, { spec, tags: command.input.Tags ?? [], ...generate(spec) });
      return { KeyMetadata: { KeyId: keyId, KeySpec: spec, KeyUsage: command.input.KeyUsage } };
    }
    if (command instanceof GetPublicKeyCommand) {
      const keyId = command.input.KeyId ?? "";
      this.requests.push({ command: "GetPublicKey", keyId });
      const key = this.#key(keyId);
      return {
        KeyId: keyId,
        KeySpec: key.spec,
        KeyUsage: "SIGN_VERIFY",
        PublicKey: new Uint8Array(key.publicKey.export({ format: "der", type: "spki" })),
      };
    }
    if (command instanceof ListResourceTagsCommand) {
      return { Tags: this.#key(command.input.KeyId ?? "").tags, Truncated: false };
    }
    if (command instanceof SignCommand) {
      this.requests.push({ command: "Sign", input: command.input });
      return { Signature: this.signatureOverride ?? this.#sign(command.input) };
    }
    throw new Error("the fake KMS does not know this command");
  }

  #key(keyId: string): FakeKey {
    const key = this.#keys.get(keyId);
    if (key === undefined) throw new NotFoundException({ message: `Key '${keyId}' does not exist`, $metadata: {} });
    return key;
  }

  #sign(input: SignCommandInput): Uint8Array {
    const key = this.#key(input.KeyId ?? "");
    const message = input.Message ?? new Uint8Array();
    let data = message;
    if (input.MessageType === "DIGEST") {
      if (input.SigningAlgorithm === "ED25519_SHA_512") throw new Error("ValidationException: ED25519 needs RAW");
      const preimage = this.#preimages.get(Buffer.from(message).toString("hex"));
      if (preimage === undefined) throw new Error("the fake KMS cannot sign an unregistered digest");
      data = preimage;
    } else if (message.length > 4096) {
      throw new Error("ValidationException: RAW messages are at most 4096 bytes");
    }
    switch (input.SigningAlgorithm) {
      case "ED25519_SHA_512":
        return sign(null, data, key.privateKey);
      case "ECDSA_SHA_256":
        return sign("sha256", data, key.privateKey); // DER, as KMS returns it
      case "RSASSA_PKCS1_V1_5_SHA_256":
        return sign("sha256", data, { key: key.privateKey, padding: nodeCrypto.RSA_PKCS1_PADDING });
      case "RSASSA_PSS_SHA_256":
        return sign("sha256", data, { key: key.privateKey, padding: nodeCrypto.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      default:
        throw new Error(`the fake KMS does not sign ${input.SigningAlgorithm}`);
    }
  }

  signRequests(): SignCommandInput[] {
    return this.requests.flatMap((request) => (request.command === "Sign" ? [request.input] : []));
  }
}

function generate(spec: string): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (spec) {
    case "ECC_NIST_EDWARDS25519":
      return generateKeyPairSync("ed25519");
    case "ECC_NIST_P256":
      return generateKeyPairSync("ec", { namedCurve: "P-256" });
    case "RSA_2048":
      return generateKeyPairSync("rsa", { modulusLength: 2048 });
    default:
      throw new Error(`the fake KMS does not make ${spec} keys`);
  }
}

function aStore(keyTypes: readonly KeyType[] = ALL_KEY_TYPES) {
  const kms = new FakeKms();
  return { kms, store: new KmsKeyStore({ client: kms.asClient(), appName: "edc-gateway-test", keyTypes }) };
}

const payload = (length: number) => Uint8Array.from({ length }, (_, i) => i % 251);

// The whole contract, Ed25519 included, through the KMS adapter. Long messages are checked below, request by request.
keyStoreContract({
  name: "KmsKeyStore on a fake KMS client",
  create: async () => {
    const kms = new FakeKms();
    const options = { client: kms.asClient(), appName: "edc-gateway-test" };
    return { store: new KmsKeyStore(options), reopen: () => new KmsKeyStore(options) };
  },
  keyTypes: ALL_KEY_TYPES,
  largeMessages: false,
});

describe("KmsKeyStore requests", () => {
  it("creates an Ed25519 key as an ECC_NIST_EDWARDS25519 signing key tagged with app and issuer", async () => {
    // Prepare
    const { kms, store } = aStore();
    // Act
    const key = await store.createKey("Ed25519", { issuerId: "did:web:gateway.example:issuers:uni" });
    // Assess
    const [create] = kms.requests;
    expect(create).toMatchObject({
      command: "CreateKey",
      input: {
        KeySpec: "ECC_NIST_EDWARDS25519",
        KeyUsage: "SIGN_VERIFY",
        Tags: [
          { TagKey: "edc-gateway:app", TagValue: "edc-gateway-test" },
          { TagKey: "edc-gateway:issuer", TagValue: "did:web:gateway.example:issuers:uni" },
        ],
      },
    });
    expect(key.publicJwk).toStrictEqual({ kty: "OKP", crv: "Ed25519", x: expect.any(String) });
  });

  it("signs EdDSA as ED25519_SHA_512 over the RAW message, verifiable with the published key", async () => {
    // Prepare
    const { kms, store } = aStore();
    const key = await store.createKey("Ed25519", { issuerId: "did:web:x" });
    const data = jwsSigningInput("EdDSA", payload(3000));
    expect(data.length).toBeLessThanOrEqual(4096);
    // Act
    const signature = await store.sign(key.keyRef, "EdDSA", data);
    // Assess
    const [request] = kms.signRequests();
    expect(request).toMatchObject({ KeyId: key.keyRef, SigningAlgorithm: "ED25519_SHA_512", MessageType: "RAW" });
    expect(request?.Message).toEqual(data);
    const publicKey = createPublicKey({ key: { ...key.publicJwk }, format: "jwk" });
    expect(verify(null, data, publicKey, signature)).toBe(true);
    expect(await joseCheck("EdDSA", key.publicJwk, data, signature)).toBe(true);
  });

  it("sends exactly 4096 bytes RAW", async () => {
    // Prepare
    const { kms, store } = aStore();
    const key = await store.createKey("Ed25519", { issuerId: "did:web:x" });
    // Act
    await store.sign(key.keyRef, "EdDSA", payload(4096));
    // Assess
    expect(kms.signRequests()[0]?.MessageType).toBe("RAW");
  });

  it("refuses EdDSA over more than 4096 bytes as unprocessable without asking KMS", async () => {
    // Prepare
    const { kms, store } = aStore();
    const key = await store.createKey("Ed25519", { issuerId: "did:web:x" });
    // Act
    const error = await store.sign(key.keyRef, "EdDSA", payload(4097)).catch((reason: unknown) => reason);
    // Assess
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("unprocessable");
    expect(kms.signRequests()).toEqual([]);
  });

  it.each([
    ["ES256", "P-256", "ECDSA_SHA_256"],
    ["RS256", "RSA-2048", "RSASSA_PKCS1_V1_5_SHA_256"],
    ["PS256", "RSA-2048", "RSASSA_PSS_SHA_256"],
  ] as const)("signs %s over more than 4096 bytes as the DIGEST of SHA-256 (%s, %s)", async (alg, type, spec) => {
    // Prepare
    const { kms, store } = aStore();
    const key = await store.createKey(type, { issuerId: "did:web:x" });
    const data = jwsSigningInput(alg, payload(5000));
    kms.expectDigestOf(data);
    // Act
    const signature = await store.sign(key.keyRef, alg, data);
    // Assess
    const [request] = kms.signRequests();
    expect(request).toMatchObject({ SigningAlgorithm: spec, MessageType: "DIGEST" });
    expect(Buffer.from(request?.Message ?? [])).toEqual(createHash("sha256").update(data).digest());
    expect(await joseCheck(alg, key.publicJwk, data, signature)).toBe(true);
  });

  it.each([
    ["RS256", "RSASSA_PKCS1_V1_5_SHA_256"],
    ["PS256", "RSASSA_PSS_SHA_256"],
  ] as const)("asks KMS for %s as %s", async (alg, spec) => {
    // Prepare
    const { kms, store } = aStore();
    const key = await store.createKey("RSA-2048", { issuerId: "did:web:x" });
    // Act
    await store.sign(key.keyRef, alg, payload(10));
    // Assess
    expect(kms.signRequests()[0]).toMatchObject({ SigningAlgorithm: spec, MessageType: "RAW" });
  });

  it("reads a key's public half from KMS once", async () => {
    // Prepare
    const { kms, store } = aStore();
    const key = await store.createKey("P-256", { issuerId: "did:web:x" });
    // Act
    await store.sign(key.keyRef, "ES256", payload(10));
    await store.sign(key.keyRef, "ES256", payload(11));
    await store.getPublicKey(key.keyRef);
    // Assess
    expect(kms.requests.filter((request) => request.command === "GetPublicKey")).toHaveLength(1);
  });

  it("reports a malformed ECDSA signature from KMS as an upstream failure", async () => {
    // Prepare
    const { kms, store } = aStore();
    const key = await store.createKey("P-256", { issuerId: "did:web:x" });
    kms.signatureOverride = Uint8Array.from([0x30, 0x02, 0x05, 0x00]);
    // Act
    const error = await store.sign(key.keyRef, "ES256", payload(10)).catch((reason: unknown) => reason);
    // Assess
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("upstream-failed");
  });
});
