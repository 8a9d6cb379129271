/**
 * Proofs signed with KMS keys through KmsKeyStore: VC-JWT (ES256, RS256) against moto's KMS, and what moto cannot do
 * (Ed25519: eddsa-rdfc-2022 and EdDSA VC-JWT; PS256 with KMS's 32-byte salt) against a request-level fake KMS client
 * that answers with real node:crypto signatures. Verification is always by another library: jose, and Digital
 * Bazaar's verifier for Data Integrity.
 */

import { constants, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  type SignCommandInput,
} from "@aws-sdk/client-kms";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import {
  didDocument,
  jwks,
  KEY_ALGORITHMS,
  KEY_FRAGMENTS,
  verificationMethodId,
} from "../../functions/core/issuers/did.js";
import type { IssuerKey, IssuerRecord, KeyType, SignatureAlgorithm } from "../../functions/kernel/ports/index.js";
import { createEddsaRdfc2022Proof, verifyEddsaRdfc2022Proof } from "../../functions/proofs/data-integrity.js";
import { decodeVcJwt, signVcJwt, vcJwtClaimIssues } from "../../functions/proofs/vc-jwt.js";
import { testContexts as pinnedContexts } from "../support/contexts.js";
import { corpusJson } from "../support/corpus.js";
import { dbVerify, resolverFor } from "../support/data-integrity.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";

const ISSUER_ID = "did:web:gw.example.org:issuers:kms-uni";
const NOW = new Date("2026-03-01T10:00:00Z");

function credential(): Record<string, unknown> {
  const { proof: _proof, ...c } = corpusJson("ob3/validator-fixtures/simple.json");
  return { ...c, issuer: { ...c.issuer, id: ISSUER_ID } };
}

async function issuerWith(store: KmsKeyStore, types: KeyType[]): Promise<IssuerRecord> {
  const keys: IssuerKey[] = [];
  for (const type of types) {
    const record = await store.createKey(type, { issuerId: ISSUER_ID });
    keys.push({ ...record, fragment: KEY_FRAGMENTS[type], algorithms: [...KEY_ALGORITHMS[type]] });
  }
  return { id: ISSUER_ID, slug: "kms-uni", didMethod: "web", name: "KMS U", country: "FR", keys, createdAt: "" };
}

function keyFor(issuer: IssuerRecord, alg: SignatureAlgorithm): IssuerKey {
  const key = issuer.keys.find((k) => k.algorithms.includes(alg));
  if (key === undefined) throw new Error(`no key for ${alg}`);
  return key;
}

async function signAndVerifyJwt(store: KmsKeyStore, issuer: IssuerRecord, alg: SignatureAlgorithm) {
  const key = keyFor(issuer, alg);
  const input = credential();
  const jwt = await signVcJwt(input, {
    signer: store,
    keyRef: key.keyRef,
    alg,
    kid: verificationMethodId(issuer, key),
    now: NOW,
  });
  const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks(issuer)), {
    typ: "JWT",
    issuer: ISSUER_ID,
    currentDate: NOW,
  });
  return { input, jwt, payload, protectedHeader };
}

describe("VC-JWT with KmsKeyStore on moto KMS", () => {
  let moto: RunningMoto;
  let client: KMSClient;
  let store: KmsKeyStore;
  let issuer: IssuerRecord;

  beforeAll(async () => {
    moto = await startMoto();
    client = new KMSClient(emulatorClientConfig(moto.endpoint));
    store = new KmsKeyStore({ client, appName: "edc-gateway-test", keyTypes: ["P-256", "RSA-2048"] });
    issuer = await issuerWith(store, ["P-256", "RSA-2048"]);
  });

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  // moto signs PSS with the maximum salt, which jose rejects (see key-store.kms-moto.test.ts): PS256 is covered below.
  it.each(["ES256", "RS256"] as const)("%s: verifies with jose against the issuer's JWKS", async (alg) => {
    // Prepare / Act
    const { input, jwt, payload, protectedHeader } = await signAndVerifyJwt(store, issuer, alg);
    // Assess
    expect(protectedHeader).toStrictEqual({ alg, kid: verificationMethodId(issuer, keyFor(issuer, alg)), typ: "JWT" });
    expect(payload).toMatchObject({
      ...input,
      iss: ISSUER_ID,
      jti: input.id,
      sub: "did:example:ebfeb1f712ebc6f1c276e12ec21",
    });
    expect(vcJwtClaimIssues(decodeVcJwt(jwt), NOW)).toStrictEqual([]);
  });
});

/**
 * Answers CreateKey, GetPublicKey and Sign (RAW only) as KMS does, with node:crypto keys; records Sign requests.
 * PSS is signed with a 32-byte salt, as KMS does.
 */
class FakeKms {
  readonly signRequests: SignCommandInput[] = [];
  readonly #keys = new Map<string, { spec: string; privateKey: KeyObject }>();

  asClient(): Pick<KMSClient, "send"> {
    return this as unknown as Pick<KMSClient, "send">;
  }

  async send(command: unknown): Promise<unknown> {
    if (command instanceof CreateKeyCommand) {
      const spec = command.input.KeySpec ?? "";
      const keyId = randomUUID();
      this.#keys.set(keyId, { spec, privateKey: generate(spec) });
      return { KeyMetadata: { KeyId: keyId, KeySpec: spec, KeyUsage: "SIGN_VERIFY" } };
    }
    if (command instanceof GetPublicKeyCommand) {
      const key = this.#key(command.input.KeyId);
      const spki = createPublicKey(key.privateKey).export({ format: "der", type: "spki" });
      return { KeySpec: key.spec, KeyUsage: "SIGN_VERIFY", PublicKey: new Uint8Array(spki) };
    }
    if (command instanceof SignCommand) {
      const input = command.input;
      this.signRequests.push(input);
      if (input.MessageType !== "RAW") throw new Error("this fake signs RAW messages only");
      const message = input.Message ?? new Uint8Array();
      if (message.length > 4096) throw new Error("ValidationException: RAW messages are at most 4096 bytes");
      const { privateKey } = this.#key(input.KeyId);
      switch (input.SigningAlgorithm) {
        case "ED25519_SHA_512":
          return { Signature: new Uint8Array(sign(null, message, privateKey)) };
        case "RSASSA_PSS_SHA_256":
          return {
            Signature: new Uint8Array(
              sign("sha256", message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
            ),
          };
        default:
          throw new Error(`this fake does not sign ${input.SigningAlgorithm}`);
      }
    }
    throw new Error("unknown command");
  }

  #key(keyId: string | undefined) {
    const key = this.#keys.get(keyId ?? "");
    if (key === undefined) throw new Error(`no key ${keyId}`);
    return key;
  }
}

function generate(spec: string): KeyObject {
  if (spec === "ECC_NIST_EDWARDS25519") return generateKeyPairSync("ed25519").privateKey;
  if (spec === "RSA_2048") return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  throw new Error(`this fake does not make ${spec} keys`);
}

describe("Proofs with KmsKeyStore on a request-level fake KMS (Ed25519, PS256)", () => {
  let kms: FakeKms;
  let store: KmsKeyStore;
  let issuer: IssuerRecord;

  beforeAll(async () => {
    kms = new FakeKms();
    store = new KmsKeyStore({ client: kms.asClient(), appName: "edc-gateway-test", keyTypes: ["Ed25519", "RSA-2048"] });
    issuer = await issuerWith(store, ["Ed25519", "RSA-2048"]);
  });

  it("eddsa-rdfc-2022: KMS signs the 64-byte hash data RAW, and Digital Bazaar's verifier accepts the proof", async () => {
    // Prepare
    const key = keyFor(issuer, "EdDSA");
    const before = kms.signRequests.length;
    // Act
    const signed = await createEddsaRdfc2022Proof(credential(), {
      contexts: pinnedContexts,
      signer: store,
      keyRef: key.keyRef,
      verificationMethod: verificationMethodId(issuer, key),
      created: NOW,
    });
    // Assess
    const requests = kms.signRequests.slice(before);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ MessageType: "RAW", SigningAlgorithm: "ED25519_SHA_512" });
    expect(requests[0]?.Message).toHaveLength(64);
    const theirs = await dbVerify(signed, [didDocument(issuer)]);
    expect(theirs.verified, String(theirs.error)).toBe(true);
    const ours = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: resolverFor([didDocument(issuer)]),
    });
    expect(ours.verified).toBe(true);
  });

  it.each(["EdDSA", "PS256"] as const)("%s VC-JWT: verifies with jose against the issuer's JWKS", async (alg) => {
    // Prepare / Act
    const { input, payload } = await signAndVerifyJwt(store, issuer, alg);
    // Assess
    expect(payload).toMatchObject({ ...input, iss: ISSUER_ID, jti: input.id });
  });
});
