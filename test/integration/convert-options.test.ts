import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

// `options` of POST /v1/convert are typed: each documented option has its effect, anything else is refused with a
// problem naming the member (before, an unknown or misspelt option was silently ignored).
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const UNSIGNED = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
const csv = () => readFileSync("docs/examples/registrar-en.csv", "utf8");
const convert = (json: unknown) => gw.call("POST", "/v1/convert", { json });

describe("POST /v1/convert options", () => {
  it.each([
    ["an unknown option", { embedOrignal: true }, "/body/options/embedOrignal"],
    ["the writers' clock", { now: "2020-01-01T00:00:00Z" }, "/body/options/now"],
    [
      "the deployment's extension context",
      { extensionContextUrl: "https://evil.example/ctx.json" },
      "/body/options/extensionContextUrl",
    ],
    ["an unknown ELM form", { form: "jsonld" }, "/body/options/form"],
    ["a fractional maxRows", { maxRows: 1.5 }, "/body/options/maxRows"],
    ["an unknown fill member", { fill: { country: "IE" } }, "/body/options/fill/country"],
  ])("refuses %s with a problem naming the member", async (_what, options, pointer) => {
    const res = await convert({ to: "elm", document: corpusJson(UNSIGNED), options });

    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it("refuses an ELM profile the writer does not know, rather than writing `auto`", async () => {
    const res = await convert({ to: "elm", document: corpusJson(UNSIGNED), options: { profile: "micro" } });

    expect(res.status).toBe(400);
    expect(res.json.errors[0].pointer).toBe("/body/options/profile");
  });

  it("writes EBSI's VCDM 2.0 form with form: ebsi, and EDC's VCDM 1.1 form by default", async () => {
    const ebsi = await convert({ to: "elm", document: corpusJson(UNSIGNED), options: { form: "ebsi" } });
    const edc = await convert({ to: "elm", document: corpusJson(UNSIGNED) });

    expect(ebsi.status, ebsi.text.slice(0, 300)).toBe(200);
    // VCDM 2.0's context URL (W3C VC Data Model 2.0 §4.3) against VCDM 1.1's.
    expect(ebsi.json.results[0].document["@context"][0]).toBe("https://www.w3.org/ns/credentials/v2");
    expect(edc.json.results[0].document["@context"][0]).toBe("https://www.w3.org/2018/credentials/v1");
  });

  it("takes the spreadsheet reader's options: a column profile by name and maxRows", async () => {
    const res = await convert({
      to: "ob3",
      from: "csv",
      document: csv(),
      options: { maxRows: 1, issuerId: "did:web:uni.example" },
    });

    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json.results).toHaveLength(1);
    expect(res.json.results[0].document.issuer.id).toBe("did:web:uni.example");
    const wrong = await convert({ to: "ob3", from: "csv", document: csv(), options: { profile: "no-such-profile" } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors[0].pointer).toBe("/body/options/profile");
  });

  it("documents every option in /openapi.json, each with a description", async () => {
    const doc = (await gw.call("GET", "/openapi.json")).json;
    const options = doc.paths["/v1/convert"].post.requestBody.content["application/json"].schema.properties.options;

    expect(options.additionalProperties).toBe(false);
    for (const [name, schema] of Object.entries(options.properties as Record<string, { description?: string }>))
      expect(schema.description, name).toBeTruthy();
  });
});
