/**
 * What the ELMO conformance check answers, element by element, for rules read in the ELMO v2.0 XSD (corpus
 * `elmo/v2.0.0/schema.xsd`): `learner/givenNames` has no minOccurs (so one is required) and no maxOccurs (at most
 * one), `gender` is an `xs:integer` restricted to 0, 1, 2 and 9, `identifier` requires its `type` attribute, and
 * `credit/value` is an `xs:decimal`. Whether the verdicts are xmllint's is test/corpus/elmo-conformance-xmllint.test.ts.
 */
import { describe, expect, it } from "vitest";
import { ELMO_RULES_NAME, elmoConformance, elmoViolations } from "../../../mappings/elmo/conformance.js";
import { readElmo } from "../../../mappings/elmo/read.js";
import { writeElmo } from "../../../mappings/elmo/write.js";
import { corpusText } from "../../support/corpus.js";

function written(): string {
  const read = readElmo(corpusText("elmo/v2.0.0/example.xml"));
  if (!read.ok || !read.value[0]) throw new Error("unreadable");
  return writeElmo(read.value[0], { now: new Date("2024-05-01T12:00:00Z") }).document;
}

describe("ELMO conformance", () => {
  it("a written document conforms, under the ELMO 2.0 XSD's name", () => {
    expect(elmoConformance(written())).toEqual({ rules: ELMO_RULES_NAME, conforms: true, violations: [] });
    expect(ELMO_RULES_NAME).toMatch(/^EMREX ELMO 2\.0 XSD \(elmo-schemas v2\.0\.0/);
  });

  it("names a missing required element at its parent", () => {
    const xml = written().replace(/<givenNames>[^<]*<\/givenNames>/, "");

    expect(elmoViolations(xml)).toEqual([
      { path: "/elmo/learner[1]", message: "the required element givenNames is missing" },
    ]);
  });

  it("names the second of an element that may occur once", () => {
    const xml = written().replace(/(<givenNames>[^<]*<\/givenNames>)/, "$1$1");

    expect(elmoViolations(xml)).toEqual([
      { path: "/elmo/learner[1]/givenNames[2]", message: "givenNames may occur at most 1 time" },
    ]);
  });

  it("names values outside an enumeration or a type, and a missing attribute", () => {
    // The example has no gender: written last in learner, where the sequence puts it.
    const xml = written()
      .replace("<givenNames>", "<identifier>no type</identifier><givenNames>")
      .replace("</learner>", "<gender>3</gender></learner>")
      .replace(/<value>[\d.]+<\/value>/, "<value>1e3</value>");

    expect(elmoViolations(xml)).toEqual([
      // The example's learner has two identifiers: the third is the one without a type.
      { path: "/elmo/learner[1]/identifier[3]", message: "the required attribute type is missing" },
      { path: "/elmo/learner[1]/gender[1]", message: '"3" is not one of the values of gender (0, 1, 2, 9)' },
      {
        path: "/elmo/report[1]/learningOpportunitySpecification[1]/specifies[1]/learningOpportunityInstance[1]/credit[1]/value[1]",
        message: '"1e3" is not an xs:decimal',
      },
    ]);
  });

  it("refuses a document that is not ELMO, or not XML text", () => {
    expect(elmoViolations('<elmo xmlns="urn:other"/>')[0]?.message).toMatch(/root element is \{urn:other\}elmo/);
    expect(elmoConformance({ elmo: {} })).toMatchObject({ conforms: false });
  });
});
