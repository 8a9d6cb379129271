/**
 * Lambda: issuing (POST /v1/credentials/issue and the W3C VC API alias), and — planned — verification (issue 7),
 * revocation and status lists (issue 8). Routes not built yet validate their input and answer 501.
 */
import { getDeps } from "../composition.js";
import { GatewayError } from "../core/errors.js";
import { type IssueInput, issueCredential } from "../core/issue.js";
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

export const createHandler = (deps: typeof getDeps) =>
  familyHandler("credentials", { issueCredential: issue, issueCredentialVcApi: issue }, deps);

export const handler = createHandler(getDeps);
