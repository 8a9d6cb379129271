/** Spends one request of the caller's quota (per token, else per address); unthrottled routes (liveness) spend none. */
import { bucketsFor, enforceRateLimit } from "../rate-limit.js";
import { sourceIpOf } from "./auth.js";
import { type HttpMiddleware, principalOf, routeState } from "./state.js";

export function rateLimiting(): HttpMiddleware {
  return {
    before: async ({ event }) => {
      const state = routeState(event);
      if (state.route.unthrottled) return;
      const { config } = state.deps;
      // Keyed by the configuration, which every family of one gateway shares (each sees only its own ports).
      enforceRateLimit(bucketsFor(config), config.rateLimit, principalOf(state), sourceIpOf(event));
    },
  };
}
