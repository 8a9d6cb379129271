import { describe, expect, it } from "vitest";
import { readConfig } from "../../../functions/config.js";
import { OB3_ELM_CONTEXT_PATH } from "../../../mappings/ob3/extension-context.js";
import { writeOb3 } from "../../../mappings/ob3/write.js";
import { completeMicroCredential } from "../../support/ob3.js";

describe("GATEWAY_OB3_ELM_CONTEXT_URL: the URL credentials name the ELM extension context by", () => {
  it("defaults to the gateway's own route under its public URL", () => {
    const config = readConfig({ GATEWAY_PUBLIC_URL: "https://gateway.example" });
    expect(config.ob3ElmContextUrl).toBe(`https://gateway.example${OB3_ELM_CONTEXT_PATH}`);
    expect(config.ob3ElmContextUrl).toBe("https://gateway.example/contexts/ob3-elm/v1.json");
  });

  it("takes a permanent URL the operator registered, and the writer names it and pins both documents by it", () => {
    // A w3id.org-style permanent identifier: the terms context resolves beside it (JSON-LD resolves relative IRIs
    // against the context document's URL).
    const url = "https://w3id.org/edc-gateway/ob3-elm/v1";
    const config = readConfig({ GATEWAY_PUBLIC_URL: "https://gateway.example", GATEWAY_OB3_ELM_CONTEXT_URL: url });
    const { document } = writeOb3(completeMicroCredential(), {
      extensionContextUrl: config.ob3ElmContextUrl,
      extensionDigest: true,
      now: new Date("2026-01-01T00:00:00Z"),
    });
    expect(config.ob3ElmContextUrl).toBe(url);
    expect(document["@context"]).toContain(url);
    const pinned = (document.relatedResource as { id: string; digestSRI: string }[]).map((r) => r.id);
    expect(pinned).toEqual([url, "https://w3id.org/edc-gateway/ob3-elm/v1-elm.json"]);
    for (const r of document.relatedResource as { digestSRI: string }[]) expect(r.digestSRI).toMatch(/^sha256-/);
  });

  it.each([
    ["a URN", "urn:edc-gateway:contexts:ob3-elm:v1"],
    ["a relative URL", "/contexts/ob3-elm/v1.json"],
    ["a URL with a query", "https://w3id.org/edc-gateway/ob3-elm/v1?x=1"],
    ["an unversioned URL", "https://w3id.org/edc-gateway/ob3-elm"],
    ["another version", "https://w3id.org/edc-gateway/ob3-elm/v2.json"],
  ])("refuses %s", (_what, url) => {
    expect(() => readConfig({ GATEWAY_OB3_ELM_CONTEXT_URL: url })).toThrow(/GATEWAY_OB3_ELM_CONTEXT_URL/);
  });
});

describe("GATEWAY_PAGE_VERIFIER: the issuer the verifier page asks wallets as", () => {
  it("is unset by default, and takes an issuer slug", () => {
    expect(readConfig({}).pageVerifier).toBeUndefined();
    expect(readConfig({ GATEWAY_PAGE_VERIFIER: "page-verifier" }).pageVerifier).toBe("page-verifier");
  });

  it("refuses what the issuer registration would not take as a slug", () => {
    for (const bad of ["Page Verifier", "-page", "p", "x".repeat(64)]) {
      expect(() => readConfig({ GATEWAY_PAGE_VERIFIER: bad }), bad).toThrow(/GATEWAY_PAGE_VERIFIER/);
    }
  });
});
