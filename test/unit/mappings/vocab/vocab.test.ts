import { describe, expect, it } from "vitest";
import {
  CREDENTIAL_PROFILES,
  countryAlpha2,
  countryUri,
  ECTS,
  eqfConcept,
  eqfLevelNumber,
  fileTypeUri,
  isInScheme,
  languageTag,
  languageUri,
  lookupConcept,
  MODES,
  mediaTypeOf,
  SCHEMES,
} from "../../../../mappings/vocab/index.js";

describe("vocabularies", () => {
  it("knows the ELM concepts the EC micro-credential sample uses", () => {
    expect(lookupConcept("http://data.europa.eu/snb/education-credit/6fcec5c5af")?.label).toBe(
      "European Credit Transfer System",
    );
    expect(ECTS.scheme).toBe(SCHEMES.credit);
    expect(MODES.blended.uri).toBe("http://data.europa.eu/snb/learning-assessment/e92d221e4d");
    expect(CREDENTIAL_PROFILES.generic.uri).toBe("http://data.europa.eu/snb/credential/e34929035b");
    expect(lookupConcept("http://data.europa.eu/snb/eqf/9")).toBeUndefined();
  });

  it("reads EQF levels only from the EQF scheme, 1 to 8", () => {
    expect(eqfLevelNumber({ uri: "http://data.europa.eu/snb/eqf/6" })).toBe(6);
    expect(eqfLevelNumber({ notation: "7" })).toBe(7);
    expect(eqfLevelNumber({ uri: "http://data.europa.eu/snb/eqf/9" })).toBeUndefined();
    expect(eqfLevelNumber({ uri: "http://data.europa.eu/snb/qdr/6" })).toBeUndefined();
    expect(eqfLevelNumber(eqfConcept(4))).toBe(4);
    expect(() => eqfConcept(0)).toThrow(RangeError);
  });

  it("tells scheme membership by scheme or URI", () => {
    expect(isInScheme({ uri: "http://data.europa.eu/snb/assessment/6e6cb2cc78" }, SCHEMES.assessment)).toBe(true);
    expect(isInScheme({ uri: "urn:epass:concept:artefact" }, SCHEMES.assessment)).toBe(false);
    expect(isInScheme(undefined, SCHEMES.assessment)).toBe(false);
  });

  it("converts countries between alpha-2, alpha-3 and EU authority URIs", () => {
    expect(countryAlpha2("IRL")).toBe("IE");
    expect(countryAlpha2("http://publications.europa.eu/resource/authority/country/DEU")).toBe("DE");
    expect(countryAlpha2("fr")).toBe("FR");
    expect(countryAlpha2("XX")).toBeUndefined();
    expect(countryUri("IE")).toBe("http://publications.europa.eu/resource/authority/country/IRL");
  });

  it("converts languages and file types", () => {
    expect(languageTag("http://publications.europa.eu/resource/authority/language/ENG")).toBe("en");
    expect(languageTag("de-AT")).toBe("de");
    expect(languageUri("fr")).toBe("http://publications.europa.eu/resource/authority/language/FRA");
    expect(mediaTypeOf("http://publications.europa.eu/resource/authority/file-type/JPEG")).toBe("image/jpeg");
    expect(fileTypeUri("image/svg+xml")).toBe("http://publications.europa.eu/resource/authority/file-type/SVG");
    expect(fileTypeUri("application/x-unknown")).toBeUndefined();
  });
});
