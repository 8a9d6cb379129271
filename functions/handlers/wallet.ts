/**
 * Lambda: Europass wallets. Deliveries (`POST /v1/deliveries` → 202 `{id}`, then queued deposit attempts
 * by the deliveries worker; `GET /v1/deliveries/{id}`), imports (`POST /v1/imports`), and the OpenID4VCI routes
 * (`wallet-oid4vci.ts`). Each route group is a table of route functions spread into the family below.
 */
import {
  deliveriesPort,
  deliveriesQueuePort,
  depsFor,
  type GatewayDeps,
  oid4vciPort,
  oid4vpPort,
  type Wiring,
  walletPort,
} from "../composition.js";
import type { CreateDeliveryInput } from "../core/deliveries/deliveries.js";
import { familyHandler, type RouteImpls } from "../http/family.js";
import { schemas } from "../http/schemas.js";
import { bodyOf } from "../http/validated.js";
import { deliveryDepsOf, issueWiring, verifyDepsOf, verifyWiring } from "./use-case-deps.js";
import { oid4vciRoutes } from "./wallet-oid4vci.js";
import { oid4vpRoutes } from "./wallet-oid4vp.js";

const NO_STORE = { "cache-control": "no-store" };

// Use cases load on their route's first request, not at the function's init (cold start).
const deliveriesUseCases = () => import("../core/deliveries/deliveries.js");
const imports = () => import("../core/deliveries/imports.js");

const europassRoutes: RouteImpls = {
  createDelivery: async ({ body, principal, deps }) => {
    const { createDelivery } = await deliveriesUseCases();
    const { id } = await createDelivery(deliveryDepsOf(deps), principal, body as CreateDeliveryInput);
    return {
      status: 202,
      body: { id },
      headers: { ...NO_STORE, location: `/v1/deliveries/${encodeURIComponent(id)}` },
    };
  },
  getDelivery: async ({ params, principal, deps }) => {
    const { readableDelivery, deliveryView } = await deliveriesUseCases();
    const record = await readableDelivery(deps, principal, params.id as string);
    return { status: 200, body: deliveryView(record), headers: NO_STORE };
  },
  importCredential: async ({ deps, ...req }) => {
    const { importCredential } = await imports();
    const result = await importCredential(
      {
        ...(deps.wallet ? { wallet: deps.wallet } : {}),
        limits: deps.config.limits,
        verify: verifyDepsOf(deps),
        ob3ElmContextUrl: deps.config.ob3ElmContextUrl,
        clock: deps.clock,
        ids: deps.ids,
      },
      bodyOf(req, schemas.importCredential),
    );
    return { status: 200, body: result, headers: NO_STORE };
  },
};

/**
 * The ports this function's routes use (the bundle carries only their adapters). `handlers/all.ts` gives
 * each family only these in tests too, so a route using a port left out here fails there.
 */
export const wiring: Wiring = {
  ...issueWiring,
  ...verifyWiring,
  deliveries: deliveriesPort,
  deliveriesQueue: deliveriesQueuePort,
  wallet: walletPort,
  oid4vci: oid4vciPort,
  oid4vp: oid4vpPort,
};

export const createHandler = (deps: () => Promise<GatewayDeps>) =>
  familyHandler("wallet", { ...europassRoutes, ...oid4vciRoutes, ...oid4vpRoutes }, deps);

export const handler = createHandler(depsFor(wiring));
