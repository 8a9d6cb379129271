/**
 * The API contract as data: every route of DESIGN.md with the Lambda "family" that serves it, who may call it, and
 * its request schemas. API Gateway routes (infra), the local gateway's route matching and the OpenAPI document are all
 * built from this one table, so there is one list of routes. Handler code lives in `functions/handlers/{family}.ts`.
 */
import { API_REFERENCE_ASSET_NAMES } from "./api-reference.js";
import { oid4vciSchemas } from "./oid4vci-schemas.js";
import { oid4vpSchemas } from "./oid4vp-schemas.js";
import { responseSchemas } from "./response-schemas.js";
import { idParam, type JsonSchema, schemas, verificationResultSchema } from "./schemas.js";
import { tokenSchemas } from "./token-schemas.js";

/** Lambda functions, one per family of routes, each bundled from `functions/handlers/{family}.ts`. */
export const FAMILIES = ["meta", "issuers", "convert", "credentials", "jobs", "wallet"] as const;
export type Family = (typeof FAMILIES)[number];

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "OPTIONS";

/**
 * Who may call a route. `public`: anyone. `issuer`: the admin token or a token of the issuer the request names
 * (checked by the route). `admin`: the admin token only. `registry`: the admin token or a registry-bridge token
 * (batch routes of national registries). Every route's access is tested table-driven (test/hostile/route-access).
 */
export type Access = "public" | "issuer" | "admin" | "registry";

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path template: `/v1/issuers/{id}`. */
  path: string;
  family: Family;
  operationId: string;
  summary: string;
  access: Access;
  body?: JsonSchema;
  params?: JsonSchema;
  /** Success status and a short description of the response. */
  success: { status: number; description: string; contentType?: string; schema?: JsonSchema };
  /** Set while the route answers 501: the issue that implements it. */
  plannedIn?: number;
  /** The body's media type when it is not JSON: `form` is `application/x-www-form-urlencoded` (OAuth token requests). */
  bodyEncoding?: "form";
  /**
   * OAuth-style route (OpenID4VCI endpoints): errors carry `error` / `error_description` besides the problem members
   * (see `oauth-errors.ts`); `invalidRequest` is the `error` of a request that fails validation.
   */
  oauthErrors?: { invalidRequest: string };
  /**
   * Never rate limited: liveness probes (load balancers, monitors, the operator) must see the gateway up while a
   * flood of other requests from the same address is being throttled.
   */
  unthrottled?: true;
  /**
   * Answered 503 once the request's time budget (`GATEWAY_REQUEST_TIMEOUT_MS`) is spent, the use case signalled to
   * stop. Only for routes that change nothing (conversion, checks, verification): a write cut off mid-way would leave
   * the caller a 503 for work that still completes.
   */
  timeBudget?: true;
}

export const ROUTES: readonly RouteSpec[] = [
  {
    method: "GET",
    path: "/health",
    family: "meta",
    operationId: "health",
    summary: "Liveness: answers 200 while the function can serve (never rate limited).",
    access: "public",
    unthrottled: true,
    success: { status: 200, description: '`{status: "ok"}`', schema: responseSchemas.health },
  },
  {
    method: "GET",
    path: "/openapi.json",
    family: "meta",
    operationId: "openapi",
    summary: "This OpenAPI 3.1 document.",
    access: "public",
    success: { status: 200, description: "The OpenAPI document", schema: responseSchemas.openapi },
  },
  {
    method: "GET",
    path: "/",
    family: "meta",
    operationId: "verifierPage",
    summary: "The verifier page: drop a credential, see every check.",
    access: "public",
    success: { status: 200, description: "HTML page", contentType: "text/html" },
  },
  {
    method: "GET",
    path: "/console",
    family: "meta",
    operationId: "consolePage",
    summary: "The registrar's console: sign in with an issuer token, preview a spreadsheet, issue it as a job, offer.",
    access: "public",
    success: { status: 200, description: "HTML page", contentType: "text/html" },
  },
  {
    method: "POST",
    path: "/console/qr",
    family: "meta",
    operationId: "consoleOfferQr",
    summary: "The console's QR code of an OpenID4VCI credential offer URI, as SVG (only offer URIs are drawn).",
    access: "public",
    body: {
      type: "object",
      additionalProperties: false,
      required: ["text"],
      properties: {
        text: {
          type: "string",
          pattern: "^openid-credential-offer://",
          maxLength: 2048,
          description: "The offer URI (`offerUri` of the offer route).",
        },
      },
    },
    success: { status: 200, description: "The QR code", contentType: "image/svg+xml" },
  },
  {
    method: "GET",
    path: "/contexts/ob3-elm/{file}",
    family: "meta",
    operationId: "getOb3ElmContext",
    summary: "The gateway's JSON-LD contexts for the ELM elements it carries inside Open Badges 3.0 credentials.",
    access: "public",
    params: {
      type: "object",
      required: ["file"],
      properties: { file: { enum: ["v1.json", "v1-elm.json"] } },
    },
    success: { status: 200, description: "JSON-LD context", contentType: "application/ld+json" },
  },
  {
    // A browser verifier's document loader may send headers that make its GET non-simple (Fetch: CORS preflight).
    method: "OPTIONS",
    path: "/contexts/ob3-elm/{file}",
    family: "meta",
    operationId: "ob3ElmContextPreflight",
    summary: "CORS preflight for the JSON-LD contexts: any origin may GET or HEAD them, with any request headers.",
    access: "public",
    params: {
      type: "object",
      required: ["file"],
      properties: { file: { enum: ["v1.json", "v1-elm.json"] } },
    },
    success: { status: 204, description: "The CORS headers, no content" },
  },
  {
    method: "GET",
    path: "/docs",
    family: "meta",
    operationId: "apiReference",
    summary: "The API reference: this document rendered by Swagger UI, served by the gateway itself (no CDN).",
    access: "public",
    success: { status: 200, description: "HTML page", contentType: "text/html" },
  },
  {
    method: "GET",
    path: "/docs/{file}",
    family: "meta",
    operationId: "getApiReferenceAsset",
    summary: "A file of the API reference page (Swagger UI's script and stylesheet, the page's start-up script).",
    access: "public",
    params: {
      type: "object",
      required: ["file"],
      properties: { file: { enum: [...API_REFERENCE_ASSET_NAMES] } },
    },
    success: {
      status: 200,
      description: "The file (cache-control public, max-age=31536000, immutable: the page links it by version)",
      contentType: "text/javascript",
    },
  },
  {
    method: "POST",
    path: "/v1/convert",
    family: "convert",
    operationId: "convert",
    timeBudget: true,
    summary: "Convert a credential document between formats, reporting every loss.",
    access: "public",
    body: schemas.convert,
    success: {
      status: 200,
      description: "`{from, to, results: [{document, losses, warnings, derived, conformance}]}`",
      schema: schemas.convertResponse,
    },
  },
  {
    method: "POST",
    path: "/v1/check",
    family: "convert",
    operationId: "check",
    timeBudget: true,
    summary: "Check a credential against the EU micro-credential Annex I elements.",
    access: "public",
    body: schemas.check,
    success: {
      status: 200,
      description: "Per credential, each Annex I element and the micro-credential verdict",
      schema: responseSchemas.check,
    },
  },
  {
    method: "POST",
    path: "/v1/registry/imports",
    family: "convert",
    operationId: "importRegistry",
    summary:
      'Import quality-assurance data into the registry: a DEQAR Web API JSON, Europass accreditation JSON or QDR / AMS XML document, or `{source: "deqar-api"}`.',
    access: "admin",
    body: schemas.registryImport,
    success: {
      status: 200,
      description: "`{source, format?, institutions, reports, agencies, importedAt, warnings}`",
      schema: responseSchemas.registryImport,
    },
  },
  {
    method: "POST",
    path: "/v1/registry/match",
    family: "convert",
    operationId: "matchRegistry",
    summary:
      "Match an awarding body to its DEQAR institution (by DEQAR id, legal identifier, SCHAC code or name + country) and say how, with its current reports.",
    access: "public",
    body: schemas.registryMatch,
    success: {
      status: 200,
      description: "`{matched, institution?, match?: {method, on}, tried?, reports, esgReviewed}`",
      schema: responseSchemas.registryMatch,
    },
  },
  {
    method: "POST",
    path: "/v1/credentials/issue",
    family: "credentials",
    operationId: "issueCredential",
    summary: "Sign a credential with the issuer's keys.",
    access: "issuer",
    body: schemas.issue,
    success: { status: 201, description: "`{verifiableCredential}`", schema: responseSchemas.issued },
  },
  {
    method: "POST",
    path: "/credentials/issue",
    family: "credentials",
    operationId: "issueCredentialVcApi",
    summary: "W3C VC API alias of /v1/credentials/issue.",
    access: "issuer",
    body: schemas.issue,
    success: { status: 201, description: "`{verifiableCredential}`", schema: responseSchemas.issued },
  },
  {
    method: "POST",
    path: "/v1/credentials/verify",
    family: "credentials",
    operationId: "verifyCredential",
    timeBudget: true,
    summary: "Verify a credential: format, proof, validity window, status, trust, micro-credential elements.",
    access: "public",
    body: schemas.verify,
    success: {
      status: 200,
      description: "`{verified, verdict, checks, warnings, errors}`",
      schema: verificationResultSchema,
    },
  },
  {
    method: "POST",
    path: "/credentials/verify",
    family: "credentials",
    operationId: "verifyCredentialVcApi",
    timeBudget: true,
    summary: "W3C VC API alias of /v1/credentials/verify (422 when not verified).",
    access: "public",
    body: schemas.verify,
    success: {
      status: 200,
      description: "`{verified, verdict, checks, warnings, errors}`",
      schema: verificationResultSchema,
    },
  },
  {
    method: "POST",
    path: "/presentations/verify",
    family: "credentials",
    operationId: "verifyPresentation",
    timeBudget: true,
    summary: "W3C VC API: verify a verifiable presentation.",
    access: "public",
    body: schemas.verifyPresentation,
    success: {
      status: 200,
      description:
        "`{verified, presentationResult, credentialResults, checks, warnings, errors}` (422 with the same body when not verified)",
    },
  },
  {
    method: "GET",
    path: "/v1/admin/trust",
    family: "credentials",
    operationId: "getTrustRegistry",
    summary: "The trust registry: configured trusted issuers and the imported trusted lists.",
    access: "admin",
    success: {
      status: 200,
      description: "`{trustedIssuers: {configured, stored}, lists}`",
      schema: responseSchemas.trustRegistry,
    },
  },
  {
    method: "PUT",
    path: "/v1/admin/trust/issuers",
    family: "credentials",
    operationId: "putTrustedIssuers",
    summary: "Replace the stored trusted issuers (DIDs, verification methods, JWK thumbprints).",
    access: "admin",
    body: schemas.putTrustedIssuers,
    success: {
      status: 200,
      description: "The registry, as GET /v1/admin/trust answers it",
      schema: responseSchemas.trustRegistry,
    },
  },
  {
    method: "PUT",
    path: "/v1/admin/trust/roots",
    family: "credentials",
    operationId: "putTrustedRoots",
    summary: "Replace the certificate roots trusted directly (PEM or base64 DER CA certificates).",
    access: "admin",
    body: schemas.putTrustedRoots,
    success: {
      status: 200,
      description: "The stored list record `{source, anchorCount, importedAt}`",
      schema: responseSchemas.trustList,
    },
  },
  {
    method: "PUT",
    path: "/v1/admin/trust/lists/{territory}",
    family: "credentials",
    operationId: "importTrustedList",
    summary:
      "Import an EU trusted list (ETSI TS 119 612 XML): a national list's granted CA/QC certificates, or the LOTL.",
    access: "admin",
    params: schemas.trustedListParams,
    body: schemas.importTrustedList,
    success: {
      status: 200,
      description: "`{source, kind, territory, sequenceNumber, anchorCount, skipped, ...}`",
    },
  },
  {
    method: "POST",
    path: "/v1/credentials/{id}/revoke",
    family: "credentials",
    operationId: "revokeCredential",
    summary: "Revoke (or suspend / unsuspend) an issued credential.",
    access: "issuer",
    params: idParam,
    body: schemas.revoke,
    success: {
      status: 200,
      description:
        "`{credentialId, status: revoked|suspended|active, statusPurpose, statusListCredential, statusListIndex, changed}`",
      schema: responseSchemas.revoked,
    },
  },
  {
    method: "GET",
    path: "/status-lists/{id}",
    family: "credentials",
    operationId: "getStatusList",
    summary: "A BitstringStatusList credential, signed by its issuer.",
    access: "public",
    params: idParam,
    success: {
      status: 200,
      description:
        "The BitstringStatusListCredential signed with eddsa-rdfc-2022 (cache-control public, max-age=60; ETag)",
      schema: responseSchemas.statusList,
    },
  },
  {
    method: "GET",
    path: "/token-status-lists/{id}",
    family: "credentials",
    operationId: "getTokenStatusList",
    summary: "An IETF Token Status List of SD-JWT VCs (the revocation list's bits), signed by its issuer.",
    access: "public",
    params: idParam,
    success: {
      status: 200,
      description: "A compact statuslist+jwt (ES256)",
      contentType: "application/statuslist+jwt",
    },
  },
  {
    method: "GET",
    path: "/.well-known/jwt-vc-issuer/issuers/{id}",
    family: "credentials",
    operationId: "getJwtVcIssuerMetadata",
    summary: "JWT VC Issuer Metadata of an issuer's SD-JWT VCs: `{issuer, jwks}` with its P-256 keys.",
    access: "public",
    params: idParam,
    success: { status: 200, description: "`{issuer, jwks}`", schema: responseSchemas.jwtVcIssuerMetadata },
  },
  {
    method: "GET",
    path: "/vct/{id}",
    family: "credentials",
    operationId: "getTypeMetadata",
    summary: "SD-JWT VC Type Metadata of a credential type the gateway issues (`micro-credential`).",
    access: "public",
    params: idParam,
    success: { status: 200, description: "`{vct, name, display, claims}`", schema: responseSchemas.typeMetadata },
  },
  {
    method: "POST",
    path: "/v1/issuers",
    family: "issuers",
    operationId: "registerIssuer",
    summary: "Register an issuer: creates its signing keys and an issuer-scoped API token (shown once).",
    access: "admin",
    body: schemas.registerIssuer,
    success: {
      status: 201,
      description: "`{id, slug, token, didDocument, jwks}`",
      schema: responseSchemas.registeredIssuer,
    },
  },
  {
    method: "GET",
    path: "/v1/issuers/{id}",
    family: "issuers",
    operationId: "getIssuer",
    summary: "An issuer's registration (by slug or DID).",
    access: "issuer",
    params: idParam,
    success: { status: 200, description: "The issuer", schema: responseSchemas.issuer },
  },
  {
    method: "POST",
    path: "/v1/issuers/{id}/keys",
    family: "issuers",
    operationId: "rotateIssuerKey",
    summary: "Key rotation: add a new signing key; earlier keys stay published so earlier credentials verify.",
    access: "issuer",
    params: idParam,
    body: schemas.rotateKey,
    success: { status: 201, description: "The issuer, with the new key", schema: responseSchemas.issuer },
  },
  {
    method: "GET",
    path: "/v1/issuers/{id}/csr",
    family: "issuers",
    operationId: "getIssuerCsr",
    summary:
      "A PKCS#10 certificate signing request for the issuer's eSeal key: its RSA key, or its P-256 key with `?key=p256`.",
    access: "issuer",
    params: idParam,
    success: { status: 200, description: "PEM CSR", contentType: "application/pkcs10" },
  },
  {
    method: "PUT",
    path: "/v1/issuers/{id}/certificate",
    family: "issuers",
    operationId: "putIssuerCertificate",
    summary:
      "Store the issuer's eSeal certificate chain (leaf first): the leaf must certify one of its keys, every certificate be valid now and issued by the next.",
    access: "issuer",
    params: idParam,
    body: schemas.certificate,
    success: { status: 200, description: "The issuer", schema: responseSchemas.issuer },
  },
  {
    method: "GET",
    path: "/issuers/{id}/did.json",
    family: "issuers",
    operationId: "getIssuerDidDocument",
    summary: "The issuer's did:web document (Multikey and JsonWebKey verification methods).",
    access: "public",
    params: idParam,
    success: {
      status: 200,
      description: "DID document",
      contentType: "application/did+json",
      schema: responseSchemas.didDocument,
    },
  },
  {
    method: "GET",
    path: "/issuers/{id}/jwks.json",
    family: "issuers",
    operationId: "getIssuerJwks",
    summary: "The issuer's public keys as a JWK Set.",
    access: "public",
    params: idParam,
    success: {
      status: 200,
      description: "JWK Set",
      contentType: "application/jwk-set+json",
      schema: responseSchemas.jwks,
    },
  },
  {
    method: "POST",
    path: "/v1/tokens",
    family: "issuers",
    operationId: "createToken",
    summary: "Create an API token for an issuer or a registry bridge (shown once).",
    access: "admin",
    body: tokenSchemas.createToken,
    success: {
      status: 201,
      description: "`{token, tokenId, role, issuer?, createdAt}`",
      schema: responseSchemas.createdToken,
    },
  },
  {
    method: "POST",
    path: "/v1/tokens/{id}/rotate",
    family: "issuers",
    operationId: "rotateToken",
    summary: "Rotate a token: a new one (shown once); the old one works for `graceSeconds` more (default 0).",
    access: "admin",
    params: idParam,
    body: tokenSchemas.rotateToken,
    success: {
      status: 201,
      description: "`{token, tokenId, role, issuer?, replaces, previous: {expiresAt}}`",
      schema: responseSchemas.rotatedToken,
    },
  },
  {
    method: "DELETE",
    path: "/v1/tokens/{id}",
    family: "issuers",
    operationId: "revokeToken",
    summary: "Revoke a token at once.",
    access: "admin",
    params: idParam,
    success: {
      status: 200,
      description: "`{tokenId, role, issuer?, expiresAt}`",
      schema: responseSchemas.revokedToken,
    },
  },
  {
    method: "POST",
    path: "/v1/jobs",
    family: "jobs",
    operationId: "createJob",
    summary: "Start a bulk conversion / issuance job.",
    access: "issuer",
    body: schemas.job,
    success: {
      status: 202,
      description:
        "`{id, profile?, unmapped?}` (a spreadsheet: which column went where); with `upload: true`, `{id, upload: {url, method, headers, expiresAt}}` (job `awaiting-upload`); with `options.dryRun: true`, 200 and a preview `{dryRun, profile, unmapped, total, issuable, failed, rows: [{row, values, annex1, conformance, errors}]}`, nothing signed or stored",
    },
  },
  {
    method: "GET",
    path: "/v1/jobs",
    family: "jobs",
    operationId: "listJobs",
    summary:
      "Bulk jobs, newest first: the caller issuer's (admin: every issuer's, or `?issuer=`); `?limit=` (1–100), `?cursor=`.",
    access: "issuer",
    success: {
      status: 200,
      description: "`{items: [job progress], cursor?}` (the cursor also in `next-cursor`)",
      schema: responseSchemas.jobs,
    },
  },
  {
    method: "GET",
    path: "/v1/jobs/{id}",
    family: "jobs",
    operationId: "getJob",
    summary: "A job's progress: `{status, total, done, failed}`.",
    access: "issuer",
    params: idParam,
    success: { status: 200, description: "Job progress", schema: responseSchemas.job },
  },
  {
    method: "POST",
    path: "/v1/jobs/{id}/start",
    family: "jobs",
    operationId: "startJob",
    summary:
      "Start a job created with `upload: true` once its input was PUT to the upload URL: a worker reads it into chunks.",
    access: "issuer",
    params: idParam,
    success: { status: 202, description: "`{id}`; the job is `reading`, then `queued`" },
  },
  {
    method: "GET",
    path: "/v1/jobs/{id}/results",
    family: "jobs",
    operationId: "getJobResults",
    summary: "A job's results as JSON Lines.",
    access: "issuer",
    params: idParam,
    success: { status: 200, description: "JSON Lines", contentType: "application/jsonl" },
  },
  {
    method: "POST",
    path: "/v1/deliveries",
    family: "wallet",
    operationId: "createDelivery",
    summary: "Push an issued credential to a Europass wallet.",
    access: "issuer",
    body: schemas.delivery,
    success: { status: 202, description: "`{id}`" },
  },
  {
    method: "GET",
    path: "/v1/deliveries/{id}",
    family: "wallet",
    operationId: "getDelivery",
    summary: "A delivery's state: `{status, attempts, lastError}`.",
    access: "issuer",
    params: idParam,
    success: { status: 200, description: "Delivery state" },
  },
  {
    method: "POST",
    path: "/v1/imports",
    family: "wallet",
    operationId: "importCredential",
    summary: "Pull a credential from a Europass share link or wallet, then convert and/or verify it.",
    access: "public",
    body: schemas.importCredential,
    success: { status: 200, description: "The credential, converted and/or verified" },
  },
  {
    method: "POST",
    path: "/v1/issuers/{id}/offers",
    family: "wallet",
    operationId: "createCredentialOffer",
    summary:
      "OpenID4VCI: offer a credential to a wallet (pre-authorised code, optional transaction code), by value and by reference.",
    access: "issuer",
    params: idParam,
    body: oid4vciSchemas.createOffer,
    success: {
      status: 201,
      description:
        "`{id, credentialOffer, credentialOfferUri, offerUri, offerUriByValue, txCode?, expiresAt}` (the transaction code is shown once)",
      schema: responseSchemas.createdOffer,
    },
  },
  {
    method: "GET",
    path: "/oid4vci/{slug}/offers/{reference}",
    family: "wallet",
    operationId: "getCredentialOffer",
    summary: "OpenID4VCI: the credential offer behind a `credential_offer_uri` (while its code is unused and valid).",
    access: "public",
    params: oid4vciSchemas.offerParams,
    success: { status: 200, description: "Credential Offer", schema: responseSchemas.credentialOffer },
  },
  {
    method: "GET",
    path: "/.well-known/openid-credential-issuer/oid4vci/{slug}",
    family: "wallet",
    operationId: "getCredentialIssuerMetadata",
    summary: "OpenID4VCI: Credential Issuer Metadata of an issuer (`credential_issuer` = `{base}/oid4vci/{slug}`).",
    access: "public",
    params: oid4vciSchemas.issuerParams,
    success: {
      status: 200,
      description: "Credential Issuer Metadata",
      schema: responseSchemas.credentialIssuerMetadata,
    },
  },
  {
    method: "GET",
    path: "/oid4vci/{slug}/.well-known/openid-credential-issuer",
    family: "wallet",
    operationId: "getCredentialIssuerMetadataAppended",
    summary: "OpenID4VCI: the Credential Issuer Metadata where draft-era wallets look (appended to the issuer's path).",
    access: "public",
    params: oid4vciSchemas.issuerParams,
    success: {
      status: 200,
      description: "Credential Issuer Metadata",
      schema: responseSchemas.credentialIssuerMetadata,
    },
  },
  {
    method: "GET",
    path: "/.well-known/oauth-authorization-server/oid4vci/{slug}",
    family: "wallet",
    operationId: "getAuthorizationServerMetadata",
    summary: "OAuth 2.0 Authorization Server Metadata (RFC 8414) of an issuer: its token endpoint.",
    access: "public",
    params: oid4vciSchemas.issuerParams,
    success: {
      status: 200,
      description: "Authorization Server Metadata",
      schema: responseSchemas.authorizationServerMetadata,
    },
  },
  {
    method: "GET",
    path: "/oid4vci/{slug}/.well-known/oauth-authorization-server",
    family: "wallet",
    operationId: "getAuthorizationServerMetadataAppended",
    summary: "OAuth 2.0 Authorization Server Metadata, appended to the issuer's path (draft-era wallets).",
    access: "public",
    params: oid4vciSchemas.issuerParams,
    success: {
      status: 200,
      description: "Authorization Server Metadata",
      schema: responseSchemas.authorizationServerMetadata,
    },
  },
  {
    method: "POST",
    path: "/oid4vci/{slug}/token",
    family: "wallet",
    operationId: "oid4vciToken",
    summary: "OpenID4VCI token endpoint: a pre-authorised code (+ tx_code) for an access token.",
    access: "public",
    params: oid4vciSchemas.issuerParams,
    body: oid4vciSchemas.token,
    bodyEncoding: "form",
    oauthErrors: { invalidRequest: "invalid_request" },
    success: {
      status: 200,
      description: "`{access_token, token_type, expires_in}`",
      schema: responseSchemas.accessToken,
    },
  },
  {
    method: "POST",
    path: "/oid4vci/{slug}/nonce",
    family: "wallet",
    operationId: "oid4vciNonce",
    summary: "OpenID4VCI nonce endpoint: a fresh single-use `c_nonce` for the key proof.",
    access: "public",
    params: oid4vciSchemas.issuerParams,
    oauthErrors: { invalidRequest: "invalid_request" },
    success: { status: 200, description: "`{c_nonce}`", schema: responseSchemas.nonce },
  },
  {
    method: "POST",
    path: "/oid4vci/{slug}/credential",
    family: "wallet",
    operationId: "oid4vciCredential",
    summary:
      "OpenID4VCI credential endpoint: the offered credential, bound to the holder key proven by a `jwt` proof (access token in Authorization).",
    access: "public",
    params: oid4vciSchemas.issuerParams,
    body: oid4vciSchemas.credentialRequest,
    oauthErrors: { invalidRequest: "invalid_credential_request" },
    success: { status: 200, description: "`{credentials: [{credential}]}`" },
  },
  {
    method: "POST",
    path: "/v1/presentation-requests",
    family: "wallet",
    operationId: "createPresentationRequest",
    summary: "OpenID4VP 1.0: ask a wallet for credentials (DCQL query or the micro-credential preset).",
    access: "issuer",
    body: oid4vpSchemas.createPresentationRequest,
    success: {
      status: 201,
      description: "`{id, requestUri, walletUrl, expiresAt, clientId}`",
      schema: responseSchemas.createdPresentationRequest,
    },
  },
  {
    method: "GET",
    path: "/v1/presentation-requests/{id}",
    family: "wallet",
    operationId: "getPresentationRequest",
    summary: "A presentation request's state: pending, received (with the verification result) or expired.",
    access: "issuer",
    params: oid4vpSchemas.params,
    success: {
      status: 200,
      description: "`{id, status: pending|received|expired, result?}`",
      schema: responseSchemas.presentationRequest,
    },
  },
  {
    method: "POST",
    path: "/verifier/presentation-requests",
    family: "wallet",
    operationId: "createPageRequest",
    summary:
      'The verifier page\'s "Ask a wallet": an OpenID4VP request of a preset, by the configured page verifier (GATEWAY_PAGE_VERIFIER), with its QR code and the key its answer is read with.',
    access: "public",
    body: oid4vpSchemas.createPageRequest,
    success: {
      status: 201,
      description: "`{id, requestUri, walletUrl, expiresAt, clientId, pollKey, qrSvg}`",
      schema: oid4vpSchemas.createdPageRequest,
    },
  },
  {
    method: "POST",
    path: "/verifier/presentation-requests/{id}/result",
    family: "wallet",
    operationId: "getPageRequestResult",
    summary:
      "The state of a verifier page's request, for the holder of its pollKey: pending, received (with the result) or expired.",
    access: "public",
    params: oid4vpSchemas.params,
    body: oid4vpSchemas.pageResultRequest,
    success: {
      status: 200,
      description: "`{id, status: pending|received|expired, result?}`",
      schema: responseSchemas.presentationRequest,
    },
  },
  {
    method: "GET",
    path: "/oid4vp/requests/{id}",
    family: "wallet",
    operationId: "getPresentationRequestObject",
    summary: "OpenID4VP request_uri: the signed request object (oauth-authz-req+jwt), while the request is open.",
    access: "public",
    params: oid4vpSchemas.params,
    success: { status: 200, description: "A compact JWS", contentType: "application/oauth-authz-req+jwt" },
  },
  {
    method: "POST",
    path: "/oid4vp/responses/{id}",
    family: "wallet",
    operationId: "postPresentationResponse",
    summary: "OpenID4VP response_uri (direct_post): the wallet's vp_token and state; one response per request.",
    access: "public",
    params: oid4vpSchemas.params,
    body: oid4vpSchemas.response,
    bodyEncoding: "form",
    oauthErrors: { invalidRequest: "invalid_request" },
    success: { status: 200, description: "`{}`" },
  },
];

/** API Gateway's route key for a route: `POST /v1/issuers`. */
export const routeKey = (r: Pick<RouteSpec, "method" | "path">): string => `${r.method} ${r.path}`;

/**
 * Every GET route also answers HEAD (RFC 9110 §9.3.2: the GET answer's status and headers, no content): its route key
 * is `HEAD {path}`, served by the GET route's function.
 */
export const headRouteKey = (r: Pick<RouteSpec, "path">): string => `HEAD ${r.path}`;

/** The GET route key a `HEAD {path}` route key stands for; undefined for any other key. */
export const getKeyOfHead = (key: string): string | undefined =>
  key.startsWith("HEAD ") ? `GET ${key.slice("HEAD ".length)}` : undefined;

export const routesOf = (family: Family): RouteSpec[] => ROUTES.filter((r) => r.family === family);
