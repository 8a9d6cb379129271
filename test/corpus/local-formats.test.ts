import { describe, expect, it } from "vitest";
import { writeElm } from "../../mappings/elm/write.js";
import { readElmo } from "../../mappings/elmo/read.js";
import { readEuropassXml } from "../../mappings/europass-xml/read.js";
import { readOb2 } from "../../mappings/ob2/read.js";
import { writeOb3 } from "../../mappings/ob3/write.js";
import { corpusJson, corpusText } from "../support/corpus.js";
import { safeNQuads, schemaErrors } from "../support/ob3.js";
import { type ShaclReport, validateElm } from "../support/shacl.js";

const ELM = "http://data.europa.eu/snb/model/elm";
/** What sealing adds: the issuer's eIDAS legal identifier (see test/corpus/elm-write.test.ts SEALING_ONLY). */
const SEALING = "https://www.w3.org/2018/credentials#issuer";
/**
 * The SHACL residue per file, by path: sealing, plus what the reader does not (yet) find in the source:
 * `hasClaim` — no learningAchievement in the source (basic and Wile E. Coyote hold none; SampleACT holds only an
 * activity, which the reader does not map yet); `location` — the issuing organisation's location is not read from
 * the 0.8/0.10 files' shape.
 */
const EUROPASS: [string, string[]][] = [
  [
    "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml",
    [`${ELM}/location`, SEALING],
  ],
  [
    "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml",
    [`${ELM}/hasClaim`, `${ELM}/location`, SEALING],
  ],
  ["europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml", [`${ELM}/location`, SEALING]],
  ["europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml", [`${ELM}/hasClaim`, SEALING]],
  ["europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml", [SEALING]],
  ["europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml", [`${ELM}/hasClaim`, SEALING]],
];

/**
 * Every well-formed ELMO document in the corpus with its SHACL residue (generic-full), by path: sealing, plus what
 * the source lacks: `grade` — an LOI with a `status` but no `resultLabel` (the official mapping makes the status a
 * `provenBy` assessment's grade status, and ELM requires the assessment's grade); `location` — the Oslo issuer
 * states no country.
 */
const ELMO: [string, string[]][] = [
  ["elmo/v1.0.0/example.xml", [SEALING]],
  ["elmo/v1.6.0/example.xml", [`${ELM}/grade`, SEALING]],
  ["elmo/v1.7.0/example.xml", [`${ELM}/grade`, SEALING]],
  ["elmo/v2.0.0/example.xml", [`${ELM}/grade`, SEALING]],
  ["elmo/real-world/dk-emrex-Example-elmo-Norway.xml", [`${ELM}/location`, SEALING]],
  ["elmo/real-world/dk-emrex-Example-elmo-sweden-1.0.xml", [SEALING]],
  ["elmo/ewp-imobility-tors-stable-v2/get-response-example.xml", [SEALING]],
  ["elmo/extensions/elmoPlus.xml", [SEALING]],
];

/** The shapes' messages, by path, for a compact comparison. */
const paths = (r: ShaclReport) => [...new Set(r.results.map((x) => x.path))].sort();

describe("legacy Europass XML → ELM v3 (converted, original embedded)", () => {
  it.each(EUROPASS)("%s", async (file, residue) => {
    const xml = corpusText(file);
    const read = readEuropassXml(xml);
    expect(read.ok, JSON.stringify(!read.ok && read.issues)).toBe(true);
    if (!read.ok) return;
    const [credential] = read.value;
    if (!credential) throw new Error("no credential");
    expect(credential.provenance.original).toBe(xml);

    const { document } = writeElm(credential, { profile: "converted", embedOriginal: true });

    const text = JSON.stringify(document);
    expect(text).toContain(Buffer.from(xml).toString("base64").slice(0, 200));
    const report = await validateElm(document as object, ["generic-full", "converted"]);
    expect(paths(report)).toEqual(residue);
  });
});

describe("ELMO → ELM v3 and OB 3.0", () => {
  it.each(ELMO)("%s → ELM passes safe mode and the generic-full shapes but for its residue", async (file, residue) => {
    const read = readElmo(corpusText(file));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const documents = read.value.map((credential) => writeElm(credential, {}).document as object);

    for (const document of documents) {
      // validateElm runs JSON-LD in safe mode: an undefined term or a relative id fails here.
      const report = await validateElm(document, ["generic-full"]);
      expect(paths(report)).toEqual(residue);
    }
  });

  it.each(ELMO)("%s → OB 3.0 passes the OB 3.0 JSON Schema and safe mode", async (file) => {
    const read = readElmo(corpusText(file));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const documents = read.value.map((credential) => writeOb3(credential, {}).document as object);

    for (const document of documents) {
      expect(schemaErrors(document)).toEqual([]);
      await expect(safeNQuads(document)).resolves.toContain("https://purl.imsglobal.org/spec/vc/ob/vocab.html#");
    }
  });

  it("writes a grading scheme's local id (ZAL in the v1.7 example) as its title, never as a relative @id", () => {
    const read = readElmo(corpusText("elmo/v1.7.0/example.xml"));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const text = JSON.stringify(read.value.map((c) => writeElm(c, {}).document));

    expect(text).not.toContain('"id":"ZAL"');
    expect(text).toContain('"ZAL"');
  });

  it("refuses the malformed extension example (an unclosed element) with its line and column", () => {
    const read = readElmo(corpusText("elmo/extensions/example-de.xml"));

    expect(read.ok).toBe(false);
    expect(!read.ok && read.issues[0]?.message).toMatch(/line 167, column 17/);
  });
});

describe("OB 2.0 spec examples", () => {
  it("reads the hosted assertion with its BadgeClass and Issuer given alongside, and writes OB 3.0", () => {
    const badge = JSON.parse(corpusText("ob2/spec-examples/02-BadgeClass-Example.json.txt").replace(/\n\s+/g, " "));
    const input = {
      assertion: corpusJson("ob2/spec-examples/01-Assertion-Example.json"),
      badge,
      issuer: corpusJson("ob2/spec-examples/03-Issuer-Profile-Example.json"),
    };
    const r = readOb2(input);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const [c] = r.value;
    expect(c?.claims[0]?.title).toEqual({ und: "Awesome Robotics Badge" });
    expect(c?.issuer?.legalName).toEqual({ und: "An Example Badge Issuer" });
    expect(c?.learner.identifiers[0]).toMatchObject({ hashed: true, salt: "deadsea", identityType: "emailAddress" });
    expect(c?.claims[0]?.specification?.alignments).toHaveLength(2);
    const { document } = writeOb3(c as NonNullable<typeof c>, {});
    const out = document as Record<string, unknown>;
    expect(out.id).not.toBe("https://example.org/beths-robotics-badge.json");
    const text = JSON.stringify(out);
    expect(text).toContain('"related"');
    expect(text).toContain("https://example.org/robotics-badge.json");
    expect(text).toContain("https://example.org/beths-robotics-badge.json");
  });

  it("reads the embedded-badge assertion (trailing comma of the spec text removed)", () => {
    const text = corpusText("ob2/spec-examples/04-Open-Badges-in-Linked-Data.json.txt").replace(/,(\s*})/g, "$1");
    const r = readOb2(JSON.parse(text));
    expect(r.ok && r.value[0]?.issuer?.emails).toEqual(["steved@example.org"]);
  });

  it("reads the signed badge (compact JWS) without verifying it", () => {
    const r = readOb2(corpusText("ob2/spec-examples/05-Signed-Badges-Example.jws.txt"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value[0]?.provenance).toMatchObject({ variant: "signed", root: "/payload" });
    expect(r.warnings.some((w) => /BadgeClass is given by id only/.test(w.message))).toBe(true);
  });

  it("reads the signed badge's payload example as a hosted assertion", () => {
    const r = readOb2(corpusJson("ob2/spec-examples/07-Signed-Badges-Example.json"));
    expect(r.ok).toBe(true);
  });
});
