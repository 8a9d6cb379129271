import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkAnnex1 } from "../../../../mappings/compliance/annex1.js";
import { readElm } from "../../../../mappings/elm/read.js";
import type { CanonicalCredential } from "../../../../mappings/model.js";
import { ELEMENT_CLAIMS, microCredentialClaims } from "../../../../mappings/sd-jwt-vc/claims.js";
import {
  MICRO_CREDENTIAL_CLAIMS,
  microCredentialTypeMetadata,
  microCredentialVct,
} from "../../../../mappings/sd-jwt-vc/type-metadata.js";
import { corpusJson } from "../../../support/corpus.js";

// The EC micro-credential sample, and the facts read from it by hand (test/corpus/facts): the SD-JWT VC claims must
// carry every Annex I element the source has, with the source's values.
const SAMPLES = ["elm/samples/Sample-MC-Annex1-unsigned.jsonld", "elm/samples/Sample-MC-Annex1-signed.jsonld"];

function read(path: string): CanonicalCredential {
  const result = readElm(corpusJson(path));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const [credential] = result.value;
  if (!credential) throw new Error(`nothing read from ${path}`);
  return credential;
}

const facts = (path: string): { kind: string; value: string }[] =>
  corpusJsonFacts(`test/corpus/facts/${path}.json`).facts;
// biome-ignore lint/suspicious/noExplicitAny: the fact sheets are plain JSON read by the test.
const corpusJsonFacts = (path: string): any =>
  JSON.parse(readFileSync(new URL(`../../../../${path}`, import.meta.url), "utf8"));

describe.each(SAMPLES)("SD-JWT VC claims of %s", (path) => {
  const credential = read(path);
  const { claims, written } = microCredentialClaims(credential);

  it("has a claim for every Annex I element the source has", () => {
    const present = checkAnnex1(credential).elements.filter((e) => e.status === "present");
    expect(present.length).toBeGreaterThanOrEqual(9);
    for (const element of present) {
      const names: readonly string[] = ELEMENT_CLAIMS[element.element];
      expect(
        names.some((n) => n in claims),
        `${element.element} present in the source, no claim of ${names.join("/")}`,
      ).toBe(true);
    }
    // Every claim written is one the type metadata defines (a wallet can label it).
    for (const name of written) expect(MICRO_CREDENTIAL_CLAIMS).toContain(name);
  });

  it("carries the source's values (fact sheet)", () => {
    const sheet = facts(path.replace(/\.jsonld$/, ".jsonld"));
    const value = (kind: string) => sheet.filter((f) => f.kind === kind).map((f) => f.value);
    expect(claims.given_name).toBe(value("learner.givenName")[0]);
    expect(claims.family_name).toBe(value("learner.familyName")[0]);
    expect(claims.birthdate).toBe(value("learner.birthDate")[0]?.slice(0, 10));
    expect(claims.learner_identification).toBe(value("learner.identifier")[0]);
    expect(value("title")).toContain(claims.achievement_title);
    expect(claims.achievement_title).toBe("Digital micro-credential creation");
    expect(claims.awarding_body?.[0]?.name).toBe(value("awardingBody.name")[0]);
    // The fact sheet names the EU country authority IRL, which is IE in ISO 3166-1 alpha-2.
    expect(claims.issuing_country).toBe("IE");
    expect(claims.awarding_body?.[0]?.country).toBe("IE");
    expect(claims.workload?.ects_credits).toBe(Number(value("credits")[0]));
    expect(`http://data.europa.eu/snb/eqf/${claims.level?.eqf}`).toBe(value("level")[0]);
    expect(claims.assessment_grade).toBe(value("grade")[0]);
    const outcomes = sheet.filter((f) => f.kind === "outcome" && !f.value.startsWith("http")).map((f) => f.value);
    for (const o of claims.learning_outcomes ?? []) expect(outcomes).toContain(o);
    expect(claims.learning_outcomes).toContain("Communication, collaboration and creativity");
    expect(claims.date_of_issuance).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(claims.participation_form?.length).toBeGreaterThan(0);
    expect(claims.assessment_type?.length).toBeGreaterThan(0);
  });
});

describe("type metadata", () => {
  it("follows SD-JWT VC §4 (-12 keys): vct, display with locale in several languages, claims with path/label/sd", () => {
    const metadata = microCredentialTypeMetadata("https://gw.example");
    expect(metadata.vct).toBe(microCredentialVct("https://gw.example"));
    expect(metadata.vct).toBe("https://gw.example/vct/micro-credential");
    expect(new Set(metadata.display.map((d) => d.locale)).size).toBeGreaterThanOrEqual(3);
    for (const claim of metadata.claims) {
      expect(claim.path.length).toBe(1);
      expect(["always", "allowed", "never"]).toContain(claim.sd);
      expect(claim.display.map((d) => d.locale).sort()).toEqual(["de", "en", "fr"]);
      for (const d of claim.display) expect(Object.keys(d).sort()).toEqual(["label", "locale"]);
    }
    const sdOf = (name: string) => metadata.claims.find((c) => c.path[0] === name)?.sd;
    expect(sdOf("birthdate")).toBe("always");
    expect(sdOf("family_name")).toBe("always");
  });
});
