import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isGatewayError } from "../../../../functions/kernel/errors.js";
import { parseJsonText, scanJsonText } from "../../../../functions/kernel/json.js";

/** Values and the largest array of a parsed value, counted on what JSON.parse built (the reference). */
function reference(value: unknown): { values: number; widest: number } {
  let values = 0;
  let widest = 0;
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    values++;
    if (Array.isArray(v)) {
      widest = Math.max(widest, v.length);
      stack.push(...v);
    } else if (v !== null && typeof v === "object") stack.push(...Object.values(v));
  }
  return { values, widest };
}

const limits = { maxJsonDepth: 1000, maxJsonKeys: 1e9 };
const refusal = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return isGatewayError(e) ? `${e.code}: ${e.message}` : String(e);
  }
};

describe("scanJsonText: counting before parsing", () => {
  it("counts exactly the values and array elements JSON.parse builds", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 2 : undefined);
        const { values, widest } = reference(JSON.parse(text));
        expect(
          refusal(() => scanJsonText(text, { ...limits, maxJsonValues: values, maxArrayElements: widest }, "/b")),
        ).toBeUndefined();
        expect(refusal(() => scanJsonText(text, { ...limits, maxJsonValues: values - 1 }, "/b"))).toContain(
          "maxJsonValues",
        );
        if (widest > 0)
          expect(refusal(() => scanJsonText(text, { ...limits, maxArrayElements: widest - 1 }, "/b"))).toContain(
            "maxArrayElements",
          );
      }),
      { numRuns: 300 },
    );
  });

  it("is not fooled by brackets, commas and escaped quotes inside strings", () => {
    const text = JSON.stringify({ a: ['[,{"\\', '],}"', "\\"], "k,[": '"{[' });
    expect(reference(JSON.parse(text))).toEqual({ values: 6, widest: 3 });
    expect(
      refusal(() => scanJsonText(text, { ...limits, maxJsonValues: 6, maxArrayElements: 3 }, "/b")),
    ).toBeUndefined();
    expect(refusal(() => scanJsonText(text, { ...limits, maxJsonValues: 5 }, "/b"))).toContain("maxJsonValues");
  });

  it("refuses a 2,000,000-element array in well under a second, before parsing", () => {
    const text = `[${new Array(2_000_000).fill("0").join(",")}]`;
    const t0 = performance.now();
    const message = refusal(() => parseJsonText(text, { maxJsonDepth: 64, maxJsonKeys: 100_000 }, "/body"));
    expect(performance.now() - t0).toBeLessThan(250);
    expect(message).toMatch(/^work-budget-exceeded: .*10000.*maxArrayElements.*bulk job/);
  });
  it("names the place of a refusal as a JSON Pointer, escaped as RFC 6901 says", () => {
    const pointerOf = (f: () => void): string | undefined => {
      try {
        f();
        return undefined;
      } catch (e) {
        return isGatewayError(e) ? e.issues[0]?.pointer : undefined;
      }
    };
    const text = JSON.stringify({ x: 1, "a/b~c": [0, { d: [1, 2, 3] }] });
    // The third element of /a~1b~0c/1/d is one too many for a limit of two elements per array.
    expect(pointerOf(() => scanJsonText(text, { ...limits, maxArrayElements: 2 }, "/body"))).toBe("/body/a~1b~0c/1/d");
    // The sixth value (after the root, x, the array, its 0 and its object) is the array at d.
    expect(pointerOf(() => scanJsonText(text, { ...limits, maxJsonValues: 5 }, "/body"))).toBe("/body/a~1b~0c/1/d");
    expect(pointerOf(() => scanJsonText(text, { ...limits, maxJsonValues: 4 }, "/body"))).toBe("/body/a~1b~0c/1");
    // Nesting: the container that goes one level too deep is named by where it starts.
    expect(pointerOf(() => scanJsonText("[[[[]]]]", { ...limits, maxJsonDepth: 3 }, "/body"))).toBe("/body/0/0/0");
  });
});
