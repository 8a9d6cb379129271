import { createHash, generateKeyPairSync } from "node:crypto";
import { inflateSync } from "node:zlib";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { TestWallet } from "../support/oid4vci-wallet.js";
import { disclosuresByName, type Holder, newHolder, present } from "../support/sd-jwt-wallet.js";

// SD-JWT VC issuance over HTTP, checked from the specifications with jose and node:crypto only: the JWS with the key
// found through JWT VC Issuer Metadata (SD-JWT VC §3: /.well-known/jwt-vc-issuer inserted after the host), each
// disclosure's digest = base64url(SHA-256(ASCII of the disclosure)) found in `_sd` (RFC 9901 §4.2.3), the Token
// Status List bit read LSB first from the ZLIB-inflated `lst` (draft-ietf-oauth-status-list §4).
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE", legalIdentifier: "IE-12345" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const SAMPLE = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
const b64json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
const digestOf = (disclosure: string) => createHash("sha256").update(disclosure, "ascii").digest("base64url");

async function issue(options: Record<string, unknown> = {}) {
  return gw.call("POST", "/v1/credentials/issue", {
    token: issuer.token,
    json: { credential: corpusJson(SAMPLE), options: { issuer: issuer.slug, format: "sd-jwt-vc", ...options } },
  });
}

/** The JWKS of an `iss` by its JWT VC Issuer Metadata, fetched at the URL SD-JWT VC §3.1 builds. */
async function issuerJwks(iss: string) {
  const url = new URL(iss);
  const res = await fetch(`${url.origin}/.well-known/jwt-vc-issuer${url.pathname.replace(/\/$/, "")}`);
  expect(res.status).toBe(200);
  const metadata = (await res.json()) as { issuer: string; jwks: { keys: Record<string, unknown>[] } };
  expect(metadata.issuer).toBe(iss);
  return metadata.jwks;
}

describe("POST /v1/credentials/issue with format sd-jwt-vc", () => {
  it("answers <jwt>~<disclosures>~ signed ES256 with typ dc+sd-jwt, verifiable through the issuer metadata", async () => {
    const holder = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    const res = await issue({ holderKey: holder });
    expect(res.status, res.text).toBe(201);
    const sdJwt: string = res.json.verifiableCredential;
    expect(typeof sdJwt).toBe("string");
    expect(sdJwt.endsWith("~")).toBe(true);
    const [jwt, ...rest] = sdJwt.split("~");
    const disclosures = rest.slice(0, -1);
    const header = decodeProtectedHeader(jwt as string);
    expect(header).toMatchObject({ typ: "dc+sd-jwt", alg: "ES256" });

    const unverified = b64json((jwt as string).split(".")[1] as string);
    expect(unverified.iss).toMatch(/^https?:\/\/.*\/issuers\//);
    const jwks = await issuerJwks(unverified.iss);
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    const { payload } = await jwtVerify(jwt as string, createLocalJWKSet(jwks as never), {
      typ: "dc+sd-jwt",
      algorithms: ["ES256"],
    });
    expect(payload._sd_alg ?? "sha-256").toBe("sha-256");
    expect(payload.cnf).toEqual({ jwk: { kty: "EC", crv: "P-256", x: holder.x, y: holder.y } });
    // The sample's validFrom is 2022-12-31T23:00:00Z.
    expect(payload.nbf).toBe(Date.parse("2022-12-31T23:00:00Z") / 1000);
    expect(typeof payload.iat).toBe("number");

    // Every disclosure is referenced by a digest in `_sd`, and holds [salt, name, value] with a 128-bit+ salt.
    const sd = payload._sd as string[];
    const disclosed: Record<string, unknown> = {};
    for (const d of disclosures) {
      expect(sd).toContain(digestOf(d));
      const [salt, name, value] = b64json(d);
      expect(Buffer.from(salt, "base64url").length).toBeGreaterThanOrEqual(16);
      disclosed[name] = value;
    }
    // The learner's data and every element are disclosures, none is in the clear.
    for (const name of [
      "given_name",
      "family_name",
      "birthdate",
      "achievement_title",
      "awarding_body",
      "workload",
      "level",
    ]) {
      expect(name in disclosed, name).toBe(true);
      expect(name in payload, name).toBe(false);
    }
    expect(disclosed.given_name).toBe("Ana");
    expect(disclosed.achievement_title).toBe("Digital micro-credential creation");
    expect(disclosed.workload).toMatchObject({ ects_credits: 2 });
    expect(disclosed.level).toMatchObject({ eqf: 6 });

    // The vct is an HTTPS-style URL of the gateway serving its type metadata.
    const vct = await fetch(payload.vct as string);
    expect(vct.status).toBe(200);
    const metadata = (await vct.json()) as { vct: string; claims: { path: string[] }[] };
    expect(metadata.vct).toBe(payload.vct);
    for (const name of Object.keys(disclosed)) expect(metadata.claims.map((c) => c.path[0])).toContain(name);

    // A changed disclosure no longer matches any digest.
    const [salt, name] = b64json(disclosures[0] as string);
    const forged = Buffer.from(JSON.stringify([salt, name, "Someone else"])).toString("base64url");
    expect(sd).not.toContain(digestOf(forged));
  });

  it("gives a Token Status List entry the revoke route flips", async () => {
    const res = await issue();
    expect(res.status, res.text).toBe(201);
    const jwt = (res.json.verifiableCredential as string).split("~")[0] as string;
    const payload = b64json(jwt.split(".")[1] as string);
    const { idx, uri } = payload.status.status_list as { idx: number; uri: string };
    expect(Number.isInteger(idx)).toBe(true);

    const bit = async () => {
      const list = await fetch(uri, { headers: { accept: "application/statuslist+jwt" } });
      expect(list.status).toBe(200);
      expect(list.headers.get("content-type")).toMatch(/^application\/statuslist\+jwt/);
      const token = await list.text();
      const jwks = await issuerJwks(payload.iss);
      const verified = await compactVerify(token, createLocalJWKSet(jwks as never), { algorithms: ["ES256"] });
      expect(verified.protectedHeader.typ).toBe("statuslist+jwt");
      const claims = JSON.parse(new TextDecoder().decode(verified.payload));
      expect(claims.sub).toBe(uri);
      expect(claims.status_list.bits).toBe(1);
      const bytes = inflateSync(Buffer.from(claims.status_list.lst, "base64url"));
      return ((bytes[idx >> 3] as number) >> (idx & 7)) & 1;
    };
    expect(await bit()).toBe(0);
    const revoked = await gw.call("POST", `/v1/credentials/${encodeURIComponent(payload.jti)}/revoke`, {
      token: issuer.token,
      json: { action: "revoke" },
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(await bit()).toBe(1);
  });

  it("refuses an issuer without a P-256 key, and a private holder key, with problem+json naming the field", async () => {
    const edOnly = await registerIssuer(gw, { name: "Ed College", country: "IE", keyTypes: ["Ed25519"] });
    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: ADMIN_TOKEN,
      json: { credential: corpusJson(SAMPLE), options: { issuer: edOnly.slug, format: "sd-jwt-vc" } },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    expect(JSON.stringify(res.json)).toContain("/body/options/format");

    const priv = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const bad = await issue({ holderKey: priv });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json)).toContain("/body/options/holderKey");
  });
});

describe("POST /v1/credentials/verify with an SD-JWT VC", () => {
  const SHOWN = ["achievement_title", "awarding_body", "workload", "level"];
  let holder: Holder;
  let issued: string;
  beforeAll(async () => {
    holder = newHolder();
    const res = await issue({ holderKey: holder.publicJwk });
    expect(res.status, res.text).toBe(201);
    issued = res.json.verifiableCredential;
  });
  const verify = async (vc: string, options?: Record<string, unknown>) =>
    gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: vc, ...(options ? { options } : {}) } });
  const failing = (json: { checks: { check: string; status: string; detail: string }[] }) =>
    json.checks.filter((c) => c.status === "error");

  it("verifies a presentation of four claims with a Key Binding JWT and lists only those", async () => {
    const vp = await present(issued, SHOWN, { holder, nonce: "n-123", aud: "https://verifier.example" });
    const res = await verify(vp, { challenge: "n-123", domain: "https://verifier.example" });
    expect(res.status).toBe(200);
    expect(res.json.verified, JSON.stringify(failing(res.json))).toBe(true);
    expect(res.json.sdJwtVc.keyBinding).toBe(true);
    expect([...res.json.sdJwtVc.disclosed].sort()).toEqual([...SHOWN].sort());
    expect(res.json.sdJwtVc.claims.achievement_title).toBe("Digital micro-credential creation");
    for (const hidden of ["given_name", "family_name", "birthdate", "date_of_issuance"]) {
      expect(res.json.sdJwtVc.claims[hidden], hidden).toBeUndefined();
      expect(res.text).not.toContain(
        hidden === "birthdate" ? "1999-10-01" : hidden === "given_name" ? '"Ana"' : "Andromeda",
      );
    }
    expect(res.json.checks.find((c: { check: string }) => c.check === "status").status).toBe("ok");
  });

  it("verifies the issued SD-JWT VC without key binding when none is asked for", async () => {
    const res = await verify(issued);
    expect(res.json.verified, JSON.stringify(failing(res.json))).toBe(true);
    expect(res.json.sdJwtVc.keyBinding).toBe(false);
    expect(res.json.sdJwtVc.disclosed).toContain("birthdate");
  });

  it("refuses a wrong nonce, a wrong audience, and a missing Key Binding JWT", async () => {
    const vp = await present(issued, SHOWN, { holder, nonce: "n-1", aud: "https://verifier.example" });
    const nonce = await verify(vp, { challenge: "n-2", domain: "https://verifier.example" });
    expect(nonce.json.verified).toBe(false);
    expect(JSON.stringify(failing(nonce.json))).toContain("nonce");
    const aud = await verify(vp, { challenge: "n-1", domain: "https://other.example" });
    expect(aud.json.verified).toBe(false);
    expect(JSON.stringify(failing(aud.json))).toContain("aud");
    const bare = await verify(await present(issued, SHOWN), { challenge: "n-1" });
    expect(bare.json.verified).toBe(false);
    // A KB-JWT signed by another key than cnf.jwk.
    const thief = await present(issued, SHOWN, { holder: newHolder(), nonce: "n-1", aud: "https://verifier.example" });
    expect((await verify(thief, { challenge: "n-1", domain: "https://verifier.example" })).json.verified).toBe(false);
  });

  it("refuses a tampered disclosure, a duplicated one, an unreferenced one, and a changed issuer JWT", async () => {
    const byName = disclosuresByName(issued);
    const title = byName.get("achievement_title") as string;
    const [salt] = JSON.parse(Buffer.from(title, "base64url").toString("utf8"));
    const tampered = Buffer.from(JSON.stringify([salt, "achievement_title", "Doctor of Everything"])).toString(
      "base64url",
    );
    const cases: Record<string, string> = {
      tampered: await present(issued, [], undefined, [tampered]),
      duplicated: await present(issued, [], undefined, [title, title]),
      unreferenced: await present(issued, [], undefined, [
        title,
        Buffer.from(JSON.stringify(["c2FsdHNhbHRzYWx0c2FsdA", "level", { eqf: 8 }])).toString("base64url"),
      ]),
    };
    const [h, p, s] = (issued.split("~")[0] as string).split(".");
    const payload = JSON.parse(Buffer.from(p as string, "base64url").toString("utf8"));
    payload.exp = 4_102_444_800;
    cases.resigned = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}~${title}~`;
    for (const [name, vc] of Object.entries(cases)) {
      const res = await verify(vc);
      expect(res.json.verified, name).toBe(false);
      expect(res.json.checks.find((c: { check: string }) => c.check === "proof").status, name).toBe("error");
    }
    // A KB-JWT over other disclosures than those presented (sd_hash mismatch).
    const vp = await present(issued, SHOWN, { holder, nonce: "n", aud: "a" });
    const swapped = vp.replace(`~${byName.get("level")}~`, `~${byName.get("birthdate")}~`);
    expect((await verify(swapped, { challenge: "n", domain: "a" })).json.verified).toBe(false);
  });

  it("reports a revoked SD-JWT VC as not verified", async () => {
    const res = await issue({ holderKey: holder.publicJwk });
    const vc: string = res.json.verifiableCredential;
    const jti = JSON.parse(Buffer.from(vc.split(".")[1] as string, "base64url").toString("utf8")).jti;
    await gw.call("POST", `/v1/credentials/${encodeURIComponent(jti)}/revoke`, { token: issuer.token, json: {} });
    const out = await verify(await present(vc, SHOWN, { holder, nonce: "x", aud: "y" }), {
      challenge: "x",
      domain: "y",
    });
    expect(out.json.verified).toBe(false);
    expect(out.json.checks.find((c: { check: string }) => c.check === "status")).toMatchObject({ status: "error" });
  });
});

describe("OpenID4VCI: the dc+sd-jwt micro-credential configuration", () => {
  it("is in the issuer metadata with its vct, jwk binding and ES256, and issues an SD-JWT VC bound to the proof key", async () => {
    const offer = await gw.call("POST", `/v1/issuers/${issuer.slug}/offers`, {
      token: issuer.token,
      json: { credential: corpusJson(SAMPLE), configuration: "MicroCredential_dc_sd_jwt" },
    });
    expect(offer.status, offer.text).toBe(201);
    const wallet = new TestWallet("P-256", "jwk");
    const collected = await wallet.collect(offer.json.offerUri);
    const config = (
      collected.issuerMetadata.credential_configurations_supported as Record<string, Record<string, unknown>>
    ).MicroCredential_dc_sd_jwt as Record<string, unknown>;
    // OpenID4VCI 1.0 Appendix A.3: format dc+sd-jwt with a vct; binding by jwk; JOSE algorithm names.
    expect(config).toMatchObject({
      format: "dc+sd-jwt",
      cryptographic_binding_methods_supported: ["jwk"],
      credential_signing_alg_values_supported: ["ES256"],
    });
    expect(config.vct).toMatch(/\/vct\/micro-credential$/);
    const claims = (config.credential_metadata as { claims: { path: string[]; display: { name: string }[] }[] }).claims;
    expect(claims.find((c) => c.path[0] === "achievement_title")?.display.length).toBeGreaterThanOrEqual(3);

    const sdJwt = collected.credential as string;
    expect(typeof sdJwt).toBe("string");
    const payload = b64json((sdJwt.split("~")[0] as string).split(".")[1] as string);
    expect(payload.vct).toBe(config.vct);
    expect(payload.cnf).toEqual({ jwk: wallet.publicJwk });
    // The wallet presents it with a KB-JWT signed by the key it proved: the gateway's verifier accepts it.
    const holder = { privateKey: wallet.privateKey, publicJwk: wallet.publicJwk as Record<string, unknown> };
    const vp = await present(sdJwt, ["achievement_title", "level"], { holder, nonce: "vci-n", aud: "v" });
    const res = await gw.call("POST", "/v1/credentials/verify", {
      json: { verifiableCredential: vp, options: { challenge: "vci-n", domain: "v" } },
    });
    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
  });
});
