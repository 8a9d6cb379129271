/**
 * The OB 3.0 JSON Schema rules the `format` check runs, written from the specification's data model (research
 * ob3.md §1: AchievementCredential, AchievementSubject, Achievement, Profile, EndorsementCredential and the classes
 * they use, with the cardinalities and vocabularies the spec gives) in the serialization form of the published JSON
 * Schema (multi-valued properties as arrays). Compiled once per process (on first use) with ajv; errors carry JSON
 * Pointers into the credential.
 *
 * Why not load the 1EdTech schema file: it is a 3,000-line generated document fetched from the spec site; this module
 * keeps only the rules, readable and versioned with the code. `test/unit/mappings/ob3/schema.test.ts` holds it to the same
 * verdicts as the official schema on every corpus example and validator fixture.
 */
import type { ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { OB3_IDENTIFIER_TYPES } from "./identifier-types.js";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const dateTime: Schema = { type: "string", format: "date-time" };
const num: Schema = { type: "number" };
const arrayOf = (items: Schema): Schema => ({ type: "array", items });
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
/** `type` as the spec writes it for most classes: an unordered set of IRIs containing `name`. */
const typeContaining = (...names: string[]): Schema => ({
  type: "array",
  minItems: 1,
  items: str,
  contains: { enum: names },
});
/** An extensible enumeration: one of the terms, or an `ext:` term (spec `extending.md`). */
const extensibleEnum = (terms: readonly string[]): Schema => ({
  anyOf: [{ enum: terms }, { type: "string", pattern: "^(ext:)[a-zA-Z0-9.\\-_]+$" }],
});

const VC_V2 = "https://www.w3.org/ns/credentials/v2";
const OB_CONTEXT = "^https:\\/\\/purl\\.imsglobal\\.org\\/spec\\/ob\\/v3p0\\/context(-3\\.\\d\\.\\d)*\\.json$";

const ACHIEVEMENT_TYPES = [
  "Achievement",
  "ApprenticeshipCertificate",
  "Assessment",
  "Assignment",
  "AssociateDegree",
  "Award",
  "Badge",
  "BachelorDegree",
  "Certificate",
  "CertificateOfCompletion",
  "Certification",
  "CommunityService",
  "Competency",
  "Course",
  "CoCurricular",
  "Degree",
  "Diploma",
  "DoctoralDegree",
  "Fieldwork",
  "GeneralEducationDevelopment",
  "JourneymanCertificate",
  "LearningProgram",
  "License",
  "Membership",
  "ProfessionalDoctorate",
  "QualityAssuranceCredential",
  "MasterCertificate",
  "MasterDegree",
  "MicroCredential",
  "ResearchDoctorate",
  "SecondarySchoolDiploma",
];
const ALIGNMENT_TARGET_TYPES = [
  "ceasn:Competency",
  "ceterms:Credential",
  "CFItem",
  "CFRubric",
  "CFRubricCriterion",
  "CFRubricCriterionLevel",
  "CTDL",
];
const RESULT_TYPES = [
  "GradePointAverage",
  "LetterGrade",
  "Percent",
  "PerformanceLevel",
  "PredictedScore",
  "RawScore",
  "Result",
  "RubricCriterion",
  "RubricCriterionLevel",
  "RubricScore",
  "ScaledScore",
  "Status",
];
const RESULT_STATUS = ["Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"];

/** The VC members every OB 3.0 credential class shares, with the credential-specific ones passed in. */
const credentialProperties = (subject: string, types: Schema): Schema => ({
  "@context": {
    type: "array",
    minItems: 2,
    items: [{ enum: [VC_V2] }, { type: "string", pattern: OB_CONTEXT }],
    additionalItems: ref("Context"),
  },
  id: str,
  type: types,
  name: str,
  description: str,
  image: ref("Image"),
  awardedDate: dateTime,
  credentialSubject: ref(subject),
  endorsement: arrayOf(ref("EndorsementCredential")),
  endorsementJwt: arrayOf({ type: "string", pattern: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*$" }),
  evidence: arrayOf(ref("Evidence")),
  issuer: ref("ProfileRef"),
  validFrom: dateTime,
  validUntil: dateTime,
  proof: arrayOf(ref("Proof")),
  credentialSchema: arrayOf(ref("CredentialSchema")),
  credentialStatus: ref("CredentialStatus"),
  refreshService: ref("RefreshService"),
  termsOfUse: arrayOf(ref("TermsOfUse")),
});

const DEFS: Record<string, Schema> = {
  Context: { oneOf: [str, { type: "object" }] },
  ProfileRef: { oneOf: [str, ref("Profile")] },
  Profile: {
    type: "object",
    required: ["id", "type"],
    properties: {
      id: str,
      type: typeContaining("Profile"),
      name: str,
      url: str,
      phone: str,
      description: str,
      endorsement: arrayOf(ref("EndorsementCredential")),
      endorsementJwt: arrayOf(str),
      image: ref("Image"),
      email: str,
      address: ref("Address"),
      otherIdentifier: arrayOf(ref("IdentifierEntry")),
      official: str,
      parentOrg: ref("Profile"),
      familyName: str,
      givenName: str,
      additionalName: str,
      patronymicName: str,
      honorificPrefix: str,
      honorificSuffix: str,
      familyNamePrefix: str,
      dateOfBirth: { type: "string", format: "date" },
    },
  },
  Address: {
    type: "object",
    required: ["type"],
    properties: {
      type: typeContaining("Address"),
      addressCountry: str,
      addressCountryCode: str,
      addressRegion: str,
      addressLocality: str,
      streetAddress: str,
      postOfficeBoxNumber: str,
      postalCode: str,
      geo: ref("GeoCoordinates"),
    },
  },
  GeoCoordinates: {
    type: "object",
    required: ["type", "latitude", "longitude"],
    properties: { type: str, latitude: num, longitude: num },
  },
  Image: {
    type: "object",
    required: ["id", "type"],
    additionalProperties: false,
    properties: { id: str, type: { enum: ["Image"] }, caption: str },
  },
  IdentifierEntry: {
    type: "object",
    required: ["type", "identifier", "identifierType"],
    additionalProperties: false,
    properties: {
      type: { enum: ["IdentifierEntry"] },
      identifier: str,
      identifierType: extensibleEnum(OB3_IDENTIFIER_TYPES),
    },
  },
  IdentityObject: {
    type: "object",
    required: ["type", "hashed", "identityHash", "identityType"],
    additionalProperties: false,
    properties: {
      type: { enum: ["IdentityObject"] },
      hashed: { type: "boolean" },
      identityHash: str,
      identityType: extensibleEnum(OB3_IDENTIFIER_TYPES),
      salt: str,
    },
  },
  AchievementSubject: {
    type: "object",
    required: ["type", "achievement"],
    properties: {
      id: str,
      type: typeContaining("AchievementSubject"),
      activityEndDate: dateTime,
      activityStartDate: dateTime,
      creditsEarned: num,
      achievement: ref("Achievement"),
      identifier: arrayOf(ref("IdentityObject")),
      image: ref("Image"),
      licenseNumber: str,
      narrative: str,
      result: arrayOf(ref("Result")),
      role: str,
      source: ref("Profile"),
      term: str,
    },
  },
  Achievement: {
    type: "object",
    required: ["id", "type", "criteria", "description", "name"],
    properties: {
      id: str,
      type: typeContaining("Achievement"),
      alignment: arrayOf(ref("Alignment")),
      achievementType: extensibleEnum(ACHIEVEMENT_TYPES),
      creator: ref("Profile"),
      creditsAvailable: num,
      criteria: { type: "object", properties: { id: str, narrative: str } },
      description: str,
      endorsement: arrayOf(ref("EndorsementCredential")),
      endorsementJwt: arrayOf(str),
      fieldOfStudy: str,
      humanCode: str,
      image: ref("Image"),
      inLanguage: str,
      name: str,
      otherIdentifier: arrayOf(ref("IdentifierEntry")),
      related: arrayOf(ref("Related")),
      resultDescription: arrayOf(ref("ResultDescription")),
      specialization: str,
      tag: arrayOf(str),
      version: str,
    },
  },
  Alignment: {
    type: "object",
    required: ["type", "targetName", "targetUrl"],
    properties: {
      type: typeContaining("Alignment"),
      targetCode: str,
      targetDescription: str,
      targetName: str,
      targetFramework: str,
      targetType: extensibleEnum(ALIGNMENT_TARGET_TYPES),
      targetUrl: str,
    },
  },
  Related: {
    type: "object",
    required: ["id", "type"],
    properties: { id: str, type: typeContaining("Related"), inLanguage: str, version: str },
  },
  ResultDescription: {
    type: "object",
    required: ["id", "type", "name", "resultType"],
    properties: {
      id: str,
      type: typeContaining("ResultDescription"),
      alignment: arrayOf(ref("Alignment")),
      allowedValue: arrayOf(str),
      name: str,
      requiredLevel: str,
      requiredValue: str,
      resultType: extensibleEnum(RESULT_TYPES),
      rubricCriterionLevel: arrayOf(ref("RubricCriterionLevel")),
      valueMax: str,
      valueMin: str,
    },
  },
  RubricCriterionLevel: {
    type: "object",
    required: ["id", "type", "name"],
    properties: {
      id: str,
      type: typeContaining("RubricCriterionLevel"),
      alignment: arrayOf(ref("Alignment")),
      description: str,
      level: str,
      name: str,
      points: str,
    },
  },
  Result: {
    type: "object",
    required: ["type"],
    properties: {
      type: typeContaining("Result"),
      achievedLevel: str,
      alignment: arrayOf(ref("Alignment")),
      resultDescription: str,
      status: { enum: RESULT_STATUS },
      value: str,
    },
  },
  Evidence: {
    type: "object",
    required: ["type"],
    properties: {
      id: str,
      type: typeContaining("Evidence"),
      narrative: str,
      name: str,
      description: str,
      genre: str,
      audience: str,
    },
  },
  Proof: {
    type: "object",
    required: ["type"],
    properties: {
      type: str,
      created: dateTime,
      cryptosuite: str,
      challenge: str,
      domain: str,
      nonce: str,
      proofPurpose: str,
      proofValue: str,
      verificationMethod: str,
    },
  },
  CredentialSchema: { type: "object", required: ["id", "type"], properties: { id: str, type: str } },
  // `id` optional since OB 3.0 v1.4 (VCDM 2.0: a credentialStatus id is optional).
  CredentialStatus: { type: "object", required: ["type"], properties: { id: str, type: str } },
  RefreshService: { type: "object", required: ["id", "type"], properties: { id: str, type: str } },
  TermsOfUse: { type: "object", required: ["type"], properties: { id: str, type: str } },
  EndorsementSubject: {
    type: "object",
    required: ["id", "type"],
    properties: { id: str, type: typeContaining("EndorsementSubject"), endorsementComment: str },
  },
  EndorsementCredential: {
    type: "object",
    required: ["@context", "type", "id", "name", "credentialSubject", "issuer", "validFrom"],
    properties: credentialProperties("EndorsementSubject", {
      allOf: [typeContaining("VerifiableCredential"), typeContaining("EndorsementCredential")],
    }),
  },
};

/** AchievementCredential / OpenBadgeCredential: the root schema. */
const ACHIEVEMENT_CREDENTIAL: Schema = {
  $id: "urn:edc-gateway:ob3:achievementcredential",
  type: "object",
  required: ["@context", "id", "type", "credentialSubject", "issuer", "validFrom"],
  properties: credentialProperties("AchievementSubject", {
    allOf: [typeContaining("VerifiableCredential"), typeContaining("AchievementCredential", "OpenBadgeCredential")],
  }),
  $defs: DEFS,
};

/** EndorsementCredential as a document of its own (the endorsement's JSON Schema). */
const ENDORSEMENT_CREDENTIAL: Schema = {
  $id: "urn:edc-gateway:ob3:endorsementcredential",
  $ref: "#/$defs/EndorsementCredential",
  $defs: DEFS,
};

const SCHEMAS = { achievement: ACHIEVEMENT_CREDENTIAL, endorsement: ENDORSEMENT_CREDENTIAL };

/**
 * Validators compiled on first use, once per process: compiling both at import added ~0.1–0.3 s to the cold start
 * of every function bundling the verifier, including those that never verify.
 */
let ajv: InstanceType<typeof Ajv2019.default> | undefined;
const validators = new Map<Ob3SchemaKind, ValidateFunction>();

function validatorFor(kind: Ob3SchemaKind): ValidateFunction {
  let validate = validators.get(kind);
  if (validate === undefined) {
    if (ajv === undefined) {
      ajv = new Ajv2019.default({ strict: false, allErrors: true });
      addFormats.default(ajv);
    }
    validate = ajv.compile(SCHEMAS[kind]);
    validators.set(kind, validate);
  }
  return validate;
}

/** One rule a document breaks: where (a JSON Pointer into the credential) and what. */
export interface SchemaIssue {
  pointer: string;
  message: string;
  /** Set when the only fault is a single value where the schema wants an array (JSON-LD compaction writes that). */
  singleValue?: boolean;
}

/** Which OB 3.0 credential schema applies: the endorsement one for an EndorsementCredential. */
export type Ob3SchemaKind = keyof typeof SCHEMAS;

/**
 * The OB 3.0 JSON Schema issues of a document (empty when it is valid). `singleValue` marks an issue that is only
 * "must be array" for a property holding one value: the OB 3.0 schemas from v1.3 on accept what JSON-LD 1.1
 * compaction writes there, the July 2024 schema (which these rules follow) does not.
 */
export function ob3SchemaIssues(document: unknown, kind: Ob3SchemaKind = "achievement"): SchemaIssue[] {
  const validate = validatorFor(kind);
  if (validate(document)) return [];
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of validate.errors ?? []) {
    const message = error.message ?? error.keyword;
    const key = `${error.instancePath} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const singleValue =
      error.keyword === "type" && (error.params as { type?: unknown }).type === "array" && message === "must be array";
    issues.push({ pointer: error.instancePath, message, ...(singleValue ? { singleValue: true } : {}) });
  }
  return issues;
}

/**
 * Whether the document is valid once each single value the schema wants as an array is read as an array of one
 * (JSON-LD's reading). Used to tell a compacted-but-sound credential from a broken one.
 */
export function ob3ValidAsArrays(document: unknown, kind: Ob3SchemaKind = "achievement"): SchemaIssue[] {
  // No copy up front: the validator only reads (no defaults, coercion or removal) and wrapAt copies what it changes.
  let current: unknown = document;
  for (let round = 0; round < 8; round++) {
    const issues = ob3SchemaIssues(current, kind);
    const single = issues.filter((i) => i.singleValue);
    if (single.length === 0) return issues;
    for (const issue of single) current = wrapAt(current, issue.pointer);
  }
  return ob3SchemaIssues(current, kind);
}

/** `document` with the value at `pointer` wrapped in an array (a copy where it changes). */
function wrapAt(document: unknown, pointer: string): unknown {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const wrap = (node: unknown, i: number): unknown => {
    if (i === parts.length) return Array.isArray(node) ? node : [node];
    const key = parts[i] as string;
    if (Array.isArray(node)) {
      const index = Number(key);
      return node.map((v, j) => (j === index ? wrap(v, i + 1) : v));
    }
    if (typeof node === "object" && node !== null) {
      const record = node as Record<string, unknown>;
      return { ...record, [key]: wrap(record[key], i + 1) };
    }
    return node;
  };
  return wrap(document, 0);
}
