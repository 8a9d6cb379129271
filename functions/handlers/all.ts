/**
 * Every family's handler, for the local gateway (which serves them all in one process). Each Lambda bundles only its
 * own `functions/handlers/{family}.ts`.
 */
import type { GatewayDeps } from "../composition.js";
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

/** The same handlers over dependencies the caller built (tests, tools). */
export function handlersWith(getDeps: () => Promise<GatewayDeps>): Record<Family, LambdaHttpHandler> {
  const out = {} as Record<Family, LambdaHttpHandler>;
  for (const [family, mod] of Object.entries(modules) as [Family, { createHandler: typeof meta.createHandler }][]) {
    out[family] = mod.createHandler(getDeps);
  }
  return out;
}
