import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type Annex1Report,
  checkAnnex1,
  type ElementId,
  MANDATORY_ELEMENTS,
} from "../../mappings/compliance/annex1.js";
import { readElm } from "../../mappings/elm/read.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const MC_SIGNED = resolve(projectRoot, "../shared/corpus/elm/samples/Sample-MC-Annex1-signed.jsonld");

/** The EC's sealed micro-credential sample: a JAdES envelope whose `payload` is the credential's JSON text. */
const loadSealed = (): { payload: string; signatures: unknown } => JSON.parse(readFileSync(MC_SIGNED, "utf8"));

const SUBJECT = "/payload/credentialSubject";
const CLAIM = `${SUBJECT}/hasClaim`;
const SPEC = `${CLAIM}/specifiedBy`;

/** Where the sample carries each of the 10 mandatory elements it has (it has no quality assurance). */
const EXPECTED: Partial<Record<ElementId, { path: string; value: unknown }>> = {
  learner: {
    path: SUBJECT,
    value: ["id", "givenName", "familyName", "fullName", "dateOfBirth", "nationalId", "emails"],
  },
  title: { path: `${CLAIM}/title`, value: "Digital micro-credential creation" },
  issuerCountry: { path: "/payload/issuer/location/0/address/countryCode", value: ["IE", "ES"] },
  awardingBody: { path: `${CLAIM}/awardedBy/awardingBody`, value: ["University of Zed"] },
  issuanceDate: { path: "/payload/issued", value: { date: "2023-09-27T13:54:17+02:00", from: "issued" } },
  learningOutcomes: {
    path: `${SPEC}/learningOutcome`,
    value: { count: 2, titles: ["Communication, collaboration and creativity", "Developing digital content"] },
  },
  workload: { path: `${SPEC}/creditPoint`, value: { ects: 2, hours: 60 } },
  level: { path: `${SPEC}/eqfLevel`, value: "EQF 6, NQF RQF Level 6" },
  assessmentType: { path: `${CLAIM}/provenBy/specifiedBy/dcType`, value: "artefact assessment" },
  participationForm: { path: `${SPEC}/mode`, value: { form: ["Blended"], from: "specification" } },
};

function check(input: unknown): Annex1Report {
  const read = readElm(input);
  if (!read.ok) throw new Error(JSON.stringify(read.issues));
  const [credential] = read.value;
  if (!credential) throw new Error("no credential read");
  return checkAnnex1(credential);
}

describe("Annex I check on the EC micro-credential sample", () => {
  it("finds the 10 mandatory elements it carries where they are in the sealed input, and no quality assurance", () => {
    // Act
    const report = check(loadSealed());

    // Assess
    expect(Object.keys(EXPECTED)).toHaveLength(10);
    for (const [id, expected] of Object.entries(EXPECTED)) {
      const result = report.elements.find((e) => e.element === id);
      expect(result, id).toMatchObject({ status: "present", source: "credential", ...expected });
    }
    expect(report.elements.find((e) => e.element === "qualityAssurance")?.status).toBe("missing");
    expect(report.microCredential).toMatchObject({ compliant: false, missing: ["qualityAssurance"], invalid: [] });
  });

  it("finds its optional elements: prerequisites, supervision, grade and stackability", () => {
    // Act
    const report = check(loadSealed());

    // Assess
    const optional = Object.fromEntries(report.elements.filter((e) => !e.required).map((e) => [e.element, e]));
    expect(optional.prerequisites).toMatchObject({ status: "present", path: `${SPEC}/entryRequirement` });
    expect(optional.supervisionAndIdVerification).toMatchObject({
      status: "present",
      path: `${CLAIM}/provenBy/idVerification`,
      value: "Unsupervised without ID Verification",
    });
    expect(optional.grade).toMatchObject({ status: "present", path: `${CLAIM}/provenBy/grade`, value: "Pass" });
    expect(optional.stackability).toMatchObject({
      status: "present",
      path: `${SPEC}/isPartialQualification`,
      value: { isPartialQualification: false },
    });
    expect(optional.furtherInformation?.status).toBe("missing");
  });

  it("is a DEQAR micro-credential: 2 ECTS, EQF 6, assessed, no full degree", () => {
    // Act
    const { deqar } = check(loadSealed()).microCredential;

    // Assess
    expect(deqar).toEqual({
      eligible: true,
      reasons: [],
      ects: 2,
      level: { eqf: 6, qfEhea: "first" },
      fullDegree: false,
      assessmentType: true,
    });
  });

  it("has all 11 mandatory elements once its specification carries an accreditation", () => {
    // Prepare
    const sealed = loadSealed();
    const payload = JSON.parse(sealed.payload);
    payload.credentialSubject.hasClaim.specifiedBy.accreditation = {
      id: "https://data.deqar.eu/report/12345",
      type: "Accreditation",
      dcType: {
        id: "http://data.europa.eu/snb/accreditation/820101cba6",
        type: "Concept",
        inScheme: { id: "http://data.europa.eu/snb/accreditation/25831c2", type: "ConceptScheme" },
        prefLabel: { en: "Program Quality Assurance" },
      },
      title: { en: "Programme accreditation" },
    };
    const input = { ...sealed, payload: JSON.stringify(payload) };

    // Act
    const report = check(input);

    // Assess
    expect(report.microCredential).toMatchObject({ compliant: true, missing: [], invalid: [] });
    expect(report.elements.filter((e) => e.status === "present").map((e) => e.element)).toEqual(
      expect.arrayContaining([...MANDATORY_ELEMENTS]),
    );
    expect(report.elements.find((e) => e.element === "qualityAssurance")).toMatchObject({
      path: `${SPEC}/accreditation`,
      value: {
        accreditations: ["Programme accreditation (https://data.deqar.eu/report/12345)"],
        from: "specification",
      },
    });
  });
});
