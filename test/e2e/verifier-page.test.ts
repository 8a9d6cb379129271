import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

// The verifier page in Debian's headless Chromium, driven by playwright-core, against a real local gateway: a person
// pastes the EC's sealed micro-credential sample and a tampered copy and reads the checks. Runs only where
// /usr/bin/chromium exists (vitest.config.ts).
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SEALED = "elm/samples/Sample-MC-Annex1-signed.jsonld";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let profile: string;
let shots: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  profile = mkdtempSync(join(tmpdir(), "gw-e2e-chromium-"));
  shots = mkdtempSync(join(tmpdir(), "gw-e2e-shots-"));
  // A fresh, empty profile; no background networking (this machine's network is closed).
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await gw?.close();
  await db?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (shots) rmSync(shots, { recursive: true, force: true });
});

/** Opens the page, pastes `text` into the credential box and presses Verify; resolves once the verdict is shown. */
async function pasteAndVerify(text: string): Promise<void> {
  await page.goto(`${gw.url}/`);
  await page.getByLabel("Credential (paste it here, or drop a file on this box)").fill(text);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.locator("#verdict").waitFor();
}

/** The row of the checks table for `check`: [check, status, detail]. */
async function checkRow(check: string): Promise<string[]> {
  const rows = await page
    .locator("#checks tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
  return rows.find((r) => r[0] === check) ?? [];
}

describe("the verifier page in Chromium", () => {
  it("runs under its CSP: no console errors or violations while loading", async () => {
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });

    await page.goto(`${gw.url}/`);
    await page.getByRole("button", { name: "Verify" }).click();

    await expect(page.locator("#problem").textContent()).resolves.toBe("Paste or drop a credential first.");
    expect(problems).toEqual([]);
    page.removeAllListeners("console");
  });

  it("shows proof ok and 'verified' for the EC's sealed sample, with its Annex I elements", async () => {
    await pasteAndVerify(corpusText(SEALED));

    expect(await page.locator("#verdict").textContent()).toBe("verified");
    const [, status, detail] = await checkRow("proof");
    expect(status).toBe("ok");
    expect(detail).toMatch(/^JAdES seal/);
    expect(detail).toContain("time-stamps verified: sigTst 2023-09-27T11:54:20Z, adoTst 2023-09-27T11:54:17Z");
    expect(await page.locator("#warnings li").allTextContents()).toContainEqual(
      expect.stringMatching(/the signature time-stamp of 2023-09-27T11:54:20Z by .* verified/),
    );
    expect((await checkRow("trust"))[1]).toMatch(/^(ok|skipped)$/);
    const sources = await page.locator("#trust-findings tbody tr td:first-child").allTextContents();
    expect(sources).toContain("gateway");
    const elements = await page.locator("#elements tbody tr td:first-child").allTextContents();
    expect(elements).toContain("learningOutcomes");
    expect(await page.locator("#result").getAttribute("aria-live")).toBe("polite");
    const shot = join(shots, "verified.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot) && statSync(shot).size > 0).toBe(true);
  });

  it("shows the proof error for a tampered copy", async () => {
    const envelope = JSON.parse(corpusText(SEALED)) as { payload: string };
    const tampered = envelope.payload.replace(/"issued":"\d{4}/, (m) => `${m.slice(0, -4)}1999`);
    expect(tampered).not.toBe(envelope.payload);

    await pasteAndVerify(JSON.stringify({ ...envelope, payload: tampered }));

    expect(await page.locator("#verdict").textContent()).toBe("not verified");
    const [, status, detail] = await checkRow("proof");
    expect(status).toBe("error");
    expect(detail).toMatch(/^JAdES seal: /);
    await page.screenshot({ path: join(shots, "tampered.png"), fullPage: true });
  });
});
