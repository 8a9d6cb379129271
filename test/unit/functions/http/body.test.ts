import { describe, expect, it } from "vitest";
import { bodyBytes, parseJson } from "../../../../functions/http/body.js";

const limits = { maxBodyBytes: 1024, maxJsonDepth: 8, maxJsonKeys: 50 };
const parse = (text: string) => parseJson(Buffer.from(text, "utf8"), limits);

describe("request body limits", () => {
  it("parses well-formed JSON within the limits", () => {
    expect(parse('{"a":[1,{"b":"c"}]}')).toEqual({ a: [1, { b: "c" }] });
  });

  it("refuses a body over the size limit, plain or base64", () => {
    expect(() => bodyBytes("x".repeat(1025), false, limits)).toThrow(
      expect.objectContaining({ code: "body-too-large" }),
    );
    const b64 = Buffer.alloc(1025).toString("base64");
    expect(() => bodyBytes(b64, true, limits)).toThrow(expect.objectContaining({ code: "body-too-large" }));
    expect(bodyBytes(Buffer.alloc(1024).toString("base64"), true, limits).length).toBe(1024);
  });

  it("refuses nesting deeper than the limit, without recursion", () => {
    const deep = `${"[".repeat(9)}${"]".repeat(9)}`;
    expect(() => parse(deep)).toThrow(expect.objectContaining({ code: "limit-exceeded" }));
    expect(() => parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toThrow(
      expect.objectContaining({ code: "limit-exceeded" }),
    );
    expect(parse(`${"[".repeat(8)}${"]".repeat(8)}`)).toBeDefined();
  });

  it("refuses more keys than the limit", () => {
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])));
    expect(() => parse(many)).toThrow(expect.objectContaining({ code: "limit-exceeded" }));
  });

  it("refuses prototype-reaching keys and names where they are", () => {
    expect(() => parse('{"a":{"__proto__":{"x":1}}}')).toThrow(
      expect.objectContaining({
        code: "validation-failed",
        issues: [{ pointer: "/body/a/__proto__", detail: "forbidden key" }],
      }),
    );
    expect(() => parse('{"constructor":{"prototype":{}}}')).toThrow(
      expect.objectContaining({ code: "validation-failed" }),
    );
  });

  it("reports malformed JSON and invalid UTF-8 as malformed-json", () => {
    expect(() => parse('{"a":')).toThrow(expect.objectContaining({ code: "malformed-json" }));
    expect(() => parseJson(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), limits)).toThrow(
      expect.objectContaining({ code: "malformed-json", message: expect.stringMatching(/UTF-8/) }),
    );
  });
});
