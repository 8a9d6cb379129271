import { createHash, generateKeyPairSync } from "node:crypto";
import { inflateSync } from "node:zlib";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";

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
