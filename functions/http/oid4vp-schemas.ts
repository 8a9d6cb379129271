/** Request schemas of the OpenID4VP verifier routes (`core/eudi/presentation-requests.ts`). */
import type { JsonSchema } from "./schemas.js";

export const oid4vpSchemas = {
  createPresentationRequest: {
    type: "object",
    additionalProperties: false,
    properties: {
      query: { type: "object", description: "A DCQL query (OpenID4VP 1.0 §6); default: the micro-credential preset" },
      preset: {
        enum: ["micro-credential", "open-badge"],
        description:
          "micro-credential: a dc+sd-jwt micro-credential with title, awarding body, workload and level; open-badge: an Open Badges 3.0 credential as a Data Integrity VP (ldp_vc)",
      },
      purpose: { type: "string", minLength: 1, maxLength: 300 },
      verifier: { type: "string", minLength: 1, maxLength: 200, description: "The issuer (slug) acting as verifier" },
      expiresIn: { type: "integer", minimum: 1, maximum: 3600, description: "Seconds the wallet has (default 300)" },
      responseMode: {
        enum: ["direct_post", "direct_post.jwt"],
        default: "direct_post",
        description:
          "direct_post.jwt (HAIP): the wallet encrypts its response to a key of this request (ECDH-ES, A128GCM or A256GCM)",
      },
    },
  },
  /** `direct_post` (OpenID4VP 1.0 §8.2): form parameters. */
  response: {
    type: "object",
    properties: {
      response: {
        type: "string",
        minLength: 10,
        maxLength: 300_000,
        description: "direct_post.jwt: the JWE whose payload holds vp_token and state (OpenID4VP 1.0 §8.3)",
      },
      vp_token: { type: "string", minLength: 2, maxLength: 200_000 },
      state: { type: "string", minLength: 1, maxLength: 200 },
      error: { type: "string", minLength: 1, maxLength: 200 },
      error_description: { type: "string", maxLength: 2000 },
    },
  },
  /** The verifier page's "Ask a wallet": a preset only, asked as the configured page verifier. */
  createPageRequest: {
    type: "object",
    additionalProperties: false,
    properties: {
      preset: {
        enum: ["micro-credential", "open-badge"],
        default: "micro-credential",
        description: "What to ask the wallet for, as in `POST /v1/presentation-requests`",
      },
    },
  },
  pageResultRequest: {
    type: "object",
    additionalProperties: false,
    required: ["key"],
    properties: {
      key: {
        type: "string",
        pattern: "^[A-Za-z0-9_-]{16,100}$",
        description: "The `pollKey` the creating answer gave (never in the QR code)",
      },
    },
  },
  createdPageRequest: {
    type: "object",
    required: ["id", "requestUri", "walletUrl", "expiresAt", "clientId", "pollKey", "qrSvg"],
    properties: {
      id: { type: "string" },
      requestUri: { type: "string", format: "uri" },
      walletUrl: { type: "string", pattern: "^openid4vp://" },
      expiresAt: { type: "string", format: "date-time" },
      clientId: { type: "string" },
      pollKey: {
        type: "string",
        description: "Reads the answer at `POST /verifier/presentation-requests/{id}/result`",
      },
      qrSvg: { type: "string", description: "The QR code of `walletUrl`, an SVG document" },
    },
  },
  params: { type: "object", required: ["id"], properties: { id: { type: "string", minLength: 1, maxLength: 100 } } },
} as const satisfies Record<string, JsonSchema>;
