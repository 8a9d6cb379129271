/**
 * Registry fixtures as factories. The corpus holds the Europass accreditation JSON and the QDR loms.xml as files; for
 * the DEQAR Web API it holds only the documentation, so DEQAR records are built here from the shapes its examples show
 * (`corpus/registries/deqar/deqar-docs-web_api_examples.md`: an institution by identifier, a report, a report listing).
 */
import type { RegistryInstitution, RegistryReport } from "../../mappings/registry/model.js";

/** `/webapi/v2/browse/institutions/by-identifier/SCHAC/urv.cat` as documented (abridged the same way). */
export function deqarInstitutionRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    closure_date: null,
    countries: [
      {
        city: "Tarragona",
        country: { iso_3166_alpha2: "ES", iso_3166_alpha3: "ESP", name_english: "Spain" },
        country_source: "ETER",
        country_valid_from: "2014-01-01",
        country_valid_to: null,
        country_verified: true,
      },
    ],
    eter: "ES0022 - Universitat Rovira i Virgili",
    founding_date: "1992-01-01",
    id: 792,
    identifiers: [
      {
        agency: null,
        identifier: "E  TARRAGO01",
        identifier_valid_from: "1992-01-01",
        identifier_valid_to: null,
        resource: "Erasmus",
      },
      {
        agency: null,
        identifier: "E10208977",
        identifier_valid_from: "1992-01-01",
        identifier_valid_to: null,
        resource: "Erasmus-Charter",
      },
      {
        agency: null,
        identifier: "urv.cat",
        identifier_valid_from: "1992-01-01",
        identifier_valid_to: null,
        resource: "SCHAC",
      },
      {
        agency: null,
        identifier: "did:ebsi:ziBBPgHRMxmPaKmW1TCm9Cj",
        identifier_valid_from: "2022-01-16",
        identifier_valid_to: null,
        resource: "DID-EBSI",
      },
      {
        agency: null,
        identifier: "999880560",
        identifier_valid_from: "1992-01-01",
        identifier_valid_to: null,
        resource: "EU-PIC",
      },
    ],
    names: [
      {
        acronym: "URV",
        name_english: "Rovira i Virgili University",
        name_official: "Universitat Rovira i Virgili",
        name_official_transliterated: "",
        name_valid_to: null,
        name_versions: [],
      },
    ],
    qf_ehea_levels: [
      { qf_ehea_level: "first cycle", qf_ehea_level_source: "ETER" },
      { qf_ehea_level: "second cycle", qf_ehea_level_source: "ETER" },
      { qf_ehea_level: "third cycle", qf_ehea_level_source: "ETER" },
    ],
    website_link: "http://www.urv.cat",
    ...overrides,
  };
}

/** A DEQAR report (`/webapi/v2/browse/reports/{id}/`) as documented, for one institution. */
export function deqarReportRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 47914,
    agency_name: "Swiss Agency of Accreditation and Quality Assurance",
    agency_acronym: "AAQ",
    agency_id: 3,
    agency_esg_activity: "System accreditation in Germany",
    agency_esg_activity_type: "institutional",
    name: "System accreditation",
    institutions: [
      {
        id: 382,
        deqar_id: "DEQARINST0382",
        name_primary: "Aachen University",
        website_link: "http://www.rwth-aachen.de",
      },
    ],
    institutions_hierarchical: [],
    institutions_historical: [],
    programmes: [],
    report_valid: true,
    valid_from: "2018-09-14",
    valid_to: "2024-09-30",
    status: "part of obligatory EQA system",
    decision: "positive",
    report_files: [{ file_display_name: "", file: null, languages: ["German"] }],
    report_links: [
      {
        link_display_name: "View report record on agency site",
        link: "https://antrag.akkreditierungsrat.de/akkrstudiengaenge/74812917-e23c-4f7a-a425-a5ca72ad6493/",
      },
    ],
    local_identifier: "7c0a1e10-0334-4cd8-a1a9-61dc901ffe98",
    other_comment: null,
    flag: "none",
    ...overrides,
  };
}

/** A registry institution as the store holds it. */
export function registryInstitution(overrides: Partial<RegistryInstitution> = {}): RegistryInstitution {
  return {
    key: "DEQARINST9001",
    deqarId: "DEQARINST9001",
    names: ["University of Zed", "UniZ"],
    countries: ["IE"],
    identifiers: [
      { resource: "SCHAC", value: "uniz.edu" },
      { resource: "EU-PIC", value: "999000111" },
    ],
    website: "https://uniz.edu",
    qfEheaLevels: ["first", "second"],
    sources: ["deqar-json"],
    ...overrides,
  };
}

/** A current institutional review of {@link registryInstitution}. */
export function registryReport(overrides: Partial<RegistryReport> = {}): RegistryReport {
  return {
    id: "90001",
    url: "https://data.deqar.eu/report/90001",
    institutionKeys: ["DEQARINST9001"],
    agency: { id: "31", acronym: "IEP", name: "Institutional Evaluation Programme" },
    activity: "Institutional evaluation",
    activityType: "institutional",
    status: "voluntary",
    decision: "positive",
    validFrom: "2024-01-01",
    validTo: "2029-12-31",
    links: ["https://example.org/reports/90001.pdf"],
    programmes: [],
    sources: ["deqar-json"],
    ...overrides,
  };
}

/**
 * The University of Zed (the awarding body of the EC's micro-credential sample) as a DEQAR bundle to import: the
 * institution record and a current institutional report, in DEQAR Web API shapes.
 */
export function uniZedDeqarBundle(): Record<string, unknown> {
  return {
    institutions: [
      deqarInstitutionRecord({
        id: 9001,
        deqar_id: "DEQARINST9001",
        eter: null,
        countries: [{ country: { iso_3166_alpha2: "IE", iso_3166_alpha3: "IRL", name_english: "Ireland" } }],
        identifiers: [{ agency: null, identifier: "uniz.edu", identifier_valid_to: null, resource: "SCHAC" }],
        names: [
          { acronym: "UniZ", name_english: "University of Zed", name_official: "University of Zed", name_versions: [] },
        ],
        qf_ehea_levels: [{ qf_ehea_level: "first cycle" }, { qf_ehea_level: "second cycle" }],
        website_link: "https://uniz.edu",
      }),
    ],
    reports: [
      deqarReportRecord({
        id: 90001,
        agency_name: "Institutional Evaluation Programme",
        agency_acronym: "IEP",
        agency_id: 31,
        agency_esg_activity: "Institutional evaluation",
        name: "Institutional evaluation",
        institutions: [
          { id: 9001, deqar_id: "DEQARINST9001", name_primary: "University of Zed", website_link: "https://uniz.edu" },
        ],
        valid_from: "2024-01-01",
        valid_to: null,
        status: "voluntary",
        decision: "positive",
      }),
    ],
  };
}

/** An AMS (ELM accreditation) XML export as DEQAR's exporter writes it (research/local.md §5.1), for one report. */
export function amsAccreditationsXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Accreditations xmlns="http://data.europa.eu/snb/model/application-profile/ams-constraints/" xsdVersion="3.0.0">
  <accreditationReferences>
    <accreditation id="https://data.deqar.eu/report/3916">
      <type uri="http://data.europa.eu/snb/accreditation/c_1f1a469a"/>
      <title language="en">Institutional evaluation</title>
      <organisation idref="https://data.deqar.eu/institution/2360"/>
      <limitEQFLevel uri="http://data.europa.eu/snb/eqf/6"/>
      <accreditingAgent idref="https://data.deqar.eu/agency/31"/>
      <issued>2015-04-01T00:00:00</issued>
      <reviewDate>2021-04-01T00:00:00</reviewDate>
      <report uri="https://backend.deqar.eu/reports/IEP/20180924_1056_iep%20report%20fam.pdf"/>
      <landingPage uri="https://data.deqar.eu/report/3916"/>
      <status>released</status>
    </accreditation>
  </accreditationReferences>
  <agentReferences>
    <organisation id="https://data.deqar.eu/institution/2360">
      <legalName language="en">Faculty of Media - FaM</legalName>
      <identifier schemeAgency="DEQAR"><notation>DEQARINST2360</notation></identifier>
      <identifier schemeAgency="SCHAC"><notation>fame.si</notation></identifier>
      <location idref="urn:loc:1"/>
    </organisation>
    <organisation id="https://data.deqar.eu/agency/31">
      <legalName language="en">Institutional Evaluation Programme</legalName>
    </organisation>
  </agentReferences>
  <locationReferences>
    <location id="urn:loc:1"><address><countryCode uri="http://publications.europa.eu/resource/authority/country/SVN"/></address></location>
  </locationReferences>
</Accreditations>`;
}
