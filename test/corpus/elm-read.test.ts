import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readElm } from "../../mappings/elm/read.js";
import { looksLikeElm } from "../../mappings/elm/sniff.js";
import type { CanonicalCredential, ReadResult } from "../../mappings/model.js";
import { ECTS, eqfLevelNumber, MODES, SUPERVISION } from "../../mappings/vocab/index.js";

const ELM_CORPUS = resolve(fileURLToPath(new URL("../..", import.meta.url)), "../shared/corpus/elm");
const load = (relative: string): unknown => JSON.parse(readFileSync(resolve(ELM_CORPUS, relative), "utf8"));

const MC_UNSIGNED = "samples/Sample-MC-Annex1-unsigned.jsonld";
const MC_SIGNED = "samples/Sample-MC-Annex1-signed.jsonld";
const MC_UPLOADABLE = "samples/Sample-MC-Annex1-unsigned-uploadable.json";
const CREDENTIAL_SAMPLE = "samples/credential-sample.jsonld";
const EBSI_EXAMPLE = "ebsi/example-microcredential.json";
const CREDENTIALS = [MC_UNSIGNED, MC_SIGNED, MC_UPLOADABLE, CREDENTIAL_SAMPLE, EBSI_EXAMPLE];

function okRead(relative: string): { credential: CanonicalCredential; result: ReadResult & { ok: true } } {
  const result = readElm(load(relative));
  if (!result.ok) throw new Error(`${relative}: ${JSON.stringify(result.issues)}`);
  const [credential] = result.value;
  if (!credential || result.value.length !== 1) throw new Error(`${relative}: expected one credential`);
  return { credential, result };
}

describe("ELM corpus", () => {
  it.each(CREDENTIALS)("reads %s", (relative) => {
    // Act
    const result = readElm(load(relative));
    // Assess
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(looksLikeElm(load(relative))).toBe(true);
  });

  it("refuses the accreditation export, which is not a credential", () => {
    // Act
    const result = readElm(load("samples/accreditation-sample.json"));
    // Assess
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(["/@context", "/type", "/credentialSubject"]);
  });

  it("marks each package of the MC sample in provenance", () => {
    // Act
    const variants = [MC_UNSIGNED, MC_SIGNED, MC_UPLOADABLE].map((f) => okRead(f).credential.provenance);
    // Assess
    expect(variants.map((p) => [p.variant, p.root])).toEqual([
      ["edc", ""],
      ["jades", "/payload"],
      ["wrapper", "/credential"],
    ]);
    expect(variants[1]?.proof).toEqual((load(MC_SIGNED) as { signatures: unknown }).signatures);
    expect(okRead(EBSI_EXAMPLE).credential.provenance.variant).toBe("ebsi");
  });
});

describe("the EC micro-credential sample (Annex I)", () => {
  const { credential: mc } = okRead(MC_UNSIGNED);
  const achievement = mc.claims[0];
  const spec = achievement?.specification;
  const assessment = achievement?.provenBy[0];
  const paths = mc.provenance.paths;

  it("reads the learner", () => {
    expect(mc.learner.givenName).toEqual({ en: "Ana" });
    expect(mc.learner.familyName).toEqual({ en: "Andromeda" });
    expect(mc.learner.nationalId).toEqual({ value: "LA-234218", kind: "national", country: "IT" });
    expect(mc.learner.emails).toEqual(["ana.andromeda@email.com"]);
    expect(paths["/learner/givenName"]).toBe("/credentialSubject/givenName");
    expect(paths["/learner/nationalId"]).toBe("/credentialSubject/nationalID");
  });

  it("reads the achievement and its awarding body in Ireland", () => {
    expect(achievement?.kind).toBe("achievement");
    expect(achievement?.title).toEqual({ en: "Digital micro-credential creation" });
    const body = achievement?.awardingBodies[0];
    expect(body?.legalName).toEqual({ en: "University of Zed" });
    expect(body?.locations[0]?.address?.country).toBe("IE");
    expect(body?.identifiers.map((i) => [i.kind, i.value])).toEqual([
      ["registration", "0000"],
      ["vat", "654321"],
      ["other", "Res1818"],
    ]);
    expect(body?.homepages).toEqual(["https://uniz.edu"]);
    expect(body?.logo?.mediaType).toBe("image/png");
    expect(body?.memberOf).toEqual([
      { id: "urn:epass:group:1", name: { en: "Research Alliance" }, emails: ["info@resa.edu"] },
    ]);
    expect(paths["/claims/0/awardingBodies/0/memberOf/0/emails/0"]).toBe(
      "/credentialSubject/hasClaim/awardedBy/awardingBody/groupMemberOf/contactPoint/emailAddress",
    );
    expect(paths["/claims/0/title"]).toBe("/credentialSubject/hasClaim/title");
    expect(paths["/claims/0/awardingBodies/0/locations/0/address/country"]).toBe(
      "/credentialSubject/hasClaim/awardedBy/awardingBody/location/address/countryCode",
    );
  });

  it("reads the qualification: EQF 6, 2 ECTS, 60 hours, learning outcomes, blended mode", () => {
    expect(spec?.kind).toBe("qualification");
    expect(spec?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/6");
    expect(eqfLevelNumber(spec?.eqfLevel)).toBe(6);
    expect(spec?.credits).toEqual([{ points: "2", framework: expect.objectContaining({ uri: ECTS.uri }) }]);
    expect(spec?.volumeOfLearning).toBe("PT60H");
    expect(spec?.maximumDuration).toBe("P1M");
    expect(spec?.learningOutcomes).toHaveLength(2);
    expect(spec?.learningOutcomes[1]?.escoSkills).toEqual([
      expect.objectContaining({
        uri: "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a",
        label: { en: "develop digital content" },
      }),
    ]);
    expect(spec?.learningOutcomes[1]?.title).toEqual({ en: "Developing digital content", es: "Contento digital" });
    expect(spec?.modes.map((m) => m.uri)).toEqual([MODES.blended.uri]);
    expect(spec?.fields.map((f) => f.uri)).toEqual([
      "http://data.europa.eu/snb/isced-f/003",
      "http://data.europa.eu/snb/isced-f/0688",
    ]);
    expect(spec?.isPartialQualification).toBe(false);
    expect(spec?.entryRequirement?.en).toMatch(/EU Login/);
    expect(paths).toMatchObject({
      "/claims/0/specification/eqfLevel": "/credentialSubject/hasClaim/specifiedBy/eqfLevel",
      "/claims/0/specification/credits/0/points": "/credentialSubject/hasClaim/specifiedBy/creditPoint/point",
      "/claims/0/specification/volumeOfLearning": "/credentialSubject/hasClaim/specifiedBy/volumeOfLearning",
      "/claims/0/specification/learningOutcomes": "/credentialSubject/hasClaim/specifiedBy/learningOutcome",
      "/claims/0/specification/learningOutcomes/1/escoSkills/0":
        "/credentialSubject/hasClaim/specifiedBy/learningOutcome/1/relatedESCOSkill",
      "/claims/0/specification/modes/0": "/credentialSubject/hasClaim/specifiedBy/mode",
    });
  });

  it("reads the assessment: grade, identity verification, assessment type", () => {
    expect(assessment?.kind).toBe("assessment");
    expect(assessment?.grade).toEqual({ note: { en: "Pass" }, value: "Pass" });
    expect(assessment?.idVerification?.uri).toBe(SUPERVISION.unsupervisedWithoutId.uri);
    expect(assessment?.specification?.types[0]?.label).toEqual({ en: "artefact assessment" });
    expect(assessment?.specification?.gradingScheme?.title).toEqual({ en: "Standard grading" });
    expect(assessment?.assessedBy[0]?.locations[0]?.address?.country).toBe("BE");
    expect(paths["/claims/0/provenBy/0/grade/note"]).toBe("/credentialSubject/hasClaim/provenBy/grade/noteLiteral");
    expect(paths["/claims/0/provenBy/0/idVerification"]).toBe("/credentialSubject/hasClaim/provenBy/idVerification");
  });

  it("reads the activity: dates, the organisation directing it, its specification", () => {
    const activity = achievement?.influencedBy[0];
    expect(activity?.kind).toBe("activity");
    expect([activity?.startDate, activity?.endDate]).toEqual(["2023-05-05T07:00:00Z", "2023-06-06T15:00:00Z"]);
    expect(activity?.directedBy[0]?.altNames).toEqual([{ en: "EDC Support Team" }]);
    expect(activity?.specification?.kind).toBe("activity");
    expect(activity?.specification?.volumeOfLearning).toBe("P60M");
  });

  it("reads the credential: profile, display with its rendered page, identifier, issuer", () => {
    expect(mc.profiles.map((p) => p.uri)).toEqual(["http://data.europa.eu/snb/credential/e34929035b"]);
    expect(mc.display).toMatchObject({ title: { en: "Micro-Credential" }, primaryLanguage: "en", languages: ["en"] });
    expect(mc.display?.pages).toHaveLength(1);
    expect(mc.display?.pages[0]?.mediaType).toBe("image/jpeg");
    expect(mc.identifiers).toEqual([{ value: "C012", kind: "other", scheme: "Certificate number" }]);
    expect(mc.issuer?.legalName).toEqual({ en: "University of Zed" });
    expect(mc.validFrom).toBe("2022-12-31T23:00:00Z");
    expect(paths["/display/pages/0"]).toBe("/displayParameter/individualDisplay/displayDetail/image");
  });

  it("warns only about the activity's P60M volume of learning", () => {
    // Act
    const { result } = okRead(MC_UNSIGNED);
    // Assess
    expect(result.warnings).toEqual([
      {
        path: "/credentialSubject/hasClaim/influencedBy/specifiedBy/volumeOfLearning",
        message: expect.stringContaining("60 months"),
      },
    ]);
  });

  it("has a place for everything it holds: no extensions", () => {
    expect(mc.extensions).toEqual([]);
  });

  it("reads the credential schema into provenance", () => {
    expect(mc.provenance.schemas).toEqual([
      { id: "http://data.europa.eu/snb/model/ap/edc-generic-full", type: "ShaclValidator2017" },
    ]);
    expect(paths["/provenance/schemas/0"]).toBe("/credentialSchema");
  });
});

describe("the sealed MC sample", () => {
  const { credential: sealed } = okRead(MC_SIGNED);

  it("reads the issue date and the sealer, traced inside the payload", () => {
    expect(sealed.issued).toBe("2023-09-27T13:54:17+02:00");
    expect(sealed.provenance.paths["/issued"]).toBe("/payload/issued");
    expect(sealed.issuer?.legalName).toEqual({ en: "ORGANIZACION TEST" });
    expect(sealed.issuer?.identifiers[0]).toEqual({ value: "VATES-A00000000", kind: "eidas", country: "ES" });
    expect(sealed.issuer?.locations.map((l) => l.address?.country)).toEqual(["IE", "ES"]);
    expect(sealed.provenance.paths["/learner/givenName"]).toBe("/payload/credentialSubject/givenName");
  });

  it("reads the mandate evidence EDC adds when sealing", () => {
    expect(sealed.evidence).toHaveLength(1);
    expect(sealed.evidence[0]?.types[0]?.uri).toBe("http://data.europa.eu/snb/evidence-type/c_18016257");
    expect(sealed.evidence[0]?.statement?.und).toMatch(/^Every claim inside this credential/);
  });
});

describe("the three packages of the MC sample", () => {
  it("give the same canonical claims", () => {
    // Act
    const [unsigned, sealed, uploadable] = [MC_UNSIGNED, MC_SIGNED, MC_UPLOADABLE].map((f) => okRead(f).credential);
    // Assess
    expect(sealed?.claims).toEqual(unsigned?.claims);
    expect(uploadable?.claims).toEqual(unsigned?.claims);
    expect(sealed?.claims).toHaveLength(1);
  });
});

describe("the EBSI VCDM 2.0 example", () => {
  const { credential: ebsi } = okRead(EBSI_EXAMPLE);

  it("reads array-valued language maps as strings", () => {
    expect(ebsi.learner.givenName).toEqual({ en: "David" });
    expect(ebsi.learner.fullName).toEqual({ en: "David Smith" });
    expect(ebsi.display?.title).toEqual({ en: "Microcredential - Data and software business" });
    expect(ebsi.claims[0]?.title).toEqual({ en: "Data and software business" });
    expect(ebsi.claims[0]?.awardingBodies[0]?.legalName).toEqual({ en: "University of Life" });
    expect(ebsi.claims[0]?.provenBy[0]?.grade?.value).toBe("Excellent (5)");
  });

  it("reads arrays as arrays, with indices in the source paths", () => {
    expect(ebsi.claims.map((c) => c.kind)).toEqual(["achievement", "activity", "activity", "activity"]);
    expect(ebsi.claims[0]?.specification?.credits[0]?.points).toBe("5");
    expect(ebsi.claims[0]?.awardingDate).toBe("2020-07-20T00:00:00+02:00");
    expect(ebsi.provenance.paths["/claims/0/awardingBodies/0/locations/0/address/country"]).toBe(
      "/credentialSubject/hasClaim/0/awardedBy/awardingBody/0/location/0/address/0/countryCode",
    );
  });
});

/** Every pointer to an object member or array item of a JSON value. */
function memberPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((item, i) => [[...at, i], ...memberPaths(item, [...at, i])]);
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).flatMap(([k, item]) => [[...at, k], ...memberPaths(item, [...at, k])]);
  }
  return [];
}

const isContainer = (v: unknown): v is Record<string | number, unknown> => typeof v === "object" && v !== null;

/** Deletes or replaces the member at a path of a (cloned) JSON value; a path an earlier mutation removed is skipped. */
function mutate(doc: unknown, path: (string | number)[], replacement: unknown, remove: boolean): void {
  let parent: unknown = doc;
  for (const token of path.slice(0, -1)) parent = isContainer(parent) ? parent[token] : undefined;
  const last = path[path.length - 1];
  if (last === undefined || !isContainer(parent)) return;
  const container = parent;
  if (remove && !Array.isArray(container)) delete container[last];
  else container[last] = replacement;
}

describe("readElm on mutated corpus credentials", () => {
  const sample = load(MC_UNSIGNED);
  const paths = memberPaths(sample);

  it("never throws and never fails internally when keys are deleted or replaced", () => {
    const mutation = fc.record({
      at: fc.nat({ max: paths.length - 1 }),
      remove: fc.boolean(),
      value: fc.jsonValue({ maxDepth: 3 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        const doc = structuredClone(sample);
        for (const m of mutations) mutate(doc, paths[m.at] ?? [], m.value, m.remove);
        const result = readElm(doc);
        return result.ok || !result.issues.some((i) => i.message.startsWith("internal ELM reader error"));
      }),
      { numRuns: 300 },
    );
  });
});
