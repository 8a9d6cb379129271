import "../../../../functions/proofs/reflect-metadata.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { X509Certificate } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../functions/adapters/local/file-keys.js";
import type { KeyRecord } from "../../../../functions/kernel/ports/index.js";
import {
  type JadesAlgorithm,
  type JadesEnvelope,
  sealJades,
  signingInput,
  verifyJades,
} from "../../../../functions/proofs/jades.js";
import {
  certificateBase64,
  createSelfSignedCertificate,
  jadesKid,
  x5tS256,
} from "../../../../functions/proofs/x509.js";
import { makeTestCa } from "../../../support/certificates.js";
import { corpusJson } from "../../../support/corpus.js";
import { type Envelope, protectedHeaderOf, verifiesWithNode, verifyWithJose } from "../../../support/jades.js";
import { makeSealChain, webCryptoSigner } from "../../../support/trusted-lists.js";

const EC_SIGNED = "elm/samples/Sample-MC-Annex1-signed.jsonld";
const NOW = new Date("2026-03-01T10:00:00.678Z");
const SUBJECT = {
  commonName: "University of Zed Seal",
  organizationName: "University of Zed",
  organizationIdentifier: "NTRIE-654321",
  countryName: "IE",
};

let dir: string;
let store: FileKeyStore;
let rsa: KeyRecord;
let p256: KeyRecord;
let rsaCert: X509Certificate;
let p256Cert: X509Certificate;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "jades-keys-"));
  store = new FileKeyStore({ dir });
  rsa = await store.createKey("RSA-2048", { issuerId: "zed" });
  p256 = await store.createKey("P-256", { issuerId: "zed" });
  const common = { signer: store, subject: SUBJECT, now: new Date("2026-01-01T00:00:00Z") };
  rsaCert = await createSelfSignedCertificate({
    ...common,
    keyRef: rsa.keyRef,
    publicJwk: rsa.publicJwk,
    keyType: "RSA-2048",
  });
  p256Cert = await createSelfSignedCertificate({
    ...common,
    keyRef: p256.keyRef,
    publicJwk: p256.publicJwk,
    keyType: "P-256",
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small credential with characters that must survive as UTF-8 in an unencoded payload. */
const credential = () => ({
  id: "urn:credential:1",
  type: ["VerifiableCredential", "EuropeanDigitalCredential"],
  credentialSubject: { id: "urn:epass:person:1", fullName: { ga: "Seán Ó Briain" } },
  issued: "2026-03-01T10:00:00Z",
});

function seal(alg: JadesAlgorithm, chain?: X509Certificate[]): Promise<JadesEnvelope> {
  const key = alg === "ES256" ? p256 : rsa;
  return sealJades(credential(), {
    signer: store,
    keyRef: key.keyRef,
    alg,
    chain: chain ?? [alg === "ES256" ? p256Cert : rsaCert],
    now: NOW,
  });
}

const tamperedHeader = (envelope: JadesEnvelope, change: (header: Record<string, unknown>) => void): JadesEnvelope => {
  const header = protectedHeaderOf(envelope);
  change(header);
  const [first] = envelope.signatures;
  return {
    ...envelope,
    signatures: [
      {
        ...first,
        protected: Buffer.from(JSON.stringify(header)).toString("base64url"),
        signature: first?.signature ?? "",
      },
    ],
  };
};

describe("the EC's sealed micro-credential sample", () => {
  it("verifies with node:crypto: RS256 over ASCII(protected) '.' payload, with x5c[0]'s key", () => {
    // Prepare
    const envelope = corpusJson(EC_SIGNED) as Envelope;
    // Act
    const verified = verifiesWithNode(envelope);
    // Assess
    expect(verified).toBe(true);
    expect(protectedHeaderOf(envelope)).toMatchObject({ alg: "RS256", b64: false, crit: ["b64", "sigT", "adoTst"] });
  });

  it("verifies with jose too, told that sigT and adoTst are understood", async () => {
    // Prepare
    const envelope = corpusJson(EC_SIGNED) as Envelope;
    // Act
    const payload = await verifyWithJose(envelope);
    // Assess
    expect(payload).toBe(envelope.payload);
  });

  it("fails node:crypto once one payload character changes", () => {
    // Prepare
    const envelope = corpusJson(EC_SIGNED) as Envelope;
    // Act
    const tampered = { ...envelope, payload: envelope.payload.replace("University of Zed", "University of Zef") };
    // Assess
    expect(tampered.payload).not.toBe(envelope.payload);
    expect(verifiesWithNode(tampered)).toBe(false);
  });

  it("reads the EC sample's LTA elements and verifies its content and signature time-stamps", () => {
    // Act
    const result = verifyJades(corpusJson(EC_SIGNED));
    // Assess
    expect(result.unsigned).toMatchObject({ signatureTimestamps: 1, archiveTimestamps: 1, unknown: [] });
    expect(result.unsigned?.certificates.length).toBeGreaterThan(0);
    expect((result.unsigned?.crls ?? 0) + (result.unsigned?.ocspResponses ?? 0)).toBeGreaterThan(0);
    expect(result.timestamps).toEqual([
      {
        kind: "sigTst",
        check: expect.objectContaining({
          ok: true,
          genTime: "2023-09-27T11:54:20Z",
          tsa: "CN=good-tsa, O=Nowina Solutions, OU=PKI-TEST, C=LU",
          tsaCertificate: expect.stringMatching(/^MII/),
        }),
      },
      {
        kind: "adoTst",
        check: expect.objectContaining({
          ok: true,
          genTime: "2023-09-27T11:54:17Z",
          tsa: "CN=good-tsa, O=Nowina Solutions, OU=PKI-TEST, C=LU",
          tsaCertificate: expect.stringMatching(/^MII/),
        }),
      },
    ]);
    expect(result.warnings[0]).toMatch(
      /etsiU is read: 1 signature time-stamp\(s\) \(sigTst\), \d+ certificate value\(s\) \(xVals\), \d+ CRL\(s\) and \d+ OCSP response\(s\) \(rVals\), 1 archive time-stamp\(s\) \(arcTst\)/,
    );
  });

  it("says a signature time-stamp does not hold when it time-stamps something else, and keeps the proof", () => {
    // Prepare: the archive time-stamp put where the signature time-stamp belongs (etsiU is not signed).
    const envelope = corpusJson(EC_SIGNED) as Envelope & { signatures: { header: { etsiU: string[] } }[] };
    const etsiU = envelope.signatures[0]?.header.etsiU ?? [];
    const decode = (e: string) => JSON.parse(Buffer.from(e, "base64url").toString());
    const archive = decode(etsiU.find((e) => "arcTst" in decode(e)) as string).arcTst;
    const swapped = etsiU.map((e) =>
      "sigTst" in decode(e) ? Buffer.from(JSON.stringify({ sigTst: archive })).toString("base64url") : e,
    );
    const changed = { ...envelope, signatures: [{ ...envelope.signatures[0], header: { etsiU: swapped } }] };
    // Act
    const result = verifyJades(changed);
    // Assess
    expect(result.verified).toBe(true);
    expect(result.timestamps?.[0]).toMatchObject({
      kind: "sigTst",
      check: { ok: false, reason: "its message imprint is not the hash of the time-stamped data" },
    });
    expect(result.warnings[0]).toContain("a signature time-stamp does not hold: its message imprint");
  });

  it("fails a seal whose signed content time-stamp (adoTst) is for another payload, and passes it on its own payload", async () => {
    // Prepare: a test seal carrying the EC sample's content time-stamp, over the EC payload and over another one.
    const { seal } = await makeSealChain();
    const ec = corpusJson(EC_SIGNED) as Envelope;
    const adoTst = protectedHeaderOf(ec).adoTst;
    const sealWithAdoTst = async (payload: string): Promise<Envelope> => {
      const cert = seal.certificate;
      const header = {
        alg: "RS256",
        cty: "octet-stream",
        kid: jadesKid(cert),
        "x5t#S256": x5tS256(cert),
        x5c: [certificateBase64(cert)],
        typ: "jose+json",
        b64: false,
        sigT: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        adoTst,
        crit: ["b64", "sigT", "adoTst"],
      };
      const protectedHeader = Buffer.from(JSON.stringify(header)).toString("base64url");
      const signature = await webCryptoSigner(seal.keys.privateKey).sign(
        "test",
        "RS256",
        signingInput(protectedHeader, payload),
      );
      return {
        payload,
        signatures: [{ protected: protectedHeader, signature: Buffer.from(signature).toString("base64url") }],
      };
    };
    // Act
    const own = verifyJades(await sealWithAdoTst(ec.payload));
    const other = verifyJades(await sealWithAdoTst(ec.payload.replace("University of Zed", "University of Zef")));
    // Assess
    expect(own.errors).toEqual([]);
    expect(own.timestamps).toEqual([
      expect.objectContaining({ kind: "adoTst", check: expect.objectContaining({ ok: true }) }),
    ]);
    expect(other.verified).toBe(false);
    expect(other.errors).toEqual([
      "signatures[0]: the content time-stamp (adoTst) in the signed header does not cover this payload",
    ]);
  });

  it("verifies with verifyJades, which says what it did not check (time-stamps, LT data)", () => {
    // Act
    const result = verifyJades(corpusJson(EC_SIGNED));
    // Assess
    expect(result.errors).toEqual([]);
    expect(result.verified).toBe(true);
    expect(result.warnings).toEqual([expect.stringContaining("etsiU"), expect.stringContaining("adoTst")]);
    expect(result.header?.sigT).toBe("2023-09-27T11:54:17Z");
    expect(result.certificate?.subjectName.getField("2.5.4.97")).toEqual(["VATES-A00000000"]);
    expect(JSON.parse(result.payload ?? "{}").id).toBe("urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75");
  });
});

describe("sealJades", () => {
  it.each(["RS256", "PS256", "ES256"] as const)("makes a %s seal that node:crypto and jose verify", async (alg) => {
    // Act
    const envelope = await seal(alg);
    // Assess
    expect(Object.keys(envelope)).toEqual(["payload", "signatures"]);
    expect(envelope.payload).toBe(JSON.stringify(credential()));
    expect(verifiesWithNode(envelope)).toBe(true);
    expect(await verifyWithJose(envelope)).toBe(envelope.payload);
    expect(verifyJades(envelope)).toMatchObject({ verified: true, errors: [], warnings: [] });
  });

  it("writes EDC's protected header: certificate references, sigT in seconds, b64 and sigT critical", async () => {
    // Act
    const envelope = await seal("RS256");
    // Assess
    const header = protectedHeaderOf(envelope);
    expect(Object.keys(header)).toEqual(["alg", "cty", "kid", "x5t#S256", "x5c", "typ", "b64", "sigT", "crit"]);
    expect(header).toEqual({
      alg: "RS256",
      cty: "octet-stream",
      kid: jadesKid(rsaCert),
      "x5t#S256": x5tS256(rsaCert),
      x5c: [certificateBase64(rsaCert)],
      typ: "jose+json",
      b64: false,
      sigT: "2026-03-01T10:00:00Z",
      crit: ["b64", "sigT"],
    });
    expect(envelope.signatures[0]?.signature).toMatch(/^[A-Za-z0-9_-]{342}$/);
  });

  it("puts the whole chain in x5c, leaf first, and takes another content type", async () => {
    // Prepare
    const ca = await makeTestCa();
    const leaf = await ca.issue(rsa.publicJwk);
    // Act
    const envelope = await sealJades(credential(), {
      signer: store,
      keyRef: rsa.keyRef,
      alg: "RS256",
      chain: [leaf, ca.certificate],
      cty: "json",
    });
    // Assess
    const header = protectedHeaderOf(envelope);
    expect(header.x5c).toEqual([certificateBase64(leaf), certificateBase64(ca.certificate)]);
    expect(header.kid).toBe(jadesKid(leaf));
    expect(header.cty).toBe("json");
    expect(verifiesWithNode(envelope)).toBe(true);
    expect(verifyJades(envelope).verified).toBe(true);
  });

  it("refuses to seal with no certificate", async () => {
    // Act
    const sealing = sealJades(credential(), { signer: store, keyRef: rsa.keyRef, alg: "RS256", chain: [] });
    // Assess
    await expect(sealing).rejects.toThrow(/signing certificate/);
  });
});

describe("verifyJades refuses", () => {
  it("a changed payload, as node:crypto and jose do", async () => {
    // Prepare
    const envelope = await seal("ES256");
    // Act
    const tampered = { ...envelope, payload: envelope.payload.replace("Seán", "Sean") };
    // Assess
    expect(verifiesWithNode(tampered)).toBe(false);
    await expect(verifyWithJose(tampered)).rejects.toThrow();
    expect(verifyJades(tampered)).toMatchObject({
      verified: false,
      errors: ["signatures[0]: the signature does not verify with x5c[0]'s key"],
    });
  });

  it("a seal whose certificate is not the signing key's (x5c swapped, x5t#S256 and kid left)", async () => {
    // Prepare
    const envelope = await seal("RS256");
    // Act
    const tampered = tamperedHeader(envelope, (h) => {
      h.x5c = [certificateBase64(p256Cert)];
    });
    // Assess
    expect(verifyJades(tampered).errors).toEqual([
      "signatures[0]: x5t#S256 is not the digest of x5c[0]",
      "signatures[0]: kid is not the issuer and serial number of x5c[0]",
      "signatures[0]: alg RS256 does not fit the certificate's ec key",
    ]);
  });

  it.each([
    [
      "an unknown critical parameter",
      (h: Record<string, unknown>) => Object.assign(h, { crit: ["b64", "sigT", "exp"] }),
      'critical header parameter "exp" is not understood',
    ],
    [
      "b64 left out of crit",
      (h: Record<string, unknown>) => Object.assign(h, { crit: ["sigT"] }),
      "b64 must be listed in crit (RFC 7797)",
    ],
    ["no crit", (h: Record<string, unknown>) => delete h.crit, "crit must list the critical header parameters"],
    ["an encoded payload", (h: Record<string, unknown>) => delete h.b64, "unencoded payload (b64: false)"],
    ["no sigT", (h: Record<string, unknown>) => delete h.sigT, "sigT (the claimed signing time)"],
    [
      "a sigT with milliseconds",
      (h: Record<string, unknown>) => Object.assign(h, { sigT: "2026-03-01T10:00:00.000Z" }),
      "sigT (the claimed signing time)",
    ],
    [
      "a sigT outside the certificate's validity",
      (h: Record<string, unknown>) => Object.assign(h, { sigT: "2025-01-01T00:00:00Z" }),
      "outside the certificate's validity",
    ],
    ["no x5t#S256", (h: Record<string, unknown>) => delete h["x5t#S256"], "no signing certificate digest"],
  ])("%s", async (_, change, message) => {
    // Prepare
    const envelope = await seal("RS256");
    // Act
    const result = verifyJades(tamperedHeader(envelope, (h) => void change(h)));
    // Assess
    expect(result.verified).toBe(false);
    expect(result.errors).toContainEqual(expect.stringContaining(message));
  });

  it.each([
    ["not an object", "a string"],
    ["no payload", { signatures: [] }],
    ["no signatures", { payload: "{}", signatures: [] }],
    ["a signature without a protected header", { payload: "{}", signatures: [{ signature: "AA" }] }],
    ["a protected header that is not JSON", { payload: "{}", signatures: [{ protected: "bm9wZQ", signature: "AA" }] }],
  ])("%s", (_, envelope) => {
    // Act
    const result = verifyJades(envelope);
    // Assess
    expect(result.verified).toBe(false);
    expect(result.errors).toHaveLength(1);
  });

  it("accepts the flattened serialization of the same seal", async () => {
    // Prepare
    const { payload, signatures } = await seal("PS256");
    const [only] = signatures;
    // Act
    const result = verifyJades({ payload, protected: only?.protected, signature: only?.signature });
    // Assess
    expect(result.verified).toBe(true);
  });
});
