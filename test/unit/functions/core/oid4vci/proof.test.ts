import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { holderKeyOf } from "../../../../../functions/core/oid4vci/holder-key.js";
import { verifyProofJwt } from "../../../../../functions/core/oid4vci/proof.js";
import { OAuthError } from "../../../../../functions/kernel/errors.js";
import { TestWallet } from "../../../../support/oid4vci-wallet.js";

const AUDIENCE = "https://gw.example/oid4vci/uni-zed";
const NOW = new Date("2025-03-01T10:00:00.000Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const POINTER = "/body/proofs/jwt/0";

const oauthError = (code: string) => (e: unknown) => e instanceof OAuthError && e.oauthError === code;

/** A proof the wallet signs for the test audience and clock. */
const proofOf = (wallet: TestWallet, overrides: { nonce?: string; iat?: number; audience?: string } = {}) =>
  wallet.proof({
    audience: overrides.audience ?? AUDIENCE,
    nonce: overrides.nonce ?? "n-1",
    iat: overrides.iat ?? nowSeconds,
  });

describe("holder keys named by a proof header", () => {
  it.each([
    ["P-256", "did:key"],
    ["Ed25519", "did:key"],
    ["P-256", "did:jwk"],
    ["Ed25519", "did:jwk"],
    ["P-256", "jwk"],
  ] as const)("resolves a %s key named by %s to the wallet's public key and DID", async (type, reference) => {
    const wallet = new TestWallet(type, reference);
    const jwt = await proofOf(wallet);
    const header = JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString());

    const holder = holderKeyOf(header, POINTER);

    expect(holder).toEqual({ did: wallet.did, jwk: wallet.publicJwk });
  });

  it("refuses a private jwk, two key references, x5c, and DID methods it would have to fetch", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const privateJwk = privateKey.export({ format: "jwk" });
    const jwk = { kty: "EC", crv: "P-256", x: privateJwk.x, y: privateJwk.y };

    const cases = [
      { jwk: privateJwk },
      { jwk, kid: "did:key:zDnae" },
      { x5c: ["MIIB"] },
      { kid: "did:web:wallet.example#key-1" },
      { kid: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#other" },
      {},
    ];

    for (const header of cases) expect(() => holderKeyOf(header, POINTER)).toThrow(OAuthError);
  });
});

describe("key proof JWTs", () => {
  it("verifies a proof and returns its holder and nonce", async () => {
    const wallet = new TestWallet("P-256", "did:key");

    const verified = await verifyProofJwt(await proofOf(wallet, { nonce: "abc" }), {
      audience: AUDIENCE,
      now: NOW,
      pointer: POINTER,
    });

    expect(verified).toEqual({ holder: { did: wallet.did, jwk: wallet.publicJwk }, nonce: "abc" });
  });

  it("refuses a proof for another audience, too old, from the future, or with a forged signature (invalid_proof)", async () => {
    const wallet = new TestWallet("Ed25519", "did:key");
    const options = { audience: AUDIENCE, now: NOW, pointer: POINTER };
    const forged = await wallet.proof({
      audience: AUDIENCE,
      nonce: "n",
      iat: nowSeconds,
      signWith: generateKeyPairSync("ed25519").privateKey,
    });

    await expect(verifyProofJwt(await proofOf(wallet, { audience: "https://elsewhere" }), options)).rejects.toSatisfy(
      oauthError("invalid_proof"),
    );
    await expect(verifyProofJwt(await proofOf(wallet, { iat: nowSeconds - 361 }), options)).rejects.toSatisfy(
      oauthError("invalid_proof"),
    );
    await expect(verifyProofJwt(await proofOf(wallet, { iat: nowSeconds + 120 }), options)).rejects.toSatisfy(
      oauthError("invalid_proof"),
    );
    await expect(verifyProofJwt(forged, options)).rejects.toSatisfy(oauthError("invalid_proof"));
  });

  it("refuses an unsigned or HMAC proof and the wrong typ before looking at the key", async () => {
    const wallet = new TestWallet("P-256", "did:jwk");
    const options = { audience: AUDIENCE, now: NOW, pointer: POINTER };
    const header = { typ: "openid4vci-proof+jwt", kid: `${wallet.did}#0` };
    const hmac = await new SignJWT({ nonce: "n" })
      .setProtectedHeader({ ...header, alg: "HS256" })
      .setAudience(AUDIENCE)
      .setIssuedAt(nowSeconds)
      .sign(new Uint8Array(32));
    const none = `${Buffer.from(JSON.stringify({ ...header, alg: "none" })).toString("base64url")}.${Buffer.from(
      JSON.stringify({ aud: AUDIENCE, iat: nowSeconds, nonce: "n" }),
    ).toString("base64url")}.`;
    const wrongTyp = await wallet.proof({ audience: AUDIENCE, nonce: "n", iat: nowSeconds, typ: "JWT" });

    for (const jwt of [hmac, none, wrongTyp, "not-a-jwt"]) {
      await expect(verifyProofJwt(jwt, options)).rejects.toSatisfy(oauthError("invalid_proof"));
    }
  });

  it("asks for a nonce when the proof has none (invalid_nonce)", async () => {
    const wallet = new TestWallet();
    const jwt = await wallet.proof({ audience: AUDIENCE, iat: nowSeconds });

    await expect(verifyProofJwt(jwt, { audience: AUDIENCE, now: NOW, pointer: POINTER })).rejects.toSatisfy(
      oauthError("invalid_nonce"),
    );
  });
});
