/**
 * The holder's key named by a key proof's JOSE header (OpenID4VCI 1.0 Appendix F.1: exactly one of `kid`, `jwk`,
 * `x5c`), and the DID the credential is bound to. `kid` may be a did:key (Ed25519 `z6Mk…`, P-256 `zDn…`) or a did:jwk
 * URL; a bare `jwk` is bound as its did:jwk. Both DID methods are resolved from the identifier alone — no network.
 * Hand-written: did:key / did:jwk decoding is a few lines over @scure/base and node:crypto, and the DID resolver
 * packages would pull in network resolvers the gateway must not use.
 */
import { createPublicKey } from "node:crypto";
import { base58 } from "@scure/base";
import type { JWK } from "jose";
import { invalidProof } from "./errors.js";

export interface HolderKey {
  /** The DID the credential's `credentialSubject.id` is set to. */
  did: string;
  /** The public key the proof must verify with. */
  jwk: JWK;
}

/** DER prefix of a P-256 SubjectPublicKeyInfo holding a compressed (33-byte) point. */
const P256_COMPRESSED_SPKI = Buffer.from("3039301306072a8648ce3d020106082a8648ce3d030107032200", "hex");
const PUBLIC_MEMBERS = ["kty", "crv", "x", "y", "n", "e"] as const;

/** The public members of a JWK, in a fixed order (a did:jwk is stable for one key). */
function publicJwk(jwk: Record<string, unknown>, pointer: string): JWK {
  if ("d" in jwk || "p" in jwk || "k" in jwk) throw invalidProof("the proof's key must be a public key", pointer);
  if (jwk.kty !== "EC" && jwk.kty !== "OKP" && jwk.kty !== "RSA") {
    throw invalidProof("the proof's key must be an EC, OKP or RSA key", pointer);
  }
  const out: Record<string, string> = {};
  for (const name of PUBLIC_MEMBERS) {
    const value = jwk[name];
    if (value === undefined) continue;
    if (typeof value !== "string") throw invalidProof(`the proof key's ${name} must be a string`, pointer);
    out[name] = value;
  }
  return out as JWK;
}

function didKeyJwk(multibase: string, pointer: string): JWK {
  let bytes: Uint8Array;
  try {
    if (!multibase.startsWith("z")) throw new Error("not base58btc");
    bytes = base58.decode(multibase.slice(1));
  } catch {
    throw invalidProof("the did:key is not a base58btc multibase value", pointer);
  }
  if (bytes.length === 34 && bytes[0] === 0xed && bytes[1] === 0x01) {
    return { kty: "OKP", crv: "Ed25519", x: Buffer.from(bytes.subarray(2)).toString("base64url") };
  }
  if (bytes.length === 35 && bytes[0] === 0x80 && bytes[1] === 0x24) {
    try {
      const der = Buffer.concat([P256_COMPRESSED_SPKI, bytes.subarray(2)]);
      const jwk = createPublicKey({ key: der, format: "der", type: "spki" }).export({ format: "jwk" });
      return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y } as JWK;
    } catch {
      throw invalidProof("the did:key is not a valid P-256 public key", pointer);
    }
  }
  throw invalidProof("only Ed25519 and P-256 did:key holders are supported", pointer);
}

/** did:jwk of a public JWK: `did:jwk:` + base64url of its JSON. */
export const didJwkOf = (jwk: JWK): string => `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString("base64url")}`;

function fromKid(kid: string, pointer: string): HolderKey {
  const [did = "", fragment, ...rest] = kid.split("#");
  if (rest.length > 0) throw invalidProof("kid has more than one fragment", pointer);
  if (did.startsWith("did:key:")) {
    const multibase = did.slice("did:key:".length);
    if (fragment !== undefined && fragment !== multibase) {
      throw invalidProof("a did:key kid's fragment must repeat the key", pointer);
    }
    return { did, jwk: didKeyJwk(multibase, pointer) };
  }
  if (did.startsWith("did:jwk:")) {
    if (fragment !== undefined && fragment !== "0") throw invalidProof("a did:jwk kid's fragment must be #0", pointer);
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(did.slice("did:jwk:".length), "base64url").toString("utf8"));
    } catch {
      throw invalidProof("the did:jwk does not hold a JSON Web Key", pointer);
    }
    if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) {
      throw invalidProof("the did:jwk does not hold a JSON Web Key", pointer);
    }
    return { did, jwk: publicJwk(decoded as Record<string, unknown>, pointer) };
  }
  throw invalidProof("kid must be a did:key or did:jwk URL (other DID methods are not resolved)", pointer);
}

/** The holder key and DID named by a proof JWT's protected header. */
export function holderKeyOf(header: Record<string, unknown>, pointer: string): HolderKey {
  const named = ["kid", "jwk", "x5c"].filter((k) => header[k] !== undefined);
  if (named.length !== 1)
    throw invalidProof("the proof header must name its key with exactly one of kid, jwk, x5c", pointer);
  if (header.x5c !== undefined)
    throw invalidProof("x5c proof keys are not supported: use kid (did:key, did:jwk) or jwk", pointer);
  if (header.kid !== undefined) {
    if (typeof header.kid !== "string" || header.kid.length > 4096)
      throw invalidProof("kid must be a DID URL", pointer);
    return fromKid(header.kid, pointer);
  }
  if (typeof header.jwk !== "object" || header.jwk === null || Array.isArray(header.jwk)) {
    throw invalidProof("jwk must be a JSON Web Key", pointer);
  }
  const jwk = publicJwk(header.jwk as Record<string, unknown>, pointer);
  return { did: didJwkOf(jwk), jwk };
}
