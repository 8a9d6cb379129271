/**
 * The gateway's default spreadsheet layout: one credential per row, a header row naming the columns below (any
 * order, any subset; case, spacing, `_` / `-` and accents ignored). Each column is also read under the names people
 * give it in English, French, German, Spanish and Italian (synonyms.ts; the whole list is docs/spreadsheet-layout.md).
 * The default layout is recognised by any header meaning a title. Unknown columns are kept as extensions, reported as
 * losses and listed in the answer's `unmapped`.
 *
 * What each column means and the values it takes are {@link COLUMN_NOTES}, below; docs/spreadsheet-layout.md is
 * generated from them and the synonym tables (`npx tsx scripts/spreadsheet-doc.ts`, a test keeps the page current).
 */
import { type ColumnRule, normalizeHeader, type Profile } from "./profiles.js";
import { type DefaultHeader, SYNONYM_LANGUAGES, SYNONYMS } from "./synonyms.js";

/** The rule of each default-layout header. */
export const DEFAULT_COLUMNS: Record<DefaultHeader, ColumnRule> = {
  given_name: { field: "learner.givenName" },
  family_name: { field: "learner.familyName" },
  full_name: { field: "learner.fullName" },
  email: { field: "learner.email", transform: "split;" },
  date_of_birth: { field: "learner.dateOfBirth", transform: "date" },
  student_id: { field: "learner.studentId" },
  national_id: { field: "learner.nationalId" },
  citizenship: { field: "learner.citizenship", transform: "split;" },
  credential_id: { field: "credential.id" },
  language: { field: "credential.language", transform: "language" },
  title: { field: "title" },
  description: { field: "description" },
  learning_outcomes: { field: "achievement.learningOutcomes", transform: "split;" },
  ects: { field: "achievement.ects", transform: "number" },
  eqf_level: { field: "achievement.eqfLevel", transform: "eqf" },
  isced_f: { field: "achievement.iscedF", transform: "split;" },
  mode: { field: "achievement.mode", transform: ["split;", "mode"] },
  learning_setting: { field: "achievement.learningSetting", transform: "learning-setting" },
  instruction_language: { field: "achievement.language", transform: ["split;", "language"] },
  volume_of_learning: { field: "achievement.volumeOfLearning", transform: "hours" },
  entry_requirements: { field: "achievement.entryRequirements" },
  homepage: { field: "achievement.homepage" },
  assessment_type: { field: "assessment.type" },
  grade: { field: "assessment.grade" },
  issued: { field: "credential.issued", transform: "date" },
  valid_from: { field: "credential.validFrom", transform: "date" },
  valid_until: { field: "credential.validUntil", transform: "date" },
  awarding_date: { field: "achievement.awardingDate", transform: "date" },
  awarding_body: { field: "awardingBody.name" },
  awarding_body_country: { field: "awardingBody.country", transform: "country" },
  awarding_body_id: { field: "awardingBody.legalIdentifier" },
  awarding_body_homepage: { field: "awardingBody.homepage" },
  further_information: { field: "credential.furtherInformation" },
  evidence_url: { field: "evidence.url" },
};

/** What each default-layout column holds and the values it takes, as registrars read them (the docs page). */
export const COLUMN_NOTES: Record<DefaultHeader, { holds: string; values: string }> = {
  given_name: { holds: "learner's given name(s)", values: "text" },
  family_name: { holds: "learner's family name", values: "text" },
  full_name: { holds: "learner's full name (when not split)", values: "text" },
  email: { holds: "learner's e-mail", values: "one address, or several separated by `;`" },
  date_of_birth: { holds: "learner's date of birth", values: "a date (see Dates)" },
  student_id: { holds: "learner's student number", values: "text" },
  national_id: { holds: "learner's national identifier", values: "text" },
  citizenship: { holds: "learner's citizenship", values: "countries (see Countries), `;`-separated" },
  credential_id: { holds: "the credential's id", values: "a URI" },
  language: { holds: "language of the row's texts", values: "`en`, `fr`, `de`... (default `und`, undetermined)" },
  title: { holds: "credential and achievement title (required)", values: "text" },
  description: { holds: "credential and achievement description", values: "text" },
  learning_outcomes: { holds: "learning outcomes", values: "`;`-separated" },
  ects: { holds: "ECTS credit points", values: "a number (`7.5` or `7,5`)" },
  eqf_level: { holds: "EQF level", values: "1–8 (`6`, `EQF 6`, `Niveau 6`, or `http://data.europa.eu/snb/eqf/6`)" },
  isced_f: { holds: "ISCED-F fields of education", values: "2–4 digit codes, `;`-separated" },
  mode: {
    holds: "mode of learning (form of participation)",
    values: "`online`, `blended`, `presential`... `;`-separated",
  },
  learning_setting: { holds: "learning setting", values: "`formal` / `non-formal`" },
  instruction_language: { holds: "languages of instruction", values: "`en;fr`" },
  volume_of_learning: { holds: "notional workload", values: "hours (`60`) or an ISO 8601 duration (`PT60H`)" },
  entry_requirements: { holds: "prerequisites", values: "text" },
  homepage: { holds: "the learning opportunity's web page", values: "a URL" },
  assessment_type: {
    holds: "type of assessment",
    values: "a concept URI, or free text (kept as the assessment's title)",
  },
  grade: { holds: "grade (ELM: every assessment needs one)", values: "text" },
  issued: { holds: "date of issuance", values: "a date" },
  valid_from: { holds: "start of validity", values: "a date" },
  valid_until: { holds: "end of validity", values: "a date, or `Never`" },
  awarding_date: { holds: "date the achievement was awarded", values: "a date" },
  awarding_body: { holds: "awarding body's name (also the issuer)", values: "text" },
  awarding_body_country: { holds: "awarding body's country", values: "a country (see Countries)" },
  awarding_body_id: { holds: "awarding body's legal identifier", values: "text" },
  awarding_body_homepage: { holds: "awarding body's web site", values: "a URL" },
  further_information: { holds: "further information", values: "text" },
  evidence_url: { holds: "evidence", values: "a URL" },
};

/**
 * Every header the default layout reads, in every language of synonyms.ts, with its rule; the first spelling of a
 * normalised header wins (the synonym tables' test holds that no two spellings disagree).
 */
export function defaultColumns(): Record<string, ColumnRule> {
  const columns: Record<string, ColumnRule> = {};
  const seen = new Set<string>();
  const add = (header: string, rule: ColumnRule) => {
    const key = normalizeHeader(header);
    if (seen.has(key)) return;
    seen.add(key);
    columns[header] = rule;
  };
  for (const [header, rule] of Object.entries(DEFAULT_COLUMNS)) add(header, rule);
  for (const language of SYNONYM_LANGUAGES)
    for (const [header, synonyms] of Object.entries(SYNONYMS[language]))
      for (const synonym of synonyms ?? []) add(synonym, DEFAULT_COLUMNS[header as DefaultHeader]);
  return columns;
}

const COLUMNS = defaultColumns();

/** Headers that give the default layout a title: any of them present selects it. */
export const TITLE_HEADERS: readonly string[] = Object.keys(COLUMNS).filter((h) => COLUMNS[h]?.field === "title");

export const DEFAULT_PROFILE: Profile = {
  name: "default",
  description:
    "The gateway's default layout (docs/spreadsheet-layout.md): one credential per row, headers in English, French, German, Spanish or Italian.",
  match: { requiredHeaders: [], anyHeaders: [...TITLE_HEADERS] },
  columns: COLUMNS,
};
