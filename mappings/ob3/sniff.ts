/**
 * Recognises Open Badges 3.0 input, so the reader registry can pick the format when the caller names none.
 */
import { unwrapOb3 } from "./read-envelope.js";
import { isRecord, stringsOf } from "./read-json.js";
import { isOb3Type, OB3_CONTEXT_PATTERN } from "./read-tables.js";

/** Whether a credential's `@context` names the OB 3.0 context (any 3.0.x version or alias). */
export function hasOb3Context(context: unknown): boolean {
  return stringsOf(context).some((c) => OB3_CONTEXT_PATTERN.test(c));
}

/** Whether a credential's `type` includes `OpenBadgeCredential` or `AchievementCredential`. */
export function hasOb3Type(type: unknown): boolean {
  return stringsOf(type).some(isOb3Type);
}

/**
 * Whether an input looks like an OB 3.0 achievement credential: an object (or its JSON text) whose `type` has
 * OpenBadgeCredential / AchievementCredential or whose `@context` names the OB 3.0 context, or a compact JWS
 * (VC-JWT) whose payload is such a credential (itself, or under a `vc` claim). Decodes, never verifies; never throws.
 */
export function looksLikeOb3(input: unknown): boolean {
  try {
    const unwrapped = unwrapOb3(input);
    if (!unwrapped.ok || !isRecord(unwrapped.value.doc)) return false;
    const doc = unwrapped.value.doc;
    return hasOb3Type(doc.type) || hasOb3Context(doc["@context"]);
  } catch {
    return false;
  }
}
