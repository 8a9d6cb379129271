/**
 * The ELM `edc-ap` context the project authors (mappings/elm/context.ts) against the official ELM 3.2 file, read in
 * place from the corpus, and the pinned document loader that serves it.
 *
 * Equivalence is judged on RDF, not JSON: each EC sample is canonicalised (RDFC-1.0 N-Quads) once with our loader
 * and once with a loader that serves the official file for the same URL, and the outputs must be identical.
 *
 * Safe mode stays on (jsonld's default for canonize). Without it jsonld silently drops what the contexts cannot
 * map, on both sides alike, so a term missing from both contexts would go unnoticed; with it such a term fails the
 * test. The samples pass in safe mode: they use no term that the VC v1 and edc-ap contexts leave undefined.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import jsonld, { type DocumentLoader, type JsonLdEvent } from "jsonld";
import { describe, expect, it } from "vitest";
import { documentLoader, isPinnedContext } from "../../../../mappings/contexts.js";
import { EDC_AP_CONTEXT, EDC_AP_CONTEXT_URL } from "../../../../mappings/elm/context.js";
import {
  type ContextDocument,
  ContextNotPinnedError,
  documentLoaderFor,
  mergeContexts,
  VC_CONTEXTS,
  VC_V1_CONTEXT_URL,
  VC_V2_CONTEXT_URL,
} from "../../../../mappings/jsonld/loader.js";

const ELM_CORPUS = resolve(fileURLToPath(new URL("../../../..", import.meta.url)), "../shared/corpus/elm");

type Json = Record<string, unknown>;

function readJson(relative: string): Json {
  const value: unknown = JSON.parse(readFileSync(resolve(ELM_CORPUS, relative), "utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${relative}: not an object`);
  return value as Json;
}

/** An object member; a member holding JSON text (the JAdES `payload`) is parsed. */
function member(object: Json, key: string): Json {
  const value = object[key];
  if (typeof value === "string") return JSON.parse(value) as Json;
  if (typeof value !== "object" || value === null) throw new Error(`no object member ${key}`);
  return value as Json;
}

/** The EC samples that use the VC v1 context, as fresh objects. */
const v1Samples: Record<string, () => Json> = {
  "Sample-MC-Annex1-unsigned.jsonld": () => readJson("samples/Sample-MC-Annex1-unsigned.jsonld"),
  "Sample-MC-Annex1-signed.jsonld (JAdES payload)": () =>
    member(readJson("samples/Sample-MC-Annex1-signed.jsonld"), "payload"),
  "Sample-MC-Annex1-unsigned-uploadable.json (credential)": () =>
    member(readJson("samples/Sample-MC-Annex1-unsigned-uploadable.json"), "credential"),
  "credential-sample.jsonld": () => readJson("samples/credential-sample.jsonld"),
};

/** The official ELM 3.2 `edc-ap` context, read in place. */
function officialContext(): ContextDocument {
  const document = readJson("context/edc-ap-context-v3.2.jsonld");
  if (!("@context" in document)) throw new Error("the official context file has no @context");
  return { "@context": document["@context"] };
}

/** Our loader, except that `edc-ap` is served from `document`. */
const loaderServingEdcAp =
  (document: ContextDocument): DocumentLoader =>
  async (url) =>
    url === EDC_AP_CONTEXT_URL ? { contextUrl: null, documentUrl: url, document } : documentLoader(url);

const canonical = (input: object, loader: DocumentLoader): Promise<string> =>
  jsonld.canonize(input, {
    documentLoader: loader,
    safe: true,
    format: "application/n-quads",
    canonizeOptions: { algorithm: "RDFC-1.0" },
  });

/** A node using every term of a context once: each class as a type, each property with a value of its kind. */
function probeUsingEveryTerm(definitions: Json): Json {
  const node: Json = { "@context": EDC_AP_CONTEXT_URL, "@id": "urn:probe:node" };
  const types: string[] = [];
  for (const [term, definition] of Object.entries(definitions)) {
    if (typeof definition === "string") {
      if (/^https?:/.test(definition)) node[`${term}:probe`] = `prefix ${term}`;
      else types.push(term);
      continue;
    }
    const { "@type": type, "@container": container } = definition as { "@type"?: string; "@container"?: string };
    if (container === "@language") node[term] = { en: `${term} en`, fr: [`${term} fr`] };
    else if (type === "@id") node[term] = `urn:probe:${term}`;
    else node[term] = `${term} value`;
  }
  node["@type"] = types;
  return node;
}

describe("the ELM edc-ap context authored by the project", () => {
  it.each(Object.entries(v1Samples))("expands %s to exactly the RDF the official context gives", async (_, sample) => {
    // Prepare
    const official = loaderServingEdcAp(officialContext());

    // Act
    const ours = await canonical(sample(), documentLoader);
    const theirs = await canonical(sample(), official);

    // Assess
    expect(ours.split("\n").length).toBeGreaterThan(80);
    expect(ours).toBe(theirs);
  });

  it("expands a probe using every term and prefix of the official context exactly as the official context does", async () => {
    // Prepare
    const official = officialContext();
    const probe = probeUsingEveryTerm(official["@context"] as Json);

    // Act
    const ours = await canonical(probe, documentLoader);
    const theirs = await canonical(probe, loaderServingEdcAp(official));

    // Assess
    expect(ours).toBe(theirs);
    expect(ours.split("\n").length).toBeGreaterThan(200);
  });

  it("defines exactly the terms of the official context", () => {
    // Prepare
    const official = Object.keys(officialContext()["@context"] as Json).sort();

    // Act
    const ours = Object.keys(EDC_AP_CONTEXT["@context"]).sort();

    // Assess
    expect(ours).toEqual(official);
  });

  it("yields different RDF once a single term is remapped, so the comparison above can fail", async () => {
    // Prepare
    const altered: ContextDocument = {
      "@context": { ...EDC_AP_CONTEXT["@context"], title: { "@id": "dc:alternative", "@container": "@language" } },
    };
    const sample = v1Samples["Sample-MC-Annex1-unsigned.jsonld"];
    if (!sample) throw new Error("sample missing");

    // Act
    const withAltered = await canonical(sample(), loaderServingEdcAp(altered));
    const withOfficial = await canonical(sample(), loaderServingEdcAp(officialContext()));

    // Assess
    expect(withAltered).not.toBe(withOfficial);
    expect(withAltered).toContain("<http://purl.org/dc/terms/alternative>");
  });

  it("finds no undefined term in the EC samples: safe mode raises no warning", async () => {
    // Prepare
    const warnings: string[] = [];
    const collect = ({ event, next }: { event: JsonLdEvent; next: () => void }): void => {
      warnings.push(`${event.code}: ${JSON.stringify(event.details)}`);
      next();
    };

    // Act
    for (const sample of Object.values(v1Samples)) {
      await jsonld.toRDF(sample(), {
        documentLoader,
        safe: true,
        eventHandler: collect,
        format: "application/n-quads",
      });
    }

    // Assess
    expect(warnings).toEqual([]);
  });

  it("makes safe mode reject a term that no context defines", async () => {
    // Prepare
    const credential = readJson("samples/Sample-MC-Annex1-unsigned.jsonld");
    member(credential, "credentialSubject").favouriteColour = "blue";

    // Act
    const outcome = canonical(credential, documentLoader);

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: "jsonld.ValidationError",
      details: { event: { code: "invalid property", details: { property: "favouriteColour" } } },
    });
  });

  it("is frozen, so no caller can alter the pinned context", () => {
    // Prepare
    const title = EDC_AP_CONTEXT["@context"].title;

    // Act
    const frozen = [EDC_AP_CONTEXT, EDC_AP_CONTEXT["@context"], title].map((part) => Object.isFrozen(part));

    // Assess
    expect(frozen).toEqual([true, true, true]);
  });
});

describe("the pinned document loader", () => {
  it.each([VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL, EDC_AP_CONTEXT_URL])("serves %s from memory", async (url) => {
    // Act
    const remote = await documentLoader(url);

    // Assess
    expect(remote).toMatchObject({ contextUrl: null, documentUrl: url });
    expect(remote.document).toHaveProperty("@context");
  });

  it.each([
    "https://example.org/contexts/unknown.jsonld",
    "https://data.europa.eu/snb/model/context/edc-ap",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "file:///etc/passwd",
  ])("refuses %s without fetching it", async (url) => {
    // Act
    const outcome = documentLoader(url);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ContextNotPinnedError);
    await expect(outcome).rejects.toMatchObject({ code: "context-not-pinned", url });
  });

  it("makes jsonld fail on a document whose context points at the instance metadata address", async () => {
    // Prepare
    const url = "http://169.254.169.254/latest/meta-data/";
    const document = { "@context": url, name: "x" };

    // Act
    const outcome = jsonld.expand(document, { documentLoader });

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: "jsonld.InvalidUrl",
      details: { code: "loading remote context failed", cause: { name: "ContextNotPinnedError", url } },
    });
  });

  it("serves the contexts it is built with, and refuses two documents for one URL", async () => {
    // Prepare
    const url = "https://example.org/contexts/declared-by-a-test.jsonld";
    const document: ContextDocument = { "@context": { colour: "https://example.org/vocab#colour" } };
    const declared = new Map([[url, { document }]]);

    // Act
    const built = documentLoaderFor(mergeContexts(VC_CONTEXTS, declared, declared));
    const expanded = await jsonld.expand({ "@context": url, colour: "blue" }, { documentLoader: built.documentLoader });

    // Assess
    expect(built.isPinned(url)).toBe(true);
    expect(isPinnedContext(url)).toBe(false);
    expect(expanded).toEqual([{ "https://example.org/vocab#colour": [{ "@value": "blue" }] }]);
    expect(() => mergeContexts(VC_CONTEXTS, new Map([[VC_V2_CONTEXT_URL, { document }]]))).toThrow(
      /two different documents/,
    );
    expect(() => documentLoaderFor(new Map([["not a url", { document }]]))).toThrow(TypeError);
  });

  it("cannot process EBSI's VCDM 2.0 form: edc-ap redefines the protected VC 2.0 term `description`", async () => {
    // Prepare: the failure is the official context's, not ours
    const ebsi = () => readJson("ebsi/example-microcredential.json");
    const expected = { details: { code: "protected term redefinition", term: "description" } };

    // Act
    const withOurs = jsonld.expand(ebsi(), { documentLoader });
    const withOfficial = jsonld.expand(ebsi(), { documentLoader: loaderServingEdcAp(officialContext()) });

    // Assess
    await expect(withOurs).rejects.toMatchObject(expected);
    await expect(withOfficial).rejects.toMatchObject(expected);
  });
});
