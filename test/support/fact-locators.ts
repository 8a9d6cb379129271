/**
 * Where each kind of fact belongs in each written format: patterns over a written document's leaf paths (JSON:
 * pointers without array indexes and without the language key of a language map; XML: element names from the root,
 * `@attr` for attributes). Taken from the formats' specifications (ELM v3 ontology, OB 3.0 data model with the
 * gateway's published ELM extension context, ELMO 1.x/2.0 XSD), not from what the writers happen to emit: a value
 * found elsewhere does not count.
 */
import type { Format } from "../../mappings/formats.js";
import type { FactKind } from "./facts.js";
import { type Leaf, parseXmlTree, xmlLeaves } from "./xml-tree.js";

/** Organisation subtrees, where a title or name is an organisation's, not a claim's. */
const ORG =
  /(awardedBy|awardingBody|issuer|directedBy|assessedBy|creator|source|groupMemberOf|location|gradingScheme|accreditation)/;

interface Place {
  include: RegExp;
  exclude?: RegExp;
}

const p = (include: RegExp, exclude?: RegExp): Place => (exclude ? { include, exclude } : { include });

/** A claim at any depth of the ELM tree (ELM: `hasClaim`; OB 3.0 with the ELM extension: the subject itself). */
const CLAIM = `/credentialSubject(/hasClaim)?(/(hasPart|influencedBy|provenBy|entitlesTo|hasClaim))*`;
/** The claim's specification (ELM `specifiedBy`; OB 3.0: `achievement`). */
const SPEC = `(/(specifiedBy|achievement))?`;
const re = (s: string) => new RegExp(s);

const ELM: Partial<Record<FactKind, Place>> = {
  "learner.givenName": p(/^\/credentialSubject\/givenName$/),
  "learner.familyName": p(/^\/credentialSubject\/familyName$/),
  "learner.fullName": p(/^\/credentialSubject\/fullName$/),
  "learner.birthDate": p(/^\/credentialSubject\/dateOfBirth$/),
  "learner.identifier": p(/^\/credentialSubject\/(id|nationalID\/notation|identifier\/notation)$/),
  "learner.email": p(/^\/credentialSubject\/contactPoint\/emailAddress\/id$/),
  title: p(re(`^(${CLAIM}${SPEC}/title|/displayParameter/title|/title)$`), ORG),
  part: p(re(`^${CLAIM}${SPEC}/title$`), ORG),
  description: p(
    re(`^(${CLAIM}${SPEC}/(description|additionalNote/noteLiteral)|/displayParameter/description|/description)$`),
    ORG,
  ),
  "awardingBody.name": p(re(`^${CLAIM}/awardedBy/awardingBody/(legalName|altLabel)$`)),
  "awardingBody.country": p(re(`^${CLAIM}/awardedBy/awardingBody/location/address/countryCode/id$`)),
  "issuer.name": p(/^\/issuer\/(legalName|altLabel)$/),
  "issuer.id": p(/^\/issuer\/id$/),
  // The issuer's address, or the country of its legal identifiers (EDCI XML gives only the latter).
  "issuer.country": p(
    /^\/issuer\/(location\/address\/countryCode|(registration|vatIdentifier|taxIdentifier|eIDASIdentifier)\/spatial)\/id$/,
  ),
  issued: p(/^\/(issued|issuanceDate)$/),
  validFrom: p(/^\/validFrom$/),
  validUntil: p(/^\/(validUntil|expirationDate)$/),
  awardingDate: p(re(`^${CLAIM}/awardedBy/awardingDate$`)),
  startDate: p(re(`^${CLAIM}/temporal/startDate$`)),
  endDate: p(re(`^${CLAIM}/temporal/endDate$`)),
  outcome: p(re(`^${CLAIM}${SPEC}/learningOutcome/(title|relatedESCOSkill/id|relatedSkill/id)$`)),
  credits: p(re(`^${CLAIM}(${SPEC}/creditPoint|/creditReceived)/point$`)),
  level: p(re(`^${CLAIM}${SPEC}/(eqfLevel|nqfLevel)/(id|notation)$`)),
  grade: p(re(`^${CLAIM}/grade/noteLiteral$`)),
  assessment: p(re(`^${CLAIM}/provenBy(/hasPart)*(/specifiedBy)?/title$`)),
  participation: p(re(`^${CLAIM}${SPEC}/mode/id$`)),
  qualityAssurance: p(/\/accreditation(\/[A-Za-z]+)*\/(id|title|report|decision\/id)$/),
  field: p(re(`^${CLAIM}${SPEC}/thematicArea/(id|notation)$`)),
  language: p(re(`^${CLAIM}${SPEC}/language/id$`)),
  entitlement: p(re(`^${CLAIM}${SPEC}/title$`), ORG),
};

/** OB 3.0 places, plus the ELM extension properties the gateway's context defines on the same nodes. */
const OB3: Partial<Record<FactKind, Place>> = {
  ...ELM,
  "learner.fullName": p(/^\/credentialSubject\/(fullName|name|identifier\/identityHash)$/),
  "learner.identifier": p(
    /^\/credentialSubject\/(id|identifier\/identityHash|nationalID\/notation|identifier\/notation)$/,
  ),
  "learner.email": p(/^\/credentialSubject\/(identifier\/identityHash|email|contactPoint\/emailAddress\/id)$/),
  title: p(
    re(`^(/name|/credentialSubject/achievement/name|${CLAIM}${SPEC}/(title|name)|/displayParameter/title)$`),
    ORG,
  ),
  part: p(re(`^${CLAIM}${SPEC}/(title|name)$`), ORG),
  description: p(
    re(`^(/description|${CLAIM}${SPEC}/(description|additionalNote/noteLiteral)|/displayParameter/description)$`),
    ORG,
  ),
  "awardingBody.name": p(
    re(
      `^(/credentialSubject/achievement/creator/name|/credentialSubject/source/name|${CLAIM}/awardedBy/awardingBody/(legalName|altLabel))$`,
    ),
  ),
  "awardingBody.country": p(
    re(
      `^(/credentialSubject/achievement/creator/address/addressCountryCode|${CLAIM}/awardedBy/awardingBody/location/address/countryCode/id)$`,
    ),
  ),
  "issuer.name": p(/^\/issuer\/(name|legalName|altLabel)$/),
  "issuer.country": p(
    /^\/issuer\/(address\/addressCountryCode|(location\/address\/countryCode|(registration|vatIdentifier|taxIdentifier|eIDASIdentifier)\/spatial)\/id)$/,
  ),
  issued: p(/^\/(issuanceDate|issued|awardedDate)$/),
  awardingDate: p(re(`^(/awardedDate|${CLAIM}/awardedBy/awardingDate)$`)),
  startDate: p(re(`^(/credentialSubject/activityStartDate|${CLAIM}/temporal/startDate)$`)),
  endDate: p(re(`^(/credentialSubject/activityEndDate|${CLAIM}/temporal/endDate)$`)),
  outcome: p(
    re(
      `^(/credentialSubject/achievement/alignment/(targetUrl|targetName)|${CLAIM}${SPEC}/learningOutcome/(title|relatedESCOSkill/id|relatedSkill/id))$`,
    ),
  ),
  credits: p(
    re(
      `^(/credentialSubject/creditsEarned|/credentialSubject/achievement/creditsAvailable|${CLAIM}(${SPEC}/creditPoint|/creditReceived)/point)$`,
    ),
  ),
  level: p(
    re(
      `^(/credentialSubject/achievement/alignment/(targetUrl|targetCode)|${CLAIM}${SPEC}/(eqfLevel|nqfLevel)/(id|notation))$`,
    ),
  ),
  grade: p(re(`^(/credentialSubject/result/(value|status)|${CLAIM}/grade/noteLiteral)$`)),
  assessment: p(
    re(`^(/credentialSubject/achievement/resultDescription/name|${CLAIM}/provenBy(/hasPart)*(/specifiedBy)?/title)$`),
  ),
  field: p(re(`^(/credentialSubject/achievement/fieldOfStudy|${CLAIM}${SPEC}/thematicArea/(id|notation))$`)),
  language: p(re(`^(/credentialSubject/achievement/inLanguage|${CLAIM}${SPEC}/language/id)$`)),
};

/** ELMO: a report's learning opportunities at any depth (`hasPart`). Kinds ELMO has no element for have no place. */
const LOS = `/elmo/report(/learningOpportunitySpecification(/hasPart)?)+`;
const LOI = `${LOS}/specifies/learningOpportunityInstance`;
const ELMO: Partial<Record<FactKind, Place>> = {
  "learner.givenName": p(/^\/elmo\/learner\/givenNames$/),
  "learner.familyName": p(/^\/elmo\/learner\/familyName$/),
  "learner.fullName": p(/^\/elmo\/learner\/(fullName|alternativeName)$/),
  "learner.birthDate": p(/^\/elmo\/learner\/(bday|dateOfBirth)$/),
  "learner.identifier": p(/^\/elmo\/learner\/identifier$/),
  "learner.email": p(/^\/elmo\/learner\/email$/),
  title: p(re(`^${LOS}/title$`)),
  part: p(re(`^${LOS}/title$`)),
  description: p(re(`^${LOS}/description$`)),
  "awardingBody.name": p(/^\/elmo\/report\/issuer\/title$/),
  "awardingBody.country": p(/^\/elmo\/report\/issuer\/country$/),
  "issuer.name": p(/^\/elmo\/report\/issuer\/title$/),
  "issuer.id": p(/^\/elmo\/report\/issuer\/identifier$/),
  "issuer.country": p(/^\/elmo\/report\/issuer\/country$/),
  issued: p(/^\/elmo\/report\/issueDate$/),
  awardingDate: p(re(`^${LOI}/date$`)),
  startDate: p(re(`^${LOI}/start$`)),
  endDate: p(re(`^${LOI}/date$`)),
  credits: p(re(`^${LOI}/credit/value$`)),
  level: p(re(`^${LOI}/level/value$`)),
  grade: p(re(`^${LOI}/resultLabel$`)),
  field: p(re(`^${LOS}/(iscedCode|subjectArea)$`)),
  language: p(re(`^${LOI}/languageOfInstruction$`)),
};

export const LOCATORS: Partial<Record<Format, Partial<Record<FactKind, Place>>>> = { elm: ELM, ob3: OB3, elmo: ELMO };

/** Kinds with one value per credential: a different value at their place is a wrong value, not a missing one. */
export const SINGLE: ReadonlySet<FactKind> = new Set<FactKind>([
  "learner.givenName",
  "learner.familyName",
  "learner.birthDate",
  "issuer.id",
  "issued",
  "validFrom",
  "validUntil",
]);

const LANG_KEY = /^([a-z]{2}|und)$/;

/** Every scalar of a written JSON document as a leaf: index-free path, language key stripped into `lang`. */
export function jsonLeaves(doc: unknown): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (Array.isArray(v)) for (const c of v) walk(c, path);
    else if (v !== null && typeof v === "object") {
      for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
    } else if (v !== undefined && v !== null) {
      const last = path.at(-1) ?? "";
      const isLang = LANG_KEY.test(last) && last !== "id" && path.length > 1;
      const keys = isLang ? path.slice(0, -1) : path;
      leaves.push({ path: `/${keys.join("/")}`, value: String(v), ...(isLang ? { lang: last } : {}) });
    }
  };
  walk(doc, []);
  return leaves;
}

/** The leaves of a conversion's document (ELMO: XML text). */
export function outputLeaves(document: unknown): Leaf[] {
  return typeof document === "string" ? xmlLeaves(parseXmlTree(document)) : jsonLeaves(document);
}

/** The leaves at a kind's place in a target, or undefined when the target has no place for the kind. */
export function leavesAt(target: Format, kind: FactKind, leaves: Leaf[]): Leaf[] | undefined {
  const place = LOCATORS[target]?.[kind];
  if (!place) return undefined;
  return leaves.filter(
    (l) =>
      place.include.test(l.path) && !place.exclude?.test(l.path.replace(/^\/credentialSubject\/(hasClaim\/)?/, "")),
  );
}
