/**
 * Recognises ELM input, so the reader registry can pick the format when the caller names none.
 */

import { unwrapElm } from "./envelope.js";
import { isRecord, itemsOf } from "./json.js";
import { EDC_CONTEXT_PATTERN, EDC_TYPE } from "./tables.js";

/** Whether a credential's `@context` names the ELM EDC application-profile context. */
export function hasElmContext(context: unknown): boolean {
  return itemsOf(context).some(({ value }) => typeof value === "string" && EDC_CONTEXT_PATTERN.test(value));
}

/** Whether a credential's `type` includes `EuropeanDigitalCredential`. */
export function hasElmType(type: unknown): boolean {
  return itemsOf(type).some(({ value }) => value === EDC_TYPE);
}

/**
 * Whether an input looks like an ELM credential: an object (or EDC upload wrapper, or JAdES envelope, or JSON text
 * of one) whose `@context` names edc-ap or whose `type` has EuropeanDigitalCredential. Never throws.
 */
export function looksLikeElm(input: unknown): boolean {
  if (typeof input === "string" && !input.trimStart().startsWith("{")) return false;
  const unwrapped = unwrapElm(input);
  if (!unwrapped.ok || !isRecord(unwrapped.value.doc)) return false;
  const doc = unwrapped.value.doc;
  return hasElmContext(doc["@context"]) || hasElmType(doc.type);
}
