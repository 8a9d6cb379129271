/**
 * Conversion fidelity on the corpus, judged against hand-written fact sheets (test/corpus/facts/): for every corpus
 * credential and every format the gateway writes, each fact the source holds must be in the output at its place, or
 * reported in `losses` with a path that resolves in the source. The sheets were written by reading the source
 * documents; the first test proves each fact's path and value against the source itself.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { type ConvertOutput, convert } from "../../functions/core/convert/convert.js";
import type { Format } from "../../mappings/formats.js";
import { WRITERS } from "../../mappings/registry.js";
import { CORPUS, corpusText } from "../support/corpus.js";
import { judge, type Outcome, sameValue } from "../support/fact-check.js";
import { outputLeaves } from "../support/fact-locators.js";
import { type FactSheet, loadFactSheets, sourceDocument, sourceTree, valuesInSource } from "../support/facts.js";
import { SYSTEM_TIME } from "../support/write-time.js";
import type { Leaf } from "../support/xml-tree.js";

const config = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_BODY_BYTES: String(64 * 2 ** 20) });
const TARGETS = Object.keys(WRITERS) as Format[];
const SHEETS = loadFactSheets();

/** Where the corpus keeps documents (schemas, contexts, vocabularies, mapping tables and docs live elsewhere). */
const DOCUMENT_DIRS = [
  "elm/samples",
  "elm/ebsi",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples",
  "europass-xml/v2-xml-1.2_80406a3/examples",
  "elmo",
  "ob2/spec-examples",
  "ob3/examples",
  "ob3/validator-fixtures",
];
const DOCUMENT_FILE = /\.(json|jsonld|xml|jwt|png)$/;

/**
 * Corpus documents without a fact sheet, and why. `refused`: a credential the gateway declines to convert by design
 * (the test checks that it still does, so that a newly readable one gets a sheet).
 */
const NOT_SHEETED: Record<string, { why: string; refused?: true }> = {
  "elm/ebsi/vcdm2.0-europass-edc-schema.json": { why: "EBSI's JSON Schema for EDC credentials" },
  "elm/samples/accreditation-sample.json": { why: "an ELM Accreditation (quality assurance record), not a credential" },
  "elmo/extensions/example-de.xml": {
    why: "not well-formed XML (a closing tag does not match, line 167): no reader can read it",
    refused: true,
  },
  "ob2/spec-examples/03-Issuer-Profile-Example.json": { why: "an OB 2.0 Issuer profile" },
  "ob2/spec-examples/06-Signed-Badges-Example.json": { why: "the JOSE header of a signed badge" },
  "ob2/spec-examples/09-CryptographicKey-Example.json": { why: "an OB 2.0 CryptographicKey" },
  "ob2/spec-examples/10-RevocationList-Example.json": { why: "an OB 2.0 RevocationList" },
  "ob2/spec-examples/11-Revoked-Hosted-Assertion-Example.json": { why: "a revocation stub (id, revoked, reason)" },
  "ob2/spec-examples/12-Criteria-Example.json": { why: "a BadgeClass criteria fragment" },
  "ob2/spec-examples/15-Evidence-Example.json": { why: "an evidence fragment" },
  "ob2/spec-examples/16-Evidence-Example.json": { why: "an evidence fragment" },
  "ob2/spec-examples/19-Image-Example.json": { why: "an image fragment" },
  "ob2/spec-examples/20-Image-Example.json": { why: "an image fragment" },
  "ob2/spec-examples/21-BadgeClass-Versioning.json": { why: "a BadgeClass fragment" },
  "ob2/spec-examples/22-Internationalization-Examples.json": { why: "a BadgeClass i18n fragment" },
  "ob2/spec-examples/23-Internationalization-Examples.json": { why: "a BadgeClass i18n fragment" },
  "ob2/spec-examples/25-Endorsement-Examples.json": { why: "an OB 2.0 Endorsement of an issuer or badge, no learner" },
  "ob2/spec-examples/26-Endorsement-Examples.json": { why: "an OB 2.0 Endorsement of an issuer or badge, no learner" },
  "ob2/spec-examples/27-Endorsement-Examples.json": { why: "an OB 2.0 Endorsement of an issuer or badge, no learner" },
  "ob3/examples/TESTVECTOR-proof.json": { why: "a DataIntegrityProof object" },
  "ob3/examples/migrating-1-OpenBadges_2_0_with_related_OpenBadges_3_0.json": { why: "an OB 2.0 BadgeClass" },
  "ob3/examples/migrating-2-Issuer_profile_relation_between_Open_Badges_2_0_an.json": { why: "an OB 3.0 Profile" },
  "ob3/examples/endorsement-1-Sample_EndorsementCredential.json": {
    why: "an EndorsementCredential: it endorses an issuer or achievement and has no learner; the OB 3.0 reader refuses it",
    refused: true,
  },
  "ob3/validator-fixtures/endorsement-valid.json": {
    why: "an EndorsementCredential (see the example above)",
    refused: true,
  },
  "ob3/validator-fixtures/simple-err-type.json": {
    why: "a validator error fixture whose type (OtherCredential) makes it no Open Badge",
    refused: true,
  },
};

function corpusDocuments(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (DOCUMENT_FILE.test(name)) found.push(relative(CORPUS, full));
    }
  };
  for (const d of DOCUMENT_DIRS) walk(join(CORPUS, d));
  return found.sort();
}

// ------------------------------------------------------------------------------------------------ known gaps
/**
 * The (file, target, fact) triples that are today neither in the output nor reported as a loss pointing into the
 * source ("missing"), or are there with another value or language ("wrong"), or whose conversion is refused
 * ("refused"). The test fails on a failing triple not listed here AND on a listed one that passes: the list can only
 * shrink. Key: `<corpus path> → <target>: <kind> <path in the source>`.
 */
const KNOWN_GAPS: Record<string, Exclude<Outcome, "right" | "lost"> | "refused"> = {
  // elm/ebsi/example-microcredential.json
  "elm/ebsi/example-microcredential.json → elmo: awardingBody.country /credentialSubject/hasClaim/0/awardedBy/awardingBody/0/location/0/address/0/countryCode/id":
    "missing",
  "elm/ebsi/example-microcredential.json → elmo: awardingBody.name /credentialSubject/hasClaim/0/awardedBy/awardingBody/0/legalName/en/0":
    "missing",
  "elm/ebsi/example-microcredential.json → elmo: outcome /credentialSubject/hasClaim/0/specifiedBy/learningOutcome/0/title/en/0":
    "missing",
  "elm/ebsi/example-microcredential.json → elmo: outcome /credentialSubject/hasClaim/0/specifiedBy/learningOutcome/1/title/en/0":
    "missing",
  "elm/ebsi/example-microcredential.json → elmo: outcome /credentialSubject/hasClaim/0/specifiedBy/learningOutcome/2/title/en/0":
    "missing",
  // elm/samples/Sample-MC-Annex1-signed.jsonld
  "elm/samples/Sample-MC-Annex1-signed.jsonld → elmo: awardingBody.name /payload/credentialSubject/hasClaim/awardedBy/awardingBody/legalName/en":
    "missing",
  "elm/samples/Sample-MC-Annex1-signed.jsonld → elmo: issuer.id /payload/issuer/id": "missing",
  // elm/samples/Sample-MC-Annex1-unsigned-uploadable.json
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json → elmo: issuer.id /credential/issuer/id": "missing",
  "elm/samples/Sample-MC-Annex1-unsigned-uploadable.json → elmo: validFrom /credential/validFrom": "missing",
  // elm/samples/Sample-MC-Annex1-unsigned.jsonld
  "elm/samples/Sample-MC-Annex1-unsigned.jsonld → elmo: validFrom /validFrom": "missing",
  // elm/samples/credential-sample.jsonld
  "elm/samples/credential-sample.jsonld → elmo: awardingBody.name /credentialSubject/hasClaim/awardedBy/awardingBody/legalName/en":
    "missing",
  "elm/samples/credential-sample.jsonld → elmo: issuer.id /issuer/id": "wrong",
  // elmo/extensions/elmoPlus.xml
  // europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elmo: awardingBody.country /europassCredential/agentReferences/organization[@id='urn:epass:org:2']/hasLocation/hasAddress/country/@uri":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elmo: awardingBody.name /europassCredential/agentReferences/organization[@id='urn:epass:org:2']/prefLabel/text":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elmo: entitlement /europassCredential/entitlementSpecificationReferences/entitlementSpecification/title/text":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elmo: issuer.id /europassCredential/issuer/@idref":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elmo: part /europassCredential/credentialSubject/activities/activity[1]/title/text":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml → elmo: part /europassCredential/credentialSubject/activities/activity[2]/title/text":
    "missing",
  // europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml → elm: issuer.country /europassCredential/agentReferences/organization/registration/@spatialID":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml → elmo: issuer.country /europassCredential/agentReferences/organization/registration/@spatialID":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml → elmo: issuer.id /europassCredential/issuer/@idref":
    "wrong",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml → ob3: issuer.country /europassCredential/agentReferences/organization/registration/@spatialID":
    "missing",
  // europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elmo: awardingBody.country /europassCredential/agentReferences/organization[@id='urn:epass:org:2']/hasLocation/hasAddress/country/@uri":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elmo: awardingBody.name /europassCredential/agentReferences/organization[@id='urn:epass:org:2']/prefLabel/text":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elmo: entitlement /europassCredential/entitlementSpecificationReferences/entitlementSpecification/title/text":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elmo: issuer.id /europassCredential/issuer/@idref":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elmo: part /europassCredential/credentialSubject/activities/activity[1]/title/text":
    "missing",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml → elmo: part /europassCredential/credentialSubject/activities/activity[2]/title/text":
    "missing",
  // europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml → elmo: issuer.id /europassCredential/issuer/@idref":
    "missing",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml → elmo: language /europassCredential/learningActivitySpecificationReferences/learningActivitySpecification/language[2]/@uri":
    "missing",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml → elmo: participation /europassCredential/learningActivitySpecificationReferences/learningActivitySpecification/mode/@uri":
    "missing",
  // europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elmo: awardingBody.name /europassCredential/agentReferences/organization[@id='urn:epass:org:2']/prefLabel/text":
    "missing",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elmo: entitlement /europassCredential/credentialSubject/entitlements/entitlement[@id='urn:epass:entitlement:1']/title/text":
    "missing",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elmo: entitlement /europassCredential/credentialSubject/entitlements/entitlement[@id='urn:epass:entitlement:2']/title/text":
    "missing",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elmo: entitlement /europassCredential/credentialSubject/entitlements/entitlement[@id='urn:epass:entitlement:3']/title/text":
    "missing",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml → elmo: issuer.id /europassCredential/issuer/@idref":
    "missing",
  // europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml → elmo: issuer.id /europassCredential/issuer/@idref":
    "wrong",
  // ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json
  "ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json → elmo: title /name": "missing",
  "ob3/examples/TESTVECTOR-eddsa-rdfc-2022-signed-credential.json → elmo: validFrom /validFrom": "missing",
  // ob3/examples/TESTVECTOR-unsigned-credential.json
  "ob3/examples/TESTVECTOR-unsigned-credential.json → elmo: title /name": "missing",
  "ob3/examples/TESTVECTOR-unsigned-credential.json → elmo: validFrom /validFrom": "missing",
  // ob3/examples/achievementAlignmentCase-1-Achievement_alignment_CASE.json
  "ob3/examples/achievementAlignmentCase-1-Achievement_alignment_CASE.json → elmo: title /name": "missing",
  "ob3/examples/achievementAlignmentCase-1-Achievement_alignment_CASE.json → elmo: validFrom /validFrom": "missing",
  // ob3/examples/achievementAlignmentCe-1-Achievement_alignment_Credential_Engine.json
  "ob3/examples/achievementAlignmentCe-1-Achievement_alignment_Credential_Engine.json → elmo: title /name": "missing",
  "ob3/examples/achievementAlignmentCe-1-Achievement_alignment_Credential_Engine.json → elmo: validFrom /validFrom":
    "missing",
  // ob3/examples/basicOpenBadgeCredential-1-Sample_OpenBadgeCredential.json
  "ob3/examples/basicOpenBadgeCredential-1-Sample_OpenBadgeCredential.json → elmo: title /name": "missing",
  "ob3/examples/basicOpenBadgeCredential-1-Sample_OpenBadgeCredential.json → elmo: validFrom /validFrom": "missing",
  // ob3/examples/docformat-1-Sample_OpenBadgeCredential_file_contents.json
  "ob3/examples/docformat-1-Sample_OpenBadgeCredential_file_contents.json → elmo: title /name": "missing",
  "ob3/examples/docformat-1-Sample_OpenBadgeCredential_file_contents.json → elmo: validFrom /validFrom": "missing",
  // ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elmo: assessment /credentialSubject/achievement/resultDescription/0/name":
    "missing",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elmo: credits /credentialSubject/achievement/creditsAvailable":
    "missing",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elmo: endDate /credentialSubject/activityEndDate":
    "missing",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elmo: field /credentialSubject/achievement/fieldOfStudy":
    "missing",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elmo: grade /credentialSubject/result/2/status":
    "missing",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elmo: title /name": "missing",
  "ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json → elmo: validFrom /validFrom": "missing",
  // ob3/examples/migrating-3-Upgraded_OB_2_0_assertion_included_within_CLR_2_0.json
  "ob3/examples/migrating-3-Upgraded_OB_2_0_assertion_included_within_CLR_2_0.json → elmo: validFrom /validFrom":
    "missing",
  // ob3/examples/skillAssertionCase-1-Skill_Assertion_CASE.json
  "ob3/examples/skillAssertionCase-1-Skill_Assertion_CASE.json → elmo: title /name": "missing",
  "ob3/examples/skillAssertionCase-1-Skill_Assertion_CASE.json → elmo: validFrom /validFrom": "missing",
  // ob3/examples/skillAssertionCtdl-1-Skill_Assertion_Credential_Registry.json
  "ob3/examples/skillAssertionCtdl-1-Skill_Assertion_Credential_Registry.json → elmo: title /name": "missing",
  "ob3/examples/skillAssertionCtdl-1-Skill_Assertion_Credential_Registry.json → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/bit-string-list/credential-status-revoked-blank-nodes.json
  "ob3/validator-fixtures/bit-string-list/credential-status-revoked-blank-nodes.json → elmo: validFrom /validFrom":
    "missing",
  // ob3/validator-fixtures/bit-string-list/credential-status-revoked.json
  "ob3/validator-fixtures/bit-string-list/credential-status-revoked.json → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/complete.json
  "ob3/validator-fixtures/complete.json → elmo: assessment /credentialSubject/achievement/resultDescription/0/name":
    "missing",
  "ob3/validator-fixtures/complete.json → elmo: credits /credentialSubject/achievement/creditsAvailable": "missing",
  "ob3/validator-fixtures/complete.json → elmo: endDate /credentialSubject/activityEndDate": "missing",
  "ob3/validator-fixtures/complete.json → elmo: field /credentialSubject/achievement/fieldOfStudy": "missing",
  "ob3/validator-fixtures/complete.json → elmo: grade /credentialSubject/result/2/status": "missing",
  "ob3/validator-fixtures/complete.json → elmo: title /name": "missing",
  "ob3/validator-fixtures/complete.json → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/simple-did-key-method.json
  "ob3/validator-fixtures/simple-did-key-method.json → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/simple-eddsa-2022.json
  "ob3/validator-fixtures/simple-eddsa-2022.json → elmo: title /name": "missing",
  // ob3/validator-fixtures/simple-err-context.json
  "ob3/validator-fixtures/simple-err-context.json → elmo: title /name": "missing",
  // ob3/validator-fixtures/simple-err-expired.json
  "ob3/validator-fixtures/simple-err-expired.json → elmo: title /name": "missing",
  "ob3/validator-fixtures/simple-err-expired.json → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/simple-err-proof-value.json
  "ob3/validator-fixtures/simple-err-proof-value.json → elmo: title /name": "missing",
  "ob3/validator-fixtures/simple-err-proof-value.json → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/simple-json.png
  "ob3/validator-fixtures/simple-json.png → elmo: title /name": "missing",
  "ob3/validator-fixtures/simple-json.png → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/simple-noproof.json
  "ob3/validator-fixtures/simple-noproof.json → elmo: title /name": "missing",
  // ob3/validator-fixtures/simple.json
  "ob3/validator-fixtures/simple.json → elmo: title /name": "missing",
  "ob3/validator-fixtures/simple.json → elmo: validFrom /validFrom": "missing",
  // ob3/validator-fixtures/simple.jwt
  "ob3/validator-fixtures/simple.jwt → elmo: title /vc/name": "missing",
};

// ------------------------------------------------------------------------------------------------ conversions
interface Converted {
  results: { leaves: Leaf[]; losses: { path: string }[]; document: unknown; derived?: unknown }[];
  refused?: string;
}
const conversions = new Map<string, Converted>();
const keyOf = (source: string, target: Format) => `${source} → ${target}`;

beforeAll(async () => {
  for (const sheet of SHEETS) {
    for (const target of TARGETS) {
      let out: ConvertOutput;
      try {
        out = await convert(
          { to: target, document: sourceDocument(sheet) },
          config.limits,
          SYSTEM_TIME,
          config.ob3ElmContextUrl,
        );
      } catch (e) {
        conversions.set(keyOf(sheet.source, target), { results: [], refused: (e as Error).message });
        continue;
      }
      conversions.set(keyOf(sheet.source, target), {
        results: out.results.map((r) => ({
          leaves: outputLeaves(r.document),
          losses: r.losses,
          document: r.document,
          derived: (r as { derived?: unknown }).derived,
        })),
      });
    }
  }
}, 120_000);

describe("fact sheets", () => {
  it("cover every corpus credential; documents without one are named with the reason", () => {
    const sheeted = new Set(SHEETS.map((s) => s.source));
    const uncovered = corpusDocuments().filter((f) => !sheeted.has(f) && !NOT_SHEETED[f]);
    expect(uncovered).toEqual([]);
    for (const f of Object.keys(NOT_SHEETED)) expect(corpusDocuments(), f).toContain(f);
  });

  it("name files the gateway refuses, and it still refuses them", async () => {
    for (const [file, entry] of Object.entries(NOT_SHEETED)) {
      if (!entry.refused) continue;
      const text = corpusText(file);
      if (file.endsWith(".xml")) expect(XMLValidator.validate(text), file).not.toBe(true);
      await expect(convert({ to: "elm", document: text }, config.limits, SYSTEM_TIME), file).rejects.toThrow();
    }
  });

  it.each(SHEETS.map((s) => [s.source, s] as const))(
    "%s: every fact is where the sheet says, with that value",
    (_s, sheet: FactSheet) => {
      expect(sheet.facts.length).toBeGreaterThan(0);
      const tree = sourceTree(sheet);
      for (const fact of sheet.facts) {
        const values = valuesInSource(tree, fact.at);
        expect(values.length, `${fact.kind} at ${fact.at}`).toBeGreaterThan(0);
        expect(
          values.some((v) => sameValue(v, fact.value)),
          `${fact.kind} at ${fact.at}: ${JSON.stringify(values)} is not ${fact.value}`,
        ).toBe(true);
      }
    },
  );
});

// ------------------------------------------------------------------------------------------------ fidelity
type Tally = Record<Outcome | "refused" | "checked", number>;
const tallies = new Map<string, Tally>();
const emptyTally = (): Tally => ({ checked: 0, right: 0, lost: 0, wrong: 0, missing: 0, refused: 0 });

function judgeAll(): { failing: Map<string, string>; passing: Set<string> } {
  const failing = new Map<string, string>();
  const passing = new Set<string>();
  tallies.clear();
  for (const sheet of SHEETS) {
    const tree = sourceTree(sheet);
    for (const target of TARGETS) {
      const tally = tallies.get(target) ?? emptyTally();
      tallies.set(target, tally);
      const pair = `${sheet.source.split("/")[0]} → ${target}`;
      const byPair = tallies.get(pair) ?? emptyTally();
      tallies.set(pair, byPair);
      const conversion = conversions.get(keyOf(sheet.source, target));
      for (const fact of sheet.facts) {
        const key = `${sheet.source} → ${target}: ${fact.kind} ${fact.at}`;
        tally.checked++;
        byPair.checked++;
        if (!conversion || conversion.refused) {
          tally.refused++;
          byPair.refused++;
          failing.set(key, "refused");
          continue;
        }
        const { outcome, detail } = judge(fact, target, conversion.results, tree);
        tally[outcome]++;
        byPair[outcome]++;
        if (outcome === "right" || outcome === "lost") passing.add(key);
        else failing.set(key, `${outcome}|${detail}`);
      }
    }
  }
  return { failing, passing };
}

describe("conversion fidelity against the fact sheets", () => {
  it("every fact is written or reported as a loss pointing into the source, except the known gaps", () => {
    const { failing, passing } = judgeAll();
    const all = [...tallies]
      .filter(([t]) => !t.includes("→"))
      .reduce((sum, [, n]) => {
        for (const k of Object.keys(sum) as (keyof Tally)[]) sum[k] += n[k];
        return sum;
      }, emptyTally());
    const rows = [...tallies, ["all", all] as const].map(([t, n]) => {
      const pct = (x: number) => ((100 * x) / n.checked).toFixed(1);
      return `${t.padEnd(22)} checked ${n.checked} right ${n.right} (${pct(n.right)}%) lost ${n.lost} wrong ${n.wrong} missing ${n.missing} refused ${n.refused} accounted ${pct(n.right + n.lost)}%`;
    });
    console.info(`fidelity (target, source format → target)\n${rows.join("\n")}`);
    if (process.env.FACTS_PRINT_GAPS) {
      console.info(
        [...failing]
          .map(([k, v]) => `${JSON.stringify(k)}: "${v.split("|")[0]}", // ${v.split("|")[1] ?? ""}`)
          .join("\n"),
      );
    }
    const unexpected = [...failing].filter(([k, v]) => KNOWN_GAPS[k] !== v.split("|")[0]).map(([k, v]) => `${k}: ${v}`);
    const fixed = Object.keys(KNOWN_GAPS).filter((k) => passing.has(k));
    const stale = Object.keys(KNOWN_GAPS).filter((k) => !passing.has(k) && !failing.has(k));
    expect(unexpected, "facts neither written nor reported (add a fix, or list them in KNOWN_GAPS)").toEqual([]);
    expect(fixed, "known gaps that now pass: remove them from KNOWN_GAPS").toEqual([]);
    expect(stale, "known gaps naming no fact of a sheet").toEqual([]);
  });
});
