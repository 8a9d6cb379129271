import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm start` as a user runs it: a separate process with its embedded dynalite on disk and a file key store.
const dataDir = mkdtempSync(join(tmpdir(), "gw-local-"));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  url: string;
  output: string;
  stop(): Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/local/server.ts"], {
    env: { ...process.env, PORT: "0", GATEWAY_DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: "SILENT", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          output,
          stop: () =>
            new Promise((done) => {
              child.once("exit", (code) => done(code));
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

describe("npm start (the local gateway process)", () => {
  it("generates and prints an admin token when none is set", async () => {
    const s = await startServer({ GATEWAY_ADMIN_TOKEN: "" });

    const token = /admin token[^:]*: (\S+)/.exec(s.output)?.[1];
    const res = await fetch(`${s.url}/v1/issuers`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Generated Token College", country: "IE" }),
    });

    expect(res.status).toBe(201);
    expect(await s.stop()).toBe(0);
  });

  it("serves health, registers an issuer, publishes its did:web, and keeps it across a restart", async () => {
    const env = { GATEWAY_ADMIN_TOKEN: "local-admin", GATEWAY_PUBLIC_URL: "https://gw.example.org" };
    const first = await startServer(env);
    expect(((await (await fetch(`${first.url}/health`)).json()) as { status: string }).status).toBe("ok");
    const created = await fetch(`${first.url}/v1/issuers`, {
      method: "POST",
      headers: { authorization: "Bearer local-admin", "content-type": "application/json" },
      body: JSON.stringify({ name: "University of Zed", country: "IE", slug: "uni-zed" }),
    });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    const before = (await (await fetch(`${first.url}/issuers/uni-zed/did.json`)).json()) as { id: string };
    expect(id).toBe("did:web:gw.example.org:issuers:uni-zed");
    expect(before.id).toBe(id);
    expect(await first.stop()).toBe(0);

    const second = await startServer(env);
    const after = await (await fetch(`${second.url}/issuers/uni-zed/did.json`)).json();
    const own = await fetch(`${second.url}/v1/issuers/uni-zed`, { headers: { authorization: `Bearer ${token}` } });

    expect(after).toEqual(before);
    expect(own.status).toBe(200);
    expect(await second.stop()).toBe(0);
  });
});
