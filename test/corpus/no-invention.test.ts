/**
 * No invention, as a property of every conversion of every corpus credential: each string a written document holds
 * is a value of the source (as written, or the same date, number or address), a vocabulary concept or its label, a
 * structural constant of the target format (types, contexts), or listed by the result's `derived` entries (what a
 * writer supplies that the source lacks, with its reason). What is none of these was made up.
 *
 * The vocabularies are outside the gateway: the ELM concept list in the corpus (elm/vocab/elm-concepts.csv), ISO
 * 3166 country names (i18n-iso-countries) and ISO 639 language names (ICU's Intl.DisplayNames).
 */
import countries from "i18n-iso-countries";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { convert } from "../../functions/core/convert/convert.js";
import type { Format } from "../../mappings/formats.js";
import { WRITERS } from "../../mappings/registry.js";
import { corpusText } from "../support/corpus.js";
import { sameValue } from "../support/fact-check.js";
import { jsonLeaves } from "../support/fact-locators.js";
import { loadFactSheets, type SourceTree, sourceDocument, sourceTree } from "../support/facts.js";
import { SYSTEM_TIME } from "../support/write-time.js";
import { type Leaf, parseXmlTree, resolveXPath, xmlLeaves } from "../support/xml-tree.js";

const config = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_BODY_BYTES: String(64 * 2 ** 20) });
const TARGETS = Object.keys(WRITERS) as Format[];
const SHEETS = loadFactSheets();

const norm = (s: string): string => s.replace(/\s+/g, " ").trim();

// ------------------------------------------------------------------------------------------------ vocabularies
/** Hosts of the controlled vocabularies and specifications the formats name concepts and contexts by. */
const VOCABULARY_URI =
  /^https?:\/\/(data\.europa\.eu\/(snb|esco)\/|publications\.europa\.eu\/resource\/authority\/|purl\.imsglobal\.org\/|www\.w3\.org\/|w3id\.org\/|schema\.org\/|purl\.org\/)/;

const LABELS: ReadonlySet<string> = (() => {
  const labels = new Set<string>();
  for (const line of corpusText("elm/vocab/elm-concepts.csv").split("\n").slice(1)) {
    const label = line.split(",")[2];
    if (label) labels.add(label.trim());
  }
  for (const name of Object.values(countries.getNames("en"))) labels.add(name);
  const languages = new Intl.DisplayNames(["en"], { type: "language" });
  for (let a = 97; a <= 122; a++)
    for (let b = 97; b <= 122; b++) {
      const code = String.fromCharCode(a, b);
      const name = languages.of(code);
      if (name && name !== code) labels.add(name);
    }
  return labels;
})();

/** Keys whose values are the target format's own constants (types, contexts, enumerations of the spec). */
const STRUCTURAL_KEY =
  /\/(type|@context|@type|identityType|identifierType|resultType|targetType|xmlns|@xmlns[^/]*|credit\/scheme|level\/type)$/;

/**
 * ELM's local node labels (`urn:epass:<class>:<n>`, as EDC itself writes them) only wire the graph together, and
 * EDC writes a concept's scheme short name as its `notation` (`country`, `language`, `file-type`, `atu`): both are
 * serialisation, not facts.
 */
const NODE_LABEL = /^urn:epass:[A-Za-z]+:\d+$/;
const SCHEME_NOTATION = new Set(["country", "language", "file-type", "atu"]);

// ------------------------------------------------------------------------------------------------ the source side
interface SourceValues {
  text: string;
  lower: string;
  dates: string[];
  numbers: Set<number>;
}

function sourceValues(tree: SourceTree): SourceValues {
  const leaves =
    tree.kind === "xml" ? xmlLeaves(tree.root).map((l) => l.value) : jsonLeaves(tree.value).map((l) => l.value);
  // A JAdES payload or an embedded JSON string is itself a source: its strings count.
  const text = norm([tree.text, ...leaves].join("\n"));
  const dates = leaves.filter((v) => /^\d{4}-\d{2}-\d{2}/.test(v));
  const numbers = new Set(
    [...text.matchAll(/-?\d+(?:[.,]\d+)?/g)].map((m) => Number(m[0].replace(",", "."))).filter(Number.isFinite),
  );
  return { text, lower: text.toLowerCase(), dates, numbers };
}

type Reason = "source" | "vocabulary" | "structural" | "derived";

function explain(leaf: Leaf, source: SourceValues): Reason | undefined {
  const v = norm(leaf.value);
  if (v === "") return "source";
  if (STRUCTURAL_KEY.test(leaf.path)) return "structural";
  if (leaf.path.endsWith("/id") && NODE_LABEL.test(v)) return "structural";
  if (leaf.path.endsWith("/notation") && SCHEME_NOTATION.has(v)) return "structural";
  if (source.text.includes(v) || source.lower.includes(v.toLowerCase())) return "source";
  if (v.startsWith("mailto:") && source.text.includes(v.slice(7))) return "source";
  if (/^\d{4}-\d{2}-\d{2}/.test(v) && source.dates.some((d) => sameValue(d, v))) return "source";
  if (/^-?\d+(\.\d+)?$/.test(v) && source.numbers.has(Number(v))) return "source";
  // A number of hours the source gives (ELMO engagementHours 30) written as the ISO 8601 duration ELM takes (PT30H).
  const hours = /^PT(\d+(?:\.\d+)?)H$/.exec(v)?.[1];
  if (hours !== undefined && source.numbers.has(Number(hours))) return "source";
  if (VOCABULARY_URI.test(v)) return "vocabulary";
  if (LABELS.has(v)) return "vocabulary";
  // A country code for a country the source names (OB 3.0 addressCountry "Japan" → addressCountryCode "JP").
  const country = /^[A-Z]{2,3}$/.test(v) ? countries.getName(v, "en") : undefined;
  if (country && source.lower.includes(country.toLowerCase())) return "vocabulary";
  return undefined;
}

/** The output's leaves with the pointer (JSON) or element trail (XML) `derived` paths are matched against. */
function leavesWithWhere(document: unknown): { leaf: Leaf; where: string }[] {
  if (typeof document === "string") {
    const root = parseXmlTree(document);
    return xmlLeaves(root).map((leaf) => ({ leaf, where: leaf.trail?.join("/") ?? "" }));
  }
  const out: { leaf: Leaf; where: string }[] = [];
  const walk = (v: unknown, pointer: string) => {
    if (Array.isArray(v)) {
      for (const [i, c] of v.entries()) walk(c, `${pointer}/${i}`);
    } else if (v !== null && typeof v === "object") for (const [k, c] of Object.entries(v)) walk(c, `${pointer}/${k}`);
    else if (typeof v === "string") {
      const [leaf] = jsonLeaves({ x: v });
      const indexFree = pointer.replace(/\/\d+(?=\/|$)/g, "");
      const last = indexFree.split("/").at(-1) ?? "";
      const isLang = /^([a-z]{2}|und)$/.test(last) && last !== "id";
      out.push({
        leaf: { ...(leaf as Leaf), path: isLang ? indexFree.slice(0, -(last.length + 1)) : indexFree },
        where: pointer,
      });
    }
  };
  walk(document, "");
  return out;
}

/**
 * Whether `derived` lists a leaf (its path, or an ancestor of it), as a test on the leaf's `where`. Built once per
 * result: each derived XPath is resolved once against one parse of the XML output, not once per leaf.
 */
function derivedTest(document: unknown, derived: unknown): (where: string) => boolean {
  const paths = Array.isArray(derived)
    ? derived.flatMap((entry) => {
        const path = (entry as { path?: unknown })?.path;
        return typeof path === "string" ? [path] : [];
      })
    : [];
  if (paths.length === 0) return () => false;
  const prefixes =
    typeof document === "string"
      ? (() => {
          const root = parseXmlTree(document);
          return paths.flatMap((path) => resolveXPath(root, path).map((n) => n.trail.join("/")));
        })()
      : paths;
  const exact = new Set(prefixes);
  return (where) => {
    if (exact.has(where)) return true;
    // Every ancestor of the leaf, from its parent up: `a/b/c` → `a/b`, `a`.
    for (let i = where.lastIndexOf("/"); i >= 0; i = where.lastIndexOf("/", i - 1)) {
      if (exact.has(where.slice(0, i))) return true;
      if (i === 0) break;
    }
    return false;
  };
}

// ------------------------------------------------------------------------------------------------ known inventions
/**
 * Strings written today that are neither a source value, a vocabulary concept, a structural constant nor a
 * `derived` entry: `<corpus path> → <target>: <path in the output, indexes and language keys removed>`, with one
 * example value. The test fails on an invention not listed here and on a listed one that no longer occurs.
 */
const KNOWN_INVENTED: Record<string, string> = {
  // elm/ebsi/example-microcredential.json
  "elm/ebsi/example-microcredential.json → ob3: /image/id":
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGB",
  // elm/samples/Sample-MC-Annex1-signed.jsonld
  "elm/samples/Sample-MC-Annex1-signed.jsonld → ob3: /credentialSubject/achievement/achievementType": "LearningProgram",
  "elm/samples/Sample-MC-Annex1-signed.jsonld → ob3: /credentialSubject/achievement/alignment/targetFramework":
    "European Qualifications Framework",
  "elm/samples/Sample-MC-Annex1-signed.jsonld → ob3: /credentialSubject/achievement/alignment/targetName":
    "EQF level 6",
  "elm/samples/Sample-MC-Annex1-signed.jsonld → ob3: /image/id":
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGB",
  "elm/samples/Sample-MC-Annex1-signed.jsonld → ob3: /issuer/image/id":
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAM4AAADICAYAAA",
  // elm/samples/Sample-MC-Annex1-unsigned-uploadable.json
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json → ob3: /credentialSubject/achievement/achievementType":
    "LearningProgram",
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json → ob3: /credentialSubject/achievement/alignment/targetFramework":
    "European Qualifications Framework",
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json → ob3: /credentialSubject/achievement/alignment/targetName":
    "EQF level 6",
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json → ob3: /image/id":
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGB",
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json → ob3: /issuer/image/id":
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAM4AAADICAYAAA",
  // elm/samples/Sample-MC-Annex1-unsigned.jsonld
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld → ob3: /credentialSubject/achievement/achievementType":
    "LearningProgram",
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld → ob3: /credentialSubject/achievement/alignment/targetFramework":
    "European Qualifications Framework",
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld → ob3: /credentialSubject/achievement/alignment/targetName":
    "EQF level 6",
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld → ob3: /image/id":
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGB",
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld → ob3: /issuer/image/id":
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAM4AAADICAYAAA",
  // elm/samples/credential-sample.jsonld
  "elm/samples/credential-sample.jsonld → elm: /evidence/dcType/prefLabel": "Mandate",
  "elm/samples/credential-sample.jsonld → ob3: /image/id": "data:image/jpeg;base64,",
  // europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elm: /credentialSubject/hasClaim/awardedBy/awardingBody/identifier/schemeName":
    "legal identifier",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elm: /credentialSubject/hasClaim/influencedBy/directedBy/identifier/schemeName":
    "legal identifier",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elm: /credentialSubject/hasClaim/provenBy/assessedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elm: /issuer/identifier/schemeName":
    "VAT number",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → ob3: /credentialSubject/achievement/alignment/targetName":
    "EQF level 4",
  // europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elm: /credentialSubject/hasClaim/awardedBy/awardingBody/identifier/schemeName":
    "legal identifier",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elm: /credentialSubject/hasClaim/influencedBy/directedBy/identifier/schemeName":
    "legal identifier",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elm: /credentialSubject/hasClaim/provenBy/assessedBy/identifier/schemeName":
    "legal identifier",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elm: /issuer/identifier/schemeName":
    "VAT number",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → ob3: /credentialSubject/achievement/alignment/targetName":
    "EQF level 4",
  // europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml → elm: /credentialSubject/hasClaim/awardedBy/awardingBody/identifier/schemeName":
    "VAT number",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml → elm: /credentialSubject/hasClaim/directedBy/identifier/schemeName":
    "VAT number",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml → elm: /issuer/identifier/schemeName": "VAT number",
  // europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/awardedBy/awardingBody/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/hasPart/awardedBy/awardingBody/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/hasPart/influencedBy/directedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/hasPart/influencedBy/hasPart/directedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/hasPart/provenBy/assessedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/influencedBy/directedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/influencedBy/hasPart/directedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/provenBy/assessedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /credentialSubject/hasClaim/provenBy/hasPart/assessedBy/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elm: /issuer/identifier/schemeName":
    "tax identifier",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → ob3: /credentialSubject/achievement/achievementType":
    "LearningProgram",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → ob3: /credentialSubject/achievement/alignment/targetName":
    "EQF level 5",
  // europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml → elm: /issuer/identifier/schemeName":
    "legal identifier",
  // ob2/spec-examples/01-Assertion-Example.json
  "ob2/spec-examples/01-Assertion-Example.json → ob3: /evidence/description":
    "The Open Badges 2.0 credential https://example.org/beths-rob",
  "ob2/spec-examples/01-Assertion-Example.json → ob3: /evidence/elmDescription":
    "The hosted Open Badges 2.0 assertion this credential was con",
  "ob2/spec-examples/01-Assertion-Example.json → ob3: /evidence/name": "Original Open Badges 2.0 credential",
  // ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elm: /credentialSubject/hasClaim/awardedBy/awardingBody/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elm: /issuer/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → ob3: /credentialSubject/achievement/creator/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → ob3: /credentialSubject/awardedBy/awardingBody/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → ob3: /issuer/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  // ob3/validator-fixtures/complete.json
  "ob3/validator-fixtures/complete.json → elm: /credentialSubject/hasClaim/awardedBy/awardingBody/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/validator-fixtures/complete.json → elm: /issuer/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/validator-fixtures/complete.json → ob3: /credentialSubject/achievement/creator/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/validator-fixtures/complete.json → ob3: /credentialSubject/awardedBy/awardingBody/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
  "ob3/validator-fixtures/complete.json → ob3: /issuer/location/address/fullAddress/noteLiteral":
    "123 First St, 12345 Austin, TX",
};

describe("no invention over the corpus", () => {
  it("every written string is a source value, a vocabulary concept, a structural constant or derived", async () => {
    const invented = new Map<string, string>();
    let leaves = 0;
    const reasons: Record<Reason, number> = { source: 0, vocabulary: 0, structural: 0, derived: 0 };
    for (const sheet of SHEETS) {
      const source = sourceValues(sourceTree(sheet));
      for (const target of TARGETS) {
        let out: Awaited<ReturnType<typeof convert>>;
        try {
          out = await convert(
            { to: target, document: sourceDocument(sheet) },
            config.limits,
            SYSTEM_TIME,
            config.ob3ElmContextUrl,
          );
        } catch {
          continue; // refusals are the fidelity test's concern
        }
        for (const result of out.results) {
          const isDerived = derivedTest(result.document, (result as { derived?: unknown }).derived);
          for (const { leaf, where } of leavesWithWhere(result.document)) {
            leaves++;
            const reason = isDerived(where) ? "derived" : explain(leaf, source);
            if (reason) reasons[reason]++;
            else invented.set(`${sheet.source} → ${target}: ${leaf.path}`, leaf.value.slice(0, 80));
          }
        }
      }
    }
    console.info(`no-invention: ${leaves} strings, ${JSON.stringify(reasons)}, ${invented.size} invented paths`);
    if (process.env.FACTS_PRINT_GAPS)
      console.info([...invented].map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)},`).join("\n"));
    const unexpected = [...invented.keys()].filter((k) => !(k in KNOWN_INVENTED));
    const gone = Object.keys(KNOWN_INVENTED).filter((k) => !invented.has(k));
    expect(
      unexpected.map((k) => `${k} = ${invented.get(k)}`),
      "strings made up by a conversion",
    ).toEqual([]);
    expect(gone, "known inventions that no longer occur: remove them from KNOWN_INVENTED").toEqual([]);
  }, 120_000);
});
