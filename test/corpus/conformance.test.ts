/**
 * Every conversion result says whether its document conforms to the target's rules, and the verdict is the official
 * one: ELM results against the EDC SHACL shapes of the corpus (run on the document as EDC seals it, since the sealer
 * writes the issuer and `issued`, which the result lists under `sealing`), OB 3.0 results against 1EdTech's JSON
 * Schema of the corpus, ELMO results against the ELMO v2.0 XSD of the corpus (xmllint-wasm; every corpus credential
 * and mutants of them: test/corpus/elmo-conformance-xmllint.test.ts).
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { convert } from "../../functions/core/convert/convert.js";
import { applySealCertificate } from "../../mappings/elm/seal.js";
import type { Conformance } from "../../mappings/model.js";
import { corpusJson, corpusText } from "../support/corpus.js";
import { elmoXsdErrors } from "../support/elmo-xsd.js";
import { schemaErrors } from "../support/ob3.js";
import { loadOb3, OB3_CREDENTIALS } from "../support/ob3-corpus.js";
import { type ShaclReport, validateElm } from "../support/shacl.js";
import { fixedTime, SYSTEM_TIME } from "../support/write-time.js";

const { limits } = readConfig({ GATEWAY_MODE: "local" });
const NOW = new Date("2025-01-01T00:00:00Z");
/** A seal certificate's subject as EDC copies it (test/support/sealed-elm.ts uses the same). */
const SEAL = {
  commonName: "Test University Seal",
  organizationName: "Test University",
  organizationIdentifier: "NTRIE-123456",
  countryName: "IE",
};

const localName = (iri: string): string => iri.slice(Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/")) + 1);
/** The JSON-LD term of a SHACL path's property (`dc:type` is `dcType` in the EDC context). */
const term = (iri: string): string =>
  iri === "http://purl.org/dc/terms/type" ? "dcType" : iri.endsWith("/contentUrl") ? "contentURL" : localName(iri);
/** The property a violation path names (its last step that is not an array index). */
const propertyOf = (path: string): string =>
  path
    .split("/")
    .filter((s) => s !== "" && !/^\d+$/.test(s))
    .pop() ?? "";

const shaclProperties = (report: ShaclReport): string[] =>
  [...new Set(report.results.map((r) => (r.path ? term(r.path) : "-")))].sort();
const ourProperties = (c: Conformance): string[] => [...new Set(c.violations.map((v) => propertyOf(v.path)))].sort();

async function elmResult(document: unknown, from?: "ob3" | "csv" | "elm", options: Record<string, unknown> = {}) {
  const out = await convert({ to: "elm", ...(from ? { from } : {}), document, options }, limits, fixedTime(NOW));
  const result = out.results[0];
  if (!result) throw new Error("no result");
  return result;
}

async function shaclOfSealed(document: unknown): Promise<ShaclReport> {
  const sealed = applySealCertificate(structuredClone(document) as Record<string, unknown>, SEAL, NOW, {
    idSuffix: "-sealed",
  });
  return validateElm(sealed, ["generic-full"]);
}

describe("conformance of ELM results agrees with the official EDC shapes", () => {
  it.each(OB3_CREDENTIALS)("%s → ELM", async (file) => {
    // Prepare
    const input = loadOb3(file);
    // Act
    const { document, conformance } = await elmResult(input, "ob3");
    const report = await shaclOfSealed(document);
    // Assess
    expect(conformance.rules).toMatch(/edc-generic-full/);
    expect(conformance.conforms).toBe(report.conforms);
    expect(ourProperties(conformance)).toEqual(shaclProperties(report));
  });

  it.each(["elm/samples/Sample-MC-Annex1-unsigned.jsonld", "elm/samples/credential-sample.jsonld"])(
    "%s → ELM conforms, as the shapes say",
    async (file) => {
      const { document, conformance } = await elmResult(corpusJson(file), "elm");
      const report = await shaclOfSealed(document);

      expect(report.conforms).toBe(true);
      expect(conformance).toMatchObject({ conforms: true, violations: [] });
    },
  );

  it("an OB 3.0 credential without issuer address → ELM: conforms false, naming the missing location", async () => {
    // The validator's simple fixture: its issuer Profile has an id and a name, no address (read in the file).
    const input = loadOb3("ob3/validator-fixtures/simple.json") as { issuer: unknown };
    expect(JSON.stringify(input.issuer)).not.toContain("address");

    const { document, conformance } = await elmResult(input, "ob3");
    const report = await shaclOfSealed(document);

    expect(conformance.conforms).toBe(false);
    expect(conformance.violations).toContainEqual({
      path: "/credentialSubject/hasClaim/awardedBy/awardingBody/location",
      message: expect.stringMatching(/at least 1 value required \(Organisation-elm_location\)/),
    });
    expect(report.results.map((r) => (r.path ? localName(r.path) : "-"))).toContain("location");
    // What sealing sets is not counted as a violation, but listed.
    expect(conformance.sealing?.map((s) => s.path)).toEqual(
      expect.arrayContaining(["/issuer/eIDASIdentifier", "/issued"]),
    );
  });

  it("credits in no named system → ELM: conforms false, naming each credit point's missing framework", async () => {
    // The complete example's achievement has creditsAvailable and its subject creditsEarned, in no system.
    const { document, conformance } = await elmResult(loadOb3("ob3/validator-fixtures/complete.json"), "ob3");
    const report = await shaclOfSealed(document);
    const frameworks = conformance.violations.filter((v) => v.path.endsWith("/framework"));

    expect(conformance.conforms).toBe(false);
    expect(frameworks.length).toBe(report.results.filter((r) => r.path && localName(r.path) === "framework").length);
    expect(frameworks.length).toBeGreaterThan(0);
  });

  it("a CSV row → ELM: conforms as the shapes say, naming what the sheet lacks", async () => {
    const csv = corpusText("spreadsheets/layouts-synthetic/geobadges-open-badges-csv.sample.csv");
    const { document, conformance } = await elmResult(csv, "csv");
    const report = await shaclOfSealed(document);

    expect(conformance.conforms).toBe(report.conforms);
    expect(conformance.conforms).toBe(false);
    expect(ourProperties(conformance)).toEqual(shaclProperties(report));
  });
});

describe("conformance of OB 3.0 results agrees with the official JSON Schema", () => {
  it.each(["elm/samples/Sample-MC-Annex1-unsigned.jsonld", "elm/samples/credential-sample.jsonld"])(
    "%s → OB 3.0",
    async (file) => {
      const out = await convert({ to: "ob3", from: "elm", document: corpusJson(file) }, limits, SYSTEM_TIME);
      const result = out.results[0];

      expect(result?.conformance.rules).toMatch(/Open Badges 3\.0/);
      expect(result?.conformance.conforms).toBe(schemaErrors(result?.document).length === 0);
    },
  );
});

describe("conformance of ELMO results agrees with the official ELMO v2.0 XSD", () => {
  const elmoResult = async (document: unknown) => {
    const out = await convert({ to: "elmo", from: "elm", document }, limits, SYSTEM_TIME);
    const result = out.results[0];
    if (!result) throw new Error("no result");
    return { xml: String(result.document), conformance: result.conformance };
  };

  it.each(["elm/samples/Sample-MC-Annex1-unsigned.jsonld", "elm/samples/credential-sample.jsonld"])(
    "%s → ELMO conforms, as the XSD says",
    async (file) => {
      const { xml, conformance } = await elmoResult(corpusJson(file));

      expect(conformance.rules).toMatch(/^EMREX ELMO 2\.0 XSD \(elmo-schemas v2\.0\.0/);
      expect(await elmoXsdErrors(xml)).toEqual([]);
      expect(conformance).toMatchObject({ conforms: true, violations: [] });
    },
  );

  it("a learner of Hong Kong → ELMO: conforms false, naming the citizenship the Europass code list lacks", async () => {
    // ELMO's citizenship is a europass:countryCode, whose 197 codes (EUROPASS_ISOCountries_V1.1.xsd) have no HK.
    const input = corpusJson("elm/samples/credential-sample.jsonld");
    input.credentialSubject.citizenshipCountry = [
      { id: "http://publications.europa.eu/resource/authority/country/HKG", type: "Concept" },
    ];

    const { xml, conformance } = await elmoResult(input);
    const errors = await elmoXsdErrors(xml);

    expect(xml).toContain("<citizenship>HK</citizenship>");
    expect(errors.join("\n")).toMatch(/citizenship/);
    expect(conformance.conforms).toBe(false);
    expect(conformance.violations).toEqual([
      {
        path: "/elmo/learner[1]/citizenship[1]",
        message: expect.stringMatching(/"HK" is not one of the values of europass:countryCode/),
      },
    ]);
  });
});
