import { describe, expect, it } from "vitest";
import { applySealCertificate, type SealCertificateSubject } from "../../../../mappings/elm/seal.js";
import { corpusJson } from "../../../support/corpus.js";

const EC_UNSIGNED = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
const EC_SIGNED = "elm/samples/Sample-MC-Annex1-signed.jsonld";
const SEALED_AT = new Date("2023-09-27T11:54:17.123Z");

/** The subject of the seal certificate in the EC's signed sample. */
const ecSealSubject = (): SealCertificateSubject => ({
  commonName: "TEST SEAL",
  organizationName: "ORGANIZACION TEST",
  organizationIdentifier: "VATES-A00000000",
  countryName: "ES",
});

// biome-ignore lint/suspicious/noExplicitAny: corpus JSON, narrowed by the assertions.
const signedPayload = (): any => JSON.parse(corpusJson(EC_SIGNED).payload);

describe("applySealCertificate", () => {
  it("appends a suffix to the issuer's id as EDC appends a UUID, leaving awarding bodies with that id apart", () => {
    // Prepare
    const unsigned = corpusJson(EC_UNSIGNED);
    const suffix = "f0de2587-9348-4fa9-b4d7-a77e34a9ac8a";
    // Act
    const sealed = applySealCertificate(unsigned, ecSealSubject(), SEALED_AT, { idSuffix: suffix });
    // Assess
    // biome-ignore lint/suspicious/noExplicitAny: asserted member by member.
    const doc = sealed as any;
    expect(doc.issuer.id).toBe(signedPayload().issuer.id);
    expect(doc.credentialSubject.hasClaim.awardedBy.awardingBody.id).toBe("urn:epass:org:1");
    expect(doc.credentialSubject.hasClaim.awardedBy.awardingBody.legalName).toEqual({ en: "University of Zed" });
  });

  it("fills the issuer of the EC's unsigned sample as EDC did in its signed one", () => {
    // Prepare
    const unsigned = corpusJson(EC_UNSIGNED);
    const signed = signedPayload();
    // Act
    const sealed = applySealCertificate(unsigned, ecSealSubject(), SEALED_AT);
    // Assess
    // biome-ignore lint/suspicious/noExplicitAny: asserted member by member.
    const issuer = sealed.issuer as any;
    expect(issuer.eIDASIdentifier).toEqual(signed.issuer.eIDASIdentifier);
    expect(issuer.legalName).toEqual(signed.issuer.legalName);
    expect(issuer.altLabel).toEqual(signed.issuer.altLabel);
    expect(issuer.location).toEqual(signed.issuer.location);
    expect(issuer.id).toBe(unsigned.issuer.id);
    expect(sealed.issued).toBe("2023-09-27T11:54:17Z");
    expect(sealed.issuanceDate).toBe("2023-09-27T11:54:17Z");
    const { issuer: _i, issued: _d, issuanceDate: _a, ...rest } = sealed;
    const { issuer: _ui, ...unsignedRest } = unsigned;
    expect(rest).toEqual(unsignedRest);
  });

  it("leaves its input as it was", () => {
    // Prepare
    const unsigned = corpusJson(EC_UNSIGNED);
    const before = JSON.stringify(unsigned);
    // Act
    applySealCertificate(unsigned, ecSealSubject(), SEALED_AT);
    // Assess
    expect(JSON.stringify(unsigned)).toBe(before);
  });

  it("replaces its own certificate location when sealed again, keeping the issuer's own", () => {
    // Prepare
    const once = applySealCertificate(corpusJson(EC_UNSIGNED), ecSealSubject(), SEALED_AT);
    // Act
    const twice = applySealCertificate(once, { ...ecSealSubject(), countryName: "PT" }, SEALED_AT);
    // Assess
    // biome-ignore lint/suspicious/noExplicitAny: asserted member by member.
    const locations = (twice.issuer as any).location as { id: string; address: { countryCode: { id: string } } }[];
    expect(locations.map((l) => [l.id, l.address.countryCode.id])).toEqual([
      ["urn:epass:location:2", "http://publications.europa.eu/resource/authority/country/IRL"],
      ["urn:certificateLocation:1", "http://publications.europa.eu/resource/authority/country/PRT"],
    ]);
  });

  it("writes no issuanceDate in the VCDM 2.0 (EBSI) form, whose context lacks the term", () => {
    // Prepare
    const credential = { "@context": ["https://www.w3.org/ns/credentials/v2"], issuer: "did:web:uni.example" };
    // Act
    const sealed = applySealCertificate(credential, ecSealSubject(), SEALED_AT);
    // Assess
    expect(sealed.issuanceDate).toBeUndefined();
    expect(sealed.issued).toBe("2023-09-27T11:54:17Z");
    expect(sealed.issuer).toMatchObject({ id: "did:web:uni.example", type: "Organisation" });
  });

  it("takes the country from an ETSI organizationIdentifier when the certificate has no C", () => {
    // Act
    const sealed = applySealCertificate({}, { organizationIdentifier: "NTRIE-123456" }, SEALED_AT);
    // Assess
    expect(sealed.issuer).toMatchObject({
      eIDASIdentifier: {
        notation: "NTRIE-123456",
        spatial: { id: "http://publications.europa.eu/resource/authority/country/IRL", prefLabel: { en: "Ireland" } },
      },
      location: [{ address: { countryCode: { id: "http://publications.europa.eu/resource/authority/country/IRL" } } }],
    });
  });

  it("reads the country of a locally defined scheme's identifier too (EN 319 412-1 5.1.4: two characters and ':')", () => {
    const sealed = applySealCertificate({}, { organizationIdentifier: "XT:DE-TEST-hs" }, SEALED_AT);
    expect(sealed.issuer).toMatchObject({
      eIDASIdentifier: {
        notation: "XT:DE-TEST-hs",
        spatial: { id: "http://publications.europa.eu/resource/authority/country/DEU" },
      },
    });
  });

  it("writes names in the language of the issuer's legal name", () => {
    // Act
    const sealed = applySealCertificate(
      { issuer: { id: "urn:x", type: "Organisation", legalName: { de: "Hochschule" } } },
      { organizationName: "Hochschule Beispiel", commonName: "HS Siegel" },
      SEALED_AT,
    );
    // Assess
    expect(sealed.issuer).toMatchObject({ legalName: { de: "Hochschule Beispiel" }, altLabel: { de: "HS Siegel" } });
  });

  it("refuses a certificate country that is not an ISO 3166-1 code", () => {
    // Act
    const apply = () => applySealCertificate({}, { countryName: "XX", organizationIdentifier: "VATXX-1" }, SEALED_AT);
    // Assess
    expect(apply).toThrow(RangeError);
  });
});
