import "../../../../functions/proofs/reflect-metadata.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pkcs10CertificateRequest } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../functions/adapters/local/file-keys.js";
import type { KeyRecord } from "../../../../functions/kernel/ports/index.js";
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
  jadesKid,
  LOCAL_TEST_CERTIFICATE_NOTICE,
  parseCertificate,
  parseCertificateChain,
  sealSubjectOf,
  x5tS256,
} from "../../../../functions/proofs/x509.js";
import { makeTestCa, nodeCertificate, spkiOf, verifySignedDer } from "../../../support/certificates.js";
import { corpusJson } from "../../../support/corpus.js";

const EC_SIGNED = "elm/samples/Sample-MC-Annex1-signed.jsonld";
const NOW = new Date("2026-03-01T10:00:00Z");

/** The protected header of the EC's sealed micro-credential sample. */
function ecHeader(): Record<string, unknown> & { x5c: string[]; kid: string; "x5t#S256": string } {
  const envelope = corpusJson(EC_SIGNED);
  return JSON.parse(Buffer.from(envelope.signatures[0].protected, "base64url").toString("utf8"));
}

const subject = (): CertificateSubject => ({
  commonName: "University of Zed Seal",
  organizationName: "University of Zed",
  organizationIdentifier: "NTRIE-654321",
  countryName: "IE",
});

let dir: string;
let store: FileKeyStore;
const keys = {} as Record<CertificateKeyType, KeyRecord>;
let otherRsa: KeyRecord;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "x509-keys-"));
  store = new FileKeyStore({ dir });
  keys["RSA-2048"] = await store.createKey("RSA-2048", { issuerId: "zed" });
  keys["P-256"] = await store.createKey("P-256", { issuerId: "zed" });
  otherRsa = await store.createKey("RSA-2048", { issuerId: "other" });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signingKey = (type: CertificateKeyType) => ({
  signer: store,
  keyRef: keys[type].keyRef,
  publicJwk: keys[type].publicJwk,
  keyType: type,
});

describe("JAdES certificate references, checked on the EC's sealed sample", () => {
  it("computes the sample's kid (base64 DER IssuerSerial) and x5t#S256 from its x5c[0]", () => {
    // Prepare
    const header = ecHeader();
    const [leaf] = header.x5c;
    // Act
    const cert = parseCertificate(leaf ?? "");
    // Assess
    expect(jadesKid(cert)).toBe(header.kid);
    expect(x5tS256(cert)).toBe(header["x5t#S256"]);
    expect(nodeCertificate(cert).serialNumber.toLowerCase()).toBe(cert.serialNumber.toLowerCase());
  });

  it("reads the seal subject EDC copies into the issuer node, and sees a qualified certificate", () => {
    // Prepare
    const cert = parseCertificate(ecHeader().x5c[0] ?? "");
    // Act
    const sealSubject = sealSubjectOf(cert);
    // Assess
    expect(sealSubject).toEqual({
      commonName: "TEST SEAL",
      organizationName: "ORGANIZACION TEST",
      organizationIdentifier: "VATES-A00000000",
      countryName: "ES",
    });
    expect(isQualified(cert)).toBe(true);
    expect(allowsSigning(cert)).toBe(true);
  });
});

describe("CSRs signed through the Signer port", () => {
  it.each(["RSA-2048", "P-256"] as const)("makes a %s CSR whose signature node:crypto verifies", async (type) => {
    // Act
    const pem = await createCsr({ ...signingKey(type), subject: subject() });
    // Assess
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----$/);
    const csr = new Pkcs10CertificateRequest(pem);
    expect(verifySignedDer(new Uint8Array(csr.rawData), spkiOf(keys[type].publicJwk))).toBe(true);
    expect(verifySignedDer(new Uint8Array(csr.rawData), spkiOf(otherRsa.publicJwk))).toBe(false);
    expect(Buffer.from(csr.publicKey.rawData)).toEqual(Buffer.from(spkiOf(keys[type].publicJwk)));
    expect(csr.subjectName.getField("CN")).toEqual(["University of Zed Seal"]);
    expect(csr.subjectName.getField("O")).toEqual(["University of Zed"]);
    expect(csr.subjectName.getField("2.5.4.97")).toEqual(["NTRIE-654321"]);
    expect(csr.subjectName.getField("C")).toEqual(["IE"]);
  });

  it("refuses a key of the wrong type for the certificate", async () => {
    // Act
    const made = createCsr({ ...signingKey("P-256"), publicJwk: keys["RSA-2048"].publicJwk, subject: subject() });
    // Assess
    await expect(made).rejects.toThrow(/needs an EC key/);
  });
});

describe("local test certificates", () => {
  it.each(["RSA-2048", "P-256"] as const)(
    "self-signs a %s certificate for the key, valid a year, marked not qualified",
    async (type) => {
      // Act
      const cert = await createSelfSignedCertificate({ ...signingKey(type), subject: subject(), now: NOW });
      // Assess: node:crypto reads and verifies it on its own.
      const node = nodeCertificate(cert);
      expect(node.verify(node.publicKey)).toBe(true);
      expect(node.issuer).toBe(node.subject);
      expect(node.subject).toContain(`OU=${LOCAL_TEST_CERTIFICATE_NOTICE.replace(",", "\\,")}`);
      expect(cert.subjectName.getField("OU")).toEqual(["EDC gateway local test certificate, not qualified"]);
      expect(node.ca).toBe(false);
      expect(new Date(node.validFrom)).toEqual(NOW);
      expect(new Date(node.validTo)).toEqual(new Date("2027-03-01T10:00:00Z"));
      expect(certificateMatchesKey(cert, keys[type].publicJwk)).toBe(true);
      expect(certificateMatchesKey(cert, otherRsa.publicJwk)).toBe(false);
      expect(isQualified(cert)).toBe(false);
      expect(cert.getExtension("1.3.6.1.5.5.7.1.3")).toBeNull();
      expect(allowsSigning(cert)).toBe(true);
      expect(sealSubjectOf(cert)).toEqual(subject());
      expect(await issuedBy(cert, cert)).toBe(true);
    },
  );
});

describe("uploaded chains", () => {
  it("reads certificates given as PEM, base64 DER or base64url DER", async () => {
    // Prepare
    const cert = await createSelfSignedCertificate({ ...signingKey("P-256"), subject: subject(), now: NOW });
    const base64 = certificateBase64(cert);
    // Act
    const { certificates, leaf } = parseCertificateChain([
      cert.toString("pem"),
      base64,
      Buffer.from(base64, "base64").toString("base64url"),
    ]);
    // Assess
    expect(certificates.map(certificateBase64)).toEqual([base64, base64, base64]);
    expect(certificateBase64(leaf)).toBe(base64);
  });

  it.each([
    ["text that is not base64", () => "not a certificate!"],
    ["base64 that is not DER", () => Buffer.from("hello").toString("base64")],
    [
      "a certificate followed by more bytes",
      (der: Buffer) => Buffer.concat([der, Buffer.from([0])]).toString("base64"),
    ],
  ])("names the item that is %s", async (_, bad) => {
    // Prepare
    const cert = await createSelfSignedCertificate({ ...signingKey("P-256"), subject: subject(), now: NOW });
    const der = Buffer.from(cert.rawData);
    // Act
    let error: unknown;
    try {
      parseCertificateChain([certificateBase64(cert), bad(der)]);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(CertificateChainError);
    expect((error as CertificateChainError).index).toBe(1);
  });

  it("tells which certificate issued which: name and signature", async () => {
    // Prepare
    const ca = await makeTestCa();
    const otherCa = await makeTestCa("CN=Another CA, C=LU");
    const impostor = await makeTestCa("CN=Test eSeal CA, O=Test Trust Services, C=LU");
    const leaf = await ca.issue(keys["RSA-2048"].publicJwk);
    // Act / Assess
    expect(await issuedBy(leaf, ca.certificate)).toBe(true);
    expect(await issuedBy(leaf, otherCa.certificate)).toBe(false);
    expect(await issuedBy(leaf, impostor.certificate)).toBe(false);
    expect(nodeCertificate(leaf).checkIssued(nodeCertificate(ca.certificate))).toBe(true);
    expect(certificateMatchesKey(leaf, keys["RSA-2048"].publicJwk)).toBe(true);
  });
});
