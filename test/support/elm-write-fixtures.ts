/**
 * Canonical credentials for the ELM writer's tests, built with the model's `empty*` factories: a complete EU
 * micro-credential (every Annex I element, mandatory and optional) and variations of it. Each call returns fresh
 * objects, so a test may change what it gets.
 */
import {
  type CanonicalCredential,
  type Claim,
  emptyAccreditation,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type Organisation,
} from "../../mappings/model.js";
import {
  ACCREDITATION_TYPES,
  ECTS,
  eqfConcept,
  LEARNING_SETTINGS,
  MODES,
  SUPERVISION,
  snbConcept,
} from "../../mappings/vocab/index.js";

export const ESCO_SKILL = "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9";
export const NQF_LEVEL = "http://data.europa.eu/snb/qdr/c_c392e7a2";

/** The awarding body: University of Zed, Dublin (IE), with its registration and VAT numbers. */
export function universityOfZed(): Organisation {
  const org = emptyOrganisation({ en: "University of Zed" });
  org.id = "urn:epass:org:1";
  org.altNames = [{ en: "UniZ" }];
  org.identifiers = [
    { kind: "registration", value: "0000", country: "IE" },
    { kind: "vat", value: "IE654321", country: "IE" },
  ];
  org.locations = [
    {
      name: { en: "Main campus" },
      address: { country: "IE", full: { en: "Instant Street 16, D08 Dublin" } },
      area: { uri: "http://publications.europa.eu/resource/authority/atu/IRL_CTH_DUB", label: { en: "Dublin city" } },
    },
  ];
  org.homepages = ["https://uniz.example"];
  org.emails = ["info@uniz.example"];
  org.phones = ["+353 1 555 0100"];
  org.description = { en: "A public university in Dublin." };
  org.memberOf = [{ id: "urn:epass:group:1", name: { en: "Research Alliance" } }];
  return org;
}

/** The issuer (the sealer): an eIDAS legal person in Ireland. */
export function sealer(): Organisation {
  const org = emptyOrganisation({ en: "Zed Credentials Office" });
  org.id = "urn:epass:org:sealer";
  org.identifiers = [{ kind: "eidas", value: "VATIE-654321", country: "IE" }];
  org.locations = [{ address: { country: "IE" } }];
  return org;
}

/** The national quality-assurance agency that accredits the programme. */
export function qualityAgency(): Organisation {
  const org = emptyOrganisation({ en: "Quality and Qualifications Ireland" });
  org.id = "urn:epass:org:qqi";
  org.locations = [{ address: { country: "IE" } }];
  return org;
}

/** The assessment claim (Annex I type of assessment, supervision and identity verification, grade). */
export function assessment(): Claim {
  const a = emptyClaim("assessment", { en: "Digital artefact assessment" });
  a.id = "urn:epass:learningAssessment:1";
  a.grade = { note: { en: "Pass" } };
  a.idVerification = SUPERVISION.supervisedWithId;
  a.specification = emptySpecification("assessment", { en: "Digital artefact assessment" });
  a.specification.types = [snbConcept("assessment", "de4d165a6c")];
  a.specification.modes = [MODES.online];
  a.specification.gradingScheme = { title: { en: "Pass/fail" } };
  return a;
}

/** A micro-credential with every Annex I element, mandatory and optional, read from no format in particular. */
export function completeMicroCredential(): CanonicalCredential {
  const c = emptyCredential("csv");
  c.id = "urn:credential:5f0c3a5e-3f5e-4a42-9b5c-6f1d2c3b4a59";
  c.title = { en: "Micro-credential in digital credentials", fr: "Micro-certification en attestations numériques" };
  c.description = { en: "has successfully completed a micro-module" };
  c.identifiers = [{ kind: "other", value: "C012", scheme: "Certificate number" }];
  c.issuer = sealer();
  c.issued = "2024-03-01T10:00:00Z";
  c.validFrom = "2024-03-01T00:00:00Z";
  c.learner.id = "urn:epass:person:1";
  c.learner.givenName = { en: "Ana" };
  c.learner.familyName = { en: "Andromeda" };
  c.learner.fullName = { en: "Ana Andromeda" };
  c.learner.dateOfBirth = "1999-10-02";
  c.learner.nationalId = { kind: "national", value: "LA-234218", country: "IT" };
  c.learner.emails = ["ana.andromeda@example.org"];
  c.learner.citizenship = ["IT"];
  c.learner.addresses = [{ country: "IT", street: "Via Roma 1", postalCode: "00100", locality: "Roma" }];
  c.learner.identifiers = [{ kind: "other", value: "S-2024-0042", scheme: "Student number" }];

  const spec = emptySpecification("qualification", { en: "Digital micro-credential creation" });
  spec.id = "urn:epass:qualification:1";
  spec.types = [snbConcept("learning-opportunity", "74a4a268e8")];
  spec.learningOutcomes = [
    {
      title: { en: "Communication, collaboration and creativity" },
      escoSkills: [{ uri: ESCO_SKILL, label: { en: "stimulate creativity in the team" } }],
      relatedSkills: [],
    },
    {
      title: { en: "Developing digital content" },
      description: { en: "Creates and edits digital content in various formats." },
      escoSkills: [],
      relatedSkills: [{ uri: "http://data.europa.eu/snb/dcf/u69o196gu6", label: { en: "Developing digital content" } }],
      reusabilityLevel: { uri: "http://data.europa.eu/snb/skill-reuse-level/cross-sector" },
    },
  ];
  spec.learningOutcomeSummary = { en: "Designs and issues European Digital Credentials." };
  spec.credits = [{ framework: ECTS, points: "2" }];
  spec.volumeOfLearning = "PT60H";
  spec.eqfLevel = eqfConcept(6);
  spec.nqfLevels = [{ uri: NQF_LEVEL, label: { en: "RQF Level 6" } }];
  spec.modes = [MODES.blended];
  spec.learningSettings = [LEARNING_SETTINGS.nonFormal];
  spec.entryRequirement = { en: "An EU Login account." };
  spec.isPartialQualification = false;
  spec.additionalNotes = [{ en: "Part of the EDC training path." }];
  spec.homepages = ["https://uniz.example/mc"];
  const qa = emptyAccreditation();
  qa.id = "urn:epass:accreditation:1";
  qa.types = [ACCREDITATION_TYPES.programmeQa];
  qa.title = { en: "Programme accreditation" };
  qa.accreditingAgent = qualityAgency();
  qa.issued = "2023-01-01";
  qa.expiry = "2028-01-01";
  spec.accreditations = [qa];

  const achievement = emptyClaim("achievement", { en: "Digital micro-credential creation" });
  achievement.id = "urn:epass:learningAchievement:1";
  achievement.awardingBodies = [universityOfZed()];
  achievement.awardingDate = "2024-02-28";
  achievement.specification = spec;
  achievement.provenBy = [assessment()];
  const activity = emptyClaim("activity", { en: "EDC building training course" });
  activity.workload = "PT58H";
  activity.startDate = "2024-01-08";
  activity.endDate = "2024-02-16T17:00:00Z";
  activity.levelOfCompletion = 100;
  activity.directedBy = [universityOfZed()];
  activity.specification = emptySpecification("activity", { en: "EDC building training course" });
  activity.specification.modes = [MODES.blended];
  activity.specification.types = [snbConcept("learning-activity", "bf2e3a7bae")];
  achievement.influencedBy = [activity];
  const entitlement = emptyClaim("entitlement", { en: "Admission to the advanced module" });
  entitlement.specification = emptySpecification("entitlement", { en: "Admission to the advanced module" });
  entitlement.specification.types = [snbConcept("entitlement", "64aad92881")];
  entitlement.specification.entitlementStatus = snbConcept("entitlement-status", "5b8d6b34fb");
  achievement.entitlesTo = [entitlement];
  achievement.additionalNotes = [{ en: "Issued under the 2024 micro-credential scheme." }];
  achievement.supplementaryDocuments = ["https://uniz.example/mc/syllabus.pdf"];
  c.claims = [achievement];
  return c;
}
