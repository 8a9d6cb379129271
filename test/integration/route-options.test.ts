import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";

// `options` of issue, verify, verifyPresentation and jobs are typed. Issue and jobs are closed: a misspelt option is
// refused naming it, where before it was silently ignored. What the W3C VC API and its test suites send stays
// accepted: the VC API's IssueCredentialOptions example (w3c-ccg/vc-api components/IssueCredentialOptions.yml), its
// VerifyPresentationOptions example (components/VerifyPresentationOptions.yml), and the `checks: ["proof"]` of the
// request body Digital Bazaar's vc-api-verifier-test-suite builds (createRequestBody).
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };

const VC_V2 = "https://www.w3.org/ns/credentials/v2";

/** The VC API's own example of IssueCredentialOptions, as published. */
const VC_API_ISSUE_EXAMPLE = {
  credentialId: "example.com/ad5d541f-db7a-4bff-97e1-d403ce403767",
  mandatoryPointers: ["/issuer", "/validFrom", "/validUntil"],
};
/** The VC API's own example of VerifyPresentationOptions, as published. */
const VC_API_VP_EXAMPLE = {
  domain: "example.com",
  challenge: "d436f0c8-fbd9-4e48-bbb2-55fc5d0920a8",
  returnPresentation: true,
};

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  issuer = await registerIssuer(gw, { name: "Options University", country: "IE" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const credential = () => ({
  "@context": [VC_V2],
  type: ["VerifiableCredential"],
  issuer: issuer.id,
  credentialSubject: { id: "did:example:subject", name: "Alice" },
});
const issue = (path: string, options: Record<string, unknown>) =>
  gw.call("POST", path, { token: issuer.token, json: { credential: credential(), options } });
const pointers = (res: { json: { errors?: { pointer: string }[] } }) => (res.json.errors ?? []).map((e) => e.pointer);

describe("options of the issue routes", () => {
  it.each(["/v1/credentials/issue", "/credentials/issue"])(
    "%s accepts the VC API's IssueCredentialOptions example and signs",
    async (path) => {
      const res = await issue(path, { issuer: issuer.id, ...VC_API_ISSUE_EXAMPLE });

      expect(res.status, JSON.stringify(res.json).slice(0, 400)).toBe(201);
      expect(res.json.verifiableCredential.proof).toMatchObject({ type: "DataIntegrityProof" });
    },
  );

  it.each([
    ["a misspelt member", { issuer: "x", formt: "ob3" }, "/body/options/formt"],
    ["a wrongly typed member", { issuer: "x", status: "no" }, "/body/options/status"],
    ["a format the route does not write", { issuer: "x", format: "elmo" }, "/body/options/format"],
  ])("refuses %s with a problem naming it", async (_what, options, pointer) => {
    for (const path of ["/v1/credentials/issue", "/credentials/issue"]) {
      const res = await issue(path, options);

      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(pointers(res)).toContain(pointer);
    }
  });
});

describe("options of the verify routes stay open, as the VC API's are", () => {
  it('a credential verified with the verifier suite\'s options `checks: ["proof"]`', async () => {
    const signed = await issue("/credentials/issue", { issuer: issuer.id });
    expect(signed.status).toBe(201);

    for (const path of ["/v1/credentials/verify", "/credentials/verify"]) {
      const res = await gw.call("POST", path, {
        json: { verifiableCredential: signed.json.verifiableCredential, options: { checks: ["proof"] } },
      });

      expect(res.status, JSON.stringify(res.json).slice(0, 400)).toBe(200);
      expect(res.json.verified).toBe(true);
    }
  });

  it("a typed member still has its type: a challenge that is not a string is refused", async () => {
    const res = await gw.call("POST", "/credentials/verify", {
      json: { verifiableCredential: credential(), options: { challenge: 42 } },
    });

    expect(res.status).toBe(400);
    expect(pointers(res)).toContain("/body/options/challenge");
  });

  it("a presentation with the VC API's VerifyPresentationOptions example is judged, not refused", async () => {
    const signed = await issue("/credentials/issue", { issuer: issuer.id });
    const res = await gw.call("POST", "/presentations/verify", {
      json: {
        verifiablePresentation: {
          "@context": [VC_V2],
          type: ["VerifiablePresentation"],
          verifiableCredential: [signed.json.verifiableCredential],
        },
        options: VC_API_VP_EXAMPLE,
      },
    });

    // A challenge was asked for and the presentation has no proof holding it: not verified (422), not a bad request.
    expect(res.status, JSON.stringify(res.json).slice(0, 400)).toBe(422);
    expect(res.json.verified).toBe(false);
    expect(res.json.credentialResults[0].verified).toBe(true);
    expect(res.json.verifiablePresentation).toBeUndefined();
  });
});

describe("options of POST /v1/jobs", () => {
  const csv = readFileSync("docs/examples/registrar-en.csv", "utf8");
  // The file's data rows, counted from the file itself: its non-empty lines after the header.
  const dataRows = csv.split(/\r?\n/).filter((line) => line.trim() !== "").length - 1;
  const job = (options: Record<string, unknown>) =>
    gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: csv, options: { issuer: issuer.id, format: "ob3", dryRun: true, ...options } },
    });

  it("takes the spreadsheet reader's maxRows (a dry run reads one row of many)", async () => {
    expect(dataRows).toBeGreaterThan(1);
    const all = await job({});
    const one = await job({ maxRows: 1 });

    expect(all.status, all.text.slice(0, 300)).toBe(200);
    expect(all.json.total).toBe(dataRows);
    expect(one.status, one.text.slice(0, 300)).toBe(200);
    expect(one.json.rows[0].row).toBe(all.json.rows[0].row);
    expect(one.json.total).toBeLessThan(dataRows);
  });

  it.each([
    ["a misspelt reader option", { delimitr: ";" }, "/body/options/delimitr"],
    ["a conversion-only option", { fill: { issuerCountry: "IE" } }, "/body/options/fill"],
    ["a two-character delimiter", { delimiter: ";;" }, "/body/options/delimiter"],
  ])("refuses %s with a problem naming it", async (_what, options, pointer) => {
    const res = await job(options);

    expect(res.status).toBe(400);
    expect(pointers(res)).toContain(pointer);
  });
});
