import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomIds } from "../../functions/kernel/system.js";
import { type Annex1Report, checkAnnex1, MANDATORY_ELEMENTS } from "../../mappings/compliance/annex1.js";
import { readElm } from "../../mappings/elm/read.js";
import { writeElm } from "../../mappings/elm/write.js";
import type { CanonicalCredential } from "../../mappings/model.js";
import { EXTENSION_TERMS } from "../../mappings/ob3/extension-context.js";
import { readOb3 } from "../../mappings/ob3/read.js";
import { writeOb3 } from "../../mappings/ob3/write.js";
import {
  OB3_ACHIEVEMENT_TO_ELM,
  OB3_CLAIM_TO_ELM,
  OB3_CREDENTIAL_TO_ELM,
  OB3_EVIDENCE_TO_ELM,
  OB3_PERSON_TO_ELM,
  OB3_PROFILE_TO_ELM,
} from "../../mappings/tables/ob3-to-elm.js";
import { corpusJson } from "../support/corpus.js";
import { microCredentials, safeNQuads, schemaErrors, WITH_CONTEXT } from "../support/ob3.js";

const NOW = new Date("2025-01-01T00:00:00Z");

/** Every ELM credential of the corpus (the accreditation export is not a credential). */
const ELM_CREDENTIALS = [
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld",
  "elm/samples/Sample-MC-Annex1-signed.jsonld",
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json",
  "elm/samples/credential-sample.jsonld",
  "elm/ebsi/example-microcredential.json",
];

function readOne(read: (input: unknown) => ReturnType<typeof readElm>, input: unknown): CanonicalCredential {
  const result = read(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const [credential] = result.value;
  if (!credential) throw new Error("no credential");
  return credential;
}

/**
 * An Annex I report as the round trip must keep it: each element's status and value. The learner's value lists the
 * identifying fields present: a full name may appear (OB 3.0 names a recipient by one name identity), none may go.
 */
function elements(report: Annex1Report, only?: readonly string[]): Record<string, { status: string; value: unknown }> {
  return Object.fromEntries(
    report.elements
      .filter((e) => only === undefined || only.includes(e.element))
      .map((e) => [e.element, { status: e.status, value: e.value }]),
  );
}

/** Every Annex I element (or only those listed) has the same status and value before and after. */
function expectSameElements(before: CanonicalCredential, after: CanonicalCredential, only?: readonly string[]): void {
  const was = elements(checkAnnex1(before), only);
  const is = elements(checkAnnex1(after), only);
  const { learner: wasLearner, ...wasRest } = was;
  const { learner: isLearner, ...isRest } = is;
  expect(isRest).toEqual(wasRest);
  expect(isLearner?.status).toBe(wasLearner?.status);
  const fields = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  expect(fields(isLearner?.value)).toEqual(expect.arrayContaining(fields(wasLearner?.value)));
}

describe("ELM corpus → OB 3.0", () => {
  it.each(ELM_CREDENTIALS)("%s passes the OB 3.0 JSON Schema and JSON-LD safe mode", async (file) => {
    // Prepare
    const credential = readOne(readElm, corpusJson(file));
    // Act
    const { document, warnings } = writeOb3(credential, { ...WITH_CONTEXT, now: NOW });
    // Assess
    expect(warnings.filter((w) => w.message.startsWith("internal"))).toEqual([]);
    expect(schemaErrors(document)).toEqual([]);
    await expect(safeNQuads(document)).resolves.toContain(
      "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement",
    );
  });

  it("reports exactly the EC micro-credential sample's losses, at their source pointers", () => {
    // Prepare
    const credential = readOne(readElm, corpusJson("elm/samples/Sample-MC-Annex1-signed.jsonld"));
    // Act
    const { losses } = writeOb3(credential, { ...WITH_CONTEXT, now: NOW });
    // Assess
    expect(losses.map((l) => l.path)).toEqual([
      "/payload/credentialProfiles",
      "/payload/credentialSubject/hasClaim/id",
      "/payload/displayParameter/primaryLanguage",
      "/payload/displayParameter/language",
    ]);
  });

  it("embeds the original (with its seal) as evidence of the conversion", () => {
    // Prepare
    const input = corpusJson("elm/samples/Sample-MC-Annex1-signed.jsonld");
    const credential = readOne(readElm, input);
    // Act
    const { document } = writeOb3(credential, { ...WITH_CONTEXT, now: NOW });
    // Assess
    const evidence = (document.evidence as { id: string; genre?: string }[]).find(
      (e) => e.genre === "Original credential",
    );
    const payload = evidence?.id.replace(/^data:application\/ld\+json;base64,/, "") ?? "";
    expect(JSON.parse(Buffer.from(payload, "base64").toString("utf8"))).toEqual(input);
  });

  it("describes every OB 3.0 property it writes in the OB 3.0 → ELM tables or the extension", () => {
    // Prepare
    const described = new Set(
      [
        OB3_CREDENTIAL_TO_ELM,
        OB3_PROFILE_TO_ELM,
        OB3_PERSON_TO_ELM,
        OB3_CLAIM_TO_ELM,
        OB3_ACHIEVEMENT_TO_ELM,
        OB3_EVIDENCE_TO_ELM,
      ]
        .flat()
        .flatMap((r) =>
          (r.ob3 ?? "").split(/,\s*/).map((p) => p.replace(/^credentialSubject\./, "").replace(/\[.*$/, "")),
        )
        .concat(
          EXTENSION_TERMS.map((t) => t.term),
          ["@context", "type", "id", "credentialSchema", "result", "resultDescription"],
        ),
    );
    // Act
    const keys = new Set<string>();
    for (const file of ELM_CREDENTIALS) {
      const { document } = writeOb3(readOne(readElm, corpusJson(file)), { ...WITH_CONTEXT, now: NOW });
      const subject = document.credentialSubject as Record<string, unknown>;
      const nodes = [
        document,
        document.issuer,
        subject,
        subject.achievement,
        ...((document.evidence as unknown[]) ?? []),
      ];
      for (const node of nodes) for (const key of Object.keys(node as object)) keys.add(key);
    }
    // Assess
    expect([...keys].filter((k) => !described.has(k))).toEqual([]);
  });
});

describe("ELM → OB 3.0 → ELM keeps the Annex I elements", () => {
  it.each(ELM_CREDENTIALS)("%s, through the OB 3.0 reader", (file) => {
    // Prepare
    const before = readOne(readElm, corpusJson(file));
    // Act
    const after = readOne(readOb3, writeOb3(before, { ...WITH_CONTEXT, now: NOW }).document);
    // Assess
    expectSameElements(before, after);
  });

  it.each(ELM_CREDENTIALS)("%s, through OB 3.0 and back to ELM", (file) => {
    // Prepare
    const before = readOne(readElm, corpusJson(file));
    // Act
    const ob3 = readOne(readOb3, writeOb3(before, { ...WITH_CONTEXT, now: NOW }).document);
    const after = readOne(
      readElm,
      writeElm(ob3, { uuid: () => randomIds.newId(), ...WITH_CONTEXT, now: NOW }).document,
    );
    // Assess
    expectSameElements(before, after);
  });

  it("for generated micro-credentials: every element through OB 3.0, the 11 mandatory ones back in ELM", () => {
    // Back in ELM, what the ELM writer itself cannot write (a specification's isPartOf, an optional element) is its
    // loss, not this mapping's: the mandatory elements are the issue's promise.
    fc.assert(
      fc.property(microCredentials, (before) => {
        const ob3 = readOne(readOb3, writeOb3(before, { ...WITH_CONTEXT, now: NOW }).document);
        const after = readOne(
          readElm,
          writeElm(ob3, { uuid: () => randomIds.newId(), ...WITH_CONTEXT, now: NOW }).document,
        );
        expectSameElements(before, ob3);
        expectSameElements(before, after, MANDATORY_ELEMENTS);
        expect(checkAnnex1(after).microCredential.compliant).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
