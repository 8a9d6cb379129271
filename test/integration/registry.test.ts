import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRegistryRefreshEvent, REGISTRY_REFRESH_EVENT } from "../../functions/core/registry/refresh-event.js";
import { refreshRegistry } from "../../functions/handlers/convert.js";
import { corpusJson, corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { deqarInstitutionRecord, deqarReportRecord, uniZedDeqarBundle } from "../support/registry.js";

// The quality-assurance registry over HTTP: imports (files in place from the corpus, documented DEQAR shapes, the
// DEQAR API served by a local emulator), matching, and the check and verify routes using it.
const MC_SAMPLE = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let deqar: Server;
let deqarRequests: { url: string; authorization?: string }[] = [];

/** A DEQAR Web API emulator: one page of reports, the institutions' records, 401 without the token. */
function startDeqar(): Promise<Server> {
  const server = createServer((req, res) => {
    deqarRequests.push({
      url: req.url ?? "",
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== "Bearer deqar-secret") return send(401, { detail: "Invalid token." });
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/webapi/v2/browse/reports/") {
      const offset = Number(url.searchParams.get("offset"));
      return send(200, { count: 1, next: null, previous: null, results: offset === 0 ? [deqarReportRecord()] : [] });
    }
    if (url.pathname === "/webapi/v2/browse/institutions/382/") {
      return send(
        200,
        deqarInstitutionRecord({
          id: 382,
          eter: "DE0069 - RWTH Aachen",
          countries: [{ country: { iso_3166_alpha2: "DE", name_english: "Germany" } }],
          identifiers: [{ agency: null, identifier: "rwth-aachen.de", identifier_valid_to: null, resource: "SCHAC" }],
          names: [
            {
              name_official: "Rheinisch-Westfälische Technische Hochschule Aachen",
              name_english: "RWTH Aachen University",
              acronym: "RWTH",
            },
          ],
        }),
      );
    }
    return send(404, { detail: "Not found." });
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

beforeAll(async () => {
  db = await startDynalite();
  deqar = await startDeqar();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(4 * 1024 * 1024),
      GATEWAY_DEQAR_API_URL: `http://127.0.0.1:${(deqar.address() as AddressInfo).port}`,
      GATEWAY_DEQAR_API_TOKEN: "deqar-secret",
      GATEWAY_DEQAR_ALLOW_LOOPBACK: "on",
    },
  });
});

afterAll(async () => {
  await gw?.close();
  await new Promise((ok) => deqar?.close(ok));
  await db?.stop();
});

const importAs = (token: string | undefined, json: unknown) =>
  gw.call("POST", "/v1/registry/imports", { ...(token ? { token } : {}), json });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions.
const qualityAssuranceOf = (res: { json: any }) =>
  res.json.results[0].elements.find((e: { element: string }) => e.element === "qualityAssurance");

describe("POST /v1/registry/imports", () => {
  it("fills the registry from the corpus's Europass accreditation JSON and QDR XML", async () => {
    // Act
    const accreditation = await importAs(ADMIN_TOKEN, {
      document: corpusJson("elm/samples/accreditation-sample.json"),
    });
    const qdr = await importAs(ADMIN_TOKEN, {
      format: "qdr-xml",
      document: corpusText("registries/qdr/qms-v1-loms/loms.xml"),
    });
    const match = await gw.call("POST", "/v1/registry/match", {
      json: { awardingBody: { name: "Faculty of Media - FaM", country: "SI" } },
    });
    const leuven = await gw.call("POST", "/v1/registry/match", {
      json: { awardingBody: { legalIdentifier: "BE0419.052.0002" } },
    });

    // Assess
    expect(accreditation.status, accreditation.text).toBe(200);
    expect(accreditation.json).toMatchObject({
      source: "file",
      format: "elm-accreditation",
      institutions: 1,
      reports: 1,
      agencies: 1,
    });
    expect(qdr.status, qdr.text).toBe(200);
    expect(qdr.json).toMatchObject({ format: "qdr-xml", institutions: 7, reports: 0 });
    expect(match.json).toMatchObject({
      matched: true,
      institution: { deqarId: "DEQARINST2360", countries: ["SI"] },
      match: { method: "name-country", on: 'name "Faculty of Media - FaM" in SI' },
      // The accreditation's review date (2021) is past: the registry holds the report, but no current one.
      reports: [],
      esgReviewed: false,
    });
    expect(leuven.json).toMatchObject({
      matched: true,
      institution: { key: "QDR:0419.052.0002", name: "KU Leuven" },
      match: { method: "legal-identifier" },
    });
  });

  it("is for the admin only", async () => {
    // Prepare
    const issuer = await registerIssuer(gw, { name: "Registry Outsider", country: "IE" });

    // Act
    const anonymous = await importAs(undefined, { document: uniZedDeqarBundle() });
    const asIssuer = await importAs(issuer.token, { document: uniZedDeqarBundle() });

    // Assess
    expect(anonymous.status).toBe(401);
    expect(asIssuer.status).toBe(403);
    expect(asIssuer.headers.get("content-type")).toContain("application/problem+json");
  });

  it("answers 422 naming the document for what is not registry data, 400 for an unknown format or too deep JSON", async () => {
    // Act
    const notRegistry = await importAs(ADMIN_TOKEN, { document: { "@context": [], type: "VerifiableCredential" } });
    const badFormat = await importAs(ADMIN_TOKEN, { format: "csv", document: "a,b" });
    const badXml = await importAs(ADMIN_TOKEN, { document: "<Accreditations><unclosed></Accreditations>" });
    const tooDeep = await importAs(ADMIN_TOKEN, { document: `${"[".repeat(200)}${"]".repeat(200)}` });

    // Assess
    expect(notRegistry.status).toBe(422);
    expect(notRegistry.json.errors[0].pointer).toBe("/body/document");
    expect(badFormat.status).toBe(400);
    expect(badFormat.json.errors[0].pointer).toBe("/body/format");
    expect(badXml.status).toBe(422);
    expect(badXml.json.detail).toMatch(/line \d+, column \d+/);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json.errors[0].pointer).toMatch(/^\/body\/document/);
  });

  it("imports from the DEQAR Web API with the configured token, through the guarded HTTP client", async () => {
    // Prepare
    deqarRequests = [];

    // Act
    const res = await importAs(ADMIN_TOKEN, { source: "deqar-api", maxReports: 50 });
    const bySchac = await gw.call("POST", "/v1/registry/match", {
      json: { awardingBody: { schac: "rwth-aachen.de" } },
    });

    // Assess
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ source: "deqar-api", institutions: 1, reports: 1, agencies: 1, requests: 2 });
    expect(deqarRequests.map((r) => r.url)).toEqual([
      "/webapi/v2/browse/reports/?limit=50&offset=0",
      "/webapi/v2/browse/institutions/382/",
    ]);
    expect(deqarRequests.every((r) => r.authorization === "Bearer deqar-secret")).toBe(true);
    expect(bySchac.json).toMatchObject({
      matched: true,
      institution: { deqarId: "DEQARINST0382", qfEheaLevels: ["first", "second", "third"] },
      match: { method: "schac", on: 'SCHAC code "rwth-aachen.de"' },
    });
  });
});

describe("the scheduled registry refresh", () => {
  it("imports from the DEQAR API when EventBridge sends the refresh event, and tells it from HTTP events", async () => {
    // Prepare
    deqarRequests = [];
    const httpEvent = { routeKey: "POST /v1/registry/imports", ...REGISTRY_REFRESH_EVENT };

    // Act
    const outcome = await refreshRegistry(gw.deps);

    // Assess
    expect(isRegistryRefreshEvent(REGISTRY_REFRESH_EVENT)).toBe(true);
    expect(isRegistryRefreshEvent(httpEvent)).toBe(false);
    expect(outcome).toEqual({ refreshed: true, detail: "1 institutions, 1 reports, 1 agencies" });
    expect(deqarRequests[0]?.url).toBe("/webapi/v2/browse/reports/?limit=100&offset=0");
  });
});

describe("POST /v1/registry/match", () => {
  it("says what it tried when nothing matches, and refuses an unknown country", async () => {
    // Act
    const none = await gw.call("POST", "/v1/registry/match", {
      json: { awardingBody: { name: "College of Nowhere", country: "FR", schac: "nowhere.fr" } },
    });
    const badCountry = await gw.call("POST", "/v1/registry/match", {
      json: { awardingBody: { name: "College of Nowhere", country: "Atlantis" } },
    });

    // Assess
    expect(none.status).toBe(200);
    expect(none.json).toMatchObject({ matched: false, reports: [], esgReviewed: false });
    expect(none.json.tried).toEqual([
      'SCHAC code "nowhere.fr": no institution',
      'name "College of Nowhere" in FR: no institution',
    ]);
    expect(badCountry.status).toBe(400);
    expect(badCountry.json.errors[0].pointer).toBe("/body/awardingBody/country");
  });
});

describe("POST /v1/check with the registry", () => {
  it("fills qualityAssurance of the EC's micro-credential sample from the registry once its awarding body is in it", async () => {
    // Prepare
    const document = corpusJson(MC_SAMPLE);
    const before = await gw.call("POST", "/v1/check", { json: { document } });

    // Act
    const imported = await importAs(ADMIN_TOKEN, { document: uniZedDeqarBundle() });
    const after = await gw.call("POST", "/v1/check", { json: { document } });

    // Assess
    expect(before.status).toBe(200);
    expect(qualityAssuranceOf(before)).toMatchObject({ status: "missing" });
    expect(before.json.results[0].registry).toMatchObject({ matched: false });
    expect(imported.status, imported.text).toBe(200);
    const qa = qualityAssuranceOf(after);
    expect(qa).toMatchObject({
      status: "present",
      source: "registry",
      value: { from: "registry", institution: "DEQARINST9001", report: "https://data.deqar.eu/report/90001" },
    });
    expect(qa.detail).toMatch(/filled from the DEQAR registry/);
    const result = after.json.results[0];
    expect(result.registry).toMatchObject({
      matched: true,
      institution: { deqarId: "DEQARINST9001", name: "University of Zed" },
      // The sample states no SCHAC code; its home page's domain is one, and it comes before the name.
      match: { method: "schac", on: 'SCHAC code "uniz.edu" (the home page\'s domain)' },
      esgReviewed: true,
    });
    expect(result.microCredential.missing).not.toContain("qualityAssurance");
    expect(result.microCredential.deqar.registry).toMatchObject({
      matched: true,
      institution: "DEQARINST9001",
      matchedBy: "schac",
      qfEheaLevels: ["first", "second"],
      esgReviewed: true,
    });
  });

  it("keeps the credential's own quality assurance rather than the registry's", async () => {
    // Prepare: the registry knows the Faculty of Media (accreditation import above); the credential names its own.
    const document = corpusJson(MC_SAMPLE);
    document.credentialSubject.hasClaim.specifiedBy.accreditation = {
      id: "https://data.deqar.eu/report/1",
      type: "Accreditation",
      dcType: { id: "http://data.europa.eu/snb/accreditation/e2c46efb6b", type: "Concept" },
      title: { en: "Programme accreditation" },
    };

    // Act
    const res = await gw.call("POST", "/v1/check", { json: { document } });

    // Assess
    expect(res.status).toBe(200);
    expect(qualityAssuranceOf(res)).toMatchObject({ status: "present", source: "credential" });
  });
});

describe("POST /v1/credentials/verify with the DEQAR trust source", () => {
  it("reports the awarding body as a DEQAR-registered, ESG-reviewed institution", async () => {
    // Prepare: the EC sample sealed by a registered issuer; University of Zed is in the registry (import above).
    await importAs(ADMIN_TOKEN, { document: uniZedDeqarBundle() });
    const issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
    const credential = { ...corpusJson(MC_SAMPLE), id: `urn:credential:${crypto.randomUUID()}` };
    const issued = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential, options: { issuer: issuer.id, format: "elm" } },
    });

    // Act
    const res = await gw.call("POST", "/v1/credentials/verify", {
      json: { verifiableCredential: issued.json.verifiableCredential },
    });

    // Assess
    expect(issued.status, issued.text).toBe(201);
    const trust = res.json.checks.find((c: { check: string }) => c.check === "trust");
    expect(trust.detail).toMatch(
      /DEQAR-registered institution DEQARINST9001 "University of Zed".*ESG-reviewed.*data\.deqar\.eu\/report\/90001/,
    );
  });
});
