import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCredential } from "../../functions/core/issue/issue.js";
import type { CredentialStore } from "../../functions/kernel/ports/index.js";
import { startDynalite } from "../support/dynalite.js";
import { registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { unsignedOb3Credential } from "../support/ob3.js";

// Idempotency-Key under load and across a crash, against the real DynamoDB protocol (dynalite) through HTTP.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) } });
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
});

/** The status list and index a signed credential's BitstringStatusListEntry points to. */
function statusEntryOf(vc: { credentialStatus: { statusListCredential: string; statusListIndex: string } }) {
  const listId = decodeURIComponent(vc.credentialStatus.statusListCredential.split("/status-lists/")[1] ?? "");
  return { listId, index: Number(vc.credentialStatus.statusListIndex) };
}

/** The real store, with some methods replaced (fault injection around the real adapter, not a mock of it). */
function wrap<T extends object>(real: T, overrides: Partial<T>): T {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("Idempotency-Key", () => {
  it("gives 500 concurrent requests with one key one credential, one issuance record and one status index", async () => {
    // Prepare: a fresh issuer (its status list starts empty) and one request body and key.
    const issuer = await registerIssuer(gw, { name: `Concurrency College ${crypto.randomUUID()}`, country: "IE" });
    const body = { credential: unsignedOb3Credential(), options: { issuer: issuer.id } };
    const headers = { "idempotency-key": `concurrent-${crypto.randomUUID()}` };

    // Act: 500 requests at once, then one more after they have all answered.
    const responses = await Promise.all(
      Array.from({ length: 500 }, () =>
        gw.call("POST", "/v1/credentials/issue", { token: issuer.token, json: body, headers }),
      ),
    );
    const later = await gw.call("POST", "/v1/credentials/issue", { token: issuer.token, json: body, headers });

    // Assess: one fresh issuance; every other answer is its replay or a 409 naming the key; one index was taken.
    const statuses = new Set(responses.map((r) => r.status));
    expect([...statuses].filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const fresh = responses.filter((r) => r.status === 201 && r.headers.get("idempotent-replayed") !== "true");
    expect(fresh).toHaveLength(1);
    const vc = fresh[0]?.json.verifiableCredential;
    for (const r of responses.filter((r) => r.status === 201)) expect(r.json.verifiableCredential).toEqual(vc);
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.json.errors[0].pointer).toBe("/headers/idempotency-key");
    }
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(later.json.verifiableCredential).toEqual(vc);
    const { listId, index } = statusEntryOf(vc);
    const list = await gw.deps.statusLists.getList(listId);
    expect(list?.allocated).toBe(1);
    expect(await gw.deps.store.getIssuance(vc.id)).toMatchObject({
      issuerSlug: issuer.slug,
      statusListId: listId,
      statusListIndex: index,
    });
  }, 120_000);

  it("replays a key whose first attempt died after storing its response, and writes the missing issuance record", async () => {
    // Prepare: an attempt that stops dead between storing the key's response and the issuance record (no clean-up,
    // as when the process is killed: the key is not released).
    const issuer = await registerIssuer(gw, { name: `Crash College ${crypto.randomUUID()}`, country: "IE" });
    const principal = { role: "issuer" as const, issuerId: issuer.slug };
    const input = { credential: unsignedOb3Credential(), options: { issuer: issuer.id } };
    const key = `crash-${crypto.randomUUID()}`;
    const deps = {
      store: gw.deps.store,
      signer: gw.deps.signer,
      clock: gw.deps.clock,
      ids: gw.deps.ids,
      publicUrl: gw.deps.config.publicUrl,
      limits: gw.deps.config.limits,
      statusLists: gw.deps.statusLists,
    };
    const dying = wrap<CredentialStore>(gw.deps.store, {
      putIssuance: async () => {
        throw new Error("killed");
      },
      releaseIdempotency: async () => undefined,
    });
    await expect(issueCredential({ ...deps, store: dying }, principal, input, key)).rejects.toThrow("killed");
    const credentialId = input.credential.id as string;
    const recordBefore = await gw.deps.store.getIssuance(credentialId);

    // Act: the client retries with the same key.
    const retried = await issueCredential(deps, principal, input, key);

    // Assess: the retry is the stored response, and the issuance record now exists with its status entry.
    expect(recordBefore).toBeUndefined();
    expect(retried.replayed).toBe(true);
    const vc = retried.verifiableCredential as Parameters<typeof statusEntryOf>[0] & { id: string };
    const { listId, index } = statusEntryOf(vc);
    expect(await gw.deps.store.getIssuance(credentialId)).toMatchObject({
      credentialId: vc.id,
      statusListId: listId,
      statusListIndex: index,
    });
    expect((await gw.deps.statusLists.getList(listId))?.allocated).toBe(1);
  });
});
