import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
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
