/**
 * Losses and warnings of conversions from XML inputs point into the document the caller sent, as XPaths: each path,
 * evaluated by an evaluator that shares nothing with the gateway's readers (test/support/xml-tree.ts, built on
 * fast-xml-parser), selects at least one node of the source. A canonical path (`/claims/0/term`, `#canonical/…`) or
 * the readers' 0-based pointer convention (`/elmo/report/0/…`) selects nothing there, so either makes this fail.
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { convert } from "../../functions/core/convert/convert.js";
import type { Format } from "../../mappings/formats.js";
import { WRITERS } from "../../mappings/registry.js";
import { corpusText } from "../support/corpus.js";
import { SYSTEM_TIME } from "../support/write-time.js";
import { parseXmlTree, resolveXPath } from "../support/xml-tree.js";

const config = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_BODY_BYTES: String(64 * 2 ** 20) });
const TARGETS = Object.keys(WRITERS) as Format[];

/** Every XML credential of the corpus the gateway reads (elmo/extensions/example-de.xml is not well-formed). */
const XML_CREDENTIALS = [
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_complex.xml",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/edci_credential_basic.xml",
  "europass-xml/v1-xml-0.8-0.10_tag1.0/examples/Ildiko_Mazar_Certificate_of_Excellence.xml",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleDegree_AA.xml",
  "europass-xml/v2-xml-1.2_80406a3/examples/EDC_WileECoyote_Simple.xml",
  "elmo/extensions/elmoPlus.xml",
  "elmo/v1.0.0/example.xml",
  "elmo/v1.6.0/example.xml",
  "elmo/v1.7.0/example.xml",
  "elmo/v2.0.0/example.xml",
  "elmo/ewp-imobility-tors-stable-v2/get-response-example.xml",
  "elmo/real-world/dk-emrex-Example-elmo-sweden-1.0.xml",
  "elmo/real-world/dk-emrex-Example-elmo-Norway.xml",
];

const CASES = XML_CREDENTIALS.flatMap((file) => TARGETS.map((target) => [file, target] as const));

describe("loss paths of XML inputs are XPaths into the input", () => {
  it.each(CASES)("%s → %s: every loss and warning path selects a node of the source", async (file, target) => {
    const text = corpusText(file);
    const source = parseXmlTree(text);
    const out = await convert({ to: target, document: text }, config.limits, SYSTEM_TIME, config.ob3ElmContextUrl);
    const paths = out.results.flatMap((r) => [...r.losses, ...r.warnings].map((l) => l.path));
    const unresolved = paths.filter((p) => resolveXPath(source, p).length === 0);
    expect(unresolved).toEqual([]);
  });

  it("a loss names the element it lost: the ELMO 2.0 example's subject area, by its 1-based position", async () => {
    // The second top-level specification of corpus elmo/v2.0.0/example.xml has a <subjectArea>; no target holds it.
    const text = corpusText("elmo/v2.0.0/example.xml");
    const source = parseXmlTree(text);
    const out = await convert({ to: "ob3", document: text }, config.limits, SYSTEM_TIME, config.ob3ElmContextUrl);
    const lost = out.results.flatMap((r) => r.losses).filter((l) => l.path.endsWith("/subjectArea[1]"));
    expect(lost.map((l) => l.path)).toEqual(["/elmo/report[1]/learningOpportunitySpecification[2]/subjectArea[1]"]);
    const selected = resolveXPath(source, lost[0]?.path ?? "");
    expect(selected).toHaveLength(1);
    expect(selected[0]?.trail.at(-1)).toMatch(/^subjectArea#/);
  });
});
