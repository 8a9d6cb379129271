/**
 * ELM term → model tables the reader works from (and a writer may reuse): claim and specification classes, the
 * identifier properties of organisations, and the context and type that make a document an ELM credential.
 */
import type { ClaimKind, IdentifierKind, SpecificationKind } from "../model.js";

/** The ELM EDC application-profile context, which every ELM credential names in `@context`. */
export const EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap";

/** Also accepted: the context IRI over https or with a trailing slash. */
export const EDC_CONTEXT_PATTERN = /^https?:\/\/data\.europa\.eu\/snb\/model\/context\/edc-ap\/?$/;

/** W3C VC contexts and the ELM variant each one marks. */
export const VC_CONTEXTS = {
  "https://www.w3.org/2018/credentials/v1": "edc",
  "https://www.w3.org/ns/credentials/v2": "ebsi",
} as const satisfies Record<string, string>;

/** The `type` value an ELM credential must carry. */
export const EDC_TYPE = "EuropeanDigitalCredential";

/** Claim classes (`hasClaim`, `provenBy`, `influencedBy`, `entitlesTo`, `hasPart` items) → model claim kind. */
export const CLAIM_KINDS = {
  LearningAchievement: "achievement",
  LearningAssessment: "assessment",
  LearningActivity: "activity",
  LearningEntitlement: "entitlement",
} as const satisfies Record<string, ClaimKind>;

/** Specification classes (`specifiedBy`) → model specification kind. */
export const SPECIFICATION_KINDS = {
  Qualification: "qualification",
  LearningAchievementSpecification: "achievement",
  LearningAssessmentSpecification: "assessment",
  LearningActivitySpecification: "activity",
  LearningEntitlementSpecification: "entitlement",
} as const satisfies Record<string, SpecificationKind>;

/** The specification kind a claim's `specifiedBy` has when it names no class. */
export const DEFAULT_SPECIFICATION_KIND = {
  achievement: "achievement",
  assessment: "assessment",
  activity: "activity",
  entitlement: "entitlement",
} as const satisfies Record<ClaimKind, SpecificationKind>;

/** Organisation properties holding (legal) identifiers → identifier kind, in the order they are read. */
export const ORGANISATION_IDENTIFIERS = {
  eIDASIdentifier: "eidas",
  registration: "registration",
  vatIdentifier: "vat",
  taxIdentifier: "tax",
  identifier: "other",
} as const satisfies Record<string, IdentifierKind>;

/** Person properties holding a national identifier (the EC samples write `nationalID`; the 3.2 ontology `nationalId`). */
export const NATIONAL_ID_KEYS = ["nationalID", "nationalId"] as const;

/** Credential dates with an older VCDM 1.1 alias: the first key is preferred, the second read when it is absent. */
export const DATE_ALIASES = {
  issued: ["issued", "issuanceDate"],
  validUntil: ["validUntil", "expirationDate"],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * The concept scheme of QF-EHEA cycles in ELM output. ELM has no QF-EHEA property and the EU vocabularies no QF-EHEA
 * scheme (research/elm.md), so the ELM writer writes a canonical `qfEheaLevel` as an `educationLevel` concept in this
 * scheme, a project IRI, and the reader takes the first education level in it back as the `qfEheaLevel`.
 */
export const QF_EHEA_SCHEME = "urn:edc-gateway:scheme:qf-ehea";

/** The class name among a node's types found in a table. */
export function kindIn<T extends Record<string, string>>(table: T, types: string[]): T[keyof T] | undefined {
  for (const t of types) if (Object.hasOwn(table, t)) return table[t as keyof T];
  return undefined;
}
