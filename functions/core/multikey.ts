/**
 * Multikey encodings (W3C Controlled Identifiers, "Multikey"): a multicodec prefix plus the raw public key, in
 * base58btc multibase (`z...`). Data Integrity proofs and did:key name keys this way.
 */
import { base58 } from "@scure/base";
import { GatewayError } from "./errors.js";
import type { PublicJwk } from "./ports.js";

const ED25519_PUB = Uint8Array.of(0xed, 0x01);
const P256_PUB = Uint8Array.of(0x80, 0x24);

const fromB64url = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64url"));

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** `publicKeyMultibase` of an Ed25519 or P-256 public JWK (P-256 in compressed SEC1 form). */
export function jwkToMultibase(jwk: PublicJwk): string {
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x) {
    const raw = fromB64url(jwk.x);
    if (raw.length !== 32) throw new GatewayError("unprocessable", "Ed25519 public key must be 32 bytes");
    return `z${base58.encode(concat(ED25519_PUB, raw))}`;
  }
  if (jwk.kty === "EC" && jwk.crv === "P-256" && jwk.x && jwk.y) {
    const x = fromB64url(jwk.x);
    const y = fromB64url(jwk.y);
    if (x.length !== 32 || y.length !== 32)
      throw new GatewayError("unprocessable", "P-256 coordinates must be 32 bytes");
    const prefix = (y[31] ?? 0) & 1 ? 0x03 : 0x02;
    return `z${base58.encode(concat(P256_PUB, concat(Uint8Array.of(prefix), x)))}`;
  }
  throw new GatewayError("unprocessable", `no Multikey encoding for a ${jwk.kty} key`);
}

/** The Ed25519 public JWK named by a `z6Mk...` multibase value; throws on anything else. */
export function multibaseToEd25519Jwk(multibase: string): PublicJwk {
  if (!multibase.startsWith("z")) throw new GatewayError("unprocessable", "multibase value must be base58btc (z...)");
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(multibase.slice(1));
  } catch {
    throw new GatewayError("unprocessable", "multibase value is not valid base58btc");
  }
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) {
    throw new GatewayError("unprocessable", "multibase value is not an Ed25519 public key");
  }
  return { kty: "OKP", crv: "Ed25519", x: Buffer.from(bytes.slice(2)).toString("base64url") };
}
