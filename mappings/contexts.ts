/**
 * The gateway's JSON-LD document loader, built from the contexts the formats declare (`declaredContexts`, the
 * registry) for the deployment's settings: the use cases build theirs with the configured extension context URL and
 * hand it to the proofs, so the signer and the verifier serve exactly the same documents. One loader per settings is
 * built (the table is a few dozen entries, but jsonld and the proofs cache by loader), and none is ever changed.
 */
import type { ContextSettings } from "./format-module.js";
import { documentLoaderFor, type PinnedContexts } from "./jsonld/loader.js";
import { declaredContexts } from "./registry.js";

const built = new Map<string, PinnedContexts>();

/** The loader of the declared contexts for `settings` (the same object for the same settings). */
export function gatewayContexts(settings: ContextSettings = {}): PinnedContexts {
  const key = settings.ob3ElmContextUrl ?? "";
  let contexts = built.get(key);
  if (contexts === undefined) {
    contexts = documentLoaderFor(declaredContexts(settings));
    built.set(key, contexts);
  }
  return contexts;
}

/**
 * The declared contexts without a deployment's extension URL: what every deployment serves (the VC, proof-suite,
 * ELM and OB 3.0 contexts, the extension's legacy URNs). For processing that names no configured URL.
 */
export const pinnedContexts: PinnedContexts = gatewayContexts();

/** {@link pinnedContexts}' jsonld `documentLoader`. */
export const documentLoader = pinnedContexts.documentLoader;

/** Whether {@link pinnedContexts} serves `url`. */
export const isPinnedContext = (url: string): boolean => pinnedContexts.isPinned(url);
