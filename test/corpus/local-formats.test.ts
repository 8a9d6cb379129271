import { describe, expect, it } from "vitest";
import { systemClock } from "../../functions/kernel/system.js";
import { writeElm } from "../../mappings/elm/write.js";
import { readElmo } from "../../mappings/elmo/read.js";
import { readEuropassXml } from "../../mappings/europass-xml/read.js";
import type { Claim } from "../../mappings/model.js";
import { readOb2 } from "../../mappings/ob2/read.js";
import { writeOb3 } from "../../mappings/ob3/write.js";
import { ECTS } from "../../mappings/vocab/index.js";
import { corpusJson, corpusText } from "../support/corpus.js";
import { safeNQuads, schemaErrors, WITH_CONTEXT } from "../support/ob3.js";
import { type ShaclReport, validateElm } from "../support/shacl.js";
import { writeNow } from "../support/write-time.js";

const ELM = "http://data.europa.eu/snb/model/elm";
/** What sealing adds: the issuer's eIDAS legal identifier (see test/corpus/elm-write.test.ts SEALING_ONLY). */
const SEALING = "https://www.w3.org/2018/credentials#issuer";
/**
 * The SHACL residue per file, by path: sealing, plus what the source itself lacks (checked against the XML):
 * `hasClaim` — edci_credential_basic and EDC_WileECoyote_Simple state no claim at all (no `learningAchievement`,
 * `activity` or `entitlement` under `credentialSubject`); `location` — in all three 0.8/0.10 files the issuing
 * organisation (`urn:epass:org:1`) has an empty `<hasLocation/>`: no address, no country (its `registration`'s
 * `spatialID` names the register's country, not the organisation's location, so none is invented). The awarding
 * bodies' locations are read (Faculty of Arts: FR, Industry: BE).
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
  ["europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml", [SEALING]],
  ["europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml", [SEALING]],
  ["europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml", [`${ELM}/hasClaim`, SEALING]],
];

/**
 * Counted from the XML text alone (no parser, no reader): `learningAchievement` start tags, and the ECTS points of
 * the learning specifications (`qualification`, `learningSpecification`) summed once per `specifiedBy` naming one
 * (only achievements are specified by those).
 */
function expectedEuropass(xml: string): { achievements: number; ects: number } {
  const body = xml.replace(/<!--[\s\S]*?-->/g, "");
  const achievements = (body.match(/<learningAchievement[\s>]/g) ?? []).length;
  const specEcts = new Map<string, number>();
  for (const [, , id, inner] of body.matchAll(
    /<(qualification|learningSpecification)\s+id="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g,
  )) {
    const points = /<hasECTSCreditPoints>\s*([^<]*?)\s*</.exec(inner ?? "")?.[1];
    if (id && points) specEcts.set(id, Number(points));
  }
  let ects = 0;
  for (const [, id] of body.matchAll(/<specifiedBy\s+idref="([^"]+)"/g)) ects += specEcts.get(id ?? "") ?? 0;
  return { achievements, ects };
}

const flatten = (claims: Claim[]): Claim[] => claims.flatMap((c) => [c, ...flatten(c.hasPart)]);

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

    const { document } = writeElm(credential, { ...writeNow(), profile: "converted", embedOriginal: true });

    const text = JSON.stringify(document);
    expect(text).toContain(Buffer.from(xml).toString("base64").slice(0, 200));
    const report = await validateElm(document as object, ["generic-full", "converted"]);
    expect(paths(report)).toEqual(residue);
  });

  it.each(EUROPASS)("%s → OB 3.0 passes the OB 3.0 JSON Schema and safe mode", async (file) => {
    const read = readEuropassXml(corpusText(file));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const documents = read.value.map(
      (credential) => writeOb3(credential, { ...WITH_CONTEXT, now: systemClock.now() }).document as object,
    );

    for (const document of documents) {
      expect(schemaErrors(document)).toEqual([]);
      await expect(safeNQuads(document)).resolves.toContain("https://purl.imsglobal.org/spec/vc/ob/vocab.html#");
    }
  });

  it.each(EUROPASS)("%s: reads every achievement and every ECTS credit as stated", (file) => {
    const xml = corpusText(file);
    const want = expectedEuropass(xml);

    const read = readEuropassXml(xml);

    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const achievements = flatten(read.value.flatMap((c) => c.claims)).filter((c) => c.kind === "achievement");
    expect(achievements).toHaveLength(want.achievements);
    const ects = achievements
      .flatMap((c) => c.specification?.credits ?? [])
      .filter((c) => c.framework?.uri === ECTS.uri)
      .reduce((sum, c) => sum + Number(c.points), 0);
    expect(ects).toBeCloseTo(want.ects, 6);
  });

  it("reads the subject's activity as a claim of its own, with its specification (EDC_SampleACT_AA)", () => {
    const read = readEuropassXml(corpusText("europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml"));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const [c] = read.value;

    expect(c?.claims.map((x) => x.kind)).toEqual(["activity"]);
    const activity = c?.claims[0];
    expect(activity).toMatchObject({
      id: "urn:epass:activity:1",
      startDate: "2021-12-21T00:00:00+01:00",
      endDate: "2021-12-22T00:00:00+01:00",
    });
    expect(activity?.directedBy[0]?.id).toBe("urn:epass:org:1");
    expect(activity?.specification?.kind).toBe("activity");
    expect(activity?.specification?.languages.map((l) => l.uri?.replace(/^.*\//, ""))).toEqual(["ENG", "SPA"]);
    expect(c?.display).toMatchObject({ primaryLanguage: "en", languages: ["en"] });
    expect(c?.display?.title).toEqual(c?.title);
  });

  it("reads activities, entitlements and learning outcomes where the achievements refer to them (Ildiko Mazar)", () => {
    const read = readEuropassXml(
      corpusText("europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml"),
    );
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const [c] = read.value;
    if (!c) throw new Error("no credential");

    // Both activities and both entitlements are referred to by an achievement: no claims of their own.
    expect(c.claims.map((x) => x.kind)).toEqual(["achievement", "achievement"]);
    const [first, second] = c.claims;
    expect(first?.influencedBy.map((a) => [a.id, a.workload])).toEqual([["urn:epass:activity:1", "PT60H"]]);
    expect(first?.influencedBy[0]?.specification?.id).toBe("urn:epass:learningactivityspec:1");
    expect(second?.entitlesTo.map((e) => e.id)).toEqual(["urn:epass:entitlement:2", "urn:epass:entitlement:1"]);
    expect(second?.entitlesTo[0]?.expiryDate).toBe("2021-03-31");
    // The entitlement that two achievements refer to is one claim.
    expect(first?.entitlesTo[0]).toBe(second?.entitlesTo[1]);
    expect(first?.entitlesTo[0]?.specification?.kind).toBe("entitlement");
    expect(first?.specification?.learningOutcomes.map((o) => o.id)).toEqual([
      "urn:epass:learningOutcome:1",
      "urn:epass:learningOutcome:2",
    ]);
    expect(first?.specification?.learningOutcomes[0]?.skillType?.uri).toBe(
      "http://data.europa.eu/snb/skill-type/knowledge",
    );
    expect(first?.awardingBodies[0]?.locations[0]?.address?.country).toBe("FR");
    expect(first?.awardingDate).toBe("2020-03-31T00:00:00+02:00");
    expect(c.issuer?.locations).toEqual([]);
    expect(c.id).toBe("urn:credential:fd7d682c-818c-490a-88f3-8da59b857a7a");

    const elm = JSON.stringify(writeElm(c, { ...writeNow(), profile: "converted" }).document);
    expect(elm).toContain('"influencedBy"');
    expect(elm).toContain('"LearningEntitlement"');
    expect(elm).toContain('"learningOutcome"');
  });

  it("reads an attachment list (no corpus file has one; the 1.2 XSD's attachmentList/Attachment)", () => {
    const xml = corpusText("europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml").replace(
      "<proof></proof>",
      `<attachmentList><Attachment id="urn:epass:media:1">
        <contentType uri="http://publications.europa.eu/resource/authority/file-type/PDF"/>
        <content>JVBERi0x
        LjQ=</content></Attachment></attachmentList><proof></proof>`,
    );

    const read = readEuropassXml(xml);

    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.value[0]?.attachments).toEqual([
      { id: "urn:epass:media:1", content: "JVBERi0xLjQ=", mediaType: "application/pdf" },
    ]);
    expect(read.value[0]?.extensions.some((e) => e.path.includes("attachmentList"))).toBe(false);
  });
});

describe("ELMO → ELM v3 and OB 3.0", () => {
  it.each(ELMO)("%s → ELM passes safe mode and the generic-full shapes but for its residue", async (file, residue) => {
    const read = readElmo(corpusText(file));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const documents = read.value.map((credential) => writeElm(credential, { ...writeNow() }).document as object);

    for (const document of documents) {
      // validateElm runs JSON-LD in safe mode: an undefined term or a relative id fails here.
      const report = await validateElm(document, ["generic-full"]);
      expect(paths(report)).toEqual(residue);
    }
  });

  it.each(ELMO)("%s → OB 3.0 passes the OB 3.0 JSON Schema and safe mode", async (file) => {
    const read = readElmo(corpusText(file));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const documents = read.value.map(
      (credential) => writeOb3(credential, { ...WITH_CONTEXT, now: systemClock.now() }).document as object,
    );

    for (const document of documents) {
      expect(schemaErrors(document)).toEqual([]);
      await expect(safeNQuads(document)).resolves.toContain("https://purl.imsglobal.org/spec/vc/ob/vocab.html#");
    }
  });

  it("writes a grading scheme's local id (ZAL in the v1.7 example) as its title, never as a relative @id", () => {
    const read = readElmo(corpusText("elmo/v1.7.0/example.xml"));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const text = JSON.stringify(read.value.map((c) => writeElm(c, { ...writeNow() }).document));

    expect(text).not.toContain('"id":"ZAL"');
    expect(text).toContain('"ZAL"');
  });

  it("refuses the malformed extension example (an unclosed element) with its line and column", () => {
    const read = readElmo(corpusText("elmo/extensions/example-de.xml"));

    expect(read.ok).toBe(false);
    expect(!read.ok && read.issues[0]?.message).toMatch(/line 167, column 17/);
  });
});

/**
 * Every OB 2.0 spec example that is an assertion (typed `Assertion`) or an assertion bundle: 01 (with its BadgeClass
 * 02 and Issuer 03 alongside, and alone), 04 (embedded badge; the spec text's trailing comma removed), 05 (signed,
 * compact JWS) and 07 (the signed badge's payload). 11, 15–18 are assertion fragments without `type` (revocation and
 * evidence snippets), the others BadgeClasses, Issuers, keys, revocation lists, criteria, images and Endorsements.
 */
const OB2_ASSERTIONS: [string, () => unknown][] = [
  [
    "01 + 02 + 03 (bundle)",
    () => ({
      assertion: corpusJson("ob2/spec-examples/01-Assertion-Example.json"),
      badge: JSON.parse(corpusText("ob2/spec-examples/02-BadgeClass-Example.json.txt").replace(/\n\s+/g, " ")),
      issuer: corpusJson("ob2/spec-examples/03-Issuer-Profile-Example.json"),
    }),
  ],
  ["01 (alone)", () => corpusJson("ob2/spec-examples/01-Assertion-Example.json")],
  [
    "04",
    () => JSON.parse(corpusText("ob2/spec-examples/04-Open-Badges-in-Linked-Data.json.txt").replace(/,(\s*})/g, "$1")),
  ],
  ["05 (JWS)", () => corpusText("ob2/spec-examples/05-Signed-Badges-Example.jws.txt")],
  ["07", () => corpusJson("ob2/spec-examples/07-Signed-Badges-Example.json")],
];

describe("OB 2.0 spec examples", () => {
  it.each(OB2_ASSERTIONS)("%s → OB 3.0 passes the OB 3.0 JSON Schema and safe mode", async (_name, input) => {
    const read = readOb2(input());
    if (!read.ok) throw new Error(JSON.stringify(read.issues));

    const documents = read.value.map(
      (credential) => writeOb3(credential, { ...WITH_CONTEXT, now: systemClock.now() }).document as object,
    );

    expect(documents).toHaveLength(1);
    for (const document of documents) {
      expect(schemaErrors(document)).toEqual([]);
      await expect(safeNQuads(document)).resolves.toContain("https://purl.imsglobal.org/spec/vc/ob/vocab.html#");
    }
  });

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
    const { document } = writeOb3(c as NonNullable<typeof c>, { ...WITH_CONTEXT, now: systemClock.now() });
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
