/** Validates the path parameters and the body against the route's schemas (400 naming each field). */
import { type HttpMiddleware, routeState } from "./state.js";

/**
 * Request validation, loaded by the first request that has a path or body to validate rather than at init
 * (cold start): ajv, its formats and the compiler are ~120 KB that every family would otherwise load before its first
 * request. Each schema is still compiled once, on its route's first use (`validate.ts`); the errors are the same.
 */
const loadValidation = () => import("../validate.js");

export function validation(): HttpMiddleware {
  return {
    before: async ({ event }) => {
      const { route, params, body } = routeState(event);
      if (!route.params && !route.body) return;
      const { validate } = await loadValidation();
      if (route.params) validate(route.params, params, "/path");
      if (route.body) validate(route.body, body, "/body");
    },
  };
}
