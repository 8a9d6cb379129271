import { describe, expect, it } from "vitest";
import type { TrustSource, TrustSubject } from "../../../../../functions/core/trust/trust.js";
import { verifyCredential } from "../../../../../functions/core/verify/verify.js";
import { corpusJson } from "../../../../support/corpus.js";

// What the verify use case hands the trust sources about a JAdES seal's time: the verified signature time-stamps
// (sigTst), with their TSA certificates, so that the certificate-roots source can check the chain at a proven time.

const EC_SIGNED = "elm/samples/Sample-MC-Annex1-signed.jsonld";

/** A trust source that vouches for nothing and keeps the subject it was asked about. */
function recordingSourceFactory() {
  const seen: TrustSubject[] = [];
  const source: TrustSource = {
    name: "recorder",
    async assess(subject) {
      seen.push(subject);
      return [];
    },
  };
  return { seen, source };
}

describe("the seal times the trust check is given", () => {
  it("passes the EC sample's verified signature time-stamp with its TSA certificate, besides the claimed sigT", async () => {
    // Prepare
    const { seen, source } = recordingSourceFactory();
    const deps = {
      store: {
        getIssuer: async () => undefined,
        listIssuers: async () => ({ items: [] }),
        findIssuerByDid: async () => undefined,
      },
      clock: { now: () => new Date("2026-06-01T00:00:00Z") },
      publicUrl: "https://gw.example.org",
      limits: { maxJsonDepth: 64, maxJsonKeys: 100_000 },
      trustSources: [source],
    };
    // Act
    await verifyCredential(deps, { verifiableCredential: corpusJson(EC_SIGNED) });
    // Assess
    expect(seen).toHaveLength(1);
    expect(seen[0]?.signingTime).toBe("2023-09-27T11:54:17Z");
    expect(seen[0]?.signatureTimestamps).toEqual([
      expect.objectContaining({
        time: "2023-09-27T11:54:20Z",
        tsa: "CN=good-tsa, O=Nowina Solutions, OU=PKI-TEST, C=LU",
        tsaCertificate: expect.stringMatching(/^MII/),
      }),
    ]);
  });
});
