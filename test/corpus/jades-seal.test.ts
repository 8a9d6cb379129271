import "../../functions/proofs/reflect-metadata.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { X509Certificate } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../functions/adapters/local/file-keys.js";
import type { KeyRecord } from "../../functions/kernel/ports/index.js";
import { randomIds } from "../../functions/kernel/system.js";
import { sealJades } from "../../functions/proofs/jades.js";
import { createSelfSignedCertificate, sealSubjectOf } from "../../functions/proofs/x509.js";
import { readElm } from "../../mappings/elm/read.js";
import { applySealCertificate } from "../../mappings/elm/seal.js";
import { writeElm } from "../../mappings/elm/write.js";
import { corpusJson } from "../support/corpus.js";
import { verifiesWithNode, verifyWithJose } from "../support/jades.js";
import { type ShaclReport, validateElm } from "../support/shacl.js";

const EC_UNSIGNED = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
const SEALED_AT = new Date("2026-03-01T10:00:00Z");

const summary = (report: ShaclReport): string[] =>
  report.results.map((r) => [r.path, r.constraint, ...r.details.map((d) => d.path)].join(" ")).sort();

let dir: string;
let store: FileKeyStore;
let key: KeyRecord;
let certificate: X509Certificate;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "jades-corpus-"));
  store = new FileKeyStore({ dir });
  key = await store.createKey("RSA-2048", { issuerId: "zed" });
  certificate = await createSelfSignedCertificate({
    signer: store,
    keyRef: key.keyRef,
    publicJwk: key.publicJwk,
    keyType: "RSA-2048",
    subject: {
      commonName: "University of Zed Seal",
      organizationName: "University of Zed",
      organizationIdentifier: "NTRIE-654321",
      countryName: "IE",
    },
    now: new Date("2026-01-01T00:00:00Z"),
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Seals a credential as EDC does: issuer from the certificate and `issued` first, then a JAdES B seal. */
async function sealAsEdc(credential: Record<string, unknown>) {
  const filled = applySealCertificate(credential, sealSubjectOf(certificate), SEALED_AT);
  return sealJades(filled, { signer: store, keyRef: key.keyRef, alg: "RS256", chain: [certificate], now: SEALED_AT });
}

function written(): Record<string, unknown> {
  const read = readElm(corpusJson(EC_UNSIGNED));
  if (!read.ok) throw new Error(JSON.stringify(read.issues));
  const [credential] = read.value;
  if (!credential) throw new Error("nothing read");
  return writeElm(credential, { uuid: () => randomIds.newId(), now: SEALED_AT }).document;
}

describe("the EC's unsigned micro-credential, sealed by the gateway", () => {
  it.each([
    ["as the EC wrote it", () => corpusJson(EC_UNSIGNED) as Record<string, unknown>],
    ["read and written again by the gateway", written],
  ])("conforms to the EDC generic shapes once sealed (%s), and the seal verifies", async (_, source) => {
    // Prepare
    const credential = source();
    expect((await validateElm(credential, ["generic-full"])).conforms).toBe(false);
    // Act
    const envelope = await sealAsEdc(credential);
    // Assess
    const payload = JSON.parse(envelope.payload);
    const report = await validateElm(payload, ["generic-full"]);
    expect(summary(report)).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(payload.issuer.eIDASIdentifier).toMatchObject({ notation: "NTRIE-654321", type: "LegalIdentifier" });
    expect(payload.issuer.legalName).toEqual({ en: "University of Zed" });
    expect(payload.issued).toBe("2026-03-01T10:00:00Z");
    expect(verifiesWithNode(envelope)).toBe(true);
    expect(await verifyWithJose(envelope)).toBe(envelope.payload);
  });
});
