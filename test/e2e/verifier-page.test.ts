import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bakeSvg } from "../../mappings/ob3/baked.js";
import { type Browser, CHROMIUM, launchChromium } from "../support/chromium.js";
import { corpusJson, corpusPath, corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// The verifier page in Debian's headless Chromium, driven by playwright-core, against a real local gateway: a person
// pastes the EC's sealed micro-credential sample and a tampered copy, one credential of each kind the gateway issues,
// chooses the 1EdTech validator's baked PNG as a file and drops a baked SVG, and reads the checks. Runs only where
// /usr/bin/chromium exists (vitest.config.ts). With GATEWAY_SCREENSHOTS_DIR set (`npm run screenshots`), the desktop
// and 390 px phone screenshots of the page are written there (docs/).
const SEALED = "elm/samples/Sample-MC-Annex1-signed.jsonld";
const BAKED_PNG = "ob3/validator-fixtures/simple-json.png";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let browser: Browser | undefined;
let shots: string;
let page: Page;
let issuer: RegisteredIssuer;
const SCREENSHOTS = process.env.GATEWAY_SCREENSHOTS_DIR;
// axe-core's browser build, run in the page through the DevTools protocol (which the page's CSP does not govern).
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  shots = mkdtempSync(join(tmpdir(), "gw-e2e-shots-"));
  browser = await launchChromium("gw-e2e-chromium-", { locale: "en-GB" });
  page = browser.page;
  issuer = await registerIssuer(gw, { name: "Page Test University", country: "IE", legalIdentifier: "IE-PAGE-1" });
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
  await db?.stop();
  if (shots) rmSync(shots, { recursive: true, force: true });
});

/** Opens the page, pastes `text` into the credential box and presses Verify; resolves once the verdict is shown. */
async function pasteAndVerify(text: string): Promise<void> {
  await page.goto(`${gw.url}/`);
  await page.getByLabel("Credential (paste it here, or drop a file on this box)").fill(text);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.locator("#verdict").waitFor();
}

/** The verdict's status as the page marks it, and its words. */
async function verdict(): Promise<{ status: string | null; text: string | null }> {
  const node = page.getByTestId("verdict");
  return { status: await node.getAttribute("data-status"), text: await node.textContent() };
}

/** The serious and critical accessibility violations axe-core finds on the page as it is now. */
async function seriousViolations(): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.targets.join(" ")}`);
}

/** The computed left border colour of the verdict card (its colour code). */
const cardColour = () =>
  page.locator("article.card").evaluate((n) => {
    // Runs in the page; the project's tsconfig has no DOM lib.
    const browser = globalThis as unknown as { getComputedStyle(node: unknown): { borderLeftColor: string } };
    return browser.getComputedStyle(n).borderLeftColor;
  });

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

  it("shows the EC's test-sealed sample in amber: the summary names the awarding body and says the seal certificate is a test one", async () => {
    await pasteAndVerify(corpusText(SEALED));

    expect(await verdict()).toEqual({
      status: "valid-issuer-unknown",
      text: "Valid signature, but the issuer is not confirmed",
    });
    // Amber (#b26a00), not green: nothing confirms the "CN=TEST SEAL" certificate.
    expect(await cardColour()).toBe("rgb(178, 106, 0)");
    const summary = await page.getByTestId("verdict-summary").textContent();
    expect(summary).toContain("University of Zed");
    expect(summary).toMatch(/no trusted list confirms this sealing certificate: it is a test certificate\.$/);
    // The values the sample states (its credentialSubject, hasClaim and specifiedBy), as text.
    expect(await page.getByTestId("summary-title").textContent()).toBe("Digital micro-credential creation");
    expect(await page.getByTestId("summary-learner").textContent()).toBe("Ana Andromeda");
    expect(await page.getByTestId("summary-awarding-body").textContent()).toMatch(/^University of Zed \(IE/);
    expect(await page.getByTestId("summary-credits").textContent()).toBe("2 ECTS, 60 hours");
    expect(await page.getByTestId("summary-level").textContent()).toMatch(/^EQF 6/);
    // issued 2023-09-27T13:54:17+02:00, in the reader's locale (en-GB).
    expect(await page.getByTestId("summary-date").textContent()).toBe("27 September 2023");
    // The credential's own rendering: its displayParameter's JPEG.
    expect(await page.getByTestId("own-rendering").getAttribute("src")).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    // Annex I as words, not field names or JSON.
    const terms = await page.locator("#elements dt").allTextContents();
    expect(terms).toContain("Learning outcomes");
    const values = await page.locator("#elements dd").allTextContents();
    expect(values.join("\n")).not.toMatch(/[{}[\]]|"/);
    expect(values).toContain("Communication, collaboration and creativity; Developing digital content");
    // The technical details are there, collapsed.
    const details = page.getByTestId("details");
    expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    expect(await page.locator("#checks").isVisible()).toBe(false);
    const [, status, detail] = await checkRow("proof");
    expect(status).toBe("ok");
    expect(detail).toContain("CN=TEST SEAL");
    expect(detail).toContain("time-stamps verified: sigTst 2023-09-27T11:54:20Z, adoTst 2023-09-27T11:54:17Z");
    expect(await page.locator("#result").getAttribute("aria-live")).toBe("polite");

    expect(await seriousViolations()).toEqual([]);
    // Keyboard: the details open with Enter on their summary.
    await page.locator("details summary").focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("#checks").isVisible()).toBe(true);
    expect(await seriousViolations()).toEqual([]);

    const shot = join(shots, "verified.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot) && statSync(shot).size > 0).toBe(true);
  });

  it("follows a German browser: the page opens in German, the date in German", async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu"],
    });
    try {
      const german = await (await browser.newContext({ locale: "de-DE" })).newPage();
      await german.goto(`${gw.url}/`);
      expect(await german.locator("html").getAttribute("lang")).toBe("de");
      await german.getByTestId("credential-input").fill(corpusText(SEALED));
      await german.getByTestId("verify").click();
      await german.getByTestId("verdict").waitFor();
      expect(await german.getByTestId("verdict").textContent()).toBe(
        "Gültige Signatur, aber der Aussteller ist nicht bestätigt",
      );
      // 27 September 2023 as Intl writes it for de-DE (CLDR: "d. MMMM y").
      expect(await german.getByTestId("summary-date").textContent()).toBe("27. September 2023");
    } finally {
      await browser.close();
    }
  });

  it("follows the switch to German: the words, the element names and the date change", async () => {
    await pasteAndVerify(corpusText(SEALED));

    await page.getByLabel("Language").selectOption("de");

    expect(await page.getByTestId("verdict").textContent()).toBe(
      "Gültige Signatur, aber der Aussteller ist nicht bestätigt",
    );
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(await page.getByRole("button", { name: "Prüfen" }).count()).toBe(1);
    expect(await page.locator("#elements dt").allTextContents()).toContain("Lernergebnisse");
    expect(await page.locator("details summary").textContent()).toBe("Technische Details");
    expect(await page.getByTestId("summary-date").textContent()).toBe("27. September 2023");
    expect(await seriousViolations()).toEqual([]);
    await page.getByLabel("Sprache").selectOption("en");
    expect(await page.getByTestId("verify").textContent()).toBe("Verify");
  });

  it("shows the proof error for a tampered copy", async () => {
    const envelope = JSON.parse(corpusText(SEALED)) as { payload: string };
    const tampered = envelope.payload.replace(/"issued":"\d{4}/, (m) => `${m.slice(0, -4)}1999`);
    expect(tampered).not.toBe(envelope.payload);

    await pasteAndVerify(JSON.stringify({ ...envelope, payload: tampered }));

    expect((await verdict()).status).toBe("invalid");
    expect(await cardColour()).toBe("rgb(198, 40, 40)");
    expect(await page.getByTestId("reasons").textContent()).toMatch(/changed after it was signed/);
    // The awarding body is still named, from the (tampered) payload, with the words "not valid".
    expect(await page.getByTestId("verdict-summary").textContent()).toMatch(/University of Zed.*not valid/);
    const [, status, detail] = await checkRow("proof");
    expect(status).toBe("error");
    expect(detail).toMatch(/^JAdES seal: /);
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "tampered.png"), fullPage: true });
  });
});

/** Issues `credential` through the gateway as the registered issuer; the signed credential (object, JWT or envelope). */
async function issued(credential: Record<string, unknown>, options: Record<string, unknown>): Promise<unknown> {
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token: issuer.token,
    json: { credential, options: { issuer: issuer.id, ...options } },
  });
  if (res.status !== 201) throw new Error(`issuance failed (${res.status}): ${res.text.slice(0, 300)}`);
  return res.json.verifiableCredential;
}

/** The EC's unsigned micro-credential sample under a fresh id (the gateway never issues one id twice). */
const elmCredential = (): Record<string, unknown> => ({
  ...corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
  id: `urn:credential:${crypto.randomUUID()}`,
});

describe("the verifier page: one credential of each kind the gateway issues, and baked badges", () => {
  it.each([
    ["an eddsa-rdfc-2022 OB 3.0 credential", () => issued(unsignedOb3Credential(), {}), /eddsa-rdfc-2022/],
    ["a VC-JWT OB 3.0 credential", () => issued(unsignedOb3Credential(), { proof: "vc-jwt" }), /JWT/],
    ["a JAdES-sealed ELM credential", () => issued(elmCredential(), { format: "elm" }), /^JAdES seal/],
  ])("pasting %s shows green: valid, the registered issuer trusted", async (_name, issue, proofDetail) => {
    // Prepare
    const vc = await issue();
    // Act
    await pasteAndVerify(typeof vc === "string" ? vc : JSON.stringify(vc, null, 2));
    // Assess
    expect(await verdict()).toEqual({ status: "valid-trusted", text: "Valid, and the issuer is confirmed" });
    expect(await cardColour()).toBe("rgb(26, 127, 55)");
    expect(await page.getByTestId("summary-awarding-body").textContent()).toMatch(/\S/);
    const [, proof, detail] = await checkRow("proof");
    expect(proof).toBe("ok");
    expect(detail).toMatch(proofDetail);
    const [, trust, trustDetail] = await checkRow("trust");
    expect(trust).toBe("ok");
    expect(trustDetail).toMatch(/^issued by a registered issuer of this gateway/);
    expect(await page.locator("#baked-credential").count()).toBe(0);
  });

  it("choosing the 1EdTech validator's baked PNG shows its preview, 'verified' with trust skipped (an example issuer on no list) and the credential taken out of it", async () => {
    // Prepare
    await page.goto(`${gw.url}/`);
    // Act
    await page.getByLabel("Or choose a file").setInputFiles(corpusPath(BAKED_PNG));
    await page.locator("#verdict").waitFor();
    // Assess
    expect(await page.locator("#image-preview img").getAttribute("src")).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect((await verdict()).status).toBe("valid-issuer-unknown");
    const [, proof, proofDetail] = await checkRow("proof");
    expect(proof).toBe("ok");
    expect(proofDetail).toMatch(/^the eddsa-rdfc-2022 Data Integrity proof verified/);
    expect((await checkRow("trust"))[1]).toBe("skipped");
    expect(await page.locator("#warnings li").allTextContents()).toContain(
      "the credential was read from a baked PNG image (Open Badges 3.0 baking)",
    );
    const baked = await page.locator("#baked-credential").textContent();
    expect(JSON.parse(baked ?? "")).toMatchObject({ type: expect.arrayContaining(["OpenBadgeCredential"]) });
    await page.screenshot({ path: join(shots, "baked-png.png"), fullPage: true });
  });

  it("dropping an SVG with a gateway-issued VC-JWT baked in shows 'verified'; a plain image gets the reason", async () => {
    // Prepare
    const jwt = (await issued(unsignedOb3Credential(), { proof: "vc-jwt" })) as string;
    const baked = bakeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>',
      jwt,
    );
    if (!baked.ok) throw new Error(baked.issues[0]?.message);
    await page.goto(`${gw.url}/`);
    // Act
    await dropFile("badge.svg", "image/svg+xml", baked.value);
    await page.locator("#verdict").waitFor();
    // Assess
    expect((await verdict()).status).toBe("valid-trusted");
    expect((await checkRow("proof"))[1]).toBe("ok");
    expect(await page.locator("#baked-credential").textContent()).toBe(jwt);
    expect(await page.locator("#image-preview img").getAttribute("alt")).toBe("The badge image badge.svg");

    // Act: an SVG with nothing baked in.
    await page.goto(`${gw.url}/`);
    await dropFile("plain.svg", "image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await page.locator("#verdict").waitFor();
    // Assess
    expect(await verdict()).toEqual({ status: "not-checked", text: "Not checked" });
    expect(await page.locator("#problem").textContent()).toMatch(/the image holds no readable credential/);
  });
});

describe("the verifier page: a revoked credential", () => {
  it("shows red with the plain reason: the issuer has revoked it", async () => {
    const vc = (await issued(unsignedOb3Credential(), {})) as Record<string, unknown>;
    const revoked = await gw.call("POST", `/v1/credentials/${encodeURIComponent(String(vc.id))}/revoke`, {
      token: issuer.token,
      json: { action: "revoke" },
    });
    expect(revoked.status, revoked.text).toBe(200);

    await pasteAndVerify(JSON.stringify(vc));

    expect((await verdict()).status).toBe("invalid");
    expect(await cardColour()).toBe("rgb(198, 40, 40)");
    expect(await page.getByTestId("reasons").textContent()).toBe("The issuer has revoked this credential.");
    expect(await seriousViolations()).toEqual([]);
  });
});

describe.runIf(SCREENSHOTS)("screenshots of the verifier page for docs/", () => {
  it.each([
    ["desktop", 1280, 900],
    ["phone", 390, 844],
  ])("%s", async (name, width, height) => {
    const dir = SCREENSHOTS as string;
    mkdirSync(dir, { recursive: true });
    await page.setViewportSize({ width, height });
    await pasteAndVerify(corpusText(SEALED));
    await page.screenshot({ path: join(dir, `verifier-page-${name}.png`), fullPage: true });
    expect(statSync(join(dir, `verifier-page-${name}.png`)).size).toBeGreaterThan(0);
  });
});

/** Drops a file on the credential box as a person dragging it from their desktop would (a DataTransfer with a File). */
async function dropFile(name: string, type: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, type, text }) => {
      // Runs in the page; the project's tsconfig has no DOM lib, so the two browser classes are typed here.
      const browser = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: string[], name: string, options: { type: string }) => unknown;
      };
      const dt = new browser.DataTransfer();
      dt.items.add(new browser.File([text], name, { type }));
      return dt;
    },
    { name, type, text },
  );
  await page.locator("#credential").dispatchEvent("drop", { dataTransfer: transfer });
}
