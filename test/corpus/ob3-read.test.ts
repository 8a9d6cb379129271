import { readFileSync } from "node:fs";
import fc from "fast-check";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { readElm } from "../../mappings/elm/read.js";
import type { CanonicalCredential } from "../../mappings/model.js";
import { readOb3 } from "../../mappings/ob3/read.js";
import { bakedText } from "../../mappings/ob3/read-png.js";
import { looksLikeOb3 } from "../../mappings/ob3/sniff.js";
import { corpusJson, corpusPath, corpusText } from "../support/corpus.js";
import { TEST_OB3_ELM_CONTEXT_URL } from "../support/ob3.js";
import { OB3_CREDENTIALS as CREDENTIALS, FULL, JWT, loadOb3 as load, PNG } from "../support/ob3-corpus.js";

/** Corpus files that are not OB 3.0 achievement credentials: refused, at these paths, for this reason. */
const NOT_CREDENTIALS: [file: string, paths: string[], why: RegExp][] = [
  ["ob3/examples/TESTVECTOR-proof.json", ["/@context", "/type", "/credentialSubject"], /proof on its own/],
  ["ob3/examples/endorsement-1-Sample_EndorsementCredential.json", ["/type"], /EndorsementCredential endorses/],
  ["ob3/validator-fixtures/endorsement-valid.json", ["/type"], /EndorsementCredential endorses/],
  [
    "ob3/examples/migrating-1-OpenBadges_2_0_with_related_OpenBadges_3_0.json",
    ["/type", "/credentialSubject"],
    /Open Badges 2\.0/,
  ],
  [
    "ob3/examples/migrating-2-Issuer_profile_relation_between_Open_Badges_2_0_an.json",
    ["/type", "/credentialSubject"],
    /Open Badges 2\.0/,
  ],
  // The validator's fixture for a credential whose type lacks OpenBadgeCredential.
  ["ob3/validator-fixtures/simple-err-type.json", ["/type"], /lacks OpenBadgeCredential/],
  ["ob3/validator-fixtures/bit-string-list/testlist", ["/type"], /status list/],
];

function readCorpus(relative: string): CanonicalCredential {
  const result = readOb3(load(relative));
  if (!result.ok) throw new Error(`${relative}: ${JSON.stringify(result.issues)}`);
  const [credential] = result.value;
  if (!credential || result.value.length !== 1) throw new Error(`${relative}: expected one credential`);
  return credential;
}

/** The JSON the reader's source pointers point into: the document, the JWT's decoded payload, the PNG's baked JSON. */
function sourceOf(relative: string): unknown {
  if (relative.endsWith(".jwt")) return decodeJwt(corpusText(relative).trim());
  if (relative.endsWith(".png")) {
    const baked = bakedText(new Uint8Array(readFileSync(corpusPath(relative))));
    return baked.ok ? JSON.parse(baked.text) : undefined;
  }
  return load(relative);
}

/** Resolves a JSON Pointer (RFC 6901) in a JSON value; undefined when it leads nowhere. */
function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  let at: unknown = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(at)) at = at[Number(token)];
    else if (typeof at === "object" && at !== null && Object.hasOwn(at, token))
      at = (at as Record<string, unknown>)[token];
    else return undefined;
  }
  return at;
}

// The EC micro-credential sample, its ELM values placed on the OB 3.0 nodes that play their roles, as the OB 3.0
// writer's extension does (extension-context.ts): specification → Achievement, claim and learner → subject.
const MC = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";
type Node = Record<string, unknown>;
const pick = (node: Node, keys: string[]): Node =>
  Object.fromEntries(keys.filter((k) => k in node).map((k) => [k, node[k]]));

function ob3FromElm(): Node {
  const elm = corpusJson(MC) as Node;
  const subject = elm.credentialSubject as Node;
  const claim = subject.hasClaim as Node;
  const spec = claim.specifiedBy as Node;
  const issuer = elm.issuer as Node;
  return {
    "@context": [
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
      TEST_OB3_ELM_CONTEXT_URL,
    ],
    id: elm.id,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: {
      id: issuer.id,
      type: ["Profile"],
      name: "University of Zed",
      ...pick(issuer, ["legalName", "location", "vatIdentifier", "identifier", "registration", "homepage", "altLabel"]),
    },
    validFrom: elm.validFrom,
    credentialSubject: {
      id: subject.id,
      type: ["AchievementSubject"],
      ...pick(subject, ["givenName", "familyName", "fullName", "dateOfBirth", "nationalID"]),
      ...pick(claim, ["awardedBy", "provenBy", "influencedBy", "title"]),
      achievement: {
        id: spec.id,
        type: ["Achievement", "Qualification"],
        name: "Digital micro-credential creation",
        description: "-",
        criteria: { narrative: "-" },
        creditsAvailable: 5,
        ...pick(spec, [
          "eqfLevel",
          "thematicArea",
          "nqfLevel",
          "creditPoint",
          "entryRequirement",
          "isPartialQualification",
          "learningOutcome",
          "learningSetting",
          "maximumDuration",
          "mode",
          "volumeOfLearning",
          "language",
          "title",
          "dcType",
        ]),
      },
    },
  };
}

describe("OB 3.0 corpus", () => {
  it.each(CREDENTIALS)("reads %s", (relative) => {
    // Act
    const result = readOb3(load(relative));
    // Assess
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.value.length).toBe(1);
    expect(looksLikeOb3(load(relative))).toBe(true);
  });

  it.each(NOT_CREDENTIALS)("refuses %s, which is not an OB 3.0 achievement credential", (relative, paths, why) => {
    // Act
    const result = readOb3(load(relative));
    // Assess
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => i.path)).toEqual(paths);
    expect(issues.map((i) => i.message).join("\n")).toMatch(why);
  });

  it.each(CREDENTIALS)("traces %s: every source pointer and extension resolves in the source", (relative) => {
    // Prepare
    const source = sourceOf(relative);
    // Act
    const credential = readCorpus(relative);
    // Assess
    const { paths } = credential.provenance;
    const lost = Object.entries(paths).filter(([, src]) => resolvePointer(source, src) === undefined);
    const nowhere = Object.keys(paths).filter((dst) => resolvePointer(credential, dst) === undefined);
    const stray = credential.extensions.filter((e) => resolvePointer(source, e.path) === undefined);
    expect({ lost, nowhere, stray }).toEqual({ lost: [], nowhere: [], stray: [] });
  });

  it("marks how each credential was packaged", () => {
    // Act
    const provenance = [
      "ob3/validator-fixtures/simple.json",
      "ob3/validator-fixtures/simple-eddsa-2022.json",
      JWT,
      PNG,
    ].map((f) => readCorpus(f).provenance);
    // Assess
    expect(provenance.map((p) => [p.variant, p.root])).toEqual([
      ["vcdm2", ""],
      ["vcdm1.1", ""],
      ["vc-jwt", "/vc"],
      ["baked-png", ""],
    ]);
    expect(provenance[0]?.proof).toEqual(corpusJson("ob3/validator-fixtures/simple.json").proof);
    expect(provenance[2]?.proof).toMatchObject({ header: { alg: "RS256", typ: "JWT" } });
  });

  it("reads the validator's VC-JWT (a VCDM 1.1 credential under the vc claim)", () => {
    // Act
    const credential = readCorpus(JWT);
    // Assess
    expect(credential.id).toBe("http://example.edu/credentials/3732");
    expect(credential.issuer?.legalName).toEqual({ und: "Example University" });
    expect(credential.learner.id).toBe("did:example:ebfeb1f712ebc6f1c276e12ec21");
    expect(credential.issued).toBe("2010-01-01T00:00:00Z");
    expect(credential.provenance.paths["/issuer/legalName"]).toBe("/vc/issuer/name");
  });
});

describe("the complete OB 3.0 example (fullOpenBadge)", () => {
  const credential = readCorpus(FULL);
  const claim = credential.claims[0];
  const spec = claim?.specification;
  const paths = credential.provenance.paths;

  it("reads the issuer as issuer and awarding body", () => {
    expect(credential.issuer).toMatchObject({
      id: "https://1edtech.edu/issuers/565049",
      legalName: { und: "1EdTech University" },
      homepages: ["https://1edtech.edu"],
      emails: ["registrar@1edtech.edu"],
      phones: ["1-222-333-4444"],
      locations: [{ address: { country: "US", locality: "Austin", region: "TX", postalCode: "12345" } }],
      memberOf: [{ id: "did:example:123456789", name: { und: "Universal Universities" } }],
      logo: { url: "https://1edtech.edu/logo.png" },
    });
    expect(credential.issuer?.identifiers).toEqual([
      { value: "12345", kind: "other", identityType: "sourcedId" },
      { value: "67890", kind: "national", identityType: "nationalIdentityNumber" },
    ]);
    expect(credential.issuer?.endorsements).toHaveLength(1);
    expect(claim?.awardingBodies).toEqual([credential.issuer]);
    expect(paths["/claims/0/awardingBodies/0/legalName"]).toBe("/issuer/name");
  });

  it("reads the achievement", () => {
    expect(claim?.kind).toBe("achievement");
    expect(spec?.kind).toBe("achievement");
    expect(spec?.title).toEqual({ und: "1EdTech University Degree" });
    expect(spec?.criteria).toEqual({
      url: "https://1edtech.edu/achievements/degree",
      narrative: { und: "# Degree Requirements\\nStudents must complete..." },
    });
    expect(spec?.alignments).toHaveLength(2);
    expect(spec?.alignments[1]).toEqual({
      name: "1EdTech University Degree",
      url: "https://credentialengineregistry.org/resources/ce-98cb027b-95ef-4494-908d-6f7790ec6b6b",
      description: "1EdTech University Degree programs.",
      framework: "1EdTech University Program and Course Catalog",
      code: "degree",
      type: "CTDL",
    });
    expect(spec?.credits).toEqual([{ points: "36" }]);
    expect(spec).toMatchObject({
      achievementType: "Degree",
      fieldOfStudy: "Research",
      specialization: "Computer Science Research",
      humanCode: "R1",
      tags: ["research", "computer science"],
      identifiers: [{ value: "abde", kind: "other", identityType: "identifier" }],
      creator: { id: "https://1edtech.edu/issuers/565049", legalName: { und: "1EdTech University" } },
    });
    expect(spec?.resultDescriptions).toHaveLength(3);
    expect(spec?.endorsements).toHaveLength(1);
    expect(paths["/claims/0/specification/credits/0/points"]).toBe("/credentialSubject/achievement/creditsAvailable");
  });

  it("reads the subject: learner, results, credits earned and the rest", () => {
    expect(credential.learner.id).toBe("did:example:ebfeb1f712ebc6f1c276e12ec21");
    expect(credential.learner.emails).toEqual(["student@1edtech.edu", "somebody@gmail.com"]);
    expect(paths["/learner/emails/0"]).toBe("/credentialSubject/identifier/0/identityHash");
    expect(claim?.results).toHaveLength(3);
    expect(claim?.results[0]).toMatchObject({
      value: "A",
      resultDescription: "urn:uuid:f6ab24cd-86e8-4eaf-b8c6-ded74e8fd41c",
    });
    expect(claim?.results[2]).toEqual({
      status: "Completed",
      resultDescription: "urn:uuid:f6ab24cd-86e8-4eaf-b8c6-ded74e8fd41c",
    });
    expect(claim?.creditsEarned).toEqual([{ points: "42" }]);
    expect(claim).toMatchObject({
      startDate: "2010-01-01T00:00:00Z",
      endDate: "2010-01-02T00:00:00Z",
      licenseNumber: "A-9320041",
      role: "Major Domo",
      term: "Fall",
      narrative: { und: "There is a final project report and source code evidence." },
    });
    expect(claim?.assessedBy[0]?.legalName).toEqual({ und: "1EdTech College of Arts" });
  });

  it("reads the credential's display, dates, evidence, endorsement and status", () => {
    expect(credential.title).toEqual({ und: "1EdTech University Degree for Example Student" });
    expect(credential.display?.pages[0]?.url).toBe("https://1edtech.edu/credentials/3732/image");
    expect(credential.validFrom).toBe("2010-01-01T00:00:00Z");
    expect(credential.validUntil).toBe("2030-01-01T00:00:00Z");
    expect(credential.evidence.map((e) => e.name)).toEqual([
      { und: "Final Project Report" },
      { und: "Final Project Code" },
    ]);
    expect(credential.evidence[0]).toMatchObject({ genre: "Research", audience: "Department" });
    expect(credential.endorsements).toHaveLength(1);
    expect(credential.credentialStatus).toEqual({
      id: "https://1edtech.edu/credentials/3732/revocations",
      type: "1EdTechRevocationList",
    });
  });

  it("keeps what the model has no place for as extensions", () => {
    expect(credential.extensions.map((e) => e.path)).toEqual([
      "/issuer/address/addressCountry",
      "/issuer/address/postOfficeBoxNumber",
      "/issuer/address/geo",
      "/issuer/official",
      "/credentialSubject/identifier/0/salt",
      "/credentialSubject/identifier/1/salt",
      "/credentialSubject/achievement/creator/address/addressCountry",
      "/credentialSubject/achievement/creator/address/postOfficeBoxNumber",
      "/credentialSubject/achievement/creator/address/geo",
      "/credentialSubject/achievement/creator/official",
      "/credentialSubject/image",
      "/credentialSchema",
      "/refreshService",
    ]);
  });
});

describe("readOb3 never throws on mutated corpus credentials", () => {
  const docs = [...CREDENTIALS.filter((f) => f.endsWith(".json")).map((f) => corpusJson(f) as unknown), ob3FromElm()];

  /** Replaces (or deletes, with `undefined`) the value at a path of object keys / array indices. */
  function mutate(doc: unknown, path: number[], value: unknown): unknown {
    const copy: unknown = structuredClone(doc);
    let at: unknown = copy;
    for (const [i, step] of path.entries()) {
      if (typeof at !== "object" || at === null) break;
      const keys = Object.keys(at);
      if (keys.length === 0) break;
      const key = keys[step % keys.length] as string;
      const record = at as Record<string, unknown>;
      if (i === path.length - 1 || typeof record[key] !== "object" || record[key] === null) {
        if (value === undefined) delete record[key];
        else record[key] = value;
        break;
      }
      at = record[key];
    }
    return copy;
  }

  it("with values replaced or removed anywhere", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...docs),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.string()),
        (doc, path, value) => {
          const result = readOb3(mutate(doc, path, value));
          const messages = result.ok ? [] : result.issues.map((i) => i.message);
          expect(messages.filter((m) => m.startsWith("internal OB3 reader error"))).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("the gateway's ELM extension", () => {
  const fromElm = (() => {
    const result = readElm(corpusJson(MC));
    if (!result.ok || !result.value[0]) throw new Error("the ELM sample does not read");
    return result.value[0];
  })();

  it("reads the Annex I values back as the ELM reader reads them", () => {
    // Act
    const result = readOb3(ob3FromElm());
    // Assess
    // The one warning is the ELM reader's, about the EC sample's activity workload written P60M.
    expect(result.ok ? result.warnings : result.issues).toEqual([
      {
        path: "/credentialSubject/influencedBy/specifiedBy/volumeOfLearning",
        message: 'gateway extension: "P60M" is 60 months; minutes would be PT60M',
      },
    ]);
    const cred = result.ok ? result.value[0] : undefined;
    const spec = cred?.claims[0]?.specification;
    const elmSpec = fromElm.claims[0]?.specification;
    for (const field of [
      "kind",
      "title",
      "eqfLevel",
      "nqfLevels",
      "fields",
      "credits",
      "entryRequirement",
      "isPartialQualification",
      "learningOutcomes",
      "learningSettings",
      "maximumDuration",
      "modes",
      "volumeOfLearning",
      "languages",
      "types",
    ] as const) {
      expect({ field, value: spec?.[field] }).toEqual({ field, value: elmSpec?.[field] });
    }
    for (const field of ["awardingBodies", "awardingDate", "provenBy", "influencedBy", "title"] as const) {
      expect({ field, value: cred?.claims[0]?.[field] }).toEqual({ field, value: fromElm.claims[0]?.[field] });
    }
    for (const field of ["givenName", "familyName", "fullName", "dateOfBirth", "nationalId"] as const) {
      expect({ field, value: cred?.learner[field] }).toEqual({ field, value: fromElm.learner[field] });
    }
    for (const field of ["legalName", "locations", "identifiers", "homepages", "altNames"] as const) {
      expect({ field, value: cred?.issuer?.[field] }).toEqual({ field, value: fromElm.issuer?.[field] });
    }
    // What the ELM reader itself keeps as extensions (none for this sample since groups' contact points are
    // modelled: Organisation.memberOf[].emails), nothing more.
    const elmKept = fromElm.extensions.map((e) =>
      e.path.replace("/credentialSubject/hasClaim/", "/credentialSubject/"),
    );
    expect(cred?.extensions.filter((e) => !elmKept.includes(e.path))).toEqual([]);
  });

  it("traces the extension's values to their place in the OB 3.0 document", () => {
    // Prepare
    const doc = ob3FromElm();
    // Act
    const result = readOb3(doc);
    // Assess
    const cred = result.ok ? result.value[0] : undefined;
    const paths = cred?.provenance.paths ?? {};
    expect(paths["/claims/0/specification/eqfLevel"]).toBe("/credentialSubject/achievement/eqfLevel");
    expect(paths["/claims/0/specification/credits/0/points"]).toBe("/credentialSubject/achievement/creditPoint/point");
    const lost = Object.entries(paths).filter(([, src]) => resolvePointer(doc, src) === undefined);
    const nowhere = Object.keys(paths).filter((dst) => resolvePointer(cred, dst) === undefined);
    expect({ lost, nowhere }).toEqual({ lost: [], nowhere: [] });
  });

  it("leaves the extension's terms as unknown keys when the credential does not name its context", () => {
    // Prepare
    const doc = ob3FromElm();
    doc["@context"] = (doc["@context"] as string[]).slice(0, 2);
    // Act
    const result = readOb3(doc);
    // Assess
    const cred = result.ok ? result.value[0] : undefined;
    expect(cred?.claims[0]?.specification?.eqfLevel).toBeUndefined();
    expect(cred?.claims[0]?.specification?.credits).toEqual([{ points: "5" }]);
    expect(cred?.extensions.map((e) => e.path)).toContain("/credentialSubject/achievement/eqfLevel");
  });
});
