import { ECDH, generateKeyPairSync } from "node:crypto";
import { base58 } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  didDocument,
  didKeyFor,
  didWebFor,
  jwks,
  KEY_ALGORITHMS,
  KEY_FRAGMENTS,
} from "../../../../../functions/core/issuers/did.js";
import type { IssuerKey, IssuerRecord, KeyType, PublicJwk } from "../../../../../functions/kernel/ports/index.js";
import { jwkToMultibase, multibaseToEd25519Jwk } from "../../../../../functions/proofs/multikey.js";

// The published test key of the OB 3.0 eddsa-rdfc-2022 test vector (1EdTech implementation guide).
const VECTOR_PUBLIC_HEX = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5";
const VECTOR_MULTIBASE = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";

const keyOf = (type: KeyType): IssuerKey => {
  const pair =
    type === "Ed25519"
      ? generateKeyPairSync("ed25519")
      : type === "P-256"
        ? generateKeyPairSync("ec", { namedCurve: "P-256" })
        : generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    fragment: KEY_FRAGMENTS[type],
    type,
    keyRef: `ref-${type}`,
    publicJwk: pair.publicKey.export({ format: "jwk" }) as PublicJwk,
    algorithms: [...KEY_ALGORITHMS[type]],
  };
};

const issuerOf = (over: Partial<IssuerRecord> = {}): IssuerRecord => ({
  id: "did:web:gw.example.org:issuers:uni-x",
  slug: "uni-x",
  didMethod: "web",
  name: "University X",
  country: "DE",
  keys: [keyOf("Ed25519"), keyOf("P-256"), keyOf("RSA-2048")],
  createdAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("Multikey encoding", () => {
  it("encodes the OB 3.0 test vector's Ed25519 key to its published multibase", () => {
    const jwk: PublicJwk = {
      kty: "OKP",
      crv: "Ed25519",
      x: Buffer.from(VECTOR_PUBLIC_HEX, "hex").toString("base64url"),
    };

    const multibase = jwkToMultibase(jwk);

    expect(multibase).toBe(VECTOR_MULTIBASE);
    expect(multibaseToEd25519Jwk(multibase)).toEqual(jwk);
  });

  it("encodes P-256 keys as the compressed point behind the p256-pub multicodec", () => {
    for (let i = 0; i < 20; i++) {
      const jwk = keyOf("P-256").publicJwk;

      const bytes = base58.decode(jwkToMultibase(jwk).slice(1));

      expect([...bytes.slice(0, 2)]).toEqual([0x80, 0x24]);
      const uncompressed = ECDH.convertKey(
        Buffer.from(bytes.slice(2)),
        "prime256v1",
        undefined,
        undefined,
        "uncompressed",
      );
      const raw = Buffer.from(uncompressed as Buffer);
      expect(raw.subarray(1, 33).toString("base64url")).toBe(jwk.x);
      expect(raw.subarray(33).toString("base64url")).toBe(jwk.y);
    }
  });

  it("refuses RSA keys and malformed multibase values", () => {
    expect(() => jwkToMultibase(keyOf("RSA-2048").publicJwk)).toThrow(/no Multikey encoding/);
    expect(() => multibaseToEd25519Jwk("u123")).toThrow(/base58btc/);
    expect(() => multibaseToEd25519Jwk("z0OIl")).toThrow(/not valid base58btc/);
    expect(() => multibaseToEd25519Jwk(jwkToMultibase(keyOf("P-256").publicJwk))).toThrow(/not an Ed25519/);
  });
});

describe("issuer identifiers and key documents", () => {
  it("builds did:web under the public URL, percent-encoding a port", () => {
    expect(didWebFor("https://gw.example.org", "uni-x")).toBe("did:web:gw.example.org:issuers:uni-x");
    expect(didWebFor("http://localhost:3000", "uni-x")).toBe("did:web:localhost%3A3000:issuers:uni-x");
  });

  it("publishes Ed25519 and P-256 as Multikey and RSA as JsonWebKey, all as assertion methods", () => {
    const issuer = issuerOf();

    const doc = didDocument(issuer) as {
      id: string;
      verificationMethod: { id: string; type: string; publicKeyMultibase?: string; publicKeyJwk?: PublicJwk }[];
      assertionMethod: string[];
    };

    expect(doc.id).toBe(issuer.id);
    expect(doc.verificationMethod.map((m) => [m.id, m.type])).toEqual([
      [`${issuer.id}#key-ed25519`, "Multikey"],
      [`${issuer.id}#key-p256`, "Multikey"],
      [`${issuer.id}#key-rsa`, "JsonWebKey"],
    ]);
    expect(multibaseToEd25519Jwk(doc.verificationMethod[0]?.publicKeyMultibase ?? "")).toEqual(
      issuer.keys[0]?.publicJwk,
    );
    expect(doc.verificationMethod[2]?.publicKeyJwk).toEqual(issuer.keys[2]?.publicJwk);
    expect(doc.assertionMethod).toEqual(doc.verificationMethod.map((m) => m.id));
  });

  it("names each JWK by its verification method, and its algorithm when it has only one", () => {
    const issuer = issuerOf();

    const set = jwks(issuer);

    expect(set.keys.map((k) => [k.kid, k.alg, k.use])).toEqual([
      [`${issuer.id}#key-ed25519`, "EdDSA", "sig"],
      [`${issuer.id}#key-p256`, "ES256", "sig"],
      // RSA signs RS256 and PS256: an `alg` would hide it from PS256 key selection.
      [`${issuer.id}#key-rsa`, undefined, "sig"],
    ]);
    expect(set.keys.every((k) => !("d" in k))).toBe(true);
  });

  it("gives a did:key issuer one verification method named by its multibase", () => {
    const ed = keyOf("Ed25519");
    const did = didKeyFor(ed);
    const issuer = issuerOf({ id: did, didMethod: "key", keys: [ed, keyOf("P-256")] });

    const doc = didDocument(issuer) as { verificationMethod: { id: string }[] };

    expect(did).toMatch(/^did:key:z6Mk/);
    expect(doc.verificationMethod.map((m) => m.id)).toEqual([`${did}#${did.slice(8)}`]);
  });
});
