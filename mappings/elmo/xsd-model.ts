/**
 * The EMREX ELMO 2.0 schema as data: every element, attribute, cardinality, enumeration and simple type of the ELMO
 * namespace, for the run-time conformance check of written ELMO (`./conformance.ts`). Read from the XSD
 * `elmo-schemas` v2.0.0 (`schema.xsd`, target namespace `https://github.com/emrex-eu/elmo-schemas/tree/v1`,
 * release notes "Version 2.0.0") and the schema it imports for `europass:countryCode`
 * (`EUROPASS_ISOCountries_V1.1.xsd`, "ISO 3166-1-alpha-2 filtered by Europass", 197 codes); `xml:lang` is the
 * `xs:language` of `https://www.w3.org/2001/03/xml.xsd`. The XSD itself is not shipped: this table is what the
 * gateway holds of it, and test/corpus/elmo-conformance-xmllint.test.ts checks the checker against xmllint running
 * the XSD.
 *
 * The schema's anonymous complex types are named here after their element. Its content models are all sequences of
 * element particles with distinct names (no choice, no nested group, no identity constraint), which is what the
 * model expresses. Contents from schemas the gateway does not write are not checked inside (`foreign`):
 * `ds:Signature` (XML-DSig), `currentAddress` (the EWP address type), `introduction` (`xs:anyType`) and the elements
 * an `extension` container holds (`xs:any ##other`, lax), of which only the namespace is checked.
 */

import { ATTACHMENT_TYPES } from "./vocab.js";

/** A simple type: what the text of an element or the value of an attribute may be. */
export type SimpleType =
  | { kind: "string" }
  | { kind: "token" }
  | { kind: "date" }
  | { kind: "dateTime" }
  | { kind: "decimal" }
  | { kind: "nonNegativeInteger" }
  | { kind: "language" }
  /** Values compared after the base's whitespace rule (string: as written; token: collapsed; integer: by value). */
  | { kind: "enumeration"; base: "string" | "token" | "integer"; name: string; values: readonly string[] }
  /** A pattern restriction of `xs:token` (matched against the whole collapsed value). */
  | { kind: "pattern"; base: "token"; pattern: string };

export interface AttributeDecl {
  /** Qualified as written: `type`, or `xml:lang` for the XML namespace's attribute. */
  name: string;
  type: SimpleType;
  required: boolean;
}

/** One element particle of a sequence. `max` is `Infinity` for `unbounded`. */
export interface Particle {
  name: string;
  /** The particle's namespace, when not the ELMO namespace (`ds:Signature`). */
  ns?: string;
  min: number;
  max: number;
  /** Key of the element's type in {@link ELMO_TYPES}. */
  type: string;
}

export type ContentModel =
  /** Element-only content: the particles in this order. An empty sequence is an element with attributes only. */
  | { kind: "sequence"; particles: readonly Particle[]; attributes: readonly AttributeDecl[] }
  /** Text only, of `value`'s type. */
  | { kind: "simple"; value: SimpleType; attributes: readonly AttributeDecl[] }
  /**
   * `CustomExtensionsContainer`: element-only content of elements in other namespaces than ELMO's (`xs:any ##other`,
   * lax: not checked inside), and attributes that some imported schema declares globally (`xs:anyAttribute`, strict).
   */
  | { kind: "extensions"; attributes: readonly AttributeDecl[] }
  /** Content from another schema or `xs:anyType`, not checked inside. */
  | { kind: "foreign"; what: string };

export const ELMO_NAMESPACE = "https://github.com/emrex-eu/elmo-schemas/tree/v1";
export const XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#";
export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

/** The schema release the table was read from, for the rules name of a conformance answer. */
export const ELMO_SCHEMA_RELEASE = "elmo-schemas v2.0.0 schema.xsd";

/** `europass:countryCode` (restriction of `xs:string`: compared as written). */
export const EUROPASS_COUNTRY_CODES: readonly string[] = (
  "AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO " +
  "CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GL GM GN GQ GR GT GW GY HN HR HT HU " +
  "ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH " +
  "MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NU NZ OM PA PE PG PH PK PL PR PS PT PW PY QA RO RS RU " +
  "RW SA SB SC SD SE SG SI SK SL SM SN SO SR ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VA VC VE " +
  "VN VU WS YE ZA ZM ZW"
).split(" ");

const STRING: SimpleType = { kind: "string" };
const TOKEN: SimpleType = { kind: "token" };
const COUNTRY: SimpleType = {
  kind: "enumeration",
  base: "string",
  name: "europass:countryCode",
  values: EUROPASS_COUNTRY_CODES,
};
const LANG: AttributeDecl = { name: "xml:lang", type: { kind: "language" }, required: false };

const one = (name: string, type: string): Particle => ({ name, min: 1, max: 1, type });
const optional = (name: string, type: string): Particle => ({ name, min: 0, max: 1, type });
const many = (name: string, type: string, min = 0): Particle => ({ name, min, max: Number.POSITIVE_INFINITY, type });
const seq = (particles: Particle[], attributes: AttributeDecl[] = []): ContentModel => ({
  kind: "sequence",
  particles,
  attributes,
});
const simple = (value: SimpleType, attributes: AttributeDecl[] = []): ContentModel => ({
  kind: "simple",
  value,
  attributes,
});
const enumeration = (name: string, base: "token" | "integer", values: string[]): ContentModel =>
  simple({ kind: "enumeration", base, name, values });
const SIGNATURE: Particle = { name: "Signature", ns: XMLDSIG_NAMESPACE, min: 0, max: 1, type: "ds:Signature" };

/** The root element. */
export const ELMO_ROOT: Particle = one("elmo", "elmo");

/** Every type of the schema, by name (`xs:…` for the built-in simple types elements use directly). */
export const ELMO_TYPES: Readonly<Record<string, ContentModel>> = {
  "xs:string": simple(STRING),
  "xs:token": simple(TOKEN),
  "xs:date": simple({ kind: "date" }),
  "xs:dateTime": simple({ kind: "dateTime" }),
  "xs:decimal": simple({ kind: "decimal" }),
  "europass:countryCode": simple(COUNTRY),
  TokenWithOptionalLang: simple(TOKEN, [LANG]),
  PlaintextMultilineStringWithOptionalLang: simple(STRING, [LANG]),
  SimpleHtmlStringWithOptionalLang: simple(STRING, [LANG]),
  /** The `identifier` elements of learner, issuer, LOS, LOI and attachment (one anonymous type, written five times). */
  Identifier: simple(TOKEN, [{ name: "type", type: TOKEN, required: true }]),
  elmo: seq([
    one("generatedDate", "xs:dateTime"),
    one("learner", "learner"),
    many("report", "Report", 1),
    many("attachment", "Attachment"),
    optional("groups", "Groups"),
    optional("extension", "CustomExtensionsContainer"),
    SIGNATURE,
  ]),
  learner: seq([
    optional("citizenship", "europass:countryCode"),
    many("identifier", "Identifier"),
    one("givenNames", "xs:token"),
    one("familyName", "xs:token"),
    one("alternativeName", "alternativeName"),
    optional("dateOfBirth", "xs:date"),
    optional("placeOfBirth", "xs:token"),
    optional("birthName", "xs:token"),
    optional("currentAddress", "ewpAddress:FlexibleAddress"),
    optional("gender", "gender"),
  ]),
  alternativeName: simple(STRING, [LANG]),
  gender: enumeration("gender", "integer", ["0", "1", "2", "9"]),
  /** `elmo/report` and the named type `RecognitionReport`: the same sequence. */
  Report: seq([
    one("issuer", "Issuer"),
    many("learningOpportunitySpecification", "LearningOpportunitySpecification"),
    many("resultOfRecognition", "ResultOfRecognition"),
    one("issueDate", "xs:dateTime"),
    many("gradingScheme", "gradingScheme"),
    many("attachment", "Attachment"),
  ]),
  gradingScheme: seq(
    [many("description", "PlaintextMultilineStringWithOptionalLang")],
    [{ name: "localId", type: TOKEN, required: true }],
  ),
  /** The global attributes of the imported schemas: `xml:lang` (XML-DSig declares none). */
  CustomExtensionsContainer: { kind: "extensions", attributes: [LANG] },
  "ds:Signature": { kind: "foreign", what: "an XML-DSig signature" },
  "ewpAddress:FlexibleAddress": { kind: "foreign", what: "an EWP address" },
  "xs:anyType": { kind: "foreign", what: "xs:anyType content" },
  Groups: seq([many("groupType", "groupType")]),
  groupType: seq(
    [many("title", "TokenWithOptionalLang", 1), many("group", "group")],
    [{ name: "id", type: STRING, required: false }],
  ),
  group: seq(
    [many("title", "TokenWithOptionalLang", 1)],
    [
      { name: "id", type: STRING, required: false },
      { name: "sortingKey", type: STRING, required: false },
    ],
  ),
  Attachment: seq([
    many("identifier", "Identifier"),
    many("title", "TokenWithOptionalLang"),
    optional("type", "attachmentType"),
    many("description", "PlaintextMultilineStringWithOptionalLang"),
    many("content", "TokenWithOptionalLang"),
    optional("extension", "CustomExtensionsContainer"),
  ]),
  attachmentType: enumeration("Attachment/type", "token", [...ATTACHMENT_TYPES]),
  Issuer: seq([
    optional("country", "europass:countryCode"),
    many("identifier", "Identifier", 1),
    many("title", "TokenWithOptionalLang", 1),
    one("url", "xs:token"),
  ]),
  LearningOpportunitySpecification: seq([
    many("identifier", "Identifier", 1),
    many("title", "TokenWithOptionalLang", 1),
    optional("type", "losType"),
    optional("subjectArea", "xs:token"),
    optional("iscedCode", "xs:token"),
    optional("url", "xs:token"),
    many("description", "PlaintextMultilineStringWithOptionalLang"),
    many("descriptionHtml", "SimpleHtmlStringWithOptionalLang"),
    one("specifies", "specifies"),
    many("hasPart", "hasPart"),
    optional("extension", "CustomExtensionsContainer"),
  ]),
  losType: enumeration("LearningOpportunitySpecification/type", "token", [
    "Degree Programme",
    "Module",
    "Course",
    "Class",
  ]),
  specifies: seq([
    one("learningOpportunityInstance", "learningOpportunityInstance"),
    optional("extension", "CustomExtensionsContainer"),
  ]),
  /** `hasPart` and `recognitionResult`: one LOS each. */
  hasPart: seq([one("learningOpportunitySpecification", "LearningOpportunitySpecification")]),
  learningOpportunityInstance: seq([
    many("identifier", "Identifier"),
    optional("start", "xs:date"),
    optional("date", "xs:date"),
    optional("academicTerm", "academicTerm"),
    optional("status", "status"),
    optional("gradingSchemeLocalId", "xs:token"),
    optional("gradingSchemeExternalId", "xs:token"),
    optional("resultLabel", "xs:token"),
    optional("shortenedGrading", "shortenedGrading"),
    optional("resultDistribution", "resultDistribution"),
    many("credit", "credit"),
    many("level", "level"),
    optional("languageOfInstruction", "xs:token"),
    optional("engagementHours", "xs:decimal"),
    optional("attachments", "refs"),
    optional("grouping", "grouping"),
    optional("extension", "CustomExtensionsContainer"),
    optional("diplomaSupplement", "DiplomaSupplement"),
  ]),
  academicTerm: seq([many("title", "TokenWithOptionalLang", 1), one("start", "xs:date"), one("end", "xs:date")]),
  status: enumeration("learningOpportunityInstance/status", "token", ["passed", "failed", "in-progress"]),
  shortenedGrading: seq([
    one("percentageLower", "xs:decimal"),
    one("percentageEqual", "xs:decimal"),
    one("percentageHigher", "xs:decimal"),
  ]),
  resultDistribution: seq([
    many("category", "category", 1),
    many("description", "PlaintextMultilineStringWithOptionalLang"),
  ]),
  category: seq(
    [],
    [
      { name: "label", type: TOKEN, required: true },
      { name: "count", type: { kind: "nonNegativeInteger" }, required: true },
    ],
  ),
  credit: seq([one("scheme", "xs:token"), optional("value", "xs:decimal")]),
  level: seq([
    one("type", "xs:token"),
    optional("description", "PlaintextMultilineStringWithOptionalLang"),
    optional("value", "xs:token"),
  ]),
  /** `attachments`, `fromMapping` and `toMapping`: lists of `ref`. */
  refs: seq([many("ref", "xs:string")]),
  grouping: simple(STRING, [
    { name: "typeref", type: STRING, required: false },
    { name: "idref", type: STRING, required: false },
  ]),
  DiplomaSupplement: seq(
    [
      one("version", "xs:token"),
      one("issueDate", "xs:date"),
      one("introduction", "xs:anyType"),
      many("section", "DiplomaSupplementSection", 1),
      SIGNATURE,
    ],
    [LANG],
  ),
  DiplomaSupplementSection: seq(
    [
      one("title", "xs:token"),
      optional("content", "sectionContent"),
      many("additionalInformation", "xs:string"),
      many("attachment", "Attachment"),
      many("section", "DiplomaSupplementSection"),
    ],
    [{ name: "number", type: { kind: "pattern", base: "token", pattern: "[0-9.]+" }, required: true }],
  ),
  sectionContent: simple(TOKEN, [{ name: "type", type: TOKEN, required: false }]),
  ResultOfRecognition: seq([
    many("title", "TokenWithOptionalLang"),
    many("description", "PlaintextMultilineStringWithOptionalLang"),
    optional("subjectArea", "xs:token"),
    optional("iscedCode", "xs:token"),
    one("status", "recognitionStatus"),
    optional("decisionDate", "xs:date"),
    many("recognitionBasis", "recognitionBasis"),
    many("recognitionResult", "hasPart"),
    many("recognitionMapping", "recognitionMapping"),
    optional("attachments", "refs"),
  ]),
  recognitionStatus: enumeration("ResultOfRecognition/status", "token", ["Positive", "Negative", "Partially Positive"]),
  recognitionBasis: seq([one("recognitionReport", "Report")]),
  recognitionMapping: seq([one("mapping", "mapping")]),
  mapping: seq([many("fromMapping", "refs"), many("toMapping", "refs")]),
};
