import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bakeSvg } from "../../mappings/ob3/baked.js";
import { corpusJson, corpusPath, corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// The verifier page in Debian's headless Chromium, driven by playwright-core, against a real local gateway: a person
// pastes the EC's sealed micro-credential sample and a tampered copy, one credential of each kind the gateway issues,
// chooses the 1EdTech validator's baked PNG as a file and drops a baked SVG, and reads the checks. Runs only where
// /usr/bin/chromium exists (vitest.config.ts).
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SEALED = "elm/samples/Sample-MC-Annex1-signed.jsonld";
const BAKED_PNG = "ob3/validator-fixtures/simple-json.png";

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let profile: string;
let shots: string;
let context: BrowserContext;
let page: Page;
let issuer: RegisteredIssuer;

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
  issuer = await registerIssuer(gw, { name: "Page Test University", country: "IE", legalIdentifier: "IE-PAGE-1" });
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
  ])("pasting %s shows 'verified', proof ok and the registered issuer trusted", async (_name, issue, proofDetail) => {
    // Prepare
    const vc = await issue();
    // Act
    await pasteAndVerify(typeof vc === "string" ? vc : JSON.stringify(vc, null, 2));
    // Assess
    expect(await page.locator("#verdict").textContent()).toBe("verified");
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
    expect(await page.locator("#verdict").textContent()).toBe("verified");
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
    expect(await page.locator("#verdict").textContent()).toBe("verified");
    expect((await checkRow("proof"))[1]).toBe("ok");
    expect(await page.locator("#baked-credential").textContent()).toBe(jwt);
    expect(await page.locator("#image-preview img").getAttribute("alt")).toBe("The badge image badge.svg");

    // Act: an SVG with nothing baked in.
    await page.goto(`${gw.url}/`);
    await dropFile("plain.svg", "image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await page.locator("#verdict").waitFor();
    // Assess
    expect(await page.locator("#verdict").textContent()).toBe("not checked");
    expect(await page.locator("#problem").textContent()).toMatch(/the image holds no readable credential/);
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
