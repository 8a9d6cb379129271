import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../../../functions/adapters/local/file-keys.js";
import { jwks, KEY_ALGORITHMS, KEY_FRAGMENTS, verificationMethodId } from "../../../../functions/core/issuers/did.js";
import { GatewayError } from "../../../../functions/kernel/errors.js";
import type { IssuerKey, IssuerRecord, KeyType, SignatureAlgorithm } from "../../../../functions/kernel/ports/index.js";
import { decodeVcJwt, signVcJwt, vcJwtClaimIssues } from "../../../../functions/proofs/vc-jwt.js";
import { corpusJson, corpusText } from "../../../support/corpus.js";

const ISSUER_ID = "did:web:gw.example.org:issuers:uni-x";
const NOW = new Date("2026-03-01T10:00:00.500Z");

let dir: string;
let store: FileKeyStore;
let issuer: IssuerRecord;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jwt-keys-"));
  store = new FileKeyStore({ dir });
  const keys: IssuerKey[] = [];
  for (const type of ["Ed25519", "P-256", "RSA-2048"] as KeyType[]) {
    const record = await store.createKey(type, { issuerId: ISSUER_ID });
    keys.push({ ...record, fragment: KEY_FRAGMENTS[type], algorithms: [...KEY_ALGORITHMS[type]] });
  }
  issuer = {
    id: ISSUER_ID,
    slug: "uni-x",
    didMethod: "web",
    name: "University X",
    country: "DE",
    keys,
    createdAt: "2026-01-01T00:00:00.000Z",
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An OB 3.0 credential of the issuer, with a validity window. */
function credential(): Record<string, unknown> {
  const { proof: _proof, ...c } = corpusJson("ob3/validator-fixtures/simple.json");
  return { ...c, issuer: { ...c.issuer, id: ISSUER_ID }, validUntil: "2030-01-01T00:00:00Z" };
}

function keyFor(alg: SignatureAlgorithm): IssuerKey {
  const key = issuer.keys.find((k) => k.algorithms.includes(alg));
  if (key === undefined) throw new Error(`no key for ${alg}`);
  return key;
}

function sign(alg: SignatureAlgorithm, input = credential()) {
  const key = keyFor(alg);
  return signVcJwt(input, { signer: store, keyRef: key.keyRef, alg, kid: verificationMethodId(issuer, key), now: NOW });
}

describe("VC-JWT (OB 3.0 JSON Web Token Proof Format)", () => {
  it.each(["RS256", "ES256", "EdDSA", "PS256"] as const)(
    "%s: verifies with jose against the issuer's JWKS, with the OB 3.0 header and claims",
    async (alg) => {
      // Prepare
      const input = credential();
      // Act
      const jwt = await sign(alg, input);
      // Assess
      const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks(issuer)), {
        typ: "JWT",
        issuer: ISSUER_ID,
        currentDate: NOW,
      });
      expect(protectedHeader).toStrictEqual({ alg, kid: verificationMethodId(issuer, keyFor(alg)), typ: "JWT" });
      expect(payload).toStrictEqual({
        ...input,
        iss: ISSUER_ID,
        jti: "http://example.com/credentials/3527",
        nbf: Date.parse("2010-01-01T00:00:00Z") / 1000,
        sub: "did:example:ebfeb1f712ebc6f1c276e12ec21",
        exp: Date.parse("2030-01-01T00:00:00Z") / 1000,
        iat: Math.floor(NOW.getTime() / 1000),
      });
    },
  );

  it("decodes back to the signed credential, and its claims pass the OB 3.0 checks", async () => {
    // Prepare
    const input = credential();
    const jwt = await sign("ES256", input);
    // Act
    const decoded = decodeVcJwt(jwt);
    // Assess
    expect(decoded.form).toBe("payload");
    expect(decoded.credential).toStrictEqual(input);
    expect(decoded.header).toStrictEqual(decodeProtectedHeader(jwt));
    expect(vcJwtClaimIssues(decoded, NOW)).toStrictEqual([]);
  });

  it("a tampered payload fails jose's verification", async () => {
    // Prepare
    const jwt = await sign("RS256");
    const [h, p, s] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString("utf8"));
    payload.name = "Leadership Badge";
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    // Act
    const result = await jwtVerify(tampered, createLocalJWKSet(jwks(issuer)), { currentDate: NOW }).catch(
      (error: unknown) => error,
    );
    // Assess
    expect(result).toBeInstanceOf(Error);
    expect((result as { code?: string }).code).toBe("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  it("omits sub and exp when the credential has no subject id or validUntil", async () => {
    // Prepare
    const { validUntil: _v, ...input } = credential();
    input.credentialSubject = { type: ["AchievementSubject"], identifier: [] };
    // Act
    const decoded = decodeVcJwt(await sign("EdDSA", input));
    // Assess
    expect(decoded.payload).not.toHaveProperty("sub");
    expect(decoded.payload).not.toHaveProperty("exp");
    expect(vcJwtClaimIssues(decoded, NOW)).toStrictEqual([]);
  });

  it("refuses a credential without an issuer id, or one using a JWT claim name as a property", async () => {
    // Prepare
    const noIssuer = { ...credential(), issuer: { type: ["Profile"], name: "X" } };
    const clash = { ...credential(), iss: "someone" };
    // Act
    const errors = await Promise.all([sign("ES256", noIssuer), sign("ES256", clash)].map((p) => p.catch((e) => e)));
    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe("unprocessable");
    }
  });

  it("reads the 1EdTech validator's VCDM 1.1 fixture (credential in the `vc` claim)", () => {
    // Prepare
    const jwt = corpusText("ob3/validator-fixtures/simple.jwt");
    // Act
    const decoded = decodeVcJwt(jwt);
    // Assess
    expect(decoded.form).toBe("vc-claim");
    expect(decoded.header.alg).toBe("RS256");
    expect(decoded.credential.type).toContain("OpenBadgeCredential");
  });

  it("reports claims that disagree with the credential, and the validity window", () => {
    // Prepare
    const input = credential();
    const payload = { ...input, iss: "did:web:other", jti: "urn:x", nbf: 0, sub: "did:example:other", exp: 1 };
    // Act
    const issues = vcJwtClaimIssues({ payload, credential: input }, NOW);
    // Assess
    expect(issues).toStrictEqual([
      "`iss` does not match the credential's issuer id",
      "`sub` does not match credentialSubject.id",
      "`jti` does not match the credential's id",
      "`nbf` does not equal the credential's validFrom",
      "`exp` does not equal the credential's validUntil",
      "the credential has expired (`exp`)",
    ]);
  });

  it("refuses what is not a compact JWS", () => {
    for (const bad of ["", "a.b", "e30.bm90IGpzb24.c2ln", "W10.e30.c2ln"]) {
      expect(() => decodeVcJwt(bad)).toThrow(GatewayError);
    }
  });
});
