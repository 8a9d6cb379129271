import { describe, expect, it } from "vitest";
import { systemClock } from "../../functions/kernel/system.js";
import { readDeqarJson } from "../../mappings/registry/deqar-json.js";
import {
  countryCodeOf,
  deqarIdIn,
  lookupKeysOf,
  mergeInstitution,
  normaliseName,
  normaliseSchac,
  reportValidAt,
} from "../../mappings/registry/model.js";
import { readRegistryDocument, sniffRegistryFormat } from "../../mappings/registry/read.js";
import { corpusJson, corpusText } from "../support/corpus.js";
import {
  amsAccreditationsXml,
  deqarInstitutionRecord,
  deqarReportRecord,
  registryInstitution,
  registryReport,
} from "../support/registry.js";

const ACCREDITATION = "elm/samples/accreditation-sample.json";
const LOMS = "registries/qdr/qms-v1-loms/loms.xml";

describe("registry readers on the corpus files", () => {
  it("reads the Europass accreditation sample as a DEQAR institution, agency and report", () => {
    // Prepare
    const doc = corpusJson(ACCREDITATION);

    // Act
    const read = readRegistryDocument(doc, undefined, { now: systemClock.now() });

    // Assess
    expect(read.ok && read.format).toBe("elm-accreditation");
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.value.institutions).toEqual([
      expect.objectContaining({
        key: "DEQARINST2360",
        deqarId: "DEQARINST2360",
        names: ["Faculty of Media - FaM", "Fakulteta za medije"],
        countries: ["SI"],
        website: "http://www.fame.si/about-the-faculty",
      }),
    ]);
    expect(read.value.agencies).toEqual([
      expect.objectContaining({
        id: "31",
        acronym: "IEP",
        name: "IEP - Institutional Evaluation Programme",
        country: "CH",
      }),
    ]);
    expect(read.value.reports).toEqual([
      expect.objectContaining({
        id: "3916",
        url: "https://data.deqar.eu/report/3916",
        institutionKeys: ["DEQARINST2360"],
        activityType: "institutional",
        validFrom: "2015-03-31",
        validTo: "2021-03-31",
        links: ["https://backend.deqar.eu/reports/IEP/20180924_1056_iep%20report%20fam.pdf"],
      }),
    ]);
  });

  it("reads the organisations of the QDR QMS learning-opportunity file, with identifiers and countries", () => {
    // Prepare
    const xml = corpusText(LOMS);

    // Act
    const read = readRegistryDocument(xml, undefined, { now: systemClock.now() });

    // Assess
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.format).toBe("qdr-xml");
    expect(read.value.institutions.map((i) => i.key)).toEqual([
      "QDR:123456789",
      "QDR:0419.052.0002",
      "QDR:0419.052.0003",
      "QDR:0419.052.0004",
      "QDR:0419.052.0005",
      "QDR:0419.052.0006",
      "QDR:0419.052.0007",
    ]);
    const leuven = read.value.institutions[1];
    expect(leuven).toMatchObject({
      names: expect.arrayContaining(["KU Leuven", "Katholieke Universiteit Leuven"]),
      countries: ["BE"],
    });
    expect(leuven?.identifiers).toEqual(
      expect.arrayContaining([
        { resource: "registration", value: "0419.052.0002" },
        { resource: "EU-VAT", value: "BE0419.052.0002" },
      ]),
    );
    expect(read.value.reports).toEqual([]);
  });

  it("refuses a DOCTYPE in registry XML, naming where it is", () => {
    // Prepare
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><qmsLearningOpportunities/>`;

    // Act
    const read = readRegistryDocument(xml, undefined, { now: systemClock.now() });

    // Assess
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.issues[0]?.message).toMatch(/DOCTYPE|ENTITY/);
  });
});

describe("DEQAR Web API JSON (documented shapes)", () => {
  it("reads an institution record with its identifiers, ETER id, country and QF-EHEA levels", () => {
    // Act
    const read = readDeqarJson(deqarInstitutionRecord(), "deqar-json", systemClock.now());

    // Assess
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const [urv] = read.value.institutions;
    expect(urv).toMatchObject({
      key: "DEQARINST0792",
      eterId: "ES0022",
      countries: ["ES"],
      names: ["Universitat Rovira i Virgili", "Rovira i Virgili University", "URV"],
      qfEheaLevels: ["first", "second", "third"],
      website: "http://www.urv.cat",
    });
    expect(urv?.identifiers).toEqual(
      expect.arrayContaining([
        { resource: "SCHAC", value: "urv.cat" },
        { resource: "Erasmus", value: "E  TARRAGO01" },
        { resource: "ETER", value: "ES0022" },
      ]),
    );
  });

  it("reads a report with its agency, activity, validity and links, and the institutions it covers", () => {
    // Act
    const read = readDeqarJson(
      { count: 1, next: null, results: [deqarReportRecord()] },
      "deqar-json",
      systemClock.now(),
    );

    // Assess
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.value.reports).toEqual([
      expect.objectContaining({
        id: "47914",
        url: "https://data.deqar.eu/report/47914",
        institutionKeys: ["DEQARINST0382"],
        agency: { id: "3", acronym: "AAQ", name: "Swiss Agency of Accreditation and Quality Assurance" },
        activityType: "institutional",
        decision: "positive",
        validFrom: "2018-09-14",
        validTo: "2024-09-30",
      }),
    ]);
    expect(read.value.institutions).toEqual([
      expect.objectContaining({ key: "DEQARINST0382", names: ["Aachen University"] }),
    ]);
  });

  it("skips records it cannot use with a warning naming them, and refuses a document with none", () => {
    // Act
    const partly = readDeqarJson(
      { results: [deqarReportRecord(), { hello: "world" }] },
      "deqar-json",
      systemClock.now(),
    );
    const none = readRegistryDocument({ hello: "world" }, undefined, { now: systemClock.now() });

    // Assess
    expect(partly.ok && partly.warnings).toEqual([{ path: "/results/1", message: expect.stringMatching(/skipped/) }]);
    expect(none.ok).toBe(false);
  });
});

describe("AMS accreditation XML (DEQAR's Europass export, built from the XSD)", () => {
  it("reads an accreditation with its organisation's DEQAR id, SCHAC code and country, and the agency", () => {
    // Act
    const read = readRegistryDocument(amsAccreditationsXml(), undefined, { now: systemClock.now() });

    // Assess
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.value.institutions).toEqual([
      expect.objectContaining({
        key: "DEQARINST2360",
        countries: ["SI"],
        identifiers: expect.arrayContaining([{ resource: "SCHAC", value: "fame.si" }]),
      }),
    ]);
    expect(read.value.reports).toEqual([
      expect.objectContaining({
        id: "3916",
        url: "https://data.deqar.eu/report/3916",
        agency: { id: "31", name: "Institutional Evaluation Programme" },
        activityType: "institutional",
        validFrom: "2015-04-01",
        validTo: "2021-04-01",
      }),
    ]);
  });
});

describe("registry model rules", () => {
  it("recognises DEQAR ids in their three forms", () => {
    expect(deqarIdIn("DEQARINST0382")).toBe("DEQARINST0382");
    expect(deqarIdIn("https://data.deqar.eu/institution/382")).toBe("DEQARINST0382");
    expect(deqarIdIn("382")).toBeUndefined();
    expect(deqarIdIn("382", true)).toBe("DEQARINST0382");
    expect(deqarIdIn(12345, true)).toBe("DEQARINST12345");
  });

  it("normalises names, SCHAC codes and countries for matching", () => {
    expect(normaliseName("Universität  Wien – Campus")).toBe("universitat wien campus");
    expect(normaliseSchac("https://www.URV.cat/en/")).toBe("urv.cat");
    expect(normaliseSchac("not a domain")).toBeUndefined();
    expect(countryCodeOf("http://publications.europa.eu/resource/authority/country/IRL")).toBe("IE");
    expect(countryCodeOf("North Macedonia")).toBe("MK");
    expect(countryCodeOf("UK-SCT")).toBe("GB");
    expect(countryCodeOf("Atlantis")).toBeUndefined();
  });

  it("indexes an institution under each identifier, SCHAC code and name in each country", () => {
    const keys = lookupKeysOf(registryInstitution());
    expect(keys).toEqual(
      expect.arrayContaining([
        "ID#UNIZ.EDU",
        "SCHAC#uniz.edu",
        "ID#999000111",
        "ID#DEQARINST9001",
        "NAME#IE#university of zed",
        "NAME#IE#uniz",
      ]),
    );
  });

  it("keeps what an earlier source said when a later one says less", () => {
    const older = registryInstitution();
    const newer = registryInstitution({
      names: ["University of Zed"],
      identifiers: [],
      sources: ["elm-accreditation"],
    });
    expect(mergeInstitution(older, newer)).toMatchObject({
      names: ["University of Zed", "UniZ"],
      identifiers: older.identifiers,
      sources: ["elm-accreditation", "deqar-json"],
    });
  });

  it("takes a report without an end date as valid for six years, as DEQAR does", () => {
    const open = registryReport({ validFrom: "2020-03-01", validTo: undefined });
    expect(reportValidAt(open, new Date("2026-02-28"))).toBe(true);
    expect(reportValidAt(open, new Date("2026-03-02"))).toBe(false);
  });

  it("sniffs each registry format and nothing else", () => {
    expect(sniffRegistryFormat(corpusJson(ACCREDITATION))).toBe("elm-accreditation");
    expect(sniffRegistryFormat(deqarInstitutionRecord())).toBe("deqar-json");
    expect(sniffRegistryFormat(amsAccreditationsXml())).toBe("qdr-xml");
    expect(sniffRegistryFormat({ "@context": [], type: "VerifiableCredential" })).toBeUndefined();
  });
});
