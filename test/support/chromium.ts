/**
 * Debian's headless Chromium for the e2e tests, driven by playwright-core (which never downloads a browser): a fresh,
 * empty profile and no background networking (these machines have no network beyond loopback).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Starts Chromium on a new profile under the temp dir (`name` prefixes it); `locale` and downloads as asked. */
export async function launchChromium(
  name: string,
  options: { locale?: string; acceptDownloads?: boolean } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), name));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...options,
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
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
