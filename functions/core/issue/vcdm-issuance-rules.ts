/**
 * The VC Data Model rules the issuer enforces before it signs a plain W3C or OB 3.0 credential: one typed row per
 * normative statement, quoted from the specification it comes from (VCDM 2.0 Recommendation; VCDM 1.1 for the rules
 * only a 1.1 credential has). A credential is a VCDM 2.0 one when its first `@context` is the 2.0 base context, a
 * VCDM 1.1 one when it is the 1.1 context; each row says which of the two it applies to. Pointers are relative to the
 * credential (`/credentialSubject/1`); the caller roots them in the request.
 */

import { isRecord } from "../../../lib/guards.js";

export const VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1";
export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

export type DataModel = "v1.1" | "v2.0";

export interface RuleIssue {
  pointer: string;
  detail: string;
}

export interface IssuanceRule {
  id: string;
  /** Where the statement is: specification and section. */
  source: string;
  /** The normative sentence the rule enforces, as the specification words it. */
  statement: string;
  /** The data models whose credentials the rule applies to. */
  models: readonly DataModel[];
  check(credential: Record<string, unknown>): RuleIssue[];
}

const BOTH: readonly DataModel[] = ["v1.1", "v2.0"];
const V2: readonly DataModel[] = ["v2.0"];

const isUrl = (value: unknown): value is string => typeof value === "string" && URL.canParse(value);
const issue = (pointer: string, detail: string): RuleIssue[] => [{ pointer, detail }];
/** A member's values with their pointers: one value at `/name`, a list's items at `/name/i`. */
const valuesOf = (credential: Record<string, unknown>, name: string): { value: unknown; at: string }[] => {
  const value = credential[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map((v, i) => ({ value: v, at: `/${name}/${i}` })) : [{ value, at: `/${name}` }];
};

/** XML Schema 1.1 dateTimeStamp (a date-time with a time zone offset), the form VCDM 2.0 requires. */
const DATE_TIME_STAMP =
  /^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|(24:00:00(\.0+)?))(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

const dateTimeStamp = (credential: Record<string, unknown>, name: string): RuleIssue[] => {
  const value = credential[name];
  if (value === undefined) return [];
  return typeof value === "string" && DATE_TIME_STAMP.test(value) && !Number.isNaN(Date.parse(value))
    ? []
    : issue(`/${name}`, `${name} must be an XML Schema dateTimeStamp (a date-time with a time zone offset)`);
};

/** A member whose every value is an object with a `type`. */
const typed =
  (name: string, alsoId = false) =>
  (credential: Record<string, unknown>) =>
    valuesOf(credential, name).flatMap(({ value, at }) => {
      if (!isRecord(value) || value.type === undefined) return issue(at, `each ${name} value needs a type`);
      if (alsoId && !isUrl(value.id)) return issue(at, `each ${name} value needs an id that is a URL`);
      return [];
    });

/** SRI hash-expression: a hash algorithm and the base64 digest (W3C Subresource Integrity §3.5), space separated. */
const SRI = /^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}(\?[\x21-\x7e]*)?$/;
/** Multibase (base64url-nopad `u` or base58btc `z`) of a multihash. */
const MULTIBASE = /^(u[A-Za-z0-9_-]+|z[1-9A-HJ-NP-Za-km-z]+)$/;

const digestIssues = (resource: Record<string, unknown>, at: string): RuleIssue[] => {
  const out: RuleIssue[] = [];
  if (resource.digestSRI !== undefined) {
    const values = Array.isArray(resource.digestSRI) ? resource.digestSRI : [resource.digestSRI];
    const ok = values.every(
      (v) =>
        typeof v === "string" &&
        v
          .trim()
          .split(/\s+/)
          .every((h) => SRI.test(h)),
    );
    if (!ok) out.push({ pointer: `${at}/digestSRI`, detail: "digestSRI must be SRI hash-expressions (sha384-…)" });
  }
  if (resource.digestMultibase !== undefined) {
    const values = Array.isArray(resource.digestMultibase) ? resource.digestMultibase : [resource.digestMultibase];
    if (!values.every((v) => typeof v === "string" && MULTIBASE.test(v))) {
      out.push({ pointer: `${at}/digestMultibase`, detail: "digestMultibase must be multibase-encoded multihashes" });
    }
  }
  return out;
};

export const ISSUANCE_RULES: readonly IssuanceRule[] = [
  {
    id: "id-url",
    source: "VCDM 2.0 §4.4 Identifiers",
    statement:
      "The id property is OPTIONAL. If present, the value of the id property MUST be a single URL, which MAY be dereferenceable.",
    models: BOTH,
    check: (c) => (c.id === undefined || isUrl(c.id) ? [] : issue("/id", "id, when present, must be a single URL")),
  },
  {
    id: "type-values",
    source: "VCDM 2.0 §4.5 Types",
    statement:
      "Verifiable credentials and verifiable presentations MUST contain a type property with an associated value. " +
      "The value of the type property MUST be one or more terms and/or absolute URL strings.",
    models: BOTH,
    check: (c) => {
      const types = Array.isArray(c.type) ? c.type : [c.type];
      return types.length > 0 && types.every((t) => typeof t === "string" && t.length > 0)
        ? []
        : issue("/type", "type must be one or more terms or URLs");
    },
  },
  {
    id: "type-verifiable-credential",
    source: "VCDM 2.0 §4.5 Types (table of objects that MUST have a type)",
    statement:
      "Verifiable credential object: VerifiableCredential and, optionally, a more specific verifiable credential type.",
    models: BOTH,
    check: (c) =>
      (Array.isArray(c.type) ? c.type : [c.type]).includes("VerifiableCredential")
        ? []
        : issue("/type", "type must include VerifiableCredential"),
  },
  {
    id: "credential-subject-present",
    source: "VCDM 2.0 §4.8 Credential Subject",
    statement: "A verifiable credential MUST contain a credentialSubject property.",
    models: BOTH,
    check: (c) =>
      c.credentialSubject === undefined ? issue("/credentialSubject", "credentialSubject is missing") : [],
  },
  {
    id: "credential-subject-claims",
    source: "VCDM 2.0 §4.8 Credential Subject",
    statement:
      "The value of the credentialSubject property is a set of objects where each object MUST be the subject of one " +
      "or more claims, which MUST be serialized inside the credentialSubject property.",
    models: BOTH,
    check: (c) => {
      const subject = c.credentialSubject;
      if (subject === undefined) return [];
      if (Array.isArray(subject) && subject.length === 0) {
        return issue("/credentialSubject", "credentialSubject must hold at least one subject");
      }
      return valuesOf(c, "credentialSubject").flatMap(({ value, at }) =>
        isRecord(value) && Object.keys(value).length > 0
          ? []
          : issue(at, "each credentialSubject must be an object making at least one claim"),
      );
    },
  },
  {
    id: "credential-status-type",
    source: "VCDM 2.0 §4.10 Status",
    statement:
      "The type property is REQUIRED. It is used to express the type of status information expressed by the object.",
    models: BOTH,
    check: typed("credentialStatus"),
  },
  {
    id: "credential-schema-type-id",
    source: "VCDM 2.0 §4.11 Data Schemas",
    statement:
      "Each credentialSchema MUST specify its type (for example, JsonSchema), and an id property that MUST be a URL " +
      "identifying the schema file.",
    models: BOTH,
    check: typed("credentialSchema", true),
  },
  {
    id: "refresh-service-type",
    source: "VCDM 2.0 §5.4 Refreshing",
    statement: "Each refreshService value MUST specify its type.",
    models: BOTH,
    check: typed("refreshService"),
  },
  {
    id: "terms-of-use-type",
    source: "VCDM 2.0 §5.5 Terms of Use",
    statement:
      "Each termsOfUse value MUST specify its type, for example, IssuerPolicy, and MAY specify its instance id.",
    models: BOTH,
    check: typed("termsOfUse"),
  },
  {
    id: "evidence-type",
    source: "VCDM 2.0 §4.5 Types (table) and §5.6 Evidence",
    statement: "evidence object: A valid evidence type.",
    models: BOTH,
    check: typed("evidence"),
  },
  {
    id: "valid-from-datetimestamp",
    source: "VCDM 2.0 §4.9 Validity Period",
    statement:
      "If present, the value of the validFrom property MUST be an [XMLSCHEMA11-2] dateTimeStamp string value " +
      "representing the date and time the credential becomes valid, which could be a date and time in the future or in the past.",
    models: V2,
    check: (c) => dateTimeStamp(c, "validFrom"),
  },
  {
    id: "valid-until-datetimestamp",
    source: "VCDM 2.0 §4.9 Validity Period",
    statement:
      "If present, the value of the validUntil property MUST be an [XMLSCHEMA11-2] dateTimeStamp string value " +
      "representing the date and time the credential ceases to be valid, which could be a date and time in the past or in the future.",
    models: V2,
    check: (c) => dateTimeStamp(c, "validUntil"),
  },
  {
    id: "validity-order",
    source: "VCDM 2.0 §4.9 Validity Period",
    statement:
      "If a validUntil value also exists, the validFrom value MUST express a datetime that is temporally the same or " +
      "earlier than the datetime expressed by the validUntil value.",
    models: V2,
    check: (c) => {
      const from = typeof c.validFrom === "string" ? Date.parse(c.validFrom) : Number.NaN;
      const until = typeof c.validUntil === "string" ? Date.parse(c.validUntil) : Number.NaN;
      return until < from ? issue("/validUntil", "validUntil is before validFrom") : [];
    },
  },
  {
    id: "related-resource-objects",
    source: "VCDM 2.0 §5.3 Integrity of Related Resources",
    statement: "The value of the relatedResource property MUST be one or more objects of the following form: …",
    models: V2,
    check: (c) =>
      valuesOf(c, "relatedResource").flatMap(({ value, at }) =>
        isRecord(value) ? [] : issue(at, "each relatedResource must be an object"),
      ),
  },
  {
    id: "related-resource-id",
    source: "VCDM 2.0 §5.3 Integrity of Related Resources",
    statement:
      "The identifier for the resource is REQUIRED and conforms to the format defined in Section 4.4 Identifiers. " +
      "The value MUST be unique among the list of related resource objects.",
    models: V2,
    check: (c) => {
      const seen = new Set<string>();
      return valuesOf(c, "relatedResource").flatMap(({ value, at }) => {
        if (!isRecord(value)) return [];
        if (!isUrl(value.id)) return issue(`${at}/id`, "each relatedResource needs an id that is a URL");
        if (seen.has(value.id)) return issue(`${at}/id`, `${value.id} is listed twice in relatedResource`);
        seen.add(value.id);
        return [];
      });
    },
  },
  {
    id: "related-resource-digest",
    source: "VCDM 2.0 §5.3 Integrity of Related Resources",
    statement:
      "Each object associated with relatedResource MUST contain at least a digestSRI or a digestMultibase value.",
    models: V2,
    check: (c) =>
      valuesOf(c, "relatedResource").flatMap(({ value, at }) => {
        if (!isRecord(value)) return [];
        if (value.digestSRI === undefined && value.digestMultibase === undefined) {
          return issue(at, "each relatedResource needs a digestSRI or a digestMultibase");
        }
        return digestIssues(value, at);
      }),
  },
  {
    id: "issuance-date-present",
    source: "VCDM 1.1 §4.6 Issuance Date",
    statement: "A credential MUST have an issuanceDate property.",
    models: ["v1.1"],
    check: (c) =>
      typeof c.issuanceDate === "string" && !Number.isNaN(Date.parse(c.issuanceDate))
        ? []
        : issue("/issuanceDate", "a VCDM 1.1 credential needs an issuanceDate (a date-time)"),
  },
];

/** The data model of a credential by its first `@context`; undefined when it is neither base context. */
export function dataModelOf(credential: Record<string, unknown>): DataModel | undefined {
  const first = Array.isArray(credential["@context"]) ? credential["@context"][0] : credential["@context"];
  if (first === VC_V2_CONTEXT) return "v2.0";
  if (first === VC_V1_CONTEXT) return "v1.1";
  return undefined;
}

/** Every rule the credential breaks, with the rule's id; a credential of neither data model breaks the first. */
export function issuanceRuleIssues(credential: Record<string, unknown>): (RuleIssue & { rule: string })[] {
  const model = dataModelOf(credential);
  if (model === undefined) {
    return [
      {
        rule: "context-base",
        pointer: "/@context",
        detail: `the first @context must be ${VC_V2_CONTEXT} (VCDM 2.0) or ${VC_V1_CONTEXT} (VCDM 1.1)`,
      },
    ];
  }
  return ISSUANCE_RULES.filter((r) => r.models.includes(model)).flatMap((r) =>
    r.check(credential).map((i) => ({ ...i, rule: r.id })),
  );
}
