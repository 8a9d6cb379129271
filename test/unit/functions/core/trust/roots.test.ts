import { describe, expect, it } from "vitest";
import { certificateRootsSource } from "../../../../../functions/core/trust/sources.js";
import type { TrustAnchorRecord, TrustListRecord } from "../../../../../functions/kernel/ports/index.js";
import { certificateBase64, subjectKey } from "../../../../../functions/proofs/x509.js";
import { makeCertificate, makeSealChain } from "../../../../support/trusted-lists.js";

// The certificate-roots trust source on its own: a chain that reaches an anchor vouches for the signer only when the
// signature made with the chain's key verified.

async function rootedSubjectFactory() {
  const { root, issuing, seal } = await makeSealChain("Roots QTSP");
  const anchor: TrustAnchorRecord = {
    certificate: certificateBase64(root.certificate),
    subjectKey: subjectKey(root.certificate),
    subject: root.certificate.subject,
    source: "configured",
  };
  const list: TrustListRecord = {
    source: "configured",
    kind: "configured",
    importedAt: "2026-06-01T00:00:00.000Z",
    anchorCount: 1,
  };
  const store = {
    listTrustLists: async () => [list],
    findTrustAnchors: async (key: string) => (key === anchor.subjectKey ? [anchor] : []),
  };
  const source = certificateRootsSource({ store, clock: { now: () => new Date() } });
  const chain = [certificateBase64(seal.certificate), certificateBase64(issuing.certificate)];
  return { source, chain };
}

describe("the certificate-roots trust source", () => {
  it("vouches for a seal whose verified signature chains to a configured root", async () => {
    // Prepare
    const { source, chain } = await rootedSubjectFactory();
    // Act
    const findings = await source.assess({ certificateChain: chain, awardingBodies: [], proofVerified: true });
    // Assess
    expect(findings.map((f) => f.status)).toEqual(["ok"]);
  });

  it("does not vouch for a chain copied onto a signature that did not verify", async () => {
    // Prepare
    const { source, chain } = await rootedSubjectFactory();
    // Act
    const findings = await source.assess({ certificateChain: chain, awardingBodies: [], proofVerified: false });
    // Assess
    expect(findings.map((f) => f.status)).not.toContain("ok");
    expect(findings).toEqual([expect.objectContaining({ status: "skipped", detail: "the proof did not verify" })]);
  });
});

// Which time the seal's chain is checked at (review fix): never the signer's own sigT; the genTime of a signature
// time-stamp whose TSA chains to a trusted root; else the verification time.
const DAY = 24 * 60 * 60 * 1000;

async function expiredSealFactory() {
  const now = Date.now();
  const longAgo = new Date(now - 1000 * DAY);
  const root = await makeCertificate({ subject: "CN=Time Root CA, C=LU", ca: true, notBefore: longAgo });
  const issuing = await makeCertificate({ subject: "CN=Time eSeal CA, C=LU", ca: true, notBefore: longAgo }, root);
  const seal = await makeCertificate(
    {
      subject: "CN=Expired Seal, C=LU",
      ca: false,
      notBefore: new Date(now - 400 * DAY),
      notAfter: new Date(now - 30 * DAY),
    },
    issuing,
  );
  const trustedTsa = await makeCertificate({ subject: "CN=Trusted TSA, C=LU", ca: false, notBefore: longAgo }, issuing);
  const rogueTsa = await makeCertificate({ subject: "CN=Rogue TSA, C=LU", ca: false, notBefore: longAgo });
  const anchor: TrustAnchorRecord = {
    certificate: certificateBase64(root.certificate),
    subjectKey: subjectKey(root.certificate),
    subject: root.certificate.subject,
    source: "configured",
  };
  const list: TrustListRecord = {
    source: "configured",
    kind: "configured",
    importedAt: "2026-06-01T00:00:00.000Z",
    anchorCount: 1,
  };
  const store = {
    listTrustLists: async () => [list],
    findTrustAnchors: async (key: string) => (key === anchor.subjectKey ? [anchor] : []),
  };
  return {
    source: certificateRootsSource({ store, clock: { now: () => new Date(now) } }),
    chain: [certificateBase64(seal.certificate), certificateBase64(issuing.certificate)],
    issuingBase64: certificateBase64(issuing.certificate),
    whileValid: new Date(now - 100 * DAY).toISOString(),
    trustedTsa: certificateBase64(trustedTsa.certificate),
    rogueTsa: certificateBase64(rogueTsa.certificate),
  };
}

describe("the time the certificate-roots source checks a seal's chain at", () => {
  it("does not take a backdated sigT: an expired seal with no time-stamp is checked now, and fails", async () => {
    // Prepare
    const { source, chain, whileValid } = await expiredSealFactory();
    // Act
    const findings = await source.assess({
      certificateChain: chain,
      signingTime: whileValid,
      awardingBodies: [],
      proofVerified: true,
    });
    // Assess
    expect(findings).toEqual([expect.objectContaining({ status: "error" })]);
    expect(findings[0]?.detail).toMatch(/"CN=Expired Seal, C=LU" is not valid at/);
    expect(findings[0]?.detail).toMatch(
      /checked at the verification time: no verified signature time-stamp; the signer's claimed sigT is not relied on/,
    );
  });

  it("checks at the time proven by a signature time-stamp whose TSA chains to a trusted root", async () => {
    // Prepare
    const { source, chain, whileValid, trustedTsa, issuingBase64 } = await expiredSealFactory();
    // Act
    const findings = await source.assess({
      certificateChain: chain,
      signingTime: whileValid,
      signatureTimestamps: [{ time: whileValid, tsaCertificate: trustedTsa, tsaCertificates: [issuingBase64] }],
      awardingBodies: [],
      proofVerified: true,
    });
    // Assess
    expect(findings).toEqual([expect.objectContaining({ status: "ok" })]);
    expect(findings[0]?.detail).toContain(
      `checked at ${whileValid} (the time proven by the signature time-stamp of "CN=Trusted TSA, C=LU")`,
    );
  });

  it("does not take the time of a time-stamp whose TSA is on no trusted list", async () => {
    // Prepare
    const { source, chain, whileValid, rogueTsa } = await expiredSealFactory();
    // Act
    const findings = await source.assess({
      certificateChain: chain,
      signatureTimestamps: [{ time: whileValid, tsaCertificate: rogueTsa }],
      awardingBodies: [],
      proofVerified: true,
    });
    // Assess
    expect(findings).toEqual([expect.objectContaining({ status: "error" })]);
    expect(findings[0]?.detail).toMatch(
      /checked at the verification time: no signature time-stamp from a trusted TSA \(1 time-stamp whose TSA/,
    );
  });
});
