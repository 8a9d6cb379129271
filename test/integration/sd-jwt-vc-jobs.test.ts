import { createHash, createPublicKey, verify } from "node:crypto";
import { digest } from "@sd-jwt/crypto-nodejs";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// Bulk jobs with options.format "sd-jwt-vc": each spreadsheet row is issued as an SD-JWT VC, downloadable from the
// results. Each one is checked by a path that is not the gateway's: the JWS with jose and the key found through JWT
// VC Issuer Metadata (SD-JWT VC §3.1), and the whole SD-JWT by @sd-jwt/sd-jwt-vc (signature, every disclosure's
// digest, and the Token Status List it fetches from the credential's status URI), the disclosed values compared with
// the CSV's cells (test/support/jobs.ts). Then by the gateway's own verifier, and once revoked.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let issuer: { id: string; slug: string; token: string };

const ROWS = 12;
const FINISHED = new Set(["completed", "completed-with-errors", "failed"]);
const b64json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

async function submit(options: Record<string, unknown>, document = jobCsv(ROWS, { badEcts: [5] })) {
  return gw.call("POST", "/v1/jobs", {
    token: issuer.token,
    json: { from: "csv", document, options: { issuer: issuer.slug, format: "sd-jwt-vc", ...options } },
  });
}

async function waitForJob(id: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await gw.call("GET", `/v1/jobs/${id}`, { token: issuer.token });
    expect(res.status, res.text).toBe(200);
    if (FINISHED.has(res.json.status)) return res.json;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${res.json.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The issuer's JWKS by its JWT VC Issuer Metadata, at the URL SD-JWT VC §3.1 builds from `iss`. */
async function issuerJwks(iss: string): Promise<{ keys: Record<string, unknown>[] }> {
  const url = new URL(iss);
  const res = await fetch(`${url.origin}/.well-known/jwt-vc-issuer${url.pathname}`);
  expect(res.status).toBe(200);
  const metadata = (await res.json()) as { issuer: string; jwks: { keys: Record<string, unknown>[] } };
  expect(metadata.issuer).toBe(iss);
  return metadata.jwks;
}

/** @sd-jwt/sd-jwt-vc with an ES256 verifier over the metadata's keys (node:crypto), its own status list fetch. */
function libraryVerifier(jwks: { keys: Record<string, unknown>[] }) {
  const es256 = (data: string, signature: string) =>
    jwks.keys.some((jwk) =>
      verify(
        "sha256",
        Buffer.from(data),
        { key: createPublicKey({ key: jwk as never, format: "jwk" }), dsaEncoding: "ieee-p1363" },
        Buffer.from(signature, "base64url"),
      ),
    );
  return new SDJwtVcInstance({ hasher: digest, verifier: es256, statusVerifier: es256 });
}

describe("bulk jobs issuing SD-JWT VCs", () => {
  it("issues each row as an SD-JWT VC that jose and @sd-jwt/sd-jwt-vc verify, with the row's values", async () => {
    const submitted = await submit({});
    expect(submitted.status, submitted.text).toBe(202);
    const job = await waitForJob(submitted.json.id);
    // Row 5's ECTS are not a number: the reader refuses that row, the others are issued.
    expect(job).toMatchObject({ status: "completed-with-errors", total: ROWS, done: ROWS - 1, failed: 1 });
    expect(job.format).toBe("sd-jwt-vc");

    const res = await gw.call("GET", `/v1/jobs/${submitted.json.id}/results`, { token: issuer.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/jsonl");
    const lines = res.text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(ROWS);
    expect(lines.find((l) => l.row === 5)?.error).toBeDefined();

    const jtis = new Set<string>();
    for (const line of lines.filter((l) => l.row !== 5)) {
      const sdJwt = line.verifiableCredential as string;
      expect(typeof sdJwt, `row ${line.row}`).toBe("string");
      const jwt = sdJwt.split("~")[0] as string;
      const iss = b64json(jwt.split(".")[1] as string).iss as string;
      const jwks = await issuerJwks(iss);
      const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks as never), {
        typ: "dc+sd-jwt",
        algorithms: ["ES256"],
      });
      expect(protectedHeader.typ).toBe("dc+sd-jwt");
      // Each disclosure's digest (RFC 9901 §4.2.3) is in the signed `_sd`.
      const disclosures = sdJwt.split("~").slice(1, -1);
      for (const d of disclosures) {
        expect(payload._sd as string[]).toContain(createHash("sha256").update(d, "ascii").digest("base64url"));
      }
      const checked = await libraryVerifier(jwks).verify(sdJwt);
      const claims = checked.payload as Record<string, unknown>;
      // The CSV's cells of this row (jobCsv: row r is learner r-2, ECTS 1 + (r-2) % 30, EQF 6, "University of Zed").
      const i = line.row - 2;
      expect(claims.given_name).toBe(`Learner${i}`);
      expect(claims.family_name).toBe("Example");
      expect(claims.achievement_title).toBe("Introduction to Data Stewardship");
      expect(claims.workload).toMatchObject({ ects_credits: 1 + (i % 30) });
      expect(claims.level).toMatchObject({ eqf: 6 });
      expect((claims.awarding_body as { name: string }[])[0]?.name).toBe("University of Zed");
      expect(claims.status).toMatchObject({ status_list: { idx: expect.any(Number), uri: expect.any(String) } });
      jtis.add(String(payload.jti));
    }
    expect(jtis.size).toBe(ROWS - 1);

    // The library does check the signature: row 2's JWT under row 3's signature is refused. (It does not refuse an
    // unreferenced disclosure, @sd-jwt 0.19; the digests are checked against `_sd` by hand above.)
    const sdJwtOfRow = (row: number): string => {
      const value = lines.find((l) => l.row === row)?.verifiableCredential;
      if (typeof value !== "string") throw new Error(`no SD-JWT VC for row ${row}`);
      return value;
    };
    const [jwt2, ...rest2] = sdJwtOfRow(2).split("~");
    const jwt3 = sdJwtOfRow(3).split("~")[0] as string;
    const [h2, p2] = (jwt2 as string).split(".");
    const mixed = [`${h2}.${p2}.${jwt3.split(".")[2]}`, ...rest2].join("~");
    const iss2 = b64json(p2 as string).iss as string;
    await expect(libraryVerifier(await issuerJwks(iss2)).verify(mixed)).rejects.toThrow();

    // The gateway's own verifier agrees; revoked through the revoke route, both it and the library refuse.
    const first = lines.find((l) => l.row === 2)?.verifiableCredential as string;
    const verified = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: first } });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json.verified, verified.text).toBe(true);
    const jti = b64json(first.split("~")[0]?.split(".")[1] as string).jti as string;
    const revoked = await gw.call("POST", `/v1/credentials/${encodeURIComponent(jti)}/revoke`, {
      token: issuer.token,
      json: { action: "revoke" },
    });
    expect(revoked.status, revoked.text).toBe(200);
    const after = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: first } });
    expect(after.json.verified).toBe(false);
    const iss = b64json(first.split(".")[1] as string).iss as string;
    await expect(libraryVerifier(await issuerJwks(iss)).verify(first)).rejects.toThrow(/status/i);
  }, 120_000);

  it("refuses at submission what each row's issuance would refuse: a proof suite, suspension, a dry run", async () => {
    const proof = await submit({ proof: "eddsa-rdfc-2022" });
    expect(proof.status, proof.text).toBe(422);
    expect(proof.text).toContain("/body/options/proof");
    const suspension = await submit({ suspension: true });
    expect(suspension.status, suspension.text).toBe(422);
    expect(suspension.text).toContain("/body/options/suspension");
    const dryRun = await submit({ dryRun: true });
    expect(dryRun.status, dryRun.text).toBe(422);
    expect(dryRun.text).toContain("/body/options/format");
  });
});
