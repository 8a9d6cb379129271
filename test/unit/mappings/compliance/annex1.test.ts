import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ANNEX1_ELEMENTS,
  type Annex1Report,
  CANONICAL_PREFIX,
  checkAnnex1,
  ELEMENT_IDS,
  type ElementId,
  type ElementResult,
  isMicroCredential,
  MANDATORY_ELEMENTS,
  OPTIONAL_ELEMENTS,
} from "../../../../mappings/compliance/annex1.js";
import {
  type CanonicalCredential,
  type Claim,
  emptyAccreditation,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type Specification,
} from "../../../../mappings/model.js";
import {
  ACCREDITATION_TYPES,
  ECTS,
  eqfConcept,
  LEARNING_SETTINGS,
  MODES,
  SUPERVISION,
  snbConcept,
} from "../../../../mappings/vocab/index.js";

const HAS_CLAIM = "/credentialSubject/hasClaim";
const SPEC = `${HAS_CLAIM}/specifiedBy`;
const ASSESSMENT = `${HAS_CLAIM}/provenBy`;

/** Canonical pointer → ELM source pointer, as an ELM reader records them for the EC micro-credential sample. */
const PATHS: Record<string, string> = {
  "/learner": "/credentialSubject",
  "/learner/givenName": "/credentialSubject/givenName",
  "/issuer": "/issuer",
  "/issuer/locations/0": "/issuer/location/0",
  "/issuer/locations/0/address/country": "/issuer/location/0/address/countryCode",
  "/issued": "/issued",
  "/validFrom": "/validFrom",
  "/claims/0": HAS_CLAIM,
  "/claims/0/title": `${HAS_CLAIM}/title`,
  "/claims/0/awardingBodies": `${HAS_CLAIM}/awardedBy/awardingBody`,
  "/claims/0/awardingBodies/0": `${HAS_CLAIM}/awardedBy/awardingBody`,
  "/claims/0/specification": SPEC,
  "/claims/0/specification/title": `${SPEC}/title`,
  "/claims/0/specification/learningOutcomes": `${SPEC}/learningOutcome`,
  "/claims/0/specification/learningOutcomes/0": `${SPEC}/learningOutcome/0`,
  "/claims/0/specification/credits": `${SPEC}/creditPoint`,
  "/claims/0/specification/credits/0": `${SPEC}/creditPoint`,
  "/claims/0/specification/volumeOfLearning": `${SPEC}/volumeOfLearning`,
  "/claims/0/specification/eqfLevel": `${SPEC}/eqfLevel`,
  "/claims/0/specification/modes": `${SPEC}/mode`,
  "/claims/0/specification/accreditations": `${SPEC}/accreditation`,
  "/claims/0/specification/entryRequirement": `${SPEC}/entryRequirement`,
  "/claims/0/specification/isPartialQualification": `${SPEC}/isPartialQualification`,
  "/claims/0/specification/additionalNotes": `${SPEC}/additionalNote`,
  "/claims/0/provenBy/0": ASSESSMENT,
  "/claims/0/provenBy/0/specification/types": `${ASSESSMENT}/specifiedBy/dcType`,
  "/claims/0/provenBy/0/idVerification": `${ASSESSMENT}/idVerification`,
  "/claims/0/provenBy/0/grade": `${ASSESSMENT}/grade`,
};

/** Where each element of {@link completeMicroCredential} is in its (JAdES-enveloped) input. */
const EXPECTED_PATHS: Record<ElementId, string> = {
  learner: "/payload/credentialSubject",
  title: `/payload${HAS_CLAIM}/title`,
  issuerCountry: "/payload/issuer/location/0/address/countryCode",
  awardingBody: `/payload${HAS_CLAIM}/awardedBy/awardingBody`,
  issuanceDate: "/payload/issued",
  learningOutcomes: `/payload${SPEC}/learningOutcome`,
  workload: `/payload${SPEC}/creditPoint`,
  level: `/payload${SPEC}/eqfLevel`,
  assessmentType: `/payload${ASSESSMENT}/specifiedBy/dcType`,
  participationForm: `/payload${SPEC}/mode`,
  qualityAssurance: `/payload${SPEC}/accreditation`,
  prerequisites: `/payload${SPEC}/entryRequirement`,
  supervisionAndIdVerification: `/payload${ASSESSMENT}/idVerification`,
  grade: `/payload${ASSESSMENT}/grade`,
  stackability: `/payload${SPEC}/isPartialQualification`,
  furtherInformation: `/payload${SPEC}/additionalNote`,
};

/** A micro-credential with all 11 mandatory and 5 optional Annex I elements, shaped after the EC sample. */
function completeMicroCredential(): CanonicalCredential {
  const credential = emptyCredential("elm");
  credential.id = "urn:credential:test";
  credential.types = ["VerifiableCredential", "EuropeanDigitalCredential"];
  credential.provenance = { format: "elm", variant: "jades", root: "/payload", paths: { ...PATHS } };

  credential.learner.givenName = { en: "Ana" };
  credential.learner.familyName = { en: "Andromeda" };
  credential.learner.dateOfBirth = "1999-10-01T22:00:00Z";
  credential.learner.nationalId = { value: "LA-234218", kind: "national", country: "IT" };

  const issuer = emptyOrganisation({ en: "ORGANIZACION TEST" });
  issuer.locations = [{ address: { country: "IE" } }, { address: { country: "ES" } }];
  credential.issuer = issuer;
  credential.issued = "2023-09-27T13:54:17+02:00";
  credential.validFrom = "2022-12-31T23:00:00Z";

  const spec = emptySpecification("qualification", { en: "Digital micro-credential creation" });
  spec.types = [snbConcept("learning-opportunity", "74a4a268e8")];
  spec.learningOutcomes = [
    { title: { en: "Communication, collaboration and creativity" }, escoSkills: [], relatedSkills: [] },
    { title: { en: "Developing digital content" }, escoSkills: [], relatedSkills: [] },
  ];
  spec.credits = [{ framework: ECTS, points: "2" }];
  spec.volumeOfLearning = "PT60H";
  spec.eqfLevel = eqfConcept(6);
  spec.modes = [MODES.blended];
  spec.learningSettings = [LEARNING_SETTINGS.nonFormal];
  spec.accreditations = [
    { ...emptyAccreditation(), id: "https://data.deqar.eu/report/1", types: [ACCREDITATION_TYPES.programmeQa] },
  ];
  spec.entryRequirement = { en: "An EU Login account." };
  spec.isPartialQualification = false;
  spec.additionalNotes = [{ en: "Part of the EDC training series." }];

  const assessmentSpec = emptySpecification("assessment", { en: "Digital artefact assessment" });
  assessmentSpec.types = [snbConcept("assessment", "de4d165a6c")];
  const assessment = emptyClaim("assessment", { en: "Digital artefact assessment" });
  assessment.specification = assessmentSpec;
  assessment.grade = { value: "Pass" };
  assessment.idVerification = SUPERVISION.unsupervisedWithoutId;

  const achievement = emptyClaim("achievement", { en: "Digital micro-credential creation" });
  achievement.awardingBodies = [
    { ...emptyOrganisation({ en: "University of Zed" }), locations: [{ address: { country: "IE" } }] },
  ];
  achievement.specification = spec;
  achievement.provenBy = [assessment];
  credential.claims = [achievement];
  return credential;
}

/** The main achievement, its specification and its assessment of a credential built by the factory. */
function parts(c: CanonicalCredential): { claim: Claim; spec: Specification; assessment: Claim } {
  const claim = c.claims[0];
  const spec = claim?.specification;
  const assessment = claim?.provenBy[0];
  if (!claim || !spec || !assessment) throw new Error("not a credential from completeMicroCredential()");
  return { claim, spec, assessment };
}

/** For each element, how to take all of its data out of a {@link completeMicroCredential} (and nothing else). */
const REMOVE: Record<ElementId, (c: CanonicalCredential) => void> = {
  learner: (c) => {
    delete c.learner.givenName;
    delete c.learner.familyName;
    delete c.learner.fullName;
  },
  title: (c) => {
    const { claim, spec } = parts(c);
    claim.title = {};
    spec.title = {};
    delete c.title;
  },
  issuerCountry: (c) => {
    if (c.issuer) c.issuer.locations = [];
    for (const body of parts(c).claim.awardingBodies) body.locations = [];
  },
  awardingBody: (c) => {
    parts(c).claim.awardingBodies = [];
  },
  issuanceDate: (c) => {
    delete c.issued;
    delete c.validFrom;
    delete parts(c).claim.awardingDate;
  },
  learningOutcomes: (c) => {
    const { spec } = parts(c);
    spec.learningOutcomes = [];
    delete spec.learningOutcomeSummary;
  },
  workload: (c) => {
    const { claim, spec } = parts(c);
    spec.credits = [];
    delete spec.volumeOfLearning;
    claim.creditsEarned = [];
  },
  level: (c) => {
    const { spec } = parts(c);
    delete spec.eqfLevel;
    delete spec.qfEheaLevel;
    spec.nqfLevels = [];
  },
  assessmentType: (c) => {
    const { assessment } = parts(c);
    assessment.title = {};
    if (assessment.specification) {
      assessment.specification.types = [];
      assessment.specification.title = {};
    }
  },
  participationForm: (c) => {
    const { claim, spec } = parts(c);
    spec.modes = [];
    spec.learningSettings = [];
    for (const activity of claim.influencedBy) if (activity.specification) activity.specification.modes = [];
  },
  qualityAssurance: (c) => {
    const { claim, spec } = parts(c);
    spec.accreditations = [];
    for (const body of claim.awardingBodies) body.accreditations = [];
    if (c.issuer) c.issuer.accreditations = [];
    for (const e of c.evidence) e.accreditations = [];
  },
  prerequisites: (c) => {
    delete parts(c).spec.entryRequirement;
  },
  supervisionAndIdVerification: (c) => {
    delete parts(c).assessment.idVerification;
  },
  grade: (c) => {
    const { claim, assessment } = parts(c);
    delete assessment.grade;
    assessment.results = [];
    claim.results = [];
  },
  stackability: (c) => {
    const { claim, spec } = parts(c);
    delete spec.isPartialQualification;
    spec.hasPart = [];
    spec.isPartOf = [];
    spec.entitlesTo = [];
    claim.hasPart = [];
    claim.isPartOf = [];
    claim.entitlesTo = [];
  },
  furtherInformation: (c) => {
    const { claim, spec } = parts(c);
    spec.additionalNotes = [];
    spec.supplementaryDocuments = [];
    spec.homepages = [];
    claim.additionalNotes = [];
    claim.supplementaryDocuments = [];
    c.additionalNotes = [];
  },
};

const element = (report: Annex1Report, id: ElementId): ElementResult => {
  const found = report.elements.find((e) => e.element === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
};

/** A complete credential changed by `change`, checked. */
const checkWith = (change: (c: CanonicalCredential) => void): Annex1Report => {
  const c = completeMicroCredential();
  change(c);
  return checkAnnex1(c);
};

describe("Annex I element table", () => {
  it("lists every element once, the 11 mandatory ones first, as required", () => {
    // Act
    const ids = ANNEX1_ELEMENTS.map((e) => e.id);

    // Assess
    expect(ids).toEqual([...ELEMENT_IDS]);
    expect(MANDATORY_ELEMENTS).toHaveLength(11);
    expect(OPTIONAL_ELEMENTS).toHaveLength(5);
    for (const row of ANNEX1_ELEMENTS) {
      expect(row.required, row.id).toBe((MANDATORY_ELEMENTS as readonly string[]).includes(row.id));
      expect(row.reads.length, row.id).toBeGreaterThan(0);
    }
  });
});

describe("checkAnnex1 on a complete micro-credential", () => {
  it("reports all 16 elements present, each with its path into the input", () => {
    // Act
    const report = checkAnnex1(completeMicroCredential());

    // Assess
    expect(report.elements.map((e) => e.element)).toEqual([...ELEMENT_IDS]);
    for (const e of report.elements) {
      expect(e.status, e.element).toBe("present");
      expect(e.path, e.element).toBe(EXPECTED_PATHS[e.element]);
      expect(e.source, e.element).toBe("credential");
      expect(e.required, e.element).toBe((MANDATORY_ELEMENTS as readonly string[]).includes(e.element));
    }
    expect(report.microCredential).toMatchObject({ compliant: true, missing: [], invalid: [] });
  });

  it("reports compact values, and only the names of the learner's identifying fields", () => {
    // Act
    const report = checkAnnex1(completeMicroCredential());

    // Assess
    expect(element(report, "learner").value).toEqual(["givenName", "familyName", "dateOfBirth", "nationalId"]);
    expect(JSON.stringify(element(report, "learner"))).not.toMatch(/Ana|Andromeda|1999|LA-234218/);
    expect(element(report, "title").value).toBe("Digital micro-credential creation");
    expect(element(report, "issuerCountry").value).toEqual(["IE", "ES"]);
    expect(element(report, "awardingBody").value).toEqual(["University of Zed"]);
    expect(element(report, "issuanceDate").value).toEqual({ date: "2023-09-27T13:54:17+02:00", from: "issued" });
    expect(element(report, "learningOutcomes").value).toMatchObject({ count: 2 });
    expect(element(report, "workload").value).toEqual({ ects: 2, hours: 60 });
    expect(element(report, "level").value).toBe("EQF 6");
    expect(element(report, "assessmentType").value).toBe("artefact assessment");
    expect(element(report, "participationForm").value).toEqual({ form: ["Blended"], from: "specification" });
    expect(element(report, "qualityAssurance").value).toEqual({
      accreditations: ["Program Quality Assurance (https://data.deqar.eu/report/1)"],
      from: "specification",
    });
    expect(element(report, "supervisionAndIdVerification").value).toBe("Unsupervised without ID Verification");
    expect(element(report, "grade").value).toBe("Pass");
    expect(element(report, "stackability").value).toEqual({ isPartialQualification: false });
  });
});

describe("quality assurance from the issuer", () => {
  it("is present when only the issuer holds an accreditation (Europass XML: hasAccreditation on the organisation)", () => {
    // Prepare: the specification and awarding bodies hold none; the issuer has an institutional audit.
    const c = completeMicroCredential();
    REMOVE.qualityAssurance(c);
    if (!c.issuer) throw new Error("the sample has an issuer");
    c.issuer.accreditations = [
      { ...emptyAccreditation(), id: "https://data.deqar.eu/report/7", types: [ACCREDITATION_TYPES.programmeQa] },
    ];

    // Act
    const report = checkAnnex1(c);

    // Assess
    expect(element(report, "qualityAssurance").status).toBe("present");
    expect(element(report, "qualityAssurance").value).toMatchObject({ from: "issuer" });
    expect(JSON.stringify(element(report, "qualityAssurance").value)).toContain("https://data.deqar.eu/report/7");
  });
});

describe("removing one element's data", () => {
  const baseline = checkAnnex1(completeMicroCredential());

  it("flips exactly that element to missing and leaves the others as they were", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ELEMENT_IDS), (removed) => {
        // Prepare
        const credential = completeMicroCredential();
        REMOVE[removed](credential);

        // Act
        const report = checkAnnex1(credential);

        // Assess
        for (const [i, result] of report.elements.entries()) {
          if (result.element === removed) {
            expect(result.status).toBe("missing");
            expect(result.path).toBeUndefined();
            expect(result.detail).toBeTruthy();
          } else {
            expect(result).toEqual(baseline.elements[i]);
          }
        }
        const mandatory = (MANDATORY_ELEMENTS as readonly string[]).includes(removed);
        expect(report.microCredential.compliant).toBe(!mandatory);
        expect(report.microCredential.missing).toEqual(mandatory ? [removed] : []);
      }),
    );
  });

  it("flips any set of elements to missing, and only those", () => {
    fc.assert(
      fc.property(fc.subarray([...ELEMENT_IDS]), (removed) => {
        // Prepare
        const credential = completeMicroCredential();
        for (const id of removed) REMOVE[id](credential);

        // Act
        const report = checkAnnex1(credential);

        // Assess
        const missing = report.elements.filter((e) => e.status === "missing").map((e) => e.element);
        expect(missing).toEqual(ELEMENT_IDS.filter((id) => removed.includes(id)));
        expect(report.microCredential.missing).toEqual(MANDATORY_ELEMENTS.filter((id) => removed.includes(id)));
      }),
    );
  });
});

describe("invalid values", () => {
  it("rejects ECTS points that are not a number", () => {
    // Act
    const report = checkWith((c) => {
      parts(c).spec.credits = [{ framework: ECTS, points: "abc" }];
    });

    // Assess
    expect(element(report, "workload")).toMatchObject({
      status: "invalid",
      path: EXPECTED_PATHS.workload,
      detail: expect.stringContaining('"abc"'),
    });
    expect(report.microCredential).toMatchObject({ compliant: false, missing: [], invalid: ["workload"] });
    expect(report.microCredential.deqar.reasons).toContain("the ECTS credit points are not a number");
  });

  it("rejects negative ECTS points and a volume of learning that is not an ISO 8601 duration", () => {
    // Act
    const negative = checkWith((c) => {
      parts(c).spec.credits = [{ framework: ECTS, points: "-2" }];
    });
    const hours = checkWith((c) => {
      parts(c).spec.volumeOfLearning = "60 hours";
    });

    // Assess
    expect(element(negative, "workload")).toMatchObject({ status: "invalid", detail: expect.stringContaining("-2") });
    expect(element(hours, "workload")).toMatchObject({
      status: "invalid",
      path: `/payload${SPEC}/volumeOfLearning`,
      detail: expect.stringContaining("ISO 8601"),
    });
  });

  it("rejects an EQF level outside 1–8", () => {
    // Act
    const report = checkWith((c) => {
      parts(c).spec.eqfLevel = { uri: "http://data.europa.eu/snb/eqf/9", label: { en: "Level 9" } };
    });

    // Assess
    expect(element(report, "level")).toMatchObject({
      status: "invalid",
      path: EXPECTED_PATHS.level,
      value: "EQF 9",
      detail: expect.stringContaining("1–8"),
    });
    expect(report.microCredential.invalid).toEqual(["level"]);
  });

  it("rejects a QF-EHEA level that names no cycle", () => {
    // Act
    const report = checkWith((c) => {
      parts(c).spec.qfEheaLevel = { label: { en: "fourth cycle" } };
    });

    // Assess
    expect(element(report, "level")).toMatchObject({ status: "invalid", detail: expect.stringContaining("no cycle") });
  });

  it("rejects a date of issuing that is not a date, rather than falling back to validFrom", () => {
    // Act
    const report = checkWith((c) => {
      c.issued = "yesterday";
    });

    // Assess
    expect(element(report, "issuanceDate")).toMatchObject({
      status: "invalid",
      path: "/payload/issued",
      detail: expect.stringContaining('"yesterday"'),
    });
  });

  it("rejects a country that is not an ISO 3166-1 alpha-2 code", () => {
    // Act
    const report = checkWith((c) => {
      if (c.issuer) c.issuer.locations = [{ address: { country: "Narnia" } }];
    });

    // Assess
    expect(element(report, "issuerCountry")).toMatchObject({
      status: "invalid",
      value: "Narnia",
      path: EXPECTED_PATHS.issuerCountry,
      detail: expect.stringContaining("ISO 3166-1 alpha-2"),
    });
  });

  it("rejects an awarding body without a legal name and learning outcomes without a title", () => {
    // Act
    const report = checkWith((c) => {
      const { claim, spec } = parts(c);
      claim.awardingBodies = [emptyOrganisation()];
      spec.learningOutcomes = [
        { title: {}, escoSkills: [{ uri: "http://data.europa.eu/esco/skill/x" }], relatedSkills: [] },
      ];
    });

    // Assess
    expect(element(report, "awardingBody")).toMatchObject({
      status: "invalid",
      detail: expect.stringContaining("legal name"),
    });
    expect(element(report, "learningOutcomes")).toMatchObject({
      status: "invalid",
      path: EXPECTED_PATHS.learningOutcomes,
    });
  });
});

describe("checkAnnex1 on an empty credential", () => {
  it("reports every element missing, without throwing", () => {
    // Act
    const report = checkAnnex1(emptyCredential("ob3"));

    // Assess
    expect(report.elements.every((e) => e.status === "missing" && e.detail && e.path === undefined)).toBe(true);
    expect(report.microCredential).toMatchObject({ compliant: false, missing: [...MANDATORY_ELEMENTS], invalid: [] });
    expect(report.microCredential.deqar).toMatchObject({ eligible: false, fullDegree: false, assessmentType: false });
    expect(report.microCredential.deqar.reasons).toHaveLength(3);
  });
});

describe("fallbacks", () => {
  it("takes the date of issuing from the awarding date, else validFrom, when the credential is not sealed", () => {
    // Act
    const awarded = checkWith((c) => {
      delete c.issued;
      parts(c).claim.awardingDate = "2023-06-30";
    });
    const valid = checkWith((c) => {
      delete c.issued;
    });

    // Assess
    expect(element(awarded, "issuanceDate")).toMatchObject({
      status: "present",
      value: { date: "2023-06-30", from: "awardingDate" },
    });
    expect(element(valid, "issuanceDate")).toMatchObject({
      status: "present",
      path: "/payload/validFrom",
      value: { date: "2022-12-31T23:00:00Z", from: "validFrom" },
    });
  });

  it("takes the country from the awarding body when the issuer has none", () => {
    // Act
    const report = checkWith((c) => {
      if (c.issuer) c.issuer.locations = [];
    });

    // Assess
    expect(element(report, "issuerCountry")).toMatchObject({
      status: "present",
      value: ["IE"],
      detail: expect.stringContaining("awarding body"),
    });
  });

  it("says where the form of participation came from", () => {
    // Act
    const setting = checkWith((c) => {
      parts(c).spec.modes = [];
    });
    const activity = checkWith((c) => {
      const { claim, spec } = parts(c);
      spec.modes = [];
      const activitySpec = emptySpecification("activity", { en: "Course" });
      activitySpec.modes = [MODES.online];
      claim.influencedBy = [{ ...emptyClaim("activity", { en: "Course" }), specification: activitySpec }];
    });

    // Assess
    expect(element(setting, "participationForm").value).toEqual({
      form: ["non-formal learning"],
      from: "learning setting",
    });
    expect(element(activity, "participationForm").value).toEqual({ form: ["Online"], from: "activity" });
  });

  it("counts a learner named by full name, and not one known only by identifiers", () => {
    // Act
    const fullName = checkWith((c) => {
      delete c.learner.givenName;
      delete c.learner.familyName;
      c.learner.fullName = { en: "Ana Andromeda" };
    });
    const onlyIds = checkWith((c) => {
      delete c.learner.givenName;
      delete c.learner.familyName;
      c.learner.identifiers = [{ value: "sha256$abc", kind: "other", identityType: "emailAddress", hashed: true }];
    });

    // Assess
    expect(element(fullName, "learner").status).toBe("present");
    expect(element(onlyIds, "learner")).toMatchObject({
      status: "missing",
      detail: expect.stringContaining("dateOfBirth, nationalId, identifiers"),
    });
  });

  it("looks at every claim, preferring the first achievement, and points at the claim it used", () => {
    // Prepare
    const credential = completeMicroCredential();
    const activity = emptyClaim("activity", { en: "Attendance" });
    const main = parts(credential);
    main.spec.learningOutcomes = [];
    const second = emptyClaim("achievement", { en: "Second" });
    second.specification = emptySpecification("achievement", { en: "Second" });
    second.specification.learningOutcomes = [{ title: { en: "Outcome" }, escoSkills: [], relatedSkills: [] }];
    credential.claims = [activity, main.claim, second];
    credential.provenance.paths = {};

    // Act
    const report = checkAnnex1(credential);

    // Assess
    expect(element(report, "title")).toMatchObject({
      value: "Digital micro-credential creation",
      path: "#canonical/claims/1/title",
    });
    expect(element(report, "learningOutcomes").path).toBe("#canonical/claims/2/specification/learningOutcomes");
  });
});

describe("paths into the input", () => {
  it("derives a node's path from a traced descendant when the node itself was not traced", () => {
    // Prepare
    const credential = completeMicroCredential();
    credential.provenance.paths = {
      "/claims/0/specification/learningOutcomes/1/title": `${SPEC}/learningOutcome/1/title`,
      "/claims/0/provenBy/0/grade/value": `${ASSESSMENT}/grade/noteLiteral`,
      "/claims/0/awardingBodies/0/legalName": `${HAS_CLAIM}/awardedBy/awardingBody/legalName`,
      "/claims/0/title/en": `${HAS_CLAIM}/title/en/0`,
    };

    // Act
    const report = checkAnnex1(credential);

    // Assess
    expect(element(report, "learningOutcomes").path).toBe(EXPECTED_PATHS.learningOutcomes);
    expect(element(report, "grade").path).toBe(EXPECTED_PATHS.grade);
    expect(element(report, "awardingBody").path).toBe(EXPECTED_PATHS.awardingBody);
    expect(element(report, "title").path).toBe(EXPECTED_PATHS.title);
  });

  it("falls back to a #canonical pointer when the reader traced nothing", () => {
    // Act
    const report = checkWith((c) => {
      c.provenance.paths = {};
    });

    // Assess
    expect(element(report, "level").path).toBe(`${CANONICAL_PREFIX}/claims/0/specification/eqfLevel`);
    expect(element(report, "learner").path).toBe(`${CANONICAL_PREFIX}/learner`);
  });

  it("does not prefix the root twice when the reader traced rooted pointers", () => {
    // Act
    const report = checkWith((c) => {
      c.provenance.paths = Object.fromEntries(Object.entries(PATHS).map(([k, v]) => [k, `/payload${v}`]));
    });

    // Assess
    for (const e of report.elements) expect(e.path, e.element).toBe(EXPECTED_PATHS[e.element]);
  });
});

describe("DEQAR's micro-credential rule", () => {
  it("lists a 2-ECTS, EQF 6, assessed micro-credential", () => {
    // Act
    const { deqar } = checkAnnex1(completeMicroCredential()).microCredential;

    // Assess
    expect(deqar).toEqual({
      eligible: true,
      reasons: [],
      ects: 2,
      level: { eqf: 6, qfEhea: "first" },
      fullDegree: false,
      assessmentType: true,
    });
  });

  it("does not list 60 ECTS, saying why", () => {
    // Act
    const { deqar } = checkWith((c) => {
      const { spec } = parts(c);
      spec.credits = [{ framework: ECTS, points: "60" }];
      spec.isPartialQualification = true;
    }).microCredential;

    // Assess
    expect(deqar.eligible).toBe(false);
    expect(deqar.fullDegree).toBe(false);
    expect(deqar.reasons).toEqual([expect.stringMatching(/^60 ECTS is more than 59 ECTS/)]);
  });

  it("does not list a 180-ECTS full degree", () => {
    // Act
    const { deqar } = checkWith((c) => {
      const { spec } = parts(c);
      spec.credits = [{ framework: ECTS, points: "180" }];
      spec.types = [snbConcept("learning-opportunity", "79343569f3")];
    }).microCredential;

    // Assess
    expect(deqar).toMatchObject({ eligible: false, fullDegree: true, ects: 180 });
    expect(deqar.reasons).toEqual([
      expect.stringContaining("is a full degree: a qualification of 180 ECTS"),
      expect.stringContaining("180 ECTS is more than 59 ECTS"),
    ]);
  });

  it("counts a whole qualification of 60 ECTS and an educational programme at EQF 6 without ECTS as full degrees", () => {
    // Act
    const whole = checkWith((c) => {
      parts(c).spec.credits = [{ framework: ECTS, points: "60" }];
    }).microCredential.deqar;
    const programme = checkWith((c) => {
      const { spec } = parts(c);
      spec.credits = [];
      spec.types = [snbConcept("learning-opportunity", "79343569f3")];
    }).microCredential.deqar;

    // Assess
    expect(whole.fullDegree).toBe(true);
    expect(programme.fullDegree).toBe(true);
    expect(programme.reasons).toContainEqual(expect.stringContaining("no workload in ECTS"));
  });

  it("does not list a micro-credential without a level, or at EQF 4", () => {
    // Act
    const none = checkWith((c) => {
      delete parts(c).spec.eqfLevel;
    }).microCredential.deqar;
    const eqf4 = checkWith((c) => {
      parts(c).spec.eqfLevel = eqfConcept(4);
    }).microCredential.deqar;

    // Assess
    expect(none).toMatchObject({ eligible: false, reasons: [expect.stringContaining("no level")] });
    expect(none.level).toBeUndefined();
    expect(eqf4).toMatchObject({ eligible: false, level: { eqf: 4 }, reasons: [expect.stringContaining("EQF 4")] });
  });

  it("accepts a QF-EHEA cycle in place of an EQF level", () => {
    // Act
    const { deqar } = checkWith((c) => {
      const { spec } = parts(c);
      delete spec.eqfLevel;
      spec.qfEheaLevel = { label: { en: "Short cycle" } };
    }).microCredential;

    // Assess
    expect(deqar).toMatchObject({ eligible: true, level: { qfEhea: "short" } });
  });

  it("does not list a micro-credential without an assessment", () => {
    // Act
    const { deqar } = checkWith((c) => {
      parts(c).claim.provenBy = [];
    }).microCredential;

    // Assess
    expect(deqar).toMatchObject({ eligible: false, assessmentType: false, reasons: ["no type of assessment"] });
  });
});

describe("the compliance answer alone (isMicroCredential, what the OB 3.0 writer asks)", () => {
  it("is the full report's answer, whatever elements are removed", () => {
    fc.assert(
      fc.property(fc.subarray([...ELEMENT_IDS]), (removed) => {
        // Prepare
        const credential = completeMicroCredential();
        for (const id of removed) REMOVE[id](credential);

        // Act
        const compliant = isMicroCredential(credential);

        // Assess
        expect(compliant).toBe(checkAnnex1(credential).microCredential.compliant);
        expect(compliant).toBe(!MANDATORY_ELEMENTS.some((id) => removed.includes(id)));
      }),
    );
  });

  it("is false for an invalid mandatory element, as the full report's", () => {
    // Prepare
    const credential = completeMicroCredential();
    parts(credential).spec.credits = [{ framework: ECTS, points: "abc" }];

    // Act
    const compliant = isMicroCredential(credential);

    // Assess
    expect(checkAnnex1(credential).microCredential.compliant).toBe(false);
    expect(compliant).toBe(false);
  });
});
