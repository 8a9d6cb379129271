/**
 * Issuer (eSeal) certificates: certificate signing requests and local test certificates signed through the Signer
 * port (so a KMS key signs its own CSR and never leaves KMS), parsing of the chains issuers upload, and the
 * certificate references a JAdES header carries (`x5t#S256`, `kid`).
 *
 * @peculiar/x509 builds the structures; it signs through a WebCrypto-shaped object whose `subtle.sign` is the Signer
 * for the one private-key handle it is given and node's WebCrypto for everything else. WebCrypto ECDSA signatures are
 * r‖s, the same as the Signer's JOSE form, so no conversion is needed.
 */
// Must come first: @peculiar/x509 needs Reflect metadata as soon as it loads.
import "./reflect-metadata.js";
import { createHash, createPublicKey, webcrypto } from "node:crypto";
import {
  BasicConstraintsExtension,
  type JsonNameParams,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  Pkcs10CertificateRequestGenerator,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from "@peculiar/x509";
import type { PublicJwk, SignatureAlgorithm, Signer } from "../kernel/ports/index.js";
import { childrenOf, contentOf, encodeElement, encodingOf, oidOf, readElement, TAG } from "./asn1.js";

/** Key types a certificate is made for: the RSA key (EDC seals RS256) or the P-256 key. */
export type CertificateKeyType = "RSA-2048" | "P-256";

/** The subject of an issuer's eSeal certificate (ETSI EN 319 412-3: a legal person). */
export interface CertificateSubject {
  commonName: string;
  organizationName: string;
  /** ETSI EN 319 412-1 §5.1.4 form, e.g. `VATES-A00000000` or `NTRIE-123456`. */
  organizationIdentifier?: string;
  /** ISO 3166-1 alpha-2. */
  countryName: string;
  organizationalUnitName?: string;
}

/** A key held behind the Signer port, with its public half. */
export interface SigningKey {
  signer: Signer;
  keyRef: string;
  publicJwk: PublicJwk;
  keyType: CertificateKeyType;
}

/** Parameters of {@link createCsr}. */
export interface CsrParams extends SigningKey {
  subject: CertificateSubject;
}

/** Parameters of {@link createSelfSignedCertificate}. */
export interface SelfSignedParams extends SigningKey {
  subject: CertificateSubject;
  /** Start of validity (default: now); the certificate is valid for one year from it. */
  now?: Date;
}

/** What marks a local test certificate: its subject OU says so, and it has no QCStatements. */
export const LOCAL_TEST_CERTIFICATE_NOTICE = "EDC gateway local test certificate, not qualified";

const OID = {
  organizationIdentifier: "2.5.4.97",
  qcStatements: "1.3.6.1.5.5.7.1.3",
  /** ETSI EN 319 412-5 QcCompliance: the certificate is an EU qualified certificate. */
  qcCompliance: "0.4.0.1862.1.1",
} as const;

const WEB_ALGORITHM = {
  "RSA-2048": { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  "P-256": { name: "ECDSA", namedCurve: "P-256" },
} as const;

const SIGNING_ALGORITHM = {
  "RSA-2048": { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  "P-256": { name: "ECDSA", hash: "SHA-256" },
} as const;

const JOSE_ALGORITHM: Record<CertificateKeyType, SignatureAlgorithm> = { "RSA-2048": "RS256", "P-256": "ES256" };

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** The private-key handle handed to @peculiar/x509: shaped like a CryptoKey, it names a key behind the Signer. */
interface SignerKeyHandle {
  type: "private";
  extractable: false;
  algorithm: webcrypto.KeyAlgorithm;
  usages: webcrypto.KeyUsage[];
  keyRef: string;
}

/** node's WebCrypto, for verifying and hashing with @peculiar/x509 (its default provider is unset under Node). */
export const x509Crypto: webcrypto.Crypto = webcrypto as webcrypto.Crypto;

function hashName(algorithm: unknown): string | undefined {
  if (typeof algorithm !== "object" || algorithm === null || !("hash" in algorithm)) return undefined;
  const hash = algorithm.hash;
  if (typeof hash === "string") return hash.toUpperCase();
  if (typeof hash === "object" && hash !== null && "name" in hash && typeof hash.name === "string") {
    return hash.name.toUpperCase();
  }
  return undefined;
}

/**
 * A WebCrypto whose `subtle.sign` signs with `key` through the Signer when handed `handle`, and is node's WebCrypto
 * for every other call (exporting the public key, hashing, random serial numbers).
 */
function signerCrypto(key: SigningKey, handle: SignerKeyHandle): webcrypto.Crypto {
  const subtle = webcrypto.subtle;
  const sign = async (
    algorithm: webcrypto.AlgorithmIdentifier,
    cryptoKey: webcrypto.CryptoKey,
    data: webcrypto.BufferSource,
  ): Promise<ArrayBuffer> => {
    if ((cryptoKey as unknown) !== handle) return subtle.sign(algorithm, cryptoKey, data);
    const name = typeof algorithm === "string" ? algorithm : algorithm.name;
    if (name !== WEB_ALGORITHM[key.keyType].name || hashName(algorithm) !== "SHA-256") {
      throw new Error(`the ${key.keyType} key signs ${SIGNING_ALGORITHM[key.keyType].name} SHA-256 only, not ${name}`);
    }
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const signature = await key.signer.sign(key.keyRef, JOSE_ALGORITHM[key.keyType], bytes);
    return signature.slice().buffer;
  };
  const delegating = new Proxy(subtle, {
    get(target, property) {
      if (property === "sign") return sign;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    subtle: delegating,
    getRandomValues: (array) => webcrypto.getRandomValues(array),
    randomUUID: () => webcrypto.randomUUID(),
  } as webcrypto.Crypto;
}

/** The key pair @peculiar/x509 signs with: the real public key, and a handle for the private key behind the Signer. */
async function keyPairOf(key: SigningKey): Promise<{ crypto: webcrypto.Crypto; keys: webcrypto.CryptoKeyPair }> {
  const algorithm = WEB_ALGORITHM[key.keyType];
  const expectedKty = key.keyType === "RSA-2048" ? "RSA" : "EC";
  if (key.publicJwk.kty !== expectedKty) {
    throw new RangeError(`a ${key.keyType} certificate needs an ${expectedKty} key, got ${key.publicJwk.kty}`);
  }
  const publicKey = await webcrypto.subtle.importKey(
    "jwk",
    { ...key.publicJwk, ext: true } as webcrypto.JsonWebKey,
    algorithm,
    true,
    ["verify"],
  );
  const handle: SignerKeyHandle = {
    type: "private",
    extractable: false,
    algorithm: publicKey.algorithm,
    usages: ["sign"],
    keyRef: key.keyRef,
  };
  const privateKey = handle as unknown as webcrypto.CryptoKey;
  return { crypto: signerCrypto(key, handle), keys: { publicKey, privateKey } };
}

/** A directory string value: PrintableString when the text allows it (what CAs expect), else UTF8String. */
const directoryString = (value: string) =>
  Name.isPrintableString(value) ? { printableString: value } : { utf8String: value };

/** The subject as an X.501 Name, in the usual order C, O, OU, organizationIdentifier, CN. */
export function subjectName(subject: CertificateSubject): Name {
  const rdns: JsonNameParams = [{ C: [{ printableString: subject.countryName.toUpperCase() }] }];
  rdns.push({ O: [directoryString(subject.organizationName)] });
  if (subject.organizationalUnitName) rdns.push({ OU: [directoryString(subject.organizationalUnitName)] });
  if (subject.organizationIdentifier) {
    rdns.push({ [OID.organizationIdentifier]: [directoryString(subject.organizationIdentifier)] });
  }
  rdns.push({ CN: [directoryString(subject.commonName)] });
  return new Name(rdns);
}

/** Key usage of an eSeal certificate (ETSI EN 319 412-2): digitalSignature and nonRepudiation. */
const sealKeyUsage = () => new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true);

/**
 * A PKCS#10 certificate signing request for an issuer's key, signed by that key through the Signer (proof of
 * possession for the CA). PEM.
 */
export async function createCsr(params: CsrParams): Promise<string> {
  const { crypto, keys } = await keyPairOf(params);
  const csr = await Pkcs10CertificateRequestGenerator.create(
    {
      name: subjectName(params.subject),
      keys,
      signingAlgorithm: SIGNING_ALGORITHM[params.keyType],
      extensions: [sealKeyUsage()],
    },
    crypto,
  );
  return csr.toString("pem");
}

/**
 * A self-signed certificate for local mode, so that sealing works with no CA: the subject as given plus the OU
 * {@link LOCAL_TEST_CERTIFICATE_NOTICE}, no QCStatements (so no verifier takes it as qualified), an end-entity
 * eSeal key usage, valid one year from `now`.
 */
export async function createSelfSignedCertificate(params: SelfSignedParams): Promise<X509Certificate> {
  const { crypto, keys } = await keyPairOf(params);
  const notBefore = new Date(Math.floor((params.now ?? new Date()).getTime() / 1000) * 1000);
  return X509CertificateGenerator.createSelfSigned(
    {
      name: subjectName({ ...params.subject, organizationalUnitName: LOCAL_TEST_CERTIFICATE_NOTICE }),
      keys,
      notBefore,
      notAfter: new Date(notBefore.getTime() + ONE_YEAR_MS),
      signingAlgorithm: SIGNING_ALGORITHM[params.keyType],
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        sealKeyUsage(),
        await SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
}

/** Why a chain could not be read, and which item (0 = leaf) was at fault. */
export class CertificateChainError extends Error {
  readonly index: number;

  constructor(index: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CertificateChainError";
    this.index = index;
  }
}

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----$/;

/** The DER bytes of a certificate given as PEM or as base64 (standard or URL alphabet) DER. */
function derOf(text: string): Uint8Array {
  const trimmed = text.trim();
  const pem = PEM_CERTIFICATE.exec(trimmed);
  const body = (pem?.[1] ?? trimmed).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(body)) throw new RangeError("neither PEM nor base64 DER");
  return new Uint8Array(Buffer.from(body.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

/** One certificate from PEM or base64 DER; throws a `RangeError` when it is not one. */
export function parseCertificate(text: string): X509Certificate {
  const der = derOf(text);
  // The whole input must be one DER element: @peculiar/x509 would otherwise ignore trailing bytes.
  if (readElement(der).end !== der.length) throw new RangeError("trailing bytes after the certificate");
  return new X509Certificate(der);
}

/**
 * A chain as uploaded (leaf first, each item PEM or base64 DER). Throws a {@link CertificateChainError} naming the
 * first item that is not a certificate.
 */
export function parseCertificateChain(items: readonly string[]): {
  certificates: X509Certificate[];
  leaf: X509Certificate;
} {
  if (items.length === 0) throw new CertificateChainError(0, "the chain is empty");
  const certificates = items.map((item, index) => {
    try {
      return parseCertificate(item);
    } catch (error) {
      throw new CertificateChainError(index, `item ${index} is not a PEM or base64 DER X.509 certificate`, {
        cause: error,
      });
    }
  });
  const [leaf] = certificates;
  if (!leaf) throw new CertificateChainError(0, "the chain is empty");
  return { certificates, leaf };
}

/** A certificate's DER bytes. */
export const certificateDer = (cert: X509Certificate): Uint8Array => new Uint8Array(cert.rawData);

/** A certificate as standard base64 DER (what `x5c` and stored chains hold). */
export const certificateBase64 = (cert: X509Certificate): string => Buffer.from(cert.rawData).toString("base64");

/**
 * Whether the certificate names `uri` in its Subject Alternative Name: a `uniformResourceIdentifier` equal to it, or a
 * `dNSName` equal to its host (the two ways SD-JWT VC lets an `iss` HTTPS URI match the `x5c` end-entity certificate).
 */
export function namesUri(cert: X509Certificate, uri: string): boolean {
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  if (!san || !URL.canParse(uri)) return false;
  const host = new URL(uri).hostname.toLowerCase();
  return san.names.items.some(
    (name) => (name.type === "url" && name.value === uri) || (name.type === "dns" && name.value.toLowerCase() === host),
  );
}

/** Whether the certificate's public key is `publicJwk` (same key type and the same numbers). */
export function certificateMatchesKey(cert: X509Certificate, publicJwk: PublicJwk): boolean {
  let jwk: webcrypto.JsonWebKey;
  try {
    jwk = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: "der", type: "spki" }).export({
      format: "jwk",
    });
  } catch {
    return false;
  }
  if (jwk.kty !== publicJwk.kty) return false;
  if (jwk.kty === "RSA") return jwk.n === publicJwk.n && jwk.e === publicJwk.e;
  return jwk.crv === publicJwk.crv && jwk.x === publicJwk.x && jwk.y === publicJwk.y;
}

/** The JOSE `x5t#S256` of a certificate: base64url SHA-256 of its DER. */
export const x5tS256 = (cert: X509Certificate): string =>
  createHash("sha256").update(certificateDer(cert)).digest("base64url");

/** The fields of a TBSCertificate, read from the certificate's own bytes. */
function tbsFields(der: Uint8Array) {
  const certificate = readElement(der);
  const [tbs] = childrenOf(der, certificate);
  if (!tbs || tbs.tag !== TAG.sequence) throw new RangeError("not an X.509 certificate");
  const fields = childrenOf(der, tbs);
  const offset = fields[0]?.tag === TAG.context0 ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (serial?.tag !== TAG.integer || issuer?.tag !== TAG.sequence) throw new RangeError("not an X.509 certificate");
  return { fields, offset, serial, issuer };
}

/**
 * The JAdES `kid` as EDC (DSS) writes it: standard base64 of the DER `IssuerSerial` (RFC 5035) of the certificate:
 * `SEQUENCE { GeneralNames { directoryName [4] issuer Name }, serialNumber INTEGER }`, both copied byte for byte.
 */
export function jadesKid(cert: X509Certificate): string {
  const der = certificateDer(cert);
  const { serial, issuer } = tbsFields(der);
  const generalNames = encodeElement(TAG.sequence, encodeElement(TAG.directoryName, encodingOf(der, issuer)));
  return Buffer.from(encodeElement(TAG.sequence, generalNames, encodingOf(der, serial))).toString("base64");
}

/**
 * Whether the certificate is an EU qualified certificate: it has a QCStatements extension with QcCompliance
 * (ETSI EN 319 412-5). A local test certificate never has.
 */
export function isQualified(cert: X509Certificate): boolean {
  const extension = cert.getExtension(OID.qcStatements);
  if (!extension) return false;
  const bytes = new Uint8Array(extension.value);
  try {
    const statements = childrenOf(bytes, readElement(bytes));
    return statements.some((statement) => {
      const [id] = childrenOf(bytes, statement);
      return id?.tag === TAG.oid && oidOf(contentOf(bytes, id)) === OID.qcCompliance;
    });
  } catch {
    return false;
  }
}

/** Whether the certificate's key usage (when it has one) allows signing: digitalSignature or nonRepudiation. */
export function allowsSigning(cert: X509Certificate): boolean {
  const usage = cert.getExtension(KeyUsagesExtension);
  if (!usage) return true;
  return (usage.usages & (KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)) !== 0;
}

/**
 * The subject attributes of a seal certificate that a credential format may copy (EDC copies them into the ELM
 * issuer): what X.509 says, named as ETSI EN 319 412-1 names it. The ELM writer takes the same shape.
 */
export interface SealCertificateSubject {
  /** `CN`. */
  commonName?: string;
  /** `O`. */
  organizationName?: string;
  /** `organizationIdentifier` (2.5.4.97), ETSI EN 319 412-1 form: `VATES-A00000000`, `NTRIE-123456`. */
  organizationIdentifier?: string;
  /** `C`: ISO 3166-1 alpha-2. */
  countryName?: string;
}

/** The subject attributes EDC copies into a credential when sealing (see `mappings/elm/seal.ts`). */
export function sealSubjectOf(cert: X509Certificate): SealCertificateSubject {
  const first = (id: string) => cert.subjectName.getField(id)[0];
  const subject: SealCertificateSubject = {};
  const commonName = first("CN");
  const organizationName = first("O");
  const organizationIdentifier = first(OID.organizationIdentifier);
  const countryName = first("C");
  if (commonName) subject.commonName = commonName;
  if (organizationName) subject.organizationName = organizationName;
  if (organizationIdentifier) subject.organizationIdentifier = organizationIdentifier;
  if (countryName) subject.countryName = countryName;
  return subject;
}

/** Whether `cert` names `issuer` as its issuer: its issuer field and the issuer's subject are the same DER bytes. */
function namesIssuer(cert: X509Certificate, issuer: X509Certificate): boolean {
  const certDer = certificateDer(cert);
  const issuerDer = certificateDer(issuer);
  const { issuer: issuerField } = tbsFields(certDer);
  const { fields, offset } = tbsFields(issuerDer);
  const subjectField = fields[offset + 4];
  if (!subjectField) return false;
  return Buffer.from(encodingOf(certDer, issuerField)).equals(Buffer.from(encodingOf(issuerDer, subjectField)));
}

/**
 * Whether `cert` was issued by `issuer`: its issuer name is the issuer's subject name, and its signature verifies
 * with the issuer's public key (when WebCrypto knows the signature algorithm; `undefined` when it does not).
 */
export async function issuedBy(cert: X509Certificate, issuer: X509Certificate): Promise<boolean | undefined> {
  if (!namesIssuer(cert, issuer)) return false;
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true }, x509Crypto);
  } catch {
    return undefined;
  }
}

/** Hex SHA-256 of DER bytes: the key under which trust anchors are looked up by name. */
const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** Hex SHA-256 of the certificate's subject Name DER: the lookup key of a trust anchor. */
export function subjectKey(cert: X509Certificate): string {
  const der = certificateDer(cert);
  const { fields, offset } = tbsFields(der);
  const subject = fields[offset + 4];
  if (!subject) throw new RangeError("not an X.509 certificate: no subject");
  return sha256Hex(encodingOf(der, subject));
}

/** Hex SHA-256 of the certificate's issuer Name DER: equals {@link subjectKey} of the certificate that issued it. */
export function issuerKey(cert: X509Certificate): string {
  const der = certificateDer(cert);
  return sha256Hex(encodingOf(der, tbsFields(der).issuer));
}

/** Hex SHA-256 of the whole certificate. */
export const certificateSha256 = (cert: X509Certificate): string => sha256Hex(certificateDer(cert));

/** The subject as one line (`CN=…, O=…, C=…`), for reports. */
export const subjectLine = (cert: X509Certificate): string => cert.subject;

/** Whether a certificate may issue others: basicConstraints with cA true (a v1 certificate has none: not a CA). */
function isCa(cert: X509Certificate): boolean {
  return cert.getExtension(BasicConstraintsExtension)?.ca === true;
}

/** The outcome of {@link chainToAnchor}. */
export type ChainResult =
  | { ok: true; path: X509Certificate[]; anchor: X509Certificate }
  | { ok: false; path: X509Certificate[]; reason: string };

/** Longest path tried from the leaf to an anchor (leaf, intermediates, anchor). */
const MAX_CHAIN_LENGTH = 8;

/**
 * Builds a path from `leaf` up to a trust anchor and checks it: each certificate's issuer name is the next one's
 * subject and its signature verifies with the next one's key (@peculiar/x509 over WebCrypto), every intermediate is
 * a CA, and every certificate of the path below the anchor is valid at `at`. Intermediates come from `pool` (the
 * rest of `x5c`, JAdES `xVals`). A certificate that is itself an anchor (same bytes) is trusted directly. The anchor's
 * own validity is not checked: trusted lists name service certificates, and DSS takes the list entry as the anchor.
 *
 * Hand-written rather than @peculiar/x509's `X509ChainBuilder`, which builds a path but checks neither validity
 * periods nor CA flags and cannot look anchors up asynchronously (they live in the store, by subject name).
 */
export async function chainToAnchor(
  leaf: X509Certificate,
  pool: readonly X509Certificate[],
  findAnchors: (subjectKeyHex: string) => Promise<X509Certificate[]>,
  at: Date,
): Promise<ChainResult> {
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  const describe = (c: X509Certificate) => `"${c.subject}"`;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    if (current.notBefore > at || current.notAfter < at) {
      return {
        ok: false,
        path,
        reason: `${describe(current)} is not valid at ${at.toISOString()} (valid ${current.notBefore.toISOString()} to ${current.notAfter.toISOString()})`,
      };
    }
    const own = certificateSha256(current);
    const sameName = await findAnchors(subjectKey(current));
    const itself = sameName.find((a) => certificateSha256(a) === own);
    if (itself) return { ok: true, path, anchor: itself };
    const anchors = await findAnchors(issuerKey(current));
    for (const anchor of anchors) {
      if ((await issuedBy(current, anchor)) === true) return { ok: true, path: [...path], anchor };
    }
    const next = await firstIssuer(current, pool, path);
    if (!next) {
      const named = anchors.length > 0 ? " (a trusted certificate has its issuer's name but did not sign it)" : "";
      return { ok: false, path, reason: `no trusted root or intermediate issued ${describe(current)}${named}` };
    }
    if (!isCa(next)) return { ok: false, path, reason: `${describe(next)} is not a CA certificate` };
    path.push(next);
    current = next;
  }
  return { ok: false, path, reason: `no trusted root within ${MAX_CHAIN_LENGTH} certificates` };
}

async function firstIssuer(
  cert: X509Certificate,
  pool: readonly X509Certificate[],
  path: readonly X509Certificate[],
): Promise<X509Certificate | undefined> {
  const seen = new Set(path.map(certificateSha256));
  for (const candidate of pool) {
    if (seen.has(certificateSha256(candidate))) continue;
    if ((await issuedBy(cert, candidate)) === true) return candidate;
  }
  return undefined;
}
