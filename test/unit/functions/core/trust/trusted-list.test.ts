import { beforeAll, describe, expect, it } from "vitest";
import { parseTrustedList, TrustedListError } from "../../../../../functions/core/trust/trusted-list.js";
import { certificateBase64, subjectKey } from "../../../../../functions/proofs/x509.js";
import { type Issued, makeSealChain, SVC, trustedListXml } from "../../../../support/trusted-lists.js";

// Reading ETSI TS 119 612 trusted lists: which services become trust anchors, the LOTL's pointers, and refusals.
let chain: { root: Issued; issuing: Issued; seal: Issued };

beforeAll(async () => {
  chain = await makeSealChain();
});

describe("parseTrustedList", () => {
  it("takes the certificates of granted CA/QC services and counts the services it leaves out", () => {
    // Prepare
    const xml = trustedListXml({
      territory: "LU",
      sequence: 42,
      services: [
        { certificate: chain.issuing.certificate, name: "Qualified eSeal CA" },
        { certificate: chain.root.certificate, status: SVC.withdrawn },
        { certificate: chain.root.certificate, type: SVC.tsa },
        { certificate: chain.root.certificate, type: SVC.caPkc },
      ],
    });
    // Act
    const list = parseTrustedList(xml);
    // Assess
    expect(list).toMatchObject({
      kind: "tsl",
      territory: "LU",
      sequenceNumber: 42,
      nextUpdate: "2026-11-01T00:00:00Z",
    });
    expect(list.anchors).toEqual([
      {
        certificate: certificateBase64(chain.issuing.certificate),
        subjectKey: subjectKey(chain.issuing.certificate),
        subject: chain.issuing.certificate.subject,
        tspName: "Test QTSP S.A.",
        serviceName: "Qualified eSeal CA",
      },
    ]);
    expect(list.skipped).toEqual({ notCaQc: 2, notGranted: 1, notForSeals: 0, unreadableCertificates: 0 });
  });

  it("takes a CA/QC service for e-seals, and leaves out one that its extensions limit to other uses", () => {
    // Prepare: a website-authentication (QWAC) CA would otherwise anchor a "seal" made with a TLS certificate.
    const xml = trustedListXml({
      territory: "LU",
      services: [
        { certificate: chain.issuing.certificate, additionalServiceInformation: [SVC.forESignatures, SVC.forESeals] },
        { certificate: chain.root.certificate, additionalServiceInformation: [SVC.forWebSiteAuthentication] },
      ],
    });
    // Act
    const list = parseTrustedList(xml);
    // Assess
    expect(list.anchors.map((a) => a.certificate)).toEqual([certificateBase64(chain.issuing.certificate)]);
    expect(list.skipped).toMatchObject({ notForSeals: 1 });
  });

  it("reads the LOTL's pointers to the national lists and takes no anchors from it", () => {
    // Prepare
    const xml = trustedListXml({
      territory: "EU",
      pointers: [
        { territory: "BE", location: "https://tsl.belgium.be/tsl-be.xml" },
        { territory: "LU", location: "https://portail-qualite.public.lu/TSL-LU.xml" },
      ],
    });
    // Act
    const list = parseTrustedList(xml);
    // Assess
    expect(list.kind).toBe("lotl");
    expect(list.pointers).toEqual([
      { territory: "BE", location: "https://tsl.belgium.be/tsl-be.xml" },
      { territory: "LU", location: "https://portail-qualite.public.lu/TSL-LU.xml" },
    ]);
    expect(list.anchors).toEqual([]);
  });

  it("counts a service certificate that is not DER as unreadable instead of failing the import", () => {
    // Act
    const list = parseTrustedList(trustedListXml({ territory: "LU", services: [{ certificate: "bm90IGEgY2VydA==" }] }));
    // Assess
    expect(list.anchors).toEqual([]);
    expect(list.skipped.unreadableCertificates).toBe(1);
  });

  it.each([
    ["another XML document", "<Transcript xmlns='urn:x'><a/></Transcript>", /not an ETSI TS 119 612/],
    ["text that is not XML", "{}", /not readable XML/],
    [
      "a document with a DOCTYPE (entity expansion)",
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
      /not readable XML/,
    ],
  ])("refuses %s", (_what, xml, message) => {
    // Act
    const act = () => parseTrustedList(xml);
    // Assess
    expect(act).toThrow(TrustedListError);
    expect(act).toThrow(message);
  });
});
