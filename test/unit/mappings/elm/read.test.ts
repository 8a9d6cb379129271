import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readElm } from "../../../../mappings/elm/read.js";
import { looksLikeElm } from "../../../../mappings/elm/sniff.js";
import type { CanonicalCredential, ReadResult } from "../../../../mappings/model.js";

type Json = Record<string, unknown>;

const EDC_CONTEXT = ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"];
const EBSI_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "http://data.europa.eu/snb/model/context/edc-ap"];

const concept = (id: string, label?: string): Json => ({
  id,
  type: "Concept",
  ...(label ? { prefLabel: { en: label } } : {}),
});

const organisation = (): Json => ({
  id: "urn:epass:org:1",
  type: "Organisation",
  legalName: { en: "University of Zed" },
  location: {
    id: "urn:epass:location:1",
    type: "Location",
    address: {
      id: "urn:epass:address:1",
      type: "Address",
      countryCode: concept("http://publications.europa.eu/resource/authority/country/IRL", "Ireland"),
    },
  },
});

/** A small EDC-shaped credential (VCDM 1.1, single objects, string language maps). */
const credential = (): Json => ({
  "@context": [...EDC_CONTEXT],
  id: "urn:credential:1",
  type: ["VerifiableCredential", "EuropeanDigitalCredential"],
  credentialProfiles: concept("http://data.europa.eu/snb/credential/e34929035b", "Generic"),
  issuer: organisation(),
  issued: "2024-01-02T03:04:05Z",
  validFrom: "2024-01-01T00:00:00Z",
  credentialSubject: {
    id: "urn:epass:person:1",
    type: "Person",
    givenName: { en: "Ana" },
    hasClaim: {
      id: "urn:epass:learningAchievement:1",
      type: "LearningAchievement",
      title: { en: "Digital micro-credential creation" },
      awardedBy: { id: "urn:epass:awardingProcess:1", type: "AwardingProcess", awardingBody: organisation() },
      specifiedBy: {
        id: "urn:epass:qualification:1",
        type: "Qualification",
        title: { en: "Digital micro-credential creation" },
        creditPoint: {
          id: "urn:epass:creditPoint:1",
          type: "CreditPoint",
          framework: concept("http://data.europa.eu/snb/education-credit/6fcec5c5af"),
          point: "2",
        },
      },
    },
  },
});

/** The claim of {@link credential}, for tests that change it. */
const claimOf = (c: Json): Json => (c.credentialSubject as Json).hasClaim as Json;
const specOf = (c: Json): Json => claimOf(c).specifiedBy as Json;

function okValue(result: ReadResult): CanonicalCredential {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  const [value] = result.value;
  if (!value) throw new Error("no credential read");
  return value;
}

function issuesOf(result: ReadResult): { path: string; message: string }[] {
  if (result.ok) throw new Error("expected a refusal");
  return result.issues;
}

describe("readElm refusals", () => {
  it.each([42, "not json", null, [1, 2], true])("refuses %j, which is not an ELM object, at the root", (input) => {
    // Act
    const issues = issuesOf(readElm(input));
    // Assess
    expect(issues[0]?.path).toBe("");
  });

  it("refuses a credential without @context at /@context", () => {
    // Prepare
    const doc = credential();
    delete doc["@context"];
    // Act
    const issues = issuesOf(readElm(doc));
    // Assess
    expect(issues).toContainEqual({ path: "/@context", message: expect.stringContaining("missing @context") });
  });

  it("refuses a context that is not ELM (no edc-ap)", () => {
    // Prepare
    const doc = { ...credential(), "@context": ["https://www.w3.org/ns/credentials/v2"] };
    // Act
    const issues = issuesOf(readElm(doc));
    // Assess
    expect(issues.map((i) => i.path)).toEqual(["/@context"]);
  });

  it("refuses a type without EuropeanDigitalCredential at /type", () => {
    // Prepare
    const doc = { ...credential(), type: ["VerifiableCredential", "OpenBadgeCredential"] };
    // Act
    const issues = issuesOf(readElm(doc));
    // Assess
    expect(issues.map((i) => i.path)).toEqual(["/type"]);
  });

  it("refuses a credential without credentialSubject", () => {
    // Prepare
    const doc = credential();
    delete doc.credentialSubject;
    // Act
    const issues = issuesOf(readElm(doc));
    // Assess
    expect(issues.map((i) => i.path)).toEqual(["/credentialSubject"]);
  });

  it("refuses a JAdES envelope whose payload is not JSON, at /payload", () => {
    // Act
    const issues = issuesOf(readElm({ payload: "{not json", signatures: [{ protected: "x", signature: "y" }] }));
    // Assess
    expect(issues).toEqual([{ path: "/payload", message: expect.stringContaining("not JSON") }]);
  });

  it("reports a title that is a number at its path, and refuses the credential", () => {
    // Prepare
    const doc = credential();
    claimOf(doc).title = 42;
    // Act
    const issues = issuesOf(readElm(doc));
    // Assess
    expect(issues).toEqual([
      { path: "/credentialSubject/hasClaim/title", message: expect.stringContaining("a number") },
    ]);
  });

  it("reports an object expected where a number is, with the wrapper's root in the path", () => {
    // Prepare
    const doc = credential();
    specOf(doc).eqfLevel = 6;
    // Act
    const issues = issuesOf(readElm({ credential: doc }));
    // Assess
    expect(issues.map((i) => i.path)).toEqual(["/credential/credentialSubject/hasClaim/specifiedBy/eqfLevel"]);
  });

  it("refuses nesting deeper than any credential, without overflowing the stack", () => {
    // Prepare
    const doc = credential();
    let part: Json = claimOf(doc);
    for (let i = 0; i < 5000; i += 1) {
      const next: Json = { type: "LearningAchievement", title: { en: `part ${i}` } };
      part.hasPart = next;
      part = next;
    }
    // Act
    const issues = issuesOf(readElm(doc));
    // Assess
    expect(issues[0]?.message).toMatch(/nested more than/);
  });
});

describe("readElm values and provenance", () => {
  it("reads the learner, the claim and the awarding body's country, and traces them", () => {
    // Act
    const c = okValue(readElm(credential()));
    // Assess
    expect(c.learner.givenName).toEqual({ en: "Ana" });
    expect(c.claims[0]?.awardingBodies[0]?.locations[0]?.address?.country).toBe("IE");
    expect(c.provenance).toMatchObject({ format: "elm", variant: "edc", root: "", sourceId: "urn:credential:1" });
    expect(c.provenance.paths).toMatchObject({
      "/learner/givenName": "/credentialSubject/givenName",
      "/claims/0/title": "/credentialSubject/hasClaim/title",
      "/claims/0/awardingBodies/0/locations/0/address/country":
        "/credentialSubject/hasClaim/awardedBy/awardingBody/location/address/countryCode",
      "/claims/0/specification/credits/0/points": "/credentialSubject/hasClaim/specifiedBy/creditPoint/point",
      "/issued": "/issued",
    });
  });

  it("puts an array index in the source path only when the source held an array", () => {
    // Prepare
    const doc = credential();
    specOf(doc).learningOutcome = [{ type: "LearningOutcome", title: { en: "A" } }];
    // Act
    const c = okValue(readElm(doc));
    // Assess
    expect(c.provenance.paths["/claims/0/specification/learningOutcomes/0"]).toBe(
      "/credentialSubject/hasClaim/specifiedBy/learningOutcome/0",
    );
    expect(c.provenance.paths["/claims/0/specification/credits/0"]).toBe(
      "/credentialSubject/hasClaim/specifiedBy/creditPoint",
    );
  });

  it("reads the EBSI form: arrays and array-valued language maps become strings", () => {
    // Prepare
    const doc = credential();
    doc["@context"] = [...EBSI_CONTEXT];
    const subject = doc.credentialSubject as Json;
    subject.givenName = { en: ["David"] };
    subject.hasClaim = [{ ...claimOf(doc), title: { en: ["Data and software business"] } }];
    // Act
    const c = okValue(readElm(doc));
    // Assess
    expect(c.learner.givenName).toEqual({ en: "David" });
    expect(c.claims[0]?.title).toEqual({ en: "Data and software business" });
    expect(c.provenance.variant).toBe("ebsi");
    expect(c.provenance.paths["/claims/0/title"]).toBe("/credentialSubject/hasClaim/0/title");
  });

  it("keeps a second text in one language as an extension, with a warning", () => {
    // Prepare
    const doc = credential();
    claimOf(doc).title = { en: ["First", "Second"] };
    // Act
    const result = readElm(doc);
    // Assess
    const c = okValue(result);
    expect(c.claims[0]?.title).toEqual({ en: "First" });
    expect(c.extensions).toContainEqual({ path: "/credentialSubject/hasClaim/title/en/1", value: "Second" });
    expect(result.ok && result.warnings.map((w) => w.path)).toContain("/credentialSubject/hasClaim/title/en/1");
  });

  it("reads JSON-LD value objects as language maps", () => {
    // Prepare
    const doc = credential();
    claimOf(doc).title = [
      { "@value": "Titel", "@language": "de" },
      { "@value": "Title", "@language": "en" },
    ];
    // Act
    const c = okValue(readElm(doc));
    // Assess
    expect(c.claims[0]?.title).toEqual({ de: "Titel", en: "Title" });
  });

  it("captures an unknown key as an extension with its source path", () => {
    // Prepare
    const doc = credential();
    specOf(doc).shoeSize = { value: 42 };
    // Act
    const c = okValue(readElm(doc));
    // Assess
    expect(c.extensions).toContainEqual({
      path: "/credentialSubject/hasClaim/specifiedBy/shoeSize",
      value: { value: 42 },
    });
  });

  it("reads issuanceDate and expirationDate when issued and validUntil are absent", () => {
    // Prepare
    const doc = credential();
    delete doc.issued;
    doc.issuanceDate = "2023-09-27T13:54:17+02:00";
    doc.expirationDate = "2030-01-01T00:00:00Z";
    // Act
    const c = okValue(readElm(doc));
    // Assess
    expect(c.issued).toBe("2023-09-27T13:54:17+02:00");
    expect(c.validUntil).toBe("2030-01-01T00:00:00Z");
    expect(c.provenance.paths["/issued"]).toBe("/issuanceDate");
    expect(c.provenance.paths["/validUntil"]).toBe("/expirationDate");
  });

  it("warns on points that are not a number and keeps them as written", () => {
    // Prepare
    const doc = credential();
    ((specOf(doc).creditPoint as Json).point as unknown) = "two";
    // Act
    const result = readElm(doc);
    // Assess
    expect(okValue(result).claims[0]?.specification?.credits[0]?.points).toBe("two");
    expect(result.ok && result.warnings).toContainEqual({
      path: "/credentialSubject/hasClaim/specifiedBy/creditPoint/point",
      message: expect.stringContaining("not a number"),
    });
  });

  it("warns on an unknown concept of a closed ELM vocabulary and keeps it", () => {
    // Prepare
    const doc = credential();
    specOf(doc).eqfLevel = concept("http://data.europa.eu/snb/eqf/9");
    // Act
    const result = readElm(doc);
    // Assess
    expect(okValue(result).claims[0]?.specification?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/9");
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual([
      "/credentialSubject/hasClaim/specifiedBy/eqfLevel",
    ]);
  });

  it("warns on durations that are not ISO 8601 or look like months meant as minutes", () => {
    // Prepare
    const doc = credential();
    specOf(doc).volumeOfLearning = "60 hours";
    specOf(doc).maximumDuration = "P60M";
    // Act
    const result = readElm(doc);
    // Assess
    expect(result.ok && result.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining("not an ISO 8601 duration"),
      expect.stringContaining("60 months"),
    ]);
  });

  it("warns when @context names no W3C VC context, and reads the credential as EDC output", () => {
    // Prepare
    const doc = { ...credential(), "@context": ["toString", "http://data.europa.eu/snb/model/context/edc-ap"] };
    // Act
    const result = readElm(doc);
    // Assess
    expect(okValue(result).provenance.variant).toBe("edc");
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual(["/@context"]);
  });

  it("reads issued when issuanceDate differs, and keeps issuanceDate as an extension", () => {
    // Prepare
    const doc = { ...credential(), issuanceDate: "2020-01-01T00:00:00Z" };
    // Act
    const c = okValue(readElm(doc));
    // Assess
    expect(c.issued).toBe("2024-01-02T03:04:05Z");
    expect(c.extensions).toEqual([{ path: "/issuanceDate", value: "2020-01-01T00:00:00Z" }]);
  });

  it("reads a string issuer as an organisation reference", () => {
    // Prepare
    const doc = { ...credential(), issuer: "did:ebsi:org:1" };
    // Act
    const c = okValue(readElm(doc));
    // Assess
    expect(c.issuer?.id).toBe("did:ebsi:org:1");
  });

  it("reads a JAdES envelope with a base64url payload, rooted at /payload", () => {
    // Prepare
    const payload = Buffer.from(JSON.stringify(credential())).toString("base64url");
    const signatures = [{ protected: "eyJhbGciOiJSUzI1NiJ9", signature: "c2ln" }];
    // Act
    const c = okValue(readElm({ payload, signatures }));
    // Assess
    expect(c.provenance).toMatchObject({ variant: "jades", root: "/payload", proof: signatures });
    expect(c.provenance.paths["/learner/givenName"]).toBe("/payload/credentialSubject/givenName");
  });

  it("reads the JSON text of a credential", () => {
    // Act
    const c = okValue(readElm(JSON.stringify(credential())));
    // Assess
    expect(c.id).toBe("urn:credential:1");
  });
});

describe("looksLikeElm", () => {
  it.each([
    ["a credential", credential()],
    ["the upload wrapper", { credential: credential() }],
    ["a JAdES envelope", { payload: JSON.stringify(credential()), signatures: [] }],
    ["a type-only document", { type: "EuropeanDigitalCredential" }],
    ["JSON text", JSON.stringify(credential())],
  ])("recognises %s", (_name, input) => {
    expect(looksLikeElm(input)).toBe(true);
  });

  it.each([
    ["an OB3 credential", { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["OpenBadgeCredential"] }],
    ["a number", 1],
    ["XML", "<elmo/>"],
    ["a broken envelope", { payload: "{", signatures: [] }],
  ])("does not claim %s", (_name, input) => {
    expect(looksLikeElm(input)).toBe(false);
  });
});

describe("readElm on arbitrary input", () => {
  const neverThrows = (input: unknown): boolean => {
    const result = readElm(input);
    const messages = result.ok ? [] : result.issues.map((i) => i.message);
    return !messages.some((m) => m.startsWith("internal ELM reader error"));
  };

  it("never throws and never fails internally on any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), neverThrows), { numRuns: 500 });
  });

  it("never throws on anything, ELM-shaped or not", () => {
    const elmish = fc.record({
      "@context": fc.oneof(fc.constant(EDC_CONTEXT), fc.anything()),
      type: fc.oneof(fc.constant(["VerifiableCredential", "EuropeanDigitalCredential"]), fc.anything()),
      credentialSubject: fc.anything(),
      issuer: fc.anything(),
      displayParameter: fc.anything(),
    });
    fc.assert(fc.property(fc.oneof(fc.anything(), elmish), neverThrows), { numRuns: 500 });
    expect(looksLikeElm(undefined)).toBe(false);
  });
});
