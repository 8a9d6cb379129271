/**
 * JSON Schemas (2020-12) of the API's request parts. The same objects drive request validation (ajv) and the OpenAPI
 * 3.1 document, so the two cannot drift apart.
 */
import { FORMATS, OUTPUT_FORMATS, PROOF_SUITES } from "../../mappings/formats.js";
import { REGISTRY_FORMATS } from "../../mappings/registry/formats.js";

import type { JsonSchema } from "./json-schema.js";
import {
  columnOverrides,
  convertOptions,
  spreadsheetReaderOptions,
  VC_API_CHECKS,
  VC_API_ISSUE_OPTIONS,
} from "./option-schemas.js";

export type { JsonSchema };

const KEY_TYPES = ["Ed25519", "P-256", "RSA-2048"] as const;

/** A credential document: a JSON object or a string (XML, CSV, base64 XLSX, VC-JWT). */
const document: JsonSchema = {
  description: "The input: a JSON object, or a string holding XML, CSV, base64-encoded XLSX or a VC-JWT.",
  anyOf: [{ type: "object" }, { type: "string", minLength: 1 }],
};

/** `{path, <text>}`: a loss, warning, derived value or violation. */
const pathAndText = (text: string): JsonSchema => ({
  type: "object",
  required: ["path", text],
  properties: { path: { type: "string" }, [text]: { type: "string" } },
});

export const idParam: JsonSchema = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", minLength: 1, maxLength: 200 } },
};

export const schemas = {
  registerIssuer: {
    type: "object",
    additionalProperties: false,
    required: ["name", "country"],
    properties: {
      name: { type: "string", minLength: 1, maxLength: 500, description: "Legal name of the awarding body." },
      country: {
        type: "string",
        pattern: "^[A-Z]{2}$",
        description: "ISO 3166-1 alpha-2 code of the country the issuer is established in.",
      },
      legalIdentifier: {
        type: "string",
        minLength: 1,
        maxLength: 200,
        description:
          "The issuer's legal number (VAT, trade register...): its seal certificates' organizationIdentifier, which " +
          "becomes the eIDASIdentifier EDC requires of every sealed ELM credential's issuer. Without it (or " +
          "testIssuer), the issuer cannot seal ELM.",
      },
      testIssuer: {
        type: "boolean",
        description:
          "Local mode: declare a test issuer without a legal identifier; its test certificates carry the test " +
          "identifier XT:{country}-TEST-{slug} as organizationIdentifier (a local-scheme form of ETSI EN 319 412-1 " +
          "5.1.4 naming no register), so its ELM seals verify (never trusted).",
      },
      homepage: { type: "string", format: "uri", pattern: "^https?://", maxLength: 2000 },
      email: { type: "string", format: "email", maxLength: 320 },
      slug: {
        type: "string",
        pattern: "^[a-z0-9][a-z0-9-]{1,62}$",
        description: "Short id used in the issuer's URLs; generated when absent.",
      },
      didMethod: {
        enum: ["web", "key"],
        default: "web",
        description: "`web` (default): did:web under the gateway's host; `key`: did:key of the Ed25519 key.",
      },
      keyTypes: {
        type: "array",
        items: { enum: KEY_TYPES },
        uniqueItems: true,
        minItems: 1,
        description: "Key types to create; default all the backend supports.",
      },
    },
  },
  rotateKey: {
    type: "object",
    additionalProperties: false,
    required: ["type"],
    properties: { type: { enum: KEY_TYPES, description: "The kind of key to add; it becomes the one that signs." } },
  },
  convert: {
    type: "object",
    additionalProperties: false,
    required: ["to", "document"],
    properties: {
      to: { enum: [...OUTPUT_FORMATS] },
      from: { enum: [...FORMATS] },
      document,
      options: convertOptions,
      attest: {
        type: "boolean",
        description:
          "Verify the source first, then sign the conversion with the gateway's bridge issuer (needs a bearer token).",
      },
    },
  },
  /** The answer of `POST /v1/convert` (documented in OpenAPI; the use case's `ConvertOutput`). */
  convertResponse: {
    type: "object",
    required: ["from", "to", "results"],
    properties: {
      from: { enum: [...FORMATS] },
      to: { enum: [...OUTPUT_FORMATS] },
      results: {
        type: "array",
        items: {
          type: "object",
          required: ["document", "losses", "warnings", "derived", "conformance"],
          properties: {
            document: { description: "The written credential (JSON, or XML text for ELMO)." },
            losses: {
              type: "array",
              description: "Source values the output does not carry: `path` into the input (JSON Pointer, XPath).",
              items: pathAndText("reason"),
            },
            warnings: { type: "array", items: pathAndText("message") },
            derived: {
              type: "array",
              description:
                "Values the output holds that the source does not (generated ids, the time of writing, options.fill): `path` into the output.",
              items: pathAndText("reason"),
            },
            conformance: {
              type: "object",
              required: ["rules", "conforms", "violations"],
              properties: {
                rules: {
                  type: "string",
                  description:
                    "The target's rules checked: the EDC SHACL constraints (ELM), the OB 3.0 JSON Schema, the ELMO 2.0 XSD; `none` when the gateway holds none.",
                },
                conforms: { type: ["boolean", "null"], description: "null: no rules were checked." },
                violations: {
                  type: "array",
                  description: "`path` into the output: a JSON Pointer (ELM, OB 3.0) or an XPath (ELMO).",
                  items: pathAndText("message"),
                },
                sealing: {
                  type: "array",
                  description: "ELM: what the rules want that sealing sets (not counted against `conforms`).",
                  items: pathAndText("message"),
                },
              },
            },
          },
        },
      },
      rowErrors: {
        type: "array",
        description: "Spreadsheet rows left out: `row` as the spreadsheet numbers it, `path` into the document.",
        items: {
          type: "object",
          required: ["row", "path", "message"],
          properties: { row: { type: "integer" }, path: { type: "string" }, message: { type: "string" } },
        },
      },
      profile: {
        type: "object",
        required: ["name", "columns"],
        description: "Spreadsheets: the column profile that read the header row, and which column went where.",
        properties: {
          name: { type: "string" },
          columns: { type: "object", additionalProperties: { type: "string" } },
          fixed: { type: "array", items: { type: "string" } },
        },
      },
      unmapped: {
        type: "array",
        items: { type: "string" },
        description: "Spreadsheets: headers no column rule maps (their cells are reported as losses).",
      },
      ignored: {
        type: "array",
        items: { type: "string" },
        description: "Spreadsheets: headers `options.columns` named `ignore` (their cells are not read).",
      },
      attestation: {
        type: "object",
        required: ["issuer", "proof", "verification"],
        description: "`attest: true`: the bridge issuer that signed, its proof, and the source's verification.",
        properties: {
          issuer: { type: "string" },
          proof: { enum: ["jades", "eddsa-rdfc-2022"] },
          verification: { type: "object" },
        },
      },
    },
  },
  check: {
    type: "object",
    additionalProperties: false,
    required: ["document"],
    properties: {
      from: { enum: [...FORMATS] },
      document,
      options: { type: "object", additionalProperties: false, properties: { columns: columnOverrides } },
    },
  },
  issue: {
    type: "object",
    required: ["credential"],
    properties: {
      credential: { type: "object" },
      options: {
        type: "object",
        // The gateway's members and the W3C VC API's IssueCredentialOptions (closed there too); anything else is a
        // misspelt or foreign option that would be silently ignored, so it is refused naming the member.
        additionalProperties: false,
        properties: {
          ...VC_API_ISSUE_OPTIONS,
          issuer: { type: "string", minLength: 1 },
          format: {
            enum: ["ob3", "elm", "sd-jwt-vc"],
            description: "sd-jwt-vc: an SD-JWT VC (dc+sd-jwt, ES256) of the Annex I elements, for EUDI wallets",
          },
          proof: { enum: [...PROOF_SUITES] },
          holderKey: {
            type: "object",
            description: "sd-jwt-vc: the holder's public JWK (EC P-256 or OKP Ed25519), bound as cnf.jwk",
          },
          status: {
            type: "boolean",
            description: "false: no credentialStatus entry (default true for OB3 / W3C; ELM never gets one)",
          },
          suspension: {
            type: "boolean",
            description:
              "true: a suspension BitstringStatusListEntry as well as the revocation one, so the credential can be " +
              "suspended and reinstated (POST /v1/credentials/{id}/revoke with action suspend / unsuspend); plain " +
              "W3C credentials only (OB 3.0 allows one credentialStatus)",
          },
        },
      },
    },
  },
  verify: {
    type: "object",
    required: ["verifiableCredential"],
    properties: {
      verifiableCredential: {
        anyOf: [{ type: "object" }, { type: "string", minLength: 1 }],
        description:
          "A JSON-LD credential, a VC-JWT, a JAdES envelope, EDC's upload wrapper, or an Open Badges baked image " +
          "(data:image/png / data:image/svg+xml URL, base64 PNG or SVG text) whose baked credential is verified; " +
          "or an SD-JWT VC (`<jwt>~<disclosures>~[<kb-jwt>]`).",
      },
      options: {
        type: "object",
        // Open, as the VC API's verify options are ("Implementations MAY extend this object"): its test suites send
        // members (`checks`) that select checks this gateway always runs.
        additionalProperties: true,
        description: "Read: `challenge`, `domain`. Other members (VC API extensions) are accepted and not read.",
        properties: {
          challenge: { type: "string", minLength: 1, description: "SD-JWT VC: the Key Binding JWT's expected nonce" },
          domain: { type: "string", minLength: 1, description: "SD-JWT VC: the Key Binding JWT's expected aud" },
          checks: VC_API_CHECKS,
        },
      },
    },
  },
  putTrustedIssuers: {
    type: "object",
    additionalProperties: false,
    required: ["issuers"],
    properties: {
      issuers: {
        type: "array",
        maxItems: 1_000,
        items: {
          type: "object",
          additionalProperties: false,
          properties: {
            id: { type: "string", minLength: 1, maxLength: 2000, description: "Issuer DID or URL." },
            verificationMethod: { type: "string", minLength: 1, maxLength: 2000, description: "A key id." },
            jwkThumbprint: {
              type: "string",
              pattern: "^[A-Za-z0-9_-]{43}$",
              description: "RFC 7638 SHA-256 JWK thumbprint, base64url.",
            },
            name: { type: "string", minLength: 1, maxLength: 500 },
          },
        },
      },
    },
  },
  putTrustedRoots: {
    type: "object",
    additionalProperties: false,
    required: ["certificates"],
    properties: {
      certificates: {
        type: "array",
        maxItems: 1_000,
        items: { type: "string", minLength: 1, maxLength: 64 * 1024, description: "PEM or base64 DER." },
      },
    },
  },
  importTrustedList: {
    type: "object",
    additionalProperties: false,
    required: ["xml"],
    properties: {
      xml: { type: "string", minLength: 1, description: "The trusted list or LOTL, as XML text." },
    },
  },
  trustedListParams: {
    type: "object",
    required: ["territory"],
    properties: {
      territory: { type: "string", pattern: "^[A-Z]{2}$", description: "SchemeTerritory: EU (the LOTL) or a state." },
    },
  },
  verifyPresentation: {
    type: "object",
    required: ["verifiablePresentation"],
    properties: {
      verifiablePresentation: { anyOf: [{ type: "object" }, { type: "string", minLength: 1 }] },
      options: {
        type: "object",
        // Open, as the VC API's VerifyPresentationOptions is (`additionalProperties: true`, "Implementations MAY extend").
        additionalProperties: true,
        description:
          "Read: `challenge`, `domain`. Other members (VC API extensions) are accepted and not read; the answer never " +
          "holds the presentation.",
        properties: {
          challenge: {
            type: "string",
            minLength: 1,
            description:
              "The challenge the presentation's proof must hold (Data Integrity `challenge`, VP-JWT `nonce`).",
          },
          domain: {
            type: "string",
            minLength: 1,
            description: "The domain the presentation's proof must hold (Data Integrity `domain`, VP-JWT `aud`).",
          },
          checks: VC_API_CHECKS,
          returnPresentation: {
            type: "boolean",
            description: "VC API: accepted; the presentation is not returned (the VC API's default).",
          },
        },
      },
    },
  },
  revoke: {
    type: "object",
    additionalProperties: false,
    properties: {
      purpose: {
        enum: ["revocation", "suspension"],
        description:
          "The status list acted on; by default the action's (revoke: revocation; suspend, unsuspend: suspension)",
      },
      action: { enum: ["revoke", "suspend", "unsuspend"], default: "revoke" },
      reason: { type: "string", maxLength: 1000 },
    },
  },
  certificate: {
    type: "object",
    additionalProperties: false,
    required: ["chain"],
    properties: {
      chain: {
        type: "array",
        minItems: 1,
        maxItems: 10,
        items: { type: "string", minLength: 1 },
        description: "The eSeal certificate chain, leaf first, as PEM or base64 DER.",
      },
    },
  },
  job: {
    type: "object",
    additionalProperties: false,
    required: ["from", "options"],
    properties: {
      from: { enum: [...FORMATS] },
      document,
      upload: { type: "boolean", description: "Ask for a pre-signed upload URL instead of sending `document`." },
      options: {
        type: "object",
        required: ["issuer", "format"],
        // The job's own members and the spreadsheet reader's: anything else would be silently ignored.
        additionalProperties: false,
        properties: {
          ...spreadsheetReaderOptions,
          profile: {
            description:
              "CSV / XLSX source: its column profile, a built-in name or a profile object (docs/formats.md); detected from the header row when absent.",
            anyOf: [{ type: "string", minLength: 1 }, { type: "object" }],
          },
          issuer: { type: "string", minLength: 1 },
          format: {
            enum: ["ob3", "elm", "sd-jwt-vc"],
            description:
              "What each row is issued as; sd-jwt-vc: an SD-JWT VC for EU Digital Identity Wallets (rows read as ELM)",
          },
          proof: { enum: [...PROOF_SUITES] },
          columns: columnOverrides,
          issue: {
            type: "boolean",
            description: "Registry batch: false converts each record without issuing it (default true).",
          },
          deliver: {
            type: "boolean",
            description: "Registry batch: deliver each issued record to the learner's Europass wallet (format elm).",
          },
          sendEmail: { type: "boolean", description: "Registry batch: whether the wallet e-mails the learner." },
          dryRun: {
            type: "boolean",
            description:
              "Preview: answer 200 with, per row, the mapped values, the Annex I report and the format's conformance " +
              "(or the row's errors), signing and storing nothing.",
          },
          suspension: {
            type: "boolean",
            description:
              "Passed to each row's issuance (see the issue route's options.suspension); refused (422) for the formats " +
              "whose credentials take no suspension entry: OB 3.0 (one credentialStatus) and ELM (JAdES-sealed)",
          },
        },
      },
    },
  },
  delivery: {
    type: "object",
    additionalProperties: false,
    required: ["recipient"],
    properties: {
      credential: { type: "object", description: "The sealed credential (JAdES envelope or JSON-LD) to deposit." },
      credentialId: { type: "string", minLength: 1, maxLength: 500 },
      recipient: {
        type: "object",
        additionalProperties: false,
        properties: {
          email: { type: "string", format: "email", maxLength: 320 },
          walletId: { type: "string", minLength: 1, maxLength: 200 },
        },
        minProperties: 1,
        maxProperties: 1,
      },
      sendEmail: { type: "boolean" },
    },
  },
  importCredential: {
    type: "object",
    additionalProperties: false,
    properties: {
      shareLink: { type: "string", format: "uri", maxLength: 2000 },
      walletId: { type: "string", minLength: 1, maxLength: 200 },
      bearerToken: { type: "string", minLength: 1, maxLength: 8192 },
      credentialId: { type: "string", minLength: 1, maxLength: 500 },
      to: { enum: [...OUTPUT_FORMATS] },
      verify: { type: "boolean" },
    },
  },
  registryImport: {
    type: "object",
    additionalProperties: false,
    properties: {
      source: {
        enum: ["file", "deqar-api"],
        description: "`file` (default): `document`; `deqar-api`: the DEQAR Web API.",
      },
      format: { enum: [...REGISTRY_FORMATS], description: "The document's format; recognised when absent." },
      document: {
        description: "DEQAR Web API JSON, Europass accreditation JSON (object or array), or QDR / AMS XML text.",
        anyOf: [{ type: "object" }, { type: "array" }, { type: "string", minLength: 1 }],
      },
      country: { type: "string", minLength: 2, maxLength: 100, description: "deqar-api: DEQAR's country filter." },
      scope: {
        type: "string",
        pattern: "^[A-Za-z0-9._:-]{1,64}$",
        description: "file: names what the file is; a later import of the same scope replaces what this one said.",
      },
      maxReports: { type: "integer", minimum: 1, maximum: 100000 },
      maxInstitutions: { type: "integer", minimum: 1, maximum: 100000 },
    },
  },
  registryMatch: {
    type: "object",
    additionalProperties: false,
    required: ["awardingBody"],
    properties: {
      awardingBody: {
        type: "object",
        additionalProperties: false,
        minProperties: 1,
        properties: {
          id: { type: "string", minLength: 1, maxLength: 500 },
          legalIdentifier: { type: "string", minLength: 1, maxLength: 200 },
          schac: { type: "string", minLength: 1, maxLength: 253 },
          name: { type: "string", minLength: 1, maxLength: 500 },
          country: { type: "string", minLength: 2, maxLength: 100 },
          homepage: { type: "string", minLength: 1, maxLength: 2000 },
        },
      },
    },
  },
} as const satisfies Record<string, JsonSchema>;

/** A check of a verification result; a check in error also says why in plain words (`reason`). */
const verificationCheckSchema: JsonSchema = {
  type: "object",
  required: ["check", "status", "detail"],
  properties: {
    check: { type: "string" },
    status: { enum: ["ok", "error", "skipped"] },
    detail: { type: "string", description: "The technical account of the check." },
    reason: { type: "string", description: "A check in error: why, in one plain sentence." },
  },
};

/** The answer of `POST /v1/credentials/verify` (and its W3C VC API alias). */
export const verificationResultSchema: JsonSchema = {
  type: "object",
  required: ["verified", "verdict", "checks", "warnings", "errors"],
  properties: {
    verified: {
      type: "boolean",
      description: "No check in error (format, proof, validity, status, ...): what the W3C VC API test suites read.",
    },
    verdict: {
      type: "object",
      required: ["status", "summary"],
      description:
        "What a person should conclude, trust included: valid-trusted (verified and a trust source confirms the " +
        "issuer), valid-issuer-unknown (verified, but nothing confirms who the issuer is), invalid.",
      properties: {
        status: { enum: ["valid-trusted", "valid-issuer-unknown", "invalid"] },
        summary: { type: "string", description: "One plain sentence." },
      },
    },
    checks: { type: "array", items: verificationCheckSchema },
    warnings: { type: "array", items: { type: "string" } },
    errors: { type: "array", items: { type: "string" } },
  },
};

export const problemSchema: JsonSchema = {
  type: "object",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    code: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["pointer", "detail"],
        properties: { pointer: { type: "string" }, detail: { type: "string" } },
      },
    },
  },
};
