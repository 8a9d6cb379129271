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
    },
  },
  /** `direct_post` (OpenID4VP 1.0 §8.2): form parameters. */
  response: {
    type: "object",
    required: ["state"],
    properties: {
      vp_token: { type: "string", minLength: 2, maxLength: 200_000 },
      state: { type: "string", minLength: 1, maxLength: 200 },
      error: { type: "string", minLength: 1, maxLength: 200 },
      error_description: { type: "string", maxLength: 2000 },
    },
  },
  params: { type: "object", required: ["id"], properties: { id: { type: "string", minLength: 1, maxLength: 100 } } },
} as const satisfies Record<string, JsonSchema>;
