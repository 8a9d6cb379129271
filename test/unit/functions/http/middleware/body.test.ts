import { describe, expect, it } from "vitest";
import { bodyDecoding, isJsonMediaType } from "../../../../../functions/http/middleware/body.js";
import { pipeline, problem } from "../../../../support/middleware.js";

const json = (body: string, contentType = "application/json") => ({ body, headers: { "content-type": contentType } });

describe("body decoding", () => {
  it("decodes a JSON body", async () => {
    const res = await pipeline([bodyDecoding()])(json('{"name":"a"}'));
    expect(JSON.parse(res.body ?? "{}").body).toEqual({ name: "a" });
  });

  it("answers 415 for a body that is not JSON (RFC 9110 §15.5.16), naming the header", async () => {
    const res = await pipeline([bodyDecoding()])(json('{"name":"a"}', "text/plain"));
    expect(res.statusCode).toBe(415);
    expect(problem(res).errors?.[0]?.pointer).toBe("/headers/content-type");
  });

  it("takes the +json structured syntax suffix as JSON (RFC 6839 §3.1) and media type parameters", () => {
    expect(isJsonMediaType("application/vc+ld+json")).toBe(true);
    expect(isJsonMediaType("application/problem+json")).toBe(true);
    expect(isJsonMediaType("Application/JSON; charset=utf-8")).toBe(true);
    expect(isJsonMediaType("application/jsonx")).toBe(false);
    expect(isJsonMediaType("text/json+plain")).toBe(false);
  });

  it("requires a body on a route that takes one, and answers 400 on JSON that RFC 8259 does not admit", async () => {
    expect((await pipeline([bodyDecoding()])(json(""))).statusCode).toBe(400);
    // RFC 8259 §2: no trailing commas, no single-quoted strings.
    expect((await pipeline([bodyDecoding()])(json('{"name":"a",}'))).statusCode).toBe(400);
    expect((await pipeline([bodyDecoding()])(json("{'name':'a'}"))).statusCode).toBe(400);
  });

  it("decodes a base64 body as API Gateway sends binary ones", async () => {
    const res = await pipeline([bodyDecoding()])({
      ...json(""),
      body: Buffer.from('{"name":"b"}').toString("base64"),
      isBase64Encoded: true,
    });
    expect(JSON.parse(res.body ?? "{}").body).toEqual({ name: "b" });
  });
});
