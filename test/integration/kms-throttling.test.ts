/**
 * A bulk job against a KMS that throttles (`test/support/kms-standin.ts`: `ThrottlingException` beyond its quota in
 * any one second, as KMS answers a burst over its requests-per-second quota), with several workers sharing the
 * signing budget through the job store (dynalite). The budget is set above the stand-in's quota, so throttling is
 * certain: every throttled Sign must be retried, no row may fail, each row is signed once, public keys are read from
 * KMS once per key, and the credentials verify with Digital Bazaar's verifier against the issuer's DID document.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKmsRate } from "../../bench/kms-rate.js";
import { DynamoJobStore } from "../../functions/adapters/aws/job-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { dbVerify } from "../support/data-integrity.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorDocumentClient } from "../support/gateway.js";

describe("bulk job at the KMS limit", () => {
  it("throttled signatures are retried: every row issued once, none failed", async () => {
    const rows = 60;
    const f = await runKmsRate({ rows, rate: 20, quota: 10, workers: 3, chunkRows: 10 });
    expect(f).toMatchObject({ status: "completed", done: rows, failed: 0, dlq: 0 });
    expect(f.kms.throttled).toBeGreaterThan(0);
    // One accepted Sign per row after the issuer's registration: no row was signed twice.
    expect(f.kms.signed - f.signedBefore).toBe(rows);
    // Public keys: read when the issuer's keys were made, never again while signing.
    expect(f.kms.getPublicKey).toBe(f.keys);
    expect(f.sample).toBeDefined();
    const verified = await dbVerify(f.sample?.verifiableCredential, [f.sample?.didDocument ?? {}]);
    expect(verified.verified).toBe(true);
  }, 120_000);
});

describe("the budget's compare-and-swap on DynamoDB", () => {
  let db: RunningDynalite;
  let store: DynamoJobStore;
  beforeAll(async () => {
    db = await startDynalite();
    const client = emulatorDocumentClient(db.endpoint);
    const tableName = `budget${Date.now()}`;
    await ensureTable(client, tableName);
    store = new DynamoJobStore({ client, tableName });
  });
  afterAll(async () => {
    await db.stop();
  });

  it("of writers that read the same state, exactly one wins", async () => {
    expect(await store.readBudget("b")).toBeUndefined();
    const created = await Promise.all([1, 2, 3].map((n) => store.swapBudget("b", undefined, { tokens: n, at: 1 })));
    expect(created.filter(Boolean)).toHaveLength(1);
    const state = await store.readBudget("b");
    const swapped = await Promise.all([10, 20, 30, 40].map((n) => store.swapBudget("b", state, { tokens: n, at: 2 })));
    expect(swapped.filter(Boolean)).toHaveLength(1);
    expect((await store.readBudget("b"))?.at).toBe(2);
    // A stale state loses.
    expect(await store.swapBudget("b", state, { tokens: 0, at: 3 })).toBe(false);
  });
});
