/**
 * Rules every {@link KeyStore} keeps, whatever holds the keys (KMS, local files): which key types exist, that a store
 * creates only the types it was configured for, and that a key signs only for the issuer that owns it. Kept here so
 * that the AWS and the local store refuse alike, with the same problem.
 */
import { GatewayError } from "../../kernel/errors.js";
import type { KeyStore, KeyType, SignContext } from "../../kernel/ports/index.js";

/** Every key type a key store can create; a store's `keyTypes` option narrows it. */
export const ALL_KEY_TYPES: readonly KeyType[] = ["Ed25519", "P-256", "RSA-2048"];

/** Refuses (422) a key type the store does not create, before anything is generated. */
export function assertCreatable(store: Pick<KeyStore, "supports">, type: KeyType): void {
  if (!store.supports(type)) throw new GatewayError("unprocessable", `this key store cannot create ${type} keys`);
}

/**
 * Refuses (403) signing for `context`'s issuer with a key `owner` owns when they differ: an issuer's token never
 * signs with another issuer's key, even when it names that key.
 */
export function assertKeyOwner(keyRef: string, owner: string, context: SignContext): void {
  if (owner !== context.issuerId) {
    throw new GatewayError("forbidden", `key ${keyRef} is not a key of issuer ${context.issuerId}`);
  }
}
