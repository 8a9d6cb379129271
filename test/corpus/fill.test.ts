/**
 * `options.fill`: a registrar supplies what the source lacks and gets a credential that conforms on purpose — held to
 * the official EDC SHACL shapes (on the document as EDC seals it) — while every filled value is listed in `derived`.
 * Without `fill`, nothing is made up (conformance.test.ts shows the same sources not conforming).
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { convert } from "../../functions/core/convert/convert.js";
import { applySealCertificate } from "../../mappings/elm/seal.js";
import { loadOb3 } from "../support/ob3-corpus.js";
import { validateElm } from "../support/shacl.js";
import { fixedTime, SYSTEM_TIME } from "../support/write-time.js";

const { limits } = readConfig({ GATEWAY_MODE: "local" });
const NOW = new Date("2025-01-01T00:00:00Z");
const SEAL = { organizationName: "Test University", organizationIdentifier: "NTRIE-123456", countryName: "IE" };

/** The value a JSON Pointer names in a document (undefined when it names nothing). */
function at(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

async function toElm(file: string, fill?: Record<string, unknown>) {
  const out = await convert(
    { to: "elm", from: "ob3", document: loadOb3(file), options: { ...(fill ? { fill } : {}) } },
    limits,
    fixedTime(NOW),
  );
  const result = out.results[0];
  if (!result) throw new Error("no result");
  const sealed = applySealCertificate(structuredClone(result.document) as Record<string, unknown>, SEAL, NOW, {
    idSuffix: "-sealed",
  });
  return { ...result, shacl: await validateElm(sealed, ["generic-full"]) };
}

describe("options.fill", () => {
  it("the issuer's country makes an OB 3.0 badge without an issuer address conform", async () => {
    // Prepare: without fill, the awarding body (the OB 3.0 issuer) has no location (conformance.test.ts).
    const bare = await toElm("ob3/validator-fixtures/simple.json");
    expect(bare.shacl.conforms).toBe(false);
    // Act
    const filled = await toElm("ob3/validator-fixtures/simple.json", { issuerCountry: "US" });
    // Assess
    expect(filled.shacl.results).toEqual([]);
    expect(filled.conformance).toMatchObject({ conforms: true, violations: [] });
    const location = filled.derived.find((d) => d.reason.startsWith("options.fill.issuerCountry"));
    expect(location?.path).toBe("/credentialSubject/hasClaim/awardedBy/awardingBody/location");
    expect(JSON.stringify(at(filled.document, location?.path ?? ""))).toContain("/country/USA");
  });

  it("a credit system makes credits in no named system conform, each credit point listed", async () => {
    const bare = await toElm("ob3/validator-fixtures/complete.json");
    expect(bare.shacl.conforms).toBe(false);

    const filled = await toElm("ob3/validator-fixtures/complete.json", { creditFramework: "ECTS" });

    expect(filled.shacl.results).toEqual([]);
    expect(filled.conformance.conforms).toBe(true);
    const frameworks = filled.derived.filter((d) => d.reason.startsWith("options.fill.creditFramework"));
    expect(frameworks.length).toBe(bare.conformance.violations.filter((v) => v.path.endsWith("/framework")).length);
    for (const d of frameworks) {
      expect(d.path).toMatch(/\/framework$/);
      expect(at(filled.document, d.path)).toMatchObject({
        id: "http://data.europa.eu/snb/education-credit/6fcec5c5af",
      });
    }
  });

  it("the language of texts in no stated language is the filled one, listed; without it English is assumed, listed", async () => {
    // OB 3.0 states no language for the fixture's texts (no inLanguage, plain strings).
    const bare = await toElm("ob3/validator-fixtures/simple.json");
    const filled = await toElm("ob3/validator-fixtures/simple.json", { language: "de", issuerCountry: "US" });
    const reasonAt = (r: typeof bare, path: string) => r.derived.find((d) => d.path === path)?.reason;

    expect(reasonAt(bare, "/displayParameter/primaryLanguage")).toMatch(/English is assumed/);
    expect(at(bare.document, "/displayParameter/primaryLanguage/id")).toBe(
      "http://publications.europa.eu/resource/authority/language/ENG",
    );
    expect(reasonAt(filled, "/displayParameter/primaryLanguage")).toMatch(/^options\.fill\.language/);
    expect(at(filled.document, "/displayParameter/primaryLanguage/id")).toBe(
      "http://publications.europa.eu/resource/authority/language/DEU",
    );
    expect(filled.shacl.results).toEqual([]);
  });

  it("a value the source has is never replaced by a filled one", async () => {
    // The complete fixture's issuer has an address in the US (read in the file): a filled country does not apply.
    const filled = await toElm("ob3/validator-fixtures/complete.json", { issuerCountry: "FR" });

    expect(JSON.stringify(filled.document)).not.toContain("/country/FRA");
    expect(filled.derived.some((d) => d.reason.startsWith("options.fill.issuerCountry"))).toBe(false);
  });

  it.each([
    [{ issuerCountry: "Ireland" }, "/body/options/fill/issuerCountry"],
    [{ creditFramework: "credits" }, "/body/options/fill/creditFramework"],
    [{ language: "english" }, "/body/options/fill/language"],
    [{ title: "" }, "/body/options/fill/title"],
    [{ colour: "red" }, "/body/options/fill/colour"],
  ])("refuses fill %j naming the member", async (fill, pointer) => {
    await expect(
      convert(
        { to: "elm", from: "ob3", document: loadOb3("ob3/validator-fixtures/simple.json"), options: { fill } },
        limits,
        SYSTEM_TIME,
      ),
    ).rejects.toMatchObject({ code: "validation-failed", issues: [{ pointer }] });
  });
});
