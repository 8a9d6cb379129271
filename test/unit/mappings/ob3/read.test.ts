import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CanonicalCredential, ReadResult } from "../../../../mappings/model.js";
import { readOb3 } from "../../../../mappings/ob3/read.js";
import { looksLikeOb3 } from "../../../../mappings/ob3/sniff.js";
import { ECTS, SUPERVISION } from "../../../../mappings/vocab/index.js";
import { TEST_OB3_ELM_CONTEXT_URL } from "../../../support/ob3.js";

const VC2 = "https://www.w3.org/ns/credentials/v2";
const VC1 = "https://www.w3.org/2018/credentials/v1";
const OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

type Json = Record<string, unknown>;

/** A minimal valid OB 3.0 achievement (fresh each call). */
const achievement = (over: Json = {}): Json => ({
  id: "https://example.edu/achievements/robotics",
  type: ["Achievement"],
  name: "Robotics",
  description: "Builds robots.",
  criteria: { narrative: "Build a robot." },
  ...over,
});

/** A minimal valid OB 3.0 (VCDM 2.0) credential (fresh each call). */
const credential = (over: Json = {}, subject: Json = {}): Json => ({
  "@context": [VC2, OB3],
  id: "urn:uuid:2f1f6e0e-0000-4000-8000-000000000001",
  type: ["VerifiableCredential", "OpenBadgeCredential"],
  issuer: { id: "https://example.edu/issuers/1", type: ["Profile"], name: "Example University" },
  validFrom: "2024-01-01T00:00:00Z",
  name: "Robotics badge",
  credentialSubject: {
    id: "did:example:learner",
    type: ["AchievementSubject"],
    achievement: achievement(),
    ...subject,
  },
  ...over,
});

const b64 = (v: unknown): string => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

/** A compact JWS with the given payload (the signature is not checked by the reader). */
const jws = (payload: unknown, header: unknown = { alg: "RS256", typ: "JWT" }): string =>
  `${b64(header)}.${b64(payload)}.c2lnbmF0dXJl`;

/** A well-formed 1x1 PNG holding one iTXt chunk with the given (latin1) data, each chunk with its CRC. */
function pngWith(itxt: string): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("iTXt", Buffer.from(itxt, "latin1")),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

function readOne(input: unknown): { credential: CanonicalCredential; result: ReadResult & { ok: true } } {
  const result = readOb3(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const [credential] = result.value;
  if (!credential || result.value.length !== 1) throw new Error("expected one credential");
  return { credential, result };
}

const issuesOf = (input: unknown): { path: string; message: string }[] => {
  const result = readOb3(input);
  return result.ok ? [] : result.issues;
};

describe("readOb3: the credential", () => {
  it("reads a minimal credential: issuer, learner, one achievement claim awarded by the issuer", () => {
    // Act
    const { credential: cred, result } = readOne(credential());
    // Assess
    expect(result.warnings).toEqual([]);
    expect(cred.provenance).toMatchObject({ format: "ob3", variant: "vcdm2", root: "" });
    expect(cred.id).toBe("urn:uuid:2f1f6e0e-0000-4000-8000-000000000001");
    expect(cred.types).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(cred.title).toEqual({ und: "Robotics badge" });
    expect(cred.validFrom).toBe("2024-01-01T00:00:00Z");
    expect(cred.issuer?.legalName).toEqual({ und: "Example University" });
    expect(cred.learner.id).toBe("did:example:learner");
    const [claim] = cred.claims;
    expect(claim?.kind).toBe("achievement");
    expect(claim?.title).toEqual({ und: "Robotics" });
    expect(claim?.specification).toMatchObject({
      kind: "achievement",
      id: "https://example.edu/achievements/robotics",
      title: { und: "Robotics" },
      description: { und: "Builds robots." },
      criteria: { narrative: { und: "Build a robot." } },
    });
    expect(claim?.awardingBodies).toEqual([cred.issuer]);
    expect(claim?.awardingBodies[0]).not.toBe(cred.issuer);
    expect(cred.extensions).toEqual([]);
  });

  it("traces canonical values to their source pointers, the awarding body to the issuer", () => {
    // Act
    const { credential: cred } = readOne(credential());
    // Assess
    const paths = cred.provenance.paths;
    expect(paths["/claims/0/specification/title"]).toBe("/credentialSubject/achievement/name");
    expect(paths["/claims/0/title"]).toBe("/credentialSubject/achievement/name");
    expect(paths["/claims/0/awardingBodies/0/legalName"]).toBe("/issuer/name");
    expect(paths["/issuer/legalName"]).toBe("/issuer/name");
    expect(paths["/learner/id"]).toBe("/credentialSubject/id");
  });

  it("reads the VCDM 1.1 form: issuanceDate is the issue date, expirationDate the end of validity", () => {
    // Prepare
    const doc = credential({ "@context": [VC1, OB3], issuanceDate: "2023-05-23T01:10:41Z" });
    delete doc.validFrom;
    doc.expirationDate = "2030-01-01T00:00:00Z";
    // Act
    const { credential: cred } = readOne(doc);
    // Assess
    expect(cred.provenance.variant).toBe("vcdm1.1");
    expect(cred.issued).toBe("2023-05-23T01:10:41Z");
    expect(cred.validFrom).toBeUndefined();
    expect(cred.validUntil).toBe("2030-01-01T00:00:00Z");
    expect(cred.provenance.paths["/validUntil"]).toBe("/expirationDate");
  });

  it("reads single values where OB 3.0 writes arrays, and arrays, alike", () => {
    // Prepare
    const alignment = { type: "Alignment", targetName: "Robots", targetUrl: "https://fw.example/robots" };
    const single = credential(
      { type: "OpenBadgeCredential" },
      { type: "AchievementSubject", achievement: achievement({ type: "Achievement", alignment, tag: "robots" }) },
    );
    const arrays = credential({}, { achievement: achievement({ alignment: [alignment], tag: ["robots"] }) });
    // Act
    const a = readOne(single).credential.claims[0]?.specification;
    const b = readOne(arrays).credential.claims[0]?.specification;
    // Assess
    expect(a?.alignments).toEqual([{ name: "Robots", url: "https://fw.example/robots" }]);
    expect(a?.alignments).toEqual(b?.alignments);
    expect(a?.tags).toEqual(b?.tags);
  });

  it("reads an issuer given as a bare URI", () => {
    // Act
    const { credential: cred } = readOne(credential({ issuer: "did:web:example.edu" }));
    // Assess
    expect(cred.issuer?.id).toBe("did:web:example.edu");
    expect(cred.provenance.paths["/issuer/id"]).toBe("/issuer");
    expect(cred.claims[0]?.awardingBodies[0]?.id).toBe("did:web:example.edu");
  });

  it("keeps an embedded proof in provenance, not as an extension", () => {
    // Prepare
    const proof = { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofValue: "z123" };
    // Act
    const { credential: cred } = readOne(credential({ proof }));
    // Assess
    expect(cred.provenance.proof).toEqual(proof);
    expect(cred.extensions).toEqual([]);
  });

  it("does not take a prototype key for a VC context", () => {
    // Act
    const { credential: cred, result } = readOne(credential({ "@context": ["constructor", OB3] }));
    // Assess
    expect(cred.provenance.variant).toBe("vcdm2");
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/no W3C VC context/)]);
  });

  it("reads the JSON text of a credential", () => {
    // Act
    const { credential: cred } = readOne(JSON.stringify(credential()));
    // Assess
    expect(cred.claims[0]?.title).toEqual({ und: "Robotics" });
  });

  it("keeps unknown keys as extensions with their source pointers", () => {
    // Prepare
    const doc = credential(
      { refreshService: { id: "https://x", type: "1EdTechCredentialRefresh" } },
      { achievement: achievement({ "ext:level": 3 }) },
    );
    // Act
    const { credential: cred } = readOne(doc);
    // Assess
    expect(cred.extensions).toEqual([
      { path: "/credentialSubject/achievement/ext:level", value: 3 },
      { path: "/refreshService", value: { id: "https://x", type: "1EdTechCredentialRefresh" } },
    ]);
  });

  it("warns about an unusable value, keeps it as an extension and reads the rest", () => {
    // Prepare
    const doc = credential({ name: { nested: true } }, { achievement: achievement({ creditsAvailable: "lots" }) });
    // Act
    const { credential: cred, result } = readOne(doc);
    // Assess
    expect(cred.title).toBeUndefined();
    expect(cred.claims[0]?.specification?.credits).toEqual([]);
    expect(result.warnings.map((w) => w.path)).toEqual(["/name", "/credentialSubject/achievement/creditsAvailable"]);
    expect(cred.extensions.map((e) => e.path)).toEqual(["/name", "/credentialSubject/achievement/creditsAvailable"]);
  });

  it("reads a credential without achievement as one without claims, with a warning", () => {
    // Prepare
    const doc = credential();
    (doc.credentialSubject as Json).achievement = undefined;
    doc.awardedDate = "2024-01-01T00:00:00Z";
    // Act
    const { credential: cred, result } = readOne(doc);
    // Assess
    expect(cred.claims).toEqual([]);
    expect(result.warnings.map((w) => w.path)).toEqual(["/credentialSubject/achievement"]);
    expect(cred.extensions).toEqual([{ path: "/awardedDate", value: "2024-01-01T00:00:00Z" }]);
  });
});

describe("readOb3: the achievement and its subject", () => {
  it("maps OB 3.0-only achievement fields to their model fields", () => {
    // Prepare
    const doc = credential(
      {},
      {
        achievement: achievement({
          achievementType: "MicroCredential",
          humanCode: "ROB-101",
          version: "2",
          fieldOfStudy: "Engineering",
          specialization: "Robotics",
          creditsAvailable: 5,
          otherIdentifier: [{ type: "IdentifierEntry", identifier: "ROB-101", identifierType: "sourcedId" }],
          related: [{ id: "https://example.edu/achievements/robotics-fr", type: ["Related"], inLanguage: "fr" }],
          resultDescription: [
            { id: "urn:rd:1", type: ["ResultDescription"], name: "Grade", resultType: "LetterGrade" },
          ],
          image: "https://example.edu/robot.png",
          endorsementJwt: ["a.b.c"],
        }),
      },
    );
    // Act
    const spec = readOne(doc).credential.claims[0]?.specification;
    // Assess
    expect(spec).toMatchObject({
      achievementType: "MicroCredential",
      humanCode: "ROB-101",
      version: "2",
      fieldOfStudy: "Engineering",
      specialization: "Robotics",
      credits: [{ points: "5" }],
      identifiers: [{ value: "ROB-101", kind: "other", identityType: "sourcedId" }],
      related: [{ id: "https://example.edu/achievements/robotics-fr", inLanguage: "fr" }],
      resultDescriptions: [{ id: "urn:rd:1", type: ["ResultDescription"], name: "Grade", resultType: "LetterGrade" }],
      image: { url: "https://example.edu/robot.png" },
      endorsements: ["a.b.c"],
    });
    expect(spec?.credits[0]?.framework).toBeUndefined();
  });

  it("reads texts in the achievement's inLanguage", () => {
    // Prepare
    const doc = credential({}, { achievement: achievement({ inLanguage: "fr-BE" }) });
    // Act
    const { credential: cred } = readOne(doc);
    // Assess
    expect(cred.title).toEqual({ fr: "Robotics badge" });
    expect(cred.claims[0]?.specification?.languages).toEqual([
      { notation: "fr-BE", uri: "http://publications.europa.eu/resource/authority/language/FRA" },
    ]);
  });

  it("maps the subject's results, credits earned, dates, role, term, narrative and source", () => {
    // Prepare
    const doc = credential(
      { awardedDate: "2024-02-01T00:00:00Z" },
      {
        creditsEarned: 4.5,
        activityStartDate: "2023-09-01T00:00:00Z",
        activityEndDate: "2024-01-15T00:00:00Z",
        role: "Captain",
        term: "Fall",
        licenseNumber: "L-1",
        narrative: "Built three robots.",
        result: [{ type: ["Result"], value: "A", resultDescription: "urn:rd:1" }],
        source: { id: "https://example.edu/dept", type: ["Profile"], name: "Robotics Department" },
      },
    );
    // Act
    const claim = readOne(doc).credential.claims[0];
    // Assess
    expect(claim).toMatchObject({
      awardingDate: "2024-02-01T00:00:00Z",
      creditsEarned: [{ points: "4.5" }],
      startDate: "2023-09-01T00:00:00Z",
      endDate: "2024-01-15T00:00:00Z",
      role: "Captain",
      term: "Fall",
      licenseNumber: "L-1",
      narrative: { und: "Built three robots." },
      results: [{ value: "A", resultDescription: "urn:rd:1" }],
    });
    expect(claim?.assessedBy[0]?.legalName).toEqual({ und: "Robotics Department" });
  });

  it("reads plain recipient identifiers into learner fields and keeps the rest as identifiers", () => {
    // Prepare
    const identity = (identityType: string, identityHash: string, hashed = false, salt?: string): Json => ({
      type: "IdentityObject",
      identityType,
      identityHash,
      hashed,
      ...(salt === undefined ? {} : { salt }),
    });
    const doc = credential(
      {},
      {
        id: undefined,
        identifier: [
          identity("emailAddress", "ana@example.org"),
          identity("emailAddress", "sha256$abc", true, "pepper"),
          identity("name", "Ana Andromeda"),
          identity("nationalIdentityNumber", "LA-234218"),
          identity("studentId", "S-1"),
          identity("constructor", "C-1"),
        ],
      },
    );
    // Act
    const { credential: cred } = readOne(doc);
    // Assess
    expect(cred.learner.emails).toEqual(["ana@example.org"]);
    expect(cred.learner.fullName).toEqual({ und: "Ana Andromeda" });
    expect(cred.learner.nationalId).toEqual({
      value: "LA-234218",
      kind: "national",
      identityType: "nationalIdentityNumber",
      hashed: false,
    });
    expect(cred.learner.identifiers).toEqual([
      { value: "sha256$abc", kind: "other", identityType: "emailAddress", hashed: true, salt: "pepper" },
      { value: "S-1", kind: "other", identityType: "studentId", hashed: false },
      { value: "C-1", kind: "other", identityType: "constructor", hashed: false },
    ]);
    expect(cred.provenance.paths["/learner/emails/0"]).toBe("/credentialSubject/identifier/0/identityHash");
    expect(cred.provenance.paths["/learner/identifiers/0/salt"]).toBe("/credentialSubject/identifier/1/salt");
  });

  it("reads a profile's address country from its code or its name", () => {
    // Prepare
    const issuer = (address: Json): Json => ({ id: "https://x", type: "Profile", address });
    // Act
    const byCode = readOne(credential({ issuer: issuer({ addressCountryCode: "IE" }) })).credential;
    const byName = readOne(credential({ issuer: issuer({ addressCountry: "Japan" }) })).credential;
    const byOtherName = readOne(credential({ issuer: issuer({ addressCountry: "USA", addressCountryCode: "US" }) }));
    const unknown = readOne(credential({ issuer: issuer({ addressCountryCode: "XX" }) }));
    // Assess
    expect(byCode.issuer?.locations[0]?.address?.country).toBe("IE");
    expect(byName.issuer?.locations[0]?.address?.country).toBe("JP");
    expect(byName.extensions).toEqual([]);
    expect(byOtherName.credential.extensions).toEqual([{ path: "/issuer/address/addressCountry", value: "USA" }]);
    expect(unknown.credential.issuer?.locations[0]?.address?.country).toBeUndefined();
    expect(unknown.result.warnings.map((w) => w.path)).toEqual(["/issuer/address/addressCountryCode"]);
  });

  it("reads a base64 data URI image as embedded content", () => {
    // Act
    const { credential: cred } = readOne(
      credential({ image: { id: "data:image/png;base64,iVBORw0KGgo=", type: "Image" } }),
    );
    // Assess
    expect(cred.display?.pages).toEqual([{ content: "iVBORw0KGgo=", mediaType: "image/png" }]);
  });

  it("reads evidence with its OB 3.0 fields", () => {
    // Prepare
    const evidence = {
      id: "https://example.org/project",
      type: ["Evidence", "https://w3id.org/openbadges#Assertion"],
      name: "Project",
      narrative: "How it went",
      genre: "Code",
      audience: "Public",
    };
    // Act
    const { credential: cred } = readOne(credential({ evidence }));
    // Assess
    expect(cred.evidence).toEqual([
      {
        id: "https://example.org/project",
        types: [{ uri: "https://w3id.org/openbadges#Assertion" }],
        embedded: [],
        urls: [],
        accreditations: [],
        name: { und: "Project" },
        narrative: { und: "How it went" },
        genre: "Code",
        audience: "Public",
      },
    ]);
  });
});

describe("readOb3: the gateway's ELM extension", () => {
  const concept = (uri: string): Json => ({ id: uri, type: "Concept" });
  /** A credential naming the extension context, with ELM values on each OB 3.0 node. */
  const extended = (): Json =>
    credential(
      {
        "@context": [VC2, OB3, TEST_OB3_ELM_CONTEXT_URL],
        title: { en: "Robotics badge", fr: "Badge de robotique" },
        additionalNote: { type: "Note", noteLiteral: { en: "Further information" } },
        issuer: {
          id: "https://example.edu/issuers/1",
          type: ["Profile"],
          name: "Example University",
          otherIdentifier: [
            { type: "IdentifierEntry", identifier: "IE123", identifierType: "ext:vatIdentifier" },
            { type: "IdentifierEntry", identifier: "S-9", identifierType: "sourcedId" },
          ],
          legalName: { en: "Example University", ga: "Ollscoil Shamplach" },
          vatIdentifier: {
            type: "LegalIdentifier",
            notation: "IE123",
            spatial: concept("http://publications.europa.eu/resource/authority/country/IRL"),
          },
        },
        evidence: [{ id: "https://example.org/e", type: ["Evidence"], elmDescription: { en: "E", fr: "É" } }],
      },
      {
        achievement: achievement({
          type: ["Achievement", "Qualification"],
          creditsAvailable: 5,
          creditPoint: { type: "CreditPoint", framework: concept(ECTS.uri ?? ""), point: "5" },
          eqfLevel: concept("http://data.europa.eu/snb/eqf/6"),
          qfEheaLevel: "urn:example:first-cycle",
          volumeOfLearning: "PT125H",
        }),
        givenName: { en: "Ana" },
        provenBy: {
          id: "urn:assessment:1",
          type: "LearningAssessment",
          title: { en: "Exam" },
          idVerification: concept(SUPERVISION.supervisedWithId.uri ?? ""),
        },
      },
    );

  it("reads the extension's ELM values into the model, replacing what the OB 3.0 rendering said", () => {
    // Act
    const { credential: cred, result } = readOne(extended());
    // Assess
    expect(result.warnings).toEqual([]);
    expect(cred.extensions).toEqual([]);
    expect(cred.title).toEqual({ en: "Robotics badge", fr: "Badge de robotique" });
    expect(cred.additionalNotes).toEqual([{ en: "Further information" }]);
    expect(cred.issuer?.legalName).toEqual({ en: "Example University", ga: "Ollscoil Shamplach" });
    expect(cred.issuer?.identifiers).toEqual([
      { value: "IE123", kind: "vat", country: "IE" },
      { value: "S-9", kind: "other", identityType: "sourcedId" },
    ]);
    expect(cred.provenance.paths["/issuer/identifiers/0/value"]).toBe("/issuer/vatIdentifier/notation");
    expect(cred.provenance.paths["/issuer/identifiers/1/value"]).toBe("/issuer/otherIdentifier/1/identifier");
    expect(cred.provenance.paths["/claims/0/awardingBodies/0/identifiers/1"]).toBe("/issuer/otherIdentifier/1");
    const spec = cred.claims[0]?.specification;
    expect(spec?.kind).toBe("qualification");
    expect(spec?.credits).toEqual([{ points: "5", framework: expect.objectContaining({ uri: ECTS.uri }) }]);
    expect(spec?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/6");
    expect(spec?.qfEheaLevel).toEqual({ uri: "urn:example:first-cycle" });
    expect(spec?.volumeOfLearning).toBe("PT125H");
    expect(cred.learner.givenName).toEqual({ en: "Ana" });
    expect(cred.claims[0]?.provenBy[0]?.idVerification?.uri).toBe(SUPERVISION.supervisedWithId.uri);
    expect(cred.evidence[0]?.description).toEqual({ en: "E", fr: "É" });
    expect(cred.provenance.paths["/claims/0/specification/credits/0/points"]).toBe(
      "/credentialSubject/achievement/creditPoint/point",
    );
  });

  it("reads an issuer that is also the awarding body (one id) as one node, each copy completed by the other", () => {
    // Prepare: as the OB 3.0 writer renders an ELM issuer that is the awarding body: the Profile's image is the
    // logo as a data URI (no room for the MediaObject's id), the extension's awarding body has the logo in full.
    const png = "iVBORw0KGgo=";
    const doc = credential(
      {
        "@context": [VC2, OB3, TEST_OB3_ELM_CONTEXT_URL],
        issuer: {
          id: "urn:epass:org:1",
          type: ["Profile"],
          name: "University of Zed",
          url: "https://uniz.edu",
          image: { id: `data:image/png;base64,${png}`, type: "Image" },
          legalName: { en: "University of Zed" },
        },
      },
      {
        awardedBy: {
          type: "AwardingProcess",
          awardingBody: [
            {
              id: "urn:epass:org:1",
              type: "Organisation",
              legalName: { en: "University of Zed" },
              logo: {
                id: "urn:epass:mediaObject:3",
                type: "MediaObject",
                content: png,
                contentType: concept("http://publications.europa.eu/resource/authority/file-type/PNG"),
              },
            },
          ],
        },
      },
    );
    // Act
    const { credential: cred } = readOne(doc);
    // Assess
    const body = cred.claims[0]?.awardingBodies[0];
    expect(cred.issuer?.logo).toEqual({ id: "urn:epass:mediaObject:3", content: png, mediaType: "image/png" });
    expect(JSON.stringify(cred.issuer)).toBe(JSON.stringify(body));
    expect(body?.homepages).toEqual(["https://uniz.edu"]);
    expect(cred.provenance.paths["/issuer/logo/content"]).toBe("/issuer/image/id");
    expect(cred.provenance.paths["/claims/0/awardingBodies/0/homepages/0"]).toBe("/issuer/url");
  });

  it("keeps an awarding body apart from the issuer it shares an id with when their values differ", () => {
    // Prepare
    const doc = credential(
      {
        "@context": [VC2, OB3, TEST_OB3_ELM_CONTEXT_URL],
        issuer: { id: "urn:epass:org:1", type: ["Profile"], name: "University of Zed" },
      },
      {
        awardedBy: {
          type: "AwardingProcess",
          awardingBody: [{ id: "urn:epass:org:1", type: "Organisation", legalName: { en: "University of Y" } }],
        },
      },
    );
    // Act
    const { credential: cred } = readOne(doc);
    // Assess
    expect(cred.issuer?.legalName).toEqual({ und: "University of Zed" });
    expect(cred.claims[0]?.awardingBodies[0]?.legalName).toEqual({ en: "University of Y" });
  });

  it("warns about an unusable extension value and keeps it, reading the rest", () => {
    // Prepare
    const doc = extended();
    ((doc.credentialSubject as Json).achievement as Json).volumeOfLearning = 12;
    // Act
    const { credential: cred, result } = readOne(doc);
    // Assess
    expect(result.warnings.map((w) => w.path)).toEqual(["/credentialSubject/achievement/volumeOfLearning"]);
    expect(cred.extensions).toEqual([{ path: "/credentialSubject/achievement/volumeOfLearning", value: 12 }]);
    expect(cred.claims[0]?.specification?.eqfLevel?.uri).toBe("http://data.europa.eu/snb/eqf/6");
  });
});

describe("readOb3: VC-JWT", () => {
  it("reads a payload that is the credential, filling missing fields from the JWT claims", () => {
    // Prepare
    const vc = credential();
    delete vc.id;
    delete vc.validFrom;
    const token = jws({
      ...vc,
      iss: "https://example.edu/issuers/1",
      jti: "urn:uuid:1",
      nbf: 1704067200,
      exp: 1893456000,
    });
    // Act
    const { credential: cred, result } = readOne(token);
    // Assess
    expect(result.warnings).toEqual([]);
    expect(cred.provenance).toMatchObject({
      variant: "vc-jwt",
      root: "",
      proof: { header: { alg: "RS256", typ: "JWT" }, signature: "c2lnbmF0dXJl" },
      original: token,
    });
    expect(cred.id).toBe("urn:uuid:1");
    expect(cred.validFrom).toBe("2024-01-01T00:00:00Z");
    expect(cred.validUntil).toBe("2030-01-01T00:00:00Z");
    expect(cred.provenance.paths).toMatchObject({ "/id": "/jti", "/validFrom": "/nbf", "/validUntil": "/exp" });
    expect(cred.extensions).toEqual([]);
  });

  it("reads a credential under the vc claim, with pointers into the decoded payload", () => {
    // Prepare
    const vc = credential({ "@context": [VC1, OB3], issuanceDate: "2024-01-01T00:00:00Z" });
    delete vc.validFrom;
    delete vc.issuer;
    const token = jws({
      vc,
      iss: "https://example.edu/issuers/1",
      nbf: 1704067200,
      sub: "did:example:learner",
      aud: "x",
    });
    // Act
    const { credential: cred, result } = readOne(token);
    // Assess
    expect(result.warnings.map((w) => w.path)).toEqual(["/vc/issuer"]);
    expect(cred.provenance.root).toBe("/vc");
    expect(cred.issuer?.id).toBe("https://example.edu/issuers/1");
    expect(cred.claims[0]?.awardingBodies[0]?.id).toBe("https://example.edu/issuers/1");
    expect(cred.issued).toBe("2024-01-01T00:00:00Z");
    expect(cred.provenance.paths).toMatchObject({
      "/issuer/id": "/iss",
      "/claims/0/specification/title": "/vc/credentialSubject/achievement/name",
    });
    expect(cred.extensions).toEqual([{ path: "/aud", value: "x" }]);
  });

  it("warns when a JWT claim contradicts the credential", () => {
    // Act
    const { result } = readOne(jws({ ...credential(), jti: "urn:other", nbf: 0 }));
    // Assess
    expect(result.warnings.map((w) => w.path)).toEqual(["/jti", "/nbf"]);
  });
});

describe("readOb3: baked PNG", () => {
  it("reads a credential baked into a PNG, as JSON or as a VC-JWT", () => {
    // Prepare
    const asJson = pngWith(`openbadgecredential\0\0\0\0\0${JSON.stringify(credential())}`);
    const asJwt = pngWith(`openbadgecredential\0\0\0\0\0${jws(credential())}`);
    // Act
    const json = readOne(asJson).credential;
    const jwt = readOne(asJwt).credential;
    // Assess
    expect(json.provenance).toMatchObject({ variant: "baked-png", root: "" });
    expect(jwt.provenance).toMatchObject({ variant: "vc-jwt", root: "" });
    expect(json.claims[0]?.title).toEqual({ und: "Robotics" });
    expect(looksLikeOb3(asJson)).toBe(true);
  });

  it("refuses a PNG without a baked OB 3.0 credential, or with a compressed one", () => {
    expect(issuesOf(pngWith("openbadges\0\0\0\0\0{}"))[0]?.message).toMatch(/Open Badges 2\.0/);
    expect(issuesOf(pngWith("Comment\0\0\0\0\0hi"))[0]?.message).toMatch(/no baked credential/);
    expect(issuesOf(pngWith("openbadgecredential\0\x01\0\0\0xx"))[0]?.message).toMatch(/compressed/);
    expect(issuesOf(new Uint8Array([1, 2, 3]))[0]?.message).toMatch(/not a PNG/);
  });
});

describe("readOb3: refusals", () => {
  it.each([
    ["a number", 42, ""],
    ["null", null, ""],
    ["an array", [credential()], ""],
    ["JSON text that is not JSON", "{not json", ""],
  ])("refuses %s", (_name, input, path) => {
    // Act
    const issues = issuesOf(input);
    // Assess
    expect(issues.map((i) => i.path)).toEqual([path]);
  });

  it("refuses a string that is not a compact JWS, naming the malformed JWT", () => {
    // Act
    const plain = issuesOf("hello");
    const twoParts = issuesOf("eyJhbGciOiJSUzI1NiJ9.e30");
    const jwe = issuesOf("a.b.c.d.e");
    const notJson = issuesOf(`${b64({ alg: "RS256" })}.${b64("not json")}.sig`);
    const notObject = issuesOf(`${b64({ alg: "RS256" })}.${b64([1, 2])}.sig`);
    // Assess
    expect(plain[0]?.message).toMatch(/malformed JWT.*1 part/);
    expect(twoParts[0]?.message).toMatch(/malformed JWT.*2 parts/);
    expect(jwe[0]?.message).toMatch(/JWE/);
    expect(notJson[0]?.message).toMatch(/malformed JWT: the payload/);
    expect(notObject[0]?.message).toMatch(/malformed JWT: the payload/);
  });

  it("refuses a vc claim that is not an object", () => {
    expect(issuesOf(jws({ vc: "nope" }))).toEqual([{ path: "/vc", message: expect.stringMatching(/vc claim/) }]);
  });

  it("refuses a document without @context", () => {
    // Prepare
    const doc = credential();
    delete doc["@context"];
    // Act / Assess
    expect(issuesOf(doc).map((i) => i.path)).toEqual(["/@context"]);
  });

  it("refuses a credential without an OB 3.0 type at /type", () => {
    expect(issuesOf(credential({ type: ["VerifiableCredential"] })).map((i) => i.path)).toEqual(["/type"]);
    expect(issuesOf(credential({ type: undefined })).map((i) => i.path)).toEqual(["/type"]);
  });

  it("explains why an EndorsementCredential or an Open Badges 2.0 document is not read", () => {
    // Act
    const endorsement = issuesOf(credential({ type: ["VerifiableCredential", "EndorsementCredential"] }));
    const ob2 = issuesOf({ "@context": "https://w3id.org/openbadges/v2", type: "Assertion", id: "x" });
    // Assess
    expect(endorsement).toEqual([{ path: "/type", message: expect.stringMatching(/EndorsementCredential endorses/) }]);
    expect(ob2[0]).toEqual({ path: "/type", message: expect.stringMatching(/Open Badges 2\.0/) });
  });

  it("refuses a credential without a usable credentialSubject", () => {
    expect(issuesOf(credential({ credentialSubject: undefined })).map((i) => i.path)).toEqual(["/credentialSubject"]);
    expect(issuesOf(credential({ credentialSubject: "did:x" })).map((i) => i.path)).toEqual(["/credentialSubject"]);
  });

  it("refuses with pointers into the decoded JWT payload", () => {
    // Prepare
    const vc = credential();
    delete vc.credentialSubject;
    // Act / Assess
    expect(issuesOf(jws({ vc })).map((i) => i.path)).toEqual(["/vc/credentialSubject"]);
  });
});

describe("looksLikeOb3", () => {
  it.each([
    ["a credential", credential()],
    ["a credential named by its context only", credential({ type: ["VerifiableCredential"] })],
    ["an AchievementCredential", credential({ "@context": [VC1], type: "AchievementCredential" })],
    ["its JSON text", JSON.stringify(credential())],
    ["a VC-JWT with the credential as payload", jws(credential())],
    ["a VC-JWT with a vc claim", jws({ vc: credential() })],
  ])("recognises %s", (_name, input) => {
    expect(looksLikeOb3(input)).toBe(true);
  });

  it.each([
    [
      "an ELM credential",
      { "@context": [VC1, "http://data.europa.eu/snb/model/context/edc-ap"], type: ["EuropeanDigitalCredential"] },
    ],
    ["a plain VC", { "@context": [VC2], type: ["VerifiableCredential"] }],
    ["a JWT that is no credential", jws({ sub: "x" })],
    ["garbage text", "hello world"],
    ["a number", 7],
    ["null", null],
  ])("does not claim %s", (_name, input) => {
    expect(looksLikeOb3(input)).toBe(false);
  });
});

describe("readOb3 never throws", () => {
  const neverThrows = (input: unknown): void => {
    const result = readOb3(input);
    const messages = result.ok ? [] : result.issues.map((i) => i.message);
    expect(messages.filter((m) => m.startsWith("internal OB3 reader error"))).toEqual([]);
    expect(looksLikeOb3(input)).toBeTypeOf("boolean");
  };

  it("on arbitrary JSON and strings", () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.string()), neverThrows), { numRuns: 500 });
  });

  it("on arbitrary bytes, with or without the PNG signature", () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    const bytes = fc.oneof(
      fc.uint8Array(),
      fc.uint8Array().map((b) => new Uint8Array([...png, ...b])),
      fc.string().map((text) => pngWith(`openbadgecredential\0\0\0\0\0${text}`)),
    );
    fc.assert(fc.property(bytes, neverThrows), { numRuns: 300 });
  });

  it("on credential-shaped values with arbitrary parts", () => {
    const ob3ish = fc.record({
      "@context": fc.oneof(fc.constant([VC2, OB3]), fc.jsonValue()),
      id: fc.jsonValue(),
      type: fc.oneof(fc.constant(["VerifiableCredential", "OpenBadgeCredential"]), fc.jsonValue()),
      issuer: fc.jsonValue(),
      validFrom: fc.jsonValue(),
      credentialSubject: fc.oneof(
        fc.record({
          id: fc.jsonValue(),
          identifier: fc.jsonValue(),
          achievement: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
          result: fc.jsonValue(),
          source: fc.jsonValue(),
        }),
        fc.jsonValue(),
      ),
      evidence: fc.jsonValue(),
      endorsement: fc.jsonValue(),
    });
    fc.assert(
      fc.property(ob3ish, (doc) => {
        neverThrows(doc);
        neverThrows(jws(doc));
        neverThrows(jws({ vc: doc, iss: 1, nbf: "x" }));
      }),
      { numRuns: 300 },
    );
  });
});
