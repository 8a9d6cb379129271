import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeXml, renderCredentialSvg, wrap } from "../../../../mappings/elm/render.js";
import { writeElm } from "../../../../mappings/elm/write.js";
import {
  type CanonicalCredential,
  type Claim,
  type Concept,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type LangMap,
  type Organisation,
} from "../../../../mappings/model.js";
import { CREDENTIAL_PROFILES, ECTS, EVIDENCE_TYPES, eqfConcept, MODES } from "../../../../mappings/vocab/index.js";
import { ANNEX_I_ELM_PATHS, nodesWithoutIdOrType, valuesAt } from "../../../support/elm-paths.js";
import {
  completeMicroCredential,
  ESCO_SKILL,
  NQF_LEVEL,
  universityOfZed,
} from "../../../support/elm-write-fixtures.js";
import { writeNow } from "../../../support/write-time.js";

const NOW = new Date("2024-05-01T12:00:00Z");
const COUNTRY = "http://publications.europa.eu/resource/authority/country";
const A = "credentialSubject.hasClaim";
const Q = `${A}.specifiedBy`;

const write = (c: CanonicalCredential, options: Partial<Parameters<typeof writeElm>[1]> = {}) =>
  writeElm(c, { now: NOW, uuid: () => "7d1c7f5e-0000-4000-8000-000000000001", ...options });

/** The decoded SVG pages of a written credential. */
function pages(doc: Record<string, unknown>): string[] {
  return valuesAt(doc, "displayParameter.individualDisplay.displayDetail.image.content").map((b64) =>
    Buffer.from(String(b64), "base64").toString("utf8"),
  );
}

/** A minimal credential: one achievement awarded by an organisation, to a named learner. */
function minimal(body: Organisation = universityOfZed()): CanonicalCredential {
  const c = emptyCredential("ob3");
  c.learner.fullName = { en: "Ana Andromeda" };
  const claim = emptyClaim("achievement", { en: "Data literacy" });
  claim.awardingBodies = [body];
  c.claims = [claim];
  c.validFrom = "2024-01-01T00:00:00Z";
  return c;
}

describe("writeElm: a complete micro-credential", () => {
  it("writes the envelope as EDC issues it", () => {
    // Act
    const { document } = write(completeMicroCredential());
    // Assess
    expect(document["@context"]).toEqual([
      "https://www.w3.org/2018/credentials/v1",
      "http://data.europa.eu/snb/model/context/edc-ap",
    ]);
    expect(document.type).toEqual(["VerifiableCredential", "EuropeanDigitalCredential"]);
    expect(document.id).toBe("urn:credential:5f0c3a5e-3f5e-4a42-9b5c-6f1d2c3b4a59");
    expect(valuesAt(document, "credentialSchema.id")).toEqual([
      "http://data.europa.eu/snb/model/ap/edc-generic-full",
      "http://data.europa.eu/snb/model/ap/edc-accredited",
    ]);
    expect(valuesAt(document, "credentialSchema.type")).toEqual(["ShaclValidator2017", "ShaclValidator2017"]);
    expect(valuesAt(document, "credentialSubject.type")).toEqual(["Person"]);
    expect(valuesAt(document, "issuer.type")).toEqual(["Organisation"]);
    expect(nodesWithoutIdOrType(document)).toEqual([]);
  });

  it("writes every Annex I element at its ELM path", () => {
    // Prepare: paths of elements the fixture does not hold (no sub-claims, awarding body without eIDAS id or QA).
    const absent = new Set([
      `${A}.hasPart.title`,
      `${A}.awardedBy.awardingBody.eIDASIdentifier.notation`,
      `${A}.awardedBy.awardingBody.accreditation.dcType.id`,
      `${Q}.educationLevel.id`,
    ]);
    // Act
    const { document } = write(completeMicroCredential());
    // Assess
    const empty = Object.entries(ANNEX_I_ELM_PATHS).flatMap(([element, paths]) =>
      paths.filter((p) => !absent.has(p) && valuesAt(document, p).length === 0).map((p) => `${element}: ${p}`),
    );
    expect(empty).toEqual([]);
  });

  it("writes the values of the Annex I elements", () => {
    // Act
    const { document: d } = write(completeMicroCredential());
    // Assess
    expect(valuesAt(d, "credentialSubject.fullName")).toEqual([{ en: "Ana Andromeda" }]);
    expect(valuesAt(d, "credentialSubject.dateOfBirth")).toEqual(["1999-10-02T00:00:00Z"]);
    expect(valuesAt(d, "credentialSubject.nationalID.spatial.id")).toEqual([`${COUNTRY}/ITA`]);
    expect(valuesAt(d, "credentialSubject.contactPoint.emailAddress.id")).toEqual(["mailto:ana.andromeda@example.org"]);
    expect(valuesAt(d, `${A}.title`)).toEqual([{ en: "Digital micro-credential creation" }]);
    expect(valuesAt(d, "displayParameter.title")).toEqual([
      { en: "Micro-credential in digital credentials", fr: "Micro-certification en attestations numériques" },
    ]);
    expect(valuesAt(d, "issuer.eIDASIdentifier.notation")).toEqual(["VATIE-654321"]);
    expect(valuesAt(d, "issuer.location.address.countryCode.id")).toEqual([`${COUNTRY}/IRL`]);
    expect(valuesAt(d, `${A}.awardedBy.awardingBody.legalName`)).toEqual([{ en: "University of Zed" }]);
    expect(valuesAt(d, `${A}.awardedBy.awardingBody.location.address.countryCode.id`)).toEqual([`${COUNTRY}/IRL`]);
    expect(valuesAt(d, `${A}.awardedBy.awardingDate`)).toEqual(["2024-02-28T00:00:00Z"]);
    expect([d.issued, d.issuanceDate, d.validFrom]).toEqual([
      "2024-03-01T10:00:00Z",
      "2024-03-01T10:00:00Z",
      "2024-03-01T00:00:00Z",
    ]);
    expect(valuesAt(d, `${Q}.learningOutcome.relatedESCOSkill.id`)).toEqual([ESCO_SKILL]);
    expect(valuesAt(d, `${Q}.creditPoint`)).toMatchObject([{ type: "CreditPoint", point: "2" }]);
    expect(valuesAt(d, `${Q}.creditPoint.framework.id`)).toEqual([ECTS.uri]);
    expect(valuesAt(d, `${Q}.volumeOfLearning`)).toEqual(["PT60H"]);
    expect(valuesAt(d, `${Q}.eqfLevel.id`)).toEqual(["http://data.europa.eu/snb/eqf/6"]);
    expect(valuesAt(d, `${Q}.nqfLevel.id`)).toEqual([NQF_LEVEL]);
    expect(valuesAt(d, `${A}.provenBy.specifiedBy.dcType.id`)).toEqual([
      "http://data.europa.eu/snb/assessment/de4d165a6c",
    ]);
    expect(valuesAt(d, `${Q}.mode.id`)).toEqual([MODES.blended.uri]);
    expect(valuesAt(d, `${Q}.accreditation.accreditingAgent.legalName`)).toEqual([
      { en: "Quality and Qualifications Ireland" },
    ]);
    expect(valuesAt(d, `${A}.provenBy.grade.noteLiteral`)).toEqual([{ en: "Pass" }]);
    expect(valuesAt(d, `${Q}.isPartialQualification`)).toEqual([false]);
  });

  it("writes concepts as the EC does", () => {
    // Act
    const { document } = write(completeMicroCredential());
    // Assess
    expect(valuesAt(document, `${Q}.eqfLevel`)).toEqual([
      {
        id: "http://data.europa.eu/snb/eqf/6",
        type: "Concept",
        inScheme: { id: "http://data.europa.eu/snb/eqf/25831c2", type: "ConceptScheme" },
        prefLabel: { en: "Level 6" },
      },
    ]);
    expect(valuesAt(document, "issuer.location.address.countryCode")).toEqual([
      {
        id: `${COUNTRY}/IRL`,
        type: "Concept",
        inScheme: { id: COUNTRY, type: "ConceptScheme" },
        prefLabel: { en: "Ireland" },
        notation: "country",
      },
    ]);
  });

  it("chooses the Accredited profile for a quality-assured achievement, with the accreditation as evidence", () => {
    // Act
    const { document } = write(completeMicroCredential());
    // Assess
    expect(valuesAt(document, "credentialProfiles.id")).toEqual([CREDENTIAL_PROFILES.accredited.uri]);
    expect(valuesAt(document, "evidence.dcType.id")).toEqual([EVIDENCE_TYPES.accreditation.uri]);
    expect(valuesAt(document, "evidence.accreditation.id")).toEqual(["urn:epass:accreditation:1"]);
  });

  it("renders one page per language the title is written in, in SVG", () => {
    // Act
    const { document } = write(completeMicroCredential());
    // Assess
    expect(valuesAt(document, "displayParameter.individualDisplay.language.id")).toEqual([
      "http://publications.europa.eu/resource/authority/language/ENG",
      "http://publications.europa.eu/resource/authority/language/FRA",
    ]);
    expect(valuesAt(document, "displayParameter.primaryLanguage.id")).toEqual([
      "http://publications.europa.eu/resource/authority/language/ENG",
    ]);
    expect(valuesAt(document, "displayParameter.individualDisplay.displayDetail.image.contentType.id")).toEqual([
      "http://publications.europa.eu/resource/authority/file-type/SVG",
      "http://publications.europa.eu/resource/authority/file-type/SVG",
    ]);
    expect(valuesAt(document, "displayParameter.individualDisplay.displayDetail.page")).toEqual([1, 1]);
    const [en, fr] = pages(document);
    expect(en).toContain("Micro-credential in digital credentials");
    expect(en).toContain("Ana Andromeda");
    expect(en).toContain("University of Zed (Ireland)");
    expect(en).toContain("Developing digital content");
    expect(en).toContain("2 ECTS");
    expect(en).toContain("EQF 6");
    expect(en).toContain("Grade: Pass");
    expect(fr).toContain("Micro-certification en attestations numériques");
    expect(fr).toContain("Délivré par");
  });

  it("keeps the canonical id, or makes a urn:credential id from the id source it is given", () => {
    // Prepare
    const c = minimal();
    // Act
    const { document } = write(c);
    // Assess
    expect(document.id).toBe("urn:credential:7d1c7f5e-0000-4000-8000-000000000001");
    const [first, second] = [writeElm(minimal(), writeNow()), writeElm(minimal(), writeNow())];
    expect(first.document.id).toMatch(/^urn:credential:[\w-]+$/);
    expect(first.document.id).not.toBe(second.document.id);
  });
});

describe("writeElm: what it cannot satisfy or place", () => {
  it("warns about an organisation without a country, and invents none", () => {
    // Prepare
    const body = emptyOrganisation({ en: "Nowhere Academy" });
    // Act
    const { document, warnings } = write(minimal(body));
    // Assess
    expect(valuesAt(document, `${A}.awardedBy.awardingBody.location`)).toEqual([]);
    expect(JSON.stringify(document)).not.toContain("/authority/country/");
    expect(warnings).toContainEqual({
      path: "/claims/0/awardingBodies/0/locations",
      message: expect.stringContaining("has no country"),
    });
  });

  it("reports Open Badges fields as losses, at their source path when provenance knows it", () => {
    // Prepare
    const c = minimal();
    const claim = c.claims[0] as Claim;
    claim.specification = emptySpecification("achievement", { en: "Data literacy" });
    claim.specification.tags = ["data"];
    claim.specification.alignments = [{ name: "DigComp 1.1", url: "https://example.org/digcomp/1.1" }];
    claim.specification.criteria = { narrative: { en: "Pass the quiz." } };
    claim.specification.image = { url: "https://example.org/badge.png" };
    claim.specification.humanCode = "DL-101";
    claim.results = [{ value: "A" }];
    c.provenance.paths = {
      "/claims/0/specification/tags": "/credentialSubject/achievement/tag",
      "/claims/0/results": "/credentialSubject/result",
    };
    // Act
    const { losses, document } = write(c);
    // Assess
    expect(losses.map((l) => l.path).sort()).toEqual([
      "/claims/0/specification/alignments",
      "/claims/0/specification/criteria",
      "/claims/0/specification/humanCode",
      "/claims/0/specification/image",
      "/credentialSubject/achievement/tag",
      "/credentialSubject/result",
    ]);
    expect(losses.every((l) => l.reason.length > 10)).toBe(true);
    expect(JSON.stringify(document)).not.toContain("DL-101");
  });

  it("warns about an assessment without a grade, a claim without a title and a missing validity start", () => {
    // Prepare
    const c = minimal();
    delete c.validFrom;
    const claim = c.claims[0] as Claim;
    claim.title = {};
    claim.provenBy = [emptyClaim("assessment", { en: "Quiz" })];
    // Act
    const { warnings, document } = write(c);
    // Assess
    expect(warnings.map((w) => w.path)).toEqual(
      expect.arrayContaining(["/claims/0/title", "/claims/0/provenBy/0/grade", "/display/title", "/validFrom"]),
    );
    expect(document.validFrom).toBe("2024-05-01T12:00:00Z");
    expect(document.issued).toBeUndefined();
  });

  it("uses the first awarding body as issuer when there is none, and warns about its eIDAS identifier", () => {
    // Act
    const { document, warnings } = write(minimal());
    // Assess
    expect(valuesAt(document, "issuer.id")).toEqual(["urn:epass:org:1"]);
    expect(warnings.map((w) => w.path)).toEqual(expect.arrayContaining(["/issuer", "/claims/0/awardingBodies/0"]));
  });

  it("writes a legal identifier without its country as a plain identifier, with a warning", () => {
    // Prepare
    const body = universityOfZed();
    body.identifiers = [{ kind: "registration", value: "R-1" }];
    // Act
    const { document, warnings } = write(minimal(body));
    // Assess
    expect(valuesAt(document, `${A}.awardedBy.awardingBody.registration`)).toEqual([]);
    expect(valuesAt(document, `${A}.awardedBy.awardingBody.identifier`)).toMatchObject([
      { type: "Identifier", notation: "R-1", schemeName: "registration number" },
    ]);
    expect(warnings).toContainEqual({
      path: "/claims/0/awardingBodies/0/identifiers/0/country",
      message: expect.any(String),
    });
  });

  it("loses a concept outside the scheme SHACL pins, rather than write a wrong one", () => {
    // Prepare
    const c = minimal();
    const claim = c.claims[0] as Claim;
    claim.specification = emptySpecification("qualification", { en: "Data literacy" });
    claim.specification.eqfLevel = { label: { en: "Level 6" } };
    claim.specification.fields = [{ uri: "https://example.org/fields/data" } satisfies Concept];
    // Act
    const { document, losses } = write(c);
    // Assess
    expect(valuesAt(document, `${Q}.eqfLevel`)).toEqual([]);
    expect(valuesAt(document, `${Q}.thematicArea`)).toEqual([]);
    expect(losses.map((l) => l.path)).toEqual(["/claims/0/specification/eqfLevel", "/claims/0/specification/fields/0"]);
  });

  it("writes an achievement specification with an EQF level as a Qualification", () => {
    // Prepare
    const c = minimal();
    const claim = c.claims[0] as Claim;
    claim.specification = emptySpecification("achievement", { en: "Data literacy" });
    claim.specification.eqfLevel = eqfConcept(5);
    // Act
    const { document } = write(c);
    // Assess
    expect(valuesAt(document, `${Q}.type`)).toEqual(["Qualification"]);
    expect(valuesAt(document, `${Q}.eqfLevel.id`)).toEqual(["http://data.europa.eu/snb/eqf/5"]);
  });

  it("writes credits as strings and warns about credits without a framework", () => {
    // Prepare
    const c = minimal();
    const claim = c.claims[0] as Claim;
    claim.specification = emptySpecification("achievement", { en: "Data literacy" });
    claim.specification.credits = [{ framework: ECTS, points: " 5 " }, { points: "3" }];
    // Act
    const { document, warnings } = write(c);
    // Assess
    expect(valuesAt(document, `${Q}.creditPoint.point`)).toEqual(["5", "3"]);
    expect(warnings.map((w) => w.path)).toContain("/claims/0/specification/credits/1/framework");
  });
});

describe("writeElm: nodes and references", () => {
  it("refers to parts the credential holds, and reports references to parts it does not as losses", () => {
    // Prepare
    const c = minimal();
    const whole = c.claims[0] as Claim;
    whole.specification = emptySpecification("qualification", { en: "Data literacy" });
    whole.specification.id = "urn:epass:qualification:whole";
    const part = emptyClaim("achievement", { en: "Module 1" });
    part.specification = emptySpecification("achievement", { en: "Module 1" });
    part.specification.isPartOf = ["urn:epass:qualification:whole", "urn:example:elsewhere"];
    c.claims.push(part);
    // Act
    const { document, losses } = write(c);
    // Assess
    const [, written] = valuesAt(document, `${A}.specifiedBy`) as Record<string, unknown>[];
    expect(written?.isPartOf).toBe("urn:epass:qualification:whole");
    expect(losses).toEqual([
      { path: "/claims/1/specification/isPartOf/1", reason: expect.stringContaining("urn:example:elsewhere") },
    ]);
  });

  it("writes an organisation met twice once (same id, same node), and a different one with the same id apart", () => {
    // Prepare
    const c = minimal();
    c.issuer = universityOfZed();
    const impostor = universityOfZed();
    impostor.legalName = { en: "University of Zed (another one)" };
    const second = emptyClaim("achievement", { en: "Second" });
    second.awardingBodies = [impostor];
    c.claims.push(second);
    // Act
    const { document, losses, derived } = write(c);
    // Assess: the second one's id is a fact the output does not hold for it (a loss), its new id the gateway's.
    expect(valuesAt(document, `${A}.awardedBy.awardingBody.id`)).toEqual(["urn:epass:org:1", "urn:epass:org:2"]);
    expect(valuesAt(document, "issuer")).toEqual(valuesAt(document, `${A}.awardedBy.awardingBody`).slice(0, 1));
    expect(losses).toContainEqual({
      path: "/claims/1/awardingBodies/0/id",
      reason:
        "the source's id urn:epass:org:1 already names another node of the output: not written as this node's id, which is urn:epass:org:2",
    });
    expect(derived).toContainEqual({
      path: "/credentialSubject/hasClaim/1/awardedBy/awardingBody/id",
      reason:
        "a node id the gateway generated: the source's id urn:epass:org:1 already names another node of the output",
    });
  });

  it("writes a self-issued credential's issuer and awarding body, named by the learner's id, as one renamed node", () => {
    // Prepare: as an OB 3.0 self-issued badge reads (validator fixture simple-did-key-method): one id for all three.
    const c = minimal();
    c.learner.id = "urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164";
    const body = c.claims[0]?.awardingBodies[0] as Organisation;
    body.id = c.learner.id;
    c.issuer = structuredClone(body);
    // Act
    const { document, losses } = write(c);
    // Assess
    const [written] = valuesAt(document, `${A}.awardedBy.awardingBody`) as Record<string, unknown>[];
    expect(valuesAt(document, "credentialSubject.id")).toEqual([c.learner.id]);
    expect(written?.id).not.toBe(c.learner.id);
    expect(valuesAt(document, "issuer")).toEqual([written]);
    expect(losses.filter((l) => l.reason.includes("already names another node"))).toHaveLength(1);
  });

  it("writes a node whose id is not an absolute IRI (an ELMO local id) under a fresh id, once, reporting the id lost", () => {
    // Prepare: two organisations with the same relative id and content, and a learner with a relative id.
    const c = minimal(Object.assign(universityOfZed(), { id: "ZAL" }));
    c.issuer = Object.assign(universityOfZed(), { id: "ZAL" });
    c.learner.id = "student-42";
    // Act
    const { document, losses } = write(c);
    // Assess
    const ids = valuesAt(document, `${A}.awardedBy.awardingBody.id`);
    expect(ids).toEqual(["urn:epass:org:1"]);
    expect(valuesAt(document, "issuer.id")).toEqual(ids);
    expect(valuesAt(document, "credentialSubject.id")).toEqual(["urn:epass:person:1"]);
    expect(JSON.stringify(document)).not.toMatch(/"id":"(ZAL|student-42)"/);
    expect(losses.filter((l) => /is not an absolute IRI/.test(l.reason))).toHaveLength(2);
  });

  it("writes an accreditation naming the organisation it belongs to as a reference, not a loop", () => {
    // Prepare
    const body = universityOfZed();
    const qa = completeMicroCredential().claims[0]?.specification?.accreditations[0];
    if (!qa) throw new Error("fixture has an accreditation");
    qa.organisation = body;
    body.accreditations = [qa];
    // Act
    const { document } = write(minimal(body));
    // Assess
    expect(valuesAt(document, `${A}.awardedBy.awardingBody.accreditation.organisation`)).toEqual(["urn:epass:org:1"]);
  });

  it("takes unknown option values (an untyped request) as the defaults", () => {
    // Prepare
    const options = { ...writeNow(), form: "xml", profile: "fancy" } as unknown as Parameters<typeof writeElm>[1];
    // Act
    const { document } = writeElm(minimal(), options);
    // Assess
    expect(document.type).toEqual(["VerifiableCredential", "EuropeanDigitalCredential"]);
    expect(valuesAt(document, "credentialProfiles.id")).toEqual([CREDENTIAL_PROFILES.generic.uri]);
  });
});

describe("writeElm: profiles", () => {
  it("writes the Converted profile when the original of a non-ELM source is embedded", () => {
    // Prepare
    const c = minimal();
    c.provenance.original = { type: ["VerifiableCredential", "OpenBadgeCredential"], name: "Data literacy" };
    // Act
    const { document } = write(c, { embedOriginal: true });
    // Assess
    expect(valuesAt(document, "credentialProfiles.id")).toEqual([CREDENTIAL_PROFILES.converted.uri]);
    expect(valuesAt(document, "credentialSchema.id")).toContain("http://data.europa.eu/snb/model/ap/edc-converted");
    expect(valuesAt(document, "evidence.dcType.id")).toEqual([EVIDENCE_TYPES.conversion.uri]);
    const [content] = valuesAt(document, "evidence.embeddedEvidence.content");
    expect(JSON.parse(Buffer.from(String(content), "base64").toString("utf8"))).toEqual(c.provenance.original);
    expect(valuesAt(document, "evidence.embeddedEvidence.contentType.id")).toEqual([
      "http://publications.europa.eu/resource/authority/file-type/JSON",
    ]);
  });

  it("stays Generic when an accreditation cannot meet the Accredited shapes (two claims)", () => {
    // Prepare
    const c = completeMicroCredential();
    c.claims.push(emptyClaim("achievement", { en: "Second" }));
    // Act
    const { document, warnings } = write(c);
    // Assess
    expect(valuesAt(document, "credentialProfiles.id")).toEqual([CREDENTIAL_PROFILES.generic.uri]);
    expect(warnings.map((w) => w.path)).toContain("/profiles");
  });
});

describe("writeElm: EBSI VCDM 2.0 form", () => {
  it("writes arrays for multi-valued properties and array-valued language maps", () => {
    // Act
    const { document: d } = write(completeMicroCredential(), { form: "ebsi" });
    // Assess
    expect(d["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "http://data.europa.eu/snb/model/context/edc-ap",
    ]);
    expect(d.type).toEqual(["VerifiableCredential", "VerifiableAttestation", "EuropeanDigitalCredential"]);
    expect(Array.isArray(d.credentialProfiles)).toBe(true);
    expect(Array.isArray(d.credentialSchema)).toBe(true);
    expect(d.issued).toBe("2024-03-01T10:00:00Z");
    expect(d.validFrom).toBe("2024-03-01T00:00:00Z");
    expect(d.issuanceDate).toBeUndefined();
    const subject = d.credentialSubject as Record<string, unknown>;
    expect(Array.isArray(subject.hasClaim)).toBe(true);
    expect(subject.fullName).toEqual({ en: ["Ana Andromeda"] });
    const [claim = {}] = subject.hasClaim as Record<string, unknown>[];
    expect(Array.isArray(claim.awardedBy)).toBe(false);
    expect(Array.isArray((claim.awardedBy as Record<string, unknown>).awardingBody)).toBe(true);
    expect(Array.isArray(claim.specifiedBy)).toBe(false);
    expect(valuesAt(d, `${Q}.eqfLevel.prefLabel`)).toEqual([{ en: ["Level 6"] }]);
  });

  it("keeps one language of the learner's names, as SHACL allows one (maxCount 1)", () => {
    // Prepare
    const c = minimal();
    c.learner.fullName = { el: "Άννα Ανδρομέδα", en: "Ana Andromeda" };
    // Act
    const { document, losses } = write(c);
    // Assess
    expect(valuesAt(document, "credentialSubject.fullName")).toEqual([{ en: "Ana Andromeda" }]);
    expect(losses.map((l) => l.path)).toEqual(["/learner/fullName/el"]);
  });

  it("keeps one language where EBSI allows one, and sets issued when the credential has none", () => {
    // Prepare
    const c = minimal();
    c.learner.fullName = { en: "Ana Andromeda", el: "Άννα Ανδρομέδα" };
    // Act
    const { document, losses, warnings } = write(c, { form: "ebsi" });
    // Assess
    expect(valuesAt(document, "credentialSubject.fullName")).toEqual([{ en: ["Ana Andromeda"] }]);
    expect(losses.map((l) => l.path)).toContain("/learner/fullName/el");
    expect(document.issued).toBe("2024-05-01T12:00:00Z");
    expect(warnings.map((w) => w.path)).toContain("/issued");
  });
});

describe("render", () => {
  it("escapes markup in the learner's and the awarding body's names", () => {
    // Prepare
    const c = minimal(emptyOrganisation({ en: "R&D <Institute>" }));
    c.learner.fullName = { en: `Ana <script>alert("x")</script> & O'Brien` };
    // Act
    const svg = renderCredentialSvg(c, "en");
    // Assess
    expect(svg).toContain("Ana &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&apos;Brien");
    expect(svg).toContain("R&amp;D &lt;Institute&gt;");
    expect(svg).not.toContain("<script>");
    expect(svg.match(/<text /g)?.length).toBe(svg.match(/<\/text>/g)?.length);
  });

  it("escapes any text, and drops characters XML cannot hold", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 64 }),
        (s) =>
          // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that XML-forbidden characters are gone.
          !/[<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F]|&(?!(amp|lt|gt|quot|apos);)/.test(escapeXml(s)),
      ),
    );
  });

  it("wraps long text into a bounded number of lines", () => {
    // Act
    const lines = wrap("Communication, collaboration and creativity in the team and beyond it", 20, 2);
    // Assess
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.length <= 20)).toBe(true);
    expect(lines[1]?.endsWith("…")).toBe(true);
  });
});

describe("writeElm: any canonical credential", () => {
  const text: fc.Arbitrary<LangMap> = fc.dictionary(fc.constantFrom("en", "fr", "und", "de-AT", "xx"), fc.string(), {
    maxKeys: 3,
  });
  const concept: fc.Arbitrary<Concept> = fc.record(
    {
      uri: fc.constantFrom(
        "http://data.europa.eu/snb/eqf/6",
        "http://data.europa.eu/snb/isced-f/0688",
        "http://publications.europa.eu/resource/authority/language/ENG",
        "https://example.org/c/1",
        "urn:x:1",
      ),
      label: text,
      notation: fc.string({ maxLength: 4 }),
      scheme: fc.constantFrom("http://data.europa.eu/snb/eqf/25831c2", "urn:scheme"),
    },
    { requiredKeys: [] },
  );
  const org: fc.Arbitrary<Organisation> = fc
    .record({
      legalName: text,
      id: fc.option(fc.constantFrom("urn:epass:org:1", "urn:epass:org:2"), { nil: undefined }),
      country: fc.option(fc.constantFrom("IE", "BE", "XK", "zz"), { nil: undefined }),
      identifiers: fc.array(
        fc.record({
          value: fc.string(),
          kind: fc.constantFrom("eidas", "registration", "vat", "tax", "national", "legal", "other" as const),
          country: fc.option(fc.constantFrom("IE", "QQ"), { nil: undefined }),
          hashed: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
    })
    .map(({ legalName, id, country, identifiers }) => {
      const o = emptyOrganisation(legalName);
      if (id) o.id = id;
      if (country) o.locations = [{ address: { country, locality: "Town" } }];
      o.identifiers = identifiers.map(({ country: c, ...rest }) => (c ? { ...rest, country: c } : rest));
      return o;
    });
  const claim = (depth: number): fc.Arbitrary<Claim> =>
    fc
      .record({
        kind: fc.constantFrom("achievement", "assessment", "activity", "entitlement" as const),
        title: text,
        bodies: fc.array(org, { maxLength: 2 }),
        specKind: fc.option(
          fc.constantFrom("qualification", "achievement", "assessment", "activity", "entitlement" as const),
          {
            nil: undefined,
          },
        ),
        concepts: fc.array(concept, { maxLength: 3 }),
        grade: fc.option(fc.string(), { nil: undefined }),
        level: fc.option(fc.integer({ min: -5, max: 120 }), { nil: undefined }),
        parts: depth > 0 ? fc.array(claim(depth - 1), { maxLength: 2 }) : fc.constant<Claim[]>([]),
        refs: fc.array(fc.constantFrom("urn:epass:qualification:9", "urn:epass:org:1"), { maxLength: 2 }),
      })
      .map((r) => {
        const cl = emptyClaim(r.kind, r.title);
        cl.awardingBodies = r.bodies;
        if (r.specKind) {
          const spec = emptySpecification(r.specKind, r.title);
          spec.fields = r.concepts;
          spec.modes = r.concepts;
          spec.languages = r.concepts;
          spec.eqfLevel = r.concepts[0];
          spec.hasPart = r.refs;
          spec.credits = [{ points: "1", ...(r.concepts[0] ? { framework: r.concepts[0] } : {}) }];
          spec.tags = ["t"];
          cl.specification = spec;
        }
        if (r.grade !== undefined) cl.grade = { value: r.grade };
        if (r.level !== undefined) cl.levelOfCompletion = r.level;
        cl.provenBy = r.parts;
        cl.hasPart = r.parts;
        cl.isPartOf = r.refs;
        return cl;
      });
  const credential: fc.Arbitrary<{ c: CanonicalCredential; options: Partial<Parameters<typeof writeElm>[1]> }> = fc
    .record({
      claims: fc.array(claim(2), { maxLength: 3 }),
      issuer: fc.option(org, { nil: undefined }),
      title: fc.option(text, { nil: undefined }),
      form: fc.constantFrom("edc", "ebsi" as const),
      embed: fc.boolean(),
      original: fc.option(fc.oneof(fc.string(), fc.object()), { nil: undefined }),
      profile: fc.constantFrom("auto", "generic", "accredited", "converted" as const),
    })
    .map((r) => {
      const c = emptyCredential("ob3");
      c.claims = r.claims;
      if (r.issuer) c.issuer = r.issuer;
      if (r.title) c.title = r.title;
      if (r.original !== undefined) c.provenance.original = r.original;
      return { c, options: { form: r.form, embedOriginal: r.embed, profile: r.profile } };
    });

  it("never throws, gives every node an id and a type, and reports losses and warnings with paths", () => {
    fc.assert(
      fc.property(credential, ({ c, options }) => {
        const { document, losses, warnings } = write(c, options);
        expect(nodesWithoutIdOrType(document)).toEqual([]);
        expect(JSON.parse(JSON.stringify(document))).toEqual(document);
        for (const issue of [...losses.map((l) => l.path), ...warnings.map((w) => w.path)]) {
          expect(issue === "" || issue.startsWith("/")).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
