/**
 * {@link KeyStore} and {@link Signer} for local mode: keys made by node:crypto, one JSON file per key holding the
 * private key as PKCS#8 PEM, readable by the owner only. The stand-in for KMS on one machine.
 */

import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  type SignKeyObjectInput,
  sign,
} from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ALL_KEY_TYPES, assertCreatable, assertKeyOwner } from "../../core/issuers/key-stores.js";
import { GatewayError } from "../../kernel/errors.js";
import type {
  Clock,
  KeyRecord,
  KeyStore,
  KeyType,
  PublicJwk,
  SignatureAlgorithm,
  SignContext,
  Signer,
} from "../../kernel/ports/index.js";
import { systemClock } from "../../kernel/system.js";

const KEY_TYPE_OF: Record<SignatureAlgorithm, KeyType> = {
  EdDSA: "Ed25519",
  ES256: "P-256",
  RS256: "RSA-2048",
  PS256: "RSA-2048",
};
const KEY_REF = /^[A-Za-z0-9_-]{1,128}$/;
const FILE_VERSION = 1;

const generate = promisify(generateKeyPair);
const signAsync = promisify(sign);

export interface FileKeyStoreOptions {
  /** Directory of the key files; created (mode 0700) when missing. */
  dir: string;
  /** Key types offered. Default: all three. */
  keyTypes?: readonly KeyType[];
  /** Stamps `createdAt` in the key files. Default: the system clock. */
  clock?: Clock;
}

/** What one key file holds. */
interface KeyFile {
  version: typeof FILE_VERSION;
  keyRef: string;
  type: KeyType;
  issuerId: string;
  createdAt: string;
  privateKeyPem: string;
  publicJwk: PublicJwk;
}

interface LoadedKey {
  type: KeyType;
  /** The owning issuer, from the key file: the same contract as the KMS key's `edc-gateway:issuer` tag. */
  issuerId: string;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

/**
 * Keys in `{dir}/{keyRef}.json` (mode 0600, written atomically). Signs exactly as KMS does for each algorithm, with
 * no message size limit, and caches loaded keys for the life of the instance.
 */
export class FileKeyStore implements KeyStore, Signer {
  readonly #dir: string;
  readonly #keyTypes: ReadonlySet<KeyType>;
  readonly #clock: Clock;
  readonly #keys = new Map<string, LoadedKey>();

  constructor(options: FileKeyStoreOptions) {
    this.#dir = options.dir;
    this.#keyTypes = new Set(options.keyTypes ?? ALL_KEY_TYPES);
    this.#clock = options.clock ?? systemClock;
  }

  supports(type: KeyType): boolean {
    return this.#keyTypes.has(type);
  }

  async createKey(type: KeyType, owner: { issuerId: string }): Promise<KeyRecord> {
    assertCreatable(this, type);
    const { privateKey, publicKey } = await generateFor(type);
    const keyRef = randomBytes(16).toString("base64url");
    const publicJwk = publicJwkOf(publicKey);
    const file: KeyFile = {
      version: FILE_VERSION,
      keyRef,
      type,
      issuerId: owner.issuerId,
      createdAt: this.#clock.now().toISOString(),
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      publicJwk,
    };
    await this.#write(keyRef, `${JSON.stringify(file, null, 2)}\n`);
    this.#keys.set(keyRef, { type, issuerId: owner.issuerId, privateKey, publicJwk });
    return { keyRef, type, publicJwk: { ...publicJwk } };
  }

  async getPublicKey(keyRef: string): Promise<PublicJwk> {
    return { ...(await this.#load(keyRef)).publicJwk };
  }

  /** Signs with `keyRef`; with a `context`, a key another issuer owns is refused as `forbidden`, as KMS does. */
  async sign(keyRef: string, alg: SignatureAlgorithm, data: Uint8Array, context?: SignContext): Promise<Uint8Array> {
    const keyType = KEY_TYPE_OF[alg];
    if (keyType === undefined) throw new GatewayError("unprocessable", `unknown signature algorithm ${alg}`);
    const key = await this.#load(keyRef);
    if (context !== undefined) assertKeyOwner(keyRef, key.issuerId, context);
    if (key.type !== keyType) throw new GatewayError("unprocessable", `a ${key.type} key cannot sign ${alg}`);
    // Ed25519 signs in ~50 µs: cheaper on this thread than the hop to libuv's pool and back (measured:
    // the awaited hop left the event loop idle for half of an eddsa-rdfc-2022 issuance). RSA and ECDSA stay off-thread.
    const signature =
      alg === "EdDSA"
        ? sign(null, data, key.privateKey)
        : await signAsync(digestOf(alg), data, signingKey(alg, key.privateKey));
    return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
  }

  async #load(keyRef: string): Promise<LoadedKey> {
    const cached = this.#keys.get(keyRef);
    if (cached !== undefined) return cached;
    // A reference that could not have come from this store is never turned into a path.
    if (!KEY_REF.test(keyRef)) throw new GatewayError("not-found", "no key with that reference");
    let text: string;
    try {
      text = await readFile(this.#path(keyRef), "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) throw new GatewayError("not-found", `no key ${keyRef}`);
      throw error;
    }
    const loaded = parseKeyFile(keyRef, text);
    this.#keys.set(keyRef, loaded);
    return loaded;
  }

  /** Writes the file whole or not at all: a temporary file, flushed, then renamed into place. */
  async #write(keyRef: string, content: string): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temporary = join(this.#dir, `.${keyRef}.${randomBytes(6).toString("hex")}.tmp`);
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, this.#path(keyRef));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  #path(keyRef: string): string {
    return join(this.#dir, `${keyRef}.json`);
  }
}

async function generateFor(type: KeyType): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  switch (type) {
    case "Ed25519":
      return generate("ed25519");
    case "P-256":
      return generate("ec", { namedCurve: "P-256" });
    case "RSA-2048":
      return generate("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  }
}

function digestOf(alg: SignatureAlgorithm): string | null {
  return alg === "EdDSA" ? null : "sha256";
}

/** The key with the padding and encoding JOSE expects for `alg`. */
function signingKey(alg: SignatureAlgorithm, key: KeyObject): KeyObject | SignKeyObjectInput {
  switch (alg) {
    case "EdDSA":
      return key;
    case "ES256":
      return { key, dsaEncoding: "ieee-p1363" };
    case "RS256":
      return { key, padding: constants.RSA_PKCS1_PADDING };
    case "PS256":
      // RFC 7518 §3.5: the salt is as long as the hash (32 bytes), which is also what KMS uses.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  }
}

/** The public members of a key as a JWK; nothing private can slip through. */
function publicJwkOf(publicKey: KeyObject): PublicJwk {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x) return { kty: "OKP", crv: "Ed25519", x: jwk.x };
  if (jwk.kty === "EC" && jwk.crv === "P-256" && jwk.x && jwk.y) return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
  if (jwk.kty === "RSA" && jwk.n && jwk.e) return { kty: "RSA", n: jwk.n, e: jwk.e };
  throw new GatewayError("internal", `unexpected public key (${jwk.kty} ${jwk.crv ?? ""})`);
}

/** The key type a node:crypto key actually is, so that a file cannot claim one type and hold another. */
function keyTypeOf(key: KeyObject): KeyType | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "ed25519") return "Ed25519";
  if (key.asymmetricKeyType === "ec" && details?.namedCurve === "prime256v1") return "P-256";
  if (key.asymmetricKeyType === "rsa" && details?.modulusLength === 2048) return "RSA-2048";
  return undefined;
}

function parseKeyFile(keyRef: string, text: string): LoadedKey {
  const corrupt = (detail: string) => new GatewayError("internal", `key file ${keyRef}.json is not valid: ${detail}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GatewayError("internal", `key file ${keyRef}.json is not JSON`, [], { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null) throw corrupt("not an object");
  const file = parsed as Partial<Record<keyof KeyFile, unknown>>;
  if (file.version !== FILE_VERSION) throw corrupt(`version ${String(file.version)}`);
  if (file.keyRef !== keyRef) throw corrupt("it names another key");
  if (typeof file.privateKeyPem !== "string") throw corrupt("no private key");
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: file.privateKeyPem, format: "pem" });
  } catch (error) {
    throw new GatewayError("internal", `key file ${keyRef}.json holds no readable key`, [], { cause: error });
  }
  const type = keyTypeOf(privateKey);
  if (type === undefined || type !== file.type) throw corrupt(`type ${String(file.type)} does not match the key`);
  if (typeof file.issuerId !== "string" || file.issuerId === "") throw corrupt("no owning issuer");
  // The public half is derived again rather than trusted from the file.
  return { type, issuerId: file.issuerId, privateKey, publicJwk: publicJwkOf(createPublicKey(privateKey)) };
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
