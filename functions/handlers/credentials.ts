/**
 * Lambda: issuing and verifying (POST /v1/credentials/issue, /v1/credentials/verify and their W3C VC API aliases),
 * verifying presentations (POST /presentations/verify), revocation (POST /v1/credentials/{id}/revoke) and the status
 * list credentials (GET /status-lists/{id}).
 */
import { depsFor, type GatewayDeps, trustPort, type Wiring } from "../composition.js";
import type { RevokeInput } from "../core/status/revoke.js";
import type { TrustAdminDeps } from "../core/trust/admin.js";
import type { VerifyPresentationInput } from "../core/verify/presentation.js";
import type { VerificationResult } from "../core/verify/verify.js";
import { familyHandler, type RouteFn } from "../http/family.js";
import { schemas } from "../http/schemas.js";
import { bodyOf } from "../http/validated.js";
import { GatewayError } from "../kernel/errors.js";
import { issueDepsOf, issueWiring, verifyDepsOf, verifyWiring } from "./use-case-deps.js";

// Each route's use case loads on the route's first request, not at the function's init (cold start). The
// bundle keeps them in chunks of their own: Data Integrity (jsonld, the RDF canonicalizer), JAdES and x509, the OB 3.0
// schema validators, the trusted-list parser.
const issuing = () => import("../core/issue/issue.js");
const verifying = () => import("../core/verify/verify.js");
const presentations = () => import("../core/verify/presentation.js");
const revoking = () => import("../core/status/revoke.js");
const statusLists = () => import("../core/status/status-lists.js");
const trustAdmin = () => import("../core/trust/admin.js");
const tokenStatusLists = () => import("../core/status/token-status-list.js");
const sdJwtVcIssuing = () => import("../core/issue/sd-jwt-vc.js");
const typeMetadata = () => import("../../mappings/sd-jwt-vc/type-metadata.js");

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const issue: RouteFn = async ({ headers, principal, deps, ...req }) => {
  const key = headers["idempotency-key"];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new GatewayError("validation-failed", "Idempotency-Key must be 1–255 visible ASCII characters", [
      { pointer: "/headers/idempotency-key", detail: "1–255 visible ASCII characters" },
    ]);
  }
  const { issueCredential } = await issuing();
  const result = await issueCredential(issueDepsOf(deps), principal, bodyOf(req, schemas.issue), key);
  return {
    status: 201,
    body: { verifiableCredential: result.verifiableCredential },
    headers: { "cache-control": "no-store", ...(result.replayed ? { "idempotent-replayed": "true" } : {}) },
  };
};

async function verified(req: Parameters<RouteFn>[0]): Promise<VerificationResult> {
  const { verifyCredential } = await verifying();
  const { verifiableCredential, options } = bodyOf(req, schemas.verify);
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const challenge = text(options?.challenge);
  const domain = text(options?.domain);
  return verifyCredential(verifyDepsOf(req.deps), {
    verifiableCredential,
    ...(challenge !== undefined || domain !== undefined
      ? { options: { ...(challenge !== undefined ? { challenge } : {}), ...(domain !== undefined ? { domain } : {}) } }
      : {}),
  });
}

/** The hosted check: always 200, `verified` says the outcome. */
const verify: RouteFn = async (req) => ({
  status: 200,
  body: await verified(req),
  headers: { "cache-control": "no-store" },
});

/** W3C VC API: 200 only when verified, 422 with the same body when any check fails. */
const verifyVcApi: RouteFn = async (req) => {
  const vc = bodyOf(req, schemas.verify).verifiableCredential;
  // VC Data Integrity: a secured document that is not a map is refused (PARSING_ERROR); the /v1 route's leniency
  // (JSON text parsed) is not the VC API's.
  if (typeof vc === "string" && vc.trim().startsWith("{")) {
    throw new GatewayError("unprocessable", "PARSING_ERROR: verifiableCredential is a string, not a JSON object", [
      { pointer: "/body/verifiableCredential", detail: "a secured document must be a JSON object, not JSON text" },
    ]);
  }
  const result = await verified(req);
  return { status: result.verified ? 200 : 422, body: result, headers: { "cache-control": "no-store" } };
};

/** W3C VC API: 200 only when the presentation and every credential in it verify, 422 with the same body otherwise. */
const verifyPresentationVcApi: RouteFn = async (req) => {
  const { deps, signal } = req;
  const { verifyPresentation } = await presentations();
  const input: VerifyPresentationInput = bodyOf(req, schemas.verifyPresentation);
  const result = await verifyPresentation(verifyDepsOf(deps), input, deps.config.inputLimits, signal);
  return { status: result.verified ? 200 : 422, body: result, headers: { "cache-control": "no-store" } };
};

/** Revoke, suspend or unsuspend: the issuer's token (or the admin's); the new status. */
const revoke: RouteFn = async (req) => {
  const { params, principal, deps } = req;
  const input: RevokeInput = bodyOf(req, schemas.revoke);
  return {
    status: 200,
    body: await (await revoking()).changeCredentialStatus(
      {
        store: deps.store,
        statusLists: deps.statusLists,
        clock: deps.clock,
        ids: deps.ids,
        publicUrl: deps.config.publicUrl,
      },
      principal,
      params.id as string,
      input,
    ),
    headers: { "cache-control": "no-store" },
  };
};

/** The BitstringStatusListCredential, public and briefly cacheable; 304 for a matching If-None-Match. */
const statusList: RouteFn = async ({ params, headers, deps }) => {
  const { serveStatusList } = await statusLists();
  const { credential, etag } = await serveStatusList(
    {
      store: deps.store,
      statusLists: deps.statusLists,
      signer: deps.signer,
      publicUrl: deps.config.publicUrl,
      now: deps.clock.now(),
    },
    params.id as string,
  );
  const cache = { "cache-control": "public, max-age=60", etag, "access-control-allow-origin": "*" };
  const match = headers["if-none-match"]?.split(",").map((t) => t.trim());
  if (match?.includes(etag) || match?.includes("*")) return { status: 304, text: "", headers: cache };
  return { status: 200, body: credential, headers: cache };
};

const publicCache = { "cache-control": "public, max-age=60", "access-control-allow-origin": "*" };

const tokenStatusList: RouteFn = async ({ params, deps }) => {
  const { serveTokenStatusList } = await tokenStatusLists();
  const jwt = await serveTokenStatusList(
    {
      store: deps.store,
      statusLists: deps.statusLists,
      signer: deps.signer,
      publicUrl: deps.config.publicUrl,
      now: deps.clock.now(),
    },
    params.id as string,
  );
  return { status: 200, text: jwt, contentType: "application/statuslist+jwt", headers: publicCache };
};

const jwtVcIssuerMetadata: RouteFn = async ({ params, deps }) => {
  const issuer = await deps.store.getIssuer(params.id as string);
  if (!issuer) throw new GatewayError("not-found", "no such issuer", [{ pointer: "/path/id", detail: "unknown" }]);
  const { jwtVcIssuerMetadata: metadata } = await sdJwtVcIssuing();
  return { status: 200, body: metadata(issuer, deps.config.publicUrl), headers: publicCache };
};

const typeMetadataRoute: RouteFn = async ({ params, deps }) => {
  const { MICRO_CREDENTIAL_VCT_NAME, microCredentialTypeMetadata } = await typeMetadata();
  if (params.id !== MICRO_CREDENTIAL_VCT_NAME) {
    throw new GatewayError("not-found", "no such credential type", [{ pointer: "/path/id", detail: "unknown" }]);
  }
  return { status: 200, body: microCredentialTypeMetadata(deps.config.publicUrl), headers: publicCache };
};

async function trustAdminDeps(deps: Parameters<RouteFn>[0]["deps"]): Promise<TrustAdminDeps> {
  const { parseTrustedIssuersEnv } = await trustAdmin();
  return { trust: deps.trust, clock: deps.clock, configured: parseTrustedIssuersEnv(deps.config.trustedIssuers) };
}

const noStore = { "cache-control": "no-store" };

type TrustAdmin = Awaited<ReturnType<typeof trustAdmin>>;

/** A trust registry route: the admin use case's answer, never cached. */
const trustRoute =
  (run: (admin: TrustAdmin, deps: TrustAdminDeps, req: Parameters<RouteFn>[0]) => Promise<unknown>): RouteFn =>
  async (req) => ({
    status: 200,
    body: await run(await trustAdmin(), await trustAdminDeps(req.deps), req),
    headers: noStore,
  });

/** Trust registry administration (admin token): read, trusted issuers, directly trusted roots, EU trusted lists. */
const trustRegistry = trustRoute((admin, deps) => admin.getTrustRegistry(deps));
const trustedIssuers = trustRoute((admin, deps, req) =>
  admin.putTrustedIssuers(deps, bodyOf(req, schemas.putTrustedIssuers)),
);
const trustedRoots = trustRoute((admin, deps, req) =>
  admin.putTrustedRoots(deps, bodyOf(req, schemas.putTrustedRoots)),
);
const trustedList = trustRoute((admin, deps, req) =>
  admin.importTrustedList(deps, req.params.territory as string, bodyOf(req, schemas.importTrustedList)),
);

/**
 * The ports this function's routes use (the bundle carries only their adapters). `handlers/all.ts` gives
 * each family only these in tests too, so a route using a port left out here fails there.
 */
export const wiring: Wiring = {
  ...issueWiring,
  ...verifyWiring,
  trust: trustPort,
};

export const createHandler = (deps: () => Promise<GatewayDeps>) =>
  familyHandler(
    "credentials",
    {
      issueCredential: issue,
      issueCredentialVcApi: issue,
      verifyCredential: verify,
      verifyCredentialVcApi: verifyVcApi,
      verifyPresentation: verifyPresentationVcApi,
      revokeCredential: revoke,
      getStatusList: statusList,
      getTokenStatusList: tokenStatusList,
      getJwtVcIssuerMetadata: jwtVcIssuerMetadata,
      getTypeMetadata: typeMetadataRoute,
      getTrustRegistry: trustRegistry,
      putTrustedIssuers: trustedIssuers,
      putTrustedRoots: trustedRoots,
      importTrustedList: trustedList,
    },
    deps,
  );

export const handler = createHandler(depsFor(wiring));
