/** The token management routes (admin), served by the issuers function, which holds the table grant they need. */

import { slugFromId } from "../core/issuers/registration.js";
import { type CreateTokenInput, createToken, revokeToken, rotateToken } from "../core/tokens/tokens.js";
import type { RouteImpls } from "../http/family.js";
import { tokenSchemas } from "../http/token-schemas.js";
import { bodyOf } from "../http/validated.js";
import { notFound } from "../kernel/errors.js";

const NO_STORE = { "cache-control": "no-store" };

/** The issuer's slug from a slug or DID in the body (the error names the body field, not a path parameter). */
function issuerSlug(id: string, publicUrl: string): string {
  try {
    return slugFromId(id, publicUrl);
  } catch {
    throw notFound(`issuer "${id}"`, "/body/issuer");
  }
}

export const tokenRoutes: RouteImpls = {
  createToken: async (req) => {
    const { deps } = req;
    const input: CreateTokenInput = bodyOf(req, tokenSchemas.createToken);
    const issuer = input.issuer === undefined ? undefined : issuerSlug(input.issuer, deps.config.publicUrl);
    const { token, view } = await createToken(deps, { role: input.role, ...(issuer ? { issuer } : {}) });
    return { status: 201, body: { token, ...view }, headers: NO_STORE };
  },
  rotateToken: async (req) => {
    const { params, deps } = req;
    const { graceSeconds = 0 } = bodyOf(req, tokenSchemas.rotateToken);
    const { token, view, previous } = await rotateToken(deps, params.id ?? "", graceSeconds);
    return { status: 201, body: { token, ...view, previous }, headers: NO_STORE };
  },
  revokeToken: async ({ params, deps }) => ({
    status: 200,
    body: await revokeToken(deps, params.id ?? ""),
    headers: NO_STORE,
  }),
};
