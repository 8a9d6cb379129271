import "../../functions/proofs/reflect-metadata.js";
import { webcrypto } from "node:crypto";
import {
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
  X509CertificateGenerator,
} from "@peculiar/x509";
import { compactVerify, decodeProtectedHeader, importX509 } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuerRecord } from "../../functions/kernel/ports/index.js";
import { makeTestCa } from "../support/certificates.js";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";

// HAIP's `x5c` on what an SD-JWT VC issuer signs: once the issuer's P-256 key has a CA-issued certificate naming its
// HTTPS identifier (`iss`) as a uniformResourceIdentifier SAN, the credential's header and its Token Status List's
// carry the chain, leaf first. Checked with @peculiar/x509 (the chain: the leaf signed by the CA, the SAN naming
// `iss`, SD-JWT VC §3.5) and jose (each JWS verifies with the leaf's key). A seal certificate without that SAN gives
// no `x5c`: a verifier taking the key from `x5c` would have to refuse the credential.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

const SAMPLE = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
const DAY = 24 * 60 * 60 * 1000;
const b64json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
const pem = (b64: string) =>
  `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join("\n")}\n-----END CERTIFICATE-----`;

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

async function issueSdJwtVc(issuer: { slug: string; token: string }): Promise<string> {
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: issuer.token,
    json: { credential: corpusJson(SAMPLE), options: { issuer: issuer.slug, format: "sd-jwt-vc" } },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.verifiableCredential as string;
}

async function statusListJwt(sdJwt: string): Promise<string> {
  const uri = b64json(sdJwt.split("~")[0]?.split(".")[1] as string).status.status_list.uri as string;
  const res = await fetch(uri);
  expect(res.status).toBe(200);
  return res.text();
}

describe("x5c on SD-JWT VCs and Token Status Lists", () => {
  it("carries the chain when the issuer's certificate names its iss; jose and @peculiar/x509 verify it", async () => {
    const issuer = await registerIssuer(gw, { name: "Certified University", country: "IE" });
    const stored = (await gw.deps.store.getIssuer(issuer.slug)) as IssuerRecord;
    const p256 = stored.keys.findLast((k) => k.type === "P-256");
    expect(p256).toBeDefined();
    const iss = `${gw.url}/issuers/${issuer.slug}`;
    const ca = await makeTestCa();
    const leaf = await X509CertificateGenerator.create({
      subject: "CN=Certified University, O=Certified University, C=IE",
      issuer: ca.certificate.subject,
      publicKey: await webcrypto.subtle.importKey(
        "jwk",
        p256?.publicJwk as webcrypto.JsonWebKey,
        { name: "ECDSA", namedCurve: "P-256" },
        true,
        ["verify"],
      ),
      signingKey: ca.keys.privateKey,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 90 * DAY),
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      extensions: [
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new SubjectAlternativeNameExtension([{ type: "url", value: iss }]),
      ],
    });
    const leafB64 = Buffer.from(leaf.rawData).toString("base64");
    const put = await gw.call("PUT", `/v1/issuers/${issuer.slug}/certificate`, {
      token: issuer.token,
      json: { chain: [leafB64, ca.certificate.toString("pem")] },
    });
    expect(put.status, put.text).toBe(200);

    const sdJwt = await issueSdJwtVc(issuer);
    const jwt = sdJwt.split("~")[0] as string;
    const header = decodeProtectedHeader(jwt);
    expect(header.typ).toBe("dc+sd-jwt");
    expect(header.x5c).toHaveLength(2);
    const x5c = header.x5c as string[];
    // The chain as @peculiar/x509 reads it: the leaf is signed by the next certificate, and names `iss`.
    const [end, next] = x5c.map((b64) => new X509Certificate(b64));
    expect(await end?.verify({ publicKey: next?.publicKey, signatureOnly: true })).toBe(true);
    expect(next?.subject).toBe(ca.certificate.subject);
    const san = end?.getExtension(SubjectAlternativeNameExtension);
    expect(san?.names.items.some((n) => n.type === "url" && n.value === b64json(jwt.split(".")[1] as string).iss)).toBe(
      true,
    );
    // The issuer-signed JWT verifies with the end-entity certificate's key (jose).
    await compactVerify(jwt, await importX509(pem(x5c[0] as string), "ES256"));

    // Its Token Status List carries the same chain and verifies with the same key.
    const list = await statusListJwt(sdJwt);
    const listHeader = decodeProtectedHeader(list);
    expect(listHeader).toMatchObject({ typ: "statuslist+jwt", x5c });
    await compactVerify(list, await importX509(pem(x5c[0] as string), "ES256"));
  });

  it("has no x5c when the issuer's certificate does not name its iss", async () => {
    const issuer = await registerIssuer(gw, { name: "Uncertified College", country: "BE" });
    const stored = (await gw.deps.store.getIssuer(issuer.slug)) as IssuerRecord;
    // The registration's own (local test) certificate for the P-256 key, if any, has no SAN naming `iss`.
    const p256 = stored.keys.findLast((k) => k.type === "P-256");
    const own = stored.certificates?.find((c) => c.keyFragment === p256?.fragment);
    if (own) {
      const san = new X509Certificate(own.chain[0] as string).getExtension(SubjectAlternativeNameExtension);
      expect(san?.names.items.some((n) => n.type === "url") ?? false).toBe(false);
    }
    const sdJwt = await issueSdJwtVc(issuer);
    expect(decodeProtectedHeader(sdJwt.split("~")[0] as string).x5c).toBeUndefined();
    expect(decodeProtectedHeader(await statusListJwt(sdJwt)).x5c).toBeUndefined();
  });
});
