/**
 * The JAdES verifier's signing-certificate cache (issue 11): an issuer's seals share one parse of their `x5c[0]`, a
 * different certificate text is always checked against its own certificate, and the cache stays bounded.
 */
import "../../../../functions/proofs/reflect-metadata.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { X509Certificate } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../functions/adapters/local/file-keys.js";
import type { KeyRecord } from "../../../../functions/kernel/ports/index.js";
import {
  cachedSigningCertificates,
  type JadesEnvelope,
  sealJades,
  verifyJades,
} from "../../../../functions/proofs/jades.js";
import { certificateBase64, createSelfSignedCertificate } from "../../../../functions/proofs/x509.js";
import { protectedHeaderOf } from "../../../support/jades.js";

let dir: string;
let store: FileKeyStore;
let key: KeyRecord;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "jades-cache-keys-"));
  store = new FileKeyStore({ dir });
  key = await store.createKey("P-256", { issuerId: "cache" });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed seal certificate of the test key, its subject numbered so that each one is a distinct certificate. */
const certificate = (n: number): Promise<X509Certificate> =>
  createSelfSignedCertificate({
    signer: store,
    keyRef: key.keyRef,
    publicJwk: key.publicJwk,
    keyType: "P-256",
    subject: { commonName: `Cache Seal ${n}`, organizationName: "University of Zed", countryName: "IE" },
    now: new Date("2026-01-01T00:00:00Z"),
  });

/** A sealed credential numbered `n`, signed under `cert`. */
const seal = (cert: X509Certificate, n: number): Promise<JadesEnvelope> =>
  sealJades(
    { id: `urn:credential:${n}`, type: ["VerifiableCredential", "EuropeanDigitalCredential"] },
    { signer: store, keyRef: key.keyRef, alg: "ES256", chain: [cert], now: new Date("2026-03-01T10:00:00Z") },
  );

/** The envelope with its protected header's `x5c[0]` replaced (the signature then covers another header). */
function withX5c(envelope: JadesEnvelope, x5c0: string): JadesEnvelope {
  const header = protectedHeaderOf(envelope);
  header.x5c = [x5c0];
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
}

describe("the JAdES signing-certificate cache", () => {
  it("two seals under one certificate share its parse, and both verify", async () => {
    // Prepare
    const cert = await certificate(1);
    const [a, b] = await Promise.all([seal(cert, 1), seal(cert, 2)]);

    // Act
    const first = verifyJades(a);
    const second = verifyJades(b);

    // Assess
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    expect(second.certificate).toBe(first.certificate);
  });

  it("a seal naming another certificate is checked against that one, not the cached one", async () => {
    // Prepare
    const [mine, other] = await Promise.all([certificate(2), certificate(3)]);
    const sealed = await seal(mine, 3);
    expect(verifyJades(sealed).verified).toBe(true);
    const swapped = withX5c(sealed, certificateBase64(other));

    // Act
    const result = verifyJades(swapped);

    // Assess
    expect(result.verified).toBe(false);
    expect(result.errors).toContain("signatures[0]: x5t#S256 is not the digest of x5c[0]");
    expect(result.errors).toContain("signatures[0]: kid is not the issuer and serial number of x5c[0]");
    expect(result.certificate?.subject).toContain("Cache Seal 3");
  });

  it("a certificate text that does not parse is refused each time and never cached", async () => {
    // Prepare
    const sealed = await seal(await certificate(4), 4);
    const broken = withX5c(sealed, "bm90IGEgY2VydGlmaWNhdGU=");
    const before = cachedSigningCertificates();

    // Act
    const results = [verifyJades(broken), verifyJades(broken)];

    // Assess
    for (const r of results) expect(r.errors).toContain("signatures[0]: x5c[0] is not a base64 DER certificate");
    expect(cachedSigningCertificates()).toBe(before);
  });

  it("holds at most 64 certificates, and one dropped from it verifies again", async () => {
    // Prepare
    const certs = await Promise.all(Array.from({ length: 70 }, (_, i) => certificate(100 + i)));
    const seals = await Promise.all(certs.map((c, i) => seal(c, 100 + i)));

    // Act
    const verified = seals.map((s) => verifyJades(s).verified);
    const again = verifyJades(seals[0] as JadesEnvelope);

    // Assess
    expect(verified.every(Boolean)).toBe(true);
    expect(cachedSigningCertificates()).toBeLessThanOrEqual(64);
    expect(again.verified).toBe(true);
    expect(again.certificate?.subject).toContain("Cache Seal 100");
  });
});
