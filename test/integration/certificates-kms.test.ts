import "../../functions/proofs/reflect-metadata.js";
import { KMSClient } from "@aws-sdk/client-kms";
import { Pkcs10CertificateRequest } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsKeyStore } from "../../functions/adapters/aws/kms-keys.js";
import type { IssuerRecord } from "../../functions/kernel/ports/index.js";
import { sealJades, verifyJades } from "../../functions/proofs/jades.js";
import { certificateBase64, createSelfSignedCertificate, parseCertificate } from "../../functions/proofs/x509.js";
import { nodeCertificate, spkiOf, verifySignedDer } from "../support/certificates.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { verifiesWithNode } from "../support/jades.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";

// The eSeal certificate routes with keys in moto's KMS and the issuer in moto's DynamoDB: CSRs and certificates are
// signed by KMS (RAW messages: RS256 and ES256; moto signs PS256 with a non-standard salt, so it is not used here).
let moto: RunningMoto;
let gw: TestGateway;

beforeAll(async () => {
  moto = await startMoto();
  const keys = new KmsKeyStore({
    client: new KMSClient(emulatorClientConfig(moto.endpoint)),
    appName: "edc-gateway-test",
    keyTypes: ["P-256", "RSA-2048"],
  });
  gw = await startTestGateway({ dynamoEndpoint: moto.endpoint, keys });
});

afterAll(async () => {
  await gw?.close();
  await moto?.stop();
});

async function register() {
  const res = await gw.call("POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    json: { name: "Hochschule Y", country: "DE", legalIdentifier: "HRB 12345" },
  });
  expect(res.status).toBe(201);
  const stored = (await gw.deps.store.getIssuer(res.json.slug)) as IssuerRecord;
  return { slug: res.json.slug as string, token: res.json.token as string, stored };
}

const keyOf = (issuer: IssuerRecord, type: "RSA-2048" | "P-256") => {
  const key = issuer.keys.find((k) => k.type === type);
  if (!key) throw new Error(`no ${type} key`);
  return key;
};

describe("eSeal certificates with KMS keys (moto)", () => {
  it.each([
    ["rsa", "RSA-2048"],
    ["p256", "P-256"],
  ] as const)("answers a CSR (?key=%s) that KMS signed and node:crypto verifies", async (choice, type) => {
    // Prepare
    const { slug, token, stored } = await register();
    // Act
    const res = await gw.call("GET", `/v1/issuers/${slug}/csr?key=${choice}`, { token });
    // Assess
    expect(res.status).toBe(200);
    const csr = new Pkcs10CertificateRequest(res.text);
    const key = keyOf(stored, type);
    expect(key.keyRef).toMatch(/^[0-9a-f-]{36}$|^arn:aws:kms:/);
    expect(verifySignedDer(new Uint8Array(csr.rawData), spkiOf(key.publicJwk))).toBe(true);
    expect(csr.subjectName.getField("2.5.4.97")).toEqual(["NTRDE-HRB 12345"]);
  });

  it("registers with KMS-signed test certificates whose JAdES seals (RS256, ES256) node:crypto verifies", async () => {
    // Prepare
    const { stored } = await register();
    for (const [type, alg] of [
      ["RSA-2048", "RS256"],
      ["P-256", "ES256"],
    ] as const) {
      const key = keyOf(stored, type);
      const der = stored.certificates?.find((c) => c.keyFragment === key.fragment)?.chain[0] ?? "";
      const cert = parseCertificate(der);
      const node = nodeCertificate(cert);
      // Act
      const envelope = await sealJades(
        { id: "urn:credential:kms" },
        {
          signer: gw.deps.signer,
          keyRef: key.keyRef,
          alg,
          chain: [cert],
        },
      );
      // Assess
      expect(node.verify(node.publicKey)).toBe(true);
      expect(verifiesWithNode(envelope)).toBe(true);
      expect(verifyJades(envelope).verified).toBe(true);
    }
  });

  it("takes a chain for the KMS key and refuses another issuer's", async () => {
    // Prepare
    const { slug, token, stored } = await register();
    const other = await register();
    const make = async (issuer: IssuerRecord) => {
      const key = keyOf(issuer, "RSA-2048");
      const cert = await createSelfSignedCertificate({
        signer: gw.deps.signer,
        keyRef: key.keyRef,
        publicJwk: key.publicJwk,
        keyType: "RSA-2048",
        subject: { commonName: "Hochschule Y", organizationName: "Hochschule Y", countryName: "DE" },
      });
      return certificateBase64(cert);
    };
    // Act
    const own = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, {
      token,
      json: { chain: [await make(stored)] },
    });
    const foreign = await gw.call("PUT", `/v1/issuers/${slug}/certificate`, {
      token,
      json: { chain: [await make(other.stored)] },
    });
    // Assess
    expect(own.status).toBe(200);
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors[0].pointer).toBe("/body/chain/0");
  });
});
