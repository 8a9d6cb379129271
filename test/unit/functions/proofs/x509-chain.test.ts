import type { X509Certificate } from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { chainToAnchor, issuerKey, subjectKey } from "../../../../functions/proofs/x509.js";
import { type Issued, makeCertificate, makeSealChain } from "../../../support/trusted-lists.js";

// Building and checking a seal certificate's path to a trust anchor (signatures, CA flags, validity at a time).
let chain: { root: Issued; issuing: Issued; seal: Issued };
const now = () => new Date();

/** Anchors found by subject-name key, as the trust store answers. */
const anchorsOf =
  (...anchors: X509Certificate[]) =>
  async (key: string) =>
    anchors.filter((a) => subjectKey(a) === key);

beforeAll(async () => {
  chain = await makeSealChain();
});

describe("chainToAnchor", () => {
  it("reaches an issuing CA listed as the anchor directly from the seal certificate", async () => {
    // Act
    const result = await chainToAnchor(chain.seal.certificate, [], anchorsOf(chain.issuing.certificate), now());
    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && result.anchor.subject).toBe(chain.issuing.certificate.subject);
  });

  it("reaches a root anchor through the intermediate carried next to the leaf", async () => {
    // Act
    const result = await chainToAnchor(
      chain.seal.certificate,
      [chain.issuing.certificate],
      anchorsOf(chain.root.certificate),
      now(),
    );
    // Assess
    expect(result.ok).toBe(true);
    expect(result.path).toHaveLength(2);
  });

  it("fails when the intermediate needed to reach the root is missing", async () => {
    // Act
    const result = await chainToAnchor(chain.seal.certificate, [], anchorsOf(chain.root.certificate), now());
    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/no trusted root or intermediate issued "CN=University of Test Seal/);
  });

  it("fails when an anchor has the issuer's name but another key (a look-alike CA)", async () => {
    // Prepare
    const lookAlike = await makeCertificate({ subject: chain.issuing.certificate.subject, ca: true });
    expect(subjectKey(lookAlike.certificate)).toBe(issuerKey(chain.seal.certificate));
    // Act
    const result = await chainToAnchor(chain.seal.certificate, [], anchorsOf(lookAlike.certificate), now());
    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/has its issuer's name but did not sign it/);
  });

  it("fails when the seal certificate was not valid at the time checked", async () => {
    // Act
    const later = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
    const result = await chainToAnchor(chain.seal.certificate, [], anchorsOf(chain.issuing.certificate), later);
    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/is not valid at/);
  });

  it("refuses an end-entity certificate used as an intermediate", async () => {
    // Prepare: a certificate issued by the seal certificate, which is no CA.
    const child = await makeCertificate({ subject: "CN=Child, C=LU", ca: false }, chain.seal);
    // Act
    const result = await chainToAnchor(
      child.certificate,
      [chain.seal.certificate],
      anchorsOf(chain.issuing.certificate),
      now(),
    );
    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/is not a CA certificate/);
  });
});
