/**
 * Independent JAdES verification for tests: the RFC 7797 signing input rebuilt by hand and checked with node:crypto
 * against `x5c[0]`, and the same envelope checked by `jose` (which knows `b64` itself and is told about `sigT`).
 * Neither uses the gateway's own JAdES code.
 */
import { constants, verify, X509Certificate } from "node:crypto";
import { type GeneralJWSInput, generalVerify, importX509 } from "jose";

export interface Envelope {
  payload: string;
  signatures: { protected: string; signature: string; header?: Record<string, unknown> }[];
}

// biome-ignore lint/suspicious/noExplicitAny: the decoded header is arbitrary JSON; tests assert on its members.
export const protectedHeaderOf = (envelope: Envelope, index = 0): any => {
  const signature = envelope.signatures[index];
  if (!signature) throw new Error(`no signature ${index}`);
  return JSON.parse(Buffer.from(signature.protected, "base64url").toString("utf8"));
};

/** The RFC 7797 signing input of signature `index`: ASCII(protected) "." payload bytes. */
export function signingInputOf(envelope: Envelope, index = 0): Buffer {
  const signature = envelope.signatures[index];
  if (!signature) throw new Error(`no signature ${index}`);
  return Buffer.concat([Buffer.from(`${signature.protected}.`, "ascii"), Buffer.from(envelope.payload, "utf8")]);
}

/**
 * node:crypto's verdict on signature `index` over `message` (by default the signing input), with the key of x5c[0].
 */
export function verifiesWithNode(envelope: Envelope, index = 0, message?: Uint8Array): boolean {
  const signature = envelope.signatures[index];
  if (!signature) return false;
  const header = protectedHeaderOf(envelope, index);
  const certificate = new X509Certificate(Buffer.from(header.x5c[0], "base64"));
  const input = message ?? signingInputOf(envelope, index);
  const bytes = Buffer.from(signature.signature, "base64url");
  const key = certificate.publicKey;
  switch (header.alg) {
    case "RS256":
      return verify("sha256", input, key, bytes);
    case "PS256":
      return verify(
        "sha256",
        input,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        bytes,
      );
    case "ES256":
      return verify("sha256", input, { key, dsaEncoding: "ieee-p1363" }, bytes);
    default:
      throw new Error(`unexpected alg ${header.alg}`);
  }
}

/** jose's verdict: the payload it verified, or a thrown error. */
export async function verifyWithJose(envelope: Envelope): Promise<string> {
  const header = protectedHeaderOf(envelope);
  const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`;
  const key = await importX509(pem, header.alg);
  const result = await generalVerify(envelope as GeneralJWSInput, key, {
    crit: { sigT: true, adoTst: true },
  });
  return new TextDecoder().decode(result.payload);
}
