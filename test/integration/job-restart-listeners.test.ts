import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// Restarting the job worker (stop, start: what a restarted process does, recovery included) again and again must add
// no listener that stays: Node warns (MaxListenersExceededWarning) once an emitter holds more than ten of a kind.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: RegisteredIssuer;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

beforeAll(async () => {
  process.on("warning", onWarning);
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    // Chunks of 2 rows: each 6-row job is several chunks, so a restart lands between chunks of a running job.
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024), GATEWAY_JOB_CHUNK_ROWS: "2" },
  });
  issuer = await registerIssuer(gw, { name: "Restart College", country: "IE" });
}, 60_000);

afterAll(async () => {
  process.off("warning", onWarning);
  await gw?.close();
  await db?.stop();
});

describe("job worker restarts", () => {
  it("restart twelve times during jobs without a MaxListenersExceededWarning", async () => {
    let worker: LocalWorker | undefined;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const job = await gw.call("POST", "/v1/jobs", {
        token: issuer.token,
        json: {
          from: "csv",
          document: jobCsv(6),
          options: { issuer: issuer.id, format: "ob3", proof: "vc-jwt" },
        },
      });
      expect(job.status, job.text).toBe(202);
      ids.push(job.json.id);
      worker = startLocalWorker(gw.deps, { intervalMs: 5 });
      await new Promise((r) => setTimeout(r, 30));
      await worker.stop();
    }
    worker = startLocalWorker(gw.deps, { intervalMs: 5 });
    const deadline = Date.now() + 60_000;
    for (const id of ids) {
      for (;;) {
        const status = (await gw.call("GET", `/v1/jobs/${id}`, { token: issuer.token })).json.status;
        if (status === "completed") break;
        if (Date.now() > deadline) throw new Error(`job ${id} is ${status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await worker.stop();
    // Warnings are emitted on the next tick.
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message)).toEqual([]);
  }, 120_000);
});
