/**
 * JSON Schemas (2020-12) of the API's request parts. The same objects drive request validation (ajv) and the OpenAPI
 * 3.1 document, so the two cannot drift apart.
 */
import { FORMATS, OUTPUT_FORMATS, PROOF_SUITES } from "../../mappings/formats.js";

export type JsonSchema = Record<string, unknown>;

const KEY_TYPES = ["Ed25519", "P-256", "RSA-2048"];

/** A credential document: a JSON object or a string (XML, CSV, base64 XLSX, VC-JWT). */
const document: JsonSchema = {
  description: "The input: a JSON object, or a string holding XML, CSV, base64-encoded XLSX or a VC-JWT.",
  anyOf: [{ type: "object" }, { type: "string", minLength: 1 }],
};

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
      legalIdentifier: { type: "string", minLength: 1, maxLength: 200 },
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
      options: { type: "object" },
    },
  },
  check: {
    type: "object",
    additionalProperties: false,
    required: ["document"],
    properties: { from: { enum: [...FORMATS] }, document },
  },
  issue: {
    type: "object",
    required: ["credential"],
    properties: {
      credential: { type: "object" },
      options: {
        type: "object",
        properties: {
          issuer: { type: "string", minLength: 1 },
          format: { enum: ["ob3", "elm"] },
          proof: { enum: [...PROOF_SUITES] },
          status: {
            type: "boolean",
            description: "false: no credentialStatus entry (default true for OB3 / W3C; ELM never gets one)",
          },
        },
      },
    },
  },
  verify: {
    type: "object",
    required: ["verifiableCredential"],
    properties: {
      verifiableCredential: { anyOf: [{ type: "object" }, { type: "string", minLength: 1 }] },
      options: { type: "object" },
    },
  },
  verifyPresentation: {
    type: "object",
    required: ["verifiablePresentation"],
    properties: {
      verifiablePresentation: { anyOf: [{ type: "object" }, { type: "string", minLength: 1 }] },
      options: {
        type: "object",
        properties: { challenge: { type: "string", minLength: 1 }, domain: { type: "string", minLength: 1 } },
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
        properties: {
          issuer: { type: "string", minLength: 1 },
          format: { enum: ["ob3", "elm"] },
          proof: { enum: [...PROOF_SUITES] },
        },
      },
    },
  },
  delivery: {
    type: "object",
    additionalProperties: false,
    required: ["recipient"],
    properties: {
      credential: { type: "object" },
      credentialId: { type: "string", minLength: 1 },
      recipient: {
        type: "object",
        additionalProperties: false,
        properties: {
          email: { type: "string", format: "email" },
          walletId: { type: "string", minLength: 1 },
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
      shareLink: { type: "string", format: "uri" },
      walletId: { type: "string" },
      bearerToken: { type: "string" },
      credentialId: { type: "string" },
      to: { enum: [...OUTPUT_FORMATS] },
      verify: { type: "boolean" },
    },
  },
} satisfies Record<string, JsonSchema>;

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
