/**
 * Who is calling, and whether they may call the route. Authentication comes first: an unauthenticated caller of a
 * protected route learns nothing about the body rules, and the gateway parses no body for it. Public routes do not
 * look at tokens unless rate limiting is on: their functions need no access to the token records (least privilege).
 */
import type { GatewayDeps } from "../../composition.js";
import { authenticate, type Principal, PUBLIC, requireAdmin, requireRegistry } from "../../core/tokens/auth.js";
import { GatewayError } from "../../kernel/errors.js";
import type { RouteSpec } from "../contract.js";
import { bucketsFor, enforceRateLimit } from "../rate-limit.js";
import { type HttpMiddleware, principalOf, routeState } from "./state.js";

/**
 * The caller of a public route, for its quota only: a valid token counts against its own bucket, anything else
 * (no token, a bad one) is the anonymous caller.
 */
async function publicCaller(headers: Record<string, string>, deps: GatewayDeps): Promise<Principal> {
  if (!deps.config.rateLimit.enabled || !headers.authorization) return PUBLIC;
  try {
    const p = await authenticate(headers.authorization, {
      store: deps.store,
      adminTokenSha256: deps.config.adminTokenSha256,
      now: deps.clock.now(),
    });
    return p.role === "admin" ? p : { role: p.role, ...(p.tokenId ? { tokenId: p.tokenId } : {}) };
  } catch {
    return PUBLIC;
  }
}

/** Sets the caller: anonymous on unthrottled routes, the token's holder (if any) on public ones, else a valid token. */
export function authentication(): HttpMiddleware {
  return {
    before: async ({ event }) => {
      const state = routeState(event);
      const { route, deps, headers } = state;
      if (route.unthrottled) {
        state.principal = PUBLIC;
        return;
      }
      if (route.access === "public") {
        state.principal = await publicCaller(headers, deps);
        return;
      }
      try {
        state.principal = await authenticate(headers.authorization, {
          store: deps.store,
          adminTokenSha256: deps.config.adminTokenSha256,
          now: deps.clock.now(),
        });
      } catch (error) {
        // Failed authentications count against the address, so guessing tokens is throttled like anything else.
        enforceRateLimit(bucketsFor(deps.config), deps.config.rateLimit, PUBLIC, sourceIpOf(event));
        throw error;
      }
    },
  };
}

export const sourceIpOf = (event: { requestContext?: { http?: { sourceIp?: string } } }): string =>
  event.requestContext?.http?.sourceIp ?? "unknown";

/**
 * The route's access level against the caller's role. Fails closed: a role a level does not name is refused (403),
 * an anonymous caller of a protected route is asked to authenticate (401). Which issuer an `issuer` route's request
 * is about is checked by the route (`requireIssuer`), since only it knows where the issuer is named.
 */
export function checkAccess(route: Pick<RouteSpec, "access">, principal: Principal): void {
  if (route.access === "public") return;
  if (route.access === "admin") {
    requireAdmin(principal);
    return;
  }
  if (route.access === "registry") {
    requireRegistry(principal);
    return;
  }
  if (principal.role === "public") {
    throw new GatewayError("unauthenticated", "this route needs an issuer token or the admin token", [
      { pointer: "/headers/authorization", detail: "missing bearer token" },
    ]);
  }
  if (principal.role !== "admin" && principal.role !== "issuer") {
    throw new GatewayError("forbidden", "this route needs an issuer token or the admin token");
  }
}

/** Refuses a caller the route's access level does not admit (after rate limiting: a refused caller still spends quota). */
export function routeAccess(): HttpMiddleware {
  return {
    before: async ({ event }) => {
      const state = routeState(event);
      checkAccess(state.route, principalOf(state));
    },
  };
}
