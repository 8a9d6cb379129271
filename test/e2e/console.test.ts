import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import jsQRModule from "jsqr";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { seriousViolations } from "../support/axe.js";
import { type Browser, launchChromium } from "../support/chromium.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { TestWallet } from "../support/oid4vci-wallet.js";

// The registrar's console in Debian's headless Chromium against a real local gateway: sign in with the issuer's
// token, choose the English example sheet, read the dry run, issue it as a job to 100 %, download the results, and
// make an offer whose QR code, decoded by jsQR (not the gateway's library), is the offer URI. With
// GATEWAY_SCREENSHOTS_DIR set (`npm run screenshots`), desktop and 390 px phone screenshots are written there.
// jsqr is a UMD bundle typed as an ES module with a default export: the function is the module or its `default`.
type Decode = typeof jsQRModule.default;
const jsqr = jsQRModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof jsqr === "function" ? jsqr : jsqr.default;
const SHEET = "docs/examples/registrar-en.csv";
const SCREENSHOTS = process.env.GATEWAY_SCREENSHOTS_DIR;

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let browser: Browser | undefined;
let page: Page;
let issuer: RegisteredIssuer;
let worker: LocalWorker;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  // The queue's consumer, as `npm start` runs it: chunks are issued while the page polls the job.
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  browser = await launchChromium("gw-e2e-console-", { locale: "en-GB", acceptDownloads: true });
  page = browser.page;
  issuer = await registerIssuer(gw, { name: "Shannon Valley University", country: "IE", testIssuer: true });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

/** The QR code as the browser drew it, read back through a canvas and decoded by jsQR. */
async function decodeQr(): Promise<string | undefined> {
  const pixels = await page.getByTestId("offer-qr").evaluate((img) => {
    // Runs in the page; the project's tsconfig has no DOM lib, so the canvas API is typed here.
    const doc = (globalThis as unknown as { document: { createElement(tag: "canvas"): Canvas } }).document;
    interface Canvas {
      width: number;
      height: number;
      getContext(kind: "2d"): {
        fillStyle: string;
        fillRect(x: number, y: number, w: number, h: number): void;
        drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      };
    }
    const size = 512;
    const canvas = doc.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, size, size);
    ctx.drawImage(img, 0, 0, size, size);
    return { size, data: Array.from(ctx.getImageData(0, 0, size, size).data) };
  });
  return jsQR(Uint8ClampedArray.from(pixels.data), pixels.size, pixels.size)?.data;
}

describe("the registrar's console in Chromium", () => {
  it("signs in, previews the English sheet, issues it to 100 %, downloads the results and shows an offer QR", async () => {
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    // Prepare: the sheet's data rows, counted from the file itself.
    const dataRows = readFileSync(SHEET, "utf8").trim().split("\n").length - 1;

    // Act: sign in.
    await page.goto(`${gw.url}/console`);
    await page.getByTestId("issuer").fill(issuer.id);
    await page.getByTestId("token").fill(issuer.token);
    await page.getByTestId("sign-in").click();
    await page.getByText("Signed in as").waitFor();
    // The token is kept for the tab, never put in the URL.
    expect(page.url()).not.toContain(issuer.token);
    await page.reload();
    await page.getByText("Signed in as").waitFor();
    expect(await page.locator("#who").textContent()).toContain("Shannon Valley University");

    // Act: the sheet, previewed.
    await page.getByTestId("file").setInputFiles(SHEET);
    await page.getByTestId("preview-row").first().waitFor();
    const rows = await page.getByTestId("preview-row").allTextContents();
    expect(rows).toHaveLength(dataRows);
    expect(rows[0]).toContain("Data Protection for Practitioners");
    expect(rows[0]).toContain("Aoife Byrne");
    // The column mapping the reader detected names the sheet's own headers.
    expect(await page.locator("#preview th, #preview td").allTextContents()).toContain("course_title");
    expect(await seriousViolations(page)).toEqual([]);

    // Act: issue as a job.
    await page.getByTestId("issue").click();
    await page
      .getByTestId("job-status")
      .filter({ hasText: /^(completed|failed|The job)/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("job-status").textContent()).toMatch(/^completed/);
    const progress = page.getByTestId("progress");
    const [value, max] = await progress.evaluate((p) => {
      const bar = p as unknown as { value: number; max: number };
      return [bar.value, bar.max];
    });
    expect(value).toBe(max);
    expect(await page.getByTestId("job-status").textContent()).toMatch(/\(100%\)/);

    // Act: download the results.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("results-download").click()]);
    const lines = readFileSync((await download.path()) as string, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // Rows are numbered as the spreadsheet numbers them (its header is row 1).
    expect(lines.map((l: { row: number }) => l.row).sort((a: number, b: number) => a - b)).toEqual(
      Array.from({ length: dataRows }, (_, i) => i + 2),
    );
    expect(lines.some((l: { verifiableCredential?: unknown }) => l.verifiableCredential !== undefined)).toBe(true);

    // Act: an offer for the sheet's row 3 (its second learner).
    await page.getByTestId("offer-row").fill("3");
    await page.getByRole("button", { name: "Make an offer for this row" }).click();
    await page.getByTestId("offer-qr").waitFor();
    const uri = await page.locator("#offer-uri").textContent();
    expect(uri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(await decodeQr()).toBe(uri);
    // The offer behind the URI is there for a wallet to fetch.
    const offerUrl = new URL(decodeURIComponent((uri as string).split("credential_offer_uri=")[1] as string));
    const fetched = await gw.call("GET", offerUrl.pathname);
    expect(fetched.status, fetched.text).toBe(200);
    // A wallet written from OpenID4VCI collects it: the credential is row 3's learner's, not the first row's.
    const [first, second] = parseCsv(readFileSync(SHEET, "utf8"), { columns: true }) as Record<string, string>[];
    const collected = JSON.stringify((await new TestWallet().collect(uri as string)).credential);
    expect(collected).toContain(`${second?.given_name}`);
    expect(collected).not.toContain(`${first?.given_name}`);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    page.removeAllListeners("console");
  }, 120_000);
});

describe.runIf(SCREENSHOTS)("screenshots of the console for docs/", () => {
  it.each([
    ["desktop", 1280, 900, "en"],
    ["phone", 390, 844, "en"],
    ["desktop-de", 1280, 900, "de"],
  ])("%s", async (name, width, height, language) => {
    const dir = SCREENSHOTS as string;
    mkdirSync(dir, { recursive: true });
    await page.setViewportSize({ width, height });
    await page.goto(`${gw.url}/console`);
    if (await page.getByTestId("token").isVisible()) {
      await page.getByTestId("issuer").fill(issuer.id);
      await page.getByTestId("token").fill(issuer.token);
      await page.getByTestId("sign-in").click();
    }
    await page.getByText("Signed in as").waitFor();
    await page.getByTestId("language").selectOption(language);
    await page.getByTestId("file").setInputFiles(SHEET);
    await page.getByTestId("preview-row").first().waitFor();
    await page.screenshot({ path: join(dir, `console-${name}.png`), fullPage: true });
    expect(statSync(join(dir, `console-${name}.png`)).size).toBeGreaterThan(0);
  });
});
