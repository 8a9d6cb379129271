import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchChromium } from "../support/chromium.js";
import { startDynalite } from "../support/dynalite.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

// The API reference page in Debian's headless Chromium against a real local gateway: it must render every operation
// of the gateway's own OpenAPI document while its Content-Security-Policy reports nothing. Violations are caught twice:
// Chromium's console errors ("Refused to ...") and the page's `securitypolicyviolation` events, recorded by a script
// the browser runs before the page's own (DevTools scripts are not subject to the page's CSP).

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint });
  browser = await launchChromium("gw-e2e-docs-");
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
  await db?.stop();
});

describe("the API reference page in Chromium", () => {
  it("lists every operation of /openapi.json, with no CSP violation and no request leaving the gateway", async () => {
    const document = (await gw.call("GET", "/openapi.json")).json as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const expected = Object.entries(document.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const consoleErrors: string[] = [];
    const foreign: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`);
    });
    page.on("request", (r) => {
      if (!r.url().startsWith(gw.url) && !r.url().startsWith("data:")) foreign.push(r.url());
    });
    // A string, not a function: the test's TypeScript has no DOM types.
    await page.addInitScript({
      content: `window.cspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) =>
          window.cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber));`,
    });

    const response = await page.goto(`${gw.url}/docs`);
    expect(response?.headers()["content-security-policy"]).toContain("style-src 'self';");
    await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
    // Expanding an operation renders its schemas and examples: that rendering must not break the CSP either.
    await page.locator("#operations-convert-convert .opblock-summary-control").click();
    await page.locator("#operations-convert-convert .opblock-body").waitFor();
    // The operation shows its example request and answer (functions/http/examples.ts, replayed by
    // test/integration/openapi-examples.test.ts): here the sample spreadsheet row's course title, sent and converted.
    const convertBody = (await page.locator("#operations-convert-convert .opblock-body").textContent()) ?? "";
    expect(convertBody.split("Data Protection for Practitioners").length - 1).toBeGreaterThanOrEqual(2);
    // One of the operations whose example needs a prepared input (a trusted list) shows its example too.
    await page.locator("#operations-credentials-importTrustedList .opblock-summary-control").click();
    const listBody = page.locator("#operations-credentials-importTrustedList .opblock-body");
    await listBody.waitFor();
    expect(await listBody.textContent()).toContain("eu-tl:IE");

    const listed = await page
      .locator(".opblock")
      .evaluateAll((blocks) =>
        blocks.map(
          (b) =>
            `${b.querySelector(".opblock-summary-method")?.textContent?.trim()} ${b.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`,
        ),
      );
    expect(listed.sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(40);
    expect(await page.locator(".info .title").textContent()).toContain("Europass / EDC interoperability gateway");
    const violations = (await page.evaluate("window.cspViolations")) as string[];
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  }, 60_000);

  it("would report an inline style or script: the same page with an injected one is refused", async () => {
    // The positive control of the test above: the policy and the listener do catch what they are meant to.
    await page.goto(`${gw.url}/docs`);
    await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
    const violations = (await page.evaluate(`(async () => {
      const style = document.createElement("style");
      style.textContent = "body { color: red }";
      document.head.append(style);
      await new Promise((ok) => setTimeout(ok, 200));
      return window.cspViolations;
    })()`)) as string[];
    expect(violations.some((v) => v.startsWith("style-src"))).toBe(true);
  });
});
