/** The ports the delivery worker takes, picked from the gateway's dependencies (SQS Lambda and local worker alike). */
import type { GatewayDeps } from "../composition.js";
import type { DeliveryWorkerDeps, RetryPolicy } from "../core/deliveries/deliveries.js";
import type { WalletConfig } from "../wallet-config.js";

/** Margin of a lease over the wallet call it covers (store writes around the call). */
const LEASE_MARGIN_MS = 5_000;

/** The retry policy of the configuration; a lease outlasts one wallet call. */
export function retryPolicyOf(wallet: WalletConfig): RetryPolicy {
  return {
    maxAttempts: wallet.maxAttempts,
    retryBaseMs: wallet.retryBaseMs,
    retryMaxMs: wallet.retryMaxMs,
    leaseMs: wallet.timeoutMs + LEASE_MARGIN_MS,
  };
}

export type DeliveryGatewayDeps = Pick<
  GatewayDeps,
  "config" | "deliveries" | "wallet" | "deliveriesQueue" | "deliveriesDlq" | "clock" | "ids"
>;

/** The worker's ports; throws when no wallet is configured (a worker with nothing to deliver to is a setup error). */
export function deliveryWorkerDepsOf(deps: DeliveryGatewayDeps): DeliveryWorkerDeps {
  if (!deps.wallet) throw new Error("the deliveries worker needs GATEWAY_WALLET_URL");
  return {
    deliveries: deps.deliveries,
    wallet: deps.wallet,
    queue: deps.deliveriesQueue,
    ...(deps.deliveriesDlq ? { deadLetters: deps.deliveriesDlq } : {}),
    clock: deps.clock,
    ids: deps.ids,
    policy: retryPolicyOf(deps.config.wallet),
  };
}
