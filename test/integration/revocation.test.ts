import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusJson } from "../support/corpus.js";
import { dbVerify } from "../support/data-integrity.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// Revocation over HTTP: status entries at issuance, the signed status list, and verification reading it.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let issuer: { id: string; slug: string; token: string };
let other: { id: string; slug: string; token: string };

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) },
  });
  const register = (name: string) => registerIssuer(gw, { name, country: "IE", legalIdentifier: "IE-9876543" });
  issuer = await register("University of Zed");
  other = await register("Other College");
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

const ob3Credential = () => unsignedOb3Credential();

/** A plain W3C VCDM 2.0 credential (no OB3 or ELM type): what may carry a suspension entry besides revocation. */
const w3cCredential = () => ({
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  id: `urn:uuid:${crypto.randomUUID()}`,
  type: ["VerifiableCredential"],
  issuer: issuer.id,
  validFrom: "2025-01-01T00:00:00Z",
  credentialSubject: { id: "did:example:learner" },
});

// biome-ignore lint/suspicious/noExplicitAny: issued credentials are read as the JSON they are; assertions check them.
async function issue(options: Record<string, unknown> = {}, token = issuer.token, credential?: unknown): Promise<any> {
  const res = await gw.call("POST", "/v1/credentials/issue", {
    token,
    json: { credential: credential ?? ob3Credential(), options: { issuer: issuer.id, ...options } },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.verifiableCredential;
}

const revokePath = (id: string) => `/v1/credentials/${encodeURIComponent(id)}/revoke`;
const statusOf = (result: { checks: { check: string; status: string; detail: string }[] }) =>
  result.checks.find((c) => c.check === "status");
const verify = (vc: unknown, path = "/v1/credentials/verify") =>
  gw.call("POST", path, { json: { verifiableCredential: vc } });

/** The bit of `index` in an encodedList, decoded independently of the gateway (index 0 = first byte's high bit). */
function bitOf(encodedList: string, index: number): boolean {
  expect(encodedList.startsWith("u")).toBe(true);
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), "base64url"));
  expect(bits.length * 8).toBeGreaterThanOrEqual(131_072);
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

describe("revocation", () => {
  it("issues a revocable credential, revokes it, publishes a signed list with its bit set, and verification sees it", async () => {
    // Prepare
    const vc = await issue();
    const neighbour = await issue();
    const didDocument = (await gw.call("GET", `/issuers/${issuer.slug}/did.json`)).json;
    // Assess the entry, signed with the credential
    const entry = vc.credentialStatus;
    const listUrl = `${gw.url}/status-lists/${issuer.slug}.revocation.0`;
    expect(entry).toEqual({
      id: `${listUrl}#${entry.statusListIndex}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: expect.stringMatching(/^\d+$/),
      statusListCredential: listUrl,
    });
    expect(neighbour.credentialStatus.statusListIndex).not.toBe(entry.statusListIndex);
    expect((await dbVerify(vc, [didDocument])).verified).toBe(true);
    const before = await verify(vc);
    expect(before.json.verified).toBe(true);
    expect(statusOf(before.json)).toMatchObject({ status: "ok", detail: expect.stringContaining("not revoked") });

    // Act
    const revoked = await gw.call("POST", revokePath(vc.id), {
      token: issuer.token,
      json: { action: "revoke", reason: "issued in error" },
    });

    // Assess the answer
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    expect(revoked.json).toEqual({
      credentialId: vc.id,
      status: "revoked",
      statusPurpose: "revocation",
      statusListCredential: listUrl,
      statusListIndex: entry.statusListIndex,
      changed: true,
    });
    // the published list: signed by the issuer, cacheable, with the bit set and the neighbour's clear
    const list = await gw.call("GET", `/status-lists/${issuer.slug}.revocation.0`);
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toBe("public, max-age=60");
    const etag = list.headers.get("etag");
    expect(etag).toMatch(/^W\/".+"$/);
    expect(list.json).toMatchObject({
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      id: listUrl,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: issuer.id,
      credentialSubject: { id: `${listUrl}#list`, type: "BitstringStatusList", statusPurpose: "revocation" },
      proof: { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022" },
    });
    const listVerified = await dbVerify(list.json, [didDocument]);
    expect(listVerified.verified, JSON.stringify(listVerified.error ?? listVerified)).toBe(true);
    expect(bitOf(list.json.credentialSubject.encodedList, Number(entry.statusListIndex))).toBe(true);
    expect(bitOf(list.json.credentialSubject.encodedList, Number(neighbour.credentialStatus.statusListIndex))).toBe(
      false,
    );
    const unchanged = await gw.call("GET", `/status-lists/${issuer.slug}.revocation.0`, {
      headers: { "if-none-match": etag ?? "" },
    });
    expect(unchanged.status).toBe(304);
    // verification: revoked is an error, the neighbour stays ok, the W3C alias answers 422
    const after = await verify(vc);
    expect(after.json.verified).toBe(false);
    expect(statusOf(after.json)).toMatchObject({ status: "error", detail: expect.stringContaining("revoked") });
    expect(statusOf((await verify(neighbour)).json)?.status).toBe("ok");
    const vcApi = await verify(vc, "/credentials/verify");
    expect(vcApi.status).toBe(422);
    expect(vcApi.json.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^status: revoked/)]));
    // the audit trail: who and what, no reason text
    const events = await gw.deps.statusLists.listStatusEvents(vc.id);
    expect(events).toEqual([
      expect.objectContaining({
        action: "revoke",
        purpose: "revocation",
        issuerSlug: issuer.slug,
        actor: expect.stringMatching(/^issuer:/),
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain("issued in error");
  });

  it("answers a second revocation with the same status and changes nothing", async () => {
    const vc = await issue();
    await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: {} });

    const again = await gw.call("POST", revokePath(vc.id), { token: ADMIN_TOKEN, json: { action: "revoke" } });

    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: "revoked", changed: false });
    expect(await gw.deps.statusLists.listStatusEvents(vc.id)).toHaveLength(1);
  });

  it("refuses another issuer's token and an unknown credential alike (403), the admin 404, no token 401", async () => {
    const vc = await issue();
    const unknownPath = revokePath("urn:uuid:00000000-0000-4000-8000-000000000000");

    const foreign = await gw.call("POST", revokePath(vc.id), { token: other.token, json: {} });
    const unknown = await gw.call("POST", unknownPath, { token: issuer.token, json: {} });
    const unknownToAdmin = await gw.call("POST", unknownPath, { token: ADMIN_TOKEN, json: {} });
    const anonymous = await gw.call("POST", revokePath(vc.id), { json: {} });

    expect(foreign.status).toBe(403);
    expect(unknown.status).toBe(403);
    expect(unknown.json.errors[0].pointer).toBe("/path/id");
    expect(unknownToAdmin.status).toBe(404);
    expect(anonymous.status).toBe(401);
    expect(statusOf((await verify(vc)).json)?.status).toBe("ok");
  });

  it("keeps revocation permanent (409) and refuses suspension of a credential with no suspension entry (422)", async () => {
    const vc = await issue();
    await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: { action: "revoke" } });

    const unrevoke = await gw.call("POST", revokePath(vc.id), {
      token: issuer.token,
      json: { action: "unsuspend", purpose: "revocation" },
    });
    const suspend = await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: { action: "suspend" } });
    const mismatch = await gw.call("POST", revokePath(vc.id), {
      token: issuer.token,
      json: { action: "revoke", purpose: "suspension" },
    });

    expect(unrevoke.status).toBe(409);
    expect(suspend.status).toBe(422);
    expect(suspend.json.detail).toMatch(/no suspension status entry/);
    expect(suspend.json.errors[0].pointer).toBe("/body/action");
    expect(mismatch.status).toBe(400);
    expect(statusOf((await verify(vc)).json)?.status).toBe("error");
  });

  it("suspends and reinstates a credential issued with a suspension entry; verification follows, neighbours stay ok", async () => {
    // Prepare: two suspendable credentials of one issuer.
    const vc = await issue({ suspension: true }, issuer.token, w3cCredential());
    const neighbour = await issue({ suspension: true }, issuer.token, w3cCredential());
    const didDocument = (await gw.call("GET", `/issuers/${issuer.slug}/did.json`)).json;
    const suspensionList = `${gw.url}/status-lists/${issuer.slug}.suspension.0`;
    const [revocationEntry, suspensionEntry] = vc.credentialStatus;

    // Act
    const suspended = await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: { action: "suspend" } });
    const whileSuspended = await verify(vc);
    const vcApiWhileSuspended = await verify(vc, "/credentials/verify");
    const neighbourWhileSuspended = await verify(neighbour);
    const list = await gw.call("GET", `/status-lists/${issuer.slug}.suspension.0`);
    const foreign = await gw.call("POST", revokePath(vc.id), { token: other.token, json: { action: "unsuspend" } });
    const reinstated = await gw.call("POST", revokePath(vc.id), {
      token: issuer.token,
      json: { action: "unsuspend" },
    });
    const again = await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: { action: "unsuspend" } });
    const afterwards = await verify(vc);

    // Assess: two entries signed with the credential, one per purpose, in lists of their own.
    expect(revocationEntry).toMatchObject({ statusPurpose: "revocation" });
    expect(suspensionEntry).toMatchObject({
      type: "BitstringStatusListEntry",
      statusPurpose: "suspension",
      statusListCredential: suspensionList,
    });
    expect((await dbVerify(vc, [didDocument])).verified).toBe(true);
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.json).toMatchObject({ status: "suspended", statusPurpose: "suspension", changed: true });
    expect(suspended.json.statusListIndex).toBe(suspensionEntry.statusListIndex);
    expect(whileSuspended.json.verified).toBe(false);
    expect(statusOf(whileSuspended.json)).toMatchObject({
      status: "error",
      detail: expect.stringContaining("suspended"),
    });
    expect(vcApiWhileSuspended.status).toBe(422);
    expect(statusOf(neighbourWhileSuspended.json)?.status).toBe("ok");
    expect(list.json.credentialSubject.statusPurpose).toBe("suspension");
    expect((await dbVerify(list.json, [didDocument])).verified).toBe(true);
    expect(bitOf(list.json.credentialSubject.encodedList, Number(suspensionEntry.statusListIndex))).toBe(true);
    expect(foreign.status).toBe(403);
    expect(reinstated.json).toMatchObject({ status: "active", statusPurpose: "suspension", changed: true });
    expect(again.json.changed).toBe(false);
    expect(statusOf(afterwards.json)?.status).toBe("ok");
    expect(afterwards.json.verified, JSON.stringify(afterwards.json.checks)).toBe(true);
    expect((await gw.deps.statusLists.listStatusEvents(vc.id)).map((e) => e.action)).toEqual(["suspend", "unsuspend"]);
  });

  it("revokes a suspendable credential through its revocation entry; reinstating its suspension does not undo that", async () => {
    // Prepare
    const vc = await issue({ suspension: true }, issuer.token, w3cCredential());

    // Act
    await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: { action: "suspend" } });
    const revoked = await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: {} });
    await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: { action: "unsuspend" } });
    const result = await verify(vc);

    // Assess
    expect(revoked.json).toMatchObject({ status: "revoked", statusPurpose: "revocation" });
    expect(revoked.json.statusListIndex).toBe(vc.credentialStatus[0].statusListIndex);
    expect(statusOf(result.json)).toMatchObject({ status: "error", detail: expect.stringContaining("revoked") });
  });

  it("refuses a suspension entry on an OB 3.0 credential, whose schema allows one credentialStatus (422)", async () => {
    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential: ob3Credential(), options: { issuer: issuer.id, suspension: true } },
    });

    expect(res.status).toBe(422);
    expect(res.json.errors[0].pointer).toBe("/body/options/suspension");
  });

  it("issues without a status entry when options.status is false; such a credential cannot be revoked (422)", async () => {
    const vc = await issue({ status: false });

    const res = await gw.call("POST", revokePath(vc.id), { token: issuer.token, json: {} });

    expect(vc.credentialStatus).toBeUndefined();
    expect(res.status).toBe(422);
    expect(statusOf((await verify(vc)).json)).toMatchObject({ status: "skipped", detail: "no credentialStatus" });
  });

  it("puts the status entry in VC-JWT credentials too", async () => {
    const jwt = await issue({ proof: "vc-jwt" });
    const payload = JSON.parse(Buffer.from(String(jwt).split(".")[1] ?? "", "base64url").toString("utf8"));

    expect(payload.credentialStatus).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation" });
    expect(statusOf((await verify(jwt)).json)?.status).toBe("ok");
  });

  it("gives ELM credentials no status entry (ELM's credentialStatus is {id, type} only)", async () => {
    const credential = corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld");

    const res = await gw.call("POST", "/v1/credentials/issue", {
      token: issuer.token,
      json: { credential, options: { issuer: issuer.id, format: "elm" } },
    });

    expect(res.status).toBe(201);
    expect(JSON.parse(res.json.verifiableCredential.payload).credentialStatus).toBeUndefined();
  });

  it("answers 404 for an unknown status list, and reports a tampered entry pointing at another issuer's list", async () => {
    const mine = await issue();
    const theirs = await issue({ issuer: other.id }, other.token);
    const forged = { ...mine, credentialStatus: theirs.credentialStatus };

    const missing = await gw.call("GET", "/status-lists/nobody.revocation.0");
    const result = await verify(forged);

    expect(missing.status).toBe(404);
    expect(statusOf(result.json)).toMatchObject({ status: "error", detail: expect.stringContaining("belongs to") });
  });
});
