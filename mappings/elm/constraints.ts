/**
 * The SHACL-level constraints of the EDC application profile (`EDC-generic-full` / `-no-cv` shapes in the corpus)
 * that matter for verifying a credential, as a data table checked on the credential's JSON-LD form: cardinalities,
 * datatypes (xsd:dateTime, langString maps), node classes (`type`) and controlled vocabularies (the concept scheme a
 * concept must belong to). Each rule names the SHACL property shape it comes from.
 *
 * Why a table and not the official shapes at run time: SHACL needs the credential as RDF (a JSON-LD expansion with the
 * EDC context) plus a SHACL engine, ~0.5 s to build per cold start and ~15 ms per credential (measured in
 * `test/support/shacl.ts`); the rules below cover what a verifier must reject, in microseconds. The tests hold the
 * table to the official shapes' verdict on the EC samples and on broken variants of them.
 */
import { isRecord } from "../../lib/guards.js";

/** One constraint: a property reached by `path` (property names; arrays are walked at every step). */
export interface ElmRule {
  /** Property names from the credential root, `/`-separated. */
  path: string;
  min?: number;
  max?: number;
  /** What each value must be. */
  kind?: "dateTime" | "object" | "langMap" | "iri";
  /** The node's `type` must include one of these (SHACL `sh:class`). */
  types?: readonly string[];
  /** The values (strings) must include this one (the credential's own class). */
  contains?: string;
  /** Controlled vocabulary: the concept's id starts with this (and its `inScheme`, when given, is `scheme`). */
  vocabulary?: { prefix: string; scheme?: string };
  /** The SHACL property shape the rule comes from, for reports. */
  shape: string;
}

/** One broken rule: where (JSON Pointer into the credential) and what. */
export interface ElmIssue {
  pointer: string;
  message: string;
  shape: string;
}

const SNB = "http://data.europa.eu/snb/";
const AUTHORITY = "http://publications.europa.eu/resource/authority/";
const AGENT_TYPES = ["Organisation", "Person", "Agent"] as const;
const CLAIM_TYPES = ["LearningAchievement", "LearningActivity", "LearningAssessment", "LearningEntitlement", "Claim"];
const CLAIMS = [
  "credentialSubject/hasClaim",
  "credentialSubject/hasClaim/provenBy",
  "credentialSubject/hasClaim/influencedBy",
];

/** The table. Cardinalities and classes from EDC-generic-no-cv; vocabularies from EDC-generic-full. */
export const ELM_RULES: readonly ElmRule[] = [
  { path: "id", min: 1, max: 1, kind: "iri", shape: "EuropeanDigitalCredential (@id)" },
  { path: "type", min: 1, contains: "EuropeanDigitalCredential", shape: "EuropeanDigitalCredential (sh:targetClass)" },
  {
    path: "credentialProfiles",
    min: 1,
    kind: "object",
    vocabulary: { prefix: `${SNB}credential/`, scheme: `${SNB}credential/25831c2` },
    shape: "EuropeanDigitalCredential-elm_credentialProfiles",
  },
  {
    path: "displayParameter",
    min: 1,
    max: 1,
    kind: "object",
    types: ["DisplayParameter"],
    shape: "EuropeanDigitalCredential-elm_displayParameter",
  },
  {
    path: "issuer",
    min: 1,
    max: 1,
    kind: "object",
    types: AGENT_TYPES,
    shape: "EuropeanDigitalCredential-cred_issuer",
  },
  {
    path: "credentialSubject",
    min: 1,
    max: 1,
    kind: "object",
    types: AGENT_TYPES,
    shape: "EuropeanDigitalCredential-cred_credentialSubject",
  },
  { path: "issuanceDate", max: 1, kind: "dateTime", shape: "EuropeanDigitalCredential-cred_issuanceDate" },
  { path: "issued", min: 1, max: 1, kind: "dateTime", shape: "EuropeanDigitalCredential-cred_issued" },
  { path: "validFrom", min: 1, max: 1, kind: "dateTime", shape: "EuropeanDigitalCredential-cred_validFrom" },
  { path: "expirationDate", max: 1, kind: "dateTime", shape: "EuropeanDigitalCredential-cred_expirationDate" },
  { path: "validUntil", max: 1, kind: "dateTime", shape: "EuropeanDigitalCredential-cred_validUntil" },
  {
    path: "credentialSchema",
    min: 1,
    kind: "object",
    types: ["ShaclValidator2017"],
    shape: "EuropeanDigitalCredential-cred_credentialSchema",
  },
  { path: "credentialStatus", max: 1, kind: "object", shape: "EuropeanDigitalCredential-cred_credentialStatus" },
  { path: "displayParameter/title", min: 1, max: 1, kind: "langMap", shape: "DisplayParameter-dc_title" },
  {
    path: "displayParameter/language",
    min: 1,
    kind: "object",
    vocabulary: { prefix: `${AUTHORITY}language/` },
    shape: "DisplayParameter-dc_language",
  },
  {
    path: "displayParameter/primaryLanguage",
    min: 1,
    max: 1,
    kind: "object",
    vocabulary: { prefix: `${AUTHORITY}language/` },
    shape: "DisplayParameter-elm_primaryLanguage",
  },
  {
    path: "displayParameter/individualDisplay",
    min: 1,
    kind: "object",
    shape: "DisplayParameter-elm_individualDisplay",
  },
  { path: "issuer/legalName", max: 1, kind: "langMap", shape: "Organisation-elm_legalName" },
  {
    path: "issuer/eIDASIdentifier",
    min: 1,
    max: 1,
    kind: "object",
    types: ["LegalIdentifier"],
    shape: "IssuerNodeShape (mandatory legal identifier)",
  },
  ...CLAIMS.flatMap((claim): ElmRule[] => [
    { path: claim, kind: "object", types: CLAIM_TYPES, shape: "Claim (sh:class)" },
    { path: `${claim}/title`, min: 1, max: 1, kind: "langMap", shape: "Claim-dc_title" },
    {
      path: `${claim}/awardedBy`,
      min: 1,
      max: 1,
      kind: "object",
      types: ["AwardingProcess"],
      shape: "Claim-elm_awardedBy",
    },
    {
      path: `${claim}/awardedBy/awardingBody`,
      kind: "object",
      types: AGENT_TYPES,
      shape: "AwardingProcess-elm_awardingBody",
    },
    { path: `${claim}/awardedBy/awardingDate`, max: 1, kind: "dateTime", shape: "AwardingProcess-elm_awardingDate" },
    { path: `${claim}/specifiedBy`, max: 1, kind: "object", shape: "Claim-elm_specifiedBy" },
    {
      path: `${claim}/specifiedBy/language`,
      kind: "object",
      vocabulary: { prefix: `${AUTHORITY}language/` },
      shape: "LearningSpecification-dc_language",
    },
    {
      path: `${claim}/specifiedBy/mode`,
      kind: "object",
      vocabulary: { prefix: `${SNB}learning-assessment/`, scheme: `${SNB}learning-assessment/25831c2` },
      shape: "LearningSpecification-elm_mode",
    },
  ]),
  {
    path: "credentialSubject/hasClaim/specifiedBy/eqfLevel",
    max: 1,
    kind: "object",
    vocabulary: { prefix: `${SNB}eqf/`, scheme: `${SNB}eqf/25831c2` },
    shape: "Qualification-elm_eqfLevel",
  },
  {
    path: "credentialSubject/hasClaim/specifiedBy/thematicArea",
    kind: "object",
    vocabulary: { prefix: `${SNB}isced-f/`, scheme: `${SNB}isced-f/25831c2` },
    shape: "LearningAchievementSpecification-elm_thematicArea",
  },
  {
    path: "credentialSubject/hasClaim/specifiedBy/learningSetting",
    max: 1,
    kind: "object",
    vocabulary: { prefix: `${SNB}learning-setting/`, scheme: `${SNB}learning-setting/25831c2` },
    shape: "LearningAchievementSpecification-elm_learningSetting",
  },
  {
    path: "credentialSubject/hasClaim/specifiedBy/creditPoint/framework",
    min: 1,
    max: 1,
    kind: "object",
    vocabulary: { prefix: `${SNB}education-credit/`, scheme: `${SNB}education-credit/25831c2` },
    shape: "CreditPoint-elm_framework",
  },
  {
    path: "credentialSubject/hasClaim/provenBy/grade",
    min: 1,
    max: 1,
    kind: "object",
    shape: "LearningAssessment-elm_grade",
  },
  {
    path: "credentialSubject/hasClaim/provenBy/idVerification",
    max: 1,
    kind: "object",
    vocabulary: { prefix: `${SNB}supervision-verification/`, scheme: `${SNB}supervision-verification/25831c2` },
    shape: "LearningAssessment-elm_idVerification",
  },
];

/** xsd:dateTime lexical form (time zone optional, as XML Schema allows). */
const XSD_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

const toArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const escapePointer = (s: string) =>
  s.includes("~") || s.includes("/") ? s.replace(/~/g, "~0").replace(/\//g, "~1") : s;

/** A node reached by a rule's path, with the steps to it (joined into a pointer only for an issue). */
interface Reached {
  node: unknown;
  pointer: string;
}

/**
 * Every node reached by `names` from `root`, with its pointer (arrays walked at each step). `memo` holds the nodes of
 * each path prefix already walked in this check: the rules share their prefixes (`credentialSubject/hasClaim/…`).
 */
function nodesAt(root: unknown, names: readonly string[], memo: Map<string, Reached[]>): Reached[] {
  let current: Reached[] = [{ node: root, pointer: "" }];
  let key = "";
  for (const name of names) {
    key += `/${name}`;
    const known = memo.get(key);
    if (known) {
      current = known;
      continue;
    }
    const next: Reached[] = [];
    const step = `/${escapePointer(name)}`;
    for (const { node, pointer } of current) {
      if (!isRecord(node)) continue;
      const value = node[name];
      const at = pointer + step;
      if (Array.isArray(value))
        for (let i = 0; i < value.length; i++) next.push({ node: value[i], pointer: `${at}/${i}` });
      else if (value !== undefined && value !== null) next.push({ node: value, pointer: at });
    }
    memo.set(key, next);
    current = next;
  }
  return current;
}

/** A rule's path split once: the parent's property names and the property checked. */
interface CompiledRule {
  rule: ElmRule;
  parents: readonly string[];
  property: string;
  step: string;
}

const compiledTables = new WeakMap<readonly ElmRule[], CompiledRule[]>();

function compiled(rules: readonly ElmRule[]): CompiledRule[] {
  let table = compiledTables.get(rules);
  if (!table) {
    table = rules.map((rule) => {
      const names = rule.path.split("/");
      const property = names.pop() as string;
      return { rule, parents: names, property, step: `/${escapePointer(property)}` };
    });
    compiledTables.set(rules, table);
  }
  return table;
}

const IRI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;

function valueIssue(rule: ElmRule, value: unknown): string | undefined {
  if (
    rule.kind === "dateTime" &&
    !(typeof value === "string" && XSD_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))
  ) {
    return "must be an xsd:dateTime";
  }
  if (rule.kind === "iri" && !(typeof value === "string" && IRI.test(value))) {
    return "must be an absolute IRI";
  }
  if (rule.kind === "langMap") {
    const ok =
      isRecord(value) && Object.keys(value).length > 0 && Object.values(value).every((v) => typeof v === "string");
    if (!ok) return 'must be a language map ({"en": "…"})';
  }
  if ((rule.kind === "object" || rule.types || rule.vocabulary) && !isRecord(value)) return "must be an object";
  if (!isRecord(value)) return undefined;
  if (rule.types) {
    const types = toArray(value.type).filter((t): t is string => typeof t === "string");
    if (!types.some((t) => rule.types?.includes(t))) return `type must be one of ${rule.types.join(", ")}`;
  }
  if (rule.vocabulary) {
    const id = value.id;
    if (typeof id !== "string" || !id.startsWith(rule.vocabulary.prefix)) {
      return `must be a concept of ${rule.vocabulary.scheme ?? rule.vocabulary.prefix} (id ${JSON.stringify(id)})`;
    }
    const scheme = isRecord(value.inScheme) ? value.inScheme.id : undefined;
    if (rule.vocabulary.scheme && scheme !== undefined && scheme !== rule.vocabulary.scheme) {
      return `inScheme must be ${rule.vocabulary.scheme}`;
    }
  }
  return undefined;
}

/** The constraint issues of an ELM credential's JSON-LD form (empty when it satisfies every rule). */
export function elmConstraintIssues(credential: unknown, rules: readonly ElmRule[] = ELM_RULES): ElmIssue[] {
  const issues: ElmIssue[] = [];
  const memo = new Map<string, Reached[]>();
  for (const { rule, parents, property, step } of compiled(rules)) {
    for (const { node: parent, pointer } of nodesAt(credential, parents, memo)) {
      if (!isRecord(parent)) continue;
      const values = toArray(parent[property]);
      const at = pointer + step;
      if (rule.min !== undefined && values.length < rule.min) {
        issues.push({
          pointer: at,
          message: `at least ${rule.min} value${rule.min === 1 ? "" : "s"} required`,
          shape: rule.shape,
        });
      }
      if (rule.max !== undefined && values.length > rule.max) {
        issues.push({
          pointer: at,
          message: `at most ${rule.max} value${rule.max === 1 ? "" : "s"} allowed`,
          shape: rule.shape,
        });
      }
      if (rule.contains !== undefined && values.length > 0 && !values.includes(rule.contains)) {
        issues.push({ pointer: at, message: `must include ${rule.contains}`, shape: rule.shape });
      }
      const many = Array.isArray(parent[property]);
      for (const [i, value] of values.entries()) {
        const problem = valueIssue(rule, value);
        if (problem) issues.push({ pointer: many ? `${at}/${i}` : at, message: problem, shape: rule.shape });
      }
    }
  }
  return issues;
}

/**
 * A cardinality rule of a node shape of the EDC application profile (`sh:targetClass` shapes of EDC-generic-no-cv,
 * which EDC-generic-full imports): every JSON node whose `type` names `cls` has between `min` and `max` values of
 * `property` (the JSON-LD term the EDC context gives the shape's `sh:path`: `dc:type` is `dcType`).
 */
export interface ElmClassRule {
  cls: string;
  property: string;
  min?: number;
  max?: number;
  shape: string;
}

const cardinality = (cls: string, property: string, min: number | undefined, max: number | undefined, shape: string) =>
  ({
    cls,
    property,
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
    shape,
  }) satisfies ElmClassRule;

/**
 * The `sh:minCount` / `sh:maxCount` constraints of the EDC shapes' class-targeted property shapes (listed from
 * EDC-generic-no-cv.ttl: every active shape with a minimum count), checked on every node of its class wherever it
 * sits. {@link ELM_RULES} checks the credential by paths from its root, as verification needs; these reach the nodes
 * those paths do not (an awarding body's location, a credit point's framework, an identifier's notation).
 */
export const ELM_CLASS_RULES: readonly ElmClassRule[] = [
  cardinality("Accreditation", "dcType", 1, 1, "Accreditation-dc_type"),
  cardinality("Accreditation", "title", 1, undefined, "Accreditation-dc_title"),
  cardinality("Accreditation", "accreditingAgent", 1, 1, "Accreditation-elm_accreditingAgent"),
  cardinality("Address", "countryCode", 1, 1, "Address-elm_countryCode"),
  cardinality("Amount", "unit", 1, 1, "Amount-elm_unit"),
  cardinality("Amount", "value", 1, 1, "Amount-elm_value"),
  cardinality("AwardingOpportunity", "awardingBody", 1, undefined, "AwardingOpportunity-elm_awardingBody"),
  cardinality("AwardingProcess", "awardingBody", 1, undefined, "AwardingProcess-elm_awardingBody"),
  cardinality("Claim", "title", 1, undefined, "Claim-dc_title"),
  cardinality("Claim", "awardedBy", 1, 1, "Claim-elm_awardedBy"),
  cardinality("DisplayParameter", "title", 1, undefined, "DisplayParameter-dc_title"),
  cardinality("DisplayParameter", "language", 1, undefined, "DisplayParameter-dc_language"),
  cardinality("DisplayParameter", "primaryLanguage", 1, 1, "DisplayParameter-elm_primaryLanguage"),
  cardinality("DisplayParameter", "individualDisplay", 1, undefined, "DisplayParameter-elm_individualDisplay"),
  cardinality("IndividualDisplay", "language", 1, 1, "IndividualDisplay-dc_language"),
  cardinality("IndividualDisplay", "displayDetail", 1, undefined, "IndividualDisplay-elm_displayDetail"),
  cardinality("DisplayDetail", "image", 1, 1, "DisplayDetail-elm_image"),
  cardinality("DisplayDetail", "page", 1, 1, "DisplayDetail-elm_page"),
  cardinality("CreditPoint", "framework", 1, 1, "CrediPoint-elm_framework"),
  cardinality("CreditPoint", "point", 1, 1, "CrediPoint-elm_point"),
  cardinality("GradingScheme", "title", 1, undefined, "GradingScheme-dc_title"),
  cardinality("Grant", "title", 1, undefined, "Grant-dc_title"),
  cardinality("Identifier", "notation", 1, 1, "Identifier-skos_notation"),
  cardinality("LegalIdentifier", "notation", 1, 1, "Identifier-skos_notation"),
  cardinality("LegalIdentifier", "spatial", 1, 1, "LegalIdentifier-dc_spatial"),
  ...["LearningAchievement", "LearningActivity", "LearningAssessment", "LearningEntitlement"].flatMap((cls) => [
    cardinality(cls, "title", 1, undefined, `${cls}-dc_title`),
    cardinality(cls, "awardedBy", 1, 1, `${cls}-elm_awardedBy`),
  ]),
  cardinality("LearningAssessment", "grade", 1, 1, "LearningAssessment-elm_grade"),
  ...[
    "LearningAchievementSpecification",
    "LearningActivitySpecification",
    "LearningAssessmentSpecification",
    "LearningEntitlementSpecification",
    "Qualification",
    "Specification",
    "LearningOpportunity",
    "LearningOutcome",
  ].map((cls) => cardinality(cls, "title", 1, undefined, `${cls}-dc_title`)),
  cardinality("LearningEntitlementSpecification", "dcType", 1, 1, "LearningEntitlementSpecification-dc_type"),
  cardinality(
    "LearningEntitlementSpecification",
    "entitlementStatus",
    1,
    1,
    "LearningEntitlementSpecification-elm_entitlementStatus",
  ),
  cardinality("LearningOpportunity", "providedBy", 1, undefined, "LearningOpportunity-elm_providedBy"),
  cardinality("MediaObject", "contentType", 1, 1, "MediaObject-elm_contentType"),
  cardinality("MediaObject", "contentEncoding", 1, 1, "MediaObject-elm_contentEncoding"),
  cardinality("MediaObject", "content", 1, 1, "MediaObject-elm_content"),
  cardinality("Organisation", "location", 1, undefined, "Organisation-elm_location"),
  cardinality("Organisation", "legalName", 1, undefined, "Organisation-rov_legalName"),
  cardinality("Person", "hasClaim", 1, undefined, "Person-elm_hasClaim"),
  cardinality("ResultCategory", "label", 1, 1, "ResultCategory-elm_label"),
  cardinality("ResultCategory", "count", 1, 1, "ResultCategory-elm_count"),
  cardinality("ShortenedGrading", "percentageLower", 1, 1, "ShortenedGrading-elm_percentageLower"),
  cardinality("ShortenedGrading", "percentageEqual", 1, 1, "ShortenedGrading-elm_percentageEqual"),
  cardinality("ShortenedGrading", "percentageHigher", 1, 1, "ShortenedGrading-elm_percentageHigher"),
  cardinality("VerificationCheck", "dcType", 1, 1, "VerificationCheck-dc_type"),
  cardinality("VerificationCheck", "verificationStatus", 1, 1, "VerificationCheck-elm_verificationStatus"),
  cardinality("VerificationCheck", "subject", 1, 1, "VerificationCheck-elm_subject"),
  cardinality("WebResource", "contentURL", 1, 1, "WebResource-elm_contentUrl"),
  cardinality("Location", "address", 1, undefined, "Location_elm_address"),
  cardinality("Note", "noteLiteral", 1, undefined, "Note-elm_noteLiteral"),
  cardinality("Group", "prefLabel", 1, undefined, "Group-skos_prefLabel"),
  cardinality("Evidence", "dcType", 1, 1, "Evidence-dc_type"),
];

/** Per table, the rules of each class in table order, and of each combination of types a node has named. */
const classIndexes = new WeakMap<readonly ElmClassRule[], Map<string, readonly ElmClassRule[]>>();

/** The rules of a table that apply to a node of `types`, in table order. */
function rulesFor(rules: readonly ElmClassRule[], types: readonly string[]): readonly ElmClassRule[] {
  let index = classIndexes.get(rules);
  if (!index) {
    index = new Map();
    classIndexes.set(rules, index);
  }
  const key = types.join("\u0000");
  let applying = index.get(key);
  if (!applying) {
    applying = rules.filter((rule) => types.includes(rule.cls));
    index.set(key, applying);
  }
  return applying;
}

/**
 * The class rules' issues of an ELM credential's JSON-LD form (a node written as a bare id reference is not checked):
 * every JSON object that names a `type`, in document order, depth-limited as the writers' output is. The walk keeps
 * the steps to the current node and joins them into a pointer only for an issue.
 */
export function elmClassIssues(credential: unknown, rules: readonly ElmClassRule[] = ELM_CLASS_RULES): ElmIssue[] {
  const issues: ElmIssue[] = [];
  const steps: string[] = [];
  const at = (property: string): string => {
    let pointer = "";
    for (const step of steps) pointer += `/${escapePointer(step)}`;
    return `${pointer}/${escapePointer(property)}`;
  };
  const check = (node: Record<string, unknown>, types: readonly string[]): void => {
    for (const rule of rulesFor(rules, types)) {
      const count = toArray(node[rule.property]).length;
      if (rule.min !== undefined && count < rule.min) {
        issues.push({
          pointer: at(rule.property),
          message: `at least ${rule.min} value${rule.min === 1 ? "" : "s"} required`,
          shape: rule.shape,
        });
      }
      if (rule.max !== undefined && count > rule.max) {
        issues.push({
          pointer: at(rule.property),
          message: `at most ${rule.max} value${rule.max === 1 ? "" : "s"} allowed`,
          shape: rule.shape,
        });
      }
    }
  };
  const visit = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        steps.push(String(i));
        visit(v[i], depth + 1);
        steps.pop();
      }
      return;
    }
    if (!isRecord(v)) return;
    const types = toArray(v.type).filter((t): t is string => typeof t === "string");
    if (types.length > 0) check(v, types);
    for (const key of Object.keys(v)) {
      if (key === "@context" || key === "type") continue;
      const value = v[key];
      if (typeof value !== "object" || value === null) continue;
      steps.push(key);
      visit(value, depth + 1);
      steps.pop();
    }
  };
  visit(credential, 0);
  return issues;
}

/** Both tables' issues, each pointer and message once: what a written credential is held to. */
export function elmConformanceIssues(credential: unknown): ElmIssue[] {
  const seen = new Set<string>();
  return [...elmConstraintIssues(credential), ...elmClassIssues(credential)].filter((issue) => {
    const key = `${issue.pointer} ${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
