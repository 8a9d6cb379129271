import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynalite } from "../support/dynalite.js";
import {
  type CallResult,
  type RegisteredIssuer,
  registerIssuer,
  startTestGateway,
  type TestGateway,
} from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// With another issuer's token, an id of the owner's and an id that exists nowhere must get the same status and the
// same body (the id aside): else the answer tells which ids exist (an existence oracle over other tenants' jobs,
// deliveries and credentials).
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let owner: RegisteredIssuer;
let other: RegisteredIssuer;
const owned: { credentialId: string; credential: Record<string, unknown>; jobId: string; deliveryId: string } = {
  credentialId: "",
  credential: {},
  jobId: "",
  deliveryId: "",
};

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_WALLET_URL: "http://127.0.0.1:9" } });
  owner = await registerIssuer(gw, { name: "Owner University", country: "IE" });
  other = await registerIssuer(gw, { name: "Other College", country: "FR" });
  const issued = await gw.call("POST", "/v1/credentials/issue", {
    token: owner.token,
    json: { credential: unsignedOb3Credential(), options: { issuer: owner.id } },
  });
  owned.credential = issued.json.verifiableCredential;
  owned.credentialId = issued.json.verifiableCredential.id;
  const job = await gw.call("POST", "/v1/jobs", {
    token: owner.token,
    json: { from: "csv", document: jobCsv(1), options: { issuer: owner.id, format: "ob3" } },
  });
  owned.jobId = job.json.id;
  const delivery = await gw.call("POST", "/v1/deliveries", {
    token: owner.token,
    json: { credential: owned.credential, recipient: { email: "ada@example.org" } },
  });
  owned.deliveryId = delivery.json.id;
  expect([issued.status, job.status, delivery.status]).toEqual([201, 202, 202]);
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const enc = encodeURIComponent;

interface Probe {
  name: string;
  owned: () => string;
  unknown: string;
  call: (id: string) => Promise<CallResult>;
}

const probes: Probe[] = [
  {
    name: "GET /v1/jobs/{id}",
    owned: () => owned.jobId,
    unknown: "no-such-job-0123456789",
    call: (id) => gw.call("GET", `/v1/jobs/${enc(id)}`, { token: other.token }),
  },
  {
    name: "GET /v1/jobs/{id}/results",
    owned: () => owned.jobId,
    unknown: "no-such-job-0123456789",
    call: (id) => gw.call("GET", `/v1/jobs/${enc(id)}/results`, { token: other.token }),
  },
  {
    name: "POST /v1/jobs/{id}/start",
    owned: () => owned.jobId,
    unknown: "no-such-job-0123456789",
    call: (id) => gw.call("POST", `/v1/jobs/${enc(id)}/start`, { token: other.token }),
  },
  {
    name: "GET /v1/deliveries/{id}",
    owned: () => owned.deliveryId,
    unknown: "no-such-delivery-012345",
    call: (id) => gw.call("GET", `/v1/deliveries/${enc(id)}`, { token: other.token }),
  },
  {
    name: "POST /v1/credentials/{id}/revoke",
    owned: () => owned.credentialId,
    unknown: "urn:uuid:00000000-0000-4000-8000-000000000000",
    call: (id) =>
      gw.call("POST", `/v1/credentials/${enc(id)}/revoke`, { token: other.token, json: { action: "revoke" } }),
  },
  {
    name: "POST /v1/deliveries {credentialId}",
    owned: () => owned.credentialId,
    unknown: "urn:uuid:00000000-0000-4000-8000-000000000000",
    call: (id) =>
      gw.call("POST", "/v1/deliveries", {
        token: other.token,
        json: { credentialId: id, recipient: { email: "ada@example.org" } },
      }),
  },
  {
    name: "GET /v1/issuers/{id}",
    owned: () => owner.slug,
    unknown: "no-such-issuer",
    call: (id) => gw.call("GET", `/v1/issuers/${enc(id)}`, { token: other.token }),
  },
  {
    name: "POST /v1/issuers/{id}/offers",
    owned: () => owner.slug,
    unknown: "no-such-issuer",
    call: (id) =>
      gw.call("POST", `/v1/issuers/${enc(id)}/offers`, {
        token: other.token,
        json: { configuration: "OpenBadgeCredential_ldp_vc", credential: unsignedOb3Credential() },
      }),
  },
  {
    name: "GET /v1/jobs?issuer=",
    owned: () => owner.slug,
    unknown: "no-such-issuer",
    call: (id) => gw.call("GET", `/v1/jobs?issuer=${enc(id)}`, { token: other.token }),
  },
];

/** The answer with the probed id written out of it: what may differ between the two probes. */
const shape = (res: CallResult, id: string) => ({
  status: res.status,
  contentType: res.headers.get("content-type"),
  body: res.text.split(id).join("{id}").split(enc(id)).join("{id}"),
});

describe("another issuer's ids and unknown ids are answered alike", () => {
  for (const probe of probes) {
    it(`${probe.name}: same status and body`, async () => {
      const foreign = await probe.call(probe.owned());
      const unknown = await probe.call(probe.unknown);

      expect(foreign.status, foreign.text).toBeGreaterThanOrEqual(400);
      expect(foreign.status).toBeLessThan(500);
      expect(shape(unknown, probe.unknown)).toEqual(shape(foreign, probe.owned()));
    });
  }
});
