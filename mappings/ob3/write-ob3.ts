/**
 * The OB 3.0 side of the writer: canonical values as OB 3.0 properties (Profiles, identity objects, alignments,
 * results, images, evidence) and the transforms of the tables that fill the credential, the AchievementSubject, the
 * Achievement, Profiles and Evidence.
 */
import { mainClaimIndex } from "../compliance/context.js";
import { conceptLabel, isEcts, textOf } from "../compliance/values.js";
import type { FORMATS } from "../formats.js";
import {
  type Alignment,
  type CanonicalCredential,
  type Claim,
  type Concept,
  type Credit,
  type Display,
  type Evidence,
  type Identifier,
  type LearningOutcome,
  type Location,
  type Media,
  type Organisation,
  type Person,
  type Provenance,
  parsePoints,
  type Specification,
} from "../model.js";
import {
  CLAIM_TO_ELM,
  CLAIM_TO_OB3,
  type CREDENTIAL_TO_OB3,
  EVIDENCE_TO_OB3,
  ORGANISATION_TO_ELM,
  ORGANISATION_TO_OB3,
  PERSON_TO_OB3,
  SPECIFICATION_TO_ELM,
  SPECIFICATION_TO_OB3,
} from "../tables/elm-to-ob3.js";
import { countryName, eqfConcept, eqfLevelNumber, languageTag, languageUri } from "../vocab/index.js";
import { OB3_IDENTIFIER_TYPES } from "./identifier-types.js";
import {
  isJson,
  isJsonObject,
  isUri,
  type Json,
  type JsonObject,
  jsonText,
  type Ob3Writer,
  uuidUrn,
} from "./write-context.js";
import {
  accreditations,
  CLAIM_ELM_TRANSFORMS,
  concepts,
  countries,
  type ElmContext,
  elmDateTime,
  identifiers,
  langMap,
  legalIdentifier,
  media,
  notes,
  ORGANISATION_ELM_TRANSFORMS,
  otherClaims,
  SPECIFICATION_CLASS,
  SPECIFICATION_ELM_TRANSFORMS,
  typeContainers,
  webResources,
} from "./write-elm.js";
import { applyRules, type RuleContext, type RuleTransforms } from "./write-rules.js";

// ---------------------------------------------------------------------------------------------------------------
// Identity objects and identifier entries

/** OB 3.0 IdentifierTypeEnum (JSON Schema); anything else must be an `ext:` term. */
const IDENTIFIER_TYPES: ReadonlySet<string> = new Set(OB3_IDENTIFIER_TYPES);

/** Identifier kind → OB 3.0 identifier type of an IdentifierEntry (legal identifiers have `ext:` types). */
const KIND_TYPES = {
  eidas: "ext:eIDAS",
  registration: "ext:registration",
  vat: "ext:VAT",
  tax: "ext:taxIdentifier",
  national: "nationalIdentityNumber",
  legal: "ext:legalIdentifier",
  other: "identifier",
} as const satisfies Record<Identifier["kind"], string>;

const isIdentifierType = (t: string): boolean => IDENTIFIER_TYPES.has(t) || /^ext:[A-Za-z0-9._-]+$/.test(t);

/** An `ext:` term naming a scheme (`Certificate number` → `ext:Certificate_number`). */
const extTerm = (scheme: string): string | undefined => {
  const name = scheme
    .replace(/^.*[/#:]/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return name === "" ? undefined : `ext:${name}`;
};

/** The OB 3.0 identifier type of an identifier: the one read from OB 3.0, its kind's, or its scheme as `ext:`. */
function identifierType(id: Identifier): string {
  if (id.identityType !== undefined && isIdentifierType(id.identityType)) return id.identityType;
  if (id.kind !== "other") return KIND_TYPES[id.kind];
  return (id.scheme && extTerm(id.scheme)) ?? "identifier";
}

/** An IdentityObject (the only way OB 3.0 identifies a recipient beside `id`). */
function identity(type: string, value: string, id?: Identifier): JsonObject {
  const node: JsonObject = {
    type: "IdentityObject",
    hashed: id?.hashed === true,
    identityHash: value,
    identityType: type,
  };
  if (id?.salt !== undefined) node.salt = id.salt;
  return node;
}

/** IdentifierEntries (`otherIdentifier` of an Achievement or a Profile); a country or a scheme beyond the type is lost to plain OB 3.0. */
function identifierEntries(ids: Identifier[]): Json {
  return ids.map((id) => ({ type: "IdentifierEntry", identifier: id.value, identifierType: identifierType(id) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Images, addresses, Profiles

/** A data: URI of base64 content. */
const dataUri = (mediaType: string | undefined, base64: string): string =>
  `data:${mediaType ?? "application/octet-stream"};base64,${base64}`;

/** An OB 3.0 Image: its URL, a data: URI of its content, or its URI id. */
function image(m: Media, c: ElmContext): Json | undefined {
  const id = m.url ?? (m.content === undefined ? undefined : dataUri(m.mediaType, m.content)) ?? m.id;
  if (id === undefined || !isUri(id)) return undefined;
  const node: JsonObject = { id, type: "Image" };
  const caption = c.w.text(m.title, `${c.at}/title`);
  if (caption !== undefined) node.caption = caption;
  return node;
}

/** The OB 3.0 Address of the first location with an address (OB 3.0 holds one). */
function address(ls: Location[], c: ElmContext): Json | undefined {
  const k = ls.findIndex((l) => l.address !== undefined);
  const a = ls[k]?.address;
  if (!a) return undefined;
  const node: JsonObject = { type: ["Address"] };
  if (a.country !== undefined) {
    node.addressCountryCode = a.country.toUpperCase();
    const name = countryName(a.country);
    if (name) node.addressCountry = name;
  }
  if (a.region !== undefined) node.addressRegion = a.region;
  if (a.locality !== undefined) node.addressLocality = a.locality;
  if (a.postalCode !== undefined) node.postalCode = a.postalCode;
  // OB 3.0 has no full-address text: the street line is the closest, when the address has no structured parts.
  const street = a.street ?? (a.locality === undefined ? c.w.text(a.full, `${c.at}/${k}/address/full`) : undefined);
  if (street !== undefined) node.streetAddress = street;
  return Object.keys(node).length > 1 ? node : undefined;
}

/** A Profile (issuer, creator, source, parent): OB 3.0's properties and, in the extension, ELM's. */
export function profile(org: Organisation, c: ElmContext, id?: string): JsonObject {
  const node: JsonObject = {};
  if (id !== undefined) {
    node.id = id;
    if (id !== org.id) c.w.derived.mark(node, "id", "options.issuerId: the issuer the gateway signs for");
  }
  applyRules(ORGANISATION_TO_OB3, PROFILE_TRANSFORMS, org, c.at, node, c);
  node.id ??= c.w.idOr(undefined, `profile|${jsonText(org) ?? c.at}`);
  node.type = ["Profile"];
  applyRules(ORGANISATION_TO_ELM, ORGANISATION_ELM_TRANSFORMS, org, c.at, node, c);
  return node;
}

/** The parent organisation (OB 3.0 holds one; every group is in the extension). */
function parentOrg(members: Organisation["memberOf"], c: ElmContext): Json | undefined {
  const first = members[0];
  if (!first) return undefined;
  const node: JsonObject = { id: c.w.idOr(first.id, `group|${jsonText(first)}`), type: ["Profile"] };
  const name = c.w.text(first.name, `${c.at}/0/name`);
  if (name !== undefined) node.name = name;
  const url = first.homepages?.[0];
  if (url !== undefined) node.url = url;
  const email = first.emails?.[0];
  if (email !== undefined) node.email = email;
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// Achievement values

const ESCO_SKILL = /^http:\/\/data\.europa\.eu\/esco\/skill\//;

/** ESCO skills of the learning outcomes as Alignments (`ceasn:Competency`), once each. */
function skillAlignments(los: LearningOutcome[], c: ElmContext): Json | undefined {
  const seen = new Set<string>();
  const list: JsonObject[] = [];
  for (const [k, lo] of los.entries()) {
    for (const [j, skill] of lo.escoSkills.entries()) {
      if (skill.uri === undefined || seen.has(skill.uri)) continue;
      seen.add(skill.uri);
      const name = c.w.text(skill.label, `${c.at}/${k}/escoSkills/${j}/label`) ?? conceptLabel(skill);
      list.push({
        type: ["Alignment"],
        targetName: name,
        targetUrl: skill.uri,
        targetType: "ceasn:Competency",
        targetFramework: ESCO_SKILL.test(skill.uri) ? "ESCO" : "ESCO (other)",
        ...(skill.notation === undefined ? {} : { targetCode: skill.notation }),
      });
    }
  }
  return list.length === 0 ? undefined : list;
}

/** The EQF level (1–8) of a concept named by the EU's EQF level URI, the one an Alignment's targetUrl can hold. */
function alignableEqfLevel(level: Concept): number | undefined {
  const n = eqfLevelNumber(level);
  return n !== undefined && level.uri === eqfConcept(n).uri ? n : undefined;
}

/** The alignments already written on the node (an OB 3.0 source's, or the ESCO skills). */
const writtenAlignments = (node: JsonObject): JsonObject[] =>
  Array.isArray(node.alignment) ? node.alignment.filter(isJsonObject) : [];

/**
 * The EQF level as an Alignment: OB 3.0's own place for it. None when an alignment to the same level is already
 * there (an OB 3.0 source's, which the reader read the level from).
 */
function eqfAlignment(level: Concept, c: RuleContext<Specification>): Json | undefined {
  const n = alignableEqfLevel(level);
  if (n === undefined || level.uri === undefined) return undefined;
  if (writtenAlignments(c.node).some((a) => a.targetUrl === level.uri)) return undefined;
  return {
    type: ["Alignment"],
    targetName: `EQF level ${n}`,
    targetUrl: level.uri,
    targetType: "ext:EQFLevel",
    targetFramework: "European Qualifications Framework",
    targetCode: String(n),
  };
}

/**
 * OB 3.0 Alignments read from OB 3.0 (name and URL are required: one without is a loss). One the node already has,
 * the same in every property (an ESCO skill of the extension's learning outcomes, written before), is not repeated.
 */
function alignments(as: Alignment[], c: ElmContext & { node?: JsonObject }): Json | undefined {
  const written = new Set(c.node === undefined ? [] : writtenAlignments(c.node).map((a) => jsonText(a)));
  const list = as.flatMap((a, k) => {
    if (a.name === undefined || a.url === undefined) {
      c.w.loss(`${c.at}/${k}`, "an alignment needs targetName and targetUrl in OB 3.0");
      return [];
    }
    const node: JsonObject = { type: ["Alignment"], targetName: a.name, targetUrl: a.url };
    if (a.type !== undefined) node.targetType = a.type;
    if (a.framework !== undefined) node.targetFramework = a.framework;
    if (a.code !== undefined) node.targetCode = a.code;
    if (a.description !== undefined) node.targetDescription = a.description;
    return written.has(jsonText(node)) ? [] : [node];
  });
  return list.length === 0 ? undefined : list;
}

/** The ECTS points of credits (OB 3.0 credits have no unit: points in another system are the extension's). */
function ectsPoints(crs: Credit[], c: ElmContext): Json | undefined {
  const k = crs.findIndex(isEcts);
  const ects = crs[k];
  if (!ects) {
    if (crs.every((cr) => cr.framework === undefined)) {
      // Credits read from OB 3.0 (no framework): written back as they came.
      const points = crs[0] === undefined ? undefined : parsePoints(crs[0].points);
      return points;
    }
    return undefined;
  }
  const points = parsePoints(ects.points);
  if (points === undefined)
    c.w.warn(`${c.at}/${k}/points`, `ECTS points "${ects.points}" are not a number: not written`);
  return points;
}

/** fieldOfStudy: the label of the first ISCED-F field. */
function fieldLabel(fields: Concept[], c: ElmContext): Json | undefined {
  const first = fields[0];
  if (!first) return undefined;
  if (fields.length > 1) c.w.warn(c.at, `fieldOfStudy holds one field: ${conceptLabel(first)} of ${fields.length}`);
  return c.w.text(first.label, `${c.at}/0/label`) ?? conceptLabel(first);
}

/** inLanguage: the BCP 47 tag of the first language. */
function inLanguage(languages: Concept[]): Json | undefined {
  for (const l of languages) {
    const tag = languageTag(l.uri ?? l.notation ?? "");
    if (tag !== undefined && /^[a-z]{2,4}$/.test(tag)) return tag;
  }
  return undefined;
}

/** Criteria read from OB 3.0: its URL and narrative. */
function criteria(cr: NonNullable<Specification["criteria"]>, c: ElmContext): Json | undefined {
  const node: JsonObject = {};
  if (cr.url !== undefined) node.id = cr.url;
  const narrative = c.w.text(cr.narrative, `${c.at}/narrative`);
  if (narrative !== undefined) node.narrative = narrative;
  return Object.keys(node).length > 0 ? node : undefined;
}

/** Endorsements as read from OB 3.0: objects to `endorsement`, compact JWS to `endorsementJwt`. */
function endorsements(list: unknown[]): Json | undefined {
  const objects = list.filter((e): e is JsonObject => typeof e === "object" && e !== null && !Array.isArray(e));
  const jwts = list.filter((e): e is string => typeof e === "string");
  const out: JsonObject = {};
  if (objects.length > 0) out.endorsement = objects;
  if (jwts.length > 0) out.endorsementJwt = jwts;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The Achievement (the main claim's specification): OB 3.0's properties and, in the extension, ELM's. */
export function achievement(spec: Specification, c: ElmContext): JsonObject {
  const node: JsonObject = {};
  applyRules(SPECIFICATION_TO_OB3, ACHIEVEMENT_TRANSFORMS, spec, c.at, node, c);
  node.id ??= c.w.idOr(undefined, `achievement|${jsonText(spec) ?? c.at}`);
  node.type ??= ["Achievement"];
  applyRules(SPECIFICATION_TO_ELM, SPECIFICATION_ELM_TRANSFORMS, withoutOb3Carried(spec), c.at, node, c);
  return node;
}

/**
 * The specification as the extension on the Achievement sees it: without what OB 3.0's own properties, written
 * before, carry and the OB 3.0 reader takes back (SPECIFICATION_TO_ELM says so in its reasons). The EQF level goes
 * to an Alignment when it is one of the EU's EQF level URIs; one language of the EU language authority is
 * `inLanguage`. Nothing is a loss with the extension off either: plain OB 3.0 holds them.
 */
function withoutOb3Carried(spec: Specification): Specification {
  const { eqfLevel, ...rest } = spec;
  const view: Specification = eqfLevel !== undefined && alignableEqfLevel(eqfLevel) === undefined ? spec : rest;
  const [only, ...more] = spec.languages;
  const tagged = only !== undefined && more.length === 0 && languageCarried(only);
  return tagged ? { ...view, languages: [] } : view;
}

/** Whether `inLanguage` names the language: the EU language authority concept of its tag. */
function languageCarried(language: Concept): boolean {
  const tag = inLanguage([language]);
  return typeof tag === "string" && language.uri !== undefined && language.uri === languageUri(tag);
}

// ---------------------------------------------------------------------------------------------------------------
// Results

/** The id of the ResultDescription of a graded assessment of the main claim (the Result links to it). */
export function resultDescriptionId(w: Ob3Writer, assessment: Claim, at: string): string {
  const scheme = assessment.specification?.gradingScheme?.id;
  return scheme !== undefined && isUri(scheme) ? scheme : w.idOr(undefined, `result-description|${at}`);
}

/** A grade's text: its value, else its note's. */
const gradeText = (g: NonNullable<Claim["grade"]>, c: ElmContext): string | undefined =>
  g.value !== undefined && g.value.trim() !== "" ? g.value : c.w.text(g.note, `${c.at}/note`);

/** Results of the main claim's graded assessments (each linked to its ResultDescription). */
function assessmentResults(assessments: Claim[], c: ElmContext): Json | undefined {
  const list = assessments.flatMap((a, k) => {
    const at = `${c.at}/${k}`;
    const value = a.grade ? gradeText(a.grade, { ...c, at: `${at}/grade` }) : undefined;
    if (value === undefined) return [];
    const result = { type: ["Result"], resultDescription: resultDescriptionId(c.w, a, at), value };
    const scheme = a.specification?.gradingScheme?.id;
    if (scheme === undefined || !isUri(scheme)) {
      c.w.derived.mark(result, "resultDescription", "the id of the ResultDescription the gateway made for this grade");
    }
    return [result];
  });
  return list.length === 0 ? undefined : list;
}

/** OB 3.0 results read from OB 3.0. */
function results(rs: Claim["results"], c: ElmContext): Json {
  return rs.map((r) => {
    const node: JsonObject = { type: ["Result"] };
    if (r.resultDescription !== undefined) node.resultDescription = r.resultDescription;
    if (r.achievedLevel !== undefined) node.achievedLevel = r.achievedLevel;
    if (r.value !== undefined) node.value = r.value;
    if (r.status !== undefined) node.status = r.status;
    const aligned = r.alignments ? alignments(r.alignments, c) : undefined;
    if (aligned !== undefined) node.alignment = aligned;
    return node;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Evidence and provenance

/** OB 3.0 Evidence of the credential. */
function evidence(list: Evidence[], c: ElmContext): Json {
  return list.map((e, k) => {
    const at = `${c.at}/${k}`;
    const node: JsonObject = {};
    applyRules(EVIDENCE_TO_OB3, EVIDENCE_TRANSFORMS, e, at, node, c);
    const target = e.urls[0];
    if (node.id === undefined && target !== undefined && isUri(target)) node.id = target;
    return { ...(node.id === undefined ? {} : { id: node.id }), type: ["Evidence"], ...node };
  });
}

const FORMAT_NAMES: Record<(typeof FORMATS)[number], string> = {
  elm: "European Learning Model (EDC)",
  ob3: "Open Badges 3.0",
  ob2: "Open Badges 2.0",
  elmo: "EMREX ELMO",
  "europass-xml": "Europass XML",
  csv: "CSV",
  xlsx: "spreadsheet",
};

const MEDIA_TYPES: Partial<Record<(typeof FORMATS)[number], string>> = {
  elm: "application/ld+json",
  ob2: "application/ld+json",
  elmo: "application/xml",
  "europass-xml": "application/xml",
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The source document as a data: URI (JSON as JSON text, bytes as they are, text as UTF-8). */
function originalDataUri(p: Provenance): string | undefined {
  const { original } = p;
  if (original instanceof Uint8Array) return dataUri(MEDIA_TYPES[p.format], Buffer.from(original).toString("base64"));
  if (typeof original === "string") {
    return dataUri(`${MEDIA_TYPES[p.format] ?? "text/plain"};charset=utf-8`, Buffer.from(original).toString("base64"));
  }
  const json = jsonText(original);
  return json === undefined
    ? undefined
    : dataUri(MEDIA_TYPES[p.format] ?? "application/json", Buffer.from(json).toString("base64"));
}

/**
 * The original document as Evidence of a converted credential (with its seal inside it, for a sealed ELM); without
 * it (option off, or no original), the source's seal is a loss.
 */
function originalEvidence(p: Provenance, c: ElmContext): Json | undefined {
  const proofAt = p.paths["/provenance/proof"] ?? (p.variant === "jades" ? "/signatures" : `${p.root}/proof`);
  const embed = c.w.options.embedOriginal !== false && p.format !== "ob3" && p.original !== undefined;
  const uri = embed ? originalDataUri(p) : undefined;
  if (uri === undefined) {
    if (p.proof !== undefined && p.format !== "ob3") {
      c.w.losses.push({
        path: proofAt,
        reason: "the source's seal or proof cannot carry over: the OB 3.0 credential is signed anew by the gateway",
      });
    }
    return undefined;
  }
  const name = FORMAT_NAMES[p.format];
  const evidence: Json = {
    id: uri,
    type: ["Evidence"],
    name: `Original ${name} credential`,
    description: `The ${name} credential${p.sourceId ? ` ${p.sourceId}` : ""} this Open Badge was converted from by the EDC interoperability gateway${p.proof === undefined ? "" : ", with its seal"}.`,
    genre: "Original credential",
  };
  // The id is the source document itself; the name, description and genre are the gateway's words for it.
  c.w.derived.mark(
    evidence,
    undefined,
    "the gateway's copy of the source document (id: the document as a data: URI), named and described by the gateway",
  );
  return evidence;
}

/** The credential's image: the first rendered page of ELM's display (further pages and the languages are losses). */
function displayImage(d: Display, c: ElmContext): Json | undefined {
  const [first, ...rest] = d.pages;
  for (const [k] of rest.entries()) {
    c.w.loss(`${c.at}/pages/${k + 1}`, "OB 3.0 shows one credential image: further rendered pages have no place");
  }
  if (d.primaryLanguage !== undefined) {
    c.w.loss(`${c.at}/primaryLanguage`, "OB 3.0 credentials state no display language");
  }
  if (d.languages.length > 0) c.w.loss(`${c.at}/languages`, "OB 3.0 credentials state no display languages");
  return first ? image(first, { ...c, at: `${c.at}/pages/0` }) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The learner and the main claim

/** The AchievementSubject's learner part (identification). */
function learner(p: Person, c: ElmContext): Json {
  const node: JsonObject = {};
  applyRules(PERSON_TO_OB3, PERSON_TRANSFORMS, p, c.at, node, c);
  return node;
}

/** The main claim as the AchievementSubject's claim part (its achievement, results, ELM claim properties). */
function mainClaim(all: Claim[], c: ElmContext): Json | undefined {
  const k = mainClaimIndex(c.w.credential);
  const cl = all[k];
  if (!cl) return undefined;
  const at = `${c.at}/${k}`;
  const node: JsonObject = {};
  applyRules(CLAIM_TO_OB3, SUBJECT_TRANSFORMS, cl, at, node, c);
  applyRules(CLAIM_TO_ELM, CLAIM_ELM_TRANSFORMS, cl, at, node, c);
  typeContainers(node);
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// The tables' transforms

const text = <R>(map: Parameters<Ob3Writer["text"]>[0], c: RuleContext<R>): Json | undefined => c.w.text(map, c.at);
const dateTimeZ = <R>(v: string, c: RuleContext<R>): Json | undefined => c.w.dateTimeZ(v, c.at);

export const CREDENTIAL_TRANSFORMS: RuleTransforms<typeof CREDENTIAL_TO_OB3, CanonicalCredential> = {
  credentialId: (id, c) => {
    if (c.root.provenance.format === "ob3") return c.w.idOr(id, `credential|${id}`);
    const fresh = uuidUrn(`converted|${c.root.provenance.format}|${id}`);
    c.w.derived.generatedId(
      fresh,
      "a converted credential is a new credential: an id the gateway derived from the source's",
    );
    return fresh;
  },
  credentialType: () => ["VerifiableCredential", "OpenBadgeCredential"],
  text,
  langMap,
  displayTitle: (d, c) => c.w.text(d.title, `${c.at}/title`),
  displayTitles: (d) => (d.title ? langMap(d.title) : undefined),
  displayDescription: (d, c) => c.w.text(d.description, `${c.at}/description`),
  displayDescriptions: (d) => (d.description ? langMap(d.description) : undefined),
  identifiers,
  issuer: (org, c) => profile(org, c, c.w.options.issuerId),
  learner,
  mainClaim,
  otherClaims,
  dateTimeZ,
  elmDateTime,
  evidence,
  media,
  displayImage,
  notes,
  endorsements,
  originalEvidence,
};

const PERSON_TRANSFORMS: RuleTransforms<typeof PERSON_TO_OB3, Person> = {
  subjectId: (id) => (isUri(id) ? id : undefined),
  idIdentity: (id) => (isUri(id) ? undefined : [identity("identifier", id)]),
  nameIdentity: (name, c) => {
    const t = c.w.text(name, c.at);
    return t === undefined ? undefined : [identity("name", t)];
  },
  partsIdentity: (given, c) => {
    if (textOf(c.root.fullName) !== undefined) return undefined;
    const parts = [c.w.text(given, c.at), c.w.text(c.root.familyName, `${c.base}/familyName`)].filter(
      (s): s is string => s !== undefined,
    );
    if (parts.length === 0) return undefined;
    const node = identity("name", parts.join(" "));
    c.w.derived.mark(
      node,
      "identityHash",
      "the learner's given and family names joined: the source gives no full name",
    );
    return [node];
  },
  langMap,
  elmDateTime,
  nationalIdentity: (id) => [identity("nationalIdentityNumber", id.value, id)],
  legalIdentifier,
  identities: (ids) => ids.map((id) => identity(identifierType(id), id.value, id)),
  emailIdentities: (emails) => emails.map((e) => identity("emailAddress", e)),
  countries,
};

const SUBJECT_TRANSFORMS: RuleTransforms<typeof CLAIM_TO_OB3, Claim> = {
  subjectType: () => ["AchievementSubject"],
  achievement,
  gradeResult: (g, c) => {
    const value = gradeText(g, c);
    return value === undefined ? undefined : [{ type: ["Result"], value }];
  },
  assessmentResults,
  results,
  ectsPoints,
  firstProfile: (orgs, c) => (orgs[0] ? profile(orgs[0], { ...c, at: `${c.at}/0` }) : undefined),
  dateTimeZ,
  text,
};

const ACHIEVEMENT_TRANSFORMS: RuleTransforms<typeof SPECIFICATION_TO_OB3, Specification> = {
  achievementId: (id, c) => c.w.idOr(id, `achievement|${jsonText(c.root) ?? c.at}`),
  achievementTypes: (kind) => ["Achievement", SPECIFICATION_CLASS[kind]],
  text,
  identifierEntries,
  skillAlignments,
  criteria,
  ectsPoints,
  fieldLabel,
  languageTag: inLanguage,
  image,
  alignments,
  eqfAlignment,
  profile: (org, c) => profile(org, c),
  related: (rs) =>
    rs.map((r) => ({
      id: r.id,
      type: ["Related"],
      ...(r.version ? { version: r.version } : {}),
      ...(r.inLanguage ? { inLanguage: r.inLanguage } : {}),
    })),
  endorsements,
  resultDescriptions: (rds) => rds.filter((r): r is JsonObject => isJson(r) && isJsonObject(r)),
};

const PROFILE_TRANSFORMS: RuleTransforms<typeof ORGANISATION_TO_OB3, Organisation> = {
  profileId: (id, c) => c.w.idOr(id, `profile|${jsonText(c.root) ?? c.at}`),
  text,
  first: (list) => list[0],
  address,
  image,
  identifierEntries,
  parentOrg,
  endorsements,
};

const EVIDENCE_TRANSFORMS: RuleTransforms<typeof EVIDENCE_TO_OB3, Evidence> = {
  uri: (id) => (isUri(id) ? id : undefined),
  text,
  langMap,
  concepts,
  media,
  webResources,
  accreditations,
};
