import { describe, expect, it } from "vitest";
import { readElm } from "../../../../mappings/elm/read.js";
import { readElmo } from "../../../../mappings/elmo/read.js";
import type { CanonicalCredential } from "../../../../mappings/model.js";
import { microCredentialClaims } from "../../../../mappings/sd-jwt-vc/claims.js";
import { corpusJson, corpusText } from "../../../support/corpus.js";

// Texts in several languages: a claim's value in another language is the claim `{name}#{tag}` (OpenID Connect Core
// §5.2). Expected values are read from the source files themselves: the EMREX ELMO example's first learning
// opportunity is titled in Polish and English, the EC sample's second learning outcome in English and Spanish.
const ELMO = "elmo/v1.0.0/example.xml";
const SAMPLE = "elm/samples/Sample-MC-Annex1-unsigned.jsonld";

function first(result: ReturnType<typeof readElm>): CanonicalCredential {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const [credential] = result.value;
  if (!credential) throw new Error("nothing read");
  return credential;
}

/** The `xml:lang` titles of the file's first learningOpportunitySpecification, read with a regular expression. */
function firstSpecificationTitles(xml: string): Record<string, string> {
  const spec = xml.slice(xml.indexOf("<learningOpportunitySpecification>"));
  const head = spec.slice(0, spec.indexOf("<specifies>"));
  return Object.fromEntries(
    [...head.matchAll(/<title xml:lang="([a-z]+)">([^<]+)<\/title>/g)].map((m) => [m[1], m[2]]),
  );
}

describe("SD-JWT VC claims in several languages", () => {
  it("writes the title in each other language the ELMO source has, as achievement_title#{tag}", () => {
    const titles = firstSpecificationTitles(corpusText(ELMO));
    expect(Object.keys(titles).sort()).toEqual(["en", "pl"]);
    const { claims, written } = microCredentialClaims(first(readElmo(corpusText(ELMO))));
    expect(claims.achievement_title).toBe(titles.en);
    expect(claims["achievement_title#pl"]).toBe(titles.pl);
    expect(claims["achievement_title#en"]).toBeUndefined();
    // Selectively disclosable like the claim, right after it.
    expect(written[written.indexOf("achievement_title") + 1]).toBe("achievement_title#pl");
  });

  it("writes learning_outcomes#{tag} only for a language every outcome has", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the sample is read and changed as plain JSON.
    const sample = corpusJson(SAMPLE) as any;
    const outcomes = sample.credentialSubject.hasClaim.specifiedBy.learningOutcome as {
      title: Record<string, string>;
    }[];
    expect(outcomes.map((o) => Object.keys(o.title).sort())).toEqual([["en"], ["en", "es"]]);
    const asIs = microCredentialClaims(first(readElm(sample))).claims;
    expect(asIs.learning_outcomes).toEqual(outcomes.map((o) => o.title.en));
    expect(asIs["learning_outcomes#es"]).toBeUndefined();

    // Given Spanish for the other outcome too, the Spanish list is written, in the outcomes' order.
    const both = structuredClone(sample);
    both.credentialSubject.hasClaim.specifiedBy.learningOutcome[0].title.es = "Comunicación y creatividad";
    const { claims } = microCredentialClaims(first(readElm(both)));
    expect(claims["learning_outcomes#es"]).toEqual(["Comunicación y creatividad", outcomes[1]?.title.es]);
    expect(claims.learning_outcomes).toEqual(outcomes.map((o) => o.title.en));
  });
});
