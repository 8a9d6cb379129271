/**
 * Language-level guards every layer needs (formats, proofs, use cases, adapters). They know nothing of credentials
 * or of the gateway, so they sit below all layers and import nothing.
 */

/** A plain JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
