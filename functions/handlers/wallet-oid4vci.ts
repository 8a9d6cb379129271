/**
 * OpenID4VCI routes of the wallet Lambda (pre-authorised code flow, OpenID4VCI 1.0; see `functions/core/oid4vci`):
 * the issuer's offer route, the public offer-by-reference, the discovery documents, and the token, nonce and
 * credential endpoints. Spread into the wallet family's route table by `wallet.ts`.
 */
import type { GatewayDeps } from "../composition.js";
import type { CredentialRequest } from "../core/oid4vci/credential.js";
import type { Oid4vciDeps } from "../core/oid4vci/deps.js";
import type { TokenRequest } from "../core/oid4vci/token.js";
import type { RouteFn, RouteImpls } from "../http/family.js";
import { oid4vciSchemas } from "../http/oid4vci-schemas.js";
import { bodyOf } from "../http/validated.js";
import { issueDepsOf } from "./use-case-deps.js";

/** OAuth responses carrying secrets are never cached (RFC 6749 §5.1, OpenID4VCI 1.0 §7.2). */
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
/** Discovery documents change only with the issuer's keys. */
/** The credential endpoint signs (Data Integrity, JWT): loaded on its first request (cold start). */
const credentials = () => import("../core/oid4vci/credential.js");
/** Offers, tokens and nonces: each loaded on its route's first request. */
const offers = () => import("../core/oid4vci/offers.js");
const tokens = () => import("../core/oid4vci/token.js");
const nonces = () => import("../core/oid4vci/nonce.js");
/** Discovery documents carry the SD-JWT VC type metadata and its vocabularies: loaded on first use too. */
const metadata = () => import("../core/oid4vci/metadata.js");
const issuerOfSlug = async (...args: Parameters<typeof import("../core/oid4vci/metadata.js").issuerOfSlug>) =>
  (await metadata()).issuerOfSlug(...args);

const METADATA_CACHE = { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" };

function oid4vciDeps(deps: GatewayDeps): Oid4vciDeps {
  return { ...issueDepsOf(deps), oid4vci: deps.oid4vci };
}

const issuerMetadata: RouteFn = async ({ params, deps }) => {
  const issuer = await issuerOfSlug(deps.store, params.slug as string);
  const { credentialIssuerMetadata } = await metadata();
  return { status: 200, body: credentialIssuerMetadata(issuer, deps.config.publicUrl), headers: METADATA_CACHE };
};

const asMetadata: RouteFn = async ({ params, deps }) => {
  const issuer = await issuerOfSlug(deps.store, params.slug as string);
  const { authorizationServerMetadata } = await metadata();
  return { status: 200, body: authorizationServerMetadata(issuer, deps.config.publicUrl), headers: METADATA_CACHE };
};

/** The OpenID4VCI route functions by operationId, for the wallet family's table. */
export const oid4vciRoutes: RouteImpls = {
  createCredentialOffer: async ({ params, principal, deps, ...req }) => {
    const { createOffer } = await offers();
    const created = await createOffer(
      oid4vciDeps(deps),
      principal,
      params.id as string,
      bodyOf(req, oid4vciSchemas.createOffer),
    );
    return { status: 201, body: created, headers: NO_STORE };
  },
  getCredentialOffer: async ({ params, deps }) => ({
    status: 200,
    body: await (await offers()).offerByReference(oid4vciDeps(deps), params.slug as string, params.reference as string),
    headers: NO_STORE,
  }),
  getCredentialIssuerMetadata: issuerMetadata,
  getCredentialIssuerMetadataAppended: issuerMetadata,
  getAuthorizationServerMetadata: asMetadata,
  getAuthorizationServerMetadataAppended: asMetadata,
  oid4vciToken: async ({ params, body, deps }) => {
    await issuerOfSlug(deps.store, params.slug as string);
    const { redeemPreAuthorizedCode } = await tokens();
    const token = await redeemPreAuthorizedCode(oid4vciDeps(deps), params.slug as string, body as TokenRequest);
    return { status: 200, body: token, headers: NO_STORE };
  },
  oid4vciNonce: async ({ params, deps }) => {
    await issuerOfSlug(deps.store, params.slug as string);
    return { status: 200, body: await (await nonces()).issueNonce(oid4vciDeps(deps)), headers: NO_STORE };
  },
  oid4vciCredential: async ({ params, headers, body, deps }) => ({
    status: 200,
    body: await (await credentials()).requestCredential(
      oid4vciDeps(deps),
      params.slug as string,
      headers.authorization,
      body as CredentialRequest,
    ),
    headers: NO_STORE,
  }),
};
