/**
 * {@link KeyStore} and {@link Signer} on AWS KMS: private keys never leave KMS; the gateway holds key ids only.
 * Deployed, it signs only in per-issuer STS sessions of the signer role (`sts-sessions.ts`), and checks a key's
 * owner tag against the issuer it signs for.
 */

import { createHash, createPublicKey } from "node:crypto";
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  type KeySpec,
  type KMSClient,
  ListResourceTagsCommand,
  type MessageType,
  SignCommand,
  type SigningAlgorithmSpec,
  type Tag,
} from "@aws-sdk/client-kms";
import { ALL_KEY_TYPES, assertCreatable, assertKeyOwner } from "../../core/issuers/key-stores.js";
import { GatewayError } from "../../kernel/errors.js";
import type {
  KeyRecord,
  KeyStore,
  KeyType,
  PublicJwk,
  SignatureAlgorithm,
  SignContext,
  Signer,
} from "../../kernel/ports/index.js";
import { derToJoseEcdsa } from "../../proofs/der.js";

/** Largest message KMS signs as `RAW`; longer messages are sent as their SHA-256 digest. */
export const KMS_RAW_MESSAGE_LIMIT = 4096;

/** Tag keys put on every key the gateway creates, so IAM policies can scope signing by app and issuer. */
export const KMS_TAG_APP = "edc-gateway:app";
export const KMS_TAG_ISSUER = "edc-gateway:issuer";

const KEY_SPEC: Record<KeyType, KeySpec> = {
  Ed25519: "ECC_NIST_EDWARDS25519",
  "P-256": "ECC_NIST_P256",
  "RSA-2048": "RSA_2048",
};

const SIGNING: Record<SignatureAlgorithm, { keyType: KeyType; spec: SigningAlgorithmSpec }> = {
  EdDSA: { keyType: "Ed25519", spec: "ED25519_SHA_512" },
  ES256: { keyType: "P-256", spec: "ECDSA_SHA_256" },
  RS256: { keyType: "RSA-2048", spec: "RSASSA_PKCS1_V1_5_SHA_256" },
  PS256: { keyType: "RSA-2048", spec: "RSASSA_PSS_SHA_256" },
};

/** Public keys are immutable, so they are cached per key; this bounds the cache in a long-lived process. */
const CACHE_LIMIT = 512;

export interface KmsKeyStoreOptions {
  /** A KMS client, or anything answering its `send` (tests inject a fake). */
  client: Pick<KMSClient, "send">;
  /** Value of the `edc-gateway:app` tag on created keys. */
  appName: string;
  /** Key types this KMS offers. Default: all three (moto lacks Ed25519). */
  keyTypes?: readonly KeyType[];
  /**
   * The key policy of created keys (JSON; `GATEWAY_KMS_KEY_POLICY`, written by the CDK stack): only the gateway's
   * signing roles may sign. Absent: KMS's default policy (IAM policies decide).
   */
  keyPolicy?: string;
  /**
   * Per-issuer sessions of the signer role (`GATEWAY_SIGNER_ROLE_ARN`), each opening a KMS client with the
   * session's credentials. Set: every `Sign` is made in the session of the key's issuer, and the function's own role
   * needs no `kms:Sign`. Absent (local mode, moto tests): `client` signs directly.
   */
  signerSessions?: SigningSessions;
}

/** A KMS client per issuer session (see `IssuerSessions` in `sts-sessions.ts`). */
export interface SigningSessions {
  for(issuerId: string): Promise<Pick<KMSClient, "send">>;
}

interface KmsKey {
  type: KeyType;
  publicJwk: PublicJwk;
}

/**
 * Creates tagged KMS signing keys and signs with them, returning JOSE-shaped signatures (ECDSA converted from DER).
 * Messages over 4096 bytes are signed through their SHA-256 digest, except EdDSA, which KMS signs only RAW.
 */
export class KmsKeyStore implements KeyStore, Signer {
  readonly #client: Pick<KMSClient, "send">;
  readonly #appName: string;
  readonly #keyTypes: ReadonlySet<KeyType>;
  readonly #keys = new Map<string, KmsKey>();
  readonly #keyPolicy: string | undefined;
  readonly #sessions: SigningSessions | undefined;
  /** Owner (`edc-gateway:issuer` tag) of each key, read once; IAM checks the tag itself at every Sign. */
  readonly #owners = new Map<string, string>();

  constructor(options: KmsKeyStoreOptions) {
    this.#keyPolicy = options.keyPolicy;
    this.#sessions = options.signerSessions;
    this.#client = options.client;
    this.#appName = options.appName;
    this.#keyTypes = new Set(options.keyTypes ?? ALL_KEY_TYPES);
  }

  supports(type: KeyType): boolean {
    return this.#keyTypes.has(type);
  }

  async createKey(type: KeyType, owner: { issuerId: string }): Promise<KeyRecord> {
    assertCreatable(this, type);
    const created = await this.#client.send(
      new CreateKeyCommand({
        KeySpec: KEY_SPEC[type],
        KeyUsage: "SIGN_VERIFY",
        Description: `${this.#appName} signing key of ${owner.issuerId}`,
        Tags: [
          { TagKey: KMS_TAG_APP, TagValue: this.#appName },
          { TagKey: KMS_TAG_ISSUER, TagValue: owner.issuerId },
        ],
        // The policy names the account root as the key's administrator, so the key stays manageable; the safety
        // check would otherwise demand that the creating role may change the policy, which it must not.
        ...(this.#keyPolicy ? { Policy: this.#keyPolicy, BypassPolicyLockoutSafetyCheck: true } : {}),
      }),
    );
    const keyRef = created.KeyMetadata?.KeyId;
    if (keyRef === undefined) throw new GatewayError("upstream-failed", "KMS CreateKey returned no key id");
    const key = await this.#key(keyRef);
    if (key.type !== type) {
      throw new GatewayError("upstream-failed", `KMS created a ${key.type} key when ${type} was asked for`);
    }
    return { keyRef, type, publicJwk: key.publicJwk };
  }

  async getPublicKey(keyRef: string): Promise<PublicJwk> {
    return { ...(await this.#key(keyRef)).publicJwk };
  }

  /**
   * Signs with `keyRef`. With a `context`, a key whose `edc-gateway:issuer` tag names another issuer is refused as
   * `forbidden` before KMS is asked. With signer sessions, KMS is asked in the session tagged with the context's
   * issuer (or, without a context, with the key's own owner), so IAM refuses any other issuer's key as well.
   */
  async sign(keyRef: string, alg: SignatureAlgorithm, data: Uint8Array, context?: SignContext): Promise<Uint8Array> {
    const signing = SIGNING[alg];
    if (signing === undefined) throw new GatewayError("unprocessable", `unknown signature algorithm ${alg}`);
    const raw = data.length <= KMS_RAW_MESSAGE_LIMIT;
    if (!raw && alg === "EdDSA") {
      // KMS has no pure Ed25519 over a digest (ED25519_PH_SHA_512 is Ed25519ph, a different signature).
      throw new GatewayError(
        "unprocessable",
        `EdDSA with KMS signs at most ${KMS_RAW_MESSAGE_LIMIT} bytes, the message has ${data.length}`,
      );
    }
    const key = await this.#key(keyRef);
    if (key.type !== signing.keyType) {
      throw new GatewayError("unprocessable", `a ${key.type} key cannot sign ${alg}`);
    }
    if (context !== undefined) assertKeyOwner(keyRef, await this.#owner(keyRef), context);
    const client =
      this.#sessions === undefined
        ? this.#client
        : await this.#sessions.for(context?.issuerId ?? (await this.#owner(keyRef)));
    const messageType: MessageType = raw ? "RAW" : "DIGEST";
    const message = raw ? data : createHash("sha256").update(data).digest();
    const result = await this.#call(keyRef, () =>
      client.send(
        new SignCommand({ KeyId: keyRef, Message: message, MessageType: messageType, SigningAlgorithm: signing.spec }),
      ),
    );
    const signature = result.Signature;
    if (signature === undefined) throw new GatewayError("upstream-failed", "KMS Sign returned no signature");
    if (alg !== "ES256") return signature;
    try {
      return derToJoseEcdsa(signature, 32);
    } catch (error) {
      throw new GatewayError("upstream-failed", "KMS Sign returned a malformed ECDSA signature", [], { cause: error });
    }
  }

  /** The issuer a key belongs to: its `edc-gateway:issuer` tag, read once (a key without one belongs to nobody). */
  async #owner(keyRef: string): Promise<string> {
    const cached = this.#owners.get(keyRef);
    if (cached !== undefined) return cached;
    const tags: Tag[] = [];
    let marker: string | undefined;
    do {
      const page = await this.#call(keyRef, () =>
        this.#client.send(new ListResourceTagsCommand({ KeyId: keyRef, ...(marker ? { Marker: marker } : {}) })),
      );
      tags.push(...(page.Tags ?? []));
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    const app = tags.find((t) => t.TagKey === KMS_TAG_APP)?.TagValue;
    const owner = tags.find((t) => t.TagKey === KMS_TAG_ISSUER)?.TagValue;
    if (app !== this.#appName || !owner) {
      throw new GatewayError("forbidden", `KMS key ${keyRef} is not an issuer key of this gateway`);
    }
    if (this.#owners.size >= CACHE_LIMIT) {
      const oldest = this.#owners.keys().next();
      if (!oldest.done) this.#owners.delete(oldest.value);
    }
    this.#owners.set(keyRef, owner);
    return owner;
  }

  /** The key's type and public JWK, read once from KMS. */
  async #key(keyRef: string): Promise<KmsKey> {
    const cached = this.#keys.get(keyRef);
    if (cached !== undefined) return cached;
    const result = await this.#call(keyRef, () => this.#client.send(new GetPublicKeyCommand({ KeyId: keyRef })));
    if (result.KeyUsage !== undefined && result.KeyUsage !== "SIGN_VERIFY") {
      throw new GatewayError("unprocessable", `KMS key ${keyRef} is not a signing key`);
    }
    // moto answers with the deprecated CustomerMasterKeySpec only.
    const spec = result.KeySpec ?? result.CustomerMasterKeySpec;
    const type = ALL_KEY_TYPES.find((candidate) => KEY_SPEC[candidate] === spec);
    if (type === undefined) throw new GatewayError("unprocessable", `KMS key ${keyRef} has unsupported spec ${spec}`);
    if (result.PublicKey === undefined) throw new GatewayError("upstream-failed", "KMS GetPublicKey returned no key");
    const key: KmsKey = { type, publicJwk: spkiToPublicJwk(result.PublicKey) };
    if (this.#keys.size >= CACHE_LIMIT) {
      const oldest = this.#keys.keys().next();
      if (!oldest.done) this.#keys.delete(oldest.value);
    }
    this.#keys.set(keyRef, key);
    return key;
  }

  /** Runs one KMS call, turning KMS's "no such key" and "key not usable" answers into gateway errors. */
  async #call<T>(keyRef: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      if (error.name === "NotFoundException") {
        throw new GatewayError("not-found", `no KMS key ${keyRef}`, [], { cause: error });
      }
      if (error.name === "AccessDeniedException") {
        // The gateway checked the owner before asking, so a denial is a deployment fault or KMS not yet authorizing
        // by a new key's tags (up to five minutes after CreateKey): the caller may retry, it is not the client's fault.
        throw new GatewayError("upstream-failed", `KMS denied the use of key ${keyRef}`, [], { cause: error });
      }
      if (error.name === "DisabledException" || error.name === "KMSInvalidStateException") {
        throw new GatewayError("unprocessable", `KMS key ${keyRef} is disabled or pending deletion`, [], {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/**
 * Converts the SubjectPublicKeyInfo DER that KMS returns into a public JWK, keeping only the public members so that
 * nothing else can leak into published DID documents and JWKS.
 */
export function spkiToPublicJwk(spki: Uint8Array): PublicJwk {
  const jwk = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }).export({ format: "jwk" });
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x) return { kty: "OKP", crv: "Ed25519", x: jwk.x };
  if (jwk.kty === "EC" && jwk.crv === "P-256" && jwk.x && jwk.y) return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
  if (jwk.kty === "RSA" && jwk.n && jwk.e) return { kty: "RSA", n: jwk.n, e: jwk.e };
  throw new GatewayError("unprocessable", `unsupported public key (${jwk.kty} ${jwk.crv ?? ""})`);
}
