import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { contexts as didContexts } from "did-context";
import { contexts as ed25519Signature2020Contexts } from "ed25519-signature-2020-context";
import { describe, expect, it } from "vitest";
import { createEddsaRdfc2022Proof, verifyEddsaRdfc2022Proof } from "../../../../functions/proofs/data-integrity.js";
import { documentLoader, isPinnedContext, pinnedContexts } from "../../../../mappings/contexts.js";
import { W3C_SUITE_CONTEXT_URLS } from "../../../../mappings/jsonld/loader.js";
import { dbVerify, resolverFor, seedSigner, VECTOR, vectorController } from "../../../support/data-integrity.js";

// The contexts the W3C VC interoperability suites put in credentials are served offline by the gateway's loader, from
// the npm packages that publish them (the examples v2 context, one @vocab, from W3C's published text).
describe("the W3C suites' contexts in the static loader", () => {
  it("pins each one, serving the package's own document", async () => {
    const packaged = new Map([
      ...dataIntegrityContexts,
      ...multikeyContexts,
      ...didContexts,
      ...ed25519Signature2020Contexts,
    ]);

    for (const url of W3C_SUITE_CONTEXT_URLS) {
      expect(isPinnedContext(url), url).toBe(true);
      const { document } = await documentLoader(url);
      if (url === "https://www.w3.org/ns/credentials/examples/v2") {
        expect(document).toEqual({ "@context": { "@vocab": "https://www.w3.org/ns/credentials/examples#" } });
      } else {
        expect(document, url).toBe(packaged.get(url));
      }
    }
  });

  it("signs and verifies a credential of the VC 2.0 suite's shape (examples v2 context), also with Digital Bazaar's verifier", async () => {
    const credential = {
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
      id: "urn:uuid:5b1e0b86-7c6c-4a4e-9d7a-0a3b1c2d3e4f",
      type: ["VerifiableCredential", "ExampleAlumniCredential"],
      issuer: VECTOR.issuer,
      validFrom: "2024-01-01T00:00:00Z",
      credentialSubject: { id: "did:example:abcdefgh", alumniOf: "The School of Examples" },
    };

    const signed = await createEddsaRdfc2022Proof(credential, {
      contexts: pinnedContexts,
      signer: seedSigner(VECTOR.seedHex),
      keyRef: "vector",
      verificationMethod: VECTOR.verificationMethod,
    });
    const ours = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: resolverFor([vectorController()]),
    });
    const theirs = await dbVerify(signed, [vectorController()]);

    expect(ours.verified, JSON.stringify(ours.errors)).toBe(true);
    expect(theirs.verified).toBe(true);
  });

  it("accepts a credential naming the Data Integrity v2 context as well", async () => {
    const credential = {
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/security/data-integrity/v2"],
      type: ["VerifiableCredential"],
      issuer: VECTOR.issuer,
      credentialSubject: { id: "did:example:abcdefgh" },
    };

    const signed = await createEddsaRdfc2022Proof(credential, {
      contexts: pinnedContexts,
      signer: seedSigner(VECTOR.seedHex),
      keyRef: "vector",
      verificationMethod: VECTOR.verificationMethod,
    });
    const result = await verifyEddsaRdfc2022Proof(signed, {
      contexts: pinnedContexts,
      resolvePublicKey: resolverFor([vectorController()]),
    });

    expect(result.verified, JSON.stringify(result.errors)).toBe(true);
  });
});
