import jsQRModule from "jsqr";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchChromium } from "../support/chromium.js";
import { corpusJson } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { TestWallet } from "../support/oid4vci-wallet.js";
import { readRequest, respond, respondEncrypted } from "../support/oid4vp-wallet.js";
import type { Holder } from "../support/sd-jwt-wallet.js";

// The verifier page's "Ask a wallet" in Debian's headless Chromium against a real local gateway: a person presses the
// button, the wallet written from the specifications (jose, node:crypto) scans the QR code the browser shows (decoded
// by jsQR, not by the gateway's QR library), checks the signed request object, discloses the four claims asked for
// with a Key Binding JWT and posts them; the page, polling, shows the verdict card with those claims and nothing of
// the learner. The same credential revoked is shown as not valid. The facts checked are the EC sample's own (its
// title, 2 ECTS, EQF 6), read from the corpus file.
type Decode = typeof jsQRModule.default;
// jsqr is a UMD bundle typed as an ES module with a default export: the function is the module or its `default`.
const jsqr = jsQRModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof jsqr === "function" ? jsqr : jsqr.default;

const SAMPLE = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
const PAGE_VERIFIER = "page-verifier";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let browser: Browser | undefined;
let page: Page;
let university: RegisteredIssuer;
let wallet: TestWallet;
let holder: Holder;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024), GATEWAY_PAGE_VERIFIER: PAGE_VERIFIER },
  });
  university = await registerIssuer(gw, { name: "University of Zed", country: "IE" });
  await registerIssuer(gw, { name: "Page Verifier", country: "BE", slug: PAGE_VERIFIER });
  wallet = new TestWallet("P-256", "jwk");
  holder = { privateKey: wallet.privateKey, publicJwk: wallet.publicJwk as Record<string, unknown> };
  browser = await launchChromium("gw-e2e-ask-wallet-", { locale: "en-GB" });
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
  await db?.stop();
});

/** An SD-JWT VC of the EC sample, collected by the test wallet over OpenID4VCI. */
async function collect(): Promise<string> {
  const offer = await gw.call("POST", `/v1/issuers/${university.slug}/offers`, {
    token: university.token,
    json: { credential: corpusJson(SAMPLE), configuration: "MicroCredential_dc_sd_jwt" },
  });
  expect(offer.status, offer.text).toBe(201);
  return (await wallet.collect(offer.json.offerUri)).credential as string;
}

/** The QR code as the browser drew it, read back through a canvas and decoded by jsQR. */
async function decodeQr(): Promise<string | undefined> {
  const pixels = await page.getByTestId("wallet-qr").evaluate((img) => {
    // Runs in the page; the project's tsconfig has no DOM lib, so the canvas API is typed here.
    const doc = (globalThis as unknown as { document: { createElement(tag: "canvas"): Canvas } }).document;
    interface Canvas {
      width: number;
      height: number;
      getContext(kind: "2d"): {
        fillStyle: string;
        fillRect(x: number, y: number, w: number, h: number): void;
        drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    }
    const size = 400;
    const canvas = doc.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, size, size);
    ctx.drawImage(img, 0, 0, size, size);
    // Sent back as base64: a JSON array of the 640 000 channel values takes seconds over the DevTools protocol.
    const data = ctx.getImageData(0, 0, size, size).data;
    let binary = "";
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { size, base64: btoa(binary) };
  });
  const data = new Uint8ClampedArray(Buffer.from(pixels.base64, "base64"));
  return jsQR(data, pixels.size, pixels.size)?.data;
}

/** Presses "Ask a wallet"; resolves with the link the QR code holds once the page shows it. */
async function askFromPage(): Promise<string> {
  await page.getByRole("button", { name: "Ask a wallet" }).click();
  await page
    .getByTestId("wallet-link")
    .waitFor({ state: "visible", timeout: 10_000 })
    .catch(async (error) => {
      throw new Error(`no wallet link: ${await page.locator("main").textContent()}`, { cause: error });
    });
  await page.waitForFunction(() => {
    const img = (
      globalThis as unknown as { document: { getElementById(id: string): { naturalWidth?: number } } }
    ).document.getElementById("wallet-qr");
    return (img.naturalWidth ?? 0) > 0;
  });
  const scanned = await decodeQr();
  expect(scanned, "the QR code decodes").toBeTruthy();
  // The link beside the code is the same request, for a wallet on this device.
  expect(await page.getByTestId("wallet-link").getAttribute("href")).toBe(scanned);
  return scanned as string;
}

describe('"Ask a wallet" on the verifier page, in Chromium', () => {
  it("shows a QR code a wallet answers; the verdict card shows the four disclosed claims and not the learner", async () => {
    const sdJwt = await collect();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    await page.goto(`${gw.url}/`);
    const walletUrl = await askFromPage();
    expect(walletUrl.startsWith("openid4vp://?client_id=x509_hash%3A")).toBe(true);
    await expect(page.getByTestId("wallet-status").textContent()).resolves.toContain("Waiting for the wallet");

    const request = await readRequest(walletUrl);
    // The preset: what a recruiter needs, not who the learner is.
    expect(request.payload.dcql_query.credentials[0].claims.map((c: { path: string[] }) => c.path[0])).toEqual([
      "achievement_title",
      "awarding_body",
      "workload",
      "level",
    ]);
    // The page's requests take encrypted answers only (direct_post.jwt): a plain one is refused.
    expect(request.payload.response_mode).toBe("direct_post.jwt");
    expect((await respond(request, sdJwt, holder)).status).toBe(400);
    const answer = await respondEncrypted(request, sdJwt, holder);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);

    const verdict = page.getByTestId("verdict");
    await verdict.waitFor({ timeout: 15_000 });
    expect(await verdict.getAttribute("data-status")).toMatch(/^valid-/);
    // The sample's own values (Sample-MC-Annex1: "Digital micro-credential creation", 2 ECTS, 60 hours, EQF 6).
    const sample = JSON.stringify(corpusJson(SAMPLE));
    expect(sample).toContain("Digital micro-credential creation");
    expect(sample).toContain('"volumeOfLearning":"PT60H"');
    await expect(page.getByTestId("summary-title").textContent()).resolves.toBe("Digital micro-credential creation");
    await expect(page.getByTestId("summary-credits").textContent()).resolves.toBe("2 ECTS, 60 hours");
    await expect(page.getByTestId("summary-level").textContent()).resolves.toBe("EQF 6");
    await expect(page.getByTestId("summary-awarding-body").textContent()).resolves.toContain("University of Zed");
    await expect(page.getByTestId("summary-learner").textContent()).resolves.toBe("not stated");
    const disclosed = (await page.getByTestId("summary-disclosed").textContent())?.split(", ").sort();
    expect(disclosed).toEqual(["achievement_title", "awarding_body", "level", "workload"]);
    const text = (await page.locator("body").textContent()) ?? "";
    for (const hidden of ["Andromeda", "1999-10-01", "LA-234218"]) expect(text).not.toContain(hidden);
    await expect(page.getByTestId("wallet-status").textContent()).resolves.toBe("The wallet answered.");
    expect(await page.getByTestId("wallet-link").isVisible()).toBe(false);
    expect(problems).toEqual([]);

    // The same page in German: the request's words and the card's.
    await page.getByTestId("language").selectOption("de");
    await expect(page.getByTestId("ask-wallet").textContent()).resolves.toBe("Eine Wallet fragen");
    await expect(page.locator("#ask-heading").textContent()).resolves.toBe("Eine Wallet fragen");
    await expect(page.getByTestId("summary-learner").textContent()).resolves.toBe("nicht angegeben");
    await page.getByTestId("language").selectOption("en");
  });

  it("shows the same credential, once revoked, as not valid", async () => {
    const sdJwt = await collect();
    const jti = JSON.parse(Buffer.from(sdJwt.split(".")[1] as string, "base64url").toString("utf8")).jti;
    const revoked = await gw.call("POST", `/v1/credentials/${encodeURIComponent(jti)}/revoke`, {
      token: university.token,
      json: { action: "revoke" },
    });
    expect(revoked.status, revoked.text).toBe(200);
    await page.goto(`${gw.url}/`);
    const answer = await respondEncrypted(await readRequest(await askFromPage()), sdJwt, holder);
    expect(answer.status).toBe(200);
    const verdict = page.getByTestId("verdict");
    await verdict.waitFor({ timeout: 15_000 });
    expect(await verdict.getAttribute("data-status")).toBe("invalid");
    await expect(page.getByTestId("verdict-summary").textContent()).resolves.toContain("revoked");
  });

  it("lets only the page read its answer, and asks for presets only", async () => {
    const created = await gw.call("POST", "/verifier/presentation-requests", { json: { preset: "micro-credential" } });
    expect(created.status, created.text).toBe(201);
    const { id, pollKey } = created.json as { id: string; pollKey: string };
    const result = (key: string) =>
      gw.call("POST", `/verifier/presentation-requests/${encodeURIComponent(id)}/result`, { json: { key } });
    expect((await result(pollKey)).json.status).toBe("pending");
    // The request id is in the QR code; without the key it reads nothing, and the issuer API needs a token.
    expect((await result(`${pollKey.slice(0, -2)}xx`)).status).toBe(404);
    expect((await gw.call("GET", `/v1/presentation-requests/${encodeURIComponent(id)}`)).status).toBe(401);
    // A caller's own DCQL query (a learner's birth date, say) is refused: the page verifier asks presets only.
    const custom = await gw.call("POST", "/verifier/presentation-requests", {
      json: { query: { credentials: [{ id: "x", format: "dc+sd-jwt", meta: { vct_values: ["x"] } }] } },
    });
    expect(custom.status).toBe(400);
    expect(custom.text).toContain("/body/query");
  });
});
