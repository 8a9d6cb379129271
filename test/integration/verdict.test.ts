import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { issue as dbIssue } from "@digitalbazaar/vc";
import Ajv2020 from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDocumentLoader as documentLoader } from "../support/contexts.js";
import { corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// The verdict a person reads, beside `verified`: a valid proof by a key nobody vouches for is `valid-issuer-unknown`,
// never passed off as trusted; a credential of a registered issuer is `valid-trusted`; a failing check is `invalid`
// with a plain reason. Credentials of unknown issuers are signed by Digital Bazaar's issuer, not by the gateway.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: RegisteredIssuer;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

/** A VCDM 2.0 credential signed (eddsa-rdfc-2022) by a fresh did:key nobody registered or trusts. */
async function signedByUnknownDidKey(): Promise<Record<string, unknown>> {
  const key = await Ed25519Multikey.generate({});
  const did = `did:key:${key.publicKeyMultibase}`;
  const pair = await Ed25519Multikey.from({ ...key, id: `${did}#${key.publicKeyMultibase}`, controller: did });
  const suite = new DataIntegrityProof({ cryptosuite, signer: pair.signer() });
  const credential = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ["VerifiableCredential"],
    issuer: { id: did, name: "University of Alpha" },
    validFrom: "2024-01-01T00:00:00Z",
    credentialSubject: { id: "did:example:learner" },
  };
  return dbIssue({ credential, suite, documentLoader: documentLoader as never });
}

const verify = (verifiableCredential: unknown, path = "/v1/credentials/verify") =>
  gw.call("POST", path, { json: { verifiableCredential } });

async function issued(): Promise<Record<string, unknown>> {
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: issuer.token,
    json: { credential: unsignedOb3Credential(), options: { issuer: issuer.id } },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.verifiableCredential;
}

describe("the verification verdict", () => {
  it("says valid-issuer-unknown for an unknown did:key with a valid proof, naming the claim as unconfirmed", async () => {
    const res = await verify(await signedByUnknownDidKey());

    expect(res.status).toBe(200);
    expect(res.json.verified).toBe(true);
    expect(res.json.verdict.status).toBe("valid-issuer-unknown");
    expect(res.json.verdict.summary).toContain("University of Alpha");
    expect(res.json.verdict.summary).toMatch(/no trusted source confirms/);
    // One sentence: one final full stop, none inside.
    expect(res.json.verdict.summary.match(/\.(\s|$)/g)).toHaveLength(1);
  });

  it("says valid-trusted for a credential of a registered issuer of this gateway", async () => {
    const res = await verify(await issued());

    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
    expect(res.json.verdict).toEqual({
      status: "valid-trusted",
      summary: expect.stringContaining("University of Zed"),
    });
  });

  it("says valid-issuer-unknown for the EC's sealed sample, naming its awarding body and the test certificate", async () => {
    // The sample is sealed with "CN=TEST SEAL, O=ORGANIZACION TEST" (its x5c) and awarded by University of Zed (its
    // issuer's legalName and awardingBody in the unsigned sample), on no trusted list this gateway reads.
    const res = await verify(JSON.parse(corpusText("elm/samples/Sample-MC-Annex1-signed.jsonld")));

    expect(res.json.verified, JSON.stringify(res.json.checks)).toBe(true);
    expect(res.json.verdict.status).toBe("valid-issuer-unknown");
    expect(res.json.verdict.summary).toContain("University of Zed");
    expect(res.json.verdict.summary).toMatch(
      /no trusted list confirms this sealing certificate: it is a test certificate\.$/,
    );
    expect(res.json.verdict.summary.match(/\.(\s|$)/g)).toHaveLength(1);
  });

  it("says invalid for a tampered credential, with a plain reason beside the proof check's detail", async () => {
    const vc = await issued();
    const res = await verify({ ...vc, name: "A different badge" });

    expect(res.json.verified).toBe(false);
    expect(res.json.verdict.status).toBe("invalid");
    expect(res.json.verdict.summary, JSON.stringify(res.json.checks)).toMatch(/changed after it was signed/);
    const proof = res.json.checks.find((c: { check: string }) => c.check === "proof");
    expect(proof).toMatchObject({ status: "error", detail: expect.any(String), reason: expect.any(String) });
    expect(proof.reason).not.toBe(proof.detail);
    // Checks that passed carry no reason.
    expect(
      res.json.checks.filter((c: { status: string; reason?: string }) => c.status !== "error" && c.reason),
    ).toEqual([]);
  });

  it("says invalid for a revoked credential: the issuer has revoked it", async () => {
    const vc = await issued();
    const revoked = await gw.call("POST", `/v1/credentials/${encodeURIComponent(String(vc.id))}/revoke`, {
      token: issuer.token,
      json: { action: "revoke" },
    });
    expect(revoked.status, revoked.text).toBe(200);

    const res = await verify(vc);
    expect(res.json.verdict.status).toBe("invalid");
    expect(res.json.verdict.summary).toMatch(/revoked/);
    expect(res.json.checks.find((c: { check: string }) => c.check === "status").reason).toBe(
      "The issuer has revoked this credential.",
    );
  });

  it("is in the W3C alias's body too, and both answers match the published OpenAPI schema", async () => {
    const unknown = await signedByUnknownDidKey();
    const alias = await verify(unknown, "/credentials/verify");
    const tampered = await verify({ ...(await issued()), name: "x" }, "/credentials/verify");
    expect(alias.status).toBe(200);
    expect(alias.json.verdict.status).toBe("valid-issuer-unknown");
    expect(tampered.status).toBe(422);
    expect(tampered.json.verdict.status).toBe("invalid");

    const openapi = (await gw.call("GET", "/openapi.json")).json;
    const schema = openapi.paths["/v1/credentials/verify"].post.responses["200"].content["application/json"].schema;
    const validate = new Ajv2020.default({ strict: false }).compile(schema);
    for (const body of [alias.json, tampered.json]) expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    // The schema is not vacuous: a body without a verdict fails it.
    expect(validate({ ...alias.json, verdict: undefined })).toBe(false);
  });
});
