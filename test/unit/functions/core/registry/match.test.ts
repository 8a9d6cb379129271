import { describe, expect, it } from "vitest";
import { MemoryRegistryStore } from "../../../../../functions/adapters/local/memory-registry.js";
import { matchAwardingBody } from "../../../../../functions/core/registry/match.js";
import { applyRegistryView, registryViewOf } from "../../../../../functions/core/registry/quality-assurance.js";
import { DeqarTrustSource } from "../../../../../functions/core/registry/trust-source.js";
import { checkAnnex1 } from "../../../../../mappings/compliance/annex1.js";
import type { CanonicalCredential } from "../../../../../mappings/model.js";
import type { AwardingBodyRef } from "../../../../../mappings/registry/body.js";
import { completeMicroCredential } from "../../../../support/ob3.js";
import { registryInstitution, registryReport } from "../../../../support/registry.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const clock = { now: () => NOW };

const body = (overrides: Partial<AwardingBodyRef> = {}): AwardingBodyRef => ({
  identifiers: [],
  schac: [],
  names: [],
  countries: [],
  homepages: [],
  ...overrides,
});

async function registryWith(...institutions: Parameters<typeof registryInstitution>[0][]) {
  const store = new MemoryRegistryStore();
  for (const i of institutions) await store.putInstitution(registryInstitution(i));
  return store;
}

/** The complete micro-credential of the test support without any quality assurance, so the registry can fill it. */
function credentialWithoutQa(): CanonicalCredential {
  const c = completeMicroCredential();
  for (const claim of c.claims) {
    if (claim.specification) claim.specification.accreditations = [];
    for (const b of claim.awardingBodies) b.accreditations = [];
  }
  for (const e of c.evidence) e.accreditations = [];
  return c;
}

describe("matching an awarding body to the registry", () => {
  it("prefers the DEQAR id, then an identifier, then the SCHAC code, then the name in the country", async () => {
    // Prepare
    const registry = await registryWith({});

    // Act
    const byId = await matchAwardingBody(
      registry,
      body({ id: "https://data.deqar.eu/institution/9001", names: ["Other"] }),
    );
    const byPic = await matchAwardingBody(registry, body({ identifiers: [{ value: "999000111", scheme: "EU-PIC" }] }));
    const bySchac = await matchAwardingBody(registry, body({ homepages: ["https://www.uniz.edu/about"] }));
    const byName = await matchAwardingBody(registry, body({ names: ["University of ZED"], countries: ["IE"] }));

    // Assess
    expect(byId).toMatchObject({ matched: true, match: { method: "deqar-id", on: "DEQAR id DEQARINST9001" } });
    expect(byPic).toMatchObject({
      matched: true,
      match: { method: "legal-identifier", on: 'EU-PIC identifier "999000111"' },
    });
    expect(bySchac).toMatchObject({
      matched: true,
      match: { method: "schac", on: `SCHAC code "uniz.edu" (the home page's domain)` },
    });
    expect(byName).toMatchObject({
      matched: true,
      match: { method: "name-country", on: 'name "University of ZED" in IE' },
    });
  });

  it("takes no match from a name two institutions share, nor from a name without a country", async () => {
    // Prepare
    const registry = await registryWith(
      { key: "DEQARINST0001", deqarId: "DEQARINST0001", identifiers: [] },
      { key: "DEQARINST0002", deqarId: "DEQARINST0002", identifiers: [] },
    );

    // Act
    const shared = await matchAwardingBody(registry, body({ names: ["University of Zed"], countries: ["IE"] }));
    const noCountry = await matchAwardingBody(registry, body({ names: ["University of Zed"] }));

    // Assess
    expect(shared).toEqual({ matched: false, tried: ['name "University of Zed" in IE: 2 institutions (ambiguous)'] });
    expect(noCountry).toEqual({ matched: false, tried: ["no country: a name alone is not matched"] });
  });

  it("does not take an identifier match from an institution in another country than the body's", async () => {
    // Prepare
    const registry = await registryWith({});

    // Act
    const outcome = await matchAwardingBody(
      registry,
      body({ identifiers: [{ value: "999000111" }], countries: ["FR"] }),
    );

    // Assess
    expect(outcome).toEqual({ matched: false, tried: ['identifier "999000111": no institution'] });
  });
});

describe("the registry's view in the Annex I report", () => {
  it("fills a missing qualityAssurance from a current report and clears it from the missing elements", async () => {
    // Prepare: the support credential's body: University of Zed, IE, home page uniz.example.
    const registry = await registryWith({ identifiers: [{ resource: "SCHAC", value: "uniz.example" }] });
    await registry.putReport(registryReport());
    const credential = credentialWithoutQa();
    const report = checkAnnex1(credential);

    // Act
    const applied = applyRegistryView(report, await registryViewOf(registry, credential, NOW));

    // Assess
    expect(report.microCredential.missing).toEqual(["qualityAssurance"]);
    expect(applied.microCredential).toMatchObject({ compliant: true, missing: [] });
    expect(applied.elements.find((e) => e.element === "qualityAssurance")).toMatchObject({
      status: "present",
      source: "registry",
      value: {
        accreditations: ["Institutional evaluation by IEP (https://data.deqar.eu/report/90001)"],
        institution: "DEQARINST9001",
        report: "https://data.deqar.eu/report/90001",
      },
    });
    expect(applied.microCredential.deqar).toMatchObject({
      eligible: true,
      registry: { matched: true, institution: "DEQARINST9001", matchedBy: "schac", esgReviewed: true },
    });
  });

  it("fills nothing from an expired or negative report, and DEQAR's rule says why", async () => {
    // Prepare
    const registry = await registryWith({ identifiers: [{ resource: "SCHAC", value: "uniz.example" }] });
    await registry.putReport(registryReport({ id: "1", validFrom: "2015-01-01", validTo: "2020-12-31" }));
    await registry.putReport(registryReport({ id: "2", decision: "negative" }));
    const credential = credentialWithoutQa();

    // Act
    const applied = applyRegistryView(checkAnnex1(credential), await registryViewOf(registry, credential, NOW));

    // Assess
    expect(applied.elements.find((e) => e.element === "qualityAssurance")?.status).toBe("missing");
    expect(applied.microCredential.deqar.eligible).toBe(false);
    expect(applied.microCredential.deqar.reasons).toContain(
      "the DEQAR registry holds no current, non-negative quality assurance report for University of Zed",
    );
  });

  it("fails DEQAR's rule when the registry lists the institution at other QF-EHEA levels than the credential's", async () => {
    // Prepare: the credential is at EQF 6 (first cycle); the registry lists only the short cycle.
    const registry = await registryWith({
      identifiers: [{ resource: "SCHAC", value: "uniz.example" }],
      qfEheaLevels: ["short"],
    });
    await registry.putReport(registryReport());
    const credential = credentialWithoutQa();

    // Act
    const applied = applyRegistryView(checkAnnex1(credential), await registryViewOf(registry, credential, NOW));

    // Assess
    expect(applied.microCredential.deqar.reasons).toEqual([
      "the DEQAR registry lists University of Zed at the short cycle(s) only, not the first cycle",
    ]);
  });

  it("keeps the report as it was when the awarding body is not in the registry", async () => {
    // Prepare
    const registry = new MemoryRegistryStore();
    const credential = credentialWithoutQa();
    const report = checkAnnex1(credential);

    // Act
    const applied = applyRegistryView(report, await registryViewOf(registry, credential, NOW));

    // Assess
    expect(applied.elements).toEqual(report.elements);
    expect(applied.microCredential.deqar.eligible).toBe(report.microCredential.deqar.eligible);
    expect(applied.registry).toMatchObject({
      matched: false,
      tried: expect.arrayContaining([expect.stringMatching(/uniz\.example/)]),
    });
  });
});

describe("the DEQAR trust source", () => {
  it("vouches for the claims of a registered, ESG-reviewed awarding body, not for the signer", async () => {
    // Prepare
    const registry = await registryWith({});
    await registry.putReport(registryReport());
    const source = new DeqarTrustSource({ registry, clock });

    // Act
    const findings = await source.assess({ awardingBodies: [{ name: "University of Zed", country: "IE" }] });

    // Assess
    expect(findings).toEqual([
      {
        source: "deqar",
        scope: "claims",
        status: "ok",
        detail:
          'the awarding body "University of Zed" is the DEQAR-registered institution DEQARINST9001 "University of Zed" ' +
          '(matched by name "University of Zed" in IE), ESG-reviewed: Institutional evaluation by IEP valid until ' +
          "2029-12-31 (https://data.deqar.eu/report/90001)",
      },
    ]);
  });

  it("skips, never errs, for a body outside DEQAR or without a current review", async () => {
    // Prepare
    const registry = await registryWith({});
    const source = new DeqarTrustSource({ registry, clock });

    // Act
    const findings = await source.assess({
      awardingBodies: [
        { name: "University of Zed", country: "IE" },
        { name: "College of Nowhere", country: "FR" },
      ],
    });

    // Assess
    expect(findings.map((f) => [f.status, f.scope])).toEqual([
      ["skipped", "claims"],
      ["skipped", "claims"],
    ]);
    expect(findings[0]?.detail).toMatch(/DEQARINST9001.*no current ESG-based quality assurance report/);
    expect(findings[1]?.detail).toMatch(/not a DEQAR-registered institution/);
  });

  it("vouches for the signer when the verified issuer's DID is the one DEQAR records for the institution", async () => {
    // Prepare
    const registry = await registryWith({ identifiers: [{ resource: "DID-EBSI", value: "did:ebsi:zUniZed" }] });
    await registry.putReport(registryReport());
    const source = new DeqarTrustSource({ registry, clock });

    // Act
    const verified = await source.assess({
      issuerId: "did:ebsi:zUniZed",
      verificationMethod: "did:ebsi:zUniZed#key-1",
      proofVerified: true,
      awardingBodies: [],
    });
    const unverified = await source.assess({ issuerId: "did:ebsi:zUniZed", proofVerified: false, awardingBodies: [] });

    // Assess
    expect(verified).toEqual([expect.objectContaining({ status: "ok", scope: "signer" })]);
    expect(unverified).toEqual([expect.objectContaining({ status: "ok", scope: "claims" })]);
  });

  it("treats the issuer's DID as a claim when the verified proof was made with a key that is not the issuer's", async () => {
    // Prepare: anyone can name a registered institution's DID as issuer and sign with their own did:key.
    const registry = await registryWith({ identifiers: [{ resource: "DID-EBSI", value: "did:ebsi:zUniZed" }] });
    await registry.putReport(registryReport());
    const source = new DeqarTrustSource({ registry, clock });

    // Act
    const otherKey = await source.assess({
      issuerId: "did:ebsi:zUniZed",
      verificationMethod: "did:key:z6MkAttacker#z6MkAttacker",
      proofVerified: true,
      awardingBodies: [],
    });
    const noMethod = await source.assess({ issuerId: "did:ebsi:zUniZed", proofVerified: true, awardingBodies: [] });

    // Assess
    expect(otherKey).toEqual([expect.objectContaining({ status: "ok", scope: "claims" })]);
    expect(noMethod).toEqual([expect.objectContaining({ status: "ok", scope: "claims" })]);
  });
});
