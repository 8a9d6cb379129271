/** Refuses a decoded body with a string, array or object over the configured value limits (413 naming the field). */
import { checkInputValues } from "../input-limits.js";
import { type HttpMiddleware, routeState } from "./state.js";

export function valueLimits(): HttpMiddleware {
  return {
    before: async ({ event }) => {
      const { body, deps } = routeState(event);
      if (body !== undefined) checkInputValues(body, deps.config.inputLimits, "/body");
    },
  };
}
