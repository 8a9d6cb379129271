/**
 * The KMS key store, loaded on its first use instead of at a function's init (cold start): the KMS and STS clients,
 * their commands and the adapter are ~55 KB of every function that may sign, and only the requests that create a key,
 * read a public key or sign need them. A plain forwarder, like `s3-uploads-lazy.ts`: the store comes from `import()`
 * of `kms-keys-factory.ts`, a chunk Node loads the first time the port is used; {@link KeyStore.supports} is answered
 * without it (every key type: KMS offers all three).
 */
import { ALL_KEY_TYPES } from "../../core/issuers/key-stores.js";
import type {
  KeyRecord,
  KeyStore,
  KeyType,
  PublicJwk,
  SignatureAlgorithm,
  SignContext,
  Signer,
} from "../../kernel/ports/index.js";
import type { KmsKeyStoreSettings } from "./kms-keys-factory.js";

export class LazyKmsKeyStore implements KeyStore, Signer {
  #made: Promise<KeyStore & Signer> | undefined;

  constructor(private readonly settings: KmsKeyStoreSettings) {}

  /** The store, made once; a failed load is tried again by the next call. */
  #store(): Promise<KeyStore & Signer> {
    this.#made ??= import("./kms-keys-factory.js")
      .then((factory) => factory.makeKmsKeyStore(this.settings))
      .catch((error: unknown) => {
        this.#made = undefined;
        throw error;
      });
    return this.#made;
  }

  supports(type: KeyType): boolean {
    return ALL_KEY_TYPES.includes(type);
  }

  async createKey(type: KeyType, owner: { issuerId: string }): Promise<KeyRecord> {
    return (await this.#store()).createKey(type, owner);
  }

  async getPublicKey(keyRef: string): Promise<PublicJwk> {
    return (await this.#store()).getPublicKey(keyRef);
  }

  async sign(keyRef: string, alg: SignatureAlgorithm, data: Uint8Array, context?: SignContext): Promise<Uint8Array> {
    return (await this.#store()).sign(keyRef, alg, data, context);
  }
}
