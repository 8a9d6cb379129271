/**
 * JAdES baseline B seal and verification of the corpus EDC (ES256, a local self-signed test eSeal certificate): ours
 * (`sealJades` through the Signer port, `verifyJades`) against the same JWS JSON serialization done by hand, the way
 * a user without the gateway would: node:crypto signing the RFC 7797 unencoded-payload input with the same header,
 * and jose's `generalVerify` (told about `sigT`) with the certificate's key. Each side's seal is checked by the other
 * side's verifier before timing.
 */
import "../functions/proofs/reflect-metadata.js";
import { createPrivateKey, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GeneralJWSInput, generalVerify, importX509 } from "jose";
import { FileKeyStore } from "../functions/adapters/local/file-keys.js";
import { type JadesProtectedHeader, sealJades, verifyJades } from "../functions/proofs/jades.js";
import { certificateBase64, createSelfSignedCertificate, jadesKid, x5tS256 } from "../functions/proofs/x509.js";
import { corpusJson } from "../test/support/corpus.js";
import { compare, formatComparison } from "./harness.js";

const SUBJECT = {
  commonName: "University of Zed Seal",
  organizationName: "University of Zed",
  organizationIdentifier: "NTRIE-654321",
  countryName: "IE",
};

/** `jades seal` and `jades verification` lines: ours vs node:crypto + jose by hand. */
export async function jades(quick: boolean): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-jades-"));
  try {
    const store = new FileKeyStore({ dir });
    const key = await store.createKey("P-256", { issuerId: "zed" });
    const now = new Date("2026-03-01T10:00:00Z");
    const leaf = await createSelfSignedCertificate({
      signer: store,
      keyRef: key.keyRef,
      publicJwk: key.publicJwk,
      keyType: "P-256",
      subject: SUBJECT,
      now: new Date("2026-01-01T00:00:00Z"),
    });
    const file = JSON.parse(readFileSync(join(dir, `${key.keyRef}.json`), "utf8")) as Record<string, unknown>;
    const pem = Object.values(file).find((v) => typeof v === "string" && v.includes("PRIVATE KEY")) as string;
    const privateKey = createPrivateKey(pem);
    const credential = corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld") as Record<string, unknown>;

    const ours = () => sealJades(credential, { signer: store, keyRef: key.keyRef, alg: "ES256", chain: [leaf], now });
    // The peer: the same protected header, the unencoded payload (b64: false) signed with node:crypto.
    const theirs = () => {
      const header: JadesProtectedHeader = {
        alg: "ES256",
        cty: "octet-stream",
        kid: jadesKid(leaf),
        "x5t#S256": x5tS256(leaf),
        x5c: [certificateBase64(leaf)],
        typ: "jose+json",
        b64: false,
        sigT: "2026-03-01T10:00:00Z",
        crit: ["b64", "sigT"],
      };
      const payload = JSON.stringify(credential);
      const protectedHeader = Buffer.from(JSON.stringify(header)).toString("base64url");
      const signature = sign("sha256", Buffer.from(`${protectedHeader}.${payload}`), {
        key: privateKey,
        dsaEncoding: "ieee-p1363",
      });
      return { payload, signatures: [{ protected: protectedHeader, signature: signature.toString("base64url") }] };
    };
    const pemOf = `-----BEGIN CERTIFICATE-----\n${certificateBase64(leaf)}\n-----END CERTIFICATE-----`;
    const joseVerify = async (envelope: unknown) => {
      const publicKey = await importX509(pemOf, "ES256");
      await generalVerify(envelope as GeneralJWSInput, publicKey, { crit: { sigT: true } });
    };

    // Each seal verifies with the other side's verifier.
    const [a, b] = [await ours(), theirs()];
    await joseVerify(a);
    if (!verifyJades(b).verified) throw new Error(`verifyJades refused the hand-made seal: ${verifyJades(b).errors}`);

    const batch = quick ? 30 : 200;
    const seal = await compare({
      label: "jades seal (ES256)",
      ours: { name: "sealJades", run: ours },
      peer: { name: "node:crypto by hand", run: theirs },
      batch,
      rounds: quick ? 3 : 7,
    });
    const verification = await compare({
      label: "jades verification (ES256)",
      ours: {
        name: "verifyJades",
        run: () => {
          if (!verifyJades(a).verified) throw new Error("ours: not verified");
        },
      },
      peer: { name: "jose generalVerify", run: () => joseVerify(a) },
      batch,
      rounds: quick ? 3 : 7,
    });
    return [formatComparison(seal, "node:crypto"), formatComparison(verification, "jose")];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
