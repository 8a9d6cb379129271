import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  decodeList,
  emptyBitstring,
  encodeList,
  getBit,
  STATUS_LIST_SIZE,
  setBit,
} from "../../../../../functions/core/status/bitstring.js";
import { bitStatus, ownListIdOf, statusListUrl } from "../../../../../functions/core/status/status-lists.js";
import {
  type VerificationResult,
  type VerifyDeps,
  verifyCredential,
} from "../../../../../functions/core/verify/verify.js";
import type { OutboundHttp } from "../../../../../functions/kernel/ports/index.js";
import { createEddsaRdfc2022Proof } from "../../../../../functions/proofs/data-integrity.js";
import { testContexts as pinnedContexts } from "../../../../support/contexts.js";
import { corpusJson } from "../../../../support/corpus.js";
import { seedSigner, VECTOR } from "../../../../support/data-integrity.js";

describe("bitstring", () => {
  it("numbers bits from the most significant bit of the first byte", () => {
    const bits = emptyBitstring(16);

    setBit(bits, 0, true);
    setBit(bits, 9, true);

    expect([...bits]).toEqual([0x80, 0x40]);
    expect(getBit(bits, 0)).toBe(true);
    expect(getBit(bits, 1)).toBe(false);
    setBit(bits, 0, false);
    expect([...bits]).toEqual([0x00, 0x40]);
  });

  it("encodes as multibase base64url of GZIP and decodes back", () => {
    const bits = emptyBitstring(STATUS_LIST_SIZE);
    setBit(bits, 131_071, true);

    const encoded = encodeList(bits);

    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    expect(decodeList(encoded)).toEqual(bits);
  });

  it("refuses an encodedList without the u prefix, and a GZIP bomb past the limit", () => {
    const bomb = `u${gzipSync(Buffer.alloc(1024 * 1024)).toString("base64url")}`;

    expect(() => decodeList("H4sI")).toThrow(/start with u/);
    expect(() => decodeList(bomb, 1024)).toThrow(/GZIP/);
    expect(() => emptyBitstring(7)).toThrow(RangeError);
  });

  it("reads an entry's bit: ok, revoked, suspended, out of range, malformed index", () => {
    const bits = emptyBitstring(16);
    setBit(bits, 3, true);

    expect(bitStatus(bits, "revocation", "2", "list").status).toBe("ok");
    expect(bitStatus(bits, "revocation", "3", "list")).toMatchObject({ status: "error", revoked: true });
    expect(bitStatus(bits, "suspension", "3", "list")).toMatchObject({ status: "error", suspended: true });
    expect(bitStatus(bits, "revocation", "16", "list").detail).toMatch(/outside/);
    expect(bitStatus(bits, "revocation", "03", "list").detail).toMatch(/base-10/);
    expect(bitStatus(bits, "revocation", 3, "list").status).toBe("error");
  });

  it("recognises only this gateway's status list URLs", () => {
    const url = statusListUrl("https://gw.example", "uni.revocation.0");

    expect(ownListIdOf(url, "https://gw.example")).toBe("uni.revocation.0");
    expect(ownListIdOf(`${url}/x`, "https://gw.example")).toBeUndefined();
    expect(ownListIdOf("https://other.example/status-lists/uni.revocation.0", "https://gw.example")).toBeUndefined();
  });
});

describe("the status check for lists of other hosts", () => {
  const LIST_URL = "https://status.example/lists/7";
  const signer = seedSigner(VECTOR.seedHex);
  const sign = (doc: Record<string, unknown>) =>
    createEddsaRdfc2022Proof(doc, {
      contexts: pinnedContexts,
      signer,
      keyRef: "vector",
      verificationMethod: VECTOR.verificationMethod,
    });

  async function listWith(revoked: number[]) {
    const bits = emptyBitstring(STATUS_LIST_SIZE);
    for (const i of revoked) setBit(bits, i, true);
    return sign({
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      id: LIST_URL,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: VECTOR.issuer,
      validFrom: "2025-01-01T00:00:00Z",
      credentialSubject: {
        id: `${LIST_URL}#list`,
        type: "BitstringStatusList",
        statusPurpose: "revocation",
        encodedList: encodeList(bits),
      },
    });
  }

  async function credentialAt(index: number) {
    const { proof: _proof, ...credential } = corpusJson("ob3/validator-fixtures/simple.json");
    return sign({
      ...credential,
      issuer: { ...credential.issuer, id: VECTOR.issuer },
      credentialStatus: {
        id: `${LIST_URL}#${index}`,
        type: "BitstringStatusListEntry",
        statusPurpose: "revocation",
        statusListIndex: String(index),
        statusListCredential: LIST_URL,
      },
    });
  }

  function deps(http?: OutboundHttp): VerifyDeps {
    return {
      store: { getIssuer: async () => undefined, listIssuers: async () => ({ items: [] }) },
      clock: { now: () => new Date("2026-06-01T00:00:00Z") },
      publicUrl: "https://gw.example.org",
      limits: { maxJsonDepth: 64, maxJsonKeys: 100_000 },
      ...(http ? { http } : {}),
    };
  }

  const statusOf = (result: VerificationResult) => result.checks.find((c) => c.check === "status");

  it("is skipped, saying why, when outbound HTTP is off", async () => {
    const result = await verifyCredential(deps(), { verifiableCredential: await credentialAt(5) });

    expect(statusOf(result)).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("GATEWAY_OUTBOUND_HTTP"),
    });
  });

  it("fetches the list, verifies its proof and reads the bit", async () => {
    const list = await listWith([5]);
    const http: OutboundHttp = { fetchJson: async (url) => (url === LIST_URL ? structuredClone(list) : undefined) };

    const revoked = await verifyCredential(deps(http), { verifiableCredential: await credentialAt(5) });
    const fine = await verifyCredential(deps(http), { verifiableCredential: await credentialAt(6) });

    expect(statusOf(revoked)).toMatchObject({ status: "error", detail: expect.stringMatching(/^revoked/) });
    expect(statusOf(fine)).toMatchObject({ status: "ok" });
  });

  it("is an error when the fetched list's proof does not verify", async () => {
    const list = await listWith([]);
    const tampered = {
      ...list,
      credentialSubject: {
        ...(list.credentialSubject as Record<string, unknown>),
        encodedList: encodeList(emptyBitstring(16)),
      },
    };
    const http: OutboundHttp = { fetchJson: async () => tampered };

    const result = await verifyCredential(deps(http), { verifiableCredential: await credentialAt(5) });

    expect(statusOf(result)?.status).toBe("error");
    expect(statusOf(result)?.detail).toMatch(/^status list/);
  });
});
