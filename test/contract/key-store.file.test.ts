import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileKeyStore } from "../../functions/adapters/local/file-keys.js";
import { GatewayError } from "../../functions/kernel/errors.js";
import { ALL_KEY_TYPES, keyStoreContract } from "./key-store.contract.js";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "file-keys-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A store over a new directory (not created yet: the store makes it). */
async function aStoreDir(): Promise<string> {
  return join(await mkdtemp(join(root, "case-")), "keys");
}

keyStoreContract({
  name: "FileKeyStore",
  create: async () => {
    const dir = await aStoreDir();
    return { store: new FileKeyStore({ dir }), reopen: () => new FileKeyStore({ dir }) };
  },
  keyTypes: ALL_KEY_TYPES,
  largeMessages: true,
});

keyStoreContract({
  name: "FileKeyStore limited to P-256",
  create: async () => {
    const dir = await aStoreDir();
    const options = { dir, keyTypes: ["P-256" as const] };
    return { store: new FileKeyStore(options), reopen: () => new FileKeyStore(options) };
  },
  keyTypes: ["P-256"],
  largeMessages: true,
});

describe("FileKeyStore files", () => {
  it("keeps each private key in its own owner-only file, in a directory only the owner can enter", async () => {
    // Prepare
    const dir = await aStoreDir();
    const store = new FileKeyStore({ dir });
    // Act
    const key = await store.createKey("Ed25519", { issuerId: "did:web:x" });
    // Assess
    expect(await readdir(dir)).toEqual([`${key.keyRef}.json`]);
    expect((await stat(join(dir, `${key.keyRef}.json`))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o077).toBe(0);
    const file = JSON.parse(await readFile(join(dir, `${key.keyRef}.json`), "utf8"));
    expect(file.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(file).toMatchObject({ keyRef: key.keyRef, type: "Ed25519", issuerId: "did:web:x" });
  });

  it("uses key references that are safe as file names", async () => {
    // Prepare
    const store = new FileKeyStore({ dir: await aStoreDir() });
    // Act
    const key = await store.createKey("P-256", { issuerId: "did:web:x" });
    // Assess
    expect(key.keyRef).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each(["../escape", "a/b", "..", "", "key.json", "%2e%2e"])(
    "treats the reference %j as unknown instead of reading outside its directory",
    async (keyRef) => {
      // Prepare
      const store = new FileKeyStore({ dir: await aStoreDir() });
      // Act
      const error = await store.getPublicKey(keyRef).catch((reason: unknown) => reason);
      // Assess
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe("not-found");
    },
  );

  it("refuses a key file whose declared type does not match the key it holds", async () => {
    // Prepare
    const dir = await aStoreDir();
    const key = await new FileKeyStore({ dir }).createKey("P-256", { issuerId: "did:web:x" });
    const path = join(dir, `${key.keyRef}.json`);
    const file = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...file, type: "Ed25519" }));
    // Act
    const error = await new FileKeyStore({ dir }).sign(key.keyRef, "EdDSA", new Uint8Array(1)).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("internal");
  });

  it("refuses to sign with a key file that names no owning issuer, so that no key escapes the owner check", async () => {
    // Prepare
    const dir = await aStoreDir();
    const key = await new FileKeyStore({ dir }).createKey("P-256", { issuerId: "uni-a" });
    const path = join(dir, `${key.keyRef}.json`);
    const { issuerId: _owner, ...file } = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify(file));
    // Act
    const error = await new FileKeyStore({ dir }).sign(key.keyRef, "ES256", new Uint8Array(1)).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("internal");
  });
});
