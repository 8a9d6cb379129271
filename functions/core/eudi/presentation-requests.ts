/**
 * The gateway's OpenID4VP 1.0 verifier, cross-device: a registered issuer asks a wallet for credentials with a DCQL
 * query; the wallet fetches a signed request object (JAR, `typ: oauth-authz-req+jwt`) at the request URI, and posts
 * its `vp_token` to the response URI (`response_mode: direct_post`). Each presentation is verified like any SD-JWT VC
 * (`verify/sd-jwt-vc.ts`), with the request's `nonce` and the full prefixed `client_id` as the Key Binding JWT's
 * `nonce` and `aud` (OpenID4VP 1.0 Appendix B.3), and the answer is matched against the query with `dcql`. A
 * request takes one response, before it expires.
 *
 * The verifier is identified as HAIP asks, by `x509_hash:` (base64url SHA-256 of the DER leaf certificate, the chain
 * in the request object's `x5c`), when the issuer holds a certificate for its P-256 key; else by
 * `decentralized_identifier:` its did:web with the key's `kid`.
 *
 * W3C credentials (Open Badges 3.0 and any VCDM credential) are asked for with the `ldp_vc` and `jwt_vc_json` formats
 * (OpenID4VP 1.0 Appendix B.1): a presentation is a Data Integrity VP whose `authentication` proof carries the
 * request's `nonce` as `challenge` and the `client_id` as `domain`, or a VP-JWT with them as `nonce` and `aud`; it is
 * verified like `POST /presentations/verify`, every credential in it too, and matched against the DCQL query by the
 * credentials' fully expanded types (`meta.type_values`).
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { DcqlPresentationResult, DcqlQuery } from "dcql";
import { compactDecrypt, importJWK, type JWK } from "jose";
import jsonld from "jsonld";
import { isRecord } from "../../../lib/guards.js";
import { gatewayContexts } from "../../../mappings/contexts.js";
import { microCredentialVct } from "../../../mappings/sd-jwt-vc/type-metadata.js";
import { GatewayError, notFound } from "../../kernel/errors.js";
import type {
  CredentialStore,
  IdGenerator,
  IssuerRecord,
  Oid4vpStore,
  PresentationRequestRecord,
  Signer,
} from "../../kernel/ports/index.js";
import { decodeVcJwt } from "../../proofs/vc-jwt.js";
import { verificationMethodId } from "../issuers/did.js";
import { issuerSigner } from "../issuers/signer.js";
import { type Principal, requireIssuer } from "../tokens/auth.js";
import { verifyPresentation } from "../verify/presentation.js";
import { type SdJwtVcVerifyDeps, verifySdJwtVcCredential } from "../verify/sd-jwt-vc.js";
import type { VerifyDeps } from "../verify/verify.js";

export interface PresentationRequestDeps extends SdJwtVcVerifyDeps {
  store: Pick<CredentialStore, "getIssuer">;
  oid4vp: Oid4vpStore;
  signer: Signer;
  ids: IdGenerator;
  /** What verifying a W3C presentation and its credentials takes (`ldp_vc`, `jwt_vc_json`). */
  w3c: VerifyDeps;
}

export interface CreatePresentationRequestInput {
  query?: Record<string, unknown>;
  preset?: "micro-credential" | "open-badge";
  purpose?: string;
  /** The issuer (slug) acting as verifier; an issuer token's own by default. */
  verifier?: string;
  /** How long the wallet has (seconds; default 300). */
  expiresIn?: number;
  /** `direct_post.jwt`: the response encrypted to a key of the request (HAIP); default `direct_post`. */
  responseMode?: "direct_post" | "direct_post.jwt";
}

/** Content encryption a `direct_post.jwt` response may use (OpenID4VP 1.0 §8.3; HAIP names A128GCM and A256GCM). */
const RESPONSE_ENC_VALUES = ["A128GCM", "A256GCM"];

const DEFAULT_TTL_SECONDS = 300;
/** The claims the micro-credential preset asks for: what a recruiter needs, not who the learner is. */
const PRESET_CLAIMS = ["achievement_title", "awarding_body", "workload", "level"];
/** OpenID4VP §5.8: the audience of a request object under static discovery. */
const SELF_ISSUED_AUDIENCE = "https://self-issued.me/v2";

const fail = (pointer: string, detail: string) => new GatewayError("validation-failed", detail, [{ pointer, detail }]);

export const requestUri = (publicUrl: string, id: string) => `${publicUrl}/oid4vp/requests/${encodeURIComponent(id)}`;
export const responseUri = (publicUrl: string, id: string) => `${publicUrl}/oid4vp/responses/${encodeURIComponent(id)}`;

/** The DCQL query of the micro-credential preset: one dc+sd-jwt of the gateway's micro-credential type. */
export function microCredentialQuery(publicUrl: string): Record<string, unknown> {
  return {
    credentials: [
      {
        id: "micro_credential",
        format: "dc+sd-jwt",
        meta: { vct_values: [microCredentialVct(publicUrl)] },
        claims: PRESET_CLAIMS.map((name) => ({ path: [name] })),
      },
    ],
  };
}

/** OB 3.0's credential types, fully expanded by its context (OpenID4VP 1.0 B.1.1: `type_values` are IRIs). */
const OB3_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";

/** The DCQL query of the open-badge preset: one Open Badges 3.0 credential, as a Data Integrity VP or a VP-JWT. */
export function openBadgeQuery(): Record<string, unknown> {
  return {
    credentials: [
      {
        id: "open_badge",
        format: "ldp_vc",
        meta: { type_values: [[`${OB3_VOCAB}OpenBadgeCredential`], [`${OB3_VOCAB}AchievementCredential`]] },
        claims: [{ path: ["credentialSubject", "achievement", "name"] }],
      },
    ],
  };
}

const presetQuery = (preset: CreatePresentationRequestInput["preset"], publicUrl: string) =>
  preset === "open-badge" ? openBadgeQuery() : microCredentialQuery(publicUrl);

function parseQuery(query: unknown): DcqlQuery {
  // OpenID4VP 1.0 §6.1: `meta` is REQUIRED in every Credential Query (dcql 3.0.0 lets it be absent).
  const credentials = isRecord(query) && Array.isArray(query.credentials) ? query.credentials : [];
  const withoutMeta = credentials.findIndex((c) => !isRecord(c) || !isRecord(c.meta));
  if (withoutMeta >= 0) {
    throw fail(`/body/query/credentials/${withoutMeta}/meta`, "every credential query needs meta (OpenID4VP 1.0 §6.1)");
  }
  try {
    const parsed = DcqlQuery.parse(query as DcqlQuery.Input);
    DcqlQuery.validate(parsed);
    return parsed;
  } catch (error) {
    throw fail("/body/query", `not a valid DCQL query: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString("base64url");

async function verifierIdentity(issuer: IssuerRecord) {
  const key = issuer.keys.findLast((k) => k.type === "P-256" && k.algorithms.includes("ES256"));
  if (!key) {
    throw new GatewayError("unprocessable", "the verifier needs a P-256 key to sign its request objects (ES256)", [
      { pointer: "/body/verifier", detail: "the issuer has no P-256 key" },
    ]);
  }
  const certificate = issuer.certificates?.find((c) => c.keyFragment === key.fragment);
  if (certificate?.chain[0]) {
    const leaf = Buffer.from(certificate.chain[0], "base64");
    const hash = createHash("sha256").update(leaf).digest("base64url");
    return { key, clientId: `x509_hash:${hash}`, header: { x5c: certificate.chain } };
  }
  const kid = verificationMethodId(issuer, key);
  return { key, clientId: `decentralized_identifier:${issuer.id}`, header: { kid } };
}

export interface CreatedPresentationRequest {
  id: string;
  requestUri: string;
  walletUrl: string;
  expiresAt: string;
  clientId: string;
}

/** `POST /v1/presentation-requests`. */
export async function createPresentationRequest(
  deps: PresentationRequestDeps,
  principal: Principal,
  input: CreatePresentationRequestInput,
): Promise<CreatedPresentationRequest> {
  const slug = input.verifier ?? (principal.role === "issuer" ? principal.issuerId : undefined);
  if (!slug) throw fail("/body/verifier", "name the issuer acting as verifier");
  requireIssuer(principal, slug);
  const issuer = await deps.store.getIssuer(slug);
  if (!issuer) throw notFound(`issuer "${slug}"`, "/body/verifier");
  if (input.query !== undefined && input.preset !== undefined)
    throw fail("/body/query", "send query or preset, not both");
  const query = parseQuery(input.query ?? presetQuery(input.preset, deps.publicUrl));
  return openRequest(deps, issuer, query, {
    ttl: input.expiresIn ?? DEFAULT_TTL_SECONDS,
    ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
    ...(input.responseMode === "direct_post.jwt" ? { encrypted: true } : {}),
  });
}

const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * `POST /verifier/presentation-requests`: the verifier page's "Ask a wallet", for anyone, so it can do little: a
 * preset query only (never a query of the caller's, which would let anyone ask wallets for a learner's name or birth
 * date under the configured verifier's name), the default lifetime, and an answer readable only with the `pollKey`
 * returned here (the request id is in the QR code, which anyone near the screen can read).
 */
export async function createPageRequest(
  deps: PresentationRequestDeps,
  pageVerifier: string | undefined,
  input: { preset?: CreatePresentationRequestInput["preset"] },
): Promise<CreatedPresentationRequest & { pollKey: string }> {
  const issuer = pageVerifier ? await deps.store.getIssuer(pageVerifier) : undefined;
  if (!issuer) {
    throw new GatewayError("not-found", "this gateway has no page verifier (GATEWAY_PAGE_VERIFIER is not set)", [
      { pointer: "/path", detail: "asking a wallet from the verifier page is not configured" },
    ]);
  }
  const pollKey = deps.ids.secret(16);
  const created = await openRequest(deps, issuer, parseQuery(presetQuery(input.preset, deps.publicUrl)), {
    ttl: DEFAULT_TTL_SECONDS,
    purpose: "Verifier page",
    pollKeySha256: sha256Hex(pollKey),
    // HAIP: the wallet's answer is encrypted to a key of this request (direct_post.jwt).
    encrypted: true,
  });
  return { ...created, pollKey };
}

/** `POST /verifier/presentation-requests/{id}/result`: the page's request's state, for the holder of its key. */
export async function pageRequestStatus(
  deps: PresentationRequestDeps,
  id: string,
  key: string,
): Promise<Record<string, unknown>> {
  const record = await deps.oid4vp.getPresentationRequest(id);
  // A wrong key and an unknown id answer alike: the key is the only capability.
  if (!record?.pollKeySha256 || record.pollKeySha256 !== sha256Hex(key)) {
    throw notFound("presentation request", "/path/id");
  }
  return stateOf(deps, record);
}

async function openRequest(
  deps: PresentationRequestDeps,
  issuer: IssuerRecord,
  query: DcqlQuery,
  options: { ttl: number; purpose?: string; pollKeySha256?: string; encrypted?: boolean },
): Promise<CreatedPresentationRequest> {
  const ttl = options.ttl;
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  const id = deps.ids.secret(16);
  // OpenID4VP §5.2: fresh, unpredictable, URL-safe; `state` of 128 bits or more.
  const nonce = deps.ids.secret(16);
  const state = deps.ids.secret(16);
  const identity = await verifierIdentity(issuer);
  const header = { alg: "ES256", typ: "oauth-authz-req+jwt", ...identity.header };
  // direct_post.jwt: an ephemeral ECDH-ES key of this request alone, its public half in client_metadata.jwks.
  const responseKey = options.encrypted ? responseKeyPair(deps.ids.secret(8)) : undefined;
  const payload = {
    aud: SELF_ISSUED_AUDIENCE,
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(expiresAt.getTime() / 1000),
    client_id: identity.clientId,
    response_type: "vp_token",
    response_mode: responseKey ? "direct_post.jwt" : "direct_post",
    response_uri: responseUri(deps.publicUrl, id),
    nonce,
    state,
    dcql_query: query,
    client_metadata: {
      ...(responseKey
        ? { jwks: { keys: [responseKey.publicJwk] }, encrypted_response_enc_values_supported: RESPONSE_ENC_VALUES }
        : {}),
      vp_formats_supported: {
        "dc+sd-jwt": { "sd-jwt_alg_values": ["ES256"], "kb-jwt_alg_values": ["ES256", "EdDSA"] },
        ldp_vc: { proof_type_values: ["DataIntegrityProof"], cryptosuite_values: ["eddsa-rdfc-2022"] },
        jwt_vc_json: { alg_values: ["EdDSA", "ES256", "RS256", "PS256"] },
      },
    },
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = await issuerSigner(deps.signer, issuer.slug).sign(
    identity.key.keyRef,
    "ES256",
    new TextEncoder().encode(signingInput),
  );
  const record: PresentationRequestRecord = {
    id,
    verifierSlug: issuer.slug,
    clientId: identity.clientId,
    nonce,
    state,
    query: query as unknown as Record<string, unknown>,
    ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
    ...(options.pollKeySha256 !== undefined ? { pollKeySha256: options.pollKeySha256 } : {}),
    ...(responseKey ? { responseKey: responseKey.privateJwk } : {}),
    requestObject: `${signingInput}.${b64url(signature)}`,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
  await deps.oid4vp.putPresentationRequest(record);
  const uri = requestUri(deps.publicUrl, id);
  const walletUrl = `openid4vp://?client_id=${encodeURIComponent(identity.clientId)}&request_uri=${encodeURIComponent(uri)}`;
  return { id, requestUri: uri, walletUrl, expiresAt: record.expiresAt, clientId: identity.clientId };
}

/** A P-256 key pair for ECDH-ES (JWK), the public half marked for encryption and named by `kid`. */
function responseKeyPair(kid: string): { publicJwk: Record<string, unknown>; privateJwk: Record<string, unknown> } {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid, use: "enc", alg: "ECDH-ES" };
  return { publicJwk, privateJwk: { ...privateKey.export({ format: "jwk" }), kid } };
}

/**
 * A `direct_post.jwt` response (OpenID4VP 1.0 §8.3): the JWE, ECDH-ES to the request's key with an `enc` the request
 * named, decrypted into the response parameters it carries.
 */
async function decryptResponse(record: PresentationRequestRecord, jwe: string): Promise<Record<string, string>> {
  if (!record.responseKey) throw invalidRequest("this request takes a plain direct_post response", "/body/response");
  let plaintext: Uint8Array;
  try {
    const key = await importJWK(record.responseKey as JWK, "ECDH-ES");
    ({ plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: ["ECDH-ES"],
      contentEncryptionAlgorithms: RESPONSE_ENC_VALUES,
    }));
  } catch (error) {
    throw invalidRequest(
      `the response is not a JWE this request can decrypt: ${error instanceof Error ? error.message : String(error)}`,
      "/body/response",
    );
  }
  let parameters: unknown;
  try {
    parameters = JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    throw invalidRequest("the decrypted response is not a JSON object", "/body/response");
  }
  if (!isRecord(parameters)) throw invalidRequest("the decrypted response is not a JSON object", "/body/response");
  // vp_token is an object in the JSON payload; the form's string form is what the rest of the endpoint reads.
  return Object.fromEntries(
    Object.entries(parameters).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

const expired = (record: PresentationRequestRecord, now: Date) => Date.parse(record.expiresAt) <= now.getTime();

/** `GET /oid4vp/requests/{id}`: the signed request object, while the request is open. */
export async function requestObjectOf(deps: PresentationRequestDeps, id: string): Promise<string> {
  const record = await deps.oid4vp.getPresentationRequest(id);
  if (!record) throw notFound("presentation request", "/path/id");
  if (expired(record, deps.clock.now())) {
    throw new GatewayError("not-found", "this presentation request has expired", [
      { pointer: "/path/id", detail: "expired" },
    ]);
  }
  if (record.receivedAt) {
    throw new GatewayError("not-found", "this presentation request was answered", [
      { pointer: "/path/id", detail: "answered" },
    ]);
  }
  return record.requestObject;
}

/** An error of the response endpoint, which answers it as OAuth `invalid_request` too (OpenID4VP §8.5). */
const invalidRequest = (detail: string, pointer = "/body") =>
  new GatewayError("validation-failed", detail, [{ pointer, detail }]);

/** `POST /oid4vp/responses/{id}` (direct_post): the wallet's `vp_token` and `state`, form-encoded. */
export async function receiveResponse(
  deps: PresentationRequestDeps,
  id: string,
  posted: Record<string, string>,
): Promise<Record<string, unknown>> {
  const record = await deps.oid4vp.getPresentationRequest(id);
  if (!record) throw notFound("presentation request", "/path/id");
  const now = deps.clock.now();
  if (expired(record, now)) throw invalidRequest("this presentation request has expired", "/path/id");
  if (record.receivedAt) throw invalidRequest("this presentation request was answered already", "/path/id");
  // A request that asked for direct_post.jwt takes only an encrypted response: its claims are not to travel in clear.
  if (record.responseKey && posted.response === undefined) {
    throw invalidRequest("this request asked for direct_post.jwt: send the encrypted response", "/body/response");
  }
  const form = posted.response !== undefined ? await decryptResponse(record, posted.response) : posted;
  if (form.state !== record.state) throw invalidRequest("state does not match the request's", "/body/state");
  if (form.error !== undefined) {
    const result = {
      verified: false,
      walletError: form.error,
      ...(form.error_description ? { detail: form.error_description } : {}),
    };
    if (!(await deps.oid4vp.completePresentationRequest(id, result, now))) {
      throw invalidRequest("this presentation request was answered already", "/path/id");
    }
    return {};
  }
  let vpToken: unknown;
  try {
    vpToken = JSON.parse(form.vp_token ?? "");
  } catch {
    throw invalidRequest("vp_token must be a JSON object (DCQL credential id → presentations)", "/body/vp_token");
  }
  if (!isRecord(vpToken)) throw invalidRequest("vp_token must be a JSON object", "/body/vp_token");
  const result = await verifyVpToken(deps, record, vpToken);
  // One response per request: a replay finds the request taken, even one racing this one.
  if (!(await deps.oid4vp.completePresentationRequest(id, result, now))) {
    throw invalidRequest("this presentation request was answered already", "/path/id");
  }
  return {};
}

async function verifyVpToken(
  deps: PresentationRequestDeps,
  record: PresentationRequestRecord,
  vpToken: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const query = record.query as unknown as DcqlQuery;
  const credentials: Record<string, unknown>[] = [];
  const forDcql: Record<string, unknown[]> = {};
  let allVerified = true;
  const queryIds = new Set(query.credentials.map((c) => c.id));
  for (const [queryId, presentations] of Object.entries(vpToken)) {
    if (!queryIds.has(queryId))
      throw invalidRequest(`vp_token answers no credential query ${queryId}`, "/body/vp_token");
    const list = Array.isArray(presentations) ? presentations : [presentations];
    forDcql[queryId] = [];
    const format = query.credentials.find((c) => c.id === queryId)?.format;
    if (format === "ldp_vc" || format === "jwt_vc_json") {
      for (const presentation of list) {
        const answer = await verifyW3cPresentation(deps, record, format, presentation);
        allVerified &&= answer.verified;
        credentials.push({ query: queryId, ...answer.report });
        (forDcql[queryId] as unknown[]).push(...answer.forDcql);
      }
      continue;
    }
    for (const presentation of list) {
      if (typeof presentation !== "string") throw invalidRequest("a presentation must be a string", "/body/vp_token");
      const report = await verifySdJwtVcCredential(deps, presentation, { nonce: record.nonce, aud: record.clientId });
      const verified = report.checks.every((c) => c.status !== "error");
      allVerified &&= verified;
      credentials.push({
        query: queryId,
        verified,
        checks: report.checks,
        ...(report.sdJwtVc
          ? {
              iss: report.sdJwtVc.iss,
              vct: report.sdJwtVc.vct,
              disclosed: report.sdJwtVc.disclosed,
              claims: report.sdJwtVc.claims,
            }
          : {}),
      });
      if (report.sdJwtVc) {
        (forDcql[queryId] as unknown[]).push({
          credential_format: "dc+sd-jwt",
          vct: report.sdJwtVc.vct,
          claims: report.sdJwtVc.claims,
          cryptographic_holder_binding: report.sdJwtVc.keyBinding,
        });
      }
    }
  }
  let satisfied = false;
  let dcqlDetail: string | undefined;
  try {
    const match = DcqlPresentationResult.fromDcqlPresentation(
      forDcql as Parameters<typeof DcqlPresentationResult.fromDcqlPresentation>[0],
      { dcqlQuery: query },
    );
    satisfied = match.can_be_satisfied;
    if (!satisfied) dcqlDetail = "the presentations do not satisfy the DCQL query";
  } catch (error) {
    dcqlDetail = `the presentations do not satisfy the DCQL query: ${error instanceof Error ? error.message : String(error)}`;
  }
  const verified = allVerified && satisfied && credentials.length > 0;
  const disclosed = credentials.flatMap((c) => (Array.isArray(c.disclosed) ? (c.disclosed as string[]) : []));
  const firstError = credentials
    .flatMap((c) =>
      (c.checks as { status: string; check: string; detail: string }[]).filter((k) => k.status === "error"),
    )
    .map((k) => `${k.check}: ${k.detail}`)[0];
  return {
    verified,
    verdict: {
      status: verified ? "valid" : "invalid",
      summary: verified
        ? `The wallet presented ${credentials.length} verified credential(s) answering the request, disclosing ${disclosed.join(", ")}.`
        : `Not valid: ${firstError ?? dcqlDetail ?? "no credential was presented"}.`,
    },
    credentials,
    disclosed,
    ...(dcqlDetail ? { dcql: dcqlDetail } : {}),
  };
}

/**
 * One W3C presentation of a `vp_token`: an object (a Data Integrity VP) for `ldp_vc`, a VP-JWT for `jwt_vc_json`
 * (OpenID4VP 1.0 B.1.3). The request's nonce and client_id are the challenge and domain it must be made for.
 */
async function verifyW3cPresentation(
  deps: PresentationRequestDeps,
  record: PresentationRequestRecord,
  format: "ldp_vc" | "jwt_vc_json",
  presentation: unknown,
): Promise<{ verified: boolean; report: Record<string, unknown>; forDcql: unknown[] }> {
  if (format === "ldp_vc" && !isRecord(presentation))
    throw invalidRequest("an ldp_vc presentation must be a JSON object (a verifiable presentation)", "/body/vp_token");
  if (format === "jwt_vc_json" && typeof presentation !== "string")
    throw invalidRequest("a jwt_vc_json presentation must be a VP-JWT string", "/body/vp_token");
  let result: Awaited<ReturnType<typeof verifyPresentation>>;
  try {
    result = await verifyPresentation(deps.w3c, {
      verifiablePresentation: presentation,
      options: { challenge: record.nonce, domain: record.clientId },
    });
  } catch (error) {
    if (error instanceof GatewayError) throw invalidRequest(error.message, "/body/vp_token");
    throw error;
  }
  const vp = presentationObject(presentation);
  const documents = (Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : [vp.verifiableCredential])
    .map(credentialObject)
    .filter((c): c is Record<string, unknown> => c !== undefined);
  const forDcql: unknown[] = [];
  for (const [i, credential] of documents.entries()) {
    if (!result.credentialResults[i]?.verified) continue;
    forDcql.push({
      credential_format: format,
      type: await expandedTypes(credential, deps.w3c.ob3ElmContextUrl),
      claims: credential,
      cryptographic_holder_binding: result.presentationResult.verified,
    });
  }
  return {
    verified: result.verified,
    report: {
      verified: result.verified,
      checks: result.checks,
      credentialResults: result.credentialResults.map((r) => ({ verified: r.verified, checks: r.checks })),
      ...(result.errors.length > 0 ? { errors: result.errors } : {}),
    },
    forDcql,
  };
}

/** The presentation as JSON: the object itself, or a VP-JWT's `vp` claim (else its payload, VCDM 2.0). */
function presentationObject(presentation: unknown): Record<string, unknown> {
  if (isRecord(presentation)) return presentation;
  // decodeVcJwt reads a `vc` claim, else the payload without registered claims: a VCDM 1.1 VP-JWT's is in `vp`.
  const { credential: payload } = decodeVcJwt(String(presentation));
  return isRecord(payload.vp) ? payload.vp : payload;
}

/** A credential of a presentation as JSON: the object, or a VC-JWT's credential. */
function credentialObject(value: unknown): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  if (typeof value !== "string") return undefined;
  try {
    return decodeVcJwt(value).credential;
  } catch {
    return undefined;
  }
}

/**
 * The credential's `type` values expanded to IRIs by its own contexts (the declared contexts only, with the
 * configured extension context URL; never fetched).
 */
async function expandedTypes(credential: Record<string, unknown>, ob3ElmContextUrl?: string): Promise<string[]> {
  const { documentLoader } = gatewayContexts({ ob3ElmContextUrl });
  try {
    const expanded = await jsonld.expand(
      { "@context": credential["@context"], type: credential.type },
      { documentLoader, safe: true },
    );
    const types = (expanded[0] as { "@type"?: unknown } | undefined)?.["@type"];
    return Array.isArray(types) ? types.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

/** `GET /v1/presentation-requests/{id}`: pending, received (with the result) or expired. */
export async function presentationRequestStatus(
  deps: PresentationRequestDeps,
  principal: Principal,
  id: string,
): Promise<Record<string, unknown>> {
  const record = await deps.oid4vp.getPresentationRequest(id);
  if (!record) throw notFound("presentation request", "/path/id");
  requireIssuer(principal, record.verifierSlug);
  return stateOf(deps, record);
}

function stateOf(deps: PresentationRequestDeps, record: PresentationRequestRecord): Record<string, unknown> {
  const base = { id: record.id, expiresAt: record.expiresAt, ...(record.purpose ? { purpose: record.purpose } : {}) };
  if (record.receivedAt) return { ...base, status: "received", receivedAt: record.receivedAt, result: record.result };
  if (expired(record, deps.clock.now())) return { ...base, status: "expired" };
  return { ...base, status: "pending" };
}
