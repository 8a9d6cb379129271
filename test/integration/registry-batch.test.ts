import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalDeliveryWorker, startLocalDeliveryWorker } from "../../functions/local/delivery-worker.js";
import { startWalletEmulator, type WalletEmulator } from "../../functions/local/wallet-emulator.js";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { corpusText } from "../support/corpus.js";
import { startDynalite } from "../support/dynalite.js";
import { type RegisteredIssuer, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// Registry batches end to end: a national body posts ELMO files, legacy Europass XML and a CSV as bulk jobs that
// convert each record, optionally issue it under the body's issuer and optionally deliver it to a Europass wallet
// (the wallet emulator on loopback); each record's result says what was done, or why not.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let wallet: WalletEmulator;
let jobsWorker: LocalWorker;
let deliveryWorker: LocalDeliveryWorker;
let body: RegisteredIssuer;

beforeAll(async () => {
  db = await startDynalite();
  wallet = await startWalletEmulator({ seed: 12 });
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: {
      GATEWAY_MAX_BODY_BYTES: String(4 * 1024 * 1024),
      GATEWAY_WALLET_URL: wallet.url,
      GATEWAY_WALLET_ALLOW_LOOPBACK: "on",
      GATEWAY_DELIVERY_RETRY_BASE_MS: "1",
      GATEWAY_DELIVERY_RETRY_MAX_MS: "1",
    },
  });
  jobsWorker = startLocalWorker(gw.deps, { intervalMs: 20 });
  deliveryWorker = startLocalDeliveryWorker(gw.deps, { intervalMs: 20 });
  body = await registerIssuer(gw, {
    name: "National Qualifications Authority",
    country: "NO",
    legalIdentifier: "NO-974760673",
  });
}, 60_000);

afterAll(async () => {
  await jobsWorker?.stop();
  await deliveryWorker?.stop();
  await gw?.close();
  await wallet?.close();
  await db?.stop();
});

const FINISHED = new Set(["completed", "completed-with-errors", "failed"]);

// biome-ignore lint/suspicious/noExplicitAny: job views and result lines are checked by the assertions.
async function runBatch(json: Record<string, unknown>): Promise<{ job: any; lines: any[] }> {
  const submitted = await gw.call("POST", "/v1/jobs", { token: body.token, json });
  expect(submitted.status, submitted.text).toBe(202);
  const id = submitted.json.id as string;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await gw.call("GET", `/v1/jobs/${id}`, { token: body.token });
    if (FINISHED.has(res.json.status)) {
      const results = await gw.call("GET", `/v1/jobs/${id}/results`, { token: body.token });
      const lines = results.text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l));
      return { job: res.json, lines };
    }
    if (Date.now() > deadline) throw new Error(`job ${id} still ${res.json.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("registry batches (POST /v1/jobs with issue / deliver)", () => {
  it("converts ELMO files without issuing them: each record converted to ELM, not issued", async () => {
    // Act
    const runs = [];
    for (const file of ["elmo/v2.0.0/example.xml", "elmo/real-world/dk-emrex-Example-elmo-Norway.xml"]) {
      runs.push(
        await runBatch({
          from: "elmo",
          document: corpusText(file),
          options: { issuer: body.id, format: "elm", issue: false },
        }),
      );
    }

    // Assess
    for (const { job, lines } of runs) {
      expect(job).toMatchObject({ status: "completed", failed: 0 });
      expect(lines.length).toBe(job.total);
      for (const line of lines) {
        expect(line.outcome).toEqual({ converted: true, issued: false });
        expect(line.verifiableCredential).toBeUndefined();
        expect(line.credential.type).toContain("EuropeanDigitalCredential");
      }
    }
  });

  it("converts and issues legacy Europass XML under the body's issuer, saying so per record", async () => {
    // Act
    const { job, lines } = await runBatch({
      from: "europass-xml",
      document: corpusText("europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml"),
      options: { issuer: body.id, format: "elm", issue: true },
    });

    // Assess
    expect(job).toMatchObject({ status: "completed", total: 1, done: 1 });
    expect(lines).toEqual([
      expect.objectContaining({ row: expect.any(Number), outcome: { converted: true, issued: true } }),
    ]);
    expect(lines[0].verifiableCredential).toMatchObject({ payload: expect.any(String), signatures: expect.any(Array) });
  });

  it("issues a CSV and delivers each record to the learner's wallet; a record without an e-mail says why not", async () => {
    // Prepare: three rows in the default layout; the third gives no e-mail address.
    const csv = jobCsv(3).split("\n");
    csv[3] = (csv[3] as string).replace(/learner2@example\.org/, "");

    // Act
    const { job, lines } = await runBatch({
      from: "csv",
      document: csv.join("\n"),
      options: { issuer: body.id, format: "elm", deliver: true, sendEmail: false },
    });

    // Assess
    expect(job).toMatchObject({ status: "completed", total: 3, done: 3, failed: 0 });
    expect(lines.map((l) => l.outcome)).toEqual([
      { converted: true, issued: true, delivered: true, deliveryId: expect.any(String) },
      { converted: true, issued: true, delivered: true, deliveryId: expect.any(String) },
      {
        converted: true,
        issued: true,
        delivered: false,
        reason: "not delivered: the record gives no e-mail address of the learner",
      },
    ]);
    for (const line of lines.slice(0, 2)) {
      const deadline = Date.now() + 15_000;
      let status = "pending";
      let lastView: unknown;
      while (status === "pending" && Date.now() < deadline) {
        const res = await gw.call("GET", `/v1/deliveries/${line.outcome.deliveryId}`, { token: body.token });
        status = res.json.status;
        lastView = res.json;
        if (status === "pending") await new Promise((r) => setTimeout(r, 50));
      }
      expect(status, JSON.stringify(lastView)).toBe("delivered");
    }
  });

  it("records why a record was not issued, and refuses a batch that delivers without issuing or not as ELM", async () => {
    // Prepare: the second row's ECTS is not a number, which the reader refuses.
    const csv = jobCsv(2, { badEcts: [3] });

    // Act
    const { job, lines } = await runBatch({
      from: "csv",
      document: csv,
      options: { issuer: body.id, format: "ob3", issue: true },
    });
    const refused = await gw.call("POST", "/v1/jobs", {
      token: body.token,
      json: { from: "csv", document: csv, options: { issuer: body.id, format: "elm", issue: false, deliver: true } },
    });
    const ob3ToWallet = await gw.call("POST", "/v1/jobs", {
      token: body.token,
      json: { from: "csv", document: csv, options: { issuer: body.id, format: "ob3", deliver: true } },
    });

    // Assess
    expect(job).toMatchObject({ status: "completed-with-errors", total: 2, done: 1, failed: 1 });
    expect(lines[0].outcome).toEqual({ converted: true, issued: true });
    expect(lines[1]).toMatchObject({ row: 3, error: { path: expect.stringMatching(/^\/rows\/3/) } });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].pointer).toBe("/body/options/deliver");
    expect(ob3ToWallet.status).toBe(400);
    expect(ob3ToWallet.json.errors[0].pointer).toBe("/body/options/format");
  });
});
