/**
 * Certificates for tests: a throw-away certification authority (WebCrypto keys, @peculiar/x509) that issues leaf
 * certificates for any public key, and an independent check of PKCS#10 and X.509 signatures with node:crypto alone.
 */
import "../../functions/proofs/reflect-metadata.js";
import { createPublicKey, X509Certificate as NodeCertificate, verify, webcrypto } from "node:crypto";
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
  X509CertificateGenerator,
} from "@peculiar/x509";
import type { PublicJwk } from "../../functions/kernel/ports/index.js";
import { childrenOf, contentOf, encodingOf, oidOf, readElement } from "../../functions/proofs/asn1.js";
import { x509Crypto } from "../../functions/proofs/x509.js";

const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const DAY = 24 * 60 * 60 * 1000;

export interface TestCa {
  certificate: X509Certificate;
  keys: webcrypto.CryptoKeyPair;
  /** Issues a certificate for `publicJwk` (RSA or P-256) with this CA's key. */
  issue(publicJwk: PublicJwk, options?: IssueOptions): Promise<X509Certificate>;
}

export interface IssueOptions {
  subject?: string;
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: KeyUsageFlags;
}

async function importPublic(jwk: PublicJwk): Promise<webcrypto.CryptoKey> {
  const algorithm =
    jwk.kty === "RSA" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "ECDSA", namedCurve: "P-256" };
  return webcrypto.subtle.importKey("jwk", jwk as webcrypto.JsonWebKey, algorithm, true, ["verify"]);
}

/** A self-signed RSA CA, valid from yesterday for a year unless told otherwise. */
export async function makeTestCa(name = "CN=Test eSeal CA, O=Test Trust Services, C=LU"): Promise<TestCa> {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      name,
      keys,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      extensions: [
        new BasicConstraintsExtension(true, 0, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      ],
    },
    x509Crypto,
  );
  return {
    certificate,
    keys,
    issue: async (publicJwk, options = {}) =>
      X509CertificateGenerator.create(
        {
          subject: options.subject ?? "CN=Test Seal, O=Test Organisation, 2.5.4.97=NTRIE-123456, C=IE",
          issuer: certificate.subject,
          publicKey: await importPublic(publicJwk),
          signingKey: keys.privateKey,
          notBefore: options.notBefore ?? new Date(now - DAY),
          notAfter: options.notAfter ?? new Date(now + 180 * DAY),
          signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
          extensions: [
            new KeyUsagesExtension(
              options.keyUsage ?? KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation,
              true,
            ),
          ],
        },
        x509Crypto,
      ),
  };
}

/** The node:crypto hash and signature encoding for an X.509 signature algorithm OID. */
const SIGNATURE_ALGORITHMS: Record<string, { hash: string; ec: boolean }> = {
  "1.2.840.113549.1.1.11": { hash: "sha256", ec: false },
  "1.2.840.10045.4.3.2": { hash: "sha256", ec: true },
};

/**
 * Verifies the signature of a DER `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }` (a certificate or a PKCS#10
 * request) with node:crypto only: the signed bytes are taken from the DER as they are.
 */
export function verifySignedDer(der: Uint8Array, publicKeySpki: Uint8Array): boolean {
  const outer = readElement(der);
  const [tbs, algorithm, signature] = childrenOf(der, outer);
  if (!tbs || !algorithm || !signature) throw new Error("not a signed structure");
  const [oid] = childrenOf(der, algorithm);
  if (!oid) throw new Error("no signature algorithm");
  const oidText = oidOf(contentOf(der, oid));
  const how = SIGNATURE_ALGORITHMS[oidText];
  if (!how) throw new Error(`unexpected signature algorithm ${oidText}`);
  const bits = contentOf(der, signature);
  const key = createPublicKey({ key: Buffer.from(publicKeySpki), format: "der", type: "spki" });
  return verify(how.hash, encodingOf(der, tbs), key, bits.subarray(1));
}

/** The SubjectPublicKeyInfo DER of a public JWK. */
export const spkiOf = (jwk: PublicJwk): Uint8Array =>
  new Uint8Array(createPublicKey({ key: { ...jwk }, format: "jwk" }).export({ type: "spki", format: "der" }) as Buffer);

/** node:crypto's own reading of a certificate (an X.509 parser independent of @peculiar/x509). */
export const nodeCertificate = (cert: X509Certificate): NodeCertificate =>
  new NodeCertificate(Buffer.from(cert.rawData));
