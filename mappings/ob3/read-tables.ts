/**
 * OB 3.0 term → model tables of the reader: the contexts and types that make a document an Open Badges 3.0
 * credential, the VC data model versions, and how recipient and entity identifiers map to the model.
 */
import type {
  Address,
  CanonicalCredential,
  Claim,
  Evidence,
  IdentifierKind,
  Organisation,
  Specification,
} from "../model.js";
import type { FieldRule } from "./read-fields.js";

/**
 * The OB 3.0 context: `context.json` and `context-3.0.x.json` (the JSON Schema's pattern), and the alias the 1EdTech
 * validator accepts (`context/ob_v3p0.jsonld`).
 */
export const OB3_CONTEXT_PATTERN =
  /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/(context(-3\.\d+\.\d+)?\.json|context\/ob_v3p0\.jsonld)$/;

/** The pre-release context some early OB 3.0 credentials name (the validator's `simple.jwt` fixture does). */
export const OB3_DRAFT_CONTEXT = "https://imsglobal.github.io/openbadges-specification/context.json";

/** The context OB 3.0 recommends, for messages. */
export const OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/** W3C VC contexts and the VC data model version (`provenance.variant`) each marks. */
export const VC_CONTEXTS = {
  "https://www.w3.org/2018/credentials/v1": "vcdm1.1",
  "https://www.w3.org/ns/credentials/v2": "vcdm2",
} as const satisfies Record<string, string>;

/** The credential types of OB 3.0 (`AchievementCredential` is an alias of `OpenBadgeCredential`). */
export const OB3_TYPES = ["OpenBadgeCredential", "AchievementCredential"] as const;

/** The OB vocabulary's namespace: a type written as a full IRI (`…vocab.html#OpenBadgeCredential`) is accepted. */
const OB3_VOCAB = /^https:\/\/purl\.imsglobal\.org\/spec\/vc\/ob\/vocab\.html#/;

/** Whether a `type` value names an OB 3.0 credential type (as a term or a full IRI). */
export function isOb3Type(t: string): boolean {
  const term = t.replace(OB3_VOCAB, "");
  return OB3_TYPES.some((x) => x === term);
}

/** OB 3.0 credential types that are not achievement credentials, with why the reader does not take them. */
export const NOT_ACHIEVEMENT_TYPES: Record<string, string> = {
  EndorsementCredential:
    "an EndorsementCredential endorses an issuer, achievement or credential; it holds no learner and no achievement",
  BitstringStatusListCredential: "a status list credential (revocation bits), not a learning credential",
  DataIntegrityProof: "a Data Integrity proof on its own, not a credential",
};

/**
 * Recipient identifiers (AchievementSubject `identifier`, IdentityObject) that hold a plain value the model has a
 * field for, by `identityType`. Hashed values, and every other identity type, stay identifiers.
 */
export const PLAIN_IDENTITY_FIELDS = {
  emailAddress: "emails",
  name: "fullName",
  nationalIdentityNumber: "nationalId",
} as const satisfies Record<string, "emails" | "fullName" | "nationalId">;

/** IdentifierEntry `identifierType` (and IdentityObject `identityType`) → identifier kind; others are `other`. */
export const IDENTIFIER_KINDS: Record<string, IdentifierKind> = {
  nationalIdentityNumber: "national",
};

/** The identifier kind of an identifier type ({@link IDENTIFIER_KINDS}), `other` when unknown or absent. */
export function identifierKind(type: string | undefined): IdentifierKind {
  return type !== undefined && Object.hasOwn(IDENTIFIER_KINDS, type) ? (IDENTIFIER_KINDS[type] ?? "other") : "other";
}

/** Address fields copied as they are (`addressCountryCode`/`addressCountry` become the alpha-2 `country`). */
export const ADDRESS_STRINGS = [
  { key: "streetAddress", field: "street" },
  { key: "addressLocality", field: "locality" },
  { key: "addressRegion", field: "region" },
  { key: "postalCode", field: "postalCode" },
] as const satisfies readonly FieldRule<keyof Address>[];

/** Profile texts. */
export const PROFILE_TEXTS = [
  { key: "name", field: "legalName" },
  { key: "description", field: "description" },
] as const satisfies readonly FieldRule<keyof Organisation>[];

/** Achievement texts: name and description are the specification's title and description. */
export const ACHIEVEMENT_TEXTS = [
  { key: "name", field: "title" },
  { key: "description", field: "description" },
] as const satisfies readonly FieldRule<keyof Specification>[];

/** Achievement strings with a model field of their own. */
export const ACHIEVEMENT_STRINGS = [
  { key: "achievementType", field: "achievementType" },
  { key: "humanCode", field: "humanCode" },
  { key: "version", field: "version" },
  { key: "fieldOfStudy", field: "fieldOfStudy" },
  { key: "specialization", field: "specialization" },
] as const satisfies readonly FieldRule<keyof Specification>[];

/** AchievementSubject strings that belong to the achievement claim. */
export const SUBJECT_STRINGS = [
  { key: "role", field: "role" },
  { key: "term", field: "term" },
  { key: "licenseNumber", field: "licenseNumber" },
] as const satisfies readonly FieldRule<keyof Claim>[];

/** AchievementSubject texts that belong to the achievement claim. */
export const SUBJECT_TEXTS = [{ key: "narrative", field: "narrative" }] as const satisfies readonly FieldRule<
  keyof Claim
>[];

/** AchievementSubject dates that belong to the achievement claim: when the activity took place. */
export const SUBJECT_DATES = [
  { key: "activityStartDate", field: "startDate" },
  { key: "activityEndDate", field: "endDate" },
] as const satisfies readonly FieldRule<keyof Claim>[];

/** Evidence texts. */
export const EVIDENCE_TEXTS = [
  { key: "name", field: "name" },
  { key: "description", field: "description" },
  { key: "narrative", field: "narrative" },
] as const satisfies readonly FieldRule<keyof Evidence>[];

/** Evidence strings with no ELM property. */
export const EVIDENCE_STRINGS = [
  { key: "genre", field: "genre" },
  { key: "audience", field: "audience" },
] as const satisfies readonly FieldRule<keyof Evidence>[];

/** Alignment (`targetName`…) → model alignment field. */
export const ALIGNMENT_STRINGS = [
  { key: "targetName", field: "name" },
  { key: "targetUrl", field: "url" },
  { key: "targetDescription", field: "description" },
  { key: "targetFramework", field: "framework" },
  { key: "targetCode", field: "code" },
  { key: "targetType", field: "type" },
] as const satisfies readonly FieldRule<keyof NonNullable<Specification["alignments"][number]>>[];

/** Result strings (the value, its status, and the ids it refers to in the achievement). */
export const RESULT_STRINGS = [
  { key: "value", field: "value" },
  { key: "status", field: "status" },
  { key: "resultDescription", field: "resultDescription" },
  { key: "achievedLevel", field: "achievedLevel" },
] as const satisfies readonly FieldRule<keyof Claim["results"][number]>[];

/** Credential texts: name and description are the credential's display title and description. */
export const CREDENTIAL_TEXTS = [
  { key: "name", field: "title" },
  { key: "description", field: "description" },
] as const satisfies readonly FieldRule<keyof CanonicalCredential>[];

/** Credential values the model keeps as read (the target format writes its own, or carries them). */
export const CREDENTIAL_RAW = [
  "credentialStatus",
  "termsOfUse",
] as const satisfies readonly (keyof CanonicalCredential)[];

/** Open Badges 2.0 contexts: such a document is read as `ob2`, not here. */
export const OB2_CONTEXTS = ["https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"];
