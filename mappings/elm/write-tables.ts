/**
 * Model → ELM tables the ELM writer works from: which ELM class each claim and specification kind becomes, which
 * property each kind of organisation identifier goes to, how generated node ids are named, which properties the
 * SHACL shapes pin to a concept scheme, which canonical fields each class can carry, and which properties the EBSI
 * VCDM 2.0 JSON Schema wants as arrays. The reader's tables (`tables.ts`) are the inverse of the first ones.
 */
import type {
  Claim,
  ClaimKind,
  Concept,
  Credit,
  IdentifierKind,
  LangMap,
  Specification,
  SpecificationKind,
} from "../model.js";
import { SCHEMES } from "../vocab/index.js";

/** ELM classes the writer emits (the `type` of each node). */
export type ElmClass =
  | "EuropeanDigitalCredential"
  | "Person"
  | "Organisation"
  | "Group"
  | "ContactPoint"
  | "Mailbox"
  | "Phone"
  | "Location"
  | "Address"
  | "Note"
  | "MediaObject"
  | "WebResource"
  | "Identifier"
  | "LegalIdentifier"
  | "LearningAchievement"
  | "LearningActivity"
  | "LearningAssessment"
  | "LearningEntitlement"
  | "AwardingProcess"
  | "Qualification"
  | "LearningAchievementSpecification"
  | "LearningActivitySpecification"
  | "LearningAssessmentSpecification"
  | "LearningEntitlementSpecification"
  | "LearningOutcome"
  | "CreditPoint"
  | "GradingScheme"
  | "PeriodOfTime"
  | "Accreditation"
  | "Evidence"
  | "DisplayParameter"
  | "IndividualDisplay"
  | "DisplayDetail"
  | "Concept";

/** Claim kind → ELM claim class (inverse of the reader's `CLAIM_KINDS`). */
export const CLAIM_CLASSES = {
  achievement: "LearningAchievement",
  assessment: "LearningAssessment",
  activity: "LearningActivity",
  entitlement: "LearningEntitlement",
} as const satisfies Record<ClaimKind, ElmClass>;

export type ClaimClass = (typeof CLAIM_CLASSES)[ClaimKind];

/** Specification kind → ELM specification class (inverse of the reader's `SPECIFICATION_KINDS`). */
export const SPECIFICATION_CLASSES = {
  qualification: "Qualification",
  achievement: "LearningAchievementSpecification",
  assessment: "LearningAssessmentSpecification",
  activity: "LearningActivitySpecification",
  entitlement: "LearningEntitlementSpecification",
} as const satisfies Record<SpecificationKind, ElmClass>;

export type SpecificationClass = (typeof SPECIFICATION_CLASSES)[SpecificationKind];

/**
 * Organisation identifier kind → the Organisation property holding it. `eIDASIdentifier` and `registration` hold one
 * LegalIdentifier each; further ones, and identifiers without the country a LegalIdentifier needs, go to `identifier`.
 */
export const ORGANISATION_IDENTIFIER_PROPERTIES = {
  eidas: "eIDASIdentifier",
  registration: "registration",
  vat: "vatIdentifier",
  tax: "taxIdentifier",
  national: "identifier",
  legal: "identifier",
  other: "identifier",
} as const satisfies Record<IdentifierKind, string>;

/** Organisation identifier properties that take at most one value (SHACL `sh:maxCount 1`). */
export const SINGLE_IDENTIFIER_PROPERTIES: ReadonlySet<string> = new Set(["eIDASIdentifier", "registration"]);

/** Identifier kinds that ELM writes as a LegalIdentifier (which needs the issuing country, `spatial`). */
export const LEGAL_IDENTIFIER_KINDS: ReadonlySet<IdentifierKind> = new Set([
  "eidas",
  "registration",
  "vat",
  "tax",
  "national",
  "legal",
]);

/** The `<name>` of generated node ids `urn:epass:<name>:<n>`, as the EC samples name them. */
export const ID_PREFIXES = {
  EuropeanDigitalCredential: "credential",
  Person: "person",
  Organisation: "org",
  Group: "group",
  ContactPoint: "contactPoint",
  Mailbox: "mailbox",
  Phone: "phone",
  Location: "location",
  Address: "address",
  Note: "note",
  MediaObject: "mediaObject",
  WebResource: "webResource",
  Identifier: "identifier",
  LegalIdentifier: "legalIdentifier",
  LearningAchievement: "learningAchievement",
  LearningActivity: "activity",
  LearningAssessment: "learningAssessment",
  LearningEntitlement: "learningEntitlement",
  AwardingProcess: "awardingProcess",
  Qualification: "qualification",
  LearningAchievementSpecification: "learningAchievementSpec",
  LearningActivitySpecification: "learningActivitySpec",
  LearningAssessmentSpecification: "learningAssessmentSpec",
  LearningEntitlementSpecification: "learningEntitlementSpec",
  LearningOutcome: "learningOutcome",
  CreditPoint: "creditPoint",
  GradingScheme: "gradingScheme",
  PeriodOfTime: "period",
  Accreditation: "accreditation",
  Evidence: "evidence",
  DisplayParameter: "displayParameter",
  IndividualDisplay: "individualDisplay",
  DisplayDetail: "displayDetail",
  Concept: "concept",
} as const satisfies Record<ElmClass, string>;

/**
 * Concept properties the `edc-generic-full` shapes pin to one scheme (`sh:node …Restriction` on `skos:inScheme`, with
 * `sh:nodeKind sh:IRI`): the concept must be an IRI of that scheme. Keyed by property, then by class (`*` = any class).
 */
export const RESTRICTED_SCHEMES: Readonly<Record<string, Readonly<Partial<Record<ElmClass | "*", string>>>>> = {
  credentialProfiles: { "*": SCHEMES.credential },
  countryCode: { "*": SCHEMES.country },
  spatial: { "*": SCHEMES.country },
  citizenshipCountry: { "*": SCHEMES.country },
  language: { "*": SCHEMES.language },
  primaryLanguage: { "*": SCHEMES.language },
  thematicArea: { "*": SCHEMES.iscedf },
  learningSetting: { "*": SCHEMES.learningSetting },
  eqfLevel: { "*": SCHEMES.eqf },
  nqfLevel: { "*": SCHEMES.qdr },
  reusabilityLevel: { "*": SCHEMES.skillReuseLevel },
  relatedESCOSkill: { "*": SCHEMES.esco },
  entitlementStatus: { "*": SCHEMES.entitlementStatus },
  limitField: { "*": SCHEMES.iscedf },
  limitEQFLevel: { "*": SCHEMES.eqf },
  limitJurisdiction: { "*": SCHEMES.atu },
  dcType: {
    Accreditation: SCHEMES.accreditation,
    Evidence: SCHEMES.evidenceType,
    LearningOutcome: SCHEMES.skillType,
  },
};

/**
 * Schemes whose concept URIs do not live under the scheme's own path (ESCO skills are `…/esco/skill/<uuid>` in the
 * scheme `…/esco/concept-scheme/skills`): the URI prefix that places a concept in each.
 */
export const SCHEME_URI_PREFIXES: Readonly<Record<string, string>> = {
  [SCHEMES.esco]: "http://data.europa.eu/esco/skill/",
  "http://data.europa.eu/esco/concept-scheme/occupations": "http://data.europa.eu/esco/occupation/",
};

/** The scheme a concept property of a class must use, if the shapes pin one. */
export function restrictedScheme(cls: ElmClass, key: string): string | undefined {
  const byClass = RESTRICTED_SCHEMES[key];
  return byClass?.[cls] ?? byClass?.["*"];
}

/** Field names of `T` whose type is assignable to `V` (to tie a field rule's writer to the field's type). */
type FieldsOf<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T];

/**
 * How one canonical field becomes one ELM property. `in` lists the classes that have the property; a value on a class
 * that lacks it is a loss. `max: 1` marks properties the shapes allow once (further values are losses).
 */
export type FieldRule<T, C extends ElmClass> = { key: string; in: readonly C[]; max?: 1 } & (
  | { as: "text"; field: FieldsOf<T, LangMap | undefined> }
  | { as: "texts"; field: FieldsOf<T, LangMap[]> }
  | { as: "note"; field: FieldsOf<T, LangMap | undefined> }
  | { as: "notes"; field: FieldsOf<T, LangMap[]> }
  | { as: "concept"; field: FieldsOf<T, Concept | undefined> }
  | { as: "concepts"; field: FieldsOf<T, Concept[]> }
  | { as: "languages"; field: FieldsOf<T, Concept[]> }
  | { as: "literal"; field: FieldsOf<T, string | boolean | undefined> }
  | { as: "duration"; field: FieldsOf<T, string | undefined> }
  | { as: "date"; field: FieldsOf<T, string | undefined> }
  | { as: "webResources"; field: FieldsOf<T, string[]> }
  | { as: "refs"; field: FieldsOf<T, string[]> }
  | { as: "credits"; field: FieldsOf<T, Credit[]> }
);

const LAS = ["Qualification", "LearningAchievementSpecification"] as const;
const ALL_SPECS = [
  "Qualification",
  "LearningAchievementSpecification",
  "LearningActivitySpecification",
  "LearningAssessmentSpecification",
  "LearningEntitlementSpecification",
] as const satisfies readonly SpecificationClass[];
const LEARNING_SPECS = [...LAS, "LearningActivitySpecification", "LearningAssessmentSpecification"] as const;

/** Specification fields → ELM properties, in the order the EC writes them (SHACL `edc-generic-no-cv`, ELM 3.2). */
export const SPECIFICATION_RULES = [
  { field: "title", key: "title", as: "text", in: ALL_SPECS },
  { field: "altTitles", key: "altLabel", as: "texts", in: ALL_SPECS },
  { field: "description", key: "description", as: "text", in: ALL_SPECS },
  { field: "types", key: "dcType", as: "concepts", in: ALL_SPECS },
  { field: "eqfLevel", key: "eqfLevel", as: "concept", in: ["Qualification"] },
  { field: "nqfLevels", key: "nqfLevel", as: "concepts", in: ["Qualification"] },
  { field: "educationLevels", key: "educationLevel", as: "concepts", in: LAS },
  { field: "fields", key: "thematicArea", as: "concepts", in: LAS },
  { field: "credits", key: "creditPoint", as: "credits", in: LAS },
  { field: "volumeOfLearning", key: "volumeOfLearning", as: "duration", in: [...LAS, "LearningActivitySpecification"] },
  { field: "maximumDuration", key: "maximumDuration", as: "duration", in: LAS },
  { field: "learningSettings", key: "learningSetting", as: "concepts", in: LAS, max: 1 },
  { field: "modes", key: "mode", as: "concepts", in: LEARNING_SPECS },
  { field: "languages", key: "language", as: "languages", in: LEARNING_SPECS },
  { field: "entryRequirement", key: "entryRequirement", as: "note", in: LAS },
  { field: "targetGroups", key: "targetGroup", as: "concepts", in: LAS },
  { field: "isPartialQualification", key: "isPartialQualification", as: "literal", in: ["Qualification"] },
  { field: "learningOutcomeSummary", key: "learningOutcomeSummary", as: "note", in: LAS },
  { field: "entitlementStatus", key: "entitlementStatus", as: "concept", in: ["LearningEntitlementSpecification"] },
  { field: "hasPart", key: "hasPart", as: "refs", in: ALL_SPECS },
  { field: "isPartOf", key: "isPartOf", as: "refs", in: ALL_SPECS },
  { field: "homepages", key: "homepage", as: "webResources", in: ALL_SPECS },
  { field: "supplementaryDocuments", key: "supplementaryDocument", as: "webResources", in: ALL_SPECS },
  { field: "additionalNotes", key: "additionalNote", as: "notes", in: ALL_SPECS },
] as const satisfies readonly FieldRule<Specification, SpecificationClass>[];

/** Specification fields written by dedicated code (nodes of their own), with the classes that have them. */
export const SPECIFICATION_NODE_FIELDS = {
  identifiers: ALL_SPECS,
  learningOutcomes: LAS,
  entitlesTo: LAS,
  accreditations: ["Qualification"],
  gradingScheme: ["LearningAssessmentSpecification"],
  qfEheaLevel: LAS,
} as const satisfies Partial<Record<keyof Specification, readonly SpecificationClass[]>>;

/** Fields only a Qualification has: an achievement specification carrying any of them is written as one. */
export const QUALIFICATION_ONLY_FIELDS = ["eqfLevel", "nqfLevels", "isPartialQualification", "accreditations"] as const;

/** Canonical fields (mostly Open Badges 3.0) that ELM has no property for, and why. */
export const UNMAPPED_FIELDS: Readonly<Record<string, string>> = {
  criteria: "Open Badges criteria: ELM has no criteria property",
  image: "Open Badges achievement image: ELM specifications have no image",
  tags: "Open Badges tags: ELM has no keyword property",
  alignments: "Open Badges alignments: ELM has no alignment property",
  humanCode: "Open Badges humanCode: ELM has no short-code property",
  creator: "ELM specifications have no creator",
  resultDescriptions: "Open Badges result descriptions: ELM has no result-description property",
  results: "Open Badges results: ELM has no result property (an assessment's grade is a Note)",
  endorsements: "Open Badges endorsements: ELM has no endorsement property",
  achievementType: "Open Badges achievement type: ELM's specification types are concepts of its own vocabularies",
  version: "Open Badges achievement version: ELM specifications have no version",
  fieldOfStudy: "Open Badges field of study (free text): ELM's thematicArea takes ISCED-F concepts only",
  specialization: "Open Badges specialization (free text): ELM has no such property",
  related: "Open Badges related achievements: ELM has no such property",
  narrative: "Open Badges narrative: ELM has no such property",
  role: "Open Badges role: ELM claims have no role",
  term: "Open Badges term: ELM claims have no term",
  licenseNumber: "Open Badges license number: ELM claims have no license number",
  name: "Open Badges evidence name: ELM evidence has no name",
  genre: "Open Badges evidence genre: ELM evidence has no genre",
  audience: "Open Badges evidence audience: ELM evidence has no audience",
  description: "ELM evidence has no description",
  urls: "ELM evidence has no links (only embedded content)",
};

const ALL_CLAIMS = [
  "LearningAchievement",
  "LearningActivity",
  "LearningAssessment",
  "LearningEntitlement",
] as const satisfies readonly ClaimClass[];

/** Claim fields → ELM properties (the claim's own literal and concept properties; nested nodes are written in code). */
export const CLAIM_RULES = [
  { field: "title", key: "title", as: "text", in: ALL_CLAIMS },
  { field: "description", key: "description", as: "text", in: ALL_CLAIMS },
  { field: "creditsEarned", key: "creditReceived", as: "credits", in: ["LearningAchievement"] },
  { field: "gradeStatus", key: "gradeStatus", as: "concept", in: ["LearningAssessment"] },
  { field: "idVerification", key: "idVerification", as: "concept", in: ["LearningAssessment"] },
  { field: "dateIssued", key: "dateIssued", as: "date", in: ["LearningAssessment", "LearningEntitlement"] },
  { field: "workload", key: "workload", as: "duration", in: ["LearningActivity"] },
  { field: "expiryDate", key: "expiryDate", as: "date", in: ["LearningEntitlement"] },
  { field: "isPartOf", key: "isPartOf", as: "refs", in: ALL_CLAIMS },
  { field: "supplementaryDocuments", key: "supplementaryDocument", as: "webResources", in: ALL_CLAIMS },
  { field: "additionalNotes", key: "additionalNote", as: "notes", in: ALL_CLAIMS },
] as const satisfies readonly FieldRule<Claim, ClaimClass>[];

/** Claim fields written by dedicated code, with the claim classes that have them. */
export const CLAIM_NODE_FIELDS = {
  awardingBodies: ALL_CLAIMS,
  awardingDate: ALL_CLAIMS,
  awardingLocation: ALL_CLAIMS,
  specification: ALL_CLAIMS,
  hasPart: ALL_CLAIMS,
  provenBy: ["LearningAchievement"],
  influencedBy: ["LearningAchievement"],
  entitlesTo: ["LearningAchievement"],
  grade: ["LearningAssessment"],
  assessedBy: ["LearningAssessment"],
  directedBy: ["LearningActivity"],
  startDate: ["LearningActivity"],
  endDate: ["LearningActivity"],
  levelOfCompletion: ["LearningActivity"],
} as const satisfies Partial<Record<keyof Claim, readonly ClaimClass[]>>;

/**
 * Properties the EBSI VCDM 2.0 EDC JSON Schema (`@cef-ebsi/vcdm2.0-europass-edc-schema` 2.1.0, `Many!…` types) lets
 * hold several values, per class: the EBSI form writes these as arrays and every other property as one value.
 */
export const EBSI_MANY: Readonly<Partial<Record<ElmClass, readonly string[]>>> = {
  EuropeanDigitalCredential: [
    "identifier",
    "credentialProfiles",
    "attachment",
    "proof",
    "evidence",
    "termsOfUse",
    "credentialSchema",
    "credentialStatus",
  ],
  Person: ["identifier", "memberOf", "citizenshipCountry", "contactPoint", "groupMemberOf", "hasClaim"],
  Organisation: [
    "dcType",
    "identifier",
    "homepage",
    "additionalNote",
    "location",
    "accreditation",
    "vatIdentifier",
    "taxIdentifier",
    "groupMemberOf",
    "contactPoint",
  ],
  Accreditation: [
    "homepage",
    "additionalNote",
    "supplementaryDocument",
    "organisation",
    "limitField",
    "limitEQFLevel",
    "limitJurisdiction",
    "limitCredentialType",
    "landingPage",
  ],
  Qualification: [
    "dcType",
    "additionalNote",
    "supplementaryDocument",
    "homepage",
    "language",
    "mode",
    "thematicArea",
    "creditPoint",
    "educationLevel",
    "targetGroup",
    "learningOutcome",
    "entitlesTo",
    "hasPart",
    "isPartOf",
    "nqfLevel",
    "accreditation",
  ],
  LearningAchievementSpecification: [
    "dcType",
    "additionalNote",
    "supplementaryDocument",
    "homepage",
    "language",
    "mode",
    "thematicArea",
    "creditPoint",
    "educationLevel",
    "targetGroup",
    "learningOutcome",
    "entitlesTo",
    "hasPart",
    "isPartOf",
  ],
  LearningActivitySpecification: [
    "dcType",
    "identifier",
    "additionalNote",
    "supplementaryDocument",
    "homepage",
    "language",
    "mode",
    "hasPart",
    "isPartOf",
  ],
  LearningAssessmentSpecification: [
    "identifier",
    "additionalNote",
    "supplementaryDocument",
    "homepage",
    "language",
    "mode",
    "hasPart",
    "isPartOf",
  ],
  LearningEntitlementSpecification: [
    "identifier",
    "additionalNote",
    "supplementaryDocument",
    "homepage",
    "limitJurisdiction",
    "hasPart",
    "isPartOf",
  ],
  LearningOutcome: ["additionalNote", "relatedSkill", "relatedESCOSkill"],
  ContactPoint: ["additionalNote", "address", "phone", "emailAddress", "contactForm"],
  Location: ["address", "spatialCode"],
  Group: ["additionalNote", "location", "contactPoint"],
  Identifier: ["dcType"],
  LegalIdentifier: ["dcType"],
  LearningAchievement: [
    "dcType",
    "additionalNote",
    "supplementaryDocument",
    "creditReceived",
    "provenBy",
    "influencedBy",
    "entitlesTo",
    "hasPart",
    "isPartOf",
  ],
  LearningActivity: [
    "dcType",
    "identifier",
    "additionalNote",
    "supplementaryDocument",
    "temporal",
    "location",
    "directedBy",
    "hasPart",
    "isPartOf",
  ],
  LearningAssessment: [
    "dcType",
    "identifier",
    "additionalNote",
    "supplementaryDocument",
    "assessedBy",
    "hasPart",
    "isPartOf",
    "specifiedBy",
  ],
  LearningEntitlement: [
    "dcType",
    "identifier",
    "additionalNote",
    "supplementaryDocument",
    "hasPart",
    "isPartOf",
    "specifiedBy",
  ],
  Evidence: ["embeddedEvidence"],
  AwardingProcess: ["identifier", "additionalNote", "awardingBody"],
  DisplayParameter: ["language", "individualDisplay"],
  IndividualDisplay: ["displayDetail"],
  GradingScheme: ["identifier", "supplementaryDocument"],
};

/**
 * Language-map properties that hold one text only: `sh:maxCount 1` on an `rdf:langString` in the SHACL shapes (so one
 * language, in either form), and `LangStringType` (`maxProperties: 1`) in the EBSI schema.
 */
export const SINGLE_LANGUAGE: Readonly<Partial<Record<ElmClass, readonly string[]>>> = {
  Person: ["fullName", "givenName", "familyName"],
};
