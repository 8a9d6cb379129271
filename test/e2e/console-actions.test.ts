import "../../functions/proofs/reflect-metadata.js";
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Pkcs10CertificateRequest } from "@peculiar/x509";
import { parse } from "csv-parse/sync";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalDeliveryWorker, startLocalDeliveryWorker } from "../../functions/local/delivery-worker.js";
import { startWalletEmulator, type WalletEmulator } from "../../functions/local/wallet-emulator.js";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { seriousViolations } from "../support/axe.js";
import { type Browser, launchChromium } from "../support/chromium.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { schemaErrors } from "../support/ob3.js";

// The console's registrar actions in Debian's headless Chromium against a local gateway with the Europass wallet
// emulator: correcting the column mapping, row errors shown while the job runs, revoking and delivering issued
// credentials, the issuer's profile, and the German words. Every expected value comes from outside the gateway: the
// sheet's cells read by csv-parse, the OB 3.0 JSON Schema, the W3C Bitstring Status List encoding decoded here, the
// CSR parsed and verified by @peculiar/x509, the wallet emulator's own record of what it holds, axe-core.

// biome-ignore lint/suspicious/noExplicitAny: JSON answers and documents, probed member by member
type Json = Record<string, any>;

const ORIGINAL = readFileSync("docs/examples/registrar-en.csv", "utf8");
/** The English example with its title column renamed to a header no profile knows (the reader finds no title). */
const RENAMED = ORIGINAL.replace(/^([^\n]*)course_title/, "$1offering");
const records: Record<string, string>[] = parse(RENAMED, { columns: true, skip_empty_lines: true });
/** Spreadsheet row numbers (header = row 1) of rows with and without a title cell. */
const titledRows = records.flatMap((r, i) => ((r.offering ?? "") !== "" ? [i + 2] : []));
const untitledRows = records.flatMap((r, i) => ((r.offering ?? "") === "" ? [i + 2] : []));

let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let wallet: WalletEmulator;
let jobs: LocalWorker;
let deliveries: LocalDeliveryWorker;
let browser: Browser | undefined;
let page: Page;
let issuer: RegisteredIssuer;
const problems: string[] = [];

beforeAll(async () => {
  db = await startDynalite();
  wallet = await startWalletEmulator({ seed: 3 });
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024),
      GATEWAY_WALLET_URL: wallet.url,
      GATEWAY_WALLET_ALLOW_LOOPBACK: "on",
    },
  });
  // A slow queue consumer: the job stays queued for a while after it is created, so that what the page shows before
  // it completes can be observed.
  jobs = startLocalWorker(gw.deps, { intervalMs: 1500 });
  deliveries = startLocalDeliveryWorker(gw.deps, { intervalMs: 50 });
  browser = await launchChromium("gw-e2e-console-actions-", { locale: "en-GB", acceptDownloads: true });
  page = browser.page;
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  issuer = await registerIssuer(gw, { name: "Shannon Valley University", country: "IE", testIssuer: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await deliveries?.stop();
  await jobs?.stop();
  await gw?.close();
  await wallet?.close();
  await db?.stop();
});

async function signIn(): Promise<void> {
  await page.goto(`${gw.url}/console`);
  await page.getByTestId("issuer").fill(issuer.id);
  await page.getByTestId("token").fill(issuer.token);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("who").filter({ hasText: "Shannon Valley University" }).waitFor();
}

async function chooseSheet(name: string, text: string): Promise<void> {
  await page.getByTestId("file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
}

const column = (header: string) => page.locator(`[data-testid=column-field][data-header="${header}"]`);

/** Issues the sheet as a job and waits until the page has shown its end (its results fetched and listed). */
async function issueAndWait(): Promise<void> {
  await page.getByTestId("issue").click();
  await page.locator("[data-testid=job-status][data-done=true]").waitFor({ timeout: 90_000 });
}

async function resultLines(): Promise<Json[]> {
  const list = await gw.call("GET", "/v1/jobs", { token: issuer.token });
  const newest = list.json.items[0].id;
  const res = await gw.call("GET", `/v1/jobs/${newest}/results`, { token: issuer.token });
  return res.text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** W3C Bitstring Status List v1.0 §3.2: multibase base64url of the GZIP'd bitstring; index 0 is the first bit. */
function bitOf(encodedList: string, index: number): boolean {
  expect(encodedList.startsWith("u")).toBe(true);
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), "base64url"));
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

describe("the console's registrar actions in Chromium", () => {
  it("maps a column the reader did not know, re-runs the dry run with it, and the job issues with that mapping", async () => {
    await signIn();
    await chooseSheet("renamed.csv", RENAMED);
    // Without a title column the dry run is refused; the columns are still listed, to be mapped.
    await page.getByTestId("preview-status").filter({ hasText: "could not be read" }).waitFor();
    await column("offering").waitFor();
    expect((await seriousViolations(page)).join("\n")).toBe("");

    await column("offering").selectOption("title");
    await page.getByTestId("preview-row").first().waitFor();
    const rows = await page.getByTestId("preview-row").allTextContents();
    expect(rows).toHaveLength(records.length);
    for (const [i, r] of records.entries()) if (r.offering) expect(rows[i]).toContain(r.offering);
    // A second change keeps the first: the re-run shows both.
    await column("result").selectOption("ignore");
    await page.getByTestId("preview-status").filter({ hasText: "Preview of renamed.csv" }).waitFor();
    await page.waitForFunction(() => {
      const select = (
        globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }
      ).document.querySelector('[data-header="result"]');
      return select?.value === "ignore";
    });
    expect(await column("offering").inputValue()).toBe("title");
    expect((await seriousViolations(page)).join("\n")).toBe("");

    // Row errors: installed before the job starts, an observer notes the job status when the first one is shown.
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: Json }).document;
      const list = doc.getElementById("row-errors");
      const Observer = (globalThis as unknown as { MutationObserver: new (cb: () => void) => Json }).MutationObserver;
      new Observer(() => {
        if (list.children.length > 0 && doc.body.dataset.firstRowErrorAt === undefined)
          doc.body.dataset.firstRowErrorAt = doc.getElementById("job-status").textContent;
      }).observe(list, { childList: true });
    });
    await issueAndWait();
    expect(await page.getByTestId("job-status").textContent()).toMatch(/^completed/);
    const shownWhile = await page.evaluate(
      () => (globalThis as unknown as { document: Json }).document.body.dataset.firstRowErrorAt,
    );
    expect(shownWhile).toMatch(/^(queued|running)/);
    const errors = await page.getByTestId("row-error").allTextContents();
    expect(errors.map((e) => Number(/^Row (\d+):/.exec(e)?.[1]))).toEqual(untitledRows);
    for (const e of errors) expect(e).toContain("offering");

    // The job used the mapping: each titled row's OB 3.0 credential is named by its cell and meets the OB 3.0 schema.
    const lines = await resultLines();
    for (const row of titledRows) {
      const vc = lines.find((l) => l.row === row)?.verifiableCredential;
      expect(vc?.credentialSubject?.achievement?.name).toBe(records[row - 2]?.offering);
      const { proof, ...unsigned } = vc;
      expect(proof).toBeDefined();
      // The schema is held against the credential; its Proof shape (1EdTech's, not Data Integrity's) is not ours.
      expect(schemaErrors(unsigned)).toEqual([]);
    }
    expect(await page.getByTestId("issued-row").count()).toBe(titledRows.length);
    expect((await seriousViolations(page)).join("\n")).toBe("");
  }, 180_000);

  it("revokes one issued credential: its bit is set in the published status list, a neighbour's is not", async () => {
    const lines = await resultLines();
    const [first, second] = titledRows.map((row) => lines.find((l) => l.row === row)?.verifiableCredential);
    const target = page.getByTestId("issued-row").first();
    await target.getByTestId("revoke").click();
    await target.getByTestId("revoke-confirm").click();
    await target.getByTestId("issued-state").filter({ hasText: "revoked" }).waitFor();

    const entry = first.credentialStatus;
    const list = await gw.call("GET", new URL(entry.statusListCredential).pathname);
    expect(list.status).toBe(200);
    expect(bitOf(list.json.credentialSubject.encodedList, Number(entry.statusListIndex))).toBe(true);
    expect(second.credentialStatus.statusListCredential).toBe(entry.statusListCredential);
    expect(bitOf(list.json.credentialSubject.encodedList, Number(second.credentialStatus.statusListIndex))).toBe(false);
  }, 60_000);

  it("delivers a sealed ELM credential to the learner's Europass wallet", async () => {
    // EDC's application profile wants each assessment's grade: the ignored grade column is mapped again first (an
    // ELM dry run without it shows every row failing that constraint, and Issue stays disabled).
    await column("result").selectOption("");
    await page.getByTestId("format").selectOption("elm");
    await page.getByTestId("preview-status").filter({ hasText: "Preview of renamed.csv" }).waitFor();
    await expect.poll(() => page.getByTestId("issue").isEnabled(), { timeout: 30_000 }).toBe(true);
    await issueAndWait();
    const target = page.getByTestId("issued-row").first();
    await target.getByTestId("deliver").click();
    const email = records[(titledRows[0] as number) - 2]?.email as string;
    await target
      .getByTestId("issued-state")
      .filter({ hasText: `delivered to ${email}` })
      .waitFor({ timeout: 60_000 });

    const lines = await resultLines();
    const envelope = lines.find((l) => l.row === titledRows[0])?.verifiableCredential;
    const id = JSON.parse(envelope.payload).id;
    expect(wallet.held().map((h) => h.credentialId)).toContain(id);
    expect((await seriousViolations(page)).join("\n")).toBe("");
  }, 180_000);

  it("shows the issuer's profile: the published keys, the certificate and a CSR for its RSA key", async () => {
    await page.locator("#profile-section summary").click();
    await page.getByTestId("profile-show").click();
    await page.getByTestId("key-jwk").first().waitFor();
    const shown = (await page.getByTestId("key-jwk").allTextContents()).map((t) => JSON.parse(t));
    const published = (await gw.call("GET", `/issuers/${issuer.slug}/jwks.json`)).json.keys as Json[];
    const strip = ({ kid: _kid, alg: _alg, use: _use, ...key }: Json) => JSON.stringify(key, Object.keys(key).sort());
    expect(shown.map(strip).sort()).toEqual(published.map(strip).sort());
    expect(await page.getByTestId("certificate-row").count()).toBeGreaterThan(0);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csr-download").click()]);
    const csr = new Pkcs10CertificateRequest(readFileSync((await download.path()) as string, "utf8"));
    expect(await csr.verify()).toBe(true);
    const rsa = shown.find((k) => k.kty === "RSA") as Json;
    const spki = createPublicKey({ key: rsa, format: "jwk" }).export({ type: "spki", format: "der" });
    expect(Buffer.from(csr.publicKey.rawData).equals(spki)).toBe(true);
    expect((await seriousViolations(page)).join("\n")).toBe("");
  }, 60_000);

  it("switches to German: the words change, the columns stay mapped, axe finds nothing serious", async () => {
    await page.getByTestId("language").selectOption("de");
    await page.locator("h1").filter({ hasText: "Konsole für Registrare" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(await page.getByTestId("issue").textContent()).toBe("Alle Zeilen als Auftrag ausstellen");
    expect(await column("offering").getAttribute("aria-label")).toBe("Feld für Spalte offering");
    expect(await column("offering").inputValue()).toBe("title");
    expect(await column("offering").locator("option:checked").textContent()).toBe("Titel (title)");
    expect((await page.getByTestId("row-error").first().textContent()) ?? "").toMatch(/^Zeile \d+:/);
    expect((await seriousViolations(page)).join("\n")).toBe("");
    // The one console error is the browser's note of the refused dry run (a sheet without a title column: 422).
    expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  }, 60_000);
});

describe("the console in a German browser", () => {
  it("opens in German and is axe clean", async () => {
    const german = await launchChromium("gw-e2e-console-de-", { locale: "de-DE" });
    try {
      await german.page.goto(`${gw.url}/console`);
      await german.page.locator("h1").filter({ hasText: "Konsole für Registrare" }).waitFor();
      expect(await german.page.getByTestId("sign-in").textContent()).toBe("Anmelden");
      expect(await german.page.locator("html").getAttribute("lang")).toBe("de");
      expect(await seriousViolations(german.page)).toEqual([]);
    } finally {
      await german.close();
    }
  }, 60_000);
});
