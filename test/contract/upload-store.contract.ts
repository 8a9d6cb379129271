/**
 * The behaviour every {@link UploadStore} must have, through real HTTP PUTs to the URLs it pre-signs. Each test gets a
 * fresh store from the factory.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { UploadStore, UploadTarget } from "../../functions/kernel/ports/index.js";

export interface UploadWorld {
  store: UploadStore;
  /** A store over the same storage whose clock is off by `seconds` (to make URLs that expired without waiting). */
  withClockOffset?(seconds: number): UploadStore;
}

export interface UploadContractOptions {
  /**
   * Whether the storage behind the URL checks the signature (key, content type) and expiry. moto's S3 does not
   * check pre-signed URLs (it accepts any), so on moto those tests are left to AWS; the local adapter checks them.
   */
  checksSignatures: boolean;
}

const CONTENT_TYPE = "application/octet-stream";

async function put(target: UploadTarget, body: Buffer | string, headers = target.headers, url = target.url) {
  return fetch(url, { method: target.method, headers, body });
}

async function readAll(stream: AsyncIterable<Uint8Array> | undefined): Promise<Buffer | undefined> {
  if (!stream) return undefined;
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

export function uploadStoreContract(
  name: string,
  makeWorld: () => Promise<UploadWorld>,
  options: UploadContractOptions,
): void {
  describe(`UploadStore contract: ${name}`, () => {
    it("takes a PUT to its pre-signed URL and streams the same bytes back; stat gives the size", async () => {
      // Prepare
      const { store } = await makeWorld();
      const key = `jobs/${crypto.randomUUID()}/input`;
      const bytes = randomBytes(300_000);
      const target = await store.createUploadUrl(key, { expiresInSeconds: 900, contentType: CONTENT_TYPE });

      // Act
      const res = await put(target, bytes);

      // Assess
      expect(res.status, await res.text()).toBe(200);
      expect(target.method).toBe("PUT");
      expect(target.headers).toEqual({ "content-type": CONTENT_TYPE });
      expect(Date.parse(target.expiresAt) - Date.now()).toBeGreaterThan(890_000);
      expect(await store.stat(key)).toEqual({ size: bytes.length });
      expect((await readAll(await store.open(key)))?.equals(bytes)).toBe(true);
    });

    it("has nothing under a key never uploaded, and deletes an upload", async () => {
      // Prepare
      const { store } = await makeWorld();
      const key = `jobs/${crypto.randomUUID()}/input`;
      const target = await store.createUploadUrl(key, { expiresInSeconds: 60, contentType: CONTENT_TYPE });
      expect((await put(target, "row\n")).status).toBe(200);

      // Act
      await store.delete(key);
      await store.delete(key);

      // Assess
      expect(await store.stat(key)).toBeUndefined();
      expect(await store.open(key)).toBeUndefined();
      expect(await store.stat(`jobs/${crypto.randomUUID()}/input`)).toBeUndefined();
    });

    it("replaces an upload PUT again to the same URL", async () => {
      // Prepare
      const { store } = await makeWorld();
      const key = `jobs/${crypto.randomUUID()}/input`;
      const target = await store.createUploadUrl(key, { expiresInSeconds: 60, contentType: CONTENT_TYPE });
      await put(target, "first version, longer\n");

      // Act
      const res = await put(target, "second\n");

      // Assess
      expect(res.status).toBe(200);
      expect((await readAll(await store.open(key)))?.toString()).toBe("second\n");
    });

    it.runIf(options.checksSignatures)(
      "refuses a PUT to another key, with another content type, or after expiry",
      async () => {
        // Prepare
        const world = await makeWorld();
        const key = `jobs/${crypto.randomUUID()}/input`;
        const target = await world.store.createUploadUrl(key, { expiresInSeconds: 60, contentType: CONTENT_TYPE });
        const otherKey = `jobs/${crypto.randomUUID()}/input`;

        // Act
        const moved = await put(target, "x", target.headers, target.url.replace(key, otherKey));
        const retyped = await put(target, "x", { "content-type": "text/html" });
        const expiredTarget = await world.withClockOffset?.(-120).createUploadUrl(key, {
          expiresInSeconds: 60,
          contentType: CONTENT_TYPE,
        });
        const expired = expiredTarget ? await put(expiredTarget, "x") : undefined;

        // Assess
        expect(moved.status).toBe(403);
        expect(retyped.status).toBe(403);
        expect(expired?.status).toBe(403);
        expect(await world.store.stat(key)).toBeUndefined();
        expect(await world.store.stat(otherKey)).toBeUndefined();
      },
    );
  });
}
