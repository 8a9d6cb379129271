import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWalletEmulator, type WalletEmulator } from "../../functions/local/wallet-emulator.js";
import { type ElmSealer, makeElmSealer } from "../support/sealed-elm.js";
import { sized } from "../support/size.js";

// Issue 9's "done when": with the wallet emulator failing half its calls (30 % answered 503, 20 % done but never
// answered), 1,000 deliveries all end delivered or failed with a reason, the wallet holds each credential once, and
// nothing is lost when the local gateway (`npm start`, a real second process) is killed mid-run and started again.
// `npm test` runs 200: the seeded faults still give dozens of 503s, of deliveries done but never answered (so
// duplicates to suppress) and of deliveries pending at the crash, which is what the test is about; the full 1,000 run in
// `npm run test:full`.
const DELIVERIES = sized(200, 1_000);
const ADMIN = "deliveries-admin-token";
const dataDir = mkdtempSync(join(tmpdir(), "gw-deliveries-"));
const children: ChildProcess[] = [];
let wallet: WalletEmulator;
let sealer: ElmSealer;

interface Started {
  url: string;
  child: ChildProcess;
}

function startGateway(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/local/server.ts"], {
    env: {
      ...process.env,
      PORT: "0",
      GATEWAY_DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: "SILENT",
      // No local bridge issuer: this test's gateway holds only what it registers.
      GATEWAY_LOCAL_DEFAULTS: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
}

/** A crash, not a shutdown: the process gets no chance to finish anything. */
function kill(started: Started): Promise<void> {
  return new Promise((done) => {
    started.child.once("exit", () => done());
    started.child.kill("SIGKILL");
  });
}

async function pool<T, R>(items: T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await work(items[index] as T, index);
      }
    }),
  );
  return out;
}

beforeAll(async () => {
  wallet = await startWalletEmulator({ seed: 20_261_123, faults: { failRate: 0.3, timeoutRate: 0.2, hangMs: 1_000 } });
  sealer = await makeElmSealer("elm/samples/credential-sample.jsonld");
});

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await wallet?.close();
  sealer?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`${DELIVERIES} deliveries through a wallet failing half its calls, across a gateway crash`, () => {
  it("ends every delivery delivered (or failed with a reason) with each credential held once", async () => {
    // Prepare
    const env = {
      GATEWAY_ADMIN_TOKEN: ADMIN,
      GATEWAY_RATE_LIMIT: "off",
      GATEWAY_WALLET_URL: wallet.url,
      GATEWAY_WALLET_ALLOW_LOOPBACK: "on",
      GATEWAY_WALLET_TIMEOUT_MS: "800",
      GATEWAY_DELIVERY_CONCURRENCY: "64",
      GATEWAY_DELIVERY_RETRY_BASE_MS: "500",
      GATEWAY_DELIVERY_RETRY_MAX_MS: "2000",
      GATEWAY_DELIVERY_MAX_ATTEMPTS: "12",
    };
    let gateway = await startGateway(env);
    const registered = await fetch(`${gateway.url}/v1/issuers`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Delivery University", country: "IE" }),
    });
    const { token } = (await registered.json()) as { token: string };
    const envelopes = await pool(
      Array.from({ length: DELIVERIES }, (_, i) => i),
      4,
      () => sealer.seal(),
    );
    const credentialIds = envelopes.map((e) => JSON.parse(e.payload).id as string);

    // Act: queue half the deliveries, crash the gateway while they are being delivered, start it again on the same
    // data and queue the other half.
    const post = (url: string) => async (credential: unknown, i: number) => {
      const res = await fetch(`${url}/v1/deliveries`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ credential, recipient: { email: `learner${i % 97}@example.org` } }),
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    const half = DELIVERIES / 2;
    const ids = await pool(envelopes.slice(0, half), 16, post(gateway.url));
    const heldAtCrash = wallet.held().length;
    await kill(gateway);
    gateway = await startGateway(env);
    ids.push(...(await pool(envelopes.slice(half), 16, post(gateway.url))));
    const deadline = Date.now() + 150_000;
    // The wallet holds what was delivered; the gateway is asked once the wallet stops changing, and again for what is
    // still pending (a few retries wait seconds).
    let seen = -1;
    while (wallet.stats().requests !== seen && Date.now() < deadline) {
      seen = wallet.stats().requests;
      await new Promise((r) => setTimeout(r, 1_500));
    }
    const views = new Map<
      string,
      { status: string; attempts: number; lastError: string | null; credentialId: string }
    >();
    while (views.size < DELIVERIES && Date.now() < deadline) {
      const open = ids.filter((id) => !views.has(id));
      await pool(open, 8, async (id) => {
        const res = await fetch(`${gateway.url}/v1/deliveries/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const view = (await res.json()) as {
          status: string;
          attempts: number;
          lastError: string | null;
          credentialId: string;
        };
        if (view.status !== "pending") views.set(id, view);
      });
      if (views.size < DELIVERIES) await new Promise((r) => setTimeout(r, 1_000));
    }

    // Assess
    expect(heldAtCrash).toBeLessThan(half);
    expect(views.size).toBe(DELIVERIES);
    const all = [...views.values()];
    const delivered = all.filter((v) => v.status === "delivered");
    const failed = all.filter((v) => v.status === "failed");
    expect(delivered.length + failed.length).toBe(DELIVERIES);
    for (const f of failed) expect(f.lastError).toMatch(/gave up after 12 attempts/);
    const copies = new Map<string, number>();
    for (const h of wallet.held()) copies.set(h.credentialId, (copies.get(h.credentialId) ?? 0) + 1);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    for (const d of delivered) expect(copies.get(d.credentialId)).toBe(1);
    expect(new Set(all.map((v) => v.credentialId))).toEqual(new Set(credentialIds));
    const stats = wallet.stats();
    expect(stats.failed + stats.timedOut).toBeGreaterThan(stats.requests * 0.4);
    await kill(gateway);
  }, 240_000);
});
