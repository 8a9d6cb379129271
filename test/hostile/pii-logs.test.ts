import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalWorker } from "../../functions/local/worker.js";
import type { RunningDynalite } from "../support/dynalite.js";
import type { RegisteredIssuer, TestGateway } from "../support/gateway.js";

// Logs carry no learner personal data: a full run (issue, convert, check, verify, a bulk job through the worker, and
// refused requests) with the most verbose log level, every byte written to stdout and stderr captured, then searched
// for the fixtures' learner names, emails and identifiers.

/** Learner data of the fixtures: distinctive, so that a match can only come from them. */
const PII = {
  givenName: "Zyxwanda",
  familyName: "Quillbrook",
  email: "zyxwanda.quillbrook@example.org",
  studentId: "S-PII-4242-7781",
  learnerDid: "did:example:learner-zyxwanda-7781",
};

const captured: string[] = [];
const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

let db: RunningDynalite;
let gw: TestGateway;
let worker: LocalWorker;
let issuer: RegisteredIssuer;
let ADMIN: string;

beforeAll(async () => {
  // Before any gateway module loads: loggers read their level once, at import.
  process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
  const capture =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = capture(originals.out) as typeof process.stdout.write;
  process.stderr.write = capture(originals.err) as typeof process.stderr.write;
  const { startDynalite } = await import("../support/dynalite.js");
  const { startTestGateway, registerIssuer, ADMIN_TOKEN } = await import("../support/gateway.js");
  const { startLocalWorker } = await import("../../functions/local/worker.js");
  ADMIN = ADMIN_TOKEN;
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) } });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  issuer = await registerIssuer(gw, { name: "Privacy University", country: "IE" });
});

afterAll(async () => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
  await worker?.stop();
  await gw?.close();
  await db?.stop();
});

/** An OB3 credential about the fixture learner. */
async function learnerCredential(): Promise<Record<string, unknown>> {
  const { unsignedOb3Credential } = await import("../support/ob3.js");
  const vc = unsignedOb3Credential();
  const subject = { ...(vc.credentialSubject as Record<string, unknown>) };
  subject.id = PII.learnerDid;
  const identity = (identityType: string, identityHash: string) => ({
    type: "IdentityObject",
    identityHash,
    identityType,
    hashed: false,
  });
  subject.identifier = [
    identity("name", `${PII.givenName} ${PII.familyName}`),
    identity("emailAddress", PII.email),
    identity("sisSourcedId", PII.studentId),
  ];
  return { ...vc, credentialSubject: subject };
}

const learnerCsv = () =>
  [
    "given_name,family_name,email,student_id,title,description,ects,eqf_level,mode,awarding_body,awarding_body_country,issued",
    `${PII.givenName},${PII.familyName},${PII.email},${PII.studentId},Data Stewardship,A course,5,6,online,University of Zed,IE,2024-06-01`,
    `${PII.givenName},${PII.familyName},${PII.email},${PII.studentId}-bad,Data Stewardship,A course,five,6,online,University of Zed,IE,2024-06-01`,
  ].join("\n");

describe("logs of a full run", () => {
  it("hold no learner name, email or identifier", async () => {
    // Prepare
    const credential = await learnerCredential();
    const started = captured.length;

    // Act: the successful paths...
    const issued = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential, options: { issuer: issuer.id } },
    });
    const verified = await gw.call("POST", "/v1/credentials/verify", {
      json: { verifiableCredential: issued.json?.verifiableCredential },
    });
    const converted = await gw.call("POST", "/v1/convert", {
      json: { to: "elm", document: learnerCsv(), from: "csv" },
    });
    const checked = await gw.call("POST", "/v1/check", { json: { document: credential } });
    const job = await gw.call("POST", "/v1/jobs", {
      token: issuer.token,
      json: { from: "csv", document: learnerCsv(), options: { issuer: issuer.id, format: "ob3" } },
    });
    let progress = await gw.call("GET", `/v1/jobs/${job.json?.id}`, { token: issuer.token });
    for (let i = 0; i < 200 && !["completed", "completed-with-errors", "failed"].includes(progress.json?.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      progress = await gw.call("GET", `/v1/jobs/${job.json?.id}`, { token: issuer.token });
    }
    const results = await gw.call("GET", `/v1/jobs/${job.json?.id}/results`, { token: issuer.token });
    // ... and refused ones, whose problem documents may name the learner's fields.
    const refusedIssue = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential: { ...credential, validFrom: `1200-01-01T00:00:00Z` }, options: { issuer: issuer.id } },
    });
    const refusedAdmin = await gw.call("POST", "/v1/issuers", { token: "not-a-token", json: { name: PII.email } });
    const refusedDuplicate = await gw.call("POST", "/v1/credentials/issue", {
      token: ADMIN,
      json: { credential: issued.json?.verifiableCredential, options: { issuer: issuer.id } },
    });
    const log = captured.slice(started).join("");

    // Assess: the run did happen, and logged...
    expect(issued.status, issued.text).toBe(201);
    expect(verified.status).toBe(200);
    expect(converted.status, converted.text).toBe(200);
    expect(checked.status).toBe(200);
    expect(progress.json?.status).toBe("completed-with-errors");
    expect(results.text).toContain(PII.email);
    expect([refusedIssue.status, refusedAdmin.status, refusedDuplicate.status].every((s) => s >= 400)).toBe(true);
    expect(log).toContain('"message":"request"');
    // ... but none of the learner's data.
    for (const [field, value] of Object.entries(PII)) {
      expect(log.toLowerCase().includes(value.toLowerCase()), `${field} found in the logs`).toBe(false);
    }
  }, 60_000);
});
