import { describe, expect, expectTypeOf, it } from "vitest";
import { schemas } from "../../../../functions/http/schemas.js";
import { tokenSchemas } from "../../../../functions/http/token-schemas.js";
import { validate } from "../../../../functions/http/validate.js";
import { bodyOf } from "../../../../functions/http/validated.js";

describe("typed request bodies", () => {
  it("hands a body validated against a schema to the handler that reads it with that schema", () => {
    const body: unknown = { chain: ["MIIB"] };
    validate(schemas.certificate, body, "/body");
    expect(bodyOf({ body }, schemas.certificate).chain).toEqual(["MIIB"]);
  });

  it("refuses a body that was never validated, or was validated against another schema", () => {
    const unchecked: unknown = { chain: ["MIIB"] };
    expect(() => bodyOf({ body: unchecked }, schemas.certificate)).toThrow(/not validated/);
    const other: unknown = { role: "issuer" };
    validate(tokenSchemas.createToken, other, "/body");
    expect(() => bodyOf({ body: other }, tokenSchemas.rotateToken)).toThrow(/not validated/);
  });

  it("records nothing for a body that fails validation", () => {
    const bad: unknown = { role: "admin" };
    expect(() => validate(tokenSchemas.createToken, bad, "/body")).toThrow();
    expect(() => bodyOf({ body: bad }, tokenSchemas.createToken)).toThrow(/not validated/);
  });

  it("types the body from the schema text: an enum is its literals, a required member is not optional", () => {
    const body: unknown = { role: "registry" };
    validate(tokenSchemas.createToken, body, "/body");
    const typed = bodyOf({ body }, tokenSchemas.createToken);
    expectTypeOf(typed.role).toEqualTypeOf<"issuer" | "registry">();
    expectTypeOf(typed.issuer).toEqualTypeOf<string | undefined>();
    const chain: unknown = { chain: ["MIIB"] };
    validate(schemas.certificate, chain, "/body");
    expectTypeOf(bodyOf({ body: chain }, schemas.certificate).chain).toEqualTypeOf<string[]>();
  });

  it("does not take its type from the caller's annotation (that would be a cast by another name)", () => {
    const read = (body: unknown) => {
      // @ts-expect-error a createToken body has no `foo`: the annotation must not pick the type
      const wrong: { foo: number } = bodyOf({ body }, tokenSchemas.createToken);
      return wrong;
    };
    expect(typeof read).toBe("function");
  });
});
