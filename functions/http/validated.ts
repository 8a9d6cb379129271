/**
 * Typed request bodies. A route's body schema is declared `as const`, and `FromSchema` (json-schema-to-ts) reads the
 * body's TypeScript type off the schema itself, so the type a handler gets and what ajv checks are one text. The
 * validation middleware records which schema each body passed; `bodyOf` hands a handler its body typed by that
 * schema, and only when that very schema validated it: no cast after validation, and a handler wired to the wrong
 * schema fails loudly instead of trusting an unchecked body.
 */
import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import type { JsonSchema } from "./schemas.js";

const validatedAgainst = new WeakMap<object, JsonSchema>();

/** Called by validation on success: `data` is now known to satisfy `schema`. */
export function recordValid(schema: JsonSchema, data: unknown): void {
  if (typeof data === "object" && data !== null) validatedAgainst.set(data, schema);
}

/** True when `data` passed validation against exactly `schema` (so it has the type the schema describes). */
export function isValidAgainst<const S extends JSONSchema, T = FromSchema<S>>(schema: S, data: unknown): data is T {
  return typeof data === "object" && data !== null && validatedAgainst.get(data) === schema;
}

/** The request body as `schema` types it; throws (a wiring error, a 500) if the body was not validated against it. */
export function bodyOf<const S extends JSONSchema, T = FromSchema<S>>(req: { body: unknown }, schema: S): NoInfer<T> {
  if (isValidAgainst<S, T>(schema, req.body)) return req.body;
  throw new Error("the route's body was not validated against the schema its handler reads it with");
}
