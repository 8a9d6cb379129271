import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bakePng, bakeSvg } from "../../mappings/ob3/baked.js";
import { corpusPath } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// Baked badges through the HTTP routes: credentials the gateway issued, baked into a PNG and an SVG, and the 1EdTech
// validator's baked PNG, verified by POST /v1/credentials/verify; images without a credential refused with a 422
// naming the field; a baked PNG converted by POST /v1/convert.
const FIXTURE = "ob3/validator-fixtures/simple-json.png";
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>';

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: RegisteredIssuer;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  issuer = await registerIssuer(gw, { name: "Baking College", country: "IE", legalIdentifier: "IE-BAKE-1" });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const fixture = (): Uint8Array => new Uint8Array(readFileSync(corpusPath(FIXTURE)));
const pngUrl = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`;
const svgUrl = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;

async function issue(options: Record<string, unknown> = {}): Promise<Record<string, unknown> | string> {
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: issuer.token,
    json: { credential: unsignedOb3Credential(), options: { issuer: issuer.id, ...options } },
  });
  expect(res.status, res.text.slice(0, 300)).toBe(201);
  return res.json.verifiableCredential;
}

const verify = (verifiableCredential: unknown) =>
  gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential } });

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions.
const checkOf = (body: any, name: string) => body.checks.find((c: { check: string }) => c.check === name);

/** A baked PNG factory: the corpus fixture's pixels with `credential` baked in place of its own. */
function bakedPng(credential: Record<string, unknown> | string): Uint8Array {
  const baked = bakePng(fixture(), credential);
  if (!baked.ok) throw new Error(baked.issues[0]?.message);
  return baked.value;
}

function bakedSvg(credential: Record<string, unknown> | string): string {
  const baked = bakeSvg(SVG, credential);
  if (!baked.ok) throw new Error(baked.issues[0]?.message);
  return baked.value;
}

describe("POST /v1/credentials/verify with a baked badge", () => {
  it("verifies an eddsa-rdfc-2022 credential baked into a PNG data URL, returning what it took out", async () => {
    // Prepare
    const vc = (await issue()) as Record<string, unknown>;
    // Act
    const res = await verify(pngUrl(bakedPng(vc)));
    // Assess
    expect(res.status).toBe(200);
    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
    expect(checkOf(res.json, "proof").status).toBe("ok");
    expect(res.json.baked).toMatchObject({ image: "png", openBadges: "3.0", kind: "json" });
    expect(JSON.parse(res.json.baked.text)).toEqual(vc);
    expect(res.json.warnings).toContain("the credential was read from a baked PNG image (Open Badges 3.0 baking)");
  });

  it("verifies a VC-JWT baked into an SVG, as a data URL and as SVG text, and a PNG sent as plain base64", async () => {
    // Prepare
    const jwt = (await issue({ proof: "vc-jwt" })) as string;
    const svg = bakedSvg(jwt);
    // Act
    const results = await Promise.all([
      verify(svgUrl(svg)),
      verify(svg),
      verify(Buffer.from(bakedPng(jwt)).toString("base64")),
    ]);
    // Assess
    for (const res of results) {
      expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
      expect(res.json.baked).toMatchObject({ kind: "jws", text: jwt });
    }
    expect(results.map((r) => r.json.baked.image)).toEqual(["svg", "svg", "png"]);
  });

  it("fails proof for a changed credential baked into an image (the image is no seal of its own)", async () => {
    // Prepare
    const vc = (await issue()) as Record<string, unknown>;
    const changed = { ...vc, name: "A different badge" };
    // Act
    const res = await verify(pngUrl(bakedPng(changed)));
    // Assess
    expect(res.json.verified).toBe(false);
    expect(checkOf(res.json, "proof").status).toBe("error");
  });

  it("verifies the 1EdTech validator's baked PNG fixture; its unknown issuer leaves trust skipped, not failed", async () => {
    // Act
    const res = await verify(pngUrl(fixture()));
    // Assess
    expect(res.status).toBe(200);
    expect(checkOf(res.json, "proof").status, checkOf(res.json, "proof").detail).toBe("ok");
    expect(checkOf(res.json, "format").status).toBe("ok");
    expect(checkOf(res.json, "trust").status).toBe("skipped");
    expect(res.json.verified, JSON.stringify(res.json.errors)).toBe(true);
    expect(res.json.baked).toMatchObject({ image: "png", kind: "json" });
  });

  it.each([
    ["a PNG without a baked credential", () => pngUrl(bakePngWithout()), /no baked credential/],
    ["a damaged PNG (CRC mismatch)", () => pngUrl(damaged()), /fails its CRC check/],
    ["an SVG without a credential", () => svgUrl(SVG), /no baked credential/],
    ["a JPEG data URL", () => "data:image/jpeg;base64,/9j/4AAQSkZJRg==", /PNG or an SVG image, not image\/jpeg/],
  ])("answers 422 naming /body/verifiableCredential for %s", async (_name, input, message) => {
    // Act
    const res = await verify(input());
    // Assess
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const [error] = res.json.errors;
    expect(error.pointer).toBe("/body/verifiableCredential");
    expect(error.detail).toMatch(message);
  });
});

describe("POST /v1/convert with a baked badge", () => {
  it("converts the credential baked into a PNG data URL to ELM, the format sniffed", async () => {
    // Act
    const res = await gw.call("POST", "/v1/convert", { json: { to: "elm", document: pngUrl(fixture()) } });
    // Assess
    expect(res.status, res.text.slice(0, 400)).toBe(200);
    expect(res.json.from).toBe("ob3");
    expect(res.json.results).toHaveLength(1);
  });
});

/** The fixture's pixels with no credential: the baked chunk removed by re-baking into a bare 1x1 PNG. */
function bakePngWithout(): Uint8Array {
  const bytes = Buffer.from(fixture());
  const at = bytes.indexOf(Buffer.from("iTXtopenbadgecredential")) - 4;
  const length = bytes.readUInt32BE(at);
  return new Uint8Array(Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 12 + length)]));
}

/** The fixture with one byte of its baked credential changed and the chunk's CRC left as it was. */
function damaged(): Uint8Array {
  const bytes = fixture();
  const at = Buffer.from(bytes).indexOf(Buffer.from("@context"));
  bytes[at + 1] = "k".charCodeAt(0);
  return bytes;
}
