/**
 * The behaviour every {@link KeyStore} + {@link Signer} must have. Signatures are checked with `jose` (WebCrypto)
 * against the public JWK the store publishes, never with the store's own key material: what is proved is that a
 * verifier holding only the published key accepts what the Signer port produces.
 */

import { randomUUID } from "node:crypto";
import { base64url, compactVerify, importJWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { GatewayError } from "../../functions/kernel/errors.js";
import type {
  KeyRecord,
  KeyStore,
  KeyType,
  PublicJwk,
  SignatureAlgorithm,
  Signer,
} from "../../functions/kernel/ports/index.js";

export type KeyBackend = KeyStore & Signer;

export interface KeyStoreHarness {
  store: KeyBackend;
  /** A second store over the same keys with nothing cached, to prove keys outlive the instance that made them. */
  reopen(): KeyBackend;
}

/**
 * How a signature made with `alg` is checked. `jose` for everything by default. A backend known to deviate from the
 * JOSE profile in a way the gateway cannot influence can name another check here (and must say why).
 */
export type SignatureCheck = (
  alg: SignatureAlgorithm,
  jwk: PublicJwk,
  signingInput: Uint8Array,
  signature: Uint8Array,
) => Promise<boolean>;

export interface KeyStoreContractOptions {
  name: string;
  create: () => Promise<KeyStoreHarness>;
  /** The key types this backend is expected to support; the others must be refused. */
  keyTypes: readonly KeyType[];
  /** Whether messages over 4096 bytes can be checked (moto's KMS signs DIGEST messages wrongly). */
  largeMessages: boolean;
  /** Overrides of the signature check per algorithm (see {@link SignatureCheck}). */
  checks?: Partial<Record<SignatureAlgorithm, SignatureCheck>>;
}

export const ALL_KEY_TYPES: readonly KeyType[] = ["Ed25519", "P-256", "RSA-2048"];

/** The issuer the contract's keys are created for (a slug, as the gateway's issuers are). */
const OWNER = "uni-a";

const ALGORITHMS: Record<KeyType, readonly SignatureAlgorithm[]> = {
  Ed25519: ["EdDSA"],
  "P-256": ["ES256"],
  "RSA-2048": ["RS256", "PS256"],
};

/** An algorithm the key type cannot sign with. */
const FOREIGN_ALGORITHM: Record<KeyType, SignatureAlgorithm> = {
  Ed25519: "ES256",
  "P-256": "RS256",
  "RSA-2048": "EdDSA",
};

const SIGNATURE_LENGTH: Record<SignatureAlgorithm, number> = { EdDSA: 64, ES256: 64, RS256: 256, PS256: 256 };

const PUBLIC_MEMBERS: Record<KeyType, { kty: PublicJwk["kty"]; crv?: PublicJwk["crv"]; members: string[] }> = {
  Ed25519: { kty: "OKP", crv: "Ed25519", members: ["crv", "kty", "x"] },
  "P-256": { kty: "EC", crv: "P-256", members: ["crv", "kty", "x", "y"] },
  "RSA-2048": { kty: "RSA", members: ["e", "kty", "n"] },
};

/** The check every backend should pass: a compact JWS over the message, verified by jose with the published key. */
export const joseCheck: SignatureCheck = async (alg, jwk, signingInput, signature) => {
  const jws = `${new TextDecoder().decode(signingInput)}.${base64url.encode(signature)}`;
  try {
    await compactVerify(jws, await importJWK({ ...jwk }, alg));
    return true;
  } catch {
    return false;
  }
};

/** A JWS signing input (`base64url(header).base64url(payload)`) over `payload`. */
export function jwsSigningInput(alg: SignatureAlgorithm, payload: Uint8Array): Uint8Array {
  const header = base64url.encode(JSON.stringify({ alg }));
  return new TextEncoder().encode(`${header}.${base64url.encode(payload)}`);
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

/** A payload of `length` bytes that is not all one value. */
function aPayload(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + 7) % 256);
}

/** Registers the KeyStore/Signer contract tests for one implementation. */
export function keyStoreContract(options: KeyStoreContractOptions): void {
  const { keyTypes } = options;
  const unsupported = ALL_KEY_TYPES.filter((type) => !keyTypes.includes(type));
  const pairs = keyTypes.flatMap((type) => ALGORITHMS[type].map((alg) => ({ type, alg })));
  const check = (alg: SignatureAlgorithm): SignatureCheck => options.checks?.[alg] ?? joseCheck;

  describe(`KeyStore/Signer contract: ${options.name}`, () => {
    let harness: KeyStoreHarness;
    /** One key per type, made once: key generation (RSA above all) is slow and every test reads it only. */
    const keys = new Map<KeyType, KeyRecord>();
    const keyOf = (type: KeyType): KeyRecord => {
      const key = keys.get(type);
      if (key === undefined) throw new Error(`no ${type} key was created`);
      return key;
    };

    beforeAll(async () => {
      harness = await options.create();
      for (const type of keyTypes) keys.set(type, await harness.store.createKey(type, { issuerId: OWNER }));
    });

    it("says which key types it supports", () => {
      // Act
      const supported = ALL_KEY_TYPES.filter((type) => harness.store.supports(type));
      // Assess
      expect(supported).toEqual(keyTypes);
    });

    it.each(keyTypes)("creates a %s key whose record holds only its public members", (type) => {
      // Prepare
      const expected = PUBLIC_MEMBERS[type];
      // Act
      const key = keyOf(type);
      // Assess
      expect(key.type).toBe(type);
      expect(key.keyRef).toMatch(/\S/);
      expect(Object.keys(key.publicJwk).sort()).toEqual(expected.members);
      expect(key.publicJwk.kty).toBe(expected.kty);
      expect(key.publicJwk.crv).toBe(expected.crv);
    });

    it.each(keyTypes)("reads back the %s public key, also from a fresh store instance", async (type) => {
      // Prepare
      const key = keyOf(type);
      // Act
      const same = await harness.store.getPublicKey(key.keyRef);
      const reopened = await harness.reopen().getPublicKey(key.keyRef);
      // Assess
      expect(same).toStrictEqual(key.publicJwk);
      expect(reopened).toStrictEqual(key.publicJwk);
    });

    it.each(keyTypes)("creates a distinct %s key every time", async (type) => {
      // Act
      const other = await harness.store.createKey(type, { issuerId: "did:web:y" });
      // Assess
      expect(other.keyRef).not.toBe(keyOf(type).keyRef);
      expect(other.publicJwk).not.toEqual(keyOf(type).publicJwk);
    });

    it.each(pairs)("signs $alg with a $type key so that the published key verifies it", async ({ type, alg }) => {
      // Prepare
      const key = keyOf(type);
      const input = jwsSigningInput(alg, new TextEncoder().encode('{"iss":"did:web:x","n":1}'));
      // Act
      const signature = await harness.store.sign(key.keyRef, alg, input);
      // Assess
      expect(signature).toBeInstanceOf(Uint8Array);
      expect(signature).toHaveLength(SIGNATURE_LENGTH[alg]);
      const published = await harness.store.getPublicKey(key.keyRef);
      expect(await check(alg)(alg, published, input, signature)).toBe(true);
    });

    it.each(pairs)("makes $alg signatures that do not verify for another message", async ({ type, alg }) => {
      // Prepare
      const key = keyOf(type);
      const input = jwsSigningInput(alg, new TextEncoder().encode('{"n":1}'));
      const tampered = jwsSigningInput(alg, new TextEncoder().encode('{"n":2}'));
      // Act
      const signature = await harness.store.sign(key.keyRef, alg, input);
      // Assess
      expect(await check(alg)(alg, key.publicJwk, tampered, signature)).toBe(false);
    });

    it.each(pairs)("signs $alg through a fresh store instance", async ({ type, alg }) => {
      // Prepare
      const key = keyOf(type);
      const input = jwsSigningInput(alg, aPayload(100));
      // Act
      const signature = await harness.reopen().sign(key.keyRef, alg, input);
      // Assess
      expect(await check(alg)(alg, key.publicJwk, input, signature)).toBe(true);
    });

    it.runIf(options.largeMessages).each(pairs)(
      "signs $alg over a message larger than 4096 bytes",
      async ({ type, alg }) => {
        // Prepare
        const key = keyOf(type);
        const input = jwsSigningInput(alg, aPayload(5000));
        expect(input.length).toBeGreaterThan(4096);
        // Act
        const signature = await harness.store.sign(key.keyRef, alg, input);
        // Assess
        expect(await check(alg)(alg, key.publicJwk, input, signature)).toBe(true);
      },
    );

    it.each(pairs)(
      "signs $alg for the issuer that owns the $type key when the owner is named",
      async ({ type, alg }) => {
        // Prepare
        const key = keyOf(type);
        const input = jwsSigningInput(alg, aPayload(64));
        // Act
        const signature = await harness.reopen().sign(key.keyRef, alg, input, { issuerId: OWNER });
        // Assess
        expect(await check(alg)(alg, key.publicJwk, input, signature)).toBe(true);
      },
    );

    it.each(keyTypes)("refuses as forbidden to sign with the %s key of one issuer for another issuer", async (type) => {
      // Prepare
      const key = keyOf(type);
      const [alg] = ALGORITHMS[type];
      // Act
      const same = await rejection(harness.store.sign(key.keyRef, alg ?? "ES256", aPayload(10), { issuerId: "b" }));
      const fresh = await rejection(harness.reopen().sign(key.keyRef, alg ?? "ES256", aPayload(10), { issuerId: "b" }));
      // Assess
      expect(same.code).toBe("forbidden");
      expect(fresh.code).toBe("forbidden");
    });

    it("answers not-found for a key it does not hold", async () => {
      // Prepare
      const keyRef = randomUUID();
      const [pair] = pairs;
      // Act
      const reading = await rejection(harness.store.getPublicKey(keyRef));
      const signing = await rejection(harness.store.sign(keyRef, pair?.alg ?? "ES256", aPayload(10)));
      // Assess
      expect(reading.code).toBe("not-found");
      expect(signing.code).toBe("not-found");
    });

    it.each(keyTypes)("refuses as unprocessable to sign with an algorithm the %s key cannot use", async (type) => {
      // Prepare
      const key = keyOf(type);
      // Act
      const error = await rejection(harness.store.sign(key.keyRef, FOREIGN_ALGORITHM[type], aPayload(10)));
      // Assess
      expect(error.code).toBe("unprocessable");
    });

    it.runIf(unsupported.length > 0).each(unsupported)("refuses as unprocessable to create a %s key", async (type) => {
      // Act
      const error = await rejection(harness.store.createKey(type, { issuerId: "did:web:x" }));
      // Assess
      expect(error.code).toBe("unprocessable");
    });
  });
}
