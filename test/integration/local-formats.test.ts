import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson, corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

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

describe("POST /v1/convert with local formats", () => {
  it.each(["elm", "ob3"])("converts an ELMO transcript (sniffed) to %s", async (to) => {
    const document = corpusText("elmo/real-world/dk-emrex-Example-elmo-sweden-1.0.xml");
    const res = await gw.call("POST", "/v1/convert", { json: { to, document } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.from).toBe("elmo");
    expect(res.json.results).toHaveLength(1);
  });

  it("converts an OB 2.0 assertion (sniffed) to ob3", async () => {
    const res = await gw.call("POST", "/v1/convert", {
      json: { to: "ob3", document: corpusJson("ob2/spec-examples/01-Assertion-Example.json") },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.from).toBe("ob2");
  });

  it.each([
    [
      "XXE",
      `<?xml version="1.0"?>\n<!DOCTYPE elmo [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<elmo>&x;</elmo>`,
      /line 2, column 1/,
    ],
    ["billion laughs", `<!DOCTYPE elmo [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><elmo>&b;</elmo>`, /line 1, column 1/],
    ["20,000-deep", `<elmo>${"<a>".repeat(20_000)}${"</a>".repeat(20_000)}</elmo>`, /deeper than 256 levels at line 1/],
    ["truncated", `<elmo>\n<learner>\n<givenNames>A`, /not closed.*line 3/],
  ])("refuses %s XML with problem+json naming line and column", async (_name, document, detail) => {
    const res = await gw.call("POST", "/v1/convert", { json: { to: "elm", document } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    expect(res.json.detail).toMatch(detail);
    expect(JSON.stringify(res.json)).not.toContain("root:");
  });

  it.each([
    [
      "a DOCTYPE before a root no format claims",
      `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<lolz>&lol2;</lolz>`,
      /DOCTYPE.*line 2, column 1/,
    ],
    ["a truncated file with an unknown root", `\uFEFF  <lolz>\n  <a>\n  <b>text`, /not closed.*line \d+, column \d+/],
    ["a syntax error", `<lolz><a></b></lolz>`, /line 1, column \d+/],
  ])("refuses %s without `from` with problem+json naming line and column", async (_name, document, detail) => {
    // Act
    const res = await gw.call("POST", "/v1/convert", { json: { to: "elm", document } });
    // Assess
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    expect(res.json.detail).toMatch(detail);
    expect(res.json.errors[0].pointer).toBe("/body/document");
  });

  it("names the root of well-formed XML no format recognises", async () => {
    const res = await gw.call("POST", "/v1/convert", { json: { to: "elm", document: "<lolz><a/></lolz>" } });
    expect(res.status).toBe(422);
    expect(res.json.detail).toMatch(/root <lolz>/);
    expect(res.json.errors[0].pointer).toBe("/body/from");
  });

  it("converts an ELMO transcript (sniffed) to ELMO 2.0", async () => {
    const document = corpusText("elmo/v1.7.0/example.xml");
    const res = await gw.call("POST", "/v1/convert", { json: { to: "elmo", document } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.results[0].document).toMatch(
      /^<\?xml[\s\S]*<elmo xmlns="https:\/\/github.com\/emrex-eu\/elmo-schemas\/tree\/v1">/,
    );
  });
});
