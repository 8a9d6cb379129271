/**
 * The EU standard elements describing a micro-credential (Council Recommendation 2022/C 243/02, Annex I), as data:
 * for each element, whether Annex I makes it mandatory, its wording, the canonical fields the check reads (in order of
 * preference) and the rule, in plain words. The HTTP layer and the docs list the elements from this table; the check
 * runs each row's rule. Element → ELM path: research/elm.md §2.1.
 */
import * as rules from "./annex1-rules.js";
import type { CheckContext, Finding } from "./context.js";

/** The 11 mandatory elements of Annex I, in its order. */
export const MANDATORY_ELEMENTS = [
  "learner",
  "title",
  "issuerCountry",
  "awardingBody",
  "issuanceDate",
  "learningOutcomes",
  "workload",
  "level",
  "assessmentType",
  "participationForm",
  "qualityAssurance",
] as const;

/** The optional elements Annex I lists (a non-exhaustive list there). */
export const OPTIONAL_ELEMENTS = [
  "prerequisites",
  "supervisionAndIdVerification",
  "grade",
  "stackability",
  "furtherInformation",
] as const;

/** Every element the check reports, mandatory first, in Annex I's order. */
export const ELEMENT_IDS = [...MANDATORY_ELEMENTS, ...OPTIONAL_ELEMENTS] as const;

export type ElementId = (typeof ELEMENT_IDS)[number];

/** One row of the element table. */
export interface Annex1Element {
  id: ElementId;
  /** Mandatory in Annex I. */
  required: boolean;
  /** Annex I's wording. */
  annex: string;
  /** Canonical fields the rule reads, in order of preference (`claim` = each top-level claim, the main one first). */
  reads: readonly string[];
  /** The rule in plain words: when the element is present, and when what was found is invalid. */
  rule: string;
  evaluate: (ctx: CheckContext) => Finding;
}

/** The Annex I elements and how the check finds each in a canonical credential. */
export const ANNEX1_ELEMENTS = [
  {
    id: "learner",
    required: true,
    annex: "Identification of the learner",
    reads: ["learner.givenName", "learner.familyName", "learner.fullName", "learner.dateOfBirth", "learner.nationalId"],
    // A name is what identifies the person to a reader; identifiers and the date of birth disambiguate it but, alone
    // (an OB3 hashed email), do not say who the learner is. The value lists the fields, never their content.
    rule: "present with a given and a family name, or a full name; other identifying fields are listed as evidence",
    evaluate: rules.learner,
  },
  {
    id: "title",
    required: true,
    annex: "Title of the micro-credential",
    reads: ["claim.title", "claim.specification.title", "title"],
    // ELM requires a title on the achievement and on its specification; the credential's (display) title is generic
    // ("Micro-Credential" in the EC sample), so it is the last resort.
    rule: "present when the main achievement, its specification, or else the credential has a title",
    evaluate: rules.title,
  },
  {
    id: "issuerCountry",
    required: true,
    annex: "Country(ies)/region(s) of the issuer",
    reads: [
      "issuer.locations[].address.country",
      "issuer.identifiers[].country",
      "claim.awardingBodies[].locations[].address.country",
      "claim.awardingBodies[].identifiers[].country",
    ],
    // EDC writes the seal certificate's country into the issuer's locations when sealing; an unsealed credential
    // may have no issuer location, and then the awarding body's country is the issuing institution's.
    rule: "the issuer's countries, else the awarding body's; invalid when one is not an ISO 3166-1 alpha-2 code",
    evaluate: rules.issuerCountry,
  },
  {
    id: "awardingBody",
    required: true,
    annex: "Awarding body(ies)",
    reads: ["claim.awardingBodies[].legalName"],
    // ELM requires legalName on every organisation; a nameless awarding body identifies nobody.
    rule: "present with at least one awarding body that has a legal name; invalid when awarding bodies have none",
    evaluate: rules.awardingBody,
  },
  {
    id: "issuanceDate",
    required: true,
    annex: "Date of issuing",
    reads: ["issued", "claim.awardingDate", "validFrom"],
    // EDC sets `issued` at sealing, so an unsealed credential has only validFrom (and maybe an awarding date). Annex I
    // asks for the date of issuing: `issued` when sealed, else the awarding date, else validFrom; value.from says which.
    rule: "issued, else the awarding date, else validFrom; invalid when the one found is not an ISO 8601 date",
    evaluate: rules.issuanceDate,
  },
  {
    id: "learningOutcomes",
    required: true,
    annex: "Learning outcomes",
    reads: ["claim.specification.learningOutcomes[].title", "claim.specification.learningOutcomeSummary"],
    // ELM requires a title on each learning outcome: the title states the outcome, ESCO skills only classify it.
    rule: "learning outcomes with a title, or a learning outcome summary; invalid when the outcomes have no title",
    evaluate: rules.learningOutcomes,
  },
  {
    id: "workload",
    required: true,
    annex: "Notional workload needed to achieve the learning outcomes (in ECTS, wherever possible)",
    reads: ["claim.specification.credits[]", "claim.specification.volumeOfLearning", "claim.creditsEarned[]"],
    // ELM: creditPoint {framework ECTS, point "2"} and volumeOfLearning (xsd:duration, the notional hours).
    rule: "ECTS credits and/or a volume of learning; invalid when the ECTS points are not a non-negative number or the duration is not ISO 8601",
    evaluate: rules.workload,
  },
  {
    id: "level",
    required: true,
    annex:
      "Level (and cycle, if applicable) of the learning experience leading to the micro-credential (EQF, QF-EHEA), if applicable",
    reads: ["claim.specification.eqfLevel", "claim.specification.nqfLevels[]", "claim.specification.qfEheaLevel"],
    // ELM has eqfLevel and nqfLevel only; QF-EHEA cycles come from other formats (DEQAR's qf_ehea_level).
    rule: "an EQF level, NQF levels and/or a QF-EHEA cycle; invalid when the EQF level is not 1–8 or the QF-EHEA level names no cycle",
    evaluate: rules.level,
  },
  {
    id: "assessmentType",
    required: true,
    annex: "Type of assessment",
    reads: ["claim.provenBy[].specification.types", "claim.provenBy[].specification.title", "claim.provenBy[].title"],
    // ELM: LearningAssessmentSpecification.dcType (the EC sample uses a custom scheme, so any concept is accepted).
    rule: "the type of an assessment's specification, else the assessment's title",
    evaluate: rules.assessmentType,
  },
  {
    id: "participationForm",
    required: true,
    annex: "Form of participation in the learning activity",
    reads: [
      "claim.specification.modes[]",
      "claim.influencedBy[].specification.modes[]",
      "claim.specification.learningSettings[]",
    ],
    // ELM mode (online, blended, presential…) says how one takes part; the learning setting (formal, non-formal) is
    // the weakest answer, used only when no mode is stated.
    rule: "the specification's modes, else its activities' modes, else its learning setting (value.from says which)",
    evaluate: rules.participationForm,
  },
  {
    id: "qualityAssurance",
    required: true,
    annex: "Type of quality assurance used to underpin the micro-credential",
    reads: [
      "claim.specification.accreditations[]",
      "claim.awardingBodies[].accreditations[]",
      "evidence[].accreditations[]",
    ],
    // Programme QA (on the specification), institutional QA (on the awarding body), or the ELM Accredited profile's
    // evidence accreditation. Absent from the EC micro-credential sample.
    rule: "an accreditation of the specification, else of the awarding body, else carried as evidence",
    evaluate: rules.qualityAssurance,
  },
  {
    id: "prerequisites",
    required: false,
    annex: "Prerequisites needed to enrol in the learning activity",
    reads: ["claim.specification.entryRequirement"],
    rule: "the specification's entry requirement",
    evaluate: rules.prerequisites,
  },
  {
    id: "supervisionAndIdVerification",
    required: false,
    annex: "Supervision and identity verification during assessment",
    reads: ["claim.provenBy[].idVerification"],
    rule: "an assessment's supervision and identity verification concept",
    evaluate: rules.supervisionAndIdVerification,
  },
  {
    id: "grade",
    required: false,
    annex: "Grade achieved",
    reads: ["claim.provenBy[].grade", "claim.grade", "claim.results[].value"],
    // ELM puts the grade on the assessment; OB3 puts a result on the achievement.
    rule: "an assessment's grade, else a claim's grade or result",
    evaluate: rules.grade,
  },
  {
    id: "stackability",
    required: false,
    annex: "Integration/stackability options",
    reads: [
      "claim.specification.isPartialQualification",
      "claim.specification.hasPart/isPartOf/entitlesTo",
      "claim.hasPart/isPartOf/entitlesTo",
    ],
    // ELM has no stackability field; whether a qualification is partial, and its parts and wholes, say how it stacks.
    rule: "isPartialQualification stated, or parts, wholes or entitlements of the specification or the claim",
    evaluate: rules.stackability,
  },
  {
    id: "furtherInformation",
    required: false,
    annex: "Further information",
    reads: [
      "claim.specification.additionalNotes/supplementaryDocuments/homepages",
      "claim.additionalNotes/supplementaryDocuments",
      "additionalNotes",
    ],
    rule: "additional notes, supplementary documents or homepages of the specification or the claim, or the credential's notes",
    evaluate: rules.furtherInformation,
  },
] as const satisfies readonly Annex1Element[];
