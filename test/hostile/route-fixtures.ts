/**
 * The reviewed per-route fixture map of the access tests (`route-access.test.ts`): for every operation of the route
 * table, a request the route's owner may make. The access tests send it with no token, with the token of a role the
 * route does not admit, with another issuer's token, and (as a positive control) with the owner's or admin's token.
 *
 * A route added to `functions/http/contract.ts` without an entry here fails the test "every route has a reviewed
 * fixture": add one, saying whose resource the request touches.
 */

import type { RegisteredIssuer, TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";
import { unsignedOb3Credential } from "../support/ob3.js";

/** What the fixtures may refer to: two issuers, a registry token, and resources of the first issuer. */
export interface AccessWorld {
  gw: TestGateway;
  /** The issuer whose resources the requests touch. */
  owner: RegisteredIssuer;
  /** Another issuer: its token must be refused on the owner's resources. */
  other: RegisteredIssuer;
  /** A registry-bridge token. */
  registryToken: string;
  /** A credential the owner issued (with a status entry), and its id. */
  ownedCredential: Record<string, unknown>;
  ownedCredentialId: string;
  /** A bulk job of the owner. */
  ownedJobId: string;
  /** Token ids of the owner, minted for the rotation and revocation fixtures. */
  spareTokenIds: { rotate: string; revoke: string };
}

export interface FixtureRequest {
  path: string;
  json?: unknown;
  /** An application/x-www-form-urlencoded body (OAuth endpoints). */
  form?: string;
}

export interface RouteFixture {
  /** A request the owner (or, on admin routes, the admin) may make; may create the resource it needs first. */
  request(w: AccessWorld): FixtureRequest | Promise<FixtureRequest>;
  /**
   * Why the fixture is what it is, for the reviewer: whose resource it touches and how the route finds its issuer.
   */
  note: string;
  /**
   * `scoped`: the route has no resource of the owner to name (a listing scoped to the caller's own token), so another
   * issuer's token is answered with its own view, which must not show the owner's resources (`ownerMarker`).
   */
  crossTenant?: "scoped";
  /** For `scoped` routes: a string of the owner's that must not appear in another issuer's answer. */
  ownerMarker?(w: AccessWorld): string;
  /**
   * The route authenticates with its own credentials (OAuth access tokens of OpenID4VCI), not the gateway's API
   * tokens: without one it answers 401, and an API token is no access token there.
   */
  ownAuth?: true;
}

const enc = encodeURIComponent;

/** An OpenID4VCI credential configuration the gateway offers. */
const OFFER_CONFIGURATION = "OpenBadgeCredential_ldp_vc";

/** Keyed by operationId. Reviewed: each note says what makes the request the owner's. */
export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  health: { note: "public liveness", request: () => ({ path: "/health" }) },
  openapi: { note: "public API description", request: () => ({ path: "/openapi.json" }) },
  verifierPage: { note: "public page", request: () => ({ path: "/" }) },
  getOb3ElmContext: { note: "public context file", request: () => ({ path: "/contexts/ob3-elm/v1.json" }) },
  ob3ElmContextPreflight: { note: "public CORS preflight", request: () => ({ path: "/contexts/ob3-elm/v1.json" }) },
  apiReference: { note: "public page", request: () => ({ path: "/docs" }) },
  consolePage: {
    note: "public page (the console signs in with the caller's token in the browser)",
    request: () => ({ path: "/console" }),
  },
  consoleOfferQr: {
    note: "public QR drawing of an offer URI (no stored data)",
    request: () => ({ path: "/console/qr", json: { text: "openid-credential-offer://?credential_offer_uri=x" } }),
  },
  getApiReferenceAsset: { note: "public page's file", request: () => ({ path: "/docs/init.js" }) },
  convert: {
    note: "public conversion of an unsigned OB3 credential",
    request: () => ({ path: "/v1/convert", json: { to: "elm", document: unsignedOb3Credential() } }),
  },
  check: {
    note: "public Annex I check",
    request: () => ({ path: "/v1/check", json: { document: unsignedOb3Credential() } }),
  },
  importRegistry: {
    note: "admin only: imports DEQAR data into the gateway's quality-assurance registry (no issuer's resource)",
    request: () => ({
      path: "/v1/registry/imports",
      json: {
        document: {
          institutions: [
            { id: 9001, deqar_id: "DEQARINST9001", name_primary: "University of Zed", country: ["Ireland"] },
          ],
        },
      },
    }),
  },
  matchRegistry: {
    note: "public registry lookup of an awarding body",
    request: () => ({
      path: "/v1/registry/match",
      json: { awardingBody: { name: "University of Zed", country: "IE" } },
    }),
  },
  issueCredential: {
    note: "issuance for the owner, named in options.issuer",
    request: (w) => ({
      path: "/v1/credentials/issue",
      json: { credential: unsignedOb3Credential(), options: { issuer: w.owner.id } },
    }),
  },
  issueCredentialVcApi: {
    note: "VC API issuance for the owner, named in options.issuer",
    request: (w) => ({
      path: "/credentials/issue",
      json: { credential: unsignedOb3Credential(), options: { issuer: w.owner.id } },
    }),
  },
  verifyCredential: {
    note: "public verification",
    request: () => ({ path: "/v1/credentials/verify", json: { verifiableCredential: unsignedOb3Credential() } }),
  },
  verifyCredentialVcApi: {
    note: "public VC API verification",
    request: () => ({ path: "/credentials/verify", json: { verifiableCredential: unsignedOb3Credential() } }),
  },
  verifyPresentation: {
    note: "public presentation verification",
    request: () => ({
      path: "/presentations/verify",
      json: {
        verifiablePresentation: {
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          type: ["VerifiablePresentation"],
        },
      },
    }),
  },
  revokeCredential: {
    note: "the credential was issued by the owner: its issuance record names the owner",
    request: (w) => ({ path: `/v1/credentials/${enc(w.ownedCredentialId)}/revoke`, json: { action: "revoke" } }),
  },
  getStatusList: {
    note: "public status list",
    request: (w) => ({ path: `/status-lists/${w.owner.slug}.revocation.1` }),
  },
  getTokenStatusList: {
    note: "public Token Status List of the owner's revocation list",
    request: (w) => ({ path: `/token-status-lists/${w.owner.slug}.revocation.1` }),
  },
  getJwtVcIssuerMetadata: {
    note: "public JWT VC Issuer Metadata of the owner",
    request: (w) => ({ path: `/.well-known/jwt-vc-issuer/issuers/${w.owner.slug}` }),
  },
  getTypeMetadata: { note: "public SD-JWT VC type metadata", request: () => ({ path: "/vct/micro-credential" }) },
  createPresentationRequest: {
    note: "an OpenID4VP request with the owner, by slug, as verifier",
    request: (w) => ({
      path: "/v1/presentation-requests",
      json: { verifier: w.owner.slug, preset: "micro-credential" },
    }),
  },
  getPresentationRequest: {
    note: "a presentation request the owner made (created first with the owner's token)",
    request: async (w) => {
      const created = await w.gw.call("POST", "/v1/presentation-requests", {
        token: w.owner.token,
        json: { preset: "micro-credential" },
      });
      return { path: `/v1/presentation-requests/${enc(created.json.id)}` };
    },
  },
  createPageRequest: {
    note: "public: the verifier page asks a wallet as the configured page verifier (none here: 404), never as the caller",
    request: () => ({ path: "/verifier/presentation-requests", json: { preset: "micro-credential" } }),
  },
  getPageRequestResult: {
    note: "public: a page request's state, readable only with its poll key (a probe id and key here: 404)",
    request: () => ({ path: "/verifier/presentation-requests/probe/result", json: { key: "probe-key-0123456789" } }),
  },
  getPresentationRequestObject: {
    note: "public request_uri (a probe id)",
    request: () => ({ path: "/oid4vp/requests/probe" }),
  },
  postPresentationResponse: {
    note: "public direct_post response_uri (a probe id; form body)",
    request: () => ({ path: "/oid4vp/responses/probe", form: "state=probe&vp_token=%7B%7D" }),
  },
  registerIssuer: {
    note: "admin registers a new issuer",
    request: () => ({ path: "/v1/issuers", json: { name: `Access Probe ${crypto.randomUUID()}`, country: "FR" } }),
  },
  getIssuer: { note: "the owner's registration, by slug", request: (w) => ({ path: `/v1/issuers/${w.owner.slug}` }) },
  rotateIssuerKey: {
    note: "a key for the owner, by slug",
    request: (w) => ({ path: `/v1/issuers/${w.owner.slug}/keys`, json: { type: "Ed25519" } }),
  },
  getIssuerCsr: { note: "the owner's CSR, by slug", request: (w) => ({ path: `/v1/issuers/${w.owner.slug}/csr` }) },
  putIssuerCertificate: {
    note: "a chain for the owner, by slug (not a valid chain: the positive control only needs no 401/403)",
    request: (w) => ({ path: `/v1/issuers/${w.owner.slug}/certificate`, json: { chain: ["MIIB"] } }),
  },
  getIssuerDidDocument: {
    note: "public DID document",
    request: (w) => ({ path: `/issuers/${w.owner.slug}/did.json` }),
  },
  getIssuerJwks: { note: "public JWK Set", request: (w) => ({ path: `/issuers/${w.owner.slug}/jwks.json` }) },
  createToken: {
    note: "admin mints a registry token",
    request: () => ({ path: "/v1/tokens", json: { role: "registry" } }),
  },
  rotateToken: {
    note: "admin rotates a spare token of the owner",
    request: (w) => ({ path: `/v1/tokens/${w.spareTokenIds.rotate}/rotate`, json: { graceSeconds: 60 } }),
  },
  revokeToken: {
    note: "admin revokes a spare token of the owner",
    request: (w) => ({ path: `/v1/tokens/${w.spareTokenIds.revoke}` }),
  },
  createJob: {
    note: "a job for the owner, named in options.issuer",
    request: (w) => ({
      path: "/v1/jobs",
      json: { from: "csv", document: jobCsv(1), options: { issuer: w.owner.id, format: "ob3" } },
    }),
  },
  getJob: { note: "the owner's job", request: (w) => ({ path: `/v1/jobs/${w.ownedJobId}` }) },
  getJobResults: { note: "the owner's job", request: (w) => ({ path: `/v1/jobs/${w.ownedJobId}/results` }) },
  startJob: {
    note: "the owner's job (not awaiting an upload: the owner's control only needs no 401/403)",
    request: (w) => ({ path: `/v1/jobs/${w.ownedJobId}/start` }),
  },
  createDelivery: {
    note: "a delivery of the owner's credential",
    request: (w) => ({
      path: "/v1/deliveries",
      json: { credential: w.ownedCredential, recipient: { email: "probe@example.org" } },
    }),
  },
  getDelivery: {
    note: "the owner's delivery, created first by the owner (a probe id while deliveries are planned and answer 501)",
    request: async (w) => {
      const created = await w.gw.call("POST", "/v1/deliveries", {
        token: w.owner.token,
        json: { credential: w.ownedCredential, recipient: { email: "probe@example.org" } },
      });
      if (created.status !== 501 && created.status >= 300) {
        throw new Error(`the owner could not create a delivery (${created.status}): ${created.text}`);
      }
      const id = created.status < 300 && typeof created.json?.id === "string" ? created.json.id : "probe-delivery";
      return { path: `/v1/deliveries/${enc(id)}` };
    },
  },
  getTrustRegistry: { note: "admin reads the trust registry", request: () => ({ path: "/v1/admin/trust" }) },
  putTrustedIssuers: {
    note: "admin replaces the stored trusted issuers (with none: the registry is shared by every test)",
    request: () => ({ path: "/v1/admin/trust/issuers", json: { issuers: [] } }),
  },
  putTrustedRoots: {
    note: "admin replaces the directly trusted roots (with none)",
    request: () => ({ path: "/v1/admin/trust/roots", json: { certificates: [] } }),
  },
  importTrustedList: {
    note: "admin imports a LOTL that points nowhere",
    request: () => ({
      path: "/v1/admin/trust/lists/EU",
      json: {
        xml: '<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><SchemeTerritory>EU</SchemeTerritory></SchemeInformation></TrustServiceStatusList>',
      },
    }),
  },
  listJobs: {
    note: "the caller issuer's own jobs (scoped by the token, so no cross-issuer request exists)",
    request: () => ({ path: "/v1/jobs" }),
    crossTenant: "scoped",
    ownerMarker: (w) => w.ownedJobId,
  },
  createCredentialOffer: {
    note: "an OpenID4VCI offer for the owner, by slug",
    request: (w) => ({
      path: `/v1/issuers/${w.owner.slug}/offers`,
      json: { credential: unsignedOb3Credential(), configuration: OFFER_CONFIGURATION },
    }),
  },
  getCredentialOffer: {
    note: "public offer by reference (a probe reference)",
    request: (w) => ({ path: `/oid4vci/${w.owner.slug}/offers/probe-reference` }),
  },
  getCredentialIssuerMetadata: {
    note: "public OpenID4VCI metadata",
    request: (w) => ({ path: `/.well-known/openid-credential-issuer/oid4vci/${w.owner.slug}` }),
  },
  getCredentialIssuerMetadataAppended: {
    note: "public OpenID4VCI metadata (appended form)",
    request: (w) => ({ path: `/oid4vci/${w.owner.slug}/.well-known/openid-credential-issuer` }),
  },
  getAuthorizationServerMetadata: {
    note: "public OAuth metadata",
    request: (w) => ({ path: `/.well-known/oauth-authorization-server/oid4vci/${w.owner.slug}` }),
  },
  getAuthorizationServerMetadataAppended: {
    note: "public OAuth metadata (appended form)",
    request: (w) => ({ path: `/oid4vci/${w.owner.slug}/.well-known/oauth-authorization-server` }),
  },
  oid4vciToken: {
    note: "public OAuth token endpoint (its own pre-authorised codes; form body)",
    request: (w) => ({
      path: `/oid4vci/${w.owner.slug}/token`,
      form: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=probe",
    }),
  },
  oid4vciNonce: { note: "public nonce endpoint", request: (w) => ({ path: `/oid4vci/${w.owner.slug}/nonce` }) },
  oid4vciCredential: {
    note: "public credential endpoint (its own OAuth access tokens)",
    ownAuth: true,
    request: (w) => ({ path: `/oid4vci/${w.owner.slug}/credential`, json: { credential_configuration_id: "probe" } }),
  },
  importCredential: {
    note: "public import",
    request: () => ({ path: "/v1/imports", json: { shareLink: "https://europa.eu/europass/share/probe" } }),
  },
};
