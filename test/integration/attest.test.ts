import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { dbVerify } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { type Envelope, verifiesWithNode } from "../support/jades.js";
import { unsignedOb3Credential } from "../support/ob3.js";
import { validateElm } from "../support/shacl.js";

// Attested conversion: POST /v1/convert with attest: true verifies the source, converts it and signs the result with
// the gateway's bridge issuer; a source that does not verify is refused with the failed checks.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let university: RegisteredIssuer;
let bridge: RegisteredIssuer;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(4 * 1024 * 1024) },
  });
  university = await registerIssuer(gw, { name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
  bridge = await registerIssuer(gw, { name: "EDC Gateway Bridge", country: "BE", legalIdentifier: "BE-0000001" });
  // GATEWAY_BRIDGE_ISSUER names an issuer registered beforehand: set once the bridge exists, as an operator would.
  gw.deps.config.registry.bridgeIssuer = bridge.slug;
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

/**
 * An OB 3.0 credential the university issued through the gateway (eddsa-rdfc-2022). Its issuer profile states the
 * university's address: ELM requires a location of every organisation, and an OB 3.0 profile carries it there.
 */
async function issuedOb3(): Promise<Record<string, unknown>> {
  const issuer = {
    type: ["Profile"],
    name: "University of Zed",
    address: { type: ["Address"], addressCountry: "Ireland", addressCountryCode: "IE", addressLocality: "Dublin" },
  };
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: university.token,
    json: { credential: unsignedOb3Credential({ issuer }), options: { issuer: university.id } },
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.json.verifiableCredential;
}

interface ElmEvidence {
  embeddedEvidence?: { content: string } | { content: string }[];
}

const embeddedOriginal = (payload: { evidence?: ElmEvidence | ElmEvidence[] }): unknown => {
  const evidence = [payload.evidence].flat().find((e) => e?.embeddedEvidence) as Required<ElmEvidence>;
  const media = [evidence.embeddedEvidence].flat()[0] as { content: string };
  return JSON.parse(Buffer.from(media.content, "base64").toString("utf8"));
};

describe("POST /v1/convert with attest: true", () => {
  it("converts a gateway-issued OB 3.0 credential to a sealed ELM credential that verifies and embeds the original", async () => {
    // Prepare
    const original = await issuedOb3();

    // Act
    const res = await gw.call("POST", "/v1/convert", {
      token: university.token,
      json: { to: "elm", document: original, attest: true },
    });

    // Assess
    expect(res.status, res.text.slice(0, 800)).toBe(200);
    expect(res.json.attestation).toMatchObject({
      issuer: bridge.slug,
      proof: "jades",
      verification: { verified: true },
    });
    const envelope = res.json.results[0].document as Envelope;
    expect(verifiesWithNode(envelope)).toBe(true);
    const payload = JSON.parse(envelope.payload);
    expect(JSON.stringify(payload.issuer.legalName)).toMatch(/EDC Gateway Bridge/);
    expect(embeddedOriginal(payload)).toEqual(original);
    const shacl = await validateElm(payload, ["generic-full", "converted"]);
    expect(shacl.results.filter((r) => r.severity === "Violation")).toEqual([]);
    const verified = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: envelope } });
    expect(verified.json.verified, JSON.stringify(verified.json.errors)).toBe(true);
  });

  it("converts a sealed ELM credential to OB 3.0 signed by the bridge, with the original as evidence", async () => {
    // Prepare
    const sealed = await gw.call("POST", "/v1/credentials/issue", {
      token: university.token,
      json: {
        credential: {
          ...corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
          id: `urn:credential:${crypto.randomUUID()}`,
        },
        options: { issuer: university.id, format: "elm" },
      },
    });
    expect(sealed.status, sealed.text.slice(0, 500)).toBe(201);

    // Act
    const res = await gw.call("POST", "/v1/convert", {
      token: bridge.token,
      json: { to: "ob3", document: sealed.json.verifiableCredential, attest: true },
    });

    // Assess
    expect(res.status, res.text.slice(0, 800)).toBe(200);
    const vc = res.json.results[0].document;
    expect(vc.issuer.id ?? vc.issuer).toBe(bridge.id);
    expect(vc.proof).toMatchObject([{ cryptosuite: "eddsa-rdfc-2022" }]);
    const didDocument = (await gw.call("GET", `/issuers/${bridge.slug}/did.json`)).json;
    expect((await dbVerify(vc, [didDocument])).verified).toBe(true);
    const evidence = [vc.evidence].flat().map((e: { id?: string }) => e.id ?? "");
    expect(evidence.some((id: string) => id.startsWith("data:"))).toBe(true);
  });

  it("refuses a tampered source with 422 and the failed checks, and signs nothing", async () => {
    // Prepare
    const tampered = { ...(await issuedOb3()), name: "A badge nobody awarded" };

    // Act
    const res = await gw.call("POST", "/v1/convert", {
      token: university.token,
      json: { to: "elm", document: tampered, attest: true },
    });

    // Assess
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.detail).toMatch(/does not verify/);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([{ pointer: "/body/document", detail: expect.stringMatching(/^proof: /) }]),
    );
  });

  it("refuses a source that verifies but whose signer no trust source vouches for (a self-signed did:key credential)", async () => {
    // Prepare: a validator fixture signed with a did:key nobody registered or trusted; its proof is sound.
    const selfSigned = corpusJson("ob3/validator-fixtures/simple-did-key-method.json");
    const plain = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: selfSigned } });

    // Act
    const res = await gw.call("POST", "/v1/convert", {
      token: university.token,
      json: { to: "ob3", document: selfSigned, attest: true },
    });

    // Assess
    expect(plain.json.checks.find((c: { check: string }) => c.check === "proof").status).toBe("ok");
    expect(res.status, res.text.slice(0, 800)).toBe(422);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([{ pointer: "/body/document", detail: expect.stringMatching(/^trust: /) }]),
    );
  });

  it("needs a bearer token, though plain conversion does not", async () => {
    // Prepare
    const original = await issuedOb3();

    // Act
    const attested = await gw.call("POST", "/v1/convert", { json: { to: "elm", document: original, attest: true } });
    const plain = await gw.call("POST", "/v1/convert", { json: { to: "elm", document: original, attest: false } });

    // Assess
    expect(attested.status).toBe(401);
    expect(attested.json.errors[0].pointer).toBe("/headers/authorization");
    expect(plain.status).toBe(200);
    expect(plain.json.attestation).toBeUndefined();
  });

  it("answers 422 naming attest when no bridge issuer is configured, and 400 for a target it cannot sign", async () => {
    // Prepare
    const original = await issuedOb3();
    const configured = gw.deps.config.registry.bridgeIssuer;
    gw.deps.config.registry.bridgeIssuer = undefined;

    // Act
    const unconfigured = await gw
      .call("POST", "/v1/convert", {
        token: university.token,
        json: { to: "elm", document: original, attest: true },
      })
      .finally(() => {
        gw.deps.config.registry.bridgeIssuer = configured;
      });
    const elmo = await gw.call("POST", "/v1/convert", {
      token: university.token,
      json: { to: "elmo", document: original, attest: true },
    });

    // Assess
    expect(unconfigured.status).toBe(422);
    expect(unconfigured.json.errors[0].pointer).toBe("/body/attest");
    expect(elmo.status).toBe(400);
    expect(elmo.json.errors[0].pointer).toBe("/body/to");
  });
});
