/**
 * The canonical credential model: every format is read into it and written out of it (hub and spoke, DESIGN.md).
 * It holds the union of what the formats carry, shaped after ELM v3 (the richest) and the EU Council
 * Recommendation's Annex I elements, plus provenance (the source document and where each value came from) and an
 * extension bag, so that nothing read is silently dropped.
 *
 * Conventions:
 * - Texts are language maps (`{en: "…", fr: "…"}`) keyed by a BCP 47 / ISO 639-1 tag; `und` when unknown.
 * - Controlled-vocabulary values are {@link Concept}s keeping the concept URI; unknown URIs are kept as they are.
 * - Dates are ISO 8601 strings as found (date or date-time); durations are ISO 8601 durations (`PT60H`).
 * - Countries are ISO 3166-1 alpha-2 codes (`IE`); formats with other codes convert at their edge.
 * - Arrays are always arrays (possibly empty); optional scalars are absent, never `null`.
 */
import type { Format } from "./formats.js";

/** Text in one or more languages. */
export type LangMap = Record<string, string>;

/** A concept of a controlled vocabulary (ELM / EU Vocabularies, ESCO, ISCED-F...), or a free one. */
export interface Concept {
  /** The concept's URI, e.g. `http://data.europa.eu/snb/eqf/6`. Absent for free-text concepts. */
  uri?: string;
  label?: LangMap;
  notation?: string;
  /** The concept scheme's URI. */
  scheme?: string;
}

export type IdentifierKind = "eidas" | "registration" | "vat" | "tax" | "national" | "legal" | "other";

/** An identifier of a person, organisation, specification or credential. */
export interface Identifier {
  value: string;
  kind: IdentifierKind;
  /** The scheme's name (`Certificate number`, `SCHAC`, `Erasmus`), or URI. */
  scheme?: string;
  /** Country that issued a legal identifier (alpha-2). */
  country?: string;
  /** OB3 `identityType` (emailAddress, studentId, nationalIdentityNumber...), kept for round trips. */
  identityType?: string;
  hashed?: boolean;
  salt?: string;
}

/** A file: embedded (base64 content) or linked. */
export interface Media {
  id?: string;
  /** Base64 content. */
  content?: string;
  /** MIME type (`image/png`); formats using file-type concepts convert at their edge. */
  mediaType?: string;
  url?: string;
  title?: LangMap;
}

export interface Address {
  /** ISO 3166-1 alpha-2. */
  country?: string;
  full?: LangMap;
  locality?: string;
  postalCode?: string;
  street?: string;
  region?: string;
}

export interface Location {
  id?: string;
  address?: Address;
  /** An administrative area concept (EU ATU authority) or similar. */
  area?: Concept;
  name?: LangMap;
}

/** An organisation: awarding body, issuer, accrediting agent, provider. */
export interface Organisation {
  id?: string;
  legalName: LangMap;
  altNames: LangMap[];
  identifiers: Identifier[];
  locations: Location[];
  homepages: string[];
  emails: string[];
  phones: string[];
  logo?: Media;
  accreditations: Accreditation[];
  /**
   * `groupMemberOf` (ELM) or a parent organisation (OB3 `parentOrg`). `emails` are the group's contact point mailboxes
   * (ELM `Group.contactPoint.emailAddress`, without `mailto:`); `homepages` its web pages (a parent Profile's `url`;
   * ELM's Group has no homepage, so the ELM writer keeps them in the EDC form only, see `write-agents.ts`).
   */
  memberOf: { id?: string; name: LangMap; emails?: string[]; homepages?: string[] }[];
  /**
   * What the organisation is (OB3 Profile `description`). ELM organisations have no description (neither the SHACL
   * shapes nor the EBSI schema): ELM holds it as the organisation's `additionalNote`, which the ELM reader reads back
   * here (several notes as one text, separated by a blank line) and the ELM writer writes as one note.
   */
  description?: LangMap;
  /** OB3 Profile `endorsement` / `endorsementJwt`, kept as read (see {@link Specification.endorsements}). */
  endorsements?: unknown[];
}

/** The learner. Personal data: never logged. */
export interface Person {
  id?: string;
  givenName?: LangMap;
  familyName?: LangMap;
  fullName?: LangMap;
  birthName?: LangMap;
  patronymicName?: LangMap;
  /** Date (or date-time, as ELM writes it) of birth. */
  dateOfBirth?: string;
  placeOfBirth?: Location;
  nationalId?: Identifier;
  identifiers: Identifier[];
  emails: string[];
  phones: string[];
  citizenship: string[];
  gender?: Concept;
  addresses: Address[];
}

/** A credit award or offer: framework (ECTS, ECVET...) and points. */
export interface Credit {
  framework?: Concept;
  /** The points as written (ELM writes a string); use {@link parsePoints} to read them as a number. */
  points: string;
}

export interface LearningOutcome {
  id?: string;
  title: LangMap;
  /**
   * ELM learning outcomes have no description (neither the SHACL shapes nor the EBSI schema): ELM holds it as the
   * outcome's `additionalNote`, which the ELM reader reads back here (several notes as one text, separated by a blank
   * line) and the ELM writer writes as one note.
   */
  description?: LangMap;
  /** ESCO skills (`http://data.europa.eu/esco/skill/...`). */
  escoSkills: Concept[];
  /** Other skill frameworks (DigComp, local). */
  relatedSkills: Concept[];
  reusabilityLevel?: Concept;
  skillType?: Concept;
}

export interface GradingScheme {
  id?: string;
  title?: LangMap;
  description?: LangMap;
}

/** Quality assurance or licensing of an organisation or a qualification (ELM Accreditation, a DEQAR report). */
export interface Accreditation {
  id?: string;
  types: Concept[];
  title?: LangMap;
  description?: LangMap;
  decision?: Concept;
  report?: string;
  reviewDate?: string;
  issued?: string;
  expiry?: string;
  accreditingAgent?: Organisation;
  organisation?: Organisation;
  homepages: string[];
  limitQualification?: string;
  limitFields: Concept[];
  limitEqfLevels: Concept[];
  limitCredentialTypes: Concept[];
  limitJurisdictions: Concept[];
  landingPage?: string;
}

/** An OB3 alignment to a node of a framework (competency, standard, catalogue entry). */
export interface Alignment {
  /** `targetName`. */
  name?: string;
  /** `targetUrl`. */
  url?: string;
  /** `targetDescription`. */
  description?: string;
  /** `targetFramework`. */
  framework?: string;
  /** `targetCode`. */
  code?: string;
  /** `targetType` (CFItem, CTDL, `ext:…`). */
  type?: string;
}

export type SpecificationKind = "qualification" | "achievement" | "assessment" | "activity" | "entitlement";

/** What a claim is an instance of: a qualification, a course, an assessment, an activity or an entitlement. */
export interface Specification {
  id?: string;
  kind: SpecificationKind;
  title: LangMap;
  altTitles: LangMap[];
  description?: LangMap;
  /** `dcType`: learning opportunity type, assessment type (Annex I "type of assessment"), activity type... */
  types: Concept[];
  identifiers: Identifier[];
  learningOutcomes: LearningOutcome[];
  learningOutcomeSummary?: LangMap;
  credits: Credit[];
  /** Notional workload, ISO 8601 duration. */
  volumeOfLearning?: string;
  maximumDuration?: string;
  /** EQF level (`http://data.europa.eu/snb/eqf/1..8`). */
  eqfLevel?: Concept;
  nqfLevels: Concept[];
  /**
   * QF-EHEA cycle (short, first, second, third), which ELM has no property for: the ELM writer writes it as an
   * `educationLevel` in the gateway's QF-EHEA scheme (`QF_EHEA_SCHEME`, mappings/elm/tables.ts), and the ELM reader
   * takes the first education level in that scheme back here (with that scheme).
   */
  qfEheaLevel?: Concept;
  educationLevels: Concept[];
  /** ISCED-F fields (`thematicArea`). */
  fields: Concept[];
  /** Mode of learning and assessment (Annex I "form of participation"): online, blended, presential... */
  modes: Concept[];
  learningSettings: Concept[];
  languages: Concept[];
  entryRequirement?: LangMap;
  targetGroups: Concept[];
  isPartialQualification?: boolean;
  /** Ids of parts and wholes (specifications), for stackability. */
  hasPart: string[];
  isPartOf: string[];
  /** Entitlements this specification gives (for stackability / further learning). */
  entitlesTo: Specification[];
  accreditations: Accreditation[];
  gradingScheme?: GradingScheme;
  homepages: string[];
  supplementaryDocuments: string[];
  additionalNotes: LangMap[];
  /** OB3 achievement fields with no ELM property. */
  criteria?: { narrative?: LangMap; url?: string };
  image?: Media;
  tags: string[];
  alignments: Alignment[];
  humanCode?: string;
  creator?: Organisation;
  /** OB3 `achievementType` (`Degree`, `MicroCredential`, `ext:…`), an extensible vocabulary with no ELM equivalent. */
  achievementType?: string;
  /** OB3 `version` of the achievement definition. */
  version?: string;
  /** OB3 `fieldOfStudy` and `specialization`: free text (ELM `thematicArea` is an ISCED-F concept, see `fields`). */
  fieldOfStudy?: string;
  specialization?: string;
  /** OB3 `related`: the same achievement in other languages or versions. */
  related?: { id: string; version?: string; inLanguage?: string }[];
  /** OB3 `endorsement` (EndorsementCredential objects) and `endorsementJwt` (compact JWS strings), kept as read. */
  endorsements?: unknown[];
  /** Entitlement status (actual, prospective), for entitlement specifications. */
  entitlementStatus?: Concept;
  /** Assessment specifications: how results are graded. */
  resultDescriptions?: unknown[];
}

export type ClaimKind = "achievement" | "assessment" | "activity" | "entitlement";

/** A claim about the learner: something achieved, assessed, done or entitled. */
export interface Claim {
  id?: string;
  kind: ClaimKind;
  title: LangMap;
  description?: LangMap;
  /** Who awarded it, and when. */
  awardingBodies: Organisation[];
  awardingDate?: string;
  awardingLocation?: Location;
  specification?: Specification;
  /** Achievement: the assessments proving it (`provenBy`). */
  provenBy: Claim[];
  /** Achievement: the activities leading to it (`influencedBy`). */
  influencedBy: Claim[];
  /** Achievement: entitlements it gives. */
  entitlesTo: Claim[];
  hasPart: Claim[];
  isPartOf: string[];
  creditsEarned: Credit[];
  /** Assessment: the grade. */
  grade?: { value?: string; note?: LangMap };
  gradeStatus?: Concept;
  /** Assessment: supervision and identity verification (Annex I optional element). */
  idVerification?: Concept;
  assessedBy: Organisation[];
  dateIssued?: string;
  /** Activity: time spent, dates, completion. */
  workload?: string;
  startDate?: string;
  endDate?: string;
  levelOfCompletion?: number;
  directedBy: Organisation[];
  /** Entitlement: when it ends. */
  expiryDate?: string;
  additionalNotes: LangMap[];
  supplementaryDocuments: string[];
  /** OB3 results (`result`), kept for round trips. */
  results: {
    value?: string;
    status?: string;
    resultDescription?: string;
    /** The id of the achieved RubricCriterionLevel. */
    achievedLevel?: string;
    alignments?: Alignment[];
  }[];
  /** OB3 AchievementSubject fields with no ELM property: `narrative` (Markdown), `role`, `term`, `licenseNumber`. */
  narrative?: LangMap;
  role?: string;
  term?: string;
  licenseNumber?: string;
}

export interface Evidence {
  id?: string;
  types: Concept[];
  statement?: LangMap;
  description?: LangMap;
  embedded: Media[];
  urls: string[];
  accreditations: Accreditation[];
  /** OB3 evidence `narrative` (Markdown). */
  narrative?: LangMap;
  /** OB3 evidence `name`, `genre` (Poetry, Film…) and `audience`. */
  name?: LangMap;
  genre?: string;
  audience?: string;
}

/** What the credential looks like: ELM `displayParameter`. */
export interface Display {
  title?: LangMap;
  description?: LangMap;
  primaryLanguage?: string;
  languages: string[];
  /** Rendered pages (images), in order. */
  pages: Media[];
}

/** A source field the model has no place for: kept with its path, so writers can report or carry it. */
export interface Extension {
  /** JSON Pointer into the source document. */
  path: string;
  value: unknown;
}

export interface Provenance {
  format: Format;
  /** The credential's own id in the source, if any. */
  sourceId?: string;
  /** Source-format variant: `edc` (VCDM 1.1), `ebsi` (VCDM 2.0), `jades` (sealed envelope), `wrapper`... */
  variant?: string;
  /** JSON Pointer of the credential inside the input (a wrapper, an envelope, a row, a report). */
  root: string;
  /**
   * Where each canonical value was read: canonical JSON Pointer (`/claims/0/specification/title`) → JSON Pointer
   * into the whole input, `root` included (`/payload/credentialSubject/hasClaim/specifiedBy/title` for a sealed
   * envelope). The micro-credential check and loss reports use these paths as they are.
   */
  paths: Record<string, string>;
  /** The source document, for embedding as evidence (converted profile) when the writer asks for it. */
  original?: unknown;
  /** The source's proof or seal, if it had one (the converted credential is re-signed, so this is informational). */
  proof?: unknown;
  /**
   * The source's `credentialSchema` entries (VC): each schema's IRI and type (`ShaclValidator2017` for the ELM
   * application profiles' shapes, `JsonSchema` for EBSI's JSON Schemas). Like the proof, they describe the source
   * document rather than the credential's data: they say what the source conformed to, and a writer names the schemas
   * its own output meets (the ELM writer recomputes the ELM profile shapes and keeps the others where its output's
   * form allows them). Kept here rather than on the credential, so that writers without a schema of their own (OB3)
   * need no mapping for them.
   */
  schemas?: { id: string; type?: string }[];
}

export interface CanonicalCredential {
  id?: string;
  /** The source's `type` values. */
  types: string[];
  /** ELM credential profiles (Generic, Accredited, Converted...) and similar type concepts. */
  profiles: Concept[];
  title?: LangMap;
  description?: LangMap;
  identifiers: Identifier[];
  /** The issuer (ELM: the sealer; can differ from the awarding body). */
  issuer?: Organisation;
  learner: Person;
  claims: Claim[];
  /** When it was issued (sealed). */
  issued?: string;
  validFrom?: string;
  validUntil?: string;
  evidence: Evidence[];
  attachments: Media[];
  display?: Display;
  credentialStatus?: unknown;
  termsOfUse?: unknown;
  /** Further information (Annex I optional element) at the credential level. */
  additionalNotes: LangMap[];
  /** OB3 credential `endorsement` / `endorsementJwt`, kept as read (see {@link Specification.endorsements}). */
  endorsements?: unknown[];
  extensions: Extension[];
  provenance: Provenance;
}

/** A source field that the target format has no place for. */
export interface Loss {
  /** JSON Pointer into the source document. */
  path: string;
  reason: string;
}

/** A problem found while reading: where, and what. */
export interface ReadIssue {
  path: string;
  message: string;
}

/**
 * Result of reading one input: it may hold several credentials (a spreadsheet, an ELMO file). `rowErrors` are the
 * problems of single records of a multi-record input (spreadsheet rows: `/rows/{n}/{column}`) that were left out
 * while the others were read: the input as a whole is readable, so the result stays `ok`.
 */
/**
 * Which spreadsheet column went where: the profile that read the header row, each mapped header (as written) with
 * the canonical field it fills, the fields the profile fixes for every row, and the headers no rule maps.
 */
export interface SpreadsheetMapping {
  profile: { name: string; columns: Record<string, string>; fixed?: string[] };
  unmapped: string[];
  /** Headers the caller's `options.columns` told the reader to ignore (their cells are not read at all). */
  ignored?: string[];
}

export type ReadResult =
  | {
      ok: true;
      value: CanonicalCredential[];
      losses: Loss[];
      warnings: ReadIssue[];
      rowErrors?: ReadIssue[];
      /** Spreadsheets: how the header row was read. */
      mapping?: SpreadsheetMapping;
    }
  | { ok: false; issues: ReadIssue[]; warnings?: ReadIssue[] };

/**
 * A value a writer put in its output that the source does not hold (a generated id, the time of writing, a title
 * standing in for a required description, a value the caller supplied with `options.fill`): `path` points into the
 * output (a JSON Pointer, an XPath for XML output).
 */
export interface Derived {
  path: string;
  reason: string;
}

/** One rule of the target format an output breaks: where in the output, and what. */
export interface Violation {
  path: string;
  message: string;
}

/**
 * Whether an output meets the target format's rules the gateway holds (`rules` names them; `none` when it holds none
 * for the format, and then `conforms` is null: not checked). `sealing` lists what the rules want that sealing sets
 * (ELM: EDC's sealer writes the issuer from the seal certificate and `issued`); it does not count against `conforms`.
 */
export interface Conformance {
  rules: string;
  conforms: boolean | null;
  violations: Violation[];
  sealing?: Violation[];
}

/**
 * When one write happens and where its new ids come from: the caller's clock and id source (the use cases take them
 * from the kernel's clock and ids ports). Writers read neither the wall clock nor randomness themselves, so the same
 * input and moment always give the same output.
 */
export interface WriteMoment {
  now: Date;
  /** A new random UUID (RFC 9562 version 4). */
  uuid: () => string;
}

/** Result of writing one credential. */
export interface WriteResult<T = unknown> {
  document: T;
  losses: Loss[];
  warnings: ReadIssue[];
  /** Values the writer supplied that are not in the source (see {@link Derived}). */
  derived?: Derived[];
}

/** ELM and others write credit points as strings: a finite, non-negative number or undefined. */
export function parsePoints(points: string): number | undefined {
  const trimmed = points.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/** Empty containers, so readers start from a complete shape. */
export const emptyOrganisation = (legalName: LangMap = {}): Organisation => ({
  legalName,
  altNames: [],
  identifiers: [],
  locations: [],
  homepages: [],
  emails: [],
  phones: [],
  accreditations: [],
  memberOf: [],
});

export const emptyPerson = (): Person => ({
  identifiers: [],
  emails: [],
  phones: [],
  citizenship: [],
  addresses: [],
});

export const emptySpecification = (kind: SpecificationKind, title: LangMap = {}): Specification => ({
  kind,
  title,
  altTitles: [],
  types: [],
  identifiers: [],
  learningOutcomes: [],
  credits: [],
  nqfLevels: [],
  educationLevels: [],
  fields: [],
  modes: [],
  learningSettings: [],
  languages: [],
  targetGroups: [],
  hasPart: [],
  isPartOf: [],
  entitlesTo: [],
  accreditations: [],
  homepages: [],
  supplementaryDocuments: [],
  additionalNotes: [],
  tags: [],
  alignments: [],
});

export const emptyClaim = (kind: ClaimKind, title: LangMap = {}): Claim => ({
  kind,
  title,
  awardingBodies: [],
  provenBy: [],
  influencedBy: [],
  entitlesTo: [],
  hasPart: [],
  isPartOf: [],
  creditsEarned: [],
  assessedBy: [],
  directedBy: [],
  additionalNotes: [],
  supplementaryDocuments: [],
  results: [],
});

export const emptyAccreditation = (): Accreditation => ({
  types: [],
  homepages: [],
  limitFields: [],
  limitEqfLevels: [],
  limitCredentialTypes: [],
  limitJurisdictions: [],
});

export const emptyCredential = (format: Format): CanonicalCredential => ({
  types: [],
  profiles: [],
  identifiers: [],
  learner: emptyPerson(),
  claims: [],
  evidence: [],
  attachments: [],
  additionalNotes: [],
  extensions: [],
  provenance: { format, root: "", paths: {} },
});
