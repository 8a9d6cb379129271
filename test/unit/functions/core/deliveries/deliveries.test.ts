import { describe, expect, it } from "vitest";
import { maskEmails, reasonOf } from "../../../../../functions/adapters/shared/europass-wallet.js";
import { backoffMs, classifyAnswer, credentialIdOf } from "../../../../../functions/core/deliveries/deliveries.js";
import { shareHashOf } from "../../../../../functions/core/deliveries/imports.js";
import { readWalletConfig } from "../../../../../functions/wallet-config.js";

describe("classifyAnswer: what a wallet answer means for a delivery", () => {
  it.each([
    [{ kind: "answered", status: 201, detail: "" }, "delivered"],
    [{ kind: "answered", status: 409, detail: "duplicate" }, "delivered"],
    [{ kind: "answered", status: 500, detail: "" }, "retry"],
    [{ kind: "answered", status: 503, detail: "" }, "retry"],
    [{ kind: "answered", status: 429, detail: "" }, "retry"],
    [{ kind: "answered", status: 408, detail: "" }, "retry"],
    [{ kind: "timeout", detail: "the request timed out" }, "retry"],
    [{ kind: "network", detail: "connection failed (ECONNREFUSED)" }, "retry"],
    [{ kind: "answered", status: 400, detail: "not sealed" }, "fail"],
    [{ kind: "answered", status: 404, detail: "no wallet" }, "fail"],
    [{ kind: "answered", status: 401, detail: "" }, "fail"],
    [{ kind: "refused", detail: "127.0.0.1 is a loopback address" }, "fail"],
  ] as const)("%j → %s", (answer, kind) => {
    expect(classifyAnswer(answer).kind).toBe(kind);
  });

  it("says a 409 was the wallet already holding the credential, and keeps the wallet's reason for a refusal", () => {
    expect(classifyAnswer({ kind: "answered", status: 409, detail: "" })).toEqual({
      kind: "delivered",
      note: "the wallet already held this credential (409)",
    });
    expect(classifyAnswer({ kind: "answered", status: 400, detail: "not sealed" })).toEqual({
      kind: "fail",
      reason: "the wallet refused the credential (400): not sealed",
    });
  });
});

describe("backoffMs: exponential backoff with full jitter", () => {
  const policy = { retryBaseMs: 1_000, retryMaxMs: 60_000 };

  it("doubles the ceiling with each failed attempt, up to the maximum", () => {
    const ceilings = [1, 2, 3, 4, 7, 10].map((n) => backoffMs(n, policy, 0.999_999));

    expect(ceilings).toEqual([999, 1_999, 3_999, 7_999, 59_999, 59_999]);
  });

  it("spreads the wait uniformly below the ceiling", () => {
    expect(backoffMs(3, policy, 0)).toBe(0);
    expect(backoffMs(3, policy, 0.5)).toBe(2_000);
  });
});

describe("credentialIdOf: the id the wallet deduplicates on", () => {
  it("reads a JSON-LD credential's id and a JAdES envelope's payload id", () => {
    expect(credentialIdOf({ id: "urn:credential:1" })).toBe("urn:credential:1");
    expect(credentialIdOf({ payload: JSON.stringify({ id: "urn:credential:2" }), signatures: [] })).toBe(
      "urn:credential:2",
    );
  });

  it("has none for a credential without one or a payload that is not JSON", () => {
    expect(credentialIdOf({ type: ["VerifiableCredential"] })).toBeUndefined();
    expect(credentialIdOf({ payload: "{not json", signatures: [] })).toBeUndefined();
    expect(credentialIdOf({ id: "" })).toBeUndefined();
  });
});

describe("shareHashOf: the share hash of a Europass share link", () => {
  it.each([
    ["https://europa.eu/europass/digital-credentials/viewer/#/shareview/Ab12Cd34Ef56Gh78", "Ab12Cd34Ef56Gh78"],
    ["https://europa.eu/europass/wallet/api/v1/sharelinks/Ab12Cd34Ef56Gh78", "Ab12Cd34Ef56Gh78"],
    ["https://europa.eu/europass/wallet/api/v1/sharelinks/Ab12Cd34Ef56Gh78/credentials", "Ab12Cd34Ef56Gh78"],
    ["Ab12Cd34Ef56Gh78", "Ab12Cd34Ef56Gh78"],
  ])("reads %s", (link, hash) => {
    expect(shareHashOf(link)).toBe(hash);
  });

  it.each([
    "https://example.org/some/page",
    "file:///etc/passwd#/shareview/Ab12Cd34Ef56Gh78",
    "https://x.example/#/shareview/../../admin",
    "https://x.example/sharelinks/short",
  ])("refuses %s", (link) => {
    expect(shareHashOf(link)).toBeUndefined();
  });
});

describe("wallet reasons keep no e-mail address", () => {
  it("masks addresses in a wallet's error text and keeps the message short", () => {
    const reason = reasonOf(JSON.stringify({ message: `no wallet for ada.lovelace+x@example.org ${"x".repeat(500)}` }));

    expect(reason).not.toContain("ada.lovelace");
    expect(reason).toMatch(/^no wallet for <e-mail>/);
    expect(reason.length).toBeLessThanOrEqual(300);
    expect(maskEmails("a@b.co and c.d@e.example")).toBe("<e-mail> and <e-mail>");
  });
});

describe("readWalletConfig", () => {
  it("defaults to no wallet, loopback refused, 8 attempts from 2 s up to 5 min", () => {
    expect(readWalletConfig({})).toEqual({
      allowLoopback: false,
      timeoutMs: 10_000,
      maxAttempts: 8,
      retryBaseMs: 2_000,
      retryMaxMs: 300_000,
      concurrency: 16,
    });
  });

  it.each([
    [{ GATEWAY_WALLET_URL: "not a url" }, /GATEWAY_WALLET_URL/],
    [{ GATEWAY_WALLET_URL: "ftp://wallet.example" }, /http/],
    [{ GATEWAY_WALLET_ALLOW_LOOPBACK: "yes" }, /GATEWAY_WALLET_ALLOW_LOOPBACK/],
    [{ GATEWAY_DELIVERY_MAX_ATTEMPTS: "0" }, /GATEWAY_DELIVERY_MAX_ATTEMPTS/],
    [{ GATEWAY_DELIVERY_RETRY_BASE_MS: "5000", GATEWAY_DELIVERY_RETRY_MAX_MS: "1000" }, /at least the base/],
  ])("refuses %j", (env, message) => {
    expect(() => readWalletConfig(env)).toThrow(message);
  });

  it("keeps the wallet URL without a trailing slash", () => {
    expect(readWalletConfig({ GATEWAY_WALLET_URL: "https://europa.eu/europass/wallet/" }).url).toBe(
      "https://europa.eu/europass/wallet",
    );
  });
});
