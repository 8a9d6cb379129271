/**
 * RFC 3161 time-stamp tokens as JAdES carries them (`adoTst` in the protected header, `sigTst` and `arcTst` in the
 * unprotected `etsiU`): a CMS SignedData whose content is a TSTInfo. Checked here: the token's message imprint is the
 * hash of the data it claims to time-stamp, the TSA's CMS signature verifies (signed attributes with the
 * `messageDigest` of the TSTInfo, signature by a certificate carried in the token), and the time it gives. Not checked:
 * whether the TSA is trusted (a qualified TSA on a trusted list) and its certificate's revocation status.
 *
 * @peculiar/asn1-cms parses the CMS structure (it is installed with @peculiar/x509); the TSTInfo, which that package
 * does not model, is read with the project's small DER reader (`asn1.ts`). Signatures are verified with node:crypto.
 */
import { constants, createHash, X509Certificate as NodeCertificate, verify as verifySignature } from "node:crypto";
import { ContentInfo, SignedData } from "@peculiar/asn1-cms";
import { AsnConvert } from "@peculiar/asn1-schema";
import { childrenOf, contentOf, encodingOf, oidOf, readElement, TAG } from "./asn1.js";

const OID = {
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  messageDigest: "1.2.840.113549.1.9.4",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsaPss: "1.2.840.113549.1.1.10",
} as const;

/** DER tags: OCTET STRING, SET, and a SignerInfo's `[0] IMPLICIT` signed attributes. */
const OCTET_STRING = 0x04;
const SET = 0x31;
const SIGNED_ATTRIBUTES = 0xa0;

/** Digest algorithms by OID, as node:crypto names them. */
const DIGESTS: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/** Signature algorithm OIDs that name their digest (the SignerInfo's digestAlgorithm is used otherwise). */
const SIGNATURE_DIGESTS: Record<string, string> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
};

/** The content of a DER OCTET STRING (an attribute value is the whole element); empty when it is not one. */
function octets(der: Uint8Array): Uint8Array {
  try {
    const element = readElement(der);
    return element.tag === OCTET_STRING ? contentOf(der, element) : new Uint8Array();
  } catch {
    return new Uint8Array();
  }
}

/**
 * The first SignerInfo's signed attributes as the signature covers them (RFC 5652 §5.4): their DER as received, with
 * the `[0] IMPLICIT` tag replaced by SET. Read from the bytes (re-encoding parsed attributes could change them).
 */
function signedAttributesDer(signedData: Uint8Array): Uint8Array | undefined {
  try {
    const fields = childrenOf(signedData, readElement(signedData));
    const signerInfos = fields[fields.length - 1];
    if (!signerInfos || signerInfos.tag !== SET) return undefined;
    const [first] = childrenOf(signedData, signerInfos);
    if (!first) return undefined;
    const attributes = childrenOf(signedData, first).find((e) => e.tag === SIGNED_ATTRIBUTES);
    if (!attributes) return undefined;
    const bytes = new Uint8Array(encodingOf(signedData, attributes));
    bytes[0] = SET;
    return bytes;
  } catch {
    return undefined;
  }
}

/** What a time-stamp token says and whether it holds. */
export interface TimestampCheck {
  ok: boolean;
  /** The time the TSA gives (ISO 8601), when the TSTInfo could be read. */
  genTime?: string;
  /** The subject of the certificate whose key verified the token. */
  tsa?: string;
  /** That certificate (base64 DER), so a trust check can ask whether the TSA is trusted. */
  tsaCertificate?: string;
  /** The token's other certificates (base64 DER): intermediates a TSA chain may need. */
  tsaCertificates?: string[];
  /** Why it does not hold. */
  reason?: string;
}

const hash = (algorithm: string, data: Uint8Array) => createHash(algorithm).update(data).digest();

/** `YYYYMMDDHHMMSS[.f]Z` (GeneralizedTime) as ISO 8601. */
function generalizedTime(text: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text);
  if (!m) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ""}Z`;
}

/** The TSTInfo's message imprint and time. */
function readTstInfo(der: Uint8Array): { algorithm: string; imprint: Uint8Array; genTime?: string } {
  const fields = childrenOf(der, readElement(der));
  const [, , messageImprint, , genTime] = fields;
  if (!messageImprint || messageImprint.tag !== TAG.sequence || !genTime) throw new RangeError("not a TSTInfo");
  const [algorithmId, hashed] = childrenOf(der, messageImprint);
  if (!algorithmId || !hashed) throw new RangeError("TSTInfo: no message imprint");
  const [oid] = childrenOf(der, algorithmId);
  if (!oid) throw new RangeError("TSTInfo: no hash algorithm");
  const algorithm = DIGESTS[oidOf(contentOf(der, oid))];
  if (!algorithm) throw new RangeError("TSTInfo: unsupported hash algorithm");
  const time = generalizedTime(Buffer.from(contentOf(der, genTime)).toString("latin1"));
  return { algorithm, imprint: contentOf(der, hashed), ...(time ? { genTime: time } : {}) };
}

/**
 * Checks a base64 (DER) RFC 3161 time-stamp token against the bytes it should time-stamp. Never throws: a token that
 * cannot be read is `ok: false` with the reason.
 */
export function checkTimestampToken(tokenBase64: string, data: Uint8Array): TimestampCheck {
  let signedData: SignedData;
  let signedDataDer: Uint8Array;
  let tstInfo: Uint8Array;
  try {
    const info = AsnConvert.parse(Buffer.from(tokenBase64, "base64"), ContentInfo);
    if (info.contentType !== OID.signedData) return { ok: false, reason: "not a CMS SignedData" };
    signedDataDer = new Uint8Array(info.content);
    signedData = AsnConvert.parse(info.content, SignedData);
    if (signedData.encapContentInfo.eContentType !== OID.tstInfo)
      return { ok: false, reason: "not a time-stamp token" };
    const content = signedData.encapContentInfo.eContent?.single;
    if (!content) return { ok: false, reason: "the token has no TSTInfo" };
    tstInfo = new Uint8Array(content.buffer);
  } catch (error) {
    return { ok: false, reason: `unreadable token: ${error instanceof Error ? error.message : String(error)}` };
  }
  let parsed: ReturnType<typeof readTstInfo>;
  try {
    parsed = readTstInfo(tstInfo);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const at = parsed.genTime ? { genTime: parsed.genTime } : {};
  if (!hash(parsed.algorithm, data).equals(Buffer.from(parsed.imprint))) {
    return { ok: false, ...at, reason: "its message imprint is not the hash of the time-stamped data" };
  }
  const signer = signedData.signerInfos[0];
  const signedBytes = signedAttributesDer(signedDataDer);
  if (!signer?.signedAttrs || !signedBytes) {
    return { ok: false, ...at, reason: "the token's signer has no signed attributes" };
  }
  const digestName = DIGESTS[signer.digestAlgorithm.algorithm];
  if (!digestName) return { ok: false, ...at, reason: "unsupported digest algorithm in the token's signer" };
  const messageDigest = signer.signedAttrs.find((a) => a.attrType === OID.messageDigest)?.attrValues[0];
  const expected = hash(digestName, tstInfo);
  if (!messageDigest || !Buffer.from(octets(new Uint8Array(messageDigest))).equals(expected)) {
    return { ok: false, ...at, reason: "the signed messageDigest is not the digest of the TSTInfo" };
  }
  const signatureDigest = SIGNATURE_DIGESTS[signer.signatureAlgorithm.algorithm] ?? digestName;
  const signature = Buffer.from(new Uint8Array(signer.signature.buffer));
  for (const choice of signedData.certificates ?? []) {
    if (!choice.certificate) continue;
    let certificate: NodeCertificate;
    try {
      certificate = new NodeCertificate(Buffer.from(AsnConvert.serialize(choice.certificate)));
    } catch {
      continue;
    }
    const pss = signer.signatureAlgorithm.algorithm === OID.rsaPss;
    let valid = false;
    try {
      valid = verifySignature(
        signatureDigest,
        signedBytes,
        pss
          ? {
              key: certificate.publicKey,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_AUTO,
            }
          : certificate.publicKey,
        signature,
      );
    } catch {
      valid = false;
    }
    if (valid) {
      const others = (signedData.certificates ?? [])
        .flatMap((c) => (c.certificate ? [Buffer.from(AsnConvert.serialize(c.certificate)).toString("base64")] : []))
        .filter((c) => c !== certificate.raw.toString("base64"));
      return {
        ok: true,
        ...at,
        tsa: certificate.subject.replace(/\n/g, ", "),
        tsaCertificate: certificate.raw.toString("base64"),
        ...(others.length > 0 ? { tsaCertificates: others } : {}),
      };
    }
  }
  return { ok: false, ...at, reason: "no certificate in the token verifies the TSA's signature" };
}
