/**
 * Trust registry fixtures: throw-away certification authorities (root, intermediate, seal certificates made with
 * @peculiar/x509 over WebCrypto), EU trusted lists written in the ETSI TS 119 612 shape, and JAdES seals made with
 * those keys through the gateway's own `sealJades`.
 */
import "../../functions/proofs/reflect-metadata.js";
import { webcrypto } from "node:crypto";
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
  X509CertificateGenerator,
} from "@peculiar/x509";
import type { Signer } from "../../functions/kernel/ports/index.js";
import { type JadesEnvelope, sealJades } from "../../functions/proofs/jades.js";
import { certificateBase64, x509Crypto } from "../../functions/proofs/x509.js";

const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const DAY = 24 * 60 * 60 * 1000;

export interface Issued {
  certificate: X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

export interface CertOptions {
  subject: string;
  ca: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

/** A new RSA key pair and a certificate for it, issued by `issuer` (self-signed when absent). */
export async function makeCertificate(options: CertOptions, issuer?: Issued): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const extensions = options.ca
    ? [
        new BasicConstraintsExtension(true, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      ]
    : [new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true)];
  const certificate = await X509CertificateGenerator.create(
    {
      subject: options.subject,
      issuer: issuer ? issuer.certificate.subject : options.subject,
      publicKey: keys.publicKey,
      signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
      notBefore: options.notBefore ?? new Date(now - DAY),
      notAfter: options.notAfter ?? new Date(now + 365 * DAY),
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      extensions,
    },
    x509Crypto,
  );
  return { certificate, keys };
}

/** A root CA, an issuing CA under it, and a seal certificate issued by the issuing CA. */
export async function makeSealChain(prefix = "Test QTSP"): Promise<{ root: Issued; issuing: Issued; seal: Issued }> {
  const root = await makeCertificate({ subject: `CN=${prefix} Root CA, O=${prefix}, C=LU`, ca: true });
  const issuing = await makeCertificate(
    { subject: `CN=${prefix} Qualified eSeal CA, O=${prefix}, C=LU`, ca: true },
    root,
  );
  const seal = await makeCertificate(
    { subject: "CN=University of Test Seal, O=University of Test, 2.5.4.97=VATLU-12345678, C=LU", ca: false },
    issuing,
  );
  return { root, issuing, seal };
}

/** A Signer for one WebCrypto RSA private key (RS256), so `sealJades` can seal with a test certificate's key. */
export function webCryptoSigner(privateKey: webcrypto.CryptoKey): Signer {
  return {
    sign: async (_keyRef, alg, data) => {
      if (alg !== "RS256") throw new Error(`the test signer signs RS256 only, not ${alg}`);
      return new Uint8Array(await webcrypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, data));
    },
  };
}

/** Seals `credential` with the seal certificate's key; `chain` is what goes into `x5c` (leaf first). */
export function sealWithChain(
  credential: object,
  seal: Issued,
  chain: X509Certificate[] = [seal.certificate],
  now = new Date(),
): Promise<JadesEnvelope> {
  return sealJades(credential, {
    signer: webCryptoSigner(seal.keys.privateKey),
    keyRef: "test",
    alg: "RS256",
    chain,
    now,
  });
}

export const SVC = {
  caQc: "http://uri.etsi.org/TrstSvc/Svctype/CA/QC",
  caPkc: "http://uri.etsi.org/TrstSvc/Svctype/CA/PKC",
  tsa: "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST",
  granted: "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
  withdrawn: "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn",
  /** AdditionalServiceInformation: what a CA/QC service issues qualified certificates for. */
  forESeals: "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals",
  forESignatures: "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures",
  forWebSiteAuthentication: "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForWebSiteAuthentication",
} as const;

export interface ListedService {
  certificate: X509Certificate | string;
  type?: string;
  status?: string;
  name?: string;
  /** AdditionalServiceInformation URIs (`SVC.forESeals`...); none by default. */
  additionalServiceInformation?: string[];
}

export interface TrustedListFixture {
  territory: string;
  sequence?: number;
  tspName?: string;
  services?: ListedService[];
  /** LOTL: pointers to national lists. */
  pointers?: { territory: string; location: string }[];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A service's ServiceInformationExtensions holding its AdditionalServiceInformation URIs. */
function extensionsXml(uris: string[] | undefined): string {
  if (!uris || uris.length === 0) return "";
  const extensions = uris
    .map(
      (uri) => `
              <tsl:Extension Critical="false"><tsl:AdditionalServiceInformation><tsl:URI xml:lang="en">${uri}</tsl:URI></tsl:AdditionalServiceInformation></tsl:Extension>`,
    )
    .join("");
  return `
            <tsl:ServiceInformationExtensions>${extensions}
            </tsl:ServiceInformationExtensions>`;
}

/** A trusted list (or, with territory EU, the LOTL) in the ETSI TS 119 612 v2 XML shape, as the member states publish. */
export function trustedListXml(fixture: TrustedListFixture): string {
  const lotl = fixture.territory === "EU";
  const type = lotl
    ? "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists"
    : "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric";
  const pointers = (fixture.pointers ?? [])
    .map(
      (p) => `
      <tsl:OtherTSLPointer>
        <tsl:TSLLocation>${esc(p.location)}</tsl:TSLLocation>
        <tsl:AdditionalInformation>
          <tsl:OtherInformation><tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType></tsl:OtherInformation>
          <tsl:OtherInformation><tsl:SchemeTerritory>${p.territory}</tsl:SchemeTerritory></tsl:OtherInformation>
          <tsl:OtherInformation><ns3:MimeType xmlns:ns3="http://uri.etsi.org/02231/v2/additionaltypes#">application/vnd.etsi.tsl+xml</ns3:MimeType></tsl:OtherInformation>
        </tsl:AdditionalInformation>
      </tsl:OtherTSLPointer>`,
    )
    .join("");
  const services = (fixture.services ?? [])
    .map((s, i) => {
      const base64 = typeof s.certificate === "string" ? s.certificate : certificateBase64(s.certificate);
      return `
        <tsl:TSPService>
          <tsl:ServiceInformation>
            <tsl:ServiceTypeIdentifier>${s.type ?? SVC.caQc}</tsl:ServiceTypeIdentifier>
            <tsl:ServiceName><tsl:Name xml:lang="en">${esc(s.name ?? `Service ${i}`)}</tsl:Name></tsl:ServiceName>
            <tsl:ServiceDigitalIdentity>
              <tsl:DigitalId><tsl:X509Certificate>${base64}</tsl:X509Certificate></tsl:DigitalId>
            </tsl:ServiceDigitalIdentity>
            <tsl:ServiceStatus>${s.status ?? SVC.granted}</tsl:ServiceStatus>
            <tsl:StatusStartingTime>2020-01-01T00:00:00Z</tsl:StatusStartingTime>${extensionsXml(s.additionalServiceInformation)}
          </tsl:ServiceInformation>
        </tsl:TSPService>`;
    })
    .join("");
  const providers = lotl
    ? ""
    : `
  <tsl:TrustServiceProviderList>
    <tsl:TrustServiceProvider>
      <tsl:TSPInformation>
        <tsl:TSPName><tsl:Name xml:lang="fr">Fournisseur</tsl:Name><tsl:Name xml:lang="en">${esc(fixture.tspName ?? "Test QTSP S.A.")}</tsl:Name></tsl:TSPName>
      </tsl:TSPInformation>
      <tsl:TSPServices>${services}
      </tsl:TSPServices>
    </tsl:TrustServiceProvider>
  </tsl:TrustServiceProviderList>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="TrustServiceStatusList-1" TSLTag="http://uri.etsi.org/19612/TSLTag">
  <tsl:SchemeInformation>
    <tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier>
    <tsl:TSLSequenceNumber>${fixture.sequence ?? 1}</tsl:TSLSequenceNumber>
    <tsl:TSLType>${type}</tsl:TSLType>
    <tsl:SchemeOperatorName><tsl:Name xml:lang="en">Test supervisory body</tsl:Name></tsl:SchemeOperatorName>
    <tsl:SchemeTerritory>${fixture.territory}</tsl:SchemeTerritory>${pointers ? `\n    <tsl:PointersToOtherTSL>${pointers}\n    </tsl:PointersToOtherTSL>` : ""}
    <tsl:ListIssueDateTime>2026-05-01T00:00:00Z</tsl:ListIssueDateTime>
    <tsl:NextUpdate><tsl:dateTime>2026-11-01T00:00:00Z</tsl:dateTime></tsl:NextUpdate>
  </tsl:SchemeInformation>${providers}
</tsl:TrustServiceStatusList>
`;
}
