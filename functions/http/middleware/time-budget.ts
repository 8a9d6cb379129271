import type { Context } from "aws-lambda";
import { GatewayError } from "../../kernel/errors.js";

/** The signal of routes without a time budget (writes run to their end: see `RouteSpec.timeBudget`). */
export const NEVER_ABORTED = new AbortController().signal;

/** Time kept back from the Lambda's remaining time, to send the answer before the function is cut off. */
const ANSWER_MARGIN_MS = 1_000;

/**
 * Runs a route within its time budget: the configured request timeout, or less when the Lambda has less left. When it
 * is spent the answer is a 503 at once, and the signal tells the use case to stop (it checks between items: the
 * credentials of a presentation, the rows of a spreadsheet), so that no work goes on for a caller who has its answer.
 */
export async function withinBudget<T>(
  timeoutMs: number,
  context: Context,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const left = typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : timeoutMs;
  const budget = Math.max(1, Math.min(timeoutMs, left - ANSWER_MARGIN_MS));
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new GatewayError("timed-out", `the request took longer than its ${budget} ms budget and was stopped`, [
          { pointer: "/body", detail: "send large inputs as a bulk job (POST /v1/jobs)" },
        ]),
      );
    }, budget);
  });
  const work = run(controller.signal);
  // The work's own failure after the answer (its stop on the signal) is nobody's to handle.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
