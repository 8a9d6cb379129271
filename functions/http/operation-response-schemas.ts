/**
 * Response schemas by operation, for every route entry that names none: the JSON answers `response-schemas.ts`
 * describes, pages, assets, non-JSON documents and the answers the contract describes only in prose. Only the
 * OpenAPI document reads them (loaded on its first request), so they stay out of the functions' init: the route
 * table every function loads carries only the few schemas its validation needs.
 */
import { credential, dateTime, open, responseSchemas, str } from "./response-schemas.js";
import { type JsonSchema, verificationResultSchema } from "./schemas.js";

/** A text answer that is not JSON (a page, a script, an image), by its media type. */
const text = (mediaType: string, description: string): JsonSchema => ({
  type: "string",
  contentMediaType: mediaType,
  description,
});

/** RFC 7515 §7.1: the JWS Compact Serialization, three base64url parts joined by periods. */
const compactJws = (description: string): JsonSchema => ({
  type: "string",
  pattern: "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$",
  description,
});

/** A check of a presentation (structure, proof, challenge, domain) or the sum of its credentials' results. */
const presentationCheck: JsonSchema = {
  type: "object",
  required: ["check", "status", "detail"],
  properties: {
    check: { enum: ["format", "proof", "credentials"] },
    status: { enum: ["ok", "error", "skipped"] },
    detail: { type: "string" },
  },
};

/** An imported trusted list's record: the stored list, as GET /v1/admin/trust lists it. */
const trustListRecord: JsonSchema = {
  type: "object",
  required: ["source", "anchorCount", "importedAt"],
  properties: {
    source: str,
    kind: { enum: ["lotl", "tsl", "configured"] },
    territory: { type: "string", pattern: "^[A-Z]{2}$" },
    sequenceNumber: { type: "integer", minimum: 0 },
    issuedAt: dateTime,
    nextUpdate: dateTime,
    anchorCount: { type: "integer", minimum: 0 },
    importedAt: dateTime,
    pointers: {
      type: "array",
      items: { type: "object", required: ["territory", "location"], properties: { territory: str, location: str } },
    },
  },
};

/**
 * One line of a job's results (JSON Lines, one JSON value per line): the row's signed credential, its error, or
 * (a convert-only registry batch) its converted credential.
 */
export const jobResultLine: JsonSchema = {
  type: "object",
  required: ["row"],
  properties: {
    row: { type: "integer", minimum: 1 },
    verifiableCredential: credential,
    credential: { type: "object" },
    error: {
      type: "object",
      required: ["path", "message"],
      properties: { path: { type: "string" }, message: { type: "string" } },
    },
    outcome: { type: "object" },
  },
  oneOf: [{ required: ["verifiableCredential"] }, { required: ["error"] }, { required: ["credential"] }],
};

/** A delivery's state (`deliveryView`): no learner data, only the recipient's kind. */
const delivery: JsonSchema = {
  type: "object",
  required: ["id", "status", "attempts", "lastError", "credentialId", "recipient", "createdAt", "updatedAt"],
  properties: {
    id: str,
    status: { enum: ["pending", "delivered", "failed"] },
    attempts: { type: "integer", minimum: 0 },
    lastError: { type: ["string", "null"] },
    credentialId: str,
    recipient: { enum: ["email", "walletId"] },
    createdAt: dateTime,
    updatedAt: dateTime,
    nextAttemptAt: dateTime,
    deadLettered: { const: true },
    note: { type: "string" },
  },
};

/**
 * Response schemas of the operations whose route entry names none (pages, assets, non-JSON documents and the
 * answers described only in prose), by operationId. The OpenAPI document takes a route's own schema first.
 */
export const RESPONSE_SCHEMAS_BY_OPERATION: Record<string, JsonSchema> = {
  // JSON answers described by `response-schemas.ts` (kept out of the route table, so out of every function's init).
  check: responseSchemas.check,
  importRegistry: responseSchemas.registryImport,
  matchRegistry: responseSchemas.registryMatch,
  getTrustRegistry: responseSchemas.trustRegistry,
  putTrustedIssuers: responseSchemas.trustRegistry,
  putTrustedRoots: responseSchemas.trustList,
  revokeCredential: responseSchemas.revoked,
  getStatusList: responseSchemas.statusList,
  registerIssuer: responseSchemas.registeredIssuer,
  getIssuerDidDocument: responseSchemas.didDocument,
  getIssuerJwks: responseSchemas.jwks,
  createToken: responseSchemas.createdToken,
  rotateToken: responseSchemas.rotatedToken,
  revokeToken: responseSchemas.revokedToken,
  listJobs: responseSchemas.jobs,
  createCredentialOffer: responseSchemas.createdOffer,
  getCredentialIssuerMetadata: responseSchemas.credentialIssuerMetadata,
  getCredentialIssuerMetadataAppended: responseSchemas.credentialIssuerMetadata,
  getAuthorizationServerMetadata: responseSchemas.authorizationServerMetadata,
  getAuthorizationServerMetadataAppended: responseSchemas.authorizationServerMetadata,
  oid4vciToken: responseSchemas.accessToken,
  createPresentationRequest: responseSchemas.createdPresentationRequest,
  getPresentationRequest: responseSchemas.presentationRequest,
  getPageRequestResult: responseSchemas.presentationRequest,
  issueCredential: responseSchemas.issued,
  issueCredentialVcApi: responseSchemas.issued,
  getJwtVcIssuerMetadata: responseSchemas.jwtVcIssuerMetadata,
  getTypeMetadata: responseSchemas.typeMetadata,
  getIssuer: responseSchemas.issuer,
  rotateIssuerKey: responseSchemas.issuer,
  putIssuerCertificate: responseSchemas.issuer,
  getJob: responseSchemas.job,
  health: responseSchemas.health,
  openapi: responseSchemas.openapi,
  getCredentialOffer: responseSchemas.credentialOffer,
  oid4vciNonce: responseSchemas.nonce,
  verifierPage: text("text/html", "The verifier page (HTML)"),
  consolePage: text("text/html", "The registrar console (HTML)"),
  apiReference: text("text/html", "The API reference page (HTML)"),
  getApiReferenceAsset: text("text/javascript", "A script of the API reference page"),
  consoleOfferQr: text("image/svg+xml", "The QR code of the offer, an SVG document"),
  /** JSON-LD 1.1 §3.1 / §9.15: a context document is a map whose `@context` holds the context definition. */
  getOb3ElmContext: {
    type: "object",
    required: ["@context"],
    properties: { "@context": { type: ["object", "array"] } },
    ...open,
  },
  /** RFC 7468 §7: a PKCS #10 request as PEM text, labelled CERTIFICATE REQUEST. */
  getIssuerCsr: {
    type: "string",
    pattern:
      "^-----BEGIN CERTIFICATE REQUEST-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END CERTIFICATE REQUEST-----\\r?\\n?$",
    description: "The CSR of the issuer's eSeal key, PEM",
  },
  getTokenStatusList: compactJws("The Token Status List as a JWT (statuslist+jwt)"),
  getPresentationRequestObject: compactJws("The signed OpenID4VP request object (oauth-authz-req+jwt)"),
  getJobResults: {
    type: "string",
    contentMediaType: "application/jsonl",
    description: "JSON Lines: one JSON object a row, `{row, verifiableCredential}` or `{row, error: {path, message}}`",
  },
  verifyPresentation: {
    type: "object",
    required: ["verified", "presentationResult", "credentialResults", "checks", "warnings", "errors"],
    properties: {
      verified: { type: "boolean", description: "No presentation check in error and every credential verified." },
      presentationResult: {
        type: "object",
        required: ["verified", "checks"],
        properties: { verified: { type: "boolean" }, checks: { type: "array", items: presentationCheck } },
      },
      credentialResults: { type: "array", items: verificationResultSchema },
      checks: { type: "array", items: presentationCheck },
      warnings: { type: "array", items: { type: "string" } },
      errors: { type: "array", items: { type: "string" } },
    },
  },
  importTrustedList: {
    ...trustListRecord,
    properties: {
      ...(trustListRecord.properties as Record<string, JsonSchema>),
      skipped: {
        type: "object",
        description: "Services of the list not taken as anchors, counted by why.",
        properties: {
          notCaQc: { type: "integer", minimum: 0 },
          notGranted: { type: "integer", minimum: 0 },
          notForSeals: { type: "integer", minimum: 0 },
          unreadableCertificates: { type: "integer", minimum: 0 },
        },
      },
    },
  },
  createJob: {
    type: "object",
    required: ["id"],
    properties: {
      id: str,
      profile: { type: "object" },
      unmapped: { type: "array", items: { type: "string" } },
      upload: {
        type: "object",
        required: ["url", "method", "headers", "expiresAt"],
        properties: {
          url: { type: "string", format: "uri" },
          method: { const: "PUT" },
          headers: { type: "object", additionalProperties: { type: "string" } },
          expiresAt: dateTime,
        },
      },
    },
  },
  startJob: { type: "object", required: ["id"], properties: { id: str } },
  createDelivery: { type: "object", required: ["id"], properties: { id: str } },
  getDelivery: delivery,
  importCredential: {
    type: "object",
    required: ["source", "credential"],
    properties: {
      source: {
        oneOf: [
          {
            type: "object",
            required: ["kind", "shareHash"],
            properties: { kind: { const: "shareLink" }, shareHash: str },
          },
          {
            type: "object",
            required: ["kind", "walletId", "credentialId"],
            properties: { kind: { const: "wallet" }, walletId: str, credentialId: str },
          },
        ],
      },
      credential: { description: "The credential file as the wallet served it." },
      conversion: { type: "object", description: "With `to`: the conversion, as POST /v1/convert answers it." },
      verification: verificationResultSchema,
    },
  },
  /** OpenID4VCI 1.0 §8.3: `credentials`, a non-empty array of objects each holding one issued `credential`. */
  oid4vciCredential: {
    type: "object",
    required: ["credentials"],
    properties: {
      credentials: {
        type: "array",
        minItems: 1,
        items: { type: "object", required: ["credential"], properties: { credential: {} }, ...open },
      },
    },
    ...open,
  },
  /** OpenID4VP 1.0 §8.2: the response endpoint answers a JSON object, with `redirect_uri` when it redirects. */
  postPresentationResponse: {
    type: "object",
    properties: { redirect_uri: { type: "string", format: "uri" } },
    ...open,
  },
};
