/**
 * Many sealed ELM credentials, fast, for delivery tests: the EC's unsigned micro-credential sample under fresh ids,
 * sealed as EDC seals (issuer filled from the certificate, JAdES baseline B with `b64: false`) by a throw-away RSA key
 * certified by a throw-away CA. The gateway's issuing route does the same one request at a time; these tests need a
 * thousand.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileKeyStore } from "../../functions/adapters/local/file-keys.js";
import { type JadesEnvelope, sealJades } from "../../functions/proofs/jades.js";
import { sealSubjectOf } from "../../functions/proofs/x509.js";
import { applySealCertificate } from "../../mappings/elm/seal.js";
import { makeTestCa } from "./certificates.js";
import { corpusJson } from "./corpus.js";

export interface ElmSealer {
  /** A sealed ELM credential with the given id (default: a fresh `urn:credential:{uuid}`). */
  seal(id?: string): Promise<JadesEnvelope>;
  close(): void;
}

/** `sample`: a corpus ELM credential to seal copies of (default: the EC's micro-credential sample, 111 kB). */
export async function makeElmSealer(sample = "elm/samples/Sample-MC-Annex1-unsigned.jsonld"): Promise<ElmSealer> {
  const dir = mkdtempSync(join(tmpdir(), "elm-sealer-"));
  const keys = new FileKeyStore({ dir });
  const key = await keys.createKey("RSA-2048", { issuerId: "test-sealer" });
  const ca = await makeTestCa();
  const leaf = await ca.issue(key.publicJwk, {
    subject: "CN=Test University Seal, O=Test University, C=IE, 2.5.4.97=NTRIE-123456",
  });
  const unsigned = corpusJson(sample);
  return {
    seal: async (id = `urn:credential:${crypto.randomUUID()}`) => {
      const now = new Date();
      const credential = applySealCertificate({ ...structuredClone(unsigned), id }, sealSubjectOf(leaf), now);
      return sealJades(credential, {
        signer: keys,
        keyRef: key.keyRef,
        alg: "RS256",
        chain: [leaf, ca.certificate],
        now,
      });
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
