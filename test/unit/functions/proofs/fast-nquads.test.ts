import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../../../functions/kernel/system.js";
import { fastQuads } from "../../../../functions/proofs/fast-nquads.js";
import { canonize } from "../../../../functions/proofs/rdfc.js";
import { writeOb3 } from "../../../../mappings/ob3/write.js";
import { testDocumentLoader as documentLoader, testContexts as pinnedContexts } from "../../../support/contexts.js";
import { CORPUS, corpusJson, corpusText } from "../../../support/corpus.js";
import { microCredentials, WITH_CONTEXT } from "../../../support/ob3.js";

// The pinned-context fast path of canonicalization (functions/proofs/fast-nquads.ts) against jsonld.canonize with
// the options canonize() used before it existed: the same N-Quads for every document, or the same refusal.

/** The reference: jsonld's own RDFC-1.0 canonicalization, safe mode, no base, pinned contexts. */
const reference = (document: object): Promise<string> =>
  jsonld.canonize(structuredClone(document), {
    documentLoader,
    safe: true,
    base: null,
    rdfDirection: "i18n-datatype",
    canonizeOptions: { algorithm: "RDFC-1.0" },
  });

/** `{ok, value}` or `{ok: false}`: both sides must agree on refusing, not only on output. */
const settle = async (run: () => Promise<string>): Promise<{ ok: true; value: string } | { ok: false }> => {
  try {
    return { ok: true, value: await run() };
  } catch {
    return { ok: false };
  }
};

/** Every JSON(-LD) document of the corpus with an `@context` that is not itself a context or a schema. */
function corpusLinkedData(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!/^(context|schema|shacl|vocab)$/.test(name)) walk(path);
      } else if (/\.(json|jsonld)$/.test(name)) {
        try {
          const value = JSON.parse(corpusText(relative(CORPUS, path)));
          if (value !== null && typeof value === "object" && !Array.isArray(value) && "@context" in value)
            out.push(relative(CORPUS, path));
        } catch {
          // not JSON: not linked data either
        }
      }
    }
  };
  walk(CORPUS);
  return out.sort();
}

const CORPUS_DOCUMENTS = corpusLinkedData();

// Generated OB 3.0 credentials: the VC 2.0 + OB 3.0.3 contexts, nested typed nodes (issuer, subject, achievement,
// criteria, image, results), blank nodes, strings with every kind of character, integers, booleans, IRIs and extra
// terms that only the VC 2.0 context's @vocab defines.
const validIri = fc.oneof(
  fc.uuid().map((u) => `urn:uuid:${u}`),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom("did:example:123", "did:web:gw.example.org:issuers:zed"),
);
/** Mostly valid IRIs, sometimes one with a space (not an IRI: jsonld refuses it in safe mode). */
const iri = fc.oneof(
  { arbitrary: validIri, weight: 9 },
  { arbitrary: fc.constant("https://example.org/a b"), weight: 1 },
);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom('quote " back \\ nl \n tab \t', ""),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const compact = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
const extra = fc.dictionary(
  fc.constantFrom("customNote", "level", "flag", "nested", "relative", "@foo"),
  fc.oneof(text, fc.integer(), fc.boolean(), fc.double(), fc.constant(null), fc.record({ note: text })),
  { maxKeys: 2 },
);
const achievementWith = (iri: fc.Arbitrary<string>) =>
  fc
    .record({
      id: maybe(iri),
      name: text,
      description: maybe(text),
      criteria: maybe(fc.record({ narrative: text, id: maybe(iri) }).map(compact)),
      image: maybe(fc.record({ id: iri, type: fc.constant("Image"), caption: maybe(text) }).map(compact)),
      achievementType: maybe(fc.constantFrom("Badge", "Certificate", "Course", "ext:Custom")),
      creditsAvailable: maybe(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.double({ min: 0, max: 300 }))),
      tag: maybe(fc.array(text, { maxLength: 3 })),
      inLanguage: maybe(fc.constantFrom("en", "fr-BE")),
      resultDescription: maybe(
        fc.array(
          fc
            .record({
              id: iri,
              type: fc.constant(["ResultDescription"]),
              name: text,
              resultType: fc.constantFrom("LetterGrade", "Status"),
              allowedValue: maybe(fc.array(fc.oneof(text, fc.constant(null)), { maxLength: 3 })),
            })
            .map(compact),
          { maxLength: 2 },
        ),
      ),
    })
    .map((a) => ({ type: ["Achievement"], ...compact(a) }));
/** OB 3.0 credentials whose subject and top level also carry `extras` (unknown terms, bad values). */
const ob3CredentialsWith = (extras: fc.Arbitrary<Record<string, unknown>>, iri: fc.Arbitrary<string>) =>
  fc
    .record({
      id: maybe(iri),
      name: text,
      validFrom: fc
        .date({ min: new Date("2000-01-01"), max: new Date("2040-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString()),
      issuer: fc.oneof(
        iri,
        fc.record({ id: iri, type: fc.constant(["Profile"]), name: text, url: maybe(iri) }).map(compact),
      ),
      subject: fc.record({ id: maybe(iri), achievement: achievementWith(iri), extra: extras }),
      results: maybe(fc.array(fc.record({ type: fc.constant(["Result"]), value: text }), { maxLength: 2 })),
      extra: extras,
    })
    .map((v) =>
      compact({
        "@context": [
          "https://www.w3.org/ns/credentials/v2",
          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        id: v.id,
        type: ["VerifiableCredential", "OpenBadgeCredential"],
        name: v.name,
        issuer: v.issuer,
        validFrom: v.validFrom,
        credentialSubject: compact({
          id: v.subject.id,
          type: ["AchievementSubject"],
          achievement: v.subject.achievement,
          result: v.results,
          ...v.subject.extra,
        }),
        ...v.extra,
      }),
    );
const ob3Credentials = ob3CredentialsWith(extra, iri);

describe("pinned-context canonicalization fast path", () => {
  it("gives jsonld.canonize's N-Quads (or its refusal) for generated OB 3.0 credentials", async () => {
    await fc.assert(
      fc.asyncProperty(ob3Credentials, async (document) => {
        // Act
        const [ours, theirs] = [
          await settle(() => canonize(document, pinnedContexts)),
          await settle(() => reference(document)),
        ];

        // Assess
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("gives jsonld.canonize's N-Quads for presentations and proofs (graph containers) of generated credentials", async () => {
    // Prepare
    const proof = fc.record({
      type: fc.constant("DataIntegrityProof"),
      cryptosuite: fc.constantFrom("eddsa-rdfc-2022", "ecdsa-rdfc-2019"),
      created: fc.constant("2026-03-01T10:00:00Z"),
      verificationMethod: validIri,
      proofPurpose: fc.constantFrom("assertionMethod", "authentication"),
      proofValue: fc.string({ minLength: 1 }).map((s) => `z${s}`),
    });
    const presentations = fc.record({
      credentials: fc.array(fc.tuple(ob3CredentialsWith(fc.constant({}), validIri), proof), { maxLength: 3 }),
      proof: fc.option(proof, { nil: undefined }),
      holder: fc.option(validIri, { nil: undefined }),
    });

    await fc.assert(
      fc.asyncProperty(presentations, async (p) => {
        const document = compact({
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          type: ["VerifiablePresentation"],
          holder: p.holder,
          verifiableCredential: p.credentials.map(([credential, proof]) => ({ ...credential, proof })),
          proof: p.proof,
        });

        // Act
        const quads = await fastQuads(document, pinnedContexts);
        const [ours, theirs] = [
          await settle(() => canonize(document, pinnedContexts)),
          await settle(() => reference(document)),
        ];

        // Assess
        expect(ours).toEqual(theirs);
        if (theirs.ok) expect(quads, "a presentation jsonld canonicalizes was left to it").toBeDefined();
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it("covers the credentials the gateway writes itself (OB 3.0 with the ELM extension), identically", async () => {
    await fc.assert(
      fc.asyncProperty(microCredentials, async (credential) => {
        // Prepare
        const document = writeOb3(credential, { ...WITH_CONTEXT, now: systemClock.now() }).document as object;

        // Act
        const quads = await fastQuads(document, pinnedContexts);
        const ours = await canonize(document, pinnedContexts);

        // Assess
        expect(quads, "the fast path left a gateway-written credential to jsonld").toBeDefined();
        expect(ours).toBe(await reference(document));
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it("covers plain generated credentials without extras, so the property above is not all fallbacks", async () => {
    // Prepare
    const samples = fc.sample(ob3CredentialsWith(fc.constant({}), validIri), { numRuns: 50, seed: 7 });

    // Act
    const covered = await Promise.all(samples.map(async (d) => (await fastQuads(d, pinnedContexts)) !== undefined));

    // Assess
    expect(covered.filter(Boolean).length).toBeGreaterThan(samples.length / 2);
  });

  it.each(CORPUS_DOCUMENTS)("gives jsonld.canonize's answer for the corpus document %s", async (file) => {
    // Prepare
    const { proof: _proof, ...document } = corpusJson(file) as Record<string, unknown>;

    // Act
    const [ours, theirs] = [
      await settle(() => canonize(document, pinnedContexts)),
      await settle(() => reference(document)),
    ];

    // Assess
    expect(ours).toEqual(theirs);
  });

  it("reproduces the OB 3.0 eddsa-rdfc-2022 test vector's canonical document", async () => {
    // Prepare
    const document = corpusJson("ob3/examples/TESTVECTOR-unsigned-credential.json") as object;

    // Act
    const quads = await fastQuads(document, pinnedContexts);
    const ours = await canonize(document, pinnedContexts);

    // Assess
    expect(quads).toBeDefined();
    expect(ours.trim()).toBe(corpusText("ob3/test-vectors/document-canon.txt").trim());
  });

  it("leaves what it does not cover to jsonld: lists of lists, value objects, dropped terms, JSON literals, relative ids", async () => {
    // Prepare
    const base = { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"] };
    const outside = [
      {
        ...base,
        "@context": [...base["@context"], { "@vocab": "https://ex.org/#", l: { "@container": "@list" } }],
        l: [[1]],
      },
      { ...base, name: { "@value": "x", "@language": "en" } },
      { ...base, "@context": [...base["@context"], { n: null }], n: "dropped" },
      {
        ...base,
        "@context": [...base["@context"], { j: { "@id": "https://ex.org/#j", "@type": "@json" } }],
        j: { a: 1 },
      },
      { ...base, id: "relative/id" },
    ];

    // Act
    const covered = await Promise.all(outside.map((d) => fastQuads(d, pinnedContexts)));

    // Assess
    expect(covered).toEqual(outside.map(() => undefined));
  });

  it("keeps safe mode: a term no context defines is refused, as jsonld refuses it", async () => {
    // Prepare
    const document = {
      "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
      type: ["OpenBadgeCredential"],
      undefinedTerm: "silently dropped without safe mode",
    };

    // Act
    const ours = canonize(document, pinnedContexts);

    // Assess
    await expect(ours).rejects.toThrow(/safe mode/);
    await expect(reference(document)).rejects.toThrow();
  });
});
