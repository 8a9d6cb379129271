/** JSON Schemas of the token management routes (admin): creation and rotation of issuer and registry tokens. */
import type { JsonSchema } from "./schemas.js";

export const tokenSchemas = {
  createToken: {
    type: "object",
    additionalProperties: false,
    required: ["role"],
    properties: {
      role: {
        enum: ["issuer", "registry"],
        description: "`issuer`: that issuer's own routes; `registry`: a registry bridge (higher quotas)",
      },
      issuer: {
        type: "string",
        minLength: 1,
        maxLength: 300,
        description: "The issuer (slug or DID) an issuer token belongs to",
      },
    },
  },
  rotateToken: {
    type: "object",
    additionalProperties: false,
    properties: {
      graceSeconds: {
        type: "integer",
        minimum: 0,
        maximum: 604_800,
        default: 0,
        description: "How long the old token keeps working (0: it stops at once; at most a week)",
      },
    },
  },
} as const satisfies Record<string, JsonSchema>;
