/**
 * The project's OB 3.0 extension for what Open Badges 3.0 has no property for: the EU micro-credential (Annex I)
 * elements and the rest of ELM's specification and claim structure (EQF/NQF level, credit points with their framework,
 * volume of learning, form of participation, quality assurance, identity verification, prerequisites, stackability,
 * assessments with their type and grading scheme, activities, the learner's structured name...). It is our own JSON-LD
 * context, authored here; `docs/ob3-elm-extension.md` documents the JSON shapes for implementers.
 *
 * Design: the extension carries **ELM itself**. Each extension property is an ELM property, with ELM's own JSON key and
 * IRI (`eqfLevel` → `http://data.europa.eu/snb/model/elm/EQFLevel`), placed on the OB 3.0 node that plays the ELM
 * node's role: the Achievement for the specification, the AchievementSubject for the claim and the learner, the Profile
 * for an organisation, the Evidence for an evidence. Its values are ELM JSON, exactly as an EDC writes it (concepts as
 * `{id, type: "Concept", prefLabel, inScheme}`, notes as `{type: "Note", noteLiteral}`, assessments as
 * `LearningAssessment` nodes...), so an ELM reader can read them and a JSON-LD processor sees ELM's RDF.
 *
 * Two context documents make that work under the protected VC 2.0 and OB 3.0 contexts:
 * - {@link OB3_ELM_CONTEXT}: the entry terms, `@protected` like the contexts before it. A property whose value is
 *   a node has a property-scoped context, {@link OB3_ELM_TERMS_CONTEXT_REF}, so everything *inside* an ELM value is
 *   read with ELM's terms, even those VC 2.0 protects (`description` is a language map in ELM, a string in VC 2.0;
 *   property-scoped contexts may override protected terms).
 * - {@link OB3_ELM_TERMS_CONTEXT}: the terms of the ELM `edc-ap` context (the project's pinned copy,
 *   `mappings/elm/context.ts`) minus the entry terms. The entry terms are left out on purpose: with the OB 3.0 context
 *   active, jsonld drops the scoped context of a term that its own scoped context redefines (measured: the values of
 *   `eqfLevel` then fail safe mode); the entry term's definition is ELM's, so nothing changes inside ELM values.
 * Five entry terms collide with terms the OB 3.0 context defines inside Profile or AchievementSubject nodes
 * (`givenName`, `familyName`, `patronymicName`, `dateOfBirth`, `identifier`): they are not protected, so those
 * type-scoped contexts may redefine them inside their own nodes (a protected one would make every credential with an
 * issuer Profile fail with "protected term redefinition").
 *
 * URLs: the extension context is named by a dereferenceable, versioned HTTPS URL that the deployment chooses (by
 * default the gateway's own route, {@link OB3_ELM_CONTEXT_PATH} under its public URL; an operator may register a
 * permanent one), so it is configuration and reaches the writer as an option (`extensionContextUrl`). The document
 * itself names the terms context by a **relative** URL ({@link OB3_ELM_TERMS_CONTEXT_REF}), which JSON-LD resolves
 * against the URL the entry context was loaded from: the two documents are the same bytes wherever they are
 * published, so one SHA-256 ({@link OB3_ELM_CONTEXT_DIGEST_SRI}) pins them for every deployment. The credentials
 * issued before used URNs ({@link LEGACY_OB3_ELM_CONTEXT_URN}); those are still read and verified, never written.
 */
import { createHash } from "node:crypto";
import { EDC_AP_CONTEXT, type ElmTermDefinition } from "../elm/context.js";

export { defaultOb3ElmContextUrl, isPublishableContextUrl, OB3_ELM_CONTEXT_PATH } from "./extension-url.js";

/** Where the gateway serves {@link OB3_ELM_TERMS_CONTEXT}, relative to its public URL. */
export const OB3_ELM_TERMS_CONTEXT_PATH = "/contexts/ob3-elm/v1-elm.json";

/**
 * How the entry context names the terms context: relative, so it resolves beside wherever the entry context is
 * published (`…/v1.json` → `…/v1-elm.json`).
 */
export const OB3_ELM_TERMS_CONTEXT_REF = "v1-elm.json";

/** The URN the extension context had before it was published over HTTPS: read and verified, never written. */
export const LEGACY_OB3_ELM_CONTEXT_URN = "urn:edc-gateway:contexts:ob3-elm:v1";

/** The URN of the terms context that {@link LEGACY_OB3_ELM_CONTEXT_URN}'s document names. */
export const LEGACY_OB3_ELM_TERMS_CONTEXT_URN = "urn:edc-gateway:contexts:ob3-elm:v1:elm";

/** The URL the terms context has when the entry context is published at `contextUrl` (the relative reference resolved). */
export function ob3ElmTermsContextUrl(contextUrl: string): string {
  return new URL(OB3_ELM_TERMS_CONTEXT_REF, contextUrl).href;
}

/** The OB 3.0 nodes an extension property may appear on. */
export type ExtensionHost = "credential" | "profile" | "achievement" | "subject" | "evidence";

/** One extension term: its JSON key, where it appears, and why it exists. */
export interface ExtensionTerm {
  /** The ELM key (or, for the few the project names, a key of its own). */
  term: string;
  /** The OB 3.0 nodes it appears on. */
  on: readonly ExtensionHost[];
  /** For project terms only: the IRI and value type (ELM terms take ELM's definition). */
  own?: ElmTermDefinition;
  /** Why OB 3.0 needs it. */
  why: string;
}

const ELM = "http://data.europa.eu/snb/model/elm/";

/**
 * The extension terms. ELM terms take their definition from the ELM context; `own` ones are the project's. The order
 * is the documentation's.
 */
export const EXTENSION_TERMS = [
  // Texts in every language. OB 3.0 strings carry one; `description` is VC 2.0's (protected) and cannot be redefined.
  {
    term: "title",
    on: ["credential", "achievement", "subject"],
    why: "the title in every language (OB 3.0 `name` holds one)",
  },
  {
    term: "elmDescription",
    on: ["credential", "achievement", "subject", "profile", "evidence"],
    own: { "@id": "http://purl.org/dc/terms/description", "@container": "@language" },
    why: "ELM's `description` in every language: OB 3.0 `description` (VC 2.0's, protected) holds one string",
  },
  { term: "altLabel", on: ["achievement", "profile"], why: "alternative titles and names" },
  {
    term: "issued",
    on: ["credential"],
    own: { "@id": "https://www.w3.org/2018/credentials#issued", "@type": "http://www.w3.org/2001/XMLSchema#dateTime" },
    why: "Annex I date of issuing as ELM writes it (VC 1.1's `issued`, which VC 2.0 dropped)",
  },
  { term: "additionalNote", on: ["credential", "achievement", "subject"], why: "Annex I further information" },
  { term: "supplementaryDocument", on: ["achievement", "subject"], why: "Annex I further information" },
  {
    term: "homepage",
    on: ["achievement", "profile"],
    why: "web pages of the specification (Annex I further information)",
  },
  { term: "attachment", on: ["credential"], why: "files the issuer attached to the credential" },
  // Specification (the Achievement).
  { term: "dcType", on: ["achievement", "evidence"], why: "ELM type concepts (learning opportunity type...)" },
  {
    term: "eqfLevel",
    on: ["achievement"],
    why: "Annex I level: EQF, when no Alignment to an EU EQF level URI can carry it (those are OB 3.0's own place); always on ELM specification nodes",
  },
  { term: "nqfLevel", on: ["achievement"], why: "Annex I level: national qualifications framework" },
  {
    term: "qfEheaLevel",
    on: ["achievement"],
    own: { "@id": "urn:edc-gateway:vocab:ob3-elm:qfEheaLevel", "@type": "@id" },
    why: "Annex I level: a QF-EHEA cycle concept. Accepted when read; the writer writes the cycle as an educationLevel (below), the form ELM can hold",
  },
  {
    term: "educationLevel",
    on: ["achievement"],
    why: "education levels; the QF-EHEA cycle (Annex I level), which ELM has no property for, as a concept of the gateway's QF-EHEA scheme",
  },
  { term: "thematicArea", on: ["achievement"], why: "ISCED-F fields as concepts (OB 3.0 `fieldOfStudy` is a string)" },
  {
    term: "language",
    on: ["achievement"],
    why: "languages of instruction as concepts when `inLanguage` (one tag) cannot say them: several, or one that is not an EU language authority concept",
  },
  { term: "targetGroup", on: ["achievement"], why: "target groups" },
  {
    term: "creditPoint",
    on: ["achievement"],
    why: "Annex I workload with its framework (ECTS): OB 3.0 credits have no unit",
  },
  { term: "volumeOfLearning", on: ["achievement"], why: "Annex I notional workload in hours" },
  { term: "maximumDuration", on: ["achievement"], why: "maximum duration of the learning opportunity" },
  { term: "mode", on: ["achievement"], why: "Annex I form of participation (online, blended, presential...)" },
  { term: "learningSetting", on: ["achievement"], why: "Annex I form of participation (formal, non-formal)" },
  { term: "entryRequirement", on: ["achievement"], why: "Annex I prerequisites" },
  { term: "learningOutcome", on: ["achievement"], why: "Annex I learning outcomes, each with its ESCO skills" },
  { term: "learningOutcomeSummary", on: ["achievement"], why: "Annex I learning outcomes as one text" },
  { term: "isPartialQualification", on: ["achievement"], why: "Annex I stackability" },
  { term: "hasPart", on: ["achievement", "subject"], why: "Annex I stackability: parts" },
  { term: "isPartOf", on: ["achievement", "subject"], why: "Annex I stackability: wholes" },
  { term: "entitlesTo", on: ["achievement", "subject"], why: "Annex I stackability: entitlements" },
  { term: "accreditation", on: ["achievement", "profile", "evidence"], why: "Annex I type of quality assurance" },
  { term: "gradingScheme", on: ["achievement"], why: "how results are graded" },
  { term: "entitlementStatus", on: ["achievement"], why: "entitlement specifications: actual or prospective" },
  // Claim (the AchievementSubject).
  { term: "awardedBy", on: ["subject"], why: "Annex I awarding body (may differ from the issuer) and awarding date" },
  {
    term: "provenBy",
    on: ["subject"],
    why: "Annex I type of assessment, supervision and identity verification, grade",
  },
  { term: "influencedBy", on: ["subject"], why: "learning activities (Annex I form of participation when on them)" },
  { term: "hasClaim", on: ["subject"], why: "the learner's other claims (OB 3.0 has one achievement per credential)" },
  { term: "creditReceived", on: ["subject"], why: "credits earned with their framework" },
  { term: "grade", on: ["subject"], why: "Annex I grade as ELM writes it (OB 3.0 `result` holds the value)" },
  { term: "gradeStatus", on: ["subject"], why: "grade status" },
  { term: "idVerification", on: ["subject"], why: "Annex I supervision and identity verification" },
  { term: "assessedBy", on: ["subject"], why: "assessors (OB 3.0 `source` holds one Profile)" },
  { term: "directedBy", on: ["subject"], why: "activity directors" },
  { term: "dateIssued", on: ["subject"], why: "date the claim was issued" },
  { term: "expiryDate", on: ["subject"], why: "entitlement expiry" },
  { term: "workload", on: ["subject"], why: "time spent on an activity" },
  { term: "temporal", on: ["subject"], why: "start and end dates as written (OB 3.0 activity dates are date-times)" },
  { term: "levelOfCompletion", on: ["subject"], why: "activity completion" },
  // The learner (the AchievementSubject): Annex I identification of the learner, beyond OB 3.0 identity objects.
  { term: "givenName", on: ["subject"], why: "Annex I learner identification" },
  { term: "familyName", on: ["subject"], why: "Annex I learner identification" },
  { term: "fullName", on: ["subject"], why: "Annex I learner identification" },
  { term: "birthName", on: ["subject"], why: "Annex I learner identification" },
  { term: "patronymicName", on: ["subject"], why: "Annex I learner identification" },
  { term: "dateOfBirth", on: ["subject"], why: "Annex I learner identification" },
  { term: "nationalID", on: ["subject"], why: "national identifier with its country" },
  { term: "citizenshipCountry", on: ["subject"], why: "citizenship" },
  // Organisations (Profile).
  { term: "legalName", on: ["profile"], why: "the legal name in every language (OB 3.0 `name` holds one)" },
  { term: "location", on: ["profile"], why: "every location, with ELM's address (Annex I country of the issuer)" },
  { term: "eIDASIdentifier", on: ["profile"], why: "legal identifiers with their country" },
  { term: "registration", on: ["profile"], why: "legal identifiers with their country" },
  { term: "vatIdentifier", on: ["profile"], why: "legal identifiers with their country" },
  { term: "taxIdentifier", on: ["profile"], why: "legal identifiers with their country" },
  { term: "identifier", on: ["credential", "profile"], why: "other identifiers with their scheme" },
  { term: "contactPoint", on: ["profile"], why: "every email and phone (OB 3.0 email and phone hold one)" },
  {
    term: "groupMemberOf",
    on: ["profile"],
    why: "every group the organisation belongs to (OB 3.0 parentOrg holds one)",
  },
  // Evidence.
  { term: "evidenceStatement", on: ["evidence"], why: "ELM's statement of what the evidence shows" },
  { term: "evidenceTarget", on: ["evidence"], why: "every target of the evidence" },
  { term: "embeddedEvidence", on: ["evidence"], why: "files of the evidence" },
] as const satisfies readonly ExtensionTerm[];

/** An extension term's JSON key. */
export type ExtensionTermName = (typeof EXTENSION_TERMS)[number]["term"];

/** Entry terms OB 3.0 also defines inside Profile or AchievementSubject nodes: left unprotected (see the module). */
export const UNPROTECTED_TERMS: ReadonlySet<string> = new Set([
  "givenName",
  "familyName",
  "patronymicName",
  "dateOfBirth",
  "identifier",
]);

/** Classes an Achievement may carry besides `Achievement`: the ELM class of the specification it stands for. */
export const SPECIFICATION_TYPES = [
  "Qualification",
  "LearningAchievementSpecification",
  "LearningAssessmentSpecification",
  "LearningActivitySpecification",
  "LearningEntitlementSpecification",
] as const;

type ContextEntry = string | ElmTermDefinition | Readonly<Record<string, unknown>>;

const elmTerms = EDC_AP_CONTEXT["@context"];

/** An ELM compact IRI (`elm:EQFLevel`) made absolute with the ELM context's prefixes. */
function absolute(iri: string): string {
  const colon = iri.indexOf(":");
  if (colon < 0) return iri;
  const prefix = elmTerms[iri.slice(0, colon)];
  return typeof prefix === "string" && !iri.startsWith("http") ? prefix + iri.slice(colon + 1) : iri;
}

/** The definition of one entry term: ELM's (absolute IRIs), with the ELM terms scoped to node values. */
function entryDefinition(t: ExtensionTerm, termsRef: string): Record<string, unknown> {
  const elm = elmTerms[t.term];
  const base: ElmTermDefinition | undefined = t.own ?? (typeof elm === "object" ? elm : undefined);
  if (!base) throw new Error(`extension term ${t.term} is not an ELM property`);
  const definition: Record<string, unknown> = { "@id": absolute(base["@id"]) };
  if (base["@type"] !== undefined) definition["@type"] = absolute(base["@type"]);
  if (base["@container"] !== undefined) definition["@container"] = base["@container"];
  if (base["@type"] === "@id") definition["@context"] = termsRef;
  if (UNPROTECTED_TERMS.has(t.term)) definition["@protected"] = false;
  return definition;
}

/** Freezes a JSON value in depth, so no caller can alter a pinned context. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

const entryNames: ReadonlySet<string> = new Set(EXTENSION_TERMS.map((t) => t.term));

type EntryContext = { readonly "@context": Readonly<Record<string, ContextEntry | boolean | number>> };

function entryContext(termsRef: string): EntryContext {
  return deepFreeze({
    "@context": {
      "@version": 1.1,
      "@protected": true,
      ...Object.fromEntries(SPECIFICATION_TYPES.map((cls) => [cls, `${ELM}${cls}`])),
      ...Object.fromEntries(EXTENSION_TERMS.map((t) => [t.term, entryDefinition(t, termsRef)])),
    },
  });
}

/**
 * The extension context document (entry terms), published at the configured context URL. Frozen: jsonld writes each
 * scoped `@context` URL back into its term definition, resolved against the URL it loaded the document from, so the
 * loader hands out a copy (declared with `copy: true`, `contexts.ts`), never this object.
 */
export const OB3_ELM_CONTEXT: EntryContext = entryContext(OB3_ELM_TERMS_CONTEXT_REF);

/** The entry document as {@link LEGACY_OB3_ELM_CONTEXT_URN} named it: the same terms, the terms context by its URN. */
export const LEGACY_OB3_ELM_CONTEXT: EntryContext = entryContext(LEGACY_OB3_ELM_TERMS_CONTEXT_URN);

/** The context scoped to extension values: ELM's terms without the entry terms, published beside {@link OB3_ELM_CONTEXT}. */
export const OB3_ELM_TERMS_CONTEXT: { readonly "@context": Readonly<Record<string, ContextEntry>> } = deepFreeze({
  "@context": Object.fromEntries(Object.entries(elmTerms).filter(([name]) => !entryNames.has(name))),
});

/** The bytes the gateway serves for {@link OB3_ELM_CONTEXT}: its digest is computed over exactly these. */
export const OB3_ELM_CONTEXT_TEXT = JSON.stringify(OB3_ELM_CONTEXT, null, 2);

/** The bytes the gateway serves for {@link OB3_ELM_TERMS_CONTEXT}. */
export const OB3_ELM_TERMS_CONTEXT_TEXT = JSON.stringify(OB3_ELM_TERMS_CONTEXT, null, 2);

/** A Subresource Integrity string (`sha256-` and the base64 SHA-256), the form of VC 2.0's `digestSRI`. */
export function digestSri(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}

/** `digestSRI` of the served entry context (documented in `docs/ob3-elm-extension.md`). */
export const OB3_ELM_CONTEXT_DIGEST_SRI = digestSri(OB3_ELM_CONTEXT_TEXT);

/** `digestSRI` of the served terms context. */
export const OB3_ELM_TERMS_CONTEXT_DIGEST_SRI = digestSri(OB3_ELM_TERMS_CONTEXT_TEXT);
