/**
 * RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents for Data Integrity proofs, through the document loader
 * the caller gives (the gateway's serves pinned contexts only) and in JSON-LD safe mode, with bounds on the work a hostile document can cause. jsonld errors are
 * turned into {@link GatewayError}s that say which term, type or context was at fault.
 */

import jsonld, { type JsonLdError } from "jsonld";
import { GatewayError } from "../kernel/errors.js";
import type { JsonLdContexts } from "../kernel/ports/index.js";
import { fastCanonize } from "./fast-nquads.js";

/** Bounds on canonicalization, so that a crafted document cannot pin a CPU. */
export interface CanonicalizationLimits {
  /**
   * rdf-canonize `maxWorkFactor`: the deep-comparison (N-degree hash) budget is (number of non-unique blank nodes) to
   * this power. 1 (linear, rdf-canonize's own default, stated here so an upgrade cannot loosen it) handles every
   * credential shape we know, whose blank nodes are all distinguishable by their first-degree hashes; "poison" graphs
   * of mutually indistinguishable blank nodes fail fast instead of running for minutes.
   */
  maxWorkFactor?: number;
  /** Wall-clock budget of one canonicalization in milliseconds (checked by rdf-canonize between deep iterations). */
  timeoutMs?: number;
}

/** The defaults: linear deep-iteration budget and 5 s, far above the ~1–3 ms a credential takes. */
export const DEFAULT_CANONICALIZATION_LIMITS: Required<CanonicalizationLimits> = { maxWorkFactor: 1, timeoutMs: 5_000 };

/**
 * The URLs in a document's top-level `@context`; throws `unprocessable` when there is none or when one is not pinned in
 * `contexts` (nested references are caught by the loader itself). Inline context objects are allowed: they
 * are processed locally, cannot redefine protected VC terms, and safe mode still applies.
 */
export function assertPinnedContexts(document: Record<string, unknown>, contexts: JsonLdContexts): string[] {
  const context = document["@context"];
  if (context === undefined) throw new GatewayError("unprocessable", "the document has no @context");
  const entries = Array.isArray(context) ? context : [context];
  const urls = entries.filter((entry): entry is string => typeof entry === "string");
  const unpinned = urls.filter((url) => !contexts.isPinned(url));
  if (unpinned.length > 0) {
    throw new GatewayError(
      "unprocessable",
      `unknown JSON-LD context ${unpinned.map((url) => JSON.stringify(url)).join(", ")}: the gateway only processes ` +
        "contexts it holds pinned copies of",
    );
  }
  return urls;
}

/**
 * Canonical N-Quads (RDFC-1.0) of a JSON-LD document: safe mode (any term, type or id that does not map to an absolute
 * IRI fails), no base IRI, `i18n-datatype` for `@direction` (as Digital Bazaar's cryptosuites do, so proofs are
 * byte-identical with theirs), contexts from the given loader only. Documents in the shapes credentials have go
 * through the pinned-context fast path (`fast-nquads.ts`, proven identical to jsonld); everything else, and every
 * document the fast path does not fully understand, through `jsonld.canonize`.
 */
export async function canonize(
  document: object,
  contexts: JsonLdContexts,
  limits: CanonicalizationLimits = {},
): Promise<string> {
  const { maxWorkFactor, timeoutMs } = { ...DEFAULT_CANONICALIZATION_LIMITS, ...limits };
  try {
    const fast = await fastCanonize(document, contexts, { maxWorkFactor, timeoutMs });
    if (fast !== undefined) return fast;
    return await jsonld.canonize(document, {
      documentLoader: contexts.documentLoader,
      safe: true,
      base: null,
      rdfDirection: "i18n-datatype",
      canonizeOptions: { algorithm: "RDFC-1.0", maxWorkFactor, signal: AbortSignal.timeout(timeoutMs) },
    });
  } catch (error) {
    throw canonicalizationError(error);
  }
}

/** A jsonld / rdf-canonize failure as a gateway error naming the offending term, type, id or context. */
function canonicalizationError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (!(error instanceof Error)) return new GatewayError("unprocessable", "JSON-LD canonicalization failed");
  const details = (error as JsonLdError).details ?? {};
  const cause = { cause: error };
  if (/Maximum deep iterations exceeded|Abort signal received/.test(error.message)) {
    return new GatewayError(
      "limit-exceeded",
      `JSON-LD canonicalization exceeded its work limit (${error.message}); the document's blank nodes cannot be told apart cheaply`,
      [],
      cause,
    );
  }
  const event = details.event as { code?: unknown; details?: Record<string, unknown> } | undefined;
  if (event !== undefined) {
    const what = event.details ?? {};
    const named = what.property ?? what.type ?? what.id ?? what.value;
    return new GatewayError(
      "unprocessable",
      `JSON-LD safe mode: ${String(event.code)}${named === undefined ? "" : ` ${JSON.stringify(named)}`}; every ` +
        "term, type and id must be defined by the document's contexts (nothing may be silently dropped from a signature)",
      [],
      cause,
    );
  }
  if (details.code === "loading remote context failed") {
    return new GatewayError(
      "unprocessable",
      `unknown JSON-LD context ${JSON.stringify(details.url)}: the gateway never fetches contexts`,
      [],
      cause,
    );
  }
  if (typeof details.code === "string") {
    const term = typeof details.term === "string" ? ` (term ${JSON.stringify(details.term)})` : "";
    return new GatewayError("unprocessable", `JSON-LD processing failed: ${details.code}${term}`, [], cause);
  }
  return new GatewayError("unprocessable", `JSON-LD canonicalization failed: ${error.message}`, [], cause);
}
