/**
 * Issuers' eSeal certificates: the CSR an issuer takes to a (qualified) trust service provider, the chain it brings
 * back (checked against its keys before it is stored), local test certificates for local mode, and the key and chain
 * a JAdES seal is made with.
 */
import type { X509Certificate } from "@peculiar/x509";
import { GatewayError } from "../../kernel/errors.js";
import type {
  Clock,
  CredentialStore,
  IssuerCertificate,
  IssuerKey,
  IssuerRecord,
  SignatureAlgorithm,
  Signer,
} from "../../kernel/ports/index.js";
import {
  allowsSigning,
  CertificateChainError,
  type CertificateKeyType,
  type CertificateSubject,
  certificateBase64,
  certificateMatchesKey,
  createCsr,
  createSelfSignedCertificate,
  isQualified,
  issuedBy,
  parseCertificateChain,
} from "../../proofs/x509.js";
import { issuerSigner } from "./signer.js";

/** What the certificate use cases need. */
export interface CertificateDeps {
  store: CredentialStore;
  signer: Signer;
  clock: Clock;
}

/** The `?key=` values of the CSR route, and the key type each names. RSA is the default: EDC seals RS256. */
export const CSR_KEYS = { rsa: "RSA-2048", p256: "P-256" } as const satisfies Record<string, CertificateKeyType>;
export type CsrKey = keyof typeof CSR_KEYS;

/**
 * ETSI EN 319 412-1 §5.1.4: a three-character scheme (`VAT`, `NTR`, `PSD`, `LEI`, or two characters of a locally
 * defined scheme followed by `:`), the two-letter country, a hyphen, the reference.
 */
const ETSI_ORGANIZATION_IDENTIFIER = /^(?:[A-Z]{3}|[A-Z]{2}:)[A-Z]{2}-.+$/;

/**
 * The certificate `organizationIdentifier` for an issuer's legal identifier. One already in the ETSI form
 * (`VATES-A00000000`, `NTRIE-123456`) is kept; any other is taken as a national trade register number (`NTR`) of the
 * issuer's country, without a repeated country prefix (`FR-123` in France → `NTRFR-123`). The CA has the last word.
 */
export function organizationIdentifierFor(legalIdentifier: string, country: string): string {
  const id = legalIdentifier.trim();
  if (ETSI_ORGANIZATION_IDENTIFIER.test(id)) return id;
  const upper = country.toUpperCase();
  const rest = id.toUpperCase().startsWith(`${upper}-`) ? id.slice(upper.length + 1) : id;
  return `NTR${upper}-${rest}`;
}

/** The certificate subject of an issuer: its name as CN and O, its legal identifier, its country. */
export function certificateSubjectOf(
  issuer: Pick<IssuerRecord, "name" | "country" | "legalIdentifier">,
): CertificateSubject {
  return {
    commonName: issuer.name,
    organizationName: issuer.name,
    countryName: issuer.country,
    ...(issuer.legalIdentifier
      ? { organizationIdentifier: organizationIdentifierFor(issuer.legalIdentifier, issuer.country) }
      : {}),
  };
}

const isCertifiable = (key: IssuerKey): key is IssuerKey & { type: CertificateKeyType } =>
  key.type === "RSA-2048" || key.type === "P-256";

/**
 * A PKCS#10 CSR (PEM) for the issuer's RSA key (`key` absent or `rsa`) or P-256 key (`p256`), signed by that key.
 * A `key` that names no key type, or one the issuer does not have, is refused naming `/query/key`.
 */
export async function issuerCsr(
  deps: Pick<CertificateDeps, "signer">,
  issuer: IssuerRecord,
  key: string | undefined,
): Promise<{ pem: string; keyFragment: string }> {
  const choice = key ?? "rsa";
  if (!Object.hasOwn(CSR_KEYS, choice)) {
    throw new GatewayError("validation-failed", `key must be one of: ${Object.keys(CSR_KEYS).join(", ")}`, [
      { pointer: "/query/key", detail: `must be one of: ${Object.keys(CSR_KEYS).join(", ")}` },
    ]);
  }
  const type = CSR_KEYS[choice as CsrKey];
  const issuerKey = issuer.keys.filter(isCertifiable).find((k) => k.type === type);
  if (!issuerKey) {
    throw new GatewayError("unprocessable", `the issuer has no ${type} key`, [
      { pointer: "/query/key", detail: `the issuer has no ${type} key` },
    ]);
  }
  const pem = await createCsr({
    signer: issuerSigner(deps.signer, issuer.slug),
    keyRef: issuerKey.keyRef,
    publicJwk: issuerKey.publicJwk,
    keyType: issuerKey.type,
    subject: certificateSubjectOf(issuer),
  });
  return { pem, keyFragment: issuerKey.fragment };
}

const unprocessable = (index: number, detail: string) =>
  new GatewayError("unprocessable", `chain[${index}]: ${detail}`, [{ pointer: `/body/chain/${index}`, detail }]);

/**
 * Checks an uploaded chain (leaf first) against the issuer at `now`: every item is a certificate, the leaf certifies
 * one of the issuer's keys for signing, none is expired or not yet valid, and each certificate names the next as its
 * issuer and verifies with its key (when WebCrypto knows the algorithm). Answers the record to store.
 */
export async function checkCertificateChain(
  issuer: IssuerRecord,
  chain: readonly string[],
  now: Date,
): Promise<IssuerCertificate> {
  let parsed: { certificates: X509Certificate[]; leaf: X509Certificate };
  try {
    parsed = parseCertificateChain(chain);
  } catch (error) {
    if (error instanceof CertificateChainError) throw unprocessable(error.index, error.message);
    throw error;
  }
  const { certificates, leaf } = parsed;
  const key = issuer.keys.find((k) => certificateMatchesKey(leaf, k.publicJwk));
  if (!key) {
    const misplaced = certificates.findIndex((c) => issuer.keys.some((k) => certificateMatchesKey(c, k.publicJwk)));
    throw unprocessable(
      0,
      misplaced > 0
        ? `give the chain leaf first: chain[${misplaced}] is the certificate of the issuer's key`
        : "the certificate's public key is none of the issuer's keys",
    );
  }
  if (!allowsSigning(leaf)) {
    throw unprocessable(0, "the certificate's key usage allows neither digitalSignature nor nonRepudiation");
  }
  for (const [index, cert] of certificates.entries()) {
    if (now > cert.notAfter) throw unprocessable(index, `the certificate expired on ${cert.notAfter.toISOString()}`);
    if (now < cert.notBefore) {
      throw unprocessable(index, `the certificate is not valid before ${cert.notBefore.toISOString()}`);
    }
  }
  for (let index = 0; index + 1 < certificates.length; index += 1) {
    const cert = certificates[index];
    const next = certificates[index + 1];
    if (cert && next && (await issuedBy(cert, next)) === false) {
      throw unprocessable(index + 1, `this certificate did not issue chain[${index}]: give the chain leaf first`);
    }
  }
  return {
    keyFragment: key.fragment,
    chain: certificates.map(certificateBase64),
    qualified: isQualified(leaf),
    notAfter: leaf.notAfter.toISOString(),
  };
}

/** The issuer's chains with `certificate` in place of any earlier one for the same key. */
export const withCertificate = (issuer: IssuerRecord, certificate: IssuerCertificate): IssuerCertificate[] => [
  ...(issuer.certificates ?? []).filter((c) => c.keyFragment !== certificate.keyFragment),
  certificate,
];

/** Checks an uploaded chain (see {@link checkCertificateChain}) and stores it on the issuer; answers the issuer. */
export async function putIssuerCertificate(
  deps: Pick<CertificateDeps, "store" | "clock">,
  issuer: IssuerRecord,
  chain: readonly string[],
): Promise<IssuerRecord> {
  const certificate = await checkCertificateChain(issuer, chain, deps.clock.now());
  const certificates = withCertificate(issuer, certificate);
  await deps.store.setIssuerCertificates(issuer.slug, certificates);
  return { ...issuer, certificates };
}

/**
 * Local test certificates (self-signed, marked not qualified, valid one year) for each of the issuer's RSA and P-256
 * keys, so that local mode can seal with no CA.
 */
export async function makeTestCertificates(
  deps: Pick<CertificateDeps, "signer" | "clock">,
  issuer: Pick<IssuerRecord, "slug" | "name" | "country" | "legalIdentifier" | "keys">,
): Promise<IssuerCertificate[]> {
  const subject = certificateSubjectOf(issuer);
  const signer = issuerSigner(deps.signer, issuer.slug);
  const now = deps.clock.now();
  return Promise.all(
    issuer.keys.filter(isCertifiable).map(async (key) => {
      const cert = await createSelfSignedCertificate({
        signer,
        keyRef: key.keyRef,
        publicJwk: key.publicJwk,
        keyType: key.type,
        subject,
        now,
      });
      return {
        keyFragment: key.fragment,
        chain: [certificateBase64(cert)],
        qualified: false,
        notAfter: cert.notAfter.toISOString(),
      };
    }),
  );
}

/** What a JAdES seal is made with: the key, its algorithm, and the chain of its certificate (leaf first). */
export interface SealingMaterial {
  key: IssuerKey;
  alg: Extract<SignatureAlgorithm, "RS256" | "ES256">;
  chain: string[];
  qualified: boolean;
}

/**
 * The key and certificate chain an issuer seals with: its RSA key's (RS256, as EDC seals) when it has one, else its
 * P-256 key's (ES256). Fails with `unprocessable` when the issuer has no certificate yet.
 */
export function sealingMaterialOf(issuer: IssuerRecord): SealingMaterial {
  const candidates = (["RSA-2048", "P-256"] as const).flatMap((type) => {
    const key = issuer.keys.find((k) => k.type === type);
    const certificate = key && issuer.certificates?.find((c) => c.keyFragment === key.fragment);
    return key && certificate ? [{ key, certificate, alg: type === "RSA-2048" ? "RS256" : "ES256" } as const] : [];
  });
  const [chosen] = candidates;
  if (!chosen) {
    throw new GatewayError(
      "unprocessable",
      "the issuer has no eSeal certificate: upload one with PUT /v1/issuers/{id}/certificate",
      [{ pointer: "/body/options/issuer", detail: "has no eSeal certificate for a JAdES seal" }],
    );
  }
  return {
    key: chosen.key,
    alg: chosen.alg,
    chain: [...chosen.certificate.chain],
    qualified: chosen.certificate.qualified,
  };
}
