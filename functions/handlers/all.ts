/**
 * Every family's handler, for the local gateway (which serves them all in one process). Each Lambda bundles only its
 * own `functions/handlers/{family}.ts`.
 */
import type { GatewayDeps, Wiring } from "../composition.js";
import type { Family } from "../http/contract.js";
import type { LambdaHttpHandler } from "../http/family.js";
import * as convert from "./convert.js";
import * as credentials from "./credentials.js";
import * as issuers from "./issuers.js";
import * as jobs from "./jobs.js";
import * as meta from "./meta.js";
import * as wallet from "./wallet.js";

const modules = { meta, issuers, convert, credentials, jobs, wallet } satisfies Record<Family, unknown>;

/** The handlers as deployed: dependencies from the composition root. */
export const deployedHandlers = (): Record<Family, LambdaHttpHandler> => ({
  meta: meta.handler,
  issuers: issuers.handler,
  convert: convert.handler,
  credentials: credentials.handler,
  jobs: jobs.handler,
  wallet: wallet.handler,
});

/**
 * The same handlers over dependencies the caller built (tests, tools). Each family sees only the ports its module
 * wires (`wiring`, what its Lambda bundles), so that a route using a port its function does not wire fails in tests
 * as it would deployed.
 */
export function handlersWith(getDeps: () => Promise<GatewayDeps>): Record<Family, LambdaHttpHandler> {
  const out = {} as Record<Family, LambdaHttpHandler>;
  for (const [family, mod] of Object.entries(modules) as [
    Family,
    { createHandler: typeof meta.createHandler; wiring: Wiring },
  ][]) {
    const views = new WeakMap<GatewayDeps, GatewayDeps>();
    out[family] = mod.createHandler(async () => {
      const deps = await getDeps();
      let view = views.get(deps);
      if (!view) {
        view = wiredView(deps, mod.wiring);
        views.set(deps, view);
      }
      return view;
    });
  }
  return out;
}

/**
 * The configuration, the clock, the ids and the ports `wiring` names, read through from `deps` (as `depsFor` builds
 * them): live, so that a test replacing a port (a clock moved forward) is seen by every family.
 */
export function wiredView(deps: GatewayDeps, wiring: Wiring): GatewayDeps {
  const view = {};
  for (const name of ["config", "clock", "ids", ...Object.keys(wiring)] as (keyof GatewayDeps)[]) {
    Object.defineProperty(view, name, { get: () => deps[name], enumerable: true });
  }
  // Typed as the whole deps, as `depsFor` types its result: the route functions take GatewayDeps.
  return view as GatewayDeps;
}
