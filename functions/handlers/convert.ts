/**
 * Lambda: conversion between formats, the EU micro-credential check (with the quality-assurance registry's view of
 * the awarding body), attested conversion (`attest: true`: verified, converted and signed by the bridge issuer), and
 * the registry's import and match routes.
 */
import type { Format } from "../../mappings/formats.js";
import { depsFor, type GatewayDeps, registryHttpPort, registryPort, type Wiring } from "../composition.js";
import type { AttestDeps } from "../core/convert/convert.js";
import { isRegistryRefreshEvent } from "../core/registry/refresh-event.js";
import { authenticate } from "../core/tokens/auth.js";
import { familyHandler, type LambdaHttpHandler, type RouteFn } from "../http/family.js";
import { schemas } from "../http/schemas.js";
import { bodyOf } from "../http/validated.js";
import { issueDepsOf, issueWiring, verifyDepsOf, verifyWiring } from "./use-case-deps.js";

interface ConvertBody {
  to: Format;
  from?: Format;
  document: unknown;
  options?: Record<string, unknown>;
  attest?: boolean;
}

type Deps = Parameters<RouteFn>[0]["deps"];

// Use cases load on their route's first request, not at the function's init (cold start); the bundle keeps
// them in chunks of their own (the format mappings, signing and verification, the registry readers).
const converting = () => import("../core/convert/convert.js");
const checking = () => import("../core/check/check.js");
const registryImports = () => import("../core/registry/import.js");
const registryLookups = () => import("../core/registry/lookup.js");

function attestDeps(deps: Deps): AttestDeps {
  return {
    verify: verifyDepsOf(deps),
    issue: issueDepsOf(deps),
    ...(deps.config.registry.bridgeIssuer ? { bridgeIssuer: deps.config.registry.bridgeIssuer } : {}),
  };
}

/**
 * Conversion is public; an attested one signs with the gateway's bridge issuer, so it needs a bearer token (admin,
 * issuer or registry): the route is public, so the token is checked here, only when `attest` is asked for.
 */
const convertRoute: RouteFn = async ({ headers, deps, signal, ...req }) => {
  const input: ConvertBody = bodyOf(req, schemas.convert);
  if (input.attest !== true) {
    const { attest: _attest, ...plain } = input;
    const { convert } = await converting();
    return {
      status: 200,
      body: await convert(
        plain,
        deps.config.limits,
        deps,
        deps.config.ob3ElmContextUrl,
        deps.config.inputLimits,
        signal,
      ),
    };
  }
  const principal = await authenticate(headers.authorization, {
    store: deps.store,
    adminTokenSha256: deps.config.adminTokenSha256,
    now: deps.clock.now(),
  });
  const { attest: _attest, ...plain } = input;
  return {
    status: 200,
    body: await (await converting()).convertAttested(attestDeps(deps), principal, plain),
    headers: { "cache-control": "no-store" },
  };
};

/**
 * The ports this function's routes use (the bundle carries only their adapters). `handlers/all.ts` gives
 * each family only these in tests too, so a route using a port left out here fails there.
 */
export const wiring: Wiring = {
  ...issueWiring,
  ...verifyWiring,
  registry: registryPort,
  registryHttp: registryHttpPort,
};

export const createHandler = (deps: () => Promise<GatewayDeps>) =>
  familyHandler(
    "convert",
    {
      convert: convertRoute,
      check: async ({ deps, signal, ...req }) => ({
        status: 200,
        body: await (await checking()).checkDocumentWithRegistry(
          bodyOf(req, schemas.check),
          deps.config.limits,
          {
            registry: deps.registry,
            now: deps.clock.now(),
          },
          deps.config.inputLimits,
          signal,
        ),
      }),
      importRegistry: async ({ deps, ...req }) => ({
        status: 200,
        body: await (await registryImports()).importRegistry(
          {
            registry: deps.registry,
            clock: deps.clock,
            http: deps.registryHttp,
            ...(deps.config.registry.deqarToken
              ? { deqar: { baseUrl: deps.config.registry.deqarApiUrl, token: deps.config.registry.deqarToken } }
              : {}),
            xmlLimits: {
              maxXmlBytes: deps.config.inputLimits.maxXmlBytes,
              maxXmlDepth: deps.config.inputLimits.maxXmlDepth,
            },
            limits: deps.config.limits,
          },
          bodyOf(req, schemas.registryImport),
        ),
        headers: { "cache-control": "no-store" },
      }),
      matchRegistry: async ({ deps, ...req }) => ({
        status: 200,
        body: await (await registryLookups()).matchRegistryBody(
          { registry: deps.registry, now: deps.clock.now() },
          bodyOf(req, schemas.registryMatch),
        ),
      }),
    },
    deps,
  );

/**
 * The scheduled registry refresh (EventBridge, daily): imports from the DEQAR API when a token is configured. Errors
 * propagate so that EventBridge retries the invocation (the rule allows two retries).
 */
export async function refreshRegistry(deps: Deps): Promise<{ refreshed: boolean; detail: string }> {
  const { deqarToken, deqarApiUrl, maxReports } = deps.config.registry;
  if (!deqarToken) return { refreshed: false, detail: "GATEWAY_DEQAR_API_TOKEN is not set: nothing to refresh" };
  const { importRegistry } = await registryImports();
  const summary = await importRegistry(
    {
      registry: deps.registry,
      clock: deps.clock,
      http: deps.registryHttp,
      deqar: { baseUrl: deqarApiUrl, token: deqarToken },
    },
    { source: "deqar-api", maxReports },
  );
  return {
    refreshed: true,
    detail: `${summary.institutions} institutions, ${summary.reports} reports, ${summary.agencies} agencies`,
  };
}

const deps = depsFor(wiring);
const http = createHandler(deps);

/**
 * The convert function: HTTP requests through the family handler, and the scheduled registry refresh (answered in
 * the same result shape, which EventBridge ignores; its outcome is in the body for the function's logs and tests).
 */
export const handler: LambdaHttpHandler = async (event, context) => {
  if (isRegistryRefreshEvent(event)) {
    return { statusCode: 200, body: JSON.stringify(await refreshRegistry(await deps())) };
  }
  return http(event, context);
};
