/**
 * Open Badges 3.0 → canonical model → ELM v3: where each OB 3.0 property lands in ELM, one table per canonical type
 * (the canonical field is the hub both sides meet at). The OB 3.0 reader (`mappings/ob3/read.ts`) reads these
 * properties into the canonical fields, and the ELM writer (`mappings/elm/write.ts`) writes them; the gateway's own
 * ELM extension is read back into the very fields it was written from (`OB3_EXTENSION_TO_ELM`, generated from the
 * ELM → OB 3.0 tables), so ELM → OB 3.0 → ELM keeps what the extension carries.
 *
 * `how`: `copy`/`transform` reach an ELM property; `extension` is the gateway's extension read back; `lossy` means
 * ELM has no place for the OB 3.0 value (the ELM writer reports the loss). The test suite checks that every property
 * the OB 3.0 writer emits is described here, and `scripts/mapping-doc.ts` prints the tables for registrars.
 */
import type { CanonicalCredential, Claim, Evidence, Organisation, Person, Specification } from "../model.js";
import {
  CLAIM_TO_ELM,
  CREDENTIAL_TO_OB3,
  EVIDENCE_TO_OB3,
  ORGANISATION_TO_ELM,
  PERSON_TO_OB3,
  SPECIFICATION_TO_ELM,
} from "./elm-to-ob3.js";
import type { FieldRule, RuleTable } from "./types.js";

const NO_ELM = (what: string): string => `${what}: ELM has no such property (the ELM writer reports a loss)`;
const DESM_ASSERTION = "DESM Assertion crosswalk";
const DESM_ISSUER = "DESM Issuer crosswalk";

/** OpenBadgeCredential → canonical credential → EuropeanDigitalCredential. */
export const OB3_CREDENTIAL_TO_ELM = [
  {
    field: "id",
    ob3: "id",
    elm: "id",
    how: "copy",
    why: "the credential's URI (the ELM writer may give a converted credential its own)",
  },
  {
    field: "types",
    ob3: "type",
    elm: "type",
    how: "transform",
    why: "ELM's type set is fixed (VerifiableCredential, EuropeanDigitalCredential); the OB 3.0 types name the source's format",
  },
  {
    field: "title",
    ob3: "name",
    elm: "displayParameter.title",
    how: "transform",
    why: `${DESM_ASSERTION} 'name': the display title, in the achievement's language`,
  },
  {
    field: "description",
    ob3: "description",
    elm: "displayParameter.description",
    how: "transform",
    why: `${DESM_ASSERTION} 'description'`,
  },
  {
    field: "display",
    ob3: "image",
    elm: "displayParameter.individualDisplay.displayDetail.image",
    how: "transform",
    why: `${DESM_ASSERTION} 'image'; the ELM writer renders pages of its own`,
  },
  {
    field: "issuer",
    ob3: "issuer",
    elm: "issuer",
    how: "transform",
    why: `${DESM_ASSERTION} 'Issuer': an ELM Organisation (OB3_PROFILE_TO_ELM); it is also the claim's awarding body unless the extension names one`,
  },
  {
    field: "issued",
    ob3: "validFrom",
    elm: "issued",
    how: "transform",
    why: "VC 2.0 validFrom is the OB 3.0 credential's date of issuing",
  },
  { field: "validFrom", ob3: "validFrom", elm: "validFrom", how: "copy", why: `${DESM_ASSERTION} 'Valid from'` },
  { field: "validUntil", ob3: "validUntil", elm: "validUntil", how: "copy", why: `${DESM_ASSERTION} 'Valid until'` },
  {
    field: "learner",
    ob3: "credentialSubject",
    elm: "credentialSubject",
    how: "transform",
    why: "the AchievementSubject's recipient is ELM's Person (OB3_PERSON_TO_ELM)",
  },
  {
    field: "claims",
    ob3: "credentialSubject",
    elm: "credentialSubject.hasClaim",
    how: "transform",
    why: "the AchievementSubject's achievement is ELM's LearningAchievement (OB3_CLAIM_TO_ELM)",
  },
  {
    field: "evidence",
    ob3: "evidence",
    elm: "evidence",
    how: "transform",
    why: `${DESM_ASSERTION} 'Evidence' (OB3_EVIDENCE_TO_ELM)`,
  },
  {
    field: "credentialStatus",
    ob3: "credentialStatus",
    elm: "credentialStatus",
    how: "lossy",
    why: "the source's status list belongs to the source issuer; the ELM credential gets its own when issued",
  },
  {
    field: "termsOfUse",
    ob3: "termsOfUse",
    elm: "termsOfUse",
    how: "lossy",
    why: "OB 3.0 terms of use are not ELM-typed policies",
  },
  { field: "endorsements", ob3: "endorsement, endorsementJwt", how: "lossy", why: NO_ELM("Open Badges endorsements") },
  {
    field: "provenance",
    ob3: "proof",
    elm: "evidence",
    how: "transform",
    why: "the ELM writer embeds the OB 3.0 original as conversion evidence (the EDC-converted profile); the proof cannot carry over",
  },
] as const satisfies RuleTable<CanonicalCredential>;

/** Profile → canonical organisation → ELM Organisation. */
export const OB3_PROFILE_TO_ELM = [
  { field: "id", ob3: "id", elm: "id", how: "copy", why: "the organisation's URI" },
  {
    field: "legalName",
    ob3: "name",
    elm: "legalName",
    how: "transform",
    why: `${DESM_ISSUER} 'Name': OB3 name (Reworded), ELM legal name (Similar)`,
  },
  {
    field: "description",
    ob3: "description",
    elm: "additionalNote",
    how: "transform",
    why: "ELM organisations have no description: an additional note",
  },
  {
    field: "homepages",
    ob3: "url",
    elm: "homepage",
    how: "transform",
    why: `${DESM_ISSUER} 'Subject Webpage': OB3 url, ELM homepage`,
  },
  { field: "emails", ob3: "email", elm: "contactPoint.emailAddress", how: "transform", why: `${DESM_ISSUER} 'Email'` },
  { field: "phones", ob3: "phone", elm: "contactPoint.phone", how: "transform", why: `${DESM_ISSUER} 'telephone'` },
  {
    field: "locations",
    ob3: "address",
    elm: "location.address",
    how: "transform",
    why: `${DESM_ISSUER} 'Address': OB3 address, ELM location; addressCountryCode → the EU country concept`,
  },
  { field: "logo", ob3: "image", elm: "logo", how: "transform", why: `${DESM_ISSUER} 'Image': OB3 image, ELM logo` },
  {
    field: "identifiers",
    ob3: "otherIdentifier",
    elm: "identifier / registration / vatIdentifier / eIDASIdentifier",
    how: "transform",
    why: `${DESM_ISSUER} 'Identifier' (OB3 otherIdentifier) and 'Identifier Value Code' (ELM legal identifiers by kind)`,
  },
  {
    field: "memberOf",
    ob3: "parentOrg",
    elm: "groupMemberOf",
    how: "transform",
    why: `${DESM_ISSUER} 'Parent Organization'`,
  },
  { field: "endorsements", ob3: "endorsement, endorsementJwt", how: "lossy", why: NO_ELM("Open Badges endorsements") },
] as const satisfies RuleTable<Organisation>;

/** AchievementSubject (the recipient) → canonical person → ELM Person. */
export const OB3_PERSON_TO_ELM = [
  { field: "id", ob3: "credentialSubject.id", elm: "credentialSubject.id", how: "copy", why: "the learner's URI" },
  {
    field: "fullName",
    ob3: "credentialSubject.identifier[identityType=name]",
    elm: "credentialSubject.fullName",
    how: "transform",
    why: "OB 3.0 names a recipient only by an IdentityObject of type name (research/ob3.md §1.3)",
  },
  {
    field: "emails",
    ob3: "credentialSubject.identifier[identityType=emailAddress]",
    elm: "credentialSubject.contactPoint.emailAddress",
    how: "transform",
    why: "a plain email identity",
  },
  {
    field: "nationalId",
    ob3: "credentialSubject.identifier[identityType=nationalIdentityNumber]",
    elm: "credentialSubject.nationalID",
    how: "transform",
    why: "a plain national identity number",
  },
  {
    field: "identifiers",
    ob3: "credentialSubject.identifier",
    elm: "credentialSubject.identifier",
    how: "transform",
    why: "other identities (hashed ones as they are)",
  },
] as const satisfies RuleTable<Person>;

/** AchievementSubject (the claim) → canonical claim → ELM LearningAchievement. */
export const OB3_CLAIM_TO_ELM = [
  {
    field: "specification",
    ob3: "credentialSubject.achievement",
    elm: "credentialSubject.hasClaim.specifiedBy",
    how: "transform",
    why: "the Achievement is the specification (OB3_ACHIEVEMENT_TO_ELM); its name and description are the claim's too",
  },
  {
    field: "awardingBodies",
    ob3: "issuer",
    elm: "credentialSubject.hasClaim.awardedBy.awardingBody",
    how: "transform",
    why: "OB 3.0 has no awarding body: the issuer awards, unless the extension names one",
  },
  {
    field: "awardingDate",
    ob3: "awardedDate",
    elm: "credentialSubject.hasClaim.awardedBy.awardingDate",
    how: "transform",
    why: "awardedDate is the original award date",
  },
  {
    field: "creditsEarned",
    ob3: "credentialSubject.creditsEarned",
    elm: "credentialSubject.hasClaim.creditReceived",
    how: "transform",
    why: "credits with no framework (OB 3.0 has no unit)",
  },
  {
    field: "assessedBy",
    ob3: "credentialSubject.source",
    elm: "credentialSubject.hasClaim.provenBy.assessedBy",
    how: "transform",
    why: "the organisation that assessed on behalf of the issuer",
  },
  {
    field: "startDate",
    ob3: "credentialSubject.activityStartDate",
    elm: "credentialSubject.hasClaim.temporal.startDate",
    how: "copy",
    why: "activity dates",
  },
  {
    field: "endDate",
    ob3: "credentialSubject.activityEndDate",
    elm: "credentialSubject.hasClaim.temporal.endDate",
    how: "copy",
    why: "activity dates",
  },
  {
    field: "results",
    ob3: "credentialSubject.result",
    how: "lossy",
    why: NO_ELM("Open Badges results (an ELM grade is an assessment's Note)"),
  },
  { field: "narrative", ob3: "credentialSubject.narrative", how: "lossy", why: NO_ELM("Open Badges narrative") },
  { field: "role", ob3: "credentialSubject.role", how: "lossy", why: NO_ELM("Open Badges role") },
  { field: "term", ob3: "credentialSubject.term", how: "lossy", why: NO_ELM("Open Badges term") },
  {
    field: "licenseNumber",
    ob3: "credentialSubject.licenseNumber",
    how: "lossy",
    why: NO_ELM("Open Badges license number"),
  },
] as const satisfies RuleTable<Claim>;

/** Achievement → canonical specification → ELM LearningAchievementSpecification (or Qualification). */
export const OB3_ACHIEVEMENT_TO_ELM = [
  { field: "id", ob3: "id", elm: "id", how: "copy", why: "the achievement definition's URI" },
  {
    field: "kind",
    ob3: "type",
    elm: "type",
    how: "transform",
    why: "a LearningAchievementSpecification, or the ELM class the extension names (Qualification…)",
  },
  { field: "title", ob3: "name", elm: "title", how: "transform", why: "the title, in the achievement's inLanguage" },
  { field: "description", ob3: "description", elm: "description", how: "transform", why: "the description" },
  {
    field: "credits",
    ob3: "creditsAvailable",
    elm: "creditPoint",
    how: "transform",
    why: "credit points with no framework: 'credit hours' are not ECTS unless the extension says so",
  },
  { field: "identifiers", ob3: "otherIdentifier", elm: "identifier", how: "transform", why: "ELM Identifiers" },
  {
    field: "languages",
    ob3: "inLanguage",
    elm: "language",
    how: "transform",
    why: "the EU language concept of the tag",
  },
  { field: "criteria", ob3: "criteria", how: "lossy", why: NO_ELM("Open Badges criteria") },
  { field: "image", ob3: "image", how: "lossy", why: NO_ELM("Open Badges achievement image") },
  { field: "tags", ob3: "tag", how: "lossy", why: NO_ELM("Open Badges tags") },
  {
    field: "alignments",
    ob3: "alignment",
    how: "lossy",
    why: NO_ELM("Open Badges alignments (the extension's ESCO skills and EQF level are read from the extension)"),
  },
  { field: "humanCode", ob3: "humanCode", how: "lossy", why: NO_ELM("Open Badges humanCode") },
  {
    field: "achievementType",
    ob3: "achievementType",
    how: "lossy",
    why: NO_ELM("Open Badges achievement type (ELM types are concepts of its own vocabularies)"),
  },
  { field: "version", ob3: "version", how: "lossy", why: NO_ELM("Open Badges version") },
  {
    field: "fieldOfStudy",
    ob3: "fieldOfStudy",
    how: "lossy",
    why: NO_ELM("free-text field of study (ELM thematicArea takes ISCED-F concepts)"),
  },
  { field: "specialization", ob3: "specialization", how: "lossy", why: NO_ELM("Open Badges specialization") },
  { field: "related", ob3: "related", how: "lossy", why: NO_ELM("Open Badges related achievements") },
  {
    field: "creator",
    ob3: "creator",
    how: "lossy",
    why: "ELM specifications have no creator in the EDC shapes (the ELM writer reports a loss)",
  },
  {
    field: "resultDescriptions",
    ob3: "resultDescription",
    how: "lossy",
    why: NO_ELM("Open Badges result descriptions"),
  },
  { field: "endorsements", ob3: "endorsement, endorsementJwt", how: "lossy", why: NO_ELM("Open Badges endorsements") },
] as const satisfies RuleTable<Specification>;

/** Evidence → canonical evidence → ELM Evidence. */
export const OB3_EVIDENCE_TO_ELM = [
  { field: "id", ob3: "id", elm: "id", how: "copy", why: "the evidence's URI" },
  { field: "narrative", ob3: "narrative", elm: "evidenceStatement", how: "transform", why: "what the evidence shows" },
  { field: "name", ob3: "name", how: "lossy", why: NO_ELM("evidence name") },
  { field: "genre", ob3: "genre", how: "lossy", why: NO_ELM("evidence genre") },
  { field: "audience", ob3: "audience", how: "lossy", why: NO_ELM("evidence audience") },
  { field: "description", ob3: "description", elm: "description", how: "transform", why: "the evidence's description" },
  { field: "urls", ob3: "id", elm: "evidenceTarget", how: "transform", why: "a linked piece of work" },
] as const satisfies RuleTable<Evidence>;

/**
 * The gateway's extension read back: every extension rule of the ELM → OB 3.0 tables, reversed. The OB 3.0 reader
 * reads each extension property with the ELM reader's node readers into the canonical field it was written from.
 */
export const OB3_EXTENSION_TO_ELM: readonly FieldRule[] = (
  [
    ...CREDENTIAL_TO_OB3,
    ...PERSON_TO_OB3,
    ...CLAIM_TO_ELM,
    ...SPECIFICATION_TO_ELM,
    ...ORGANISATION_TO_ELM,
    ...EVIDENCE_TO_OB3,
  ] as readonly FieldRule[]
)
  .filter((r) => r.how === "extension" && r.on !== "elm" && r.ob3 !== undefined)
  .map((r) => ({
    field: r.field,
    ...(r.ob3 === undefined ? {} : { ob3: r.ob3 }),
    ...(r.elm === undefined ? {} : { elm: r.elm }),
    how: "extension" as const,
    ...(r.annex === undefined ? {} : { annex: r.annex }),
    why: "the gateway's ELM extension, read back with the ELM reader's node readers (mappings/ob3/read-extension.ts)",
  }));
