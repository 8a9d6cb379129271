import "../../functions/proofs/reflect-metadata.js";
import { X509Certificate } from "@peculiar/x509";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomIds, systemClock } from "../../functions/kernel/system.js";
import { writeMomentOf } from "../../functions/kernel/write-moment.js";
import type { CanonicalCredential } from "../../mappings/model.js";
import { WRITERS } from "../../mappings/registry.js";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { microCredentials, schemaErrors, unsignedOb3Credential } from "../support/ob3.js";
import { validateElm } from "../support/shacl.js";

// The issuance gate: nothing the gateway signs fails the `format` check of its own verifier. Refusals are 422
// problem+json listing the violations; what is signed is verified back through POST /v1/credentials/verify.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };
let quickstart: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE", testIssuer: true });
  quickstart = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies of many shapes; the assertions check them.
type Json = any;

const issue = (token: string, credential: unknown, options: Record<string, unknown>) =>
  gw.call("POST", "/v1/credentials/issue", { token, json: { credential, options } });

async function checksOf(verifiableCredential: unknown): Promise<Record<string, { status: string; detail: string }>> {
  const res = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential } });
  expect(res.status, res.text).toBe(200);
  return Object.fromEntries(res.json.checks.map((c: Json) => [c.check, c]));
}

/** The OID of the X.520 organizationIdentifier attribute (ETSI EN 319 412-1, 5.1.4). */
const ORGANIZATION_IDENTIFIER = "2.5.4.97";

describe("the issuance gate", () => {
  it("refuses with 422 an OB 3.0 credential its verifier rejects, listing the violations; nothing is signed", async () => {
    // Prepare: an achievement without a name, which the OB 3.0 JSON Schema requires.
    const credential = unsignedOb3Credential();
    delete (credential.credentialSubject as Json).achievement.name;
    expect(schemaErrors(credential).map((e) => e.path)).toContain("/credentialSubject/achievement");
    const sign = vi.spyOn(gw.deps.signer, "sign");
    // Act
    const res = await issue(issuer.token, credential, { issuer: issuer.id });
    sign.mockRestore();
    // Assess
    expect(res.status, res.text).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.detail).toContain("the gateway does not sign a credential its own verifier rejects");
    const pointers = res.json.errors.map((e: Json) => e.pointer);
    expect(pointers.some((p: string) => p.startsWith("/body/credential/credentialSubject/achievement"))).toBe(true);
    expect(res.json.errors.find((e: Json) => e.pointer === "/body/credential").detail).toMatch(/^format: /);
    expect(sign).not.toHaveBeenCalled();
  });

  it("refuses an ELM credential whose assessment has no grade, which the EDC shapes reject too", async () => {
    const credential = corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld");
    delete credential.credentialSubject.hasClaim.provenBy.grade;
    const shacl = await validateElm(credential);
    expect(shacl.results.map((r) => r.path)).toContain("http://data.europa.eu/snb/model/elm/grade");

    const res = await issue(issuer.token, credential, { issuer: issuer.id, format: "elm" });

    expect(res.status, res.text).toBe(422);
    const grade = res.json.errors.find((e: Json) => e.pointer.endsWith("/provenBy/grade"));
    expect(grade.pointer).toBe("/body/credential/credentialSubject/hasClaim/provenBy/grade");
    expect(grade.detail).toContain("grade");
  });

  it("a quickstart issuer cannot seal ELM: 422 at the issuer's eIDAS identifier, naming legalIdentifier", async () => {
    const credential = corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld");

    const res = await issue(quickstart.token, credential, { issuer: quickstart.id, format: "elm" });

    expect(res.status, res.text).toBe(422);
    const eidas = res.json.errors.find((e: Json) => e.pointer === "/body/credential/issuer/eIDASIdentifier");
    expect(eidas.detail).toContain("legalIdentifier");
  });

  it("local mode's test certificates of a declared test issuer carry an organizationIdentifier; its seals verify", async () => {
    const view = await gw.call("GET", `/v1/issuers/${issuer.slug}`, { token: ADMIN_TOKEN });
    expect(view.json.certificates.length).toBeGreaterThan(0);
    for (const { chain } of view.json.certificates) {
      const leaf = new X509Certificate(Buffer.from(chain[0], "base64"));
      // EN 319 412-1 5.1.4: two characters of a local scheme and ":", the country, "-", the reference; no register.
      const [identifier] = leaf.subjectName.getField(ORGANIZATION_IDENTIFIER);
      expect(identifier).toMatch(/^[A-Z]{2}:IE-/);
      expect(identifier).toBe(`XT:IE-TEST-${issuer.slug}`);
      expect(identifier).not.toMatch(/^(VAT|NTR|PSD|LEI)/);
    }
    const credential = corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld");

    const res = await issue(issuer.token, credential, { issuer: issuer.id, format: "elm" });

    expect(res.status, res.text).toBe(201);
    const checks = await checksOf(res.json.verifiableCredential);
    expect(checks.format?.status).toBe("ok");
    expect(checks.proof?.status).toBe("ok");
  });

  it("refuses testIssuer together with a legalIdentifier, naming /body/testIssuer", async () => {
    const res = await gw.call("POST", "/v1/issuers", {
      token: ADMIN_TOKEN,
      json: { name: "X", country: "IE", legalIdentifier: "IE-1", testIssuer: true },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].pointer).toBe("/body/testIssuer");
  });
});

/** Every format and proof the gateway issues, from one generated credential. */
const KINDS: { format: "ob3" | "elm"; proof: "eddsa-rdfc-2022" | "vc-jwt" | "jades" }[] = [
  { format: "ob3", proof: "eddsa-rdfc-2022" },
  { format: "ob3", proof: "vc-jwt" },
  { format: "elm", proof: "jades" },
];

function unsigned(credential: CanonicalCredential, format: "ob3" | "elm"): Record<string, unknown> {
  const writer = WRITERS[format];
  if (!writer) throw new Error(`no ${format} writer`);
  // A fresh id each time: an id is issued once (shrinking re-runs the same credential).
  const fresh = { ...credential, id: `urn:uuid:${crypto.randomUUID()}` };
  return writer(
    fresh,
    format === "ob3" ? { issuerId: issuer.id } : {},
    writeMomentOf({ clock: systemClock, ids: randomIds }),
  ).document as Record<string, unknown>;
}

describe("property: no issued credential fails its own format check", () => {
  it.each(KINDS)(
    "issues generated micro-credentials as $format with $proof, each passing the gateway's own verifier",
    async ({ format, proof }) => {
      let issued = 0;
      await fc.assert(
        fc.asyncProperty(microCredentials, async (credential) => {
          const res = await issue(issuer.token, unsigned(credential, format), { issuer: issuer.id, format, proof });
          if (res.status === 422) {
            // A refusal is allowed, but only as the gate's: problem+json listing what the format check found.
            expect(res.json.errors.length).toBeGreaterThan(0);
            return;
          }
          expect(res.status, res.text).toBe(201);
          issued += 1;
          const checks = await checksOf(res.json.verifiableCredential);
          expect(checks.format?.status, checks.format?.detail).not.toBe("error");
          expect(checks.proof?.status, checks.proof?.detail).toBe("ok");
        }),
        { numRuns: 8, seed: 18 },
      );
      // The generated credentials are complete micro-credentials: the gate has no reason to refuse them.
      expect(issued).toBe(8);
    },
    120_000,
  );
});
