/**
 * Shared by the OB 3.0 writer's tests: a complete EU micro-credential in the canonical model (every Annex I element),
 * a fast-check generator of such credentials, the OB 3.0 JSON Schema from the corpus (compiled once) and JSON-LD
 * safe-mode processing with the project's pinned document loader.
 */
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import jsonld from "jsonld";
import {
  type CanonicalCredential,
  type Concept,
  emptyAccreditation,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type LangMap,
} from "../../mappings/model.js";
import {
  ACCREDITATION_TYPES,
  ECTS,
  eqfConcept,
  LEARNING_SETTINGS,
  MODES,
  SUPERVISION,
  snbConcept,
} from "../../mappings/vocab/index.js";
import { TEST_OB3_ELM_CONTEXT_URL, testDocumentLoader } from "./contexts.js";
import { corpusJson } from "./corpus.js";

export { TEST_OB3_ELM_CONTEXT_URL } from "./contexts.js";

/** The writer options a gateway passes (its extension context URL). */
export const WITH_CONTEXT = { extensionContextUrl: TEST_OB3_ELM_CONTEXT_URL } as const;

/** The OB 3.0 AchievementCredential JSON Schema (July 2024 build), as the 1EdTech validator uses it. */
export const OB3_SCHEMA_FILE = "ob3/schema/ob_v3p0_achievementcredential_schema.gh-pages.json";

const ajv = new Ajv2019.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(corpusJson(OB3_SCHEMA_FILE));

/** The schema's errors for a document (empty when it is valid). */
export function schemaErrors(document: unknown): { path: string; message: string }[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? e.keyword }));
}

/** N-Quads of a document in JSON-LD safe mode (throws on any dropped term or relative IRI), with pinned contexts. */
export async function safeNQuads(document: object): Promise<string> {
  return jsonld.toRDF(document, { format: "application/n-quads", documentLoader: testDocumentLoader, safe: true });
}

/** A concept of a free (non-ELM) scheme, as the EC sample writes its assessment types. */
const freeConcept = (uri: string, label: string): Concept => ({ uri, label: { en: label }, scheme: "urn:test:scheme" });

/**
 * A micro-credential with every Annex I element, mandatory and optional, and the fields around them (a fresh object
 * on every call). No provenance paths: losses and warnings point into the canonical model (`#canonical/…`).
 */
export function completeMicroCredential(): CanonicalCredential {
  const credential = emptyCredential("elm");
  credential.id = "urn:credential:mc-1";
  credential.types = ["VerifiableCredential", "EuropeanDigitalCredential"];
  credential.issued = "2024-03-01T10:00:00+01:00";
  credential.validFrom = "2024-03-01T10:00:00+01:00";
  credential.additionalNotes = [{ en: "Issued under the EDC pilot." }];

  const p = credential.learner;
  p.id = "did:example:ana";
  p.givenName = { en: "Ana" };
  p.familyName = { en: "Andromeda" };
  p.fullName = { en: "Ana Andromeda" };
  p.dateOfBirth = "1999-10-01";
  p.nationalId = { value: "LA-234218", kind: "national", country: "IT" };
  p.emails = ["ana@example.org"];

  const university = emptyOrganisation({ en: "University of Zed", ga: "Ollscoil Zed" });
  university.id = "https://uniz.example/org";
  university.locations = [{ address: { country: "IE", full: { en: "Instant Street 16, D08 Dublin" } } }];
  university.homepages = ["https://uniz.example"];
  university.emails = ["registrar@uniz.example"];
  university.identifiers = [{ value: "IE1234", kind: "registration", country: "IE" }];
  university.accreditations = [
    {
      ...emptyAccreditation(),
      id: "https://data.deqar.eu/report/42",
      types: [ACCREDITATION_TYPES.institutionalQa],
      title: { en: "Institutional review" },
      accreditingAgent: { ...emptyOrganisation({ en: "QQI" }), id: "https://qqi.example/org" },
    },
  ];
  credential.issuer = university;

  const spec = emptySpecification("qualification", { en: "Data literacy", fr: "Littératie des données" });
  spec.id = "https://uniz.example/qualifications/data-literacy";
  spec.description = { en: "A short course in reading and using data." };
  spec.types = [snbConcept("learning-opportunity", "74a4a268e8")];
  spec.learningOutcomes = [
    {
      id: "urn:lo:1",
      title: { en: "Interpret data visualisations" },
      escoSkills: [
        {
          uri: "http://data.europa.eu/esco/skill/aaaa-1111",
          label: { en: "interpret data" },
          scheme: "http://data.europa.eu/esco/concept-scheme/skills",
        },
      ],
      relatedSkills: [],
    },
    { title: { en: "Clean a data set" }, escoSkills: [], relatedSkills: [] },
  ];
  spec.credits = [{ framework: ECTS, points: "5" }];
  spec.volumeOfLearning = "PT125H";
  spec.eqfLevel = eqfConcept(6);
  spec.nqfLevels = [freeConcept("http://data.europa.eu/snb/qdr/c_test", "NFQ Level 7")];
  spec.fields = [{ uri: "http://data.europa.eu/snb/isced-f/0542", label: { en: "Statistics" } }];
  spec.languages = [{ uri: "http://publications.europa.eu/resource/authority/language/ENG", label: { en: "English" } }];
  spec.modes = [MODES.online];
  spec.learningSettings = [LEARNING_SETTINGS.formal];
  spec.entryRequirement = { en: "A secondary school leaving certificate." };
  spec.isPartialQualification = false;
  spec.isPartOf = ["https://uniz.example/qualifications/data-science"];
  spec.accreditations = [
    { ...emptyAccreditation(), id: "https://data.deqar.eu/report/43", types: [ACCREDITATION_TYPES.programmeQa] },
  ];
  spec.homepages = ["https://uniz.example/courses/data-literacy"];
  spec.additionalNotes = [{ en: "Stackable towards the Certificate in Data Science." }];

  const assessmentSpec = emptySpecification("assessment", { en: "Written examination" });
  assessmentSpec.types = [snbConcept("assessment", "6e6cb2cc78")];
  assessmentSpec.gradingScheme = { id: "https://uniz.example/grading/letters", title: { en: "Letter grades A–F" } };
  const assessment = emptyClaim("assessment", { en: "Final examination" });
  assessment.id = "urn:assessment:1";
  assessment.specification = assessmentSpec;
  assessment.grade = { value: "B", note: { en: "B" } };
  assessment.idVerification = SUPERVISION.supervisedWithId;

  const activitySpec = emptySpecification("activity", { en: "Online lectures" });
  activitySpec.modes = [MODES.online];
  const activity = emptyClaim("activity", { en: "Online lectures" });
  activity.specification = activitySpec;
  activity.startDate = "2024-01-08";
  activity.endDate = "2024-02-23";

  const claim = emptyClaim("achievement", { en: "Data literacy", fr: "Littératie des données" });
  claim.id = "urn:achievement:1";
  claim.awardingBodies = [university];
  claim.awardingDate = "2024-02-28T00:00:00Z";
  claim.specification = spec;
  claim.provenBy = [assessment];
  claim.influencedBy = [activity];
  claim.creditsEarned = [{ framework: ECTS, points: "5" }];
  credential.claims = [claim];
  return credential;
}

const text = fc.string({ minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== "");
const langMap: fc.Arbitrary<LangMap> = fc
  .uniqueArray(fc.constantFrom("en", "fr", "de", "ga", "es", "und"), { minLength: 1, maxLength: 3 })
  .chain((langs) => fc.tuple(...langs.map((l) => text.map((t) => [l, t] as const))).map((e) => Object.fromEntries(e)));
const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

/**
 * Micro-credentials with every Annex I element, varying what the element holds: texts and their languages, the
 * number of learning outcomes, ECTS points and hours, the EQF level, modes, the assessment type, identity
 * verification, grade, quality assurance and stackability.
 */
export const microCredentials: fc.Arbitrary<CanonicalCredential> = fc
  .record({
    given: langMap,
    family: langMap,
    title: langMap,
    outcomes: fc.array(langMap, { minLength: 1, maxLength: 4 }),
    ects: fc.integer({ min: 1, max: 59 }),
    hours: fc.integer({ min: 1, max: 1500 }),
    eqf: fc.integer({ min: 1, max: 8 }),
    modes: fc.subarray(Object.values(MODES), { minLength: 1 }),
    assessmentType: pick(["6e6cb2cc78", "d30284d7df", "795dac4096", "de4d165a6c"] as const),
    supervision: pick(Object.values(SUPERVISION)),
    grade: text,
    qa: pick(Object.values(ACCREDITATION_TYPES)),
    report: fc.integer({ min: 1, max: 99_999 }),
    partial: fc.boolean(),
    country: pick(["IE", "FR", "DE", "ES", "IT", "PL"]),
    date: fc.date({ min: new Date("2000-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }),
  })
  .map((v) => {
    const c = completeMicroCredential();
    const claim = c.claims[0];
    const spec = claim?.specification;
    const assessment = claim?.provenBy[0];
    if (!claim || !spec || !assessment?.specification || !c.issuer) throw new Error("fixture changed");
    c.learner.givenName = v.given;
    c.learner.familyName = v.family;
    delete c.learner.fullName;
    c.issued = v.date.toISOString();
    c.issuer.locations = [{ address: { country: v.country } }];
    claim.title = v.title;
    spec.title = v.title;
    spec.learningOutcomes = v.outcomes.map((title) => ({ title, escoSkills: [], relatedSkills: [] }));
    spec.credits = [{ framework: ECTS, points: String(v.ects) }];
    spec.volumeOfLearning = `PT${v.hours}H`;
    spec.eqfLevel = eqfConcept(v.eqf);
    spec.modes = v.modes;
    assessment.specification.types = [snbConcept("assessment", v.assessmentType)];
    assessment.idVerification = v.supervision;
    assessment.grade = { value: v.grade };
    spec.accreditations = [{ ...emptyAccreditation(), id: `https://data.deqar.eu/report/${v.report}`, types: [v.qa] }];
    spec.isPartialQualification = v.partial;
    return c;
  });

/** An unsigned OB 3.0 credential (the 1EdTech validator's simple fixture without its proof) under a fresh id. */
export function unsignedOb3Credential(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const doc = corpusJson("ob3/validator-fixtures/simple.json") as Record<string, unknown>;
  delete doc.proof;
  return { ...doc, id: `urn:uuid:${crypto.randomUUID()}`, ...extra };
}
