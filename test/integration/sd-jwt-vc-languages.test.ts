import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";

// A micro-credential titled in English and German, issued as an SD-JWT VC: the German title travels as the claim
// `achievement_title#de` (OpenID Connect Core §5.2), a disclosure of its own whose digest (computed here, RFC 9901
// §4.2.3) is in `_sd`; the gateway's verifier takes it as a claim of the type.
const SAMPLE = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

describe("an SD-JWT VC with texts in several languages", () => {
  it("carries the other language as a tagged, selectively disclosable claim the verifier accepts", async () => {
    // The EC sample with its achievement titled in German too (the sample's own title is English only).
    // biome-ignore lint/suspicious/noExplicitAny: the sample is read and changed as plain JSON.
    const sample = corpusJson(SAMPLE) as any;
    const german = "Erstellung digitaler Microcredentials";
    sample.credentialSubject.hasClaim.title.de = german;
    sample.credentialSubject.hasClaim.specifiedBy.title.de = german;
    const issuer = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
    const issued = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential: sample, options: { issuer: issuer.slug, format: "sd-jwt-vc" } },
    });
    expect(issued.status, issued.text.slice(0, 300)).toBe(201);
    const sdJwt = issued.json.verifiableCredential as string;
    const [jwt, ...rest] = sdJwt.split("~");
    const payload = JSON.parse(Buffer.from(jwt?.split(".")[1] as string, "base64url").toString("utf8"));
    const decoded = rest
      .filter((d) => d !== "")
      .map((d) => ({ d, array: JSON.parse(Buffer.from(d, "base64url").toString("utf8")) }));
    const tagged = decoded.find((x) => x.array[1] === "achievement_title#de");
    expect(tagged?.array[2]).toBe(german);
    expect(decoded.find((x) => x.array[1] === "achievement_title")?.array[2]).toBe(
      sample.credentialSubject.hasClaim.title.en,
    );
    expect(payload._sd).toContain(
      createHash("sha256")
        .update(tagged?.d as string, "ascii")
        .digest("base64url"),
    );
    expect(JSON.stringify(payload)).not.toContain(german);

    const verified = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: sdJwt } });
    expect(verified.status).toBe(200);
    expect(verified.json.verified, JSON.stringify(verified.json.checks)).toBe(true);
    expect(verified.json.sdJwtVc.claims["achievement_title#de"]).toBe(german);
  });
});
