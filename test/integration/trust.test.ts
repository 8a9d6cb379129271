import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateBase64 } from "../../functions/proofs/x509.js";
import { corpusJson } from "../support/corpus.js";
import { VECTOR } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { type Issued, makeSealChain, SVC, sealWithChain, trustedListXml } from "../support/trusted-lists.js";

// The trust registry over HTTP: importing EU trusted lists and roots (admin only), and what the verify `trust` check
// then says about the EC's sealed sample (a test seal on no list), seals chaining to a listed CA or a configured root,
// issuers registered on this gateway, and configured trusted issuers.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let listed: { root: Issued; issuing: Issued; seal: Issued };
let rooted: { root: Issued; issuing: Issued; seal: Issued };
let issuer: { id: string; slug: string; token: string };

const EC_SEALED = "elm/samples/Sample-MC-Annex1-signed.jsonld";

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024), GATEWAY_TRUSTED_ISSUERS: VECTOR.issuer },
  });
  [listed, rooted] = await Promise.all([makeSealChain("Listed QTSP"), makeSealChain("Rooted QTSP")]);
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

/** The credential EDC sealed in the EC's sample (issued date, issuer's eIDAS identifier), under a fresh id. */
function elmCredential(): Record<string, unknown> {
  return {
    ...JSON.parse(corpusJson(EC_SEALED).payload),
    id: `urn:credential:${crypto.randomUUID()}`,
    issued: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

const importList = (territory: string, xml: string, token: string | undefined = ADMIN_TOKEN) =>
  gw.call("PUT", `/v1/admin/trust/lists/${territory}`, { json: { xml }, ...(token ? { token } : {}) });

const verify = (verifiableCredential: unknown) =>
  gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential } });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions.
const checkOf = (body: any, name: string) => body.checks.find((c: { check: string }) => c.check === name);

describe("trust registry administration", () => {
  it("imports a national trusted list, keeping the granted CA/QC certificates as anchors", async () => {
    // Prepare
    const xml = trustedListXml({
      territory: "LU",
      sequence: 7,
      tspName: "Listed QTSP S.A.",
      services: [
        { certificate: listed.issuing.certificate, name: "Qualified eSeal CA" },
        { certificate: listed.root.certificate, status: SVC.withdrawn },
      ],
    });
    // Act
    const res = await importList("LU", xml);
    // Assess
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      source: "eu-tl:LU",
      kind: "tsl",
      territory: "LU",
      sequenceNumber: 7,
      anchorCount: 1,
      skipped: { notGranted: 1 },
    });
  });

  it("imports the LOTL and lists it with its pointers", async () => {
    // Prepare
    const xml = trustedListXml({
      territory: "EU",
      pointers: [{ territory: "LU", location: "https://portail-qualite.public.lu/tsl.xml" }],
    });
    // Act
    const imported = await importList("EU", xml);
    const registry = await gw.call("GET", "/v1/admin/trust", { token: ADMIN_TOKEN });
    // Assess
    expect(imported.status, imported.text).toBe(200);
    expect(registry.json.lists).toContainEqual(
      expect.objectContaining({
        source: "eu-tl:EU",
        kind: "lotl",
        pointers: [expect.objectContaining({ territory: "LU" })],
      }),
    );
    expect(registry.json.trustedIssuers.configured).toEqual([{ id: VECTOR.issuer }]);
  });

  it("refuses a caller without the admin token (401) and an issuer's token (403)", async () => {
    // Act
    const anonymous = await importList("LU", trustedListXml({ territory: "LU" }), "");
    const asIssuer = await importList("LU", trustedListXml({ territory: "LU" }), issuer.token);
    // Assess
    expect(anonymous.status).toBe(401);
    expect(asIssuer.status).toBe(403);
  });

  it.each([
    ["XML that is not a trusted list", "LU", "<Other xmlns='urn:x'/>", "/body/xml", 400],
    [
      "a list filed under another territory",
      "BE",
      trustedListXml({ territory: "LU", sequence: 9 }),
      "/path/territory",
      400,
    ],
    ["an older list than the stored one", "LU", trustedListXml({ territory: "LU", sequence: 3 }), "/body/xml", 409],
  ])("answers problem+json naming the field for %s", async (_what, territory, xml, pointer, status) => {
    // Act
    const res = await importList(territory, xml);
    // Assess
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it("refuses trusted issuers too large to store as one item, and keeps the stored ones", async () => {
    // Prepare
    const issuers = Array.from({ length: 400 }, (_, i) => ({ id: `did:web:issuer-${i}.example:${"x".repeat(1000)}` }));
    const before = await gw.call("GET", "/v1/admin/trust", { token: ADMIN_TOKEN });
    // Act
    const res = await gw.call("PUT", "/v1/admin/trust/issuers", { token: ADMIN_TOKEN, json: { issuers } });
    // Assess
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ pointer: "/body/issuers", detail: expect.stringContaining("300000 bytes") }]);
    const after = await gw.call("GET", "/v1/admin/trust", { token: ADMIN_TOKEN });
    expect(after.json.trustedIssuers.stored).toEqual(before.json.trustedIssuers.stored);
  });

  it("refuses a root that is not a certificate, naming its index", async () => {
    // Act
    const res = await gw.call("PUT", "/v1/admin/trust/roots", {
      token: ADMIN_TOKEN,
      json: { certificates: [certificateBase64(rooted.root.certificate), "not a certificate"] },
    });
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain("/body/certificates/1");
  });
});

describe("the trust check with trusted lists imported", () => {
  it("reports the EC sealed sample's test seal as not on a trusted list, with its subject, while the proof is ok", async () => {
    // Act
    const res = await verify(corpusJson(EC_SEALED));
    // Assess
    expect(checkOf(res.json, "proof").status).toBe("ok");
    expect(checkOf(res.json, "trust").status).toBe("error");
    expect(checkOf(res.json, "trust").detail).toMatch(/^not on a trusted list: the seal certificate ".*CN=TEST SEAL/);
    expect(res.json.verified).toBe(false);
    expect(res.json.errors).toContainEqual(expect.stringMatching(/^trust: not on a trusted list/));
  });

  it("trusts a seal whose certificate was issued by a CA of an imported list", async () => {
    // Prepare
    const envelope = await sealWithChain(elmCredential(), listed.seal);
    // Act
    const res = await verify(envelope);
    // Assess
    expect(checkOf(res.json, "proof").status, checkOf(res.json, "proof").detail).toBe("ok");
    expect(checkOf(res.json, "trust")).toMatchObject({ status: "ok" });
    expect(checkOf(res.json, "trust").detail).toMatch(
      /chains to ".*Listed QTSP Qualified eSeal CA.*" \(eu-tl:LU, Listed QTSP S\.A\./,
    );
    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
  });

  it("trusts a seal chaining through its x5c intermediate to a root the admin configured, and not before", async () => {
    // Prepare
    const envelope = await sealWithChain(elmCredential(), rooted.seal, [
      rooted.seal.certificate,
      rooted.issuing.certificate,
    ]);
    const before = await verify(envelope);
    // Act
    const put = await gw.call("PUT", "/v1/admin/trust/roots", {
      token: ADMIN_TOKEN,
      json: { certificates: [rooted.root.certificate.toString("pem")] },
    });
    const after = await verify(envelope);
    // Assess
    expect(put.status, put.text).toBe(200);
    expect(checkOf(before.json, "trust").status).toBe("error");
    expect(checkOf(after.json, "trust")).toMatchObject({ status: "ok" });
    expect(checkOf(after.json, "trust").detail).toMatch(/Rooted QTSP Root CA.*\(configured\); 2 certificates checked/);
  });

  it("keeps a credential sealed by an issuer registered here trusted although its test certificate is on no list", async () => {
    // Prepare
    const issued = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential: elmCredential(), options: { issuer: issuer.id, format: "elm" } },
    });
    expect(issued.status, issued.text).toBe(201);
    // Act
    const res = await verify(issued.json.verifiableCredential);
    // Assess
    const trust = checkOf(res.json, "trust");
    expect(trust.status).toBe("ok");
    expect(trust.detail).toMatch(/^issued by a registered issuer of this gateway/);
    expect(trust.findings).toContainEqual(expect.objectContaining({ source: "trusted-list", status: "error" }));
    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
  });

  it("trusts the OB 3.0 test vector's issuer configured in GATEWAY_TRUSTED_ISSUERS, the key being the issuer's", async () => {
    // Act
    const res = await verify(corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json"));
    // Assess
    expect(checkOf(res.json, "proof").status).toBe("ok");
    expect(checkOf(res.json, "trust")).toMatchObject({ status: "ok" });
    expect(checkOf(res.json, "trust").detail).toMatch(/is a configured trusted issuer/);
  });

  it("trusts a key stored through the admin route by its verification method", async () => {
    // Prepare
    const vc = corpusJson("ob3/validator-fixtures/simple-did-key-method.json");
    const before = await verify(vc);
    const method: string = vc.proof[0].verificationMethod;
    // Act
    const put = await gw.call("PUT", "/v1/admin/trust/issuers", {
      token: ADMIN_TOKEN,
      json: { issuers: [{ verificationMethod: method, name: "Validator fixture key" }] },
    });
    const after = await verify(vc);
    // Assess
    expect(put.status, put.text).toBe(200);
    expect(checkOf(before.json, "trust").status).toBe("skipped");
    expect(checkOf(after.json, "trust")).toMatchObject({ status: "ok" });
    expect(checkOf(after.json, "trust").detail).toMatch(/configured trusted key \(Validator fixture key\)/);
  });
});
