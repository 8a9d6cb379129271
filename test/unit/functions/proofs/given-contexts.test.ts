import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import type { JsonLdContexts } from "../../../../functions/kernel/ports/index.js";
import { createEddsaRdfc2022Proof, verifyEddsaRdfc2022Proof } from "../../../../functions/proofs/data-integrity.js";
import { canonize } from "../../../../functions/proofs/rdfc.js";
import { VC_V2_CONTEXT_URL } from "../../../../mappings/jsonld/loader.js";
import { testContexts as pinnedContexts } from "../../../support/contexts.js";
import { resolverFor, seedSigner, VECTOR, vectorController } from "../../../support/data-integrity.js";

// The proofs process JSON-LD through the contexts their caller gives them, never through a loader of their own: a
// context only the given loader serves is usable, one it does not serve is refused, and two loaders that define the
// same URL differently give different RDF, as jsonld itself says with each loader.

const COLOUR_CONTEXT_URL = "https://example.org/colour/v1";

/** Contexts serving the VC 2.0 context (from the gateway's pinned copy) and a colour context defined by `iri`. */
function colourContexts(iri: string): JsonLdContexts {
  const colour = { "@context": { colour: iri } };
  return {
    documentLoader: async (url) =>
      url === COLOUR_CONTEXT_URL
        ? { contextUrl: null, documentUrl: url, document: colour }
        : pinnedContexts.documentLoader(url),
    isPinned: (url) => url === COLOUR_CONTEXT_URL || url === VC_V2_CONTEXT_URL,
  };
}

const credential = () => ({
  "@context": [VC_V2_CONTEXT_URL, COLOUR_CONTEXT_URL],
  type: ["VerifiableCredential"],
  issuer: "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
  credentialSubject: { id: "did:example:subject", colour: "blue" },
});

const signing = (contexts: JsonLdContexts) => ({
  contexts,
  signer: seedSigner(VECTOR.seedHex),
  keyRef: "vector",
  verificationMethod: VECTOR.verificationMethod,
  created: VECTOR.created,
});

/** jsonld's own canonicalization with a given loader: the reference. */
const reference = (document: object, contexts: JsonLdContexts) =>
  jsonld.canonize(structuredClone(document), {
    documentLoader: contexts.documentLoader,
    safe: true,
    base: null,
    rdfDirection: "i18n-datatype",
    canonizeOptions: { algorithm: "RDFC-1.0" },
  });

describe("the proofs use the JSON-LD contexts they are given", () => {
  const first = colourContexts("https://example.org/vocab#colour");
  const second = colourContexts("https://example.org/other#colour");

  it("canonicalizes with the given loader, as jsonld does with it, each loader with its own definitions", async () => {
    // Act
    const withFirst = await canonize(credential(), first);
    const withSecond = await canonize(credential(), second);
    // Assess
    expect(withFirst).toBe(await reference(credential(), first));
    expect(withSecond).toBe(await reference(credential(), second));
    expect(withFirst).toContain("<https://example.org/vocab#colour>");
    expect(withSecond).toContain("<https://example.org/other#colour>");
  });

  it("signs a document whose context only the given contexts pin; the gateway's own contexts refuse it", async () => {
    // Act
    const signed = await createEddsaRdfc2022Proof(credential(), signing(first));
    const refused = createEddsaRdfc2022Proof(credential(), signing(pinnedContexts));
    // Assess
    const resolvePublicKey = resolverFor([vectorController()]);
    expect((await verifyEddsaRdfc2022Proof(signed, { contexts: first, resolvePublicKey })).verified).toBe(true);
    await expect(refused).rejects.toThrow(/unknown JSON-LD context "https:\/\/example.org\/colour\/v1"/);
  });

  it("a proof made under one definition of a context fails under another (the signed RDF differs)", async () => {
    // Prepare
    const signed = await createEddsaRdfc2022Proof(credential(), signing(first));
    // Act
    const outcome = await verifyEddsaRdfc2022Proof(signed, {
      contexts: second,
      resolvePublicKey: resolverFor([vectorController()]),
    });
    // Assess
    expect(outcome.verified).toBe(false);
    expect(outcome.errors.map((e) => e.code)).toStrictEqual(["PROOF_VERIFICATION_ERROR"]);
  });
});
