/**
 * JSON Schemas of the API's answers (OpenAPI 3.1 response schemas), from the routes' contract and, for the standard
 * documents, the members their specifications require. Answers may carry more than these members.
 */
import type { JsonSchema } from "./schemas.js";

export const str: JsonSchema = { type: "string", minLength: 1 };
/** Standard documents are open: their specifications let them carry members beyond those named here. */
export const open = { additionalProperties: true } as const;
export const dateTime: JsonSchema = { type: "string", format: "date-time" };

/** RFC 7517 §5: a JWK Set is an object whose `keys` member is an array of JWKs, each with `kty` (§4.1). */
const jwks: JsonSchema = {
  type: "object",
  required: ["keys"],
  properties: {
    keys: { type: "array", items: { type: "object", required: ["kty"], properties: { kty: str }, ...open } },
  },
};

/** DID Core §5.1.1: a DID document's `id` is the DID; verification methods have id, type and controller (§5.2). */
const didDocument: JsonSchema = {
  type: "object",
  required: ["id"],
  properties: {
    id: { type: "string", pattern: "^did:" },
    verificationMethod: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "type", "controller"],
        properties: { id: str, type: str, controller: str },
        ...open,
      },
    },
  },
  ...open,
};

export const credential: JsonSchema = {
  description: "A signed credential: JSON-LD with its proof, or ELM's JAdES envelope",
  anyOf: [
    { type: "object", required: ["@context", "type"], properties: { "@context": {}, type: {} }, ...open },
    {
      // RFC 7515 §7.2.1: the general JWS JSON serialization, `payload` and `signatures` [{protected, signature}].
      type: "object",
      required: ["payload", "signatures"],
      properties: {
        payload: { type: "string" },
        signatures: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            required: ["protected", "signature"],
            properties: { protected: str, signature: { type: "string" } },
            ...open,
          },
        },
      },
      ...open,
    },
  ],
};

/** The progress of a bulk job. */
const jobProgress: JsonSchema = {
  type: "object",
  required: ["id", "status", "total", "done", "failed"],
  properties: {
    id: str,
    status: {
      enum: ["awaiting-upload", "reading", "queued", "running", "completed", "completed-with-errors", "failed"],
    },
    issuer: str,
    total: { type: "integer", minimum: 0 },
    done: { type: "integer", minimum: 0 },
    failed: { type: "integer", minimum: 0 },
    rowsPerSecond: { type: "number", minimum: 0, description: "A running job: rows with a result per second so far" },
    etaSeconds: { type: "integer", minimum: 0, description: "A running job: seconds left at that pace" },
  },
};

/** A token's record: the secret itself only in the answers that make one. */
const tokenRecord = (withSecret: boolean): JsonSchema => ({
  type: "object",
  required: [...(withSecret ? ["token"] : []), "tokenId", "role"],
  properties: {
    ...(withSecret ? { token: { type: "string", pattern: "^gw1\\." } } : {}),
    tokenId: str,
    role: { enum: ["issuer", "registry"] },
    issuer: str,
    createdAt: dateTime,
    expiresAt: dateTime,
    replaces: str,
  },
});

const trustRegistry: JsonSchema = {
  type: "object",
  required: ["trustedIssuers", "lists"],
  properties: {
    trustedIssuers: {
      type: "object",
      required: ["configured", "stored"],
      properties: { configured: { type: "array" }, stored: { type: "array" } },
    },
    lists: { type: "array" },
  },
};

/** OpenID4VCI 1.0 §12.2.4: `credential_issuer`, `credential_endpoint`, `credential_configurations_supported`. */
const credentialIssuerMetadata: JsonSchema = {
  type: "object",
  required: ["credential_issuer", "credential_endpoint", "credential_configurations_supported"],
  properties: {
    credential_issuer: { type: "string", format: "uri" },
    credential_endpoint: { type: "string", format: "uri" },
    nonce_endpoint: { type: "string", format: "uri" },
    credential_configurations_supported: {
      type: "object",
      minProperties: 1,
      additionalProperties: { type: "object", required: ["format"], properties: { format: str }, ...open },
    },
  },
  ...open,
};

/** RFC 8414 §2: `issuer` is required, and `token_endpoint` unless only the implicit grant is supported. */
const authorizationServerMetadata: JsonSchema = {
  type: "object",
  required: ["issuer", "token_endpoint"],
  properties: { issuer: { type: "string", format: "uri" }, token_endpoint: { type: "string", format: "uri" } },
  ...open,
};

/** OpenID4VCI 1.0 §4.1.1: a Credential Offer names its issuer and the configurations offered. */
const credentialOffer: JsonSchema = {
  type: "object",
  required: ["credential_issuer", "credential_configuration_ids"],
  properties: {
    credential_issuer: { type: "string", format: "uri" },
    credential_configuration_ids: { type: "array", minItems: 1, items: str },
    grants: { type: "object" },
  },
  ...open,
};

export const responseSchemas = {
  health: { type: "object", required: ["status"], properties: { status: { const: "ok" } } },
  openapi: {
    type: "object",
    required: ["openapi", "info", "paths"],
    properties: {
      openapi: { type: "string", pattern: "^3\\.1\\." },
      info: { type: "object" },
      paths: { type: "object" },
    },
  },
  check: {
    type: "object",
    required: ["from", "results"],
    properties: {
      from: str,
      results: {
        type: "array",
        items: {
          type: "object",
          required: ["elements", "microCredential", "warnings"],
          properties: {
            id: str,
            elements: {
              type: "array",
              items: {
                type: "object",
                required: ["element", "required", "status"],
                properties: {
                  element: str,
                  required: { type: "boolean" },
                  status: { enum: ["present", "missing", "invalid"] },
                  path: { type: "string" },
                  detail: { type: "string" },
                },
              },
            },
            microCredential: {
              type: "object",
              required: ["compliant", "missing", "invalid"],
              properties: {
                compliant: { type: "boolean" },
                missing: { type: "array", items: str },
                invalid: { type: "array", items: str },
              },
            },
            warnings: { type: "array" },
          },
        },
      },
    },
  },
  registryMatch: {
    type: "object",
    required: ["matched", "reports", "esgReviewed"],
    properties: {
      matched: { type: "boolean" },
      institution: { type: "object" },
      match: { type: "object", required: ["method"], properties: { method: str } },
      tried: { type: "array", items: { type: "string" } },
      reports: { type: "array" },
      esgReviewed: { type: "boolean" },
    },
  },
  registeredIssuer: {
    type: "object",
    required: ["id", "slug", "token", "didDocument", "jwks"],
    properties: { id: str, slug: str, token: { type: "string", pattern: "^gw1\\." }, didDocument, jwks },
  },
  issuer: {
    type: "object",
    required: ["id", "slug", "name", "country"],
    properties: {
      id: str,
      slug: str,
      name: str,
      country: { type: "string", pattern: "^[A-Z]{2}$" },
      keys: { type: "array" },
    },
  },
  didDocument,
  jwks,
  issued: { type: "object", required: ["verifiableCredential"], properties: { verifiableCredential: credential } },
  revoked: {
    type: "object",
    required: ["credentialId", "status", "statusPurpose", "statusListCredential", "statusListIndex", "changed"],
    properties: {
      credentialId: str,
      status: { enum: ["revoked", "suspended", "active"] },
      statusPurpose: { enum: ["revocation", "suspension"] },
      statusListCredential: { type: "string", format: "uri" },
      statusListIndex: { type: "string", pattern: "^[0-9]+$" },
      changed: { type: "boolean" },
    },
  },
  /** VC Bitstring Status List §2.2: the credential's subject is a BitstringStatusList with an encodedList. */
  statusList: {
    type: "object",
    required: ["@context", "type", "issuer", "credentialSubject", "proof"],
    properties: {
      "@context": {},
      type: { type: "array", contains: { const: "BitstringStatusListCredential" } },
      issuer: {},
      credentialSubject: {
        type: "object",
        required: ["type", "statusPurpose", "encodedList"],
        properties: {
          type: { const: "BitstringStatusList" },
          statusPurpose: str,
          encodedList: { type: "string", pattern: "^u" },
        },
        ...open,
      },
      proof: {},
    },
    ...open,
  },
  /** SD-JWT VC §5 (JWT VC Issuer Metadata): `issuer`, and `jwks` or `jwks_uri`. */
  jwtVcIssuerMetadata: {
    type: "object",
    required: ["issuer", "jwks"],
    properties: { issuer: { type: "string", format: "uri" }, jwks },
    ...open,
  },
  /** SD-JWT VC §6.2 (Type Metadata): `vct`; display entries name a locale. */
  typeMetadata: {
    type: "object",
    required: ["vct"],
    properties: {
      vct: str,
      name: str,
      display: { type: "array", items: { type: "object", required: ["locale"], properties: { locale: str }, ...open } },
      claims: { type: "array", items: { type: "object", required: ["path"], properties: { path: {} }, ...open } },
    },
    ...open,
  },
  createdToken: tokenRecord(true),
  rotatedToken: {
    ...tokenRecord(true),
    required: ["token", "tokenId", "role", "replaces", "previous"],
    properties: {
      ...(tokenRecord(true).properties as Record<string, unknown>),
      previous: { type: "object", required: ["expiresAt"], properties: { expiresAt: dateTime } },
    },
  },
  revokedToken: { ...tokenRecord(false), required: ["tokenId", "role", "expiresAt"] },
  createdJob: {
    type: "object",
    required: ["id"],
    properties: { id: str, profile: { type: "object" }, unmapped: { type: "array", items: { type: "string" } } },
  },
  job: jobProgress,
  jobs: {
    type: "object",
    required: ["items"],
    properties: { items: { type: "array", items: jobProgress }, cursor: str },
  },
  trustRegistry,
  createdOffer: {
    type: "object",
    required: ["id", "credentialOffer", "credentialOfferUri", "offerUri", "offerUriByValue", "expiresAt"],
    properties: {
      id: str,
      credentialOffer,
      credentialOfferUri: { type: "string", format: "uri" },
      offerUri: { type: "string", pattern: "^openid-credential-offer://" },
      offerUriByValue: { type: "string", pattern: "^openid-credential-offer://" },
      txCode: str,
      expiresAt: dateTime,
    },
  },
  credentialOffer,
  credentialIssuerMetadata,
  authorizationServerMetadata,
  /** RFC 6749 §5.1: `access_token` and `token_type` are required. */
  accessToken: {
    type: "object",
    required: ["access_token", "token_type"],
    properties: { access_token: str, token_type: str, expires_in: { type: "integer", minimum: 1 } },
  },
  /** OpenID4VCI 1.0 §7.2: the nonce response's `c_nonce`. */
  nonce: { type: "object", required: ["c_nonce"], properties: { c_nonce: str } },
  createdPresentationRequest: {
    type: "object",
    required: ["id", "requestUri", "walletUrl", "expiresAt", "clientId"],
    properties: {
      id: str,
      requestUri: { type: "string", format: "uri" },
      walletUrl: { type: "string", pattern: "^openid4vp://" },
      expiresAt: dateTime,
      clientId: str,
    },
  },
  presentationRequest: {
    type: "object",
    required: ["id", "status"],
    properties: { id: str, status: { enum: ["pending", "received", "expired"] }, result: { type: "object" } },
  },
  trustList: {
    type: "object",
    required: ["source", "anchorCount", "importedAt"],
    properties: { source: str, kind: str, anchorCount: { type: "integer", minimum: 0 }, importedAt: dateTime },
  },
  registryImport: {
    type: "object",
    required: ["source", "institutions", "reports", "agencies", "importedAt", "warnings"],
    properties: {
      source: { enum: ["file", "deqar-api"] },
      format: str,
      institutions: { type: "integer", minimum: 0 },
      reports: { type: "integer", minimum: 0 },
      agencies: { type: "integer", minimum: 0 },
      importedAt: dateTime,
      warnings: { type: "array" },
    },
  },
} satisfies Record<string, JsonSchema>;
