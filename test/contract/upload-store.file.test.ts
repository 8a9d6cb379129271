import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileUploadStore } from "../../functions/adapters/local/file-uploads.js";
import { uploadStoreContract } from "./upload-store.contract.js";

// The local adapter behind a real HTTP server that hands requests to it, as the local gateway does.
let server: Server;
let url: string;
const dirs: string[] = [];
let current: FileUploadStore | undefined;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (!(await current?.receive(req, res))) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

uploadStoreContract(
  "FileUploadStore behind an HTTP server",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-uploads-"));
    dirs.push(dir);
    const make = (offsetSeconds = 0) =>
      new FileUploadStore({
        dir,
        publicUrl: url,
        maxBytes: 1024 * 1024,
        now: () => new Date(Date.now() + offsetSeconds * 1000),
      });
    current = make();
    return { store: current, withClockOffset: (seconds) => make(seconds) };
  },
  { checksSignatures: true },
);

describe("FileUploadStore's PUT", () => {
  it("answers a malformed percent-encoding in the key with 403, as any key it never signed", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), "gw-uploads-"));
    dirs.push(dir);
    current = new FileUploadStore({ dir, publicUrl: url, maxBytes: 1024 });
    const signed = await current.createUploadUrl("jobs/abc/input", {
      expiresInSeconds: 60,
      contentType: "application/octet-stream",
    });
    const target = signed.url.replace("jobs/abc/input", "jobs/%E0%A4%A/input");
    // Act
    const response = await fetch(target, {
      method: "PUT",
      headers: signed.headers,
      body: "a,b\n1,2\n",
      signal: AbortSignal.timeout(5000),
    });
    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ status: 403 });
    expect(await current.stat("jobs/abc/input")).toBeUndefined();
  });
});
