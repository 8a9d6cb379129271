/**
 * An ELMO report has no title of its own (the EMREX standard calls the document a Transcript of Records). A writer
 * whose format requires a credential title names it so, and lists the value in `derived`: the first course's title
 * would make one course stand for the whole transcript.
 */
import type { CanonicalCredential } from "../model.js";

export const REPORT_TITLE = "Transcript of Records";

export const REPORT_TITLE_REASON =
  "an ELMO report has no title: the gateway names it a Transcript of Records, as the EMREX standard calls it";

/** The stand-in title of a credential read from an ELMO report that has none. */
export function reportStandInTitle(c: CanonicalCredential): string | undefined {
  const hasTitle = Object.values(c.title ?? {}).some((t) => t.trim() !== "");
  return c.types.includes("elmo:report") && !hasTitle ? REPORT_TITLE : undefined;
}
