/**
 * The smallest ELM credential the EDC application profile accepts once sealed (the gateway adds `issued` and the
 * issuer from the seal certificate): the mandatory profile, schema and display (a 1×1 PNG as its page image), one
 * learner with one achievement. For tests that need a few hundred bytes of sealable ELM, not the EC's 200 KB sample.
 */
const concept = (id: string, scheme: string, label: string, notation?: string) => ({
  id,
  type: "Concept",
  inScheme: { id: scheme, type: "ConceptScheme" },
  ...(notation ? { notation } : {}),
  prefLabel: { en: label },
});

const ENGLISH = concept(
  "http://publications.europa.eu/resource/authority/language/ENG",
  "http://publications.europa.eu/resource/authority/language",
  "English",
  "en",
);

/** A 1×1 transparent PNG. */
const PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

export function minimalElmCredential(id = "urn:credential:minimal-1"): Record<string, unknown> {
  const org = { id: "urn:epass:org:1", type: "Organisation", legalName: { en: "Hochschule Y" } };
  return {
    "@context": ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"],
    id,
    type: ["VerifiableCredential", "EuropeanDigitalCredential"],
    credentialSubject: {
      id: "urn:epass:person:1",
      type: "Person",
      givenName: { en: "Ana" },
      familyName: { en: "Andromeda" },
      hasClaim: {
        id: "urn:epass:learningAchievement:1",
        type: "LearningAchievement",
        title: { en: "Digital credentials" },
        awardedBy: { id: "urn:epass:awardingProcess:1", type: "AwardingProcess", awardingBody: org },
      },
    },
    issuer: org,
    validFrom: "2026-01-01T00:00:00Z",
    credentialProfiles: concept(
      "http://data.europa.eu/snb/credential/e34929035b",
      "http://data.europa.eu/snb/credential/25831c2",
      "Generic",
    ),
    credentialSchema: { id: "http://data.europa.eu/snb/model/ap/edc-generic-full", type: "ShaclValidator2017" },
    displayParameter: {
      id: "urn:epass:displayParameter:1",
      type: "DisplayParameter",
      title: { en: "Digital credentials" },
      language: ENGLISH,
      primaryLanguage: ENGLISH,
      individualDisplay: {
        id: "urn:epass:individualDisplay:1",
        type: "IndividualDisplay",
        language: ENGLISH,
        displayDetail: {
          id: "urn:epass:displayDetail:1",
          type: "DisplayDetail",
          page: 1,
          image: {
            id: "urn:epass:mediaObject:1",
            type: "MediaObject",
            content: PIXEL,
            contentEncoding: concept(
              "http://data.europa.eu/snb/encoding/6146cde7dd",
              "http://data.europa.eu/snb/encoding/25831c2",
              "base64",
            ),
            contentType: concept(
              "http://publications.europa.eu/resource/authority/file-type/PNG",
              "http://publications.europa.eu/resource/authority/file-type",
              "PNG",
            ),
          },
        },
      },
    },
  };
}
