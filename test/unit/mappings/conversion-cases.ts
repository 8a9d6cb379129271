/**
 * Inputs for the conversion identity test (issue 11): the corpus spreadsheets, generated CSVs exercising every
 * default-layout column, and the bench's corpus documents, as factories; and the digest of a conversion's answer.
 */
import { createHash } from "node:crypto";
import { readConfig } from "../../../functions/config.js";
import { convert } from "../../../functions/core/convert/convert.js";
import type { Format } from "../../../mappings/formats.js";
import { corpusJson, corpusText } from "../../support/corpus.js";
import { jobCsv } from "../../support/jobs.js";
import { fixedTime } from "../../support/write-time.js";

const LAYOUTS = "spreadsheets/layouts-synthetic";

const RICH_HEADER = [
  "given_name",
  "family_name",
  "full_name",
  "email",
  "date_of_birth",
  "student_id",
  "national_id",
  "citizenship",
  "credential_id",
  "language",
  "title",
  "description",
  "learning_outcomes",
  "ects",
  "eqf_level",
  "isced_f",
  "mode",
  "learning_setting",
  "instruction_language",
  "volume_of_learning",
  "entry_requirements",
  "homepage",
  "assessment_type",
  "grade",
  "issued",
  "valid_from",
  "valid_until",
  "awarding_date",
  "awarding_body",
  "awarding_body_country",
  "awarding_body_id",
  "awarding_body_homepage",
  "further_information",
  "evidence_url",
  "unknown_column",
];

const pick = <T>(values: readonly T[], i: number): T => values[i % values.length] as T;

/**
 * A CSV in the default layout using every column, with values varying per row (languages, dates in several
 * notations, empty cells, several modes, countries and ISCED codes), so that every writer branch sees several shapes.
 */
export function richCsv(rows: number): string {
  const lines = [RICH_HEADER.join(",")];
  for (let i = 0; i < rows; i++) {
    const cells = [
      i % 7 === 3 ? "" : `Given${i}`,
      pick(["Example", "Müller", "O'Neil", "Ñandú"], i),
      i % 5 === 0 ? `Full Name ${i}` : "",
      i % 4 === 0 ? `a${i}@example.org;b${i}@example.org` : `learner${i}@example.org`,
      pick(["1990-05-17", "17 May 1990", "", "32000"], i),
      `S-${String(i).padStart(5, "0")}`,
      i % 3 === 0 ? `NAT-${i}` : "",
      pick(["BE", "fr;DE", "Ireland", ""], i),
      i % 6 === 0 ? `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}` : "",
      pick(["en", "fr", "", "de"], i),
      pick(["Introduction to Data Stewardship", "Cartographie avancée", "Maschinelles Lernen"], i),
      `"Description ${i}, with a comma and ""quotes"""`,
      pick(["Explain FAIR;Write a data plan", "", "Draw maps"], i),
      pick(["5", `"7,5"`, "30", "", "2.5"], i),
      pick(["6", "EQF 7", "", "http://data.europa.eu/snb/eqf/5", "4"], i),
      pick(["0613", "0588;0421", "", "06"], i),
      pick(["online", "blended;presential", "", "presential"], i),
      pick(["formal", "non-formal", ""], i),
      pick(["en", "en;fr", "", "de"], i),
      pick(["60", "PT40H", "", "12"], i),
      i % 2 === 0 ? "A bachelor's degree" : "",
      i % 3 === 1 ? `https://example.org/course/${i}` : "",
      pick(["Written exam", "http://data.europa.eu/snb/assessment/0", "", "Project"], i),
      pick(["A", "87/100", "", "pass"], i),
      pick(["2025-01-31", "31 January 2025", "45322", "2024-12-01"], i),
      pick(["", "2025-02-01", "2025-03-01"], i),
      pick(["", "2030-01-31"], i),
      pick(["2025-01-30", "", "2024-11-30"], i),
      pick(["University of Zed", "Université de Liège", "Hochschule Beispiel"], i),
      pick(["IE", "BE", "Germany", ""], i),
      i % 2 === 0 ? `LEI-${i % 3}` : "",
      i % 2 === 1 ? "https://example.org" : "",
      i % 4 === 2 ? "See https://example.org/info" : "",
      i % 3 === 2 ? `https://example.org/evidence/${i}` : "",
      i % 5 === 1 ? `extra ${i}` : "",
    ];
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}

export interface Case {
  name: string;
  from: Format;
  input: () => unknown;
}

/** Every input whose conversions are compared: factories, so each conversion reads a fresh document. */
export const CASES: Case[] = [
  ...[
    "badgr-bulk-award.sample.csv",
    "credly-bulk-issue.sample.csv",
    "geobadges-open-badges-csv.sample.csv",
    "moodle-customcert-report.sample.csv",
    "moodle-tool_certificate-issues.sample.csv",
    "openedx-grade-report.sample.csv",
  ].map((file): Case => ({ name: file, from: "csv", input: () => corpusText(`${LAYOUTS}/${file}`) })),
  { name: "job CSV (bench layout, 50 rows)", from: "csv", input: () => jobCsv(50, { batch: "identity" }) },
  { name: "rich CSV (every default column, 60 rows)", from: "csv", input: () => richCsv(60) },
  {
    name: "ELM sample (Annex I)",
    from: "elm",
    input: () => corpusJson("elm/samples/Sample-MC-Annex1-unsigned.jsonld"),
  },
  {
    name: "OB3 complete example",
    from: "ob3",
    input: () => corpusJson("ob3/examples/fullOpenBadge-1-Complete_OpenBadgeCredential.json"),
  },
  { name: "ELMO example", from: "elmo", input: () => corpusText("elmo/v1.7.0/example.xml") },
  {
    name: "Europass XML example (EDC_SampleACT_AA)",
    from: "europass-xml",
    input: () => corpusText("europass-xml/v2-xml-1.2_80406a3/examples/EDC_SampleACT_AA.xml"),
  },
];

export const TARGETS: Format[] = ["elm", "ob3", "elmo"];

/** Writer options that make a conversion deterministic: a fixed clock and numbered ids for credentials without one. */
/** The fixed clock and ids every conversion case is written with. */
export const fixedCaseTime = () => fixedTime(new Date("2026-01-02T03:04:05.678Z"));

/** SHA-256 of everything a conversion answers (documents, losses, warnings, row errors), serialized as the API does. */
export async function conversionDigest(from: Format, to: Format, document: unknown): Promise<string> {
  const { limits } = readConfig({ GATEWAY_MODE: "local", GATEWAY_MAX_BODY_BYTES: String(64 * 2 ** 20) });
  let serialized: string;
  try {
    serialized = JSON.stringify(await convert({ from, to, document }, limits, fixedCaseTime()));
  } catch (e) {
    serialized = `error: ${(e as Error).message}`;
  }
  return createHash("sha256").update(serialized).digest("hex");
}
