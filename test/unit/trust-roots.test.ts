import { describe, expect, it } from "vitest";
import type { TrustAnchorRecord, TrustListRecord } from "../../functions/core/ports.js";
import { certificateRootsSource } from "../../functions/core/trust-sources.js";
import { certificateBase64, subjectKey } from "../../functions/proofs/x509.js";
import { makeSealChain } from "../support/trusted-lists.js";

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
