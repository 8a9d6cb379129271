/**
 * The SHACL harness (test/support/shacl.ts) on the EC's own samples: it must pass what EDC accepts, name exactly
 * what the official shapes find missing, and fail when a required element is removed.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ElmShapes, type ShaclReport, validateElm } from "../../support/shacl.js";

const SAMPLES = resolve(fileURLToPath(new URL("../../..", import.meta.url)), "../shared/corpus/elm/samples");

const CRED = "https://www.w3.org/2018/credentials#";
const ELM = "http://data.europa.eu/snb/model/elm/";
const DC = "http://purl.org/dc/terms/";

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what}: not an object`);
  return value as Json;
}

const readSample = (name: string): Json => object(JSON.parse(readFileSync(resolve(SAMPLES, name), "utf8")), name);

/** The EC micro-credential as authored, before sealing. */
const unsignedMc = (): Json => readSample("Sample-MC-Annex1-unsigned.jsonld");

/** The same credential as EDC sealed it: the JAdES payload. */
const sealedMc = (): Json => {
  const payload = readSample("Sample-MC-Annex1-signed.jsonld").payload;
  if (typeof payload !== "string") throw new Error("the signed sample has no string payload");
  return object(JSON.parse(payload), "payload");
};

type Located = { focusNode?: string; path: string | null; constraint: string };

/** Results in a stable order (the validator's order follows its shape iteration, which means nothing). */
const sorted = <T extends Located>(results: T[]): T[] =>
  [...results].sort((a, b) => `${a.path} ${a.focusNode}`.localeCompare(`${b.path} ${b.focusNode}`));

/** What identifies a result independently of blank-node labels, in a stable order. */
const where = (report: ShaclReport): Located[] =>
  sorted(report.results.map(({ focusNode, path, constraint }) => ({ focusNode, path, constraint })));

describe("validateElm with the official EDC shapes", () => {
  it("finds exactly two violations of generic-full in the EC's unsigned sample: the fields EDC adds at sealing", async () => {
    // Prepare
    const credential = unsignedMc();
    const id = "urn:credential:3ef0ac26-9a1f-41c6-871b-2b82e670907b";

    // Act
    const report = await validateElm(credential, ["generic-full"]);

    // Assess: no `issued`, and an issuer without the eIDAS identifier EDC takes from the seal certificate
    expect(report.conforms).toBe(false);
    expect(where(report)).toEqual([
      { focusNode: id, path: `${CRED}issued`, constraint: "MinCountConstraintComponent" },
      { focusNode: id, path: `${CRED}issuer`, constraint: "NodeConstraintComponent" },
    ]);
    const issuer = report.results.find((r) => r.path === `${CRED}issuer`);
    expect(issuer?.sourceShape).toBe(
      "http://data.europa.eu/snb/model/ap/edc-generic-no-cv/EuropeanDigitalCredential-cred_issuer",
    );
    expect(issuer?.details.map(({ focusNode, path, constraint }) => ({ focusNode, path, constraint }))).toEqual([
      { focusNode: "urn:epass:org:1", path: `${ELM}eidasLegalIdentifier`, constraint: "MinCountConstraintComponent" },
    ]);
    expect(report.results.every((r) => r.severity === "Violation")).toBe(true);
  });

  it("passes the sealed sample's payload and the ELM credential sample against generic-full", async () => {
    // Act
    const sealed = await validateElm(sealedMc(), ["generic-full"]);
    const credentialSample = await validateElm(readSample("credential-sample.jsonld"), ["generic-full"]);

    // Assess
    expect(sealed).toEqual({ conforms: true, results: [] });
    expect(credentialSample).toEqual({ conforms: true, results: [] });
  });

  it("fails a credential without credentialSubject and names that path", async () => {
    // Prepare
    const credential = sealedMc();
    delete credential.credentialSubject;

    // Act
    const report = await validateElm(credential, ["generic-full"]);

    // Assess
    expect(report.conforms).toBe(false);
    expect(where(report)).toEqual([
      {
        focusNode: "urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75",
        path: `${CRED}credentialSubject`,
        constraint: "MinCountConstraintComponent",
      },
    ]);
  });

  it("fails a claim without title and names that path on the claim", async () => {
    // Prepare
    const credential = sealedMc();
    const claim = object(object(credential.credentialSubject, "credentialSubject").hasClaim, "hasClaim");
    delete claim.title;

    // Act
    const report = await validateElm(credential, ["generic-full"]);

    // Assess
    expect(report.conforms).toBe(false);
    expect(where(report)).toEqual([
      { focusNode: "urn:epass:learningAchievement:1", path: `${DC}title`, constraint: "MinCountConstraintComponent" },
    ]);
  });

  it.each<[ElmShapes, Located[]]>([
    ["generic-no-cv", []],
    ["issued-by-mandate", []],
    ["accredited", [{ path: `${ELM}accreditation`, constraint: "MinCountConstraintComponent" }]],
    ["converted", [{ path: `${ELM}embeddedEvidence`, constraint: "MinCountConstraintComponent" }]],
    [
      "diploma-supplement",
      [
        { path: `${ELM}accreditation`, constraint: "MinCountConstraintComponent" },
        { path: `${ELM}awardingOpportunity`, constraint: "MinCountConstraintComponent" },
        { path: `${ELM}creditReceived`, constraint: "MinCountConstraintComponent" },
        { path: `${ELM}hasPart`, constraint: "MinCountConstraintComponent" },
      ],
    ],
  ])("checks the sealed sample against the %s profile and its imports", async (profile, expected) => {
    // Act
    const report = await validateElm(sealedMc(), [profile]);

    // Assess
    expect(report.conforms).toBe(expected.length === 0);
    expect(sorted(report.results.map(({ path, constraint }) => ({ path, constraint })))).toEqual(expected);
  });
});
