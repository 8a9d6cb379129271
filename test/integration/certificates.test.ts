import "../../functions/proofs/reflect-metadata.js";
import { Pkcs10CertificateRequest } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuerRecord } from "../../functions/kernel/ports/index.js";
import { sealJades } from "../../functions/proofs/jades.js";
import {
  certificateBase64,
  createSelfSignedCertificate,
  isQualified,
  parseCertificate,
} from "../../functions/proofs/x509.js";
import { makeTestCa, nodeCertificate, spkiOf, verifySignedDer } from "../support/certificates.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { verifiesWithNode } from "../support/jades.js";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

async function register(over: Record<string, unknown> = {}) {
  const res = await gw.call("POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    json: { name: "Université de Zed", country: "FR", legalIdentifier: "FR-123456789", ...over },
  });
  expect(res.status).toBe(201);
  const stored = (await gw.deps.store.getIssuer(res.json.slug)) as IssuerRecord;
  return { slug: res.json.slug as string, token: res.json.token as string, body: res.json, stored };
}

const keyOf = (issuer: IssuerRecord, type: "RSA-2048" | "P-256") => {
  const key = issuer.keys.find((k) => k.type === type);
  if (!key) throw new Error(`no ${type} key`);
  return key;
};

describe("local-mode registration", () => {
  it("gives the issuer self-signed, not qualified test certificates, so that it can seal at once", async () => {
    // Act
    const { body, stored } = await register();
    // Assess
    expect(body.certificates.map((c: { key: string; qualified: boolean }) => [c.key, c.qualified])).toEqual([
      [`${body.id}#key-p256`, false],
      [`${body.id}#key-rsa`, false],
    ]);
    const rsaRecord = stored.certificates?.find((c) => c.keyFragment === "key-rsa");
    const cert = parseCertificate(rsaRecord?.chain[0] ?? "");
    expect(cert.subjectName.getField("2.5.4.97")).toEqual(["NTRFR-123456789"]);
    expect(cert.subjectName.getField("O")).toEqual(["Université de Zed"]);
    expect(cert.subjectName.getField("OU")).toEqual(["EDC gateway local test certificate, not qualified"]);
    expect(isQualified(cert)).toBe(false);
    const rsa = keyOf(stored, "RSA-2048");
    const envelope = await sealJades(
      { id: "urn:credential:1" },
      {
        signer: gw.deps.signer,
        keyRef: rsa.keyRef,
        alg: "RS256",
        chain: [cert],
      },
    );
    expect(verifiesWithNode(envelope)).toBe(true);
  });
});

describe("GET /v1/issuers/{id}/csr", () => {
  it("answers a PEM CSR for the issuer's RSA key, signed by it, with its name, country and legal identifier", async () => {
    // Prepare
    const { slug, token, stored } = await register();
    // Act
    const res = await gw.call("GET", `/v1/issuers/${slug}/csr`, { token });
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pkcs10");
    const csr = new Pkcs10CertificateRequest(res.text);
    const rsa = keyOf(stored, "RSA-2048");
    expect(verifySignedDer(new Uint8Array(csr.rawData), spkiOf(rsa.publicJwk))).toBe(true);
    expect(Buffer.from(csr.publicKey.rawData)).toEqual(Buffer.from(spkiOf(rsa.publicJwk)));
    expect(csr.subject).toBe("C=FR, O=Université de Zed, 2.5.4.97=NTRFR-123456789, CN=Université de Zed");
  });

  it("answers a CSR for the P-256 key with ?key=p256, and refuses an unknown key choice", async () => {
    // Prepare
    const { slug, token, stored } = await register();
    // Act
    const p256 = await gw.call("GET", `/v1/issuers/${slug}/csr?key=p256`, { token });
    const bad = await gw.call("GET", `/v1/issuers/${slug}/csr?key=dsa`, { token });
    // Assess
    expect(p256.status).toBe(200);
    const csr = new Pkcs10CertificateRequest(p256.text);
    expect(verifySignedDer(new Uint8Array(csr.rawData), spkiOf(keyOf(stored, "P-256").publicJwk))).toBe(true);
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([{ pointer: "/query/key", detail: "must be one of: rsa, p256" }]);
  });

  it("asks for a token, and refuses another issuer's", async () => {
    // Prepare
    const { slug } = await register();
    const other = await register();
    // Act
    const anonymous = await gw.call("GET", `/v1/issuers/${slug}/csr`);
    const foreign = await gw.call("GET", `/v1/issuers/${slug}/csr`, { token: other.token });
    const admin = await gw.call("GET", `/v1/issuers/${slug}/csr`, { token: ADMIN_TOKEN });
    // Assess
    expect(anonymous.status).toBe(401);
    expect(foreign.status).toBe(403);
    expect(admin.status).toBe(200);
  });
});

describe("PUT /v1/issuers/{id}/certificate", () => {
  it("stores a self-signed certificate made for the issuer's key, in place of its test one", async () => {
    // Prepare
    const { slug, token, stored } = await register();
    const rsa = keyOf(stored, "RSA-2048");
    const cert = await createSelfSignedCertificate({
      signer: gw.deps.signer,
      keyRef: rsa.keyRef,
      publicJwk: rsa.publicJwk,
      keyType: "RSA-2048",
      subject: { commonName: "Zed eSeal", organizationName: "Université de Zed", countryName: "FR" },
    });
    // Act
    const res = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, {
      token,
      json: { chain: [cert.toString("pem")] },
    });
    // Assess
    expect(res.status).toBe(200);
    const after = (await gw.deps.store.getIssuer(slug)) as IssuerRecord;
    expect(after.certificates?.map((c) => c.keyFragment)).toEqual(["key-p256", "key-rsa"]);
    expect(after.certificates?.find((c) => c.keyFragment === "key-rsa")?.chain).toEqual([certificateBase64(cert)]);
    expect(res.json.certificates.find((c: { key: string }) => c.key.endsWith("#key-rsa")).chain).toEqual([
      certificateBase64(cert),
    ]);
    expect(after.keys).toEqual(stored.keys);
  });

  it("stores a CA-issued chain, leaf first, and refuses it the other way round", async () => {
    // Prepare
    const { slug, token, stored } = await register();
    const ca = await makeTestCa();
    const leaf = await ca.issue(keyOf(stored, "P-256").publicJwk);
    const chain = [certificateBase64(leaf), ca.certificate.toString("pem")];
    // Act
    const reversed = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, {
      token,
      json: { chain: [...chain].reverse() },
    });
    const ok = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, { token, json: { chain } });
    // Assess
    expect(reversed.status).toBe(422);
    expect(reversed.json.errors[0].pointer).toBe("/body/chain/0");
    expect(ok.status).toBe(200);
    const after = (await gw.deps.store.getIssuer(slug)) as IssuerRecord;
    const p256Chain = after.certificates?.find((c) => c.keyFragment === "key-p256")?.chain ?? [];
    expect(p256Chain.map((der) => nodeCertificate(parseCertificate(der)).subject)).toEqual([
      nodeCertificate(leaf).subject,
      nodeCertificate(ca.certificate).subject,
    ]);
  });

  it("refuses a certificate for another key with 422 at /body/chain/0, and keeps the stored ones", async () => {
    // Prepare
    const { slug, token, stored } = await register();
    const other = await register();
    const foreignKey = keyOf(other.stored, "RSA-2048");
    const foreign = await createSelfSignedCertificate({
      signer: gw.deps.signer,
      keyRef: foreignKey.keyRef,
      publicJwk: foreignKey.publicJwk,
      keyType: "RSA-2048",
      subject: { commonName: "Other", organizationName: "Other", countryName: "FR" },
    });
    // Act
    const res = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, {
      token,
      json: { chain: [certificateBase64(foreign)] },
    });
    // Assess
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json.errors).toEqual([
      { pointer: "/body/chain/0", detail: "the certificate's public key is none of the issuer's keys" },
    ]);
    expect((await gw.deps.store.getIssuer(slug))?.certificates).toEqual(stored.certificates);
  });

  it("refuses what is not a certificate (422) and a body without a chain (400)", async () => {
    // Prepare
    const { slug, token } = await register();
    // Act
    const garbage = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, { token, json: { chain: ["bm9wZQ=="] } });
    const empty = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, { token, json: { chain: [] } });
    // Assess
    expect(garbage.status).toBe(422);
    expect(garbage.json.errors[0].pointer).toBe("/body/chain/0");
    expect(empty.status).toBe(400);
    expect(empty.json.errors[0].pointer).toBe("/body/chain");
  });

  it("refuses another issuer's token with 403, even for a valid chain", async () => {
    // Prepare
    const { slug, stored } = await register();
    const other = await register();
    const chain = stored.certificates?.find((c) => c.keyFragment === "key-rsa")?.chain ?? [];
    // Act
    const res = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, { token: other.token, json: { chain } });
    // Assess
    expect(res.status).toBe(403);
  });
});
