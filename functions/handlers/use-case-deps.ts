/**
 * The ports the shared use cases take (issuing, verifying, creating a delivery), picked from the gateway's
 * dependencies, with the wiring that names those ports. Several functions run the same use case (issuing: the
 * credentials, wallet and jobs functions; verifying: convert, credentials and wallet), so each picks its deps here
 * rather than spelling the same object out again, and its `wiring` spreads the matching `…Wiring` below.
 */
import {
  type GatewayDeps,
  httpPort,
  signerPort,
  statusListsPort,
  storePort,
  trustSourcesPort,
  type Wiring,
} from "../composition.js";
import type { CreateDeliveryDeps } from "../core/deliveries/deliveries.js";
import type { IssueDeps } from "../core/issue/issue.js";
import type { VerifyDeps } from "../core/verify/verify.js";

/** The part of the gateway's dependencies issuing uses; status lists are optional (issued without revocation). */
export type IssuingGatewayDeps = Pick<GatewayDeps, "config" | "store" | "signer" | "clock" | "ids"> &
  Partial<Pick<GatewayDeps, "statusLists">>;

/** The ports of {@link issueDepsOf}, for a function's `wiring`. */
export const issueWiring: Wiring = { store: storePort, signer: signerPort, statusLists: statusListsPort };

/**
 * What issuing a credential takes (`POST /v1/credentials/issue`, attested conversion, OpenID4VCI, bulk jobs):
 * credentials get a revocation entry whenever the function has status lists.
 */
export function issueDepsOf(deps: IssuingGatewayDeps): IssueDeps {
  return {
    store: deps.store,
    signer: deps.signer,
    clock: deps.clock,
    ids: deps.ids,
    publicUrl: deps.config.publicUrl,
    limits: deps.config.limits,
    ob3ElmContextUrl: deps.config.ob3ElmContextUrl,
    ...(deps.statusLists ? { statusLists: deps.statusLists } : {}),
  };
}

/** The ports of {@link verifyDepsOf}, for a function's `wiring`. */
export const verifyWiring: Wiring = {
  store: storePort,
  statusLists: statusListsPort,
  http: httpPort,
  trustSources: trustSourcesPort,
};

/**
 * What verifying a credential takes (`POST /v1/credentials/verify`, presentations, attested conversion, imports):
 * outbound HTTP only when enabled (`GATEWAY_OUTBOUND_HTTP=on`).
 */
export function verifyDepsOf(
  deps: Pick<GatewayDeps, "config" | "store" | "clock" | "statusLists" | "trustSources" | "http">,
): VerifyDeps {
  return {
    store: deps.store,
    clock: deps.clock,
    publicUrl: deps.config.publicUrl,
    limits: deps.config.limits,
    statusLists: deps.statusLists,
    ...(deps.http ? { http: deps.http } : {}),
    trustSources: deps.trustSources,
    ob3ElmContextUrl: deps.config.ob3ElmContextUrl,
  };
}

/**
 * What creating a delivery takes (`POST /v1/deliveries` and a registry batch's delivering records); deliveries are
 * refused up front when no wallet is configured.
 */
export function deliveryDepsOf(
  deps: Pick<GatewayDeps, "deliveries" | "deliveriesQueue" | "clock" | "ids" | "store" | "wallet">,
): CreateDeliveryDeps {
  return {
    deliveries: deps.deliveries,
    queue: deps.deliveriesQueue,
    clock: deps.clock,
    ids: deps.ids,
    store: deps.store,
    walletConfigured: deps.wallet !== undefined,
  };
}
