/**
 * Multikey encodings (W3C Controlled Identifiers, "Multikey"): a multicodec prefix plus the raw public key, in
 * base58btc multibase (`z...`). Data Integrity proofs and did:key name keys this way.
 */
import { createPublicKey } from "node:crypto";
import { base58 } from "@scure/base";
import { isRecord } from "../../lib/guards.js";
import { GatewayError } from "../kernel/errors.js";
import type { PublicJwk } from "../kernel/ports/index.js";

/** A verification method that cannot be used; the message says why, for a check's `detail`. */
export class KeyResolutionError extends Error {
  override readonly name = "KeyResolutionError";
}

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

/** SPKI DER header of a P-256 key with a 33-byte compressed point. */
const P256_SPKI_COMPRESSED = Buffer.from("3039301306072a8648ce3d020106082a8648ce3d030107032200", "hex");

/** The public JWK of a `publicKeyMultibase` value: Ed25519 (`z6Mk…`) or P-256 (`zDn…`). */
export function multibaseToJwk(multibase: string): PublicJwk {
  if (multibase.startsWith("z6Mk")) return multibaseToEd25519Jwk(multibase);
  if (!multibase.startsWith("z")) throw new KeyResolutionError("publicKeyMultibase must be base58btc (z…)");
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(multibase.slice(1));
  } catch {
    throw new KeyResolutionError("publicKeyMultibase is not valid base58btc");
  }
  if (bytes.length === 35 && bytes[0] === P256_PUB[0] && bytes[1] === P256_PUB[1]) {
    const der = Buffer.concat([P256_SPKI_COMPRESSED, bytes.slice(2)]);
    const jwk = createPublicKey({ key: der, format: "der", type: "spki" }).export({ format: "jwk" });
    return { kty: "EC", crv: "P-256", x: String(jwk.x), y: String(jwk.y) };
  }
  return multibaseToEd25519Jwk(multibase);
}

/** A JWK taken from outside: public members only, a key type the gateway verifies with, no private part. */
export function publicJwkOf(value: unknown): PublicJwk {
  if (!isRecord(value)) throw new KeyResolutionError("the JWK is not a JSON object");
  if ("d" in value || "p" in value || "q" in value)
    throw new KeyResolutionError("the JWK holds a private key; refusing it");
  const str = (k: string) => (typeof value[k] === "string" ? (value[k] as string) : undefined);
  const kty = str("kty");
  if (kty === "OKP" && str("crv") === "Ed25519" && str("x")) return { kty, crv: "Ed25519", x: str("x") };
  if (kty === "EC" && str("crv") === "P-256" && str("x") && str("y"))
    return { kty, crv: "P-256", x: str("x"), y: str("y") };
  if (kty === "RSA" && str("n") && str("e")) return { kty, n: str("n"), e: str("e") };
  throw new KeyResolutionError(`unsupported JWK (kty ${JSON.stringify(kty)}, crv ${JSON.stringify(str("crv"))})`);
}
