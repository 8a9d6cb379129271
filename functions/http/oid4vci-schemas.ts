/**
 * JSON Schemas of the OpenID4VCI routes (request validation and OpenAPI, as `schemas.ts`). The token and credential
 * requests are checked loosely here — unknown parameters are ignored, as OAuth requires — and precisely by the use
 * cases, which answer with OAuth error codes.
 */
import { CONFIGURATION_IDS } from "../core/oid4vci/configuration-ids.js";
import type { JsonSchema } from "./schemas.js";

const slug: JsonSchema = { type: "string", pattern: "^[a-z0-9][a-z0-9-]{1,62}$" };
const jwt: JsonSchema = { type: "string", minLength: 1, maxLength: 16384 };

export const oid4vciSchemas = {
  /** `/oid4vci/{slug}/...` */
  issuerParams: { type: "object", required: ["slug"], properties: { slug } },
  /** `/oid4vci/{slug}/offers/{reference}` */
  offerParams: {
    type: "object",
    required: ["slug", "reference"],
    properties: { slug, reference: { type: "string", minLength: 1, maxLength: 300 } },
  },
  createOffer: {
    type: "object",
    additionalProperties: false,
    required: ["credential", "configuration"],
    properties: {
      credential: { type: "object", description: "The unsigned credential to offer (OB3 or ELM, per configuration)." },
      configuration: { enum: [...CONFIGURATION_IDS], description: "The credential configuration offered." },
      txCode: {
        description:
          "A transaction code the wallet must send with the pre-authorised code: `true` (6 digits) or its shape.",
        anyOf: [
          { type: "boolean" },
          {
            type: "object",
            additionalProperties: false,
            properties: {
              length: { type: "integer", minimum: 4, maximum: 8 },
              inputMode: { enum: ["numeric", "text"] },
              description: { type: "string", minLength: 1, maxLength: 300 },
            },
          },
        ],
      },
      expiresIn: {
        type: "integer",
        minimum: 60,
        maximum: 604800,
        description: "Lifetime of the pre-authorised code in seconds (default 3600).",
      },
    },
  },
  token: {
    type: "object",
    required: ["grant_type"],
    properties: {
      grant_type: { type: "string", minLength: 1, maxLength: 200 },
      "pre-authorized_code": { type: "string", minLength: 1, maxLength: 512 },
      tx_code: { type: "string", minLength: 1, maxLength: 64 },
      client_id: { type: "string", minLength: 1, maxLength: 500 },
    },
  },
  credentialRequest: {
    type: "object",
    properties: {
      credential_configuration_id: { type: "string", minLength: 1, maxLength: 200 },
      credential_identifier: { type: "string", minLength: 1, maxLength: 200 },
      proofs: {
        type: "object",
        maxProperties: 4,
        properties: { jwt: { type: "array", minItems: 1, maxItems: 10, items: jwt } },
      },
      proof: {
        type: "object",
        required: ["proof_type"],
        properties: { proof_type: { type: "string", maxLength: 100 }, jwt },
      },
      credential_response_encryption: { type: "object" },
    },
  },
} as const satisfies Record<string, JsonSchema>;
