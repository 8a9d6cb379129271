/**
 * Canonical model (read from ELM v3 or any other format) → Open Badges 3.0: one table per canonical type, executed by
 * the OB 3.0 writer (`mappings/ob3/write.ts`) and printed for registrars by `scripts/mapping-doc.ts`.
 *
 * How to read a table: each rule takes one canonical field to an OB 3.0 property (`transform`/`copy`), to the
 * project's ELM extension (`extension`, `docs/ob3-elm-extension.md`), or nowhere (`lossy`: the writer reports a loss
 * with the rule's `why`). A field may have several rules: the OB 3.0 property a plain OB 3.0 consumer reads, and the
 * extension that keeps everything (all languages, the concept URIs, ELM's structure). For the same OB 3.0 property, the
 * first rule that writes it wins.
 *
 * Evidence cited in `why`: the OB 3.0 model (`corpus/ob3/spec/common_credentials.lines`) and JSON Schema, the DESM
 * micro-credential crosswalks (`corpus/elm/mapping/desm_*.csv`: ELM and OB 3.0 mapped onto one CTDL-based spine; "DESM
 * Issuer 'Subject Webpage': OB3 url, ELM homepage" means both map onto that spine term), and research/ob3.md §4.2.
 * No official ELM ⇄ OB 3.0 mapping exists (ELM issue #15 is open).
 *
 * The `…_ELM` tables are shared by two writers: they put ELM properties on the OB 3.0 node (`ob3` key) and, inside the
 * extension, on the ELM nodes of nested claims and specifications (`elm` key). `ob3` and `elm` differ only where OB 3.0
 * or VC 2.0 protect ELM's key (`description`).
 */
import type { CanonicalCredential, Claim, Evidence, Organisation, Person, Specification } from "../model.js";
import type { FieldRule, RuleTable } from "./types.js";

// ---------------------------------------------------------------------------------------------------------------
// Evidence shared by several rules

const DESM_ASSERTION = "DESM Assertion crosswalk";
const DESM_ISSUER = "DESM Issuer crosswalk";
const EXTENSION = "OB 3.0 has no property for it: the ELM property travels in the project's extension";
const ONE_LANGUAGE =
  "OB 3.0 strings carry one language: the writer picks English, else the first, and warns when it drops others";
const ALL_LANGUAGES = "every language of the text, as ELM's language map (OB 3.0's string holds one)";
const DATE_TIME_Z = "OB 3.0 requires a date-time with a time zone (DateTimeZ): a date becomes midnight UTC";

// ---------------------------------------------------------------------------------------------------------------
// The credential

/** CanonicalCredential → OpenBadgeCredential (paths from the credential's root). */
export const CREDENTIAL_TO_OB3 = [
  {
    field: "id",
    elm: "id",
    ob3: "id",
    how: "transform",
    fn: "credentialId",
    why: "OB 3.0 requires the credential id, a URI. A converted credential is a new credential: it gets a new urn:uuid (derived from the source id) and carries the original as evidence, as OB 3.0's migration guide does for upgraded OB 2.0 assertions (impl/migrating.md); an OB 3.0 source keeps its URI id",
  },
  {
    field: "types",
    elm: "type",
    ob3: "type",
    how: "transform",
    fn: "credentialType",
    why: "the OB 3.0 type set is fixed: VerifiableCredential and OpenBadgeCredential (JSON Schema); the source's own classes (EuropeanDigitalCredential) name its format, not data",
  },
  {
    field: "profiles",
    elm: "credentialProfiles",
    how: "lossy",
    why: "ELM credential profiles (Generic, Accredited, Converted…) name the EDC application profile a credential follows; an OB 3.0 credential has none",
  },
  {
    field: "title",
    elm: "displayParameter.title",
    ob3: "name",
    how: "transform",
    fn: "text",
    why: `${DESM_ASSERTION} 'name' (Identical): the credential's display name. ${ONE_LANGUAGE}`,
  },
  { field: "title", elm: "displayParameter.title", ob3: "title", how: "extension", fn: "langMap", why: ALL_LANGUAGES },
  {
    field: "description",
    elm: "displayParameter.description",
    ob3: "description",
    how: "transform",
    fn: "text",
    why: `${DESM_ASSERTION} 'description' (Identical). ${ONE_LANGUAGE}`,
  },
  {
    field: "description",
    elm: "displayParameter.description",
    ob3: "elmDescription",
    how: "extension",
    fn: "langMap",
    why: ALL_LANGUAGES,
  },
  {
    field: "identifiers",
    elm: "identifier",
    ob3: "identifier",
    how: "extension",
    fn: "identifiers",
    why: "OB 3.0 identifies a credential by its id only; other identifiers (a certificate number) travel as ELM Identifiers",
  },
  {
    field: "issuer",
    elm: "issuer",
    ob3: "issuer",
    how: "transform",
    fn: "issuer",
    annex: "issuerCountry",
    why: `${DESM_ASSERTION} 'Issuer' (OB3 issuer, ELM Issuer): an OB 3.0 Profile (ORGANISATION_TO_OB3); without one, the awarding body issues (DERIVED)`,
  },
  {
    field: "learner",
    elm: "credentialSubject",
    ob3: "credentialSubject",
    how: "transform",
    fn: "learner",
    annex: "learner",
    why: `${DESM_ASSERTION} 'Credential subject': the learner is the AchievementSubject (PERSON_TO_OB3)`,
  },
  {
    field: "claims",
    elm: "credentialSubject.hasClaim",
    ob3: "credentialSubject",
    how: "transform",
    fn: "mainClaim",
    why: "OB 3.0 asserts one achievement per credential: the main claim (the first achievement) is the AchievementSubject's achievement (CLAIM_TO_OB3)",
  },
  {
    field: "claims",
    elm: "credentialSubject.hasClaim",
    ob3: "credentialSubject.hasClaim",
    how: "extension",
    fn: "otherClaims",
    why: "the learner's other claims (EBSI examples list activities beside the achievement): ELM claims in the extension",
  },
  {
    field: "validFrom",
    elm: "validFrom",
    ob3: "validFrom",
    how: "transform",
    fn: "dateTimeZ",
    annex: "issuanceDate",
    why: `${DESM_ASSERTION} 'Valid from'; ELM and OB 3.0 use the same VC property (cred:validFrom), so it is copied. ${DATE_TIME_Z}`,
  },
  {
    field: "issued",
    elm: "issued",
    ob3: "validFrom",
    how: "transform",
    fn: "dateTimeZ",
    annex: "issuanceDate",
    why: "without validFrom (required), the date of issuing: a newly issued OB 3.0 credential becomes valid when it is issued",
  },
  {
    field: "issued",
    elm: "issued",
    ob3: "issued",
    how: "extension",
    fn: "elmDateTime",
    annex: "issuanceDate",
    why: "Annex I date of issuing: VC 2.0 dropped the VC 1.1 `issued` date ELM uses (sealing time); the extension keeps it, with VC 1.1's IRI",
  },
  {
    field: "validUntil",
    elm: "validUntil",
    ob3: "validUntil",
    how: "transform",
    fn: "dateTimeZ",
    why: `${DESM_ASSERTION} 'Valid until' (its OB3 row names the VCDM 1.1 expirationDate; VCDM 2.0 calls it validUntil). ${DATE_TIME_Z}`,
  },
  {
    field: "evidence",
    elm: "evidence",
    ob3: "evidence[]",
    how: "transform",
    fn: "evidence",
    annex: "qualityAssurance",
    why: `${DESM_ASSERTION} 'Evidence' (OB3 evidence, ELM Evidence): EVIDENCE_TO_OB3`,
  },
  {
    field: "attachments",
    elm: "attachment",
    ob3: "attachment",
    how: "extension",
    fn: "media",
    why: "files the issuer attached (PDF, images): OB 3.0 has no attachment property; ELM MediaObjects in the extension",
  },
  {
    field: "display",
    elm: "displayParameter.title",
    ob3: "name",
    how: "transform",
    fn: "displayTitle",
    why: `OB 3.0 name is 'the name of the credential for display purposes in wallets': ELM's display title. ${ONE_LANGUAGE}`,
  },
  {
    field: "display",
    elm: "displayParameter.title",
    ob3: "title",
    how: "extension",
    fn: "displayTitles",
    why: ALL_LANGUAGES,
  },
  {
    field: "display",
    elm: "displayParameter.description",
    ob3: "description",
    how: "transform",
    fn: "displayDescription",
    why: "OB 3.0 description is 'the short description of the credential for display purposes in wallets': ELM's display description",
  },
  {
    field: "display",
    elm: "displayParameter.description",
    ob3: "elmDescription",
    how: "extension",
    fn: "displayDescriptions",
    why: ALL_LANGUAGES,
  },
  {
    field: "display",
    elm: "displayParameter.individualDisplay.displayDetail.image",
    ob3: "image",
    how: "transform",
    fn: "displayImage",
    why: `${DESM_ASSERTION} 'image': OB 3.0's credential image is what a wallet shows; ELM's first rendered page is that picture. Further pages, and the display's languages, are losses`,
  },
  {
    field: "credentialStatus",
    elm: "credentialStatus",
    how: "lossy",
    why: "the source's status entry points at the source issuer's status list; the gateway gives the OB 3.0 credential a status entry of its own when it issues it",
  },
  {
    field: "termsOfUse",
    elm: "termsOfUse",
    how: "lossy",
    why: "EDC terms of use are ELM-typed policies no OB 3.0 verifier understands (OB 3.0 termsOfUse needs a type a verifier knows)",
  },
  {
    field: "additionalNotes",
    elm: "additionalNote",
    ob3: "additionalNote",
    how: "extension",
    fn: "notes",
    annex: "furtherInformation",
    why: EXTENSION,
  },
  {
    field: "endorsements",
    ob3: "",
    how: "transform",
    fn: "endorsements",
    why: "OB 3.0 endorsements read from an OB 3.0 source: EndorsementCredential objects to endorsement, compact JWS to endorsementJwt",
  },
  {
    field: "provenance",
    ob3: "evidence[]",
    how: "transform",
    fn: "originalEvidence",
    why: "provenance: a converted credential carries its original as evidence (a data: URI of the source document), as the EDC-converted shape does the other way; the source's seal cannot carry over (the OB 3.0 credential is signed anew) and is a loss",
  },
] as const satisfies RuleTable<CanonicalCredential>;

/**
 * Canonical fields no table maps, on purpose. `extensions` are source fields the reader could not model: the
 * conversion reports them as losses itself (`functions/core/convert/convert.ts`), so the writer does not report them twice.
 */
export const CREDENTIAL_UNMAPPED = ["extensions"] as const satisfies readonly (keyof CanonicalCredential)[];

// ---------------------------------------------------------------------------------------------------------------
// The learner

const MINIMISED =
  "an Open Badge is shared widely: beyond what identifies the learner (Annex I), the gateway does not move personal data into it";

/** Person → AchievementSubject (identification of the learner). */
export const PERSON_TO_OB3 = [
  {
    field: "id",
    elm: "credentialSubject.id",
    ob3: "id",
    how: "transform",
    fn: "subjectId",
    annex: "learner",
    why: "AchievementSubject id: the learner's URI (a DID, urn:epass:person:…); an id that is not a URI becomes an identifier instead",
  },
  {
    field: "id",
    elm: "credentialSubject.id",
    ob3: "identifier[]",
    how: "transform",
    fn: "idIdentity",
    annex: "learner",
    why: "an id that is not a URI: IdentityObject identityType 'identifier'",
  },
  {
    field: "fullName",
    elm: "credentialSubject.fullName",
    ob3: "identifier[]",
    how: "transform",
    fn: "nameIdentity",
    annex: "learner",
    why: "OB 3.0 names a recipient only by an IdentityObject with identityType 'name' (research/ob3.md §1.3); 'Either id or at least one identifier MUST be supplied'",
  },
  {
    field: "givenName",
    elm: "credentialSubject.givenName",
    ob3: "identifier[]",
    how: "transform",
    fn: "partsIdentity",
    annex: "learner",
    why: "no full name: the name identity is the given and family names joined",
  },
  {
    field: "givenName",
    elm: "credentialSubject.givenName",
    ob3: "givenName",
    how: "extension",
    fn: "langMap",
    annex: "learner",
    why: `${EXTENSION}: OB 3.0 has name parts on Profiles only`,
  },
  {
    field: "familyName",
    elm: "credentialSubject.familyName",
    ob3: "familyName",
    how: "extension",
    fn: "langMap",
    annex: "learner",
    why: `${EXTENSION}: OB 3.0 has name parts on Profiles only`,
  },
  {
    field: "fullName",
    elm: "credentialSubject.fullName",
    ob3: "fullName",
    how: "extension",
    fn: "langMap",
    annex: "learner",
    why: ALL_LANGUAGES,
  },
  {
    field: "birthName",
    elm: "credentialSubject.birthName",
    ob3: "birthName",
    how: "extension",
    fn: "langMap",
    annex: "learner",
    why: EXTENSION,
  },
  {
    field: "patronymicName",
    elm: "credentialSubject.patronymicName",
    ob3: "patronymicName",
    how: "extension",
    fn: "langMap",
    annex: "learner",
    why: EXTENSION,
  },
  {
    field: "dateOfBirth",
    elm: "credentialSubject.dateOfBirth",
    ob3: "dateOfBirth",
    how: "extension",
    fn: "elmDateTime",
    annex: "learner",
    why: EXTENSION,
  },
  {
    field: "nationalId",
    elm: "credentialSubject.nationalID",
    ob3: "identifier[]",
    how: "transform",
    fn: "nationalIdentity",
    annex: "learner",
    why: "IdentityObject identityType 'nationalIdentityNumber' (IdentifierTypeEnum)",
  },
  {
    field: "nationalId",
    elm: "credentialSubject.nationalID",
    ob3: "nationalID",
    how: "extension",
    fn: "legalIdentifier",
    annex: "learner",
    why: "the national identifier with its issuing country (an IdentityObject has no country)",
  },
  {
    field: "identifiers",
    elm: "credentialSubject.identifier",
    ob3: "identifier[]",
    how: "transform",
    fn: "identities",
    annex: "learner",
    why: "IdentityObjects: the identityType read from OB 3.0 is kept; others are 'identifier' (the enum has no student-number type)",
  },
  {
    field: "emails",
    elm: "credentialSubject.contactPoint.emailAddress",
    ob3: "identifier[]",
    how: "transform",
    fn: "emailIdentities",
    annex: "learner",
    why: "IdentityObject identityType 'emailAddress' (OB 2.0's recipient email, research/ob3.md §4.1)",
  },
  { field: "placeOfBirth", elm: "credentialSubject.placeOfBirth", how: "lossy", why: MINIMISED },
  { field: "phones", elm: "credentialSubject.contactPoint.phone", how: "lossy", why: MINIMISED },
  { field: "addresses", elm: "credentialSubject.contactPoint.address", how: "lossy", why: MINIMISED },
  { field: "gender", elm: "credentialSubject.gender", how: "lossy", why: MINIMISED },
  {
    field: "citizenship",
    elm: "credentialSubject.citizenshipCountry",
    ob3: "citizenshipCountry",
    how: "extension",
    fn: "countries",
    why: EXTENSION,
  },
] as const satisfies RuleTable<Person>;

// ---------------------------------------------------------------------------------------------------------------
// The main claim (AchievementSubject) and every claim (ELM)

/** The main claim → AchievementSubject: what OB 3.0 itself has (paths from the AchievementSubject). */
export const CLAIM_TO_OB3 = [
  {
    field: "id",
    elm: "credentialSubject.hasClaim.id",
    how: "lossy",
    why: "OB 3.0's AchievementSubject id is the learner's; the claim's own id has no property",
  },
  {
    field: "kind",
    elm: "credentialSubject.hasClaim.type",
    ob3: "type",
    how: "transform",
    fn: "subjectType",
    why: "AchievementSubject (JSON Schema); the ELM class of the specification is on the Achievement",
  },
  {
    field: "specification",
    elm: "credentialSubject.hasClaim.specifiedBy",
    ob3: "achievement",
    how: "transform",
    fn: "achievement",
    annex: "title",
    why: "OB 3.0 merges claim and specification: the Achievement is the specification (SPECIFICATION_TO_OB3)",
  },
  {
    field: "grade",
    elm: "credentialSubject.hasClaim.grade",
    ob3: "result[]",
    how: "transform",
    fn: "gradeResult",
    annex: "grade",
    why: "OB 3.0 Result.value: 'A' if the recipient received an A grade (common_credentials.lines)",
  },
  {
    field: "provenBy",
    elm: "credentialSubject.hasClaim.provenBy.grade",
    ob3: "result[]",
    how: "transform",
    fn: "assessmentResults",
    annex: "grade",
    why: "ELM grades are on the assessments: each graded assessment is a Result linked to a ResultDescription of the Achievement (research/ob3.md §4.2)",
  },
  {
    field: "results",
    ob3: "result[]",
    how: "transform",
    fn: "results",
    annex: "grade",
    why: "OB 3.0 results read from an OB 3.0 source",
  },
  {
    field: "creditsEarned",
    elm: "credentialSubject.hasClaim.creditReceived",
    ob3: "creditsEarned",
    how: "transform",
    fn: "ectsPoints",
    annex: "workload",
    why: "creditsEarned 'correlates with creditsAvailable': the ECTS points (OB 3.0 has no unit; ECVET and other systems only in the extension)",
  },
  {
    field: "assessedBy",
    elm: "credentialSubject.hasClaim.assessedBy",
    ob3: "source",
    how: "transform",
    fn: "firstProfile",
    why: "AchievementSubject.source: 'the organization that assessed the achievement on behalf of the issuer' (one Profile)",
  },
  {
    field: "startDate",
    elm: "credentialSubject.hasClaim.temporal.startDate",
    ob3: "activityStartDate",
    how: "transform",
    fn: "dateTimeZ",
    why: "activityStartDate (the JSON Schema types it date-time)",
  },
  {
    field: "endDate",
    elm: "credentialSubject.hasClaim.temporal.endDate",
    ob3: "activityEndDate",
    how: "transform",
    fn: "dateTimeZ",
    why: "activityEndDate (the JSON Schema types it date-time)",
  },
  {
    field: "awardingDate",
    elm: "credentialSubject.hasClaim.awardedBy.awardingDate",
    ob3: "$.awardedDate",
    how: "transform",
    fn: "dateTimeZ",
    annex: "issuanceDate",
    why: "awardedDate: 'when the credential was awarded', kept when validFrom changes on re-issue; ELM's awarding date is that date",
  },
  {
    field: "narrative",
    ob3: "narrative",
    how: "transform",
    fn: "text",
    why: "OB 3.0 AchievementSubject narrative (Markdown)",
  },
  { field: "role", ob3: "role", how: "copy", why: "OB 3.0 AchievementSubject role" },
  { field: "term", ob3: "term", how: "copy", why: "OB 3.0 AchievementSubject term" },
  { field: "licenseNumber", ob3: "licenseNumber", how: "copy", why: "OB 3.0 AchievementSubject licenseNumber" },
] as const satisfies RuleTable<Claim>;

/**
 * Every claim → ELM properties: on the AchievementSubject (main claim) and on the ELM claim nodes of the extension
 * (`provenBy`, `influencedBy`, `hasPart`, `entitlesTo`, `hasClaim`).
 */
export const CLAIM_TO_ELM = [
  { field: "title", elm: "title", ob3: "title", how: "extension", fn: "langMap", annex: "title", why: ALL_LANGUAGES },
  {
    field: "description",
    elm: "description",
    ob3: "elmDescription",
    how: "extension",
    fn: "langMap",
    why: ALL_LANGUAGES,
  },
  {
    field: "awardingBodies",
    elm: "awardedBy.awardingBody",
    ob3: "awardedBy.awardingBody",
    how: "extension",
    fn: "organisations",
    annex: "awardingBody",
    why: "Annex I awarding body: OB 3.0 has only the issuer, and ELM's awarding body may differ from the issuer (the sealer)",
  },
  {
    field: "awardingDate",
    elm: "awardedBy.awardingDate",
    ob3: "awardedBy.awardingDate",
    how: "extension",
    fn: "elmDateTime",
    annex: "issuanceDate",
    why: EXTENSION,
  },
  {
    field: "awardingLocation",
    elm: "awardedBy.awardingLocation",
    ob3: "awardedBy.awardingLocation",
    how: "extension",
    fn: "location",
    why: EXTENSION,
  },
  {
    field: "provenBy",
    elm: "provenBy",
    ob3: "provenBy",
    how: "extension",
    fn: "claims",
    annex: "assessmentType",
    why: "Annex I type of assessment, supervision and identity verification, grade: ELM LearningAssessments (OB 3.0 has none)",
  },
  {
    field: "influencedBy",
    elm: "influencedBy",
    ob3: "influencedBy",
    how: "extension",
    fn: "claims",
    annex: "participationForm",
    why: "learning activities (their mode is Annex I form of participation when the specification states none)",
  },
  {
    field: "entitlesTo",
    elm: "entitlesTo",
    ob3: "entitlesTo",
    how: "extension",
    fn: "claims",
    annex: "stackability",
    why: EXTENSION,
  },
  {
    field: "hasPart",
    elm: "hasPart",
    ob3: "hasPart",
    how: "extension",
    fn: "claims",
    annex: "stackability",
    why: EXTENSION,
  },
  { field: "isPartOf", elm: "isPartOf", ob3: "isPartOf", how: "extension", annex: "stackability", why: EXTENSION },
  {
    field: "creditsEarned",
    elm: "creditReceived",
    ob3: "creditReceived",
    how: "extension",
    fn: "credits",
    annex: "workload",
    why: "credits with their framework (ECTS, ECVET): OB 3.0 creditsEarned is a bare number",
  },
  {
    field: "grade",
    elm: "grade",
    ob3: "grade",
    how: "extension",
    fn: "grade",
    annex: "grade",
    why: "the grade as ELM's Note, in every language",
  },
  { field: "gradeStatus", elm: "gradeStatus", ob3: "gradeStatus", how: "extension", fn: "concept", why: EXTENSION },
  {
    field: "idVerification",
    elm: "idVerification",
    ob3: "idVerification",
    how: "extension",
    fn: "concept",
    annex: "supervisionAndIdVerification",
    why: EXTENSION,
  },
  {
    field: "assessedBy",
    elm: "assessedBy",
    ob3: "assessedBy",
    how: "extension",
    fn: "organisations",
    why: "every assessor (OB 3.0 source holds one)",
  },
  { field: "dateIssued", elm: "dateIssued", ob3: "dateIssued", how: "extension", fn: "elmDateTime", why: EXTENSION },
  { field: "workload", elm: "workload", ob3: "workload", how: "extension", why: EXTENSION },
  {
    field: "startDate",
    elm: "temporal.startDate",
    ob3: "temporal.startDate",
    how: "extension",
    fn: "elmDateTime",
    why: "the date as written (OB 3.0 activityStartDate holds it too)",
  },
  {
    field: "endDate",
    elm: "temporal.endDate",
    ob3: "temporal.endDate",
    how: "extension",
    fn: "elmDateTime",
    why: "the date as written (OB 3.0 activityEndDate holds it too)",
  },
  { field: "levelOfCompletion", elm: "levelOfCompletion", ob3: "levelOfCompletion", how: "extension", why: EXTENSION },
  { field: "directedBy", elm: "directedBy", ob3: "directedBy", how: "extension", fn: "organisations", why: EXTENSION },
  { field: "expiryDate", elm: "expiryDate", ob3: "expiryDate", how: "extension", fn: "elmDateTime", why: EXTENSION },
  {
    field: "additionalNotes",
    elm: "additionalNote",
    ob3: "additionalNote",
    how: "extension",
    fn: "notes",
    annex: "furtherInformation",
    why: EXTENSION,
  },
  {
    field: "supplementaryDocuments",
    elm: "supplementaryDocument",
    ob3: "supplementaryDocument",
    how: "extension",
    fn: "webResources",
    annex: "furtherInformation",
    why: EXTENSION,
  },
] as const satisfies RuleTable<Claim>;

/** What only a claim node of the extension has: its id, its ELM class, its specification. */
export const CLAIM_NODE = [
  { field: "id", elm: "id", ob3: "id", how: "copy", why: "the ELM node's id" },
  { field: "kind", elm: "type", ob3: "type", how: "extension", fn: "claimClass", why: "the ELM claim class" },
  {
    field: "specification",
    elm: "specifiedBy",
    ob3: "specifiedBy",
    how: "extension",
    fn: "specification",
    annex: "assessmentType",
    why: "the ELM specification (an assessment's type, grading scheme, mode)",
  },
] as const satisfies RuleTable<Claim>;

// ---------------------------------------------------------------------------------------------------------------
// The main specification (Achievement) and every specification (ELM)

/** The main specification → Achievement: what OB 3.0 itself has (paths from the Achievement). */
export const SPECIFICATION_TO_OB3 = [
  {
    field: "id",
    elm: "specifiedBy.id",
    ob3: "id",
    how: "transform",
    fn: "achievementId",
    why: "Achievement id (required, a URI): the specification's URI is kept, else a urn:uuid",
  },
  {
    field: "kind",
    elm: "specifiedBy.type",
    ob3: "type",
    how: "extension",
    fn: "achievementTypes",
    why: "Achievement (JSON Schema), plus the ELM class (Qualification…) from the extension context, so the ELM kind survives",
  },
  {
    field: "title",
    elm: "specifiedBy.title",
    ob3: "name",
    how: "transform",
    fn: "text",
    annex: "title",
    why: `Achievement name (required). ${ONE_LANGUAGE}`,
  },
  {
    field: "description",
    elm: "specifiedBy.description",
    ob3: "description",
    how: "transform",
    fn: "text",
    why: `Achievement description (required; DERIVED when absent). ${ONE_LANGUAGE}`,
  },
  {
    field: "achievementType",
    ob3: "achievementType",
    how: "copy",
    why: "OB 3.0 achievementType read from an OB 3.0 source (DERIVED otherwise)",
  },
  {
    field: "identifiers",
    elm: "specifiedBy.identifier",
    ob3: "otherIdentifier",
    how: "transform",
    fn: "identifierEntries",
    why: "Achievement otherIdentifier (IdentifierEntry); the scheme becomes an ext: identifierType",
  },
  {
    field: "learningOutcomes",
    elm: "specifiedBy.learningOutcome.relatedESCOSkill",
    ob3: "alignment[]",
    how: "transform",
    fn: "skillAlignments",
    annex: "learningOutcomes",
    why: "ESCO skills of the learning outcomes as Alignments (targetType ceasn:Competency: ESCO skills are competencies; targetFramework ESCO), which OB 3.0 consumers understand",
  },
  {
    field: "criteria",
    ob3: "criteria",
    how: "transform",
    fn: "criteria",
    why: "Achievement criteria (required) read from an OB 3.0 source; otherwise DERIVED from the learning outcomes",
  },
  {
    field: "credits",
    elm: "specifiedBy.creditPoint",
    ob3: "creditsAvailable",
    how: "transform",
    fn: "ectsPoints",
    annex: "workload",
    why: "creditsAvailable: the ECTS points (research/ob3.md §4.2; SURF Edubadges maps ECTS there); OB 3.0 has no credit framework field, so only ECTS points are written",
  },
  { field: "fieldOfStudy", ob3: "fieldOfStudy", how: "copy", why: "OB 3.0 fieldOfStudy read from an OB 3.0 source" },
  {
    field: "fields",
    elm: "specifiedBy.thematicArea",
    ob3: "fieldOfStudy",
    how: "transform",
    fn: "fieldLabel",
    why: "fieldOfStudy is free text: the ISCED-F field's label (research/ob3.md §4.2 'string vs concept')",
  },
  { field: "specialization", ob3: "specialization", how: "copy", why: "OB 3.0 specialization" },
  { field: "version", ob3: "version", how: "copy", why: "OB 3.0 version" },
  { field: "humanCode", ob3: "humanCode", how: "copy", why: "OB 3.0 humanCode" },
  { field: "tags", ob3: "tag", how: "copy", why: "OB 3.0 tag" },
  {
    field: "languages",
    elm: "specifiedBy.language",
    ob3: "inLanguage",
    how: "transform",
    fn: "languageTag",
    why: "inLanguage is one BCP 47 tag: the first language of instruction (the OB 3.0 reader reads it back as the EU language authority concept)",
  },
  { field: "image", ob3: "image", how: "transform", fn: "image", why: "OB 3.0 Image (id is a URL or a data: URI)" },
  {
    field: "alignments",
    ob3: "alignment[]",
    how: "transform",
    fn: "alignments",
    why: "OB 3.0 alignments read from an OB 3.0 source",
  },
  {
    field: "eqfLevel",
    elm: "specifiedBy.eqfLevel",
    ob3: "alignment[]",
    how: "transform",
    fn: "eqfAlignment",
    annex: "level",
    why: "the EQF level as an Alignment to the EU's EQF level URI (targetFramework EQF, targetType ext:EQFLevel: AlignmentTargetType is an extensible enumeration; SURF Edubadges maps the EQF level the same way, research/ob3.md §4.2). OB 3.0's own place, so plain OB 3.0 consumers see the level; the OB 3.0 reader reads it back as the EQF level",
  },
  {
    field: "creator",
    elm: "specifiedBy.creator",
    ob3: "creator",
    how: "transform",
    fn: "profile",
    why: "Achievement creator (Profile): who defined the achievement",
  },
  { field: "related", ob3: "related", how: "transform", fn: "related", why: "OB 3.0 related achievements" },
  { field: "endorsements", ob3: "", how: "transform", fn: "endorsements", why: "OB 3.0 endorsements" },
  {
    field: "resultDescriptions",
    ob3: "resultDescription",
    how: "transform",
    fn: "resultDescriptions",
    why: "OB 3.0 result descriptions read from an OB 3.0 source (an ELM grading scheme becomes one: DERIVED)",
  },
] as const satisfies RuleTable<Specification>;

/**
 * Every specification → ELM properties: on the Achievement (main specification) and on the ELM specification nodes
 * of the extension (`specifiedBy`, `entitlesTo`).
 */
export const SPECIFICATION_TO_ELM = [
  { field: "title", elm: "title", ob3: "title", how: "extension", fn: "langMap", annex: "title", why: ALL_LANGUAGES },
  { field: "altTitles", elm: "altLabel", ob3: "altLabel", how: "extension", fn: "langMaps", why: EXTENSION },
  {
    field: "description",
    elm: "description",
    ob3: "elmDescription",
    how: "extension",
    fn: "langMap",
    why: ALL_LANGUAGES,
  },
  {
    field: "types",
    elm: "dcType",
    ob3: "dcType",
    how: "extension",
    fn: "concepts",
    annex: "assessmentType",
    why: "ELM type concepts (learning opportunity type; an assessment specification's type is Annex I type of assessment); the Achievement's achievementType is DERIVED from them",
  },
  {
    field: "learningOutcomes",
    elm: "learningOutcome",
    ob3: "learningOutcome",
    how: "extension",
    fn: "learningOutcomes",
    annex: "learningOutcomes",
    why: "Annex I learning outcomes: OB 3.0 has only criteria text and alignments",
  },
  {
    field: "learningOutcomeSummary",
    elm: "learningOutcomeSummary",
    ob3: "learningOutcomeSummary",
    how: "extension",
    fn: "note",
    annex: "learningOutcomes",
    why: EXTENSION,
  },
  {
    field: "credits",
    elm: "creditPoint",
    ob3: "creditPoint",
    how: "extension",
    fn: "credits",
    annex: "workload",
    why: "Annex I workload in ECTS, with the framework OB 3.0 cannot state",
  },
  {
    field: "volumeOfLearning",
    elm: "volumeOfLearning",
    ob3: "volumeOfLearning",
    how: "extension",
    annex: "workload",
    why: EXTENSION,
  },
  { field: "maximumDuration", elm: "maximumDuration", ob3: "maximumDuration", how: "extension", why: EXTENSION },
  {
    field: "eqfLevel",
    elm: "eqfLevel",
    ob3: "eqfLevel",
    how: "extension",
    fn: "concept",
    annex: "level",
    why: "OB 3.0's place for the EQF level is an Alignment (SPECIFICATION_TO_OB3; OB 3.0: an Alignment is 'an alignment between an achievement and a node in an educational framework'): on the Achievement, the extension repeats the level only when no EQF alignment can carry it (a concept that is not one of the EU's EQF level URIs). On the extension's ELM specification nodes, ELM's own property",
  },
  {
    field: "nqfLevels",
    elm: "nqfLevel",
    ob3: "nqfLevel",
    how: "extension",
    fn: "concepts",
    annex: "level",
    why: "OB 3.0 has no level property, and a national framework has no European URI and code scheme an Alignment could name (each country publishes its own); the NQF concept, with its scheme, travels as ELM's property in the extension",
  },
  {
    field: "educationLevels",
    elm: "educationLevel",
    ob3: "educationLevel",
    how: "extension",
    fn: "concepts",
    why: EXTENSION,
  },
  {
    field: "qfEheaLevel",
    elm: "educationLevel[]",
    ob3: "educationLevel[]",
    how: "extension",
    fn: "qfEheaLevel",
    annex: "level",
    why: "QF-EHEA cycle: ELM has no property for it; as the gateway's ELM writer does, an educationLevel concept in the gateway's QF-EHEA scheme (QF_EHEA_SCHEME), which the ELM reader takes back",
  },
  {
    field: "fields",
    elm: "thematicArea",
    ob3: "thematicArea",
    how: "extension",
    fn: "concepts",
    why: "ISCED-F fields as concepts (fieldOfStudy holds a label)",
  },
  {
    field: "modes",
    elm: "mode",
    ob3: "mode",
    how: "extension",
    fn: "concepts",
    annex: "participationForm",
    why: EXTENSION,
  },
  {
    field: "learningSettings",
    elm: "learningSetting",
    ob3: "learningSetting",
    how: "extension",
    fn: "concepts",
    annex: "participationForm",
    why: EXTENSION,
  },
  {
    field: "languages",
    elm: "language",
    ob3: "language",
    how: "extension",
    fn: "concepts",
    why: "every language of instruction (inLanguage holds one tag). On the Achievement, only when there are several or the one language is not an EU language authority concept: inLanguage's tag names that concept, and the OB 3.0 reader takes its URI back",
  },
  {
    field: "entryRequirement",
    elm: "entryRequirement",
    ob3: "entryRequirement",
    how: "extension",
    fn: "note",
    annex: "prerequisites",
    why: EXTENSION,
  },
  { field: "targetGroups", elm: "targetGroup", ob3: "targetGroup", how: "extension", fn: "concepts", why: EXTENSION },
  {
    field: "isPartialQualification",
    elm: "isPartialQualification",
    ob3: "isPartialQualification",
    how: "extension",
    annex: "stackability",
    why: EXTENSION,
  },
  { field: "hasPart", elm: "hasPart", ob3: "hasPart", how: "extension", annex: "stackability", why: EXTENSION },
  { field: "isPartOf", elm: "isPartOf", ob3: "isPartOf", how: "extension", annex: "stackability", why: EXTENSION },
  {
    field: "entitlesTo",
    elm: "entitlesTo",
    ob3: "entitlesTo",
    how: "extension",
    fn: "specifications",
    annex: "stackability",
    why: EXTENSION,
  },
  {
    field: "accreditations",
    elm: "accreditation",
    ob3: "accreditation",
    how: "extension",
    fn: "accreditations",
    annex: "qualityAssurance",
    why: "Annex I type of quality assurance: OB 3.0 has only endorsements, which are not QA decisions",
  },
  {
    field: "gradingScheme",
    elm: "gradingScheme",
    ob3: "gradingScheme",
    how: "extension",
    fn: "gradingScheme",
    annex: "grade",
    why: EXTENSION,
  },
  {
    field: "homepages",
    elm: "homepage",
    ob3: "homepage",
    how: "extension",
    fn: "webResources",
    annex: "furtherInformation",
    why: EXTENSION,
  },
  {
    field: "supplementaryDocuments",
    elm: "supplementaryDocument",
    ob3: "supplementaryDocument",
    how: "extension",
    fn: "webResources",
    annex: "furtherInformation",
    why: EXTENSION,
  },
  {
    field: "additionalNotes",
    elm: "additionalNote",
    ob3: "additionalNote",
    how: "extension",
    fn: "notes",
    annex: "furtherInformation",
    why: EXTENSION,
  },
  {
    field: "entitlementStatus",
    elm: "entitlementStatus",
    ob3: "entitlementStatus",
    how: "extension",
    fn: "concept",
    why: EXTENSION,
  },
] as const satisfies RuleTable<Specification>;

/** What only a specification node of the extension has: its id, ELM class, identifiers and creator. */
export const SPECIFICATION_NODE = [
  { field: "id", elm: "id", ob3: "id", how: "copy", why: "the ELM node's id" },
  {
    field: "kind",
    elm: "type",
    ob3: "type",
    how: "extension",
    fn: "specificationClass",
    why: "the ELM specification class",
  },
  {
    field: "identifiers",
    elm: "identifier",
    ob3: "identifier",
    how: "extension",
    fn: "identifiers",
    why: "ELM Identifiers",
  },
  {
    field: "creator",
    elm: "creator",
    ob3: "creator",
    how: "extension",
    fn: "organisation",
    why: "the ELM creator Organisation",
  },
] as const satisfies RuleTable<Specification>;

// ---------------------------------------------------------------------------------------------------------------
// Organisations

/** Organisation → Profile (issuer, creator, source): what OB 3.0 itself has. */
export const ORGANISATION_TO_OB3 = [
  {
    field: "id",
    elm: "id",
    ob3: "id",
    how: "transform",
    fn: "profileId",
    why: "Profile id (required): the organisation's URI, else a urn:uuid",
  },
  {
    field: "legalName",
    elm: "legalName",
    ob3: "name",
    how: "transform",
    fn: "text",
    annex: "awardingBody",
    why: `${DESM_ISSUER} 'Name': OB3 name (Reworded), ELM legal name (Similar). ${ONE_LANGUAGE}`,
  },
  {
    field: "description",
    elm: "description",
    ob3: "description",
    how: "transform",
    fn: "text",
    why: `${DESM_ISSUER} 'Description'`,
  },
  {
    field: "homepages",
    elm: "homepage",
    ob3: "url",
    how: "transform",
    fn: "first",
    why: `${DESM_ISSUER} 'Subject Webpage': OB3 url (Similar), ELM homepage (Reworded); url holds one`,
  },
  {
    field: "emails",
    elm: "contactPoint.emailAddress",
    ob3: "email",
    how: "transform",
    fn: "first",
    why: `${DESM_ISSUER} 'Email'; email holds one`,
  },
  {
    field: "phones",
    elm: "contactPoint.phone",
    ob3: "phone",
    how: "transform",
    fn: "first",
    why: `${DESM_ISSUER} 'telephone': OB3 phone (Reworded); phone holds one`,
  },
  {
    field: "locations",
    elm: "location.address",
    ob3: "address",
    how: "transform",
    fn: "address",
    annex: "issuerCountry",
    why: `${DESM_ISSUER} 'Address': OB3 address (Reworded), ELM location (Reworded); addressCountryCode is ISO 3166-1 alpha-2, as the model holds it`,
  },
  {
    field: "logo",
    elm: "logo",
    ob3: "image",
    how: "transform",
    fn: "image",
    why: `${DESM_ISSUER} 'Image': OB3 image, ELM logo (Similar)`,
  },
  {
    field: "identifiers",
    elm: "identifier / registration / vatIdentifier / eIDASIdentifier",
    ob3: "otherIdentifier",
    how: "transform",
    fn: "identifierEntries",
    why: `${DESM_ISSUER} 'Identifier': OB3 otherIdentifier (Similar); legal identifiers get ext: identifierTypes (ext:eIDAS, ext:registration, ext:VAT, ext:tax)`,
  },
  {
    field: "memberOf",
    elm: "groupMemberOf",
    ob3: "parentOrg",
    how: "transform",
    fn: "parentOrg",
    why: `${DESM_ISSUER} 'Parent Organization': OB3 parentOrg (Reworded); parentOrg holds one`,
  },
  { field: "endorsements", ob3: "", how: "transform", fn: "endorsements", why: "OB 3.0 Profile endorsements" },
] as const satisfies RuleTable<Organisation>;

/** Every organisation → ELM properties: on OB 3.0 Profiles and on the ELM Organisation nodes of the extension. */
export const ORGANISATION_TO_ELM = [
  {
    field: "legalName",
    elm: "legalName",
    ob3: "legalName",
    how: "extension",
    fn: "langMap",
    annex: "awardingBody",
    why: ALL_LANGUAGES,
  },
  {
    field: "altNames",
    elm: "altLabel",
    ob3: "altLabel",
    how: "extension",
    fn: "langMaps",
    why: `${DESM_ISSUER} 'Alternate Name': ELM alternative label (Reworded), OB3 additionalName is a person's (Similar)`,
  },
  {
    field: "description",
    ob3: "elmDescription",
    on: "ob3",
    how: "extension",
    fn: "langMap",
    why: ALL_LANGUAGES,
  },
  {
    field: "description",
    elm: "additionalNote[]",
    on: "elm",
    how: "extension",
    fn: "note",
    why: "ELM organisations have no description: ELM holds it as an additional note (as the gateway's ELM writer does)",
  },
  {
    field: "identifiers",
    elm: "",
    ob3: "",
    how: "extension",
    fn: "organisationIdentifiers",
    why: `${DESM_ISSUER} 'Identifier Value Code' (Transformed to ELM's eIDAS/VAT/tax/registration identifiers): eIDASIdentifier, registration, vatIdentifier, taxIdentifier and identifier, with their country and scheme`,
  },
  {
    field: "locations",
    elm: "location",
    ob3: "location",
    how: "extension",
    fn: "locations",
    annex: "issuerCountry",
    why: "every location as ELM writes it (OB 3.0 address holds one)",
  },
  {
    field: "homepages",
    elm: "homepage",
    ob3: "homepage",
    how: "extension",
    fn: "webResources",
    why: "every homepage (url holds one)",
  },
  {
    field: "emails",
    elm: "contactPoint",
    ob3: "contactPoint[]",
    how: "extension",
    fn: "emailContact",
    why: "every email (email holds one)",
  },
  {
    field: "phones",
    elm: "contactPoint",
    ob3: "contactPoint[]",
    how: "extension",
    fn: "phoneContact",
    why: "every phone (phone holds one)",
  },
  {
    field: "accreditations",
    elm: "accreditation",
    ob3: "accreditation",
    how: "extension",
    fn: "accreditations",
    annex: "qualityAssurance",
    why: `Annex I type of quality assurance (institutional). ${DESM_ISSUER} 'Accredited By' (Transformed to ELM accreditation): no OB 3.0 property`,
  },
  {
    field: "memberOf",
    elm: "groupMemberOf",
    ob3: "groupMemberOf",
    how: "extension",
    fn: "groups",
    why: "every group (parentOrg holds one)",
  },
] as const satisfies RuleTable<Organisation>;

/** What only an Organisation node of the extension has. */
export const ORGANISATION_NODE = [
  { field: "id", elm: "id", ob3: "id", how: "copy", why: "the ELM node's id" },
  { field: "logo", elm: "logo", ob3: "logo", how: "extension", fn: "mediaObject", why: "the ELM logo MediaObject" },
] as const satisfies RuleTable<Organisation>;

// ---------------------------------------------------------------------------------------------------------------
// Evidence

/** Evidence → OB 3.0 Evidence. */
export const EVIDENCE_TO_OB3 = [
  {
    field: "id",
    elm: "id",
    ob3: "id",
    how: "transform",
    fn: "uri",
    why: "Evidence id: a URL or data: URI of the evidence (a URI id is kept)",
  },
  { field: "name", ob3: "name", how: "transform", fn: "text", why: "OB 3.0 Evidence name" },
  {
    field: "description",
    elm: "description",
    ob3: "description",
    how: "transform",
    fn: "text",
    why: `OB 3.0 Evidence description. ${ONE_LANGUAGE}`,
  },
  {
    field: "description",
    elm: "description",
    ob3: "elmDescription",
    how: "extension",
    fn: "langMap",
    why: ALL_LANGUAGES,
  },
  { field: "narrative", ob3: "narrative", how: "transform", fn: "text", why: "OB 3.0 Evidence narrative (Markdown)" },
  {
    field: "statement",
    elm: "evidenceStatement",
    ob3: "narrative",
    how: "transform",
    fn: "text",
    why: "ELM's evidence statement says what the evidence shows: OB 3.0's narrative 'describes the evidence and process of achievement'",
  },
  {
    field: "statement",
    elm: "evidenceStatement",
    ob3: "evidenceStatement",
    how: "extension",
    fn: "text",
    why: "ELM's evidenceStatement (a string)",
  },
  { field: "genre", ob3: "genre", how: "copy", why: "OB 3.0 Evidence genre" },
  { field: "audience", ob3: "audience", how: "copy", why: "OB 3.0 Evidence audience" },
  {
    field: "types",
    elm: "dcType",
    ob3: "dcType",
    how: "extension",
    fn: "concepts",
    why: "ELM evidence types (accreditation, conversion, mandate)",
  },
  {
    field: "embedded",
    elm: "embeddedEvidence",
    ob3: "embeddedEvidence",
    how: "extension",
    fn: "media",
    why: EXTENSION,
  },
  {
    field: "urls",
    elm: "evidenceTarget",
    ob3: "evidenceTarget",
    how: "extension",
    fn: "webResources",
    why: "every target (the id holds one)",
  },
  {
    field: "accreditations",
    elm: "accreditation",
    ob3: "accreditation",
    how: "extension",
    fn: "accreditations",
    annex: "qualityAssurance",
    why: "the accreditation an ELM 'Accredited' credential carries as evidence (Annex I type of quality assurance)",
  },
] as const satisfies RuleTable<Evidence>;

// ---------------------------------------------------------------------------------------------------------------
// Derived values: OB 3.0 properties the writer computes from several fields, after the tables.

/** An OB 3.0 property computed from several canonical fields. */
export interface DerivedRule {
  ob3: string;
  fn: string;
  annex?: FieldRule["annex"];
  why: string;
}

/** OB 3.0 properties computed after the tables (in this order). */
export const DERIVED_OB3 = [
  {
    ob3: "id, type",
    fn: "credentialIdentity",
    why: "id and type are required: a credential without an id gets a urn:uuid derived from its content; the type set is fixed",
  },
  {
    ob3: "issuer",
    fn: "issuerFallback",
    annex: "awardingBody",
    why: "issuer is required: without an issuer, the main claim's (first) awarding body issues; options.issuerId replaces the id (the gateway's signing issuer)",
  },
  {
    ob3: "validFrom",
    fn: "validFromFallback",
    annex: "issuanceDate",
    why: "validFrom is required: validFrom, else issued, else the awarding date, else now (with a warning)",
  },
  {
    ob3: "credentialSubject.achievement",
    fn: "subjectFallback",
    annex: "title",
    why: "the AchievementSubject and its Achievement are required: a credential without a claim gets them from its own title (with a warning)",
  },
  {
    ob3: "credentialSubject.achievement.name, description",
    fn: "achievementTexts",
    annex: "title",
    why: "name and description are required: the claim's title and description, else the credential's (with a warning)",
  },
  {
    ob3: "credentialSubject.achievement.criteria",
    fn: "criteriaFallback",
    annex: "learningOutcomes",
    why: "criteria is required: a Markdown narrative listing the learning outcomes (or their summary, or the description), with a warning",
  },
  {
    ob3: "credentialSubject.achievement.achievementType",
    fn: "achievementType",
    why: "an OB 3.0 source's own achievementType is kept; else MicroCredential when the source says it is one (a type of the specification or a credential profile labelled so: MICRO_CREDENTIAL_LABEL) or when it carries every Annex I mandatory element (mappings/compliance/annex1.ts); else from the ELM learning-opportunity type (ACHIEVEMENT_TYPES), Assessment for an assessment, else Achievement",
  },
  {
    ob3: "credentialSubject.achievement.resultDescription",
    fn: "gradingResultDescriptions",
    annex: "grade",
    why: "each graded assessment's grading scheme (or title) becomes the ResultDescription its Result points at",
  },
  {
    ob3: "credentialSubject.identifier",
    fn: "learnerIdentification",
    annex: "learner",
    why: "'Either id or at least one identifier MUST be supplied': a learner with neither is warned about",
  },
  {
    ob3: "name",
    fn: "credentialName",
    why: "a wallet lists credentials by name: without a credential title, the achievement's name",
  },
  {
    ob3: "credentialSchema",
    fn: "credentialSchema",
    why: "the OB 3.0 JSON Schema (type 1EdTechJsonSchemaValidator2019), which verifiers such as the 1EdTech validator check: with options.credentialSchema, or when the OB 3.0 source named it (provenance.schemas; other sources' schemas describe their own format)",
  },
  {
    ob3: "@context",
    fn: "contexts",
    why: "VC 2.0 and OB 3.0.3; the 1EdTech extensions context when a 1EdTech type is used; the project's extension context when an extension property is",
  },
] as const satisfies readonly DerivedRule[];

/**
 * How a source names a micro-credential when it says so in a concept's label: the term of the Council Recommendation
 * (2022/C 243/02, "micro-credential"), ELMO's attachment type "Micro Credential" (elmo/v2.0.0/schema.xsd) and DEQAR's
 * programme type "Micro-credential" are its spellings. ELM has no concept for it: the EC's micro-credential sample uses
 * the Generic credential profile and the learning-opportunity type "Short learning programme", and neither the
 * credential-type nor the learning-opportunity vocabulary holds one (research/elm.md §1.5, §7). So a source says it
 * only with a concept of its own (a free `dcType` or credential profile), recognised by this label in any language.
 */
export const MICRO_CREDENTIAL_LABEL = /^\s*micro[\s-]?credentials?\s*$/i;

/**
 * ELM learning-opportunity types (`dcType` of the main specification) → OB 3.0 achievementType, where the two
 * vocabularies name the same thing. The rest (internship, thesis, mentoring, study visit) has no OB 3.0 term.
 */
export const ACHIEVEMENT_TYPES: Readonly<Record<string, string>> = {
  "http://data.europa.eu/snb/learning-opportunity/05053c1cbe": "Course", // Course
  "http://data.europa.eu/snb/learning-opportunity/0f7dac46ca": "Course", // Programme module
  "http://data.europa.eu/snb/learning-opportunity/17744a2647": "Course", // MOOC
  "http://data.europa.eu/snb/learning-opportunity/7e1ac538db": "Course", // Class
  "http://data.europa.eu/snb/learning-opportunity/63f9f6180c": "ApprenticeshipCertificate", // Apprenticeship
  "http://data.europa.eu/snb/learning-opportunity/79343569f3": "LearningProgram", // Educational programme
  "http://data.europa.eu/snb/learning-opportunity/74a4a268e8": "LearningProgram", // Short learning programme
  "http://data.europa.eu/snb/learning-opportunity/8b965da2d4": "CommunityService", // Service learning
};

// ---------------------------------------------------------------------------------------------------------------
// Coverage: tsc fails when a canonical field has no rule (a field added to the model must be mapped or declared lost).

type Fields<R extends readonly FieldRule[]> = R[number]["field"];
type Missing<Root, Covered> = Exclude<keyof Root, Covered>;
/** `true` when every key of Root is covered; otherwise the type names the missing keys. */
type Covers<Root, Covered> = [Missing<Root, Covered>] extends [never] ? true : { missing: Missing<Root, Covered> };

/** Compile-time checks that the tables cover the whole model (the value is irrelevant; the types are the check). */
export const COVERAGE: {
  credential: Covers<CanonicalCredential, Fields<typeof CREDENTIAL_TO_OB3> | (typeof CREDENTIAL_UNMAPPED)[number]>;
  person: Covers<Person, Fields<typeof PERSON_TO_OB3>>;
  mainClaim: Covers<Claim, Fields<typeof CLAIM_TO_OB3> | Fields<typeof CLAIM_TO_ELM>>;
  mainSpecification: Covers<Specification, Fields<typeof SPECIFICATION_TO_OB3> | Fields<typeof SPECIFICATION_TO_ELM>>;
  organisation: Covers<Organisation, Fields<typeof ORGANISATION_TO_OB3> | Fields<typeof ORGANISATION_TO_ELM>>;
  evidence: Covers<Evidence, Fields<typeof EVIDENCE_TO_OB3>>;
} = {
  credential: true,
  person: true,
  mainClaim: true,
  mainSpecification: true,
  organisation: true,
  evidence: true,
};
