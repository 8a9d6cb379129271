import "../../../../../functions/proofs/reflect-metadata.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyUsageFlags } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../../functions/adapters/local/file-keys.js";
import {
  certificateSubjectOf,
  checkCertificateChain,
  makeTestCertificates,
  organizationIdentifierFor,
  sealingMaterialOf,
} from "../../../../../functions/core/issuers/certificates.js";
import { GatewayError } from "../../../../../functions/kernel/errors.js";
import type { IssuerRecord } from "../../../../../functions/kernel/ports/index.js";
import { certificateBase64, isQualified, parseCertificate } from "../../../../../functions/proofs/x509.js";
import { makeTestCa, type TestCa } from "../../../../support/certificates.js";

const DAY = 24 * 60 * 60 * 1000;

let dir: string;
let store: FileKeyStore;
let issuer: IssuerRecord;
let stranger: IssuerRecord;
let ca: TestCa;

async function anIssuer(slug: string): Promise<IssuerRecord> {
  const rsa = await store.createKey("RSA-2048", { issuerId: slug });
  const p256 = await store.createKey("P-256", { issuerId: slug });
  return {
    id: `did:web:gw.example:issuers:${slug}`,
    slug,
    didMethod: "web",
    name: "University of Zed",
    country: "IE",
    legalIdentifier: "IE-654321",
    keys: [
      { fragment: "key-p256", type: "P-256", keyRef: p256.keyRef, publicJwk: p256.publicJwk, algorithms: ["ES256"] },
      {
        fragment: "key-rsa",
        type: "RSA-2048",
        keyRef: rsa.keyRef,
        publicJwk: rsa.publicJwk,
        algorithms: ["RS256", "PS256"],
      },
    ],
    createdAt: "2026-01-01T00:00:00.000Z",
  };
}

const rsaOf = (record: IssuerRecord) => record.keys.find((k) => k.type === "RSA-2048")?.publicJwk ?? { kty: "RSA" };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "certs-keys-"));
  store = new FileKeyStore({ dir });
  issuer = await anIssuer("zed");
  stranger = await anIssuer("stranger");
  ca = await makeTestCa();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe("organizationIdentifierFor", () => {
  it.each([
    ["VATES-A00000000", "ES", "VATES-A00000000"],
    ["NTRIE-123456", "IE", "NTRIE-123456"],
    // A locally defined scheme (two characters and ":"), as the test issuers' identifier: kept.
    ["XT:IE-TEST-uni", "IE", "XT:IE-TEST-uni"],
    ["FR-123456789", "FR", "NTRFR-123456789"],
    ["HRB 12345", "DE", "NTRDE-HRB 12345"],
  ])("turns %s (%s) into %s", (legal, country, expected) => {
    expect(organizationIdentifierFor(legal, country)).toBe(expected);
  });

  it("leaves organizationIdentifier out of the subject of an issuer without a legal identifier", () => {
    expect(certificateSubjectOf({ name: "Zed", country: "IE" })).toEqual({
      commonName: "Zed",
      organizationName: "Zed",
      countryName: "IE",
    });
  });
});

describe("checkCertificateChain", () => {
  const now = new Date();

  it("accepts a CA-issued chain, leaf first, for the issuer's RSA key", async () => {
    // Prepare
    const leaf = await ca.issue(rsaOf(issuer));
    // Act
    const record = await checkCertificateChain(issuer, [leaf.toString("pem"), certificateBase64(ca.certificate)], now);
    // Assess
    expect(record).toEqual({
      keyFragment: "key-rsa",
      chain: [certificateBase64(leaf), certificateBase64(ca.certificate)],
      qualified: false,
      notAfter: leaf.notAfter.toISOString(),
    });
  });

  it.each([
    ["a chain given root first", async () => [ca.certificate, await ca.issue(rsaOf(issuer))], 0, "leaf first"],
    ["a leaf for another issuer's key", async () => [await ca.issue(rsaOf(stranger))], 0, "none of the issuer's keys"],
    [
      "an expired leaf",
      async () => [
        await ca.issue(rsaOf(issuer), {
          notBefore: new Date(Date.now() - 10 * DAY),
          notAfter: new Date(Date.now() - DAY),
        }),
      ],
      0,
      "expired",
    ],
    [
      "a leaf not valid yet",
      async () => [await ca.issue(rsaOf(issuer), { notBefore: new Date(Date.now() + DAY) })],
      0,
      "not valid before",
    ],
    [
      "a leaf whose key usage forbids signing",
      async () => [await ca.issue(rsaOf(issuer), { keyUsage: KeyUsageFlags.keyEncipherment })],
      0,
      "key usage",
    ],
    [
      "a leaf issued by another CA than the next",
      async () => [await ca.issue(rsaOf(issuer)), (await makeTestCa("CN=Other CA, C=LU")).certificate],
      1,
      "did not issue",
    ],
  ])("refuses %s, naming the certificate", async (_, chainOf, index, detail) => {
    // Prepare
    const chain = (await chainOf()).map(certificateBase64);
    // Act
    const error = await refusal(checkCertificateChain(issuer, chain, now));
    // Assess
    expect(error.code).toBe("unprocessable");
    expect(error.issues).toEqual([{ pointer: `/body/chain/${index}`, detail: expect.stringContaining(detail) }]);
  });

  it("refuses an item that is not a certificate, naming it", async () => {
    // Prepare
    const leaf = certificateBase64(await ca.issue(rsaOf(issuer)));
    // Act
    const error = await refusal(checkCertificateChain(issuer, [leaf, "bm90IGEgY2VydA=="], now));
    // Assess
    expect(error.issues.map((i) => i.pointer)).toEqual(["/body/chain/1"]);
  });
});

describe("local test certificates and sealing material", () => {
  it("makes a not-qualified certificate for each RSA and P-256 key, and seals with the RSA one", async () => {
    // Act
    const certificates = await makeTestCertificates({ signer: store, clock: { now: () => new Date() } }, issuer);
    const material = sealingMaterialOf({ ...issuer, certificates });
    // Assess
    expect(certificates.map((c) => [c.keyFragment, c.qualified, c.chain.length])).toEqual([
      ["key-p256", false, 1],
      ["key-rsa", false, 1],
    ]);
    const rsaCert = parseCertificate(certificates[1]?.chain[0] ?? "");
    expect(isQualified(rsaCert)).toBe(false);
    expect(rsaCert.subjectName.getField("2.5.4.97")).toEqual(["NTRIE-654321"]);
    expect(material).toMatchObject({ alg: "RS256", key: { fragment: "key-rsa" }, qualified: false });
    expect(await checkCertificateChain(issuer, material.chain, new Date())).toMatchObject({ keyFragment: "key-rsa" });
  });

  it("seals with the P-256 key when only it has a certificate, and refuses an issuer with none", async () => {
    // Prepare
    const certificates = await makeTestCertificates({ signer: store, clock: { now: () => new Date() } }, issuer);
    const p256Only = certificates.filter((c) => c.keyFragment === "key-p256");
    // Act
    const material = sealingMaterialOf({ ...issuer, certificates: p256Only });
    const error = (() => {
      try {
        sealingMaterialOf(issuer);
      } catch (caught) {
        return caught;
      }
    })();
    // Assess
    expect(material).toMatchObject({ alg: "ES256", key: { fragment: "key-p256" } });
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("unprocessable");
  });
});
