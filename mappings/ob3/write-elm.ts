/**
 * The ELM side of the OB 3.0 writer: canonical values as ELM JSON, exactly as an EDC writes them (concepts, notes,
 * credit points, learning outcomes, organisations, accreditations, claims, specifications…), for the project's
 * extension (`extension-context.ts`). The `…_TO_ELM` tables put these values on OB 3.0 nodes; nested claims and
 * specifications become whole ELM nodes built from the same tables.
 */
import { mainClaimIndex } from "../compliance/context.js";
import { CLAIM_KINDS, QF_EHEA_SCHEME, SPECIFICATION_KINDS } from "../elm/tables.js";
import type {
  Accreditation,
  Address,
  Claim,
  ClaimKind,
  Concept,
  Credit,
  GradingScheme,
  Identifier,
  IdentifierKind,
  LangMap,
  LearningOutcome,
  Location,
  Media,
  Organisation,
  Specification,
  SpecificationKind,
} from "../model.js";
import {
  CLAIM_NODE,
  CLAIM_TO_ELM,
  CLAIM_TO_OB3,
  ORGANISATION_NODE,
  ORGANISATION_TO_ELM,
  ORGANISATION_TO_OB3,
  SPECIFICATION_NODE,
  SPECIFICATION_TO_ELM,
  SPECIFICATION_TO_OB3,
} from "../tables/elm-to-ob3.js";
import { countryName, countryUri, ENCODING_BASE64, fileTypeUri, SCHEMES } from "../vocab/index.js";
import { type Json, type JsonObject, langMapOf, type Ob3Writer } from "./write-context.js";
import { applyRules, type RuleTransforms, reportUncovered } from "./write-rules.js";

/** What an ELM builder needs: the write, the canonical pointer of the value, and the output's root. */
export interface ElmContext {
  w: Ob3Writer;
  at: string;
  doc: JsonObject;
}

const invert = <K extends string, V extends string>(table: Record<K, V>): Record<V, K> =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k])) as Record<V, K>;

/** Claim kind → ELM claim class (the inverse of the ELM reader's table). */
const CLAIM_CLASS = invert(CLAIM_KINDS) satisfies Record<ClaimKind, string>;

/** Specification kind → ELM specification class (the inverse of the ELM reader's table). */
export const SPECIFICATION_CLASS = invert(SPECIFICATION_KINDS) satisfies Record<SpecificationKind, string>;

/** Organisation identifier kind → the ELM property holding it (the ELM reader reads them back by these keys). */
const IDENTIFIER_PROPERTY = {
  eidas: "eIDASIdentifier",
  registration: "registration",
  vat: "vatIdentifier",
  tax: "taxIdentifier",
  national: "identifier",
  legal: "identifier",
  other: "identifier",
} as const satisfies Record<IdentifierKind, string>;

/** Identifier kinds ELM writes as LegalIdentifier (with the issuing country). */
const LEGAL_KINDS: ReadonlySet<IdentifierKind> = new Set(["eidas", "registration", "vat", "tax", "national", "legal"]);

// ---------------------------------------------------------------------------------------------------------------
// Values

/** A language map (blank texts dropped). */
export const langMap = (map: LangMap): Json | undefined => langMapOf(map);

/** Several language maps (`altLabel`) as one, a list of texts per language. */
export function langMaps(maps: LangMap[]): Json | undefined {
  const merged: Record<string, string[]> = {};
  for (const map of maps) {
    for (const [lang, text] of Object.entries(langMapOf(map) ?? {})) merged[lang] = [...(merged[lang] ?? []), text];
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/** ELM writes `xsd:dateTime`: a plain date becomes midnight UTC, anything else is kept as written. */
export const elmDateTime = (value: string): Json => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);

/** A concept as the EC writes it: `{id, type: "Concept", prefLabel, notation, inScheme}`. */
export function concept(c: Concept): JsonObject {
  const node: JsonObject = {};
  if (c.uri !== undefined) node.id = c.uri;
  node.type = "Concept";
  const label = langMapOf(c.label);
  if (label) node.prefLabel = label;
  if (c.notation !== undefined) node.notation = c.notation;
  if (c.scheme !== undefined) node.inScheme = { id: c.scheme, type: "ConceptScheme" };
  return node;
}

export const concepts = (cs: Concept[]): Json => cs.map(concept);

/** A `Note` with its text in every language. */
export function note(map: LangMap): Json | undefined {
  const text = langMapOf(map);
  return text ? { type: "Note", noteLiteral: text } : undefined;
}

export const notes = (maps: LangMap[]): Json | undefined => {
  const list = maps.flatMap((m) => note(m) ?? []);
  return list.length === 0 ? undefined : list;
};

/** A `WebResource` (a homepage, a supplementary document). */
export const webResource = (url: string): JsonObject => ({ type: "WebResource", contentURL: url });

/**
 * WebResources of URLs. `#id` is a reference inside the source (an ELMO attachment's local id), not a URL: it is a
 * loss (the attachment itself is written as evidence).
 */
export function webResources(urls: string[], c: ElmContext): Json | undefined {
  const out: Json[] = [];
  for (const [i, url] of urls.entries()) {
    if (url.startsWith("#")) {
      c.w.loss(
        `${c.at}/${i}`,
        "a reference to an attachment of the source, not a URL: the attachment is written as evidence, and nothing links it from here",
      );
    } else out.push(webResource(url));
  }
  return out.length === 0 ? undefined : out;
}

/** A country as the EU country authority concept (`…/country/IRL`). */
export function country(alpha2: string): JsonObject | undefined {
  const uri = countryUri(alpha2);
  if (!uri) return undefined;
  const name = countryName(alpha2);
  return {
    id: uri,
    type: "Concept",
    inScheme: { id: SCHEMES.country, type: "ConceptScheme" },
    ...(name ? { prefLabel: { en: name } } : {}),
  };
}

export function countries(codes: string[], c: ElmContext): Json | undefined {
  const list = codes.flatMap((code, k) => {
    const node = country(code);
    if (!node) c.w.loss(`${c.at}/${k}`, `"${code}" is not an ISO 3166-1 country: no EU country concept`);
    return node ?? [];
  });
  return list.length === 0 ? undefined : list;
}

/** A `MediaObject`: base64 content with its EU file type, or a URL. */
export function mediaObject(m: Media, c: ElmContext): Json | undefined {
  const node: JsonObject = {};
  if (m.id !== undefined) node.id = m.id;
  node.type = "MediaObject";
  if (m.content !== undefined) {
    node.content = m.content;
    node.contentEncoding = concept(ENCODING_BASE64);
  }
  if (m.mediaType !== undefined) {
    const type = fileTypeUri(m.mediaType);
    if (type)
      node.contentType = { id: type, type: "Concept", inScheme: { id: SCHEMES.fileType, type: "ConceptScheme" } };
    else c.w.loss(`${c.at}/mediaType`, `${m.mediaType} has no EU file-type concept`);
  }
  if (m.url !== undefined) node.contentURL = m.url;
  const title = langMapOf(m.title);
  if (title) node.title = title;
  return node;
}

export const media = (ms: Media[], c: ElmContext): Json =>
  ms.flatMap((m, k) => mediaObject(m, { ...c, at: `${c.at}/${k}` }) ?? []);

/** An `Identifier`, or a `LegalIdentifier` (which ELM gives an issuing country) for a legal kind with a country. */
export function identifier(id: Identifier, c: ElmContext): JsonObject {
  const spatial = id.country === undefined ? undefined : country(id.country);
  const legal = LEGAL_KINDS.has(id.kind) && spatial !== undefined;
  const node: JsonObject = { type: legal ? "LegalIdentifier" : "Identifier", notation: id.value };
  if (id.scheme !== undefined) node[/^[a-z][a-z0-9+.-]*:/i.test(id.scheme) ? "schemeId" : "schemeName"] = id.scheme;
  if (spatial) node.spatial = spatial;
  else if (id.country !== undefined) c.w.loss(`${c.at}/country`, `"${id.country}" is not an ISO 3166-1 country`);
  for (const part of ["identityType", "hashed", "salt"] as const) {
    if (id[part] !== undefined)
      c.w.loss(`${c.at}/${part}`, "an OB 3.0 identity detail ELM identifiers have no place for");
  }
  return node;
}

export const identifiers = (ids: Identifier[], c: ElmContext): Json =>
  ids.map((id, k) => identifier(id, { ...c, at: `${c.at}/${k}` }));

/** A legal identifier (a learner's national id) with its country. */
export const legalIdentifier = (id: Identifier, c: ElmContext): Json => identifier(id, c);

/** An organisation's identifiers under ELM's properties by kind (eIDASIdentifier, registration, vatIdentifier…). */
export function organisationIdentifiers(ids: Identifier[], c: ElmContext): Json {
  const byProperty: Record<string, Json[]> = {};
  for (const [k, id] of ids.entries()) {
    const property = IDENTIFIER_PROPERTY[id.kind];
    byProperty[property] = [...(byProperty[property] ?? []), identifier(id, { ...c, at: `${c.at}/${k}` })];
  }
  return byProperty;
}

/** An `Address`: ELM holds a country and one full-address text (the structured parts joined when there is none). */
function address(a: Address, c: ElmContext, structuredElsewhere: boolean): JsonObject | undefined {
  const node: JsonObject = { type: "Address" };
  const parts = [a.street, [a.postalCode, a.locality].filter(Boolean).join(" "), a.region].filter(
    (p): p is string => p !== undefined && p.trim() !== "",
  );
  const full = langMapOf(a.full) ?? (parts.length > 0 ? { und: parts.join(", ") } : undefined);
  if (full) node.fullAddress = { type: "Note", noteLiteral: full };
  if (langMapOf(a.full) && parts.length > 0 && !structuredElsewhere) {
    for (const part of ["street", "postalCode", "locality", "region"] as const) {
      if (a[part])
        c.w.loss(`${c.at}/${part}`, "ELM addresses hold one full-address text: the structured part has no place");
    }
  }
  if (a.country !== undefined) {
    const code = country(a.country);
    if (code) node.countryCode = code;
    else c.w.loss(`${c.at}/country`, `"${a.country}" is not an ISO 3166-1 country`);
  }
  return Object.keys(node).length > 1 ? node : undefined;
}

/** A `Location`: address, area (spatialCode), name (geographicName). */
export function location(l: Location, c: ElmContext, structuredElsewhere = false): Json | undefined {
  const node: JsonObject = {};
  if (l.id !== undefined) node.id = l.id;
  node.type = "Location";
  const name = langMapOf(l.name);
  if (name) node.geographicName = name;
  const a = l.address ? address(l.address, { ...c, at: `${c.at}/address` }, structuredElsewhere) : undefined;
  if (a) node.address = a;
  if (l.area) node.spatialCode = concept(l.area);
  return node;
}

/** Every location; the first one's structured address is also the OB 3.0 Profile's address. */
export const locations = (ls: Location[], c: ElmContext): Json =>
  ls.flatMap((l, k) => location(l, { ...c, at: `${c.at}/${k}` }, k === 0) ?? []);

/** A `CreditPoint`: framework concept and points (a string, as ELM writes it). */
export function credit(cr: Credit): JsonObject {
  return { type: "CreditPoint", ...(cr.framework ? { framework: concept(cr.framework) } : {}), point: cr.points };
}

export const credits = (crs: Credit[]): Json => crs.map(credit);

/** A `LearningOutcome`: title, description, ESCO and other skills, reusability level, skill type. */
export function learningOutcome(lo: LearningOutcome): JsonObject {
  const node: JsonObject = {};
  if (lo.id !== undefined) node.id = lo.id;
  node.type = "LearningOutcome";
  const title = langMapOf(lo.title);
  if (title) node.title = title;
  // ELM learning outcomes have no description: ELM holds it as an additional note (as the gateway's ELM writer does).
  const description = note(lo.description ?? {});
  if (description) node.additionalNote = [description];
  if (lo.escoSkills.length > 0) node.relatedESCOSkill = lo.escoSkills.map(concept);
  if (lo.relatedSkills.length > 0) node.relatedSkill = lo.relatedSkills.map(concept);
  if (lo.reusabilityLevel) node.reusabilityLevel = concept(lo.reusabilityLevel);
  if (lo.skillType) node.dcType = concept(lo.skillType);
  return node;
}

export const learningOutcomes = (los: LearningOutcome[]): Json => los.map(learningOutcome);

/** A `GradingScheme`: title and description. */
export function gradingScheme(g: GradingScheme): Json {
  const node: JsonObject = {};
  if (g.id !== undefined) node.id = g.id;
  node.type = "GradingScheme";
  const title = langMapOf(g.title);
  if (title) node.title = title;
  const description = langMapOf(g.description);
  if (description) node.description = description;
  return node;
}

/** A grade as ELM writes it: a Note (its text in no stated language when only a value is known). */
export function grade(g: NonNullable<Claim["grade"]>): Json | undefined {
  return note(langMapOf(g.note) ?? (g.value === undefined ? {} : { und: g.value }));
}

/** Organisation groups (`groupMemberOf`): name, contact emails, homepages (kept in the EDC form, as the ELM writer does). */
export function groups(members: Organisation["memberOf"]): Json {
  return members.map((m) => {
    const node: JsonObject = {};
    if (m.id !== undefined) node.id = m.id;
    node.type = "Group";
    node.prefLabel = langMapOf(m.name) ?? {};
    if (m.emails !== undefined && m.emails.length > 0) node.contactPoint = [emailContact(m.emails)];
    if (m.homepages !== undefined && m.homepages.length > 0) node.homepage = m.homepages.map(webResource);
    return node;
  });
}

/** The QF-EHEA cycle as an education level in the gateway's QF-EHEA scheme (unless already an education level). */
export function qfEheaLevel(level: Concept, c: ElmContext & { root: Specification }): Json | undefined {
  if (level.uri !== undefined && c.root.educationLevels.some((l) => l.uri === level.uri)) return undefined;
  return [concept({ ...level, scheme: QF_EHEA_SCHEME })];
}

/** A contact point with every email address (as `mailto:` mailboxes). */
export const emailContact = (emails: string[]): JsonObject => ({
  type: "ContactPoint",
  emailAddress: emails.map((e) => ({ id: `mailto:${e}`, type: "Mailbox" })),
});

/** A contact point with every phone number. */
export const phoneContact = (phones: string[]): Json => ({
  type: "ContactPoint",
  phone: phones.map((p) => ({ type: "Phone", phoneNumber: p })),
});

// ---------------------------------------------------------------------------------------------------------------
// Nodes built from the tables

const ELM_ONLY =
  "an OB 3.0 field of a nested ELM node: only the main claim is OB 3.0's AchievementSubject and Achievement";

/**
 * An ELM `Organisation`, in full wherever it appears, as EDC writes it: a reader of one node needs no other node, and
 * JSON-LD merges the identical copies by id.
 */
export function organisation(org: Organisation, c: ElmContext): Json {
  const node: JsonObject = {};
  applyRules(ORGANISATION_NODE, ORGANISATION_NODE_TRANSFORMS, org, c.at, node, { ...c, key: "elm" });
  node.type = "Organisation";
  applyRules(ORGANISATION_TO_ELM, ORGANISATION_ELM_TRANSFORMS, org, c.at, node, { ...c, key: "elm" });
  reportUncovered(c.w, org, c.at, [ORGANISATION_NODE, ORGANISATION_TO_ELM], [ORGANISATION_TO_OB3], ELM_ONLY);
  return node;
}

export const organisations = (orgs: Organisation[], c: ElmContext): Json =>
  orgs.map((o, k) => organisation(o, { ...c, at: `${c.at}/${k}` }));

/** An `Accreditation` (quality assurance or licence), every field of it. */
export function accreditation(a: Accreditation, c: ElmContext): JsonObject {
  const at = (k: string): ElmContext => ({ ...c, at: `${c.at}/${k}` });
  const node: JsonObject = {};
  if (a.id !== undefined) node.id = a.id;
  node.type = "Accreditation";
  if (a.types.length > 0) node.dcType = a.types.map(concept);
  const title = langMapOf(a.title);
  if (title) node.title = title;
  const description = langMapOf(a.description);
  if (description) node.description = description;
  if (a.decision) node.decision = concept(a.decision);
  if (a.report !== undefined) node.report = webResource(a.report);
  if (a.reviewDate !== undefined) node.reviewDate = elmDateTime(a.reviewDate);
  if (a.issued !== undefined) node.dateIssued = elmDateTime(a.issued);
  if (a.expiry !== undefined) node.expiryDate = elmDateTime(a.expiry);
  if (a.accreditingAgent) node.accreditingAgent = organisation(a.accreditingAgent, at("accreditingAgent"));
  if (a.organisation) node.organisation = organisation(a.organisation, at("organisation"));
  if (a.homepages.length > 0) node.homepage = a.homepages.map(webResource);
  if (a.limitQualification !== undefined) node.limitQualification = a.limitQualification;
  if (a.limitFields.length > 0) node.limitField = a.limitFields.map(concept);
  if (a.limitEqfLevels.length > 0) node.limitEQFLevel = a.limitEqfLevels.map(concept);
  if (a.limitCredentialTypes.length > 0) node.limitCredentialType = a.limitCredentialTypes.map(concept);
  if (a.limitJurisdictions.length > 0) node.limitJurisdiction = a.limitJurisdictions.map(concept);
  if (a.landingPage !== undefined) node.landingPage = webResource(a.landingPage);
  return node;
}

export const accreditations = (as: Accreditation[], c: ElmContext): Json =>
  as.map((a, k) => accreditation(a, { ...c, at: `${c.at}/${k}` }));

/** Types the containers ELM gives a class (`awardedBy` is an AwardingProcess, `temporal` a PeriodOfTime). */
export function typeContainers(node: JsonObject): void {
  const containers = { awardedBy: "AwardingProcess", temporal: "PeriodOfTime" } as const;
  for (const [key, cls] of Object.entries(containers)) {
    const value = node[key];
    if (typeof value === "object" && value !== null && !Array.isArray(value) && value.type === undefined) {
      node[key] = { type: cls, ...value };
    }
  }
}

/** An ELM claim node (LearningAssessment, LearningActivity…), with its specification, from the claim tables. */
export function claim(cl: Claim, c: ElmContext): JsonObject {
  const node: JsonObject = {};
  applyRules(CLAIM_NODE, CLAIM_NODE_TRANSFORMS, cl, c.at, node, { ...c, key: "elm" });
  node.type ??= CLAIM_CLASS[cl.kind];
  applyRules(CLAIM_TO_ELM, CLAIM_ELM_TRANSFORMS, cl, c.at, node, { ...c, key: "elm" });
  typeContainers(node);
  reportUncovered(c.w, cl, c.at, [CLAIM_NODE, CLAIM_TO_ELM], [CLAIM_TO_OB3], ELM_ONLY);
  return node;
}

export const claims = (cls: Claim[], c: ElmContext): Json =>
  cls.map((cl, k) => claim(cl, { ...c, at: `${c.at}/${k}` }));

/** The credential's claims other than the main one (OB 3.0 asserts one achievement), as ELM claims. */
export function otherClaims(all: Claim[], c: ElmContext): Json | undefined {
  const main = mainClaimIndex(c.w.credential);
  const list = all.flatMap((cl, k) => (k === main ? [] : [claim(cl, { ...c, at: `${c.at}/${k}` })]));
  return list.length === 0 ? undefined : list;
}

/** An ELM specification node (Qualification, LearningAssessmentSpecification…) from the specification tables. */
export function specification(s: Specification, c: ElmContext): JsonObject {
  const node: JsonObject = {};
  applyRules(SPECIFICATION_NODE, SPECIFICATION_NODE_TRANSFORMS, s, c.at, node, { ...c, key: "elm" });
  node.type ??= SPECIFICATION_CLASS[s.kind];
  applyRules(SPECIFICATION_TO_ELM, SPECIFICATION_ELM_TRANSFORMS, s, c.at, node, { ...c, key: "elm" });
  reportUncovered(c.w, s, c.at, [SPECIFICATION_NODE, SPECIFICATION_TO_ELM], [SPECIFICATION_TO_OB3], ELM_ONLY);
  return node;
}

export const specifications = (ss: Specification[], c: ElmContext): Json =>
  ss.map((s, k) => specification(s, { ...c, at: `${c.at}/${k}` }));

// ---------------------------------------------------------------------------------------------------------------
// The tables' transforms

/** Claim → ELM properties (on the AchievementSubject, and on claim nodes). */
export const CLAIM_ELM_TRANSFORMS: RuleTransforms<typeof CLAIM_TO_ELM, Claim> = {
  langMap,
  organisations,
  elmDateTime,
  location: (l, c) => location(l, c),
  claims,
  credits,
  grade,
  concept,
  notes,
  webResources,
};

export const CLAIM_NODE_TRANSFORMS: RuleTransforms<typeof CLAIM_NODE, Claim> = {
  claimClass: (kind) => CLAIM_CLASS[kind],
  specification,
};

/** Specification → ELM properties (on the Achievement, and on specification nodes). */
export const SPECIFICATION_ELM_TRANSFORMS: RuleTransforms<typeof SPECIFICATION_TO_ELM, Specification> = {
  langMap,
  langMaps,
  concepts,
  qfEheaLevel,
  learningOutcomes,
  note,
  credits,
  concept,
  specifications,
  accreditations,
  gradingScheme,
  webResources,
  notes,
};

export const SPECIFICATION_NODE_TRANSFORMS: RuleTransforms<typeof SPECIFICATION_NODE, Specification> = {
  specificationClass: (kind) => SPECIFICATION_CLASS[kind],
  identifiers,
  organisation,
};

/** Organisation → ELM properties (on Profiles, and on Organisation nodes). */
export const ORGANISATION_ELM_TRANSFORMS: RuleTransforms<typeof ORGANISATION_TO_ELM, Organisation> = {
  langMap,
  note,
  langMaps,
  organisationIdentifiers,
  locations,
  webResources,
  emailContact,
  phoneContact,
  accreditations,
  groups,
};

export const ORGANISATION_NODE_TRANSFORMS: RuleTransforms<typeof ORGANISATION_NODE, Organisation> = {
  mediaObject,
};
