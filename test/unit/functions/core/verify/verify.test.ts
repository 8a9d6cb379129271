import { generateKeyPairSync } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  DID_WEB_DISABLED,
  didWebUrl,
  KeyResolutionError,
  multibaseToJwk,
  resolveVerificationMethod,
} from "../../../../../functions/core/issuers/keys.js";
import {
  type VerificationResult,
  type VerifyDeps,
  verifyCredential,
} from "../../../../../functions/core/verify/verify.js";
import type { IssuerRecord, OutboundHttp, PublicJwk } from "../../../../../functions/kernel/ports/index.js";
import { createEddsaRdfc2022Proof } from "../../../../../functions/proofs/data-integrity.js";
import { jwkToMultibase } from "../../../../../functions/proofs/multikey.js";
import { testContexts as pinnedContexts } from "../../../../support/contexts.js";
import { corpusJson, corpusText } from "../../../../support/corpus.js";
import { seedSigner, VECTOR } from "../../../../support/data-integrity.js";

const PUBLIC_URL = "https://gw.example.org";

/** Verification deps with an in-memory store holding `issuers`, the clock at `now`, and no outbound HTTP. */
function depsWith(options: { issuers?: IssuerRecord[]; now?: Date; http?: OutboundHttp } = {}): VerifyDeps {
  const issuers = options.issuers ?? [];
  return {
    store: {
      getIssuer: async (slug) => issuers.find((i) => i.slug === slug),
      listIssuers: async () => ({ items: issuers }),
      findIssuerByDid: async (did) => issuers.find((i) => i.id === did),
    },
    clock: { now: () => options.now ?? new Date("2026-06-01T00:00:00Z") },
    publicUrl: PUBLIC_URL,
    limits: { maxJsonDepth: 64, maxJsonKeys: 100_000 },
    ...(options.http ? { http: options.http } : {}),
  };
}

const statusOf = (result: VerificationResult, name: string) => result.checks.find((c) => c.check === name);

/** The OB 3.0 validator fixture `simple.json` without its proof, issued by the test vector's issuer URL. */
function unsignedSimple(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { proof: _proof, ...credential } = corpusJson("ob3/validator-fixtures/simple.json");
  return { ...credential, issuer: { ...credential.issuer, id: VECTOR.issuer }, ...extra };
}

/** Signs with the published test-vector key, naming it in the fragment of the issuer URL. */
function signWithVectorKey(credential: Record<string, unknown>) {
  return createEddsaRdfc2022Proof(credential, {
    contexts: pinnedContexts,
    signer: seedSigner(VECTOR.seedHex),
    keyRef: "vector",
    verificationMethod: VECTOR.verificationMethod,
  });
}

describe("verifyCredential on the corpus", () => {
  it("verifies the OB 3.0 eddsa-rdfc-2022 test vector through the Multikey in the issuer URL's fragment", async () => {
    const vc = corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json");

    const result = await verifyCredential(depsWith(), { verifiableCredential: vc });

    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
    expect(statusOf(result, "proof")?.status).toBe("ok");
    expect(statusOf(result, "format")?.status).toBe("ok");
    expect(statusOf(result, "trust")).toMatchObject({
      status: "skipped",
      detail: `no trust source knows ${VECTOR.issuer}`,
    });
    expect(statusOf(result, "status")).toMatchObject({ status: "skipped", detail: "no credentialStatus" });
  });

  it.each([
    ["simple.json", "ok"],
    ["simple-did-key-method.json", "ok"],
    ["simple-err-proof-value.json", "error"],
    ["simple-eddsa-2022.json", "ok"],
  ])("gives the 1EdTech validator fixture %s the proof outcome %s", async (file, proof) => {
    const vc = corpusJson(`ob3/validator-fixtures/${file}`);

    const result = await verifyCredential(depsWith(), { verifiableCredential: vc });

    expect(statusOf(result, "proof")?.status, JSON.stringify(result.checks)).toBe(proof);
    expect(result.verified).toBe(proof === "ok");
  });

  it("verifies the legacy cryptosuite name eddsa-2022 as eddsa-rdfc-2022, with a warning, and fails it when changed", async () => {
    const vc = corpusJson("ob3/validator-fixtures/simple-eddsa-2022.json");

    const result = await verifyCredential(depsWith(), { verifiableCredential: vc });
    const changed = await verifyCredential(depsWith(), { verifiableCredential: { ...vc, name: "Forged" } });

    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/pre-2023 name eddsa-2022; verified as eddsa-rdfc-2022/),
    );
    expect(changed.verified).toBe(false);
    expect(statusOf(changed, "proof")?.detail).toMatch(/signature does not match/);
  });

  it("fails simple-err-expired on expiry only", async () => {
    const vc = corpusJson("ob3/validator-fixtures/simple-err-expired.json");

    const result = await verifyCredential(depsWith(), { verifiableCredential: vc });

    expect(result.verified).toBe(false);
    expect(statusOf(result, "expiry")).toMatchObject({ status: "error" });
    expect(statusOf(result, "expiry")?.detail).toContain("validUntil");
    expect(statusOf(result, "proof")?.status).toBe("ok");
    expect(result.errors).toEqual([expect.stringMatching(/^expiry: expired/)]);
  });

  it("says why simple.jwt cannot be verified offline: no kid or jwk, and fetching is disabled", async () => {
    const jwt = corpusText("ob3/validator-fixtures/simple.jwt").trim();

    const result = await verifyCredential(depsWith(), { verifiableCredential: jwt });

    expect(result.verified).toBe(false);
    expect(statusOf(result, "proof")?.status).toBe("error");
    expect(statusOf(result, "proof")?.detail).toMatch(/no kid or jwk header.*GATEWAY_OUTBOUND_HTTP/);
    expect(statusOf(result, "format")?.status).toBe("ok");
    expect(statusOf(result, "expiry")?.status).toBe("ok");
  });

  it("verifies the EC's sealed micro-credential sample: JAdES proof ok, trust says the certificate claims to be qualified", async () => {
    const envelope = corpusJson("elm/samples/Sample-MC-Annex1-signed.jsonld");

    const result = await verifyCredential(depsWith(), { verifiableCredential: envelope });

    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
    expect(statusOf(result, "proof")?.detail).toMatch(/^JAdES seal \(RS256/);
    expect(statusOf(result, "trust")).toMatchObject({ status: "skipped" });
    expect(statusOf(result, "trust")?.detail).toMatch(
      /^the seal certificate says it is a qualified certificate for eSeal \(QcCompliance\); only a trusted list can confirm it/,
    );
    expect(statusOf(result, "format")?.detail).toContain("SHACL-level structure");
    expect(statusOf(result, "microCredential")).toMatchObject({
      status: "skipped",
      detail: "not a micro-credential: missing qualityAssurance",
    });
  });

  it("fails the proof of the sealed sample when one payload character changes", async () => {
    const envelope = corpusJson("elm/samples/Sample-MC-Annex1-signed.jsonld");
    envelope.payload = envelope.payload.replace("2022-12-31T23:00:00Z", "2022-12-31T23:00:01Z");

    const result = await verifyCredential(depsWith(), { verifiableCredential: envelope });

    expect(result.verified).toBe(false);
    expect(statusOf(result, "proof")?.detail).toContain("does not verify");
  });

  it("reads EDC's upload wrapper and reports an unsigned credential as a proof error", async () => {
    const wrapper = corpusJson("elm/samples/Sample-MC-Annex1-unsigned-uploadable.json");

    const result = await verifyCredential(depsWith(), { verifiableCredential: wrapper });

    // Not sealed yet, so (as the official SHACL shapes say too) the issuer still lacks the eIDAS identifier EDC's
    // sealing copies from the seal certificate.
    expect(statusOf(result, "format")).toMatchObject({
      status: "error",
      detail: expect.stringContaining("/issuer/eIDASIdentifier: at least 1 value required"),
    });
    expect(statusOf(result, "proof")).toMatchObject({
      status: "error",
      detail: "the credential has no proof: it is not signed",
    });
  });
});

describe("verifyCredential on credentials signed here", () => {
  it("fails the proof when any field of a signed credential changes", async () => {
    const signed = await signWithVectorKey(unsignedSimple());
    const tampered = { ...signed, name: "Another badge" };

    const good = await verifyCredential(depsWith(), { verifiableCredential: signed });
    const bad = await verifyCredential(depsWith(), { verifiableCredential: tampered });

    expect(good.verified, JSON.stringify(good.errors)).toBe(true);
    expect(bad.verified).toBe(false);
    expect(statusOf(bad, "proof")?.status).toBe("error");
  });

  it("requires every proof of a proof set to verify", async () => {
    const signed = await signWithVectorKey(unsignedSimple());
    const twice = await signWithVectorKey(signed);
    const proofs = twice.proof as Record<string, unknown>[];
    const broken = { ...twice, proof: [proofs[0], { ...proofs[1], created: "2011-01-01T00:00:00Z" }] };

    const ok = await verifyCredential(depsWith(), { verifiableCredential: twice });
    const bad = await verifyCredential(depsWith(), { verifiableCredential: broken });

    expect(statusOf(ok, "proof")?.detail).toMatch(/^all 2 eddsa-rdfc-2022/);
    expect(statusOf(bad, "proof")?.detail).toMatch(/proof 1: /);
  });

  it("refuses a URL-fragment key whose controller is not the issuer", async () => {
    const signed = await signWithVectorKey(
      unsignedSimple({ issuer: { id: "https://elsewhere.example/i", type: ["Profile"], name: "X" } }),
    );

    const result = await verifyCredential(depsWith(), { verifiableCredential: signed });

    expect(statusOf(result, "proof")?.detail).toContain("is not the credential's issuer https://elsewhere.example/i");
  });

  it("reports a credential that is not valid yet, and one whose validUntil passed, as expiry errors", async () => {
    const future = await signWithVectorKey(unsignedSimple({ validFrom: "2030-01-01T00:00:00Z" }));
    const past = await signWithVectorKey(unsignedSimple({ validUntil: "2020-01-01T00:00:00Z" }));

    const notYet = await verifyCredential(depsWith(), { verifiableCredential: future });
    const expired = await verifyCredential(depsWith(), { verifiableCredential: past });

    expect(statusOf(notYet, "expiry")?.detail).toMatch(/^not valid yet: validFrom/);
    expect(statusOf(expired, "expiry")?.detail).toMatch(/^expired: validUntil/);
    expect(statusOf(expired, "proof")?.status).toBe("ok");
  });

  it("verifies a VC-JWT whose header carries the key, and refuses it after a payload change", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const jwk = await exportJWK(publicKey);
    const credential = unsignedSimple({ issuer: { id: VECTOR.issuer, type: ["Profile"], name: "X" } });
    const jwt = await new SignJWT({ ...credential })
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT", jwk })
      .setIssuer(VECTOR.issuer)
      .setJti(String(credential.id))
      .setSubject(String((credential.credentialSubject as { id: string }).id))
      .setNotBefore(new Date(String(credential.validFrom)))
      .sign(privateKey);
    const [h, p, s] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(p as string, "base64url").toString());
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...payload, name: "Changed" })).toString("base64url")}.${s}`;

    const good = await verifyCredential(depsWith(), { verifiableCredential: jwt });
    const bad = await verifyCredential(depsWith(), { verifiableCredential: altered });

    expect(good.verified, JSON.stringify(good.errors)).toBe(true);
    expect(statusOf(good, "proof")?.detail).toMatch(/^VC-JWT \(EdDSA\) signature verified/);
    expect(statusOf(bad, "proof")?.detail).toMatch(/signature does not verify/);
  });

  it("refuses what is not a credential with a 4xx GatewayError", async () => {
    await expect(verifyCredential(depsWith(), { verifiableCredential: { hello: "world" } })).rejects.toMatchObject({
      code: "unprocessable",
    });
    await expect(verifyCredential(depsWith(), { verifiableCredential: "not a jwt" })).rejects.toMatchObject({
      code: "unprocessable",
    });
  });
});

describe("key resolution without network", () => {
  const edJwk = (): PublicJwk => multibaseToJwk(VECTOR.publicKeyMultibase);

  it("decodes did:key, did:jwk and a Multikey in an issuer URL's fragment", async () => {
    const didJwk = `did:jwk:${Buffer.from(JSON.stringify(edJwk())).toString("base64url")}`;

    const viaKey = await resolveVerificationMethod(
      depsWith(),
      `did:key:${VECTOR.publicKeyMultibase}#${VECTOR.publicKeyMultibase}`,
    );
    const viaJwk = await resolveVerificationMethod(depsWith(), `${didJwk}#0`);
    const viaFragment = await resolveVerificationMethod(depsWith(), VECTOR.verificationMethod);

    expect(viaKey).toMatchObject({ source: "did:key", jwk: edJwk() });
    expect(viaJwk).toMatchObject({ source: "did:jwk", jwk: edJwk(), controller: didJwk });
    expect(viaFragment).toMatchObject({ source: "url-fragment", controller: VECTOR.issuer, jwk: edJwk() });
  });

  it("round-trips a P-256 Multikey (zDn…)", async () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const p256: PublicJwk = { kty: "EC", crv: "P-256", x: String(jwk.x), y: String(jwk.y) };

    expect(multibaseToJwk(jwkToMultibase(p256))).toEqual(p256);
  });

  it("refuses a did:jwk holding a private key", async () => {
    const did = `did:jwk:${Buffer.from(JSON.stringify({ ...edJwk(), d: "AAAA" })).toString("base64url")}`;

    await expect(resolveVerificationMethod(depsWith(), did)).rejects.toThrow(/private key/);
  });

  it("says that did:web of other hosts is disabled, and fetches through the port when one is given", async () => {
    const did = "did:web:issuer.example:u";
    const fetched: string[] = [];
    const http: OutboundHttp = {
      fetchJson: async (url) => {
        fetched.push(url);
        return {
          id: did,
          verificationMethod: [
            { id: `${did}#k`, type: "Multikey", controller: did, publicKeyMultibase: VECTOR.publicKeyMultibase },
          ],
          assertionMethod: [`${did}#k`],
        };
      },
    };

    await expect(resolveVerificationMethod(depsWith(), `${did}#k`)).rejects.toThrow(DID_WEB_DISABLED);
    const resolved = await resolveVerificationMethod(depsWith({ http }), `${did}#k`);

    expect(resolved).toMatchObject({ source: "did:web", controller: did, jwk: edJwk() });
    expect(fetched).toEqual(["https://issuer.example/u/did.json"]);
    expect(didWebUrl("did:web:gw.example%3A8443")).toBe("https://gw.example:8443/.well-known/did.json");
  });

  it("answers this gateway's did:web issuers from the store, and refuses unknown ones", async () => {
    const did = "did:web:gw.example.org:issuers:uni-x";
    const issuer: IssuerRecord = {
      id: did,
      slug: "uni-x",
      didMethod: "web",
      name: "Uni X",
      country: "IE",
      createdAt: "2026-01-01T00:00:00Z",
      keys: [{ fragment: "key-ed25519", type: "Ed25519", keyRef: "k", publicJwk: edJwk(), algorithms: ["EdDSA"] }],
    };

    const resolved = await resolveVerificationMethod(depsWith({ issuers: [issuer] }), `${did}#key-ed25519`);

    expect(resolved).toMatchObject({ source: "gateway", issuer: { slug: "uni-x" }, jwk: edJwk() });
    await expect(
      resolveVerificationMethod(depsWith(), "did:web:gw.example.org:issuers:nobody#key-ed25519"),
    ).rejects.toBeInstanceOf(KeyResolutionError);
  });
});
