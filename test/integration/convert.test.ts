import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson, corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  // The EC's sealed sample is ~150 KB; allow it through the test gateway's body limit.
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const SEALED = "elm/samples/Sample-MC-Annex1-signed.jsonld";
const UNSIGNED = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";

describe("POST /v1/check", () => {
  it("reports the Annex I elements of the EC's sealed micro-credential with paths into the envelope", async () => {
    const res = await gw.call("POST", "/v1/check", { json: { document: corpusJson(SEALED) } });

    expect(res.status).toBe(200);
    expect(res.json.from).toBe("elm");
    const [result] = res.json.results;
    const status = Object.fromEntries(
      result.elements.map((e: { element: string; status: string }) => [e.element, e.status]),
    );
    expect(status.qualityAssurance).toBe("missing");
    for (const el of ["learner", "title", "issuerCountry", "awardingBody", "issuanceDate", "learningOutcomes"]) {
      expect(status[el], el).toBe("present");
    }
    const outcomes = result.elements.find((e: { element: string }) => e.element === "learningOutcomes");
    expect(outcomes.path).toMatch(/^\/payload\/credentialSubject\/hasClaim\/specifiedBy\/learningOutcome/);
    expect(result.microCredential.compliant).toBe(false);
    expect(result.microCredential.missing).toEqual(["qualityAssurance"]);
  });

  it("accepts the document as JSON text too", async () => {
    const res = await gw.call("POST", "/v1/check", { json: { document: corpusText(UNSIGNED), from: "elm" } });
    expect(res.status).toBe(200);
    expect(res.json.results).toHaveLength(1);
  });

  it.each([
    [
      "a document with no @context",
      { type: ["VerifiableCredential", "EuropeanDigitalCredential"] },
      "elm",
      "/body/document/@context",
    ],
    ["a string that is not JSON", "{not json", undefined, "/body/document"],
    ["an unrecognised document", { hello: "world" }, undefined, "/body/from"],
  ])("answers %s with 4xx problem+json naming the place", async (_what, document, from, pointer) => {
    const res = await gw.call("POST", "/v1/check", { json: { document, ...(from ? { from } : {}) } });

    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it("reads XLSX workbooks too: a truncated one is a 4xx naming the document", async () => {
    const res = await gw.call("POST", "/v1/check", { json: { document: "UEsDBA==", from: "xlsx" } });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.errors[0].pointer).toMatch(/^\/body\/document/);
  });
});

describe("POST /v1/convert elm → elm", () => {
  it("normalises the EC sample through the canonical model, reporting losses", async () => {
    const res = await gw.call("POST", "/v1/convert", { json: { to: "elm", document: corpusJson(UNSIGNED) } });

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ from: "elm", to: "elm" });
    const [result] = res.json.results;
    expect(result.document.type).toContain("EuropeanDigitalCredential");
    expect(result.document["@context"]).toContain("http://data.europa.eu/snb/model/context/edc-ap");
    expect(Array.isArray(result.losses)).toBe(true);
    for (const loss of result.losses)
      expect(loss).toEqual({ path: expect.stringMatching(/^\//), reason: expect.any(String) });
  });
});

describe("POST /v1/convert elm ⇄ ob3", () => {
  it("turns the EC micro-credential into an OB 3.0 MicroCredential, and back into ELM keeping the Annex I elements", async () => {
    const toOb3 = await gw.call("POST", "/v1/convert", { json: { to: "ob3", document: corpusJson(SEALED) } });

    expect(toOb3.status).toBe(200);
    expect(toOb3.json.from).toBe("elm");
    const [ob3] = toOb3.json.results;
    expect(ob3.document.type).toContain("OpenBadgeCredential");
    // A short learning programme; not "MicroCredential", because the sample names no quality assurance (Annex I).
    expect(ob3.document.credentialSubject.achievement.achievementType).toBe("LearningProgram");
    for (const loss of ob3.losses) expect(loss.path).toMatch(/^\/payload\//);

    const back = await gw.call("POST", "/v1/check", { json: { document: ob3.document } });
    const original = await gw.call("POST", "/v1/check", { json: { document: corpusJson(SEALED) } });

    expect(back.json.from).toBe("ob3");
    const statuses = (r: { json: { results: { elements: { element: string; status: string }[] }[] } }) =>
      Object.fromEntries(r.json.results[0]?.elements.map((e) => [e.element, e.status]) ?? []);
    expect(statuses(back)).toEqual(statuses(original));
  });

  it("turns an OB 3.0 badge into ELM, reporting what ELM cannot hold", async () => {
    const res = await gw.call("POST", "/v1/convert", {
      json: { to: "elm", document: corpusJson("ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json") },
    });

    expect(res.status).toBe(200);
    expect(res.json.from).toBe("ob3");
    const [result] = res.json.results;
    expect(result.document.type).toContain("EuropeanDigitalCredential");
    expect(result.losses.length).toBeGreaterThan(0);
    // OB 3.0 credits name no credit system: ECTS is not assumed, and the writer says so.
    expect(result.warnings.map((w: { message: string }) => w.message).join(" ")).toMatch(/credit/i);
  });
});
