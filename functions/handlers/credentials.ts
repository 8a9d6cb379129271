/**
 * Lambda: issuing and verifying (POST /v1/credentials/issue, /v1/credentials/verify and their W3C VC API aliases),
 * verifying presentations (POST /presentations/verify) and — planned — revocation and status lists (issue 8). Routes not built yet validate their
 * input and answer 501.
 */
import { getDeps } from "../composition.js";
import { GatewayError } from "../core/errors.js";
import { type IssueInput, issueCredential } from "../core/issue.js";
import { type VerificationResult, type VerifyDeps, verifyCredential } from "../core/verify.js";
import { type VerifyPresentationInput, verifyPresentation } from "../core/verify-presentation.js";
import { familyHandler, type RouteFn } from "../http/family.js";

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const issue: RouteFn = async ({ body, headers, principal, deps }) => {
  const key = headers["idempotency-key"];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new GatewayError("validation-failed", "Idempotency-Key must be 1–255 visible ASCII characters", [
      { pointer: "/headers/idempotency-key", detail: "1–255 visible ASCII characters" },
    ]);
  }
  const result = await issueCredential(
    {
      store: deps.store,
      signer: deps.signer,
      clock: deps.clock,
      ids: deps.ids,
      publicUrl: deps.config.publicUrl,
      limits: deps.config.limits,
    },
    principal,
    body as IssueInput,
    key,
  );
  return {
    status: 201,
    body: { verifiableCredential: result.verifiableCredential },
    headers: { "cache-control": "no-store", ...(result.replayed ? { "idempotent-replayed": "true" } : {}) },
  };
};

function verifyDeps(deps: Parameters<RouteFn>[0]["deps"]): VerifyDeps {
  return {
    store: deps.store,
    clock: deps.clock,
    publicUrl: deps.config.publicUrl,
    limits: deps.config.limits,
    ...(deps.http ? { http: deps.http } : {}),
  };
}

async function verified({ body, deps }: Parameters<RouteFn>[0]): Promise<VerificationResult> {
  return verifyCredential(verifyDeps(deps), {
    verifiableCredential: (body as { verifiableCredential: unknown }).verifiableCredential,
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
  const result = await verified(req);
  return { status: result.verified ? 200 : 422, body: result, headers: { "cache-control": "no-store" } };
};

/** W3C VC API: 200 only when the presentation and every credential in it verify, 422 with the same body otherwise. */
const verifyPresentationVcApi: RouteFn = async ({ body, deps }) => {
  const result = await verifyPresentation(verifyDeps(deps), body as VerifyPresentationInput);
  return { status: result.verified ? 200 : 422, body: result, headers: { "cache-control": "no-store" } };
};

export const createHandler = (deps: typeof getDeps) =>
  familyHandler(
    "credentials",
    {
      issueCredential: issue,
      issueCredentialVcApi: issue,
      verifyCredential: verify,
      verifyCredentialVcApi: verifyVcApi,
      verifyPresentation: verifyPresentationVcApi,
    },
    deps,
  );

export const handler = createHandler(getDeps);
