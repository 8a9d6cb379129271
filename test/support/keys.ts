/** Independent verification for tests: public keys read from published documents, signatures checked with jose. */
import { ECDH } from "node:crypto";
import { base58 } from "@scure/base";
import { type CompactJWSHeaderParameters, compactVerify, importJWK, type JWK } from "jose";
import type { SignatureAlgorithm, Signer } from "../../functions/kernel/ports/index.js";

export interface VerificationMethod {
  id: string;
  type: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: JWK;
}

/** The JWK a DID document's verification method publishes (Multikey Ed25519 / P-256, or JsonWebKey). */
export function jwkOf(vm: VerificationMethod): JWK {
  if (vm.type === "JsonWebKey" && vm.publicKeyJwk) return vm.publicKeyJwk;
  if (vm.type !== "Multikey" || !vm.publicKeyMultibase?.startsWith("z"))
    throw new Error(`unsupported method ${vm.type}`);
  const bytes = base58.decode(vm.publicKeyMultibase.slice(1));
  if (bytes[0] === 0xed && bytes[1] === 0x01) {
    return { kty: "OKP", crv: "Ed25519", x: Buffer.from(bytes.slice(2)).toString("base64url") };
  }
  if (bytes[0] === 0x80 && bytes[1] === 0x24) {
    const point = ECDH.convertKey(Buffer.from(bytes.slice(2)), "prime256v1", undefined, undefined, "uncompressed");
    const raw = Buffer.from(point as Buffer);
    return {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33).toString("base64url"),
    };
  }
  throw new Error("unknown multicodec");
}

/**
 * Signs a compact JWS through the Signer port and verifies it with jose against `jwk`; returns the verified payload.
 * A wrong key, algorithm or signature encoding makes jose throw.
 */
export async function signAndVerify(
  signer: Signer,
  keyRef: string,
  alg: SignatureAlgorithm,
  jwk: JWK,
  payload = "a signed statement",
): Promise<string> {
  const header: CompactJWSHeaderParameters = { alg };
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(payload).toString("base64url")}`;
  const signature = await signer.sign(keyRef, alg, new TextEncoder().encode(input));
  const jws = `${input}.${Buffer.from(signature).toString("base64url")}`;
  const { payload: verified } = await compactVerify(jws, await importJWK(jwk, alg));
  return new TextDecoder().decode(verified);
}
