import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { verifyPresentation } from "../../../../../functions/core/verify/presentation.js";
import type { VerifyDeps } from "../../../../../functions/core/verify/verify.js";
import { corpusJson } from "../../../../support/corpus.js";

// VP-JWT presentations: the `vp` claim form and the VCDM 2.0 form (payload = presentation, also enveloped in a data:
// URL), signed by the holder's did:jwk key, with nonce/aud checked as the challenge/domain.

const NOW = new Date("2026-06-01T00:00:00Z");
const CHALLENGE = "c0ae1c8e-c7e7-469f-b252-86e6a0e7387e";
const DOMAIN = "https://verifier.example";

function depsFactory(): VerifyDeps {
  return {
    store: {
      getIssuer: async () => undefined,
      listIssuers: async () => ({ items: [] }),
      findIssuerByDid: async () => undefined,
    },
    clock: { now: () => NOW },
    publicUrl: "https://gw.example.org",
    limits: { maxJsonDepth: 64, maxJsonKeys: 100_000 },
  };
}

/** A holder: an Ed25519 key and its did:jwk. */
async function holderFactory(): Promise<{ did: string; privateKey: KeyObject }> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = await exportJWK(publicKey);
  const did = `did:jwk:${Buffer.from(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).toString("base64url")}`;
  return { did, privateKey };
}

const presentationFactory = (holder: string) => ({
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  type: ["VerifiablePresentation"],
  holder,
  verifiableCredential: [corpusJson("ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json")],
});

interface SignOptions {
  form?: "vp-claim" | "payload";
  nonce?: string;
  aud?: string;
  exp?: Date;
  kid?: string;
}

async function vpJwt(holder: { did: string; privateKey: KeyObject }, options: SignOptions = {}): Promise<string> {
  const vp = presentationFactory(holder.did);
  const claims: Record<string, unknown> = options.form === "payload" ? { ...vp } : { vp };
  if (options.nonce !== undefined) claims.nonce = options.nonce;
  const builder = new SignJWT(claims)
    .setProtectedHeader({
      alg: "EdDSA",
      typ: options.form === "payload" ? "vp+jwt" : "JWT",
      kid: options.kid ?? `${holder.did}#0`,
    })
    .setIssuer(holder.did)
    .setIssuedAt(NOW);
  if (options.aud !== undefined) builder.setAudience(options.aud);
  if (options.exp !== undefined) builder.setExpirationTime(options.exp);
  return builder.sign(holder.privateKey);
}

const proofOf = (result: Awaited<ReturnType<typeof verifyPresentation>>) =>
  result.presentationResult.checks.find((c) => c.check === "proof");

describe("VP-JWT presentations", () => {
  it("verifies a VP-JWT with a vp claim, its nonce and aud as the challenge and domain, and the credential in it", async () => {
    // Prepare
    const holder = await holderFactory();
    const jwt = await vpJwt(holder, { nonce: CHALLENGE, aud: DOMAIN });
    // Act
    const result = await verifyPresentation(depsFactory(), {
      verifiablePresentation: jwt,
      options: { challenge: CHALLENGE, domain: DOMAIN },
    });
    // Assess
    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
    expect(proofOf(result)?.detail).toBe(
      `VP-JWT (EdDSA) signature verified with the holder's key (did:jwk ${holder.did}); nonce matches the challenge; aud names the domain`,
    );
    expect(result.credentialResults).toHaveLength(1);
    expect(result.credentialResults[0]?.verified).toBe(true);
  });

  it("verifies the VCDM 2.0 form (the payload is the presentation) inside an EnvelopedVerifiablePresentation", async () => {
    // Prepare
    const holder = await holderFactory();
    const jwt = await vpJwt(holder, { form: "payload", nonce: CHALLENGE });
    const enveloped = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["EnvelopedVerifiablePresentation"],
      id: `data:application/vp+jwt,${jwt}`,
    };
    // Act
    const result = await verifyPresentation(depsFactory(), {
      verifiablePresentation: enveloped,
      options: { challenge: CHALLENGE },
    });
    // Assess
    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
    expect(proofOf(result)?.status).toBe("ok");
  });

  it.each([
    ["a nonce other than the challenge", { nonce: "replayed" }, /nonce does not match the challenge/],
    [
      "an aud other than the domain",
      { nonce: CHALLENGE, aud: "https://other.example" },
      /aud does not name the domain/,
    ],
    [
      "an expired presentation",
      { nonce: CHALLENGE, aud: DOMAIN, exp: new Date("2026-05-01T00:00:00Z") },
      /has expired/,
    ],
  ])("fails the proof for %s", async (_what, options, reason) => {
    // Prepare
    const jwt = await vpJwt(await holderFactory(), options);
    // Act
    const result = await verifyPresentation(depsFactory(), {
      verifiablePresentation: jwt,
      options: { challenge: CHALLENGE, domain: DOMAIN },
    });
    // Assess
    expect(result.verified).toBe(false);
    expect(proofOf(result)?.status).toBe("error");
    expect(proofOf(result)?.detail).toMatch(reason);
  });

  it("fails the proof when the payload changed after signing", async () => {
    // Prepare
    const jwt = await vpJwt(await holderFactory(), { nonce: CHALLENGE });
    const [h, p, s] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(p as string, "base64url").toString());
    const changed = `${h}.${Buffer.from(JSON.stringify({ ...payload, nonce: "other" })).toString("base64url")}.${s}`;
    // Act
    const result = await verifyPresentation(depsFactory(), { verifiablePresentation: changed });
    // Assess
    expect(proofOf(result)?.detail).toMatch(/signature does not verify/);
  });

  it("fails the proof when another key than the holder's signed it", async () => {
    // Prepare
    const holder = await holderFactory();
    const intruder = await holderFactory();
    const jwt = await vpJwt({ did: holder.did, privateKey: intruder.privateKey }, { kid: `${intruder.did}#0` });
    // Act
    const result = await verifyPresentation(depsFactory(), { verifiablePresentation: jwt });
    // Assess
    expect(proofOf(result)?.detail).toBe(
      `VP-JWT: the key's controller ${intruder.did} is not the holder ${holder.did}`,
    );
  });

  it("refuses a string that is neither JSON nor a JWT with a 4xx naming the presentation", async () => {
    // Act
    const act = verifyPresentation(depsFactory(), { verifiablePresentation: "not a presentation" });
    // Assess
    await expect(act).rejects.toMatchObject({
      code: "unprocessable",
      issues: [{ pointer: "/body/verifiablePresentation" }],
    });
  });
});
