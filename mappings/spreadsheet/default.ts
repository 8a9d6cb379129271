/**
 * The gateway's default spreadsheet layout: one credential per row, a header row naming the columns below (any
 * order, any subset; case, spacing, `_` / `-` and accents ignored). Each column is also read under the names people
 * give it in English, French, German, Spanish and Italian (synonyms.ts; the whole list is docs/spreadsheet-layout.md).
 * The default layout is recognised by any header meaning a title. Unknown columns are kept as extensions, reported as
 * losses and listed in the answer's `unmapped`.
 *
 * | header | canonical field | value |
 * |---|---|---|
 * | `given_name`, `family_name`, `full_name` | learner names | text |
 * | `email` | learner e-mail | one address, or several separated by `;` |
 * | `date_of_birth` | learner date of birth | `YYYY-MM-DD` (also `31 January 2025`, Excel dates) |
 * | `student_id`, `national_id` | learner identifiers | text |
 * | `citizenship` | learner citizenship | countries (alpha-2, alpha-3 or English name), `;`-separated |
 * | `credential_id` | credential id | a URI |
 * | `language` | language of the row's texts | `en`, `fr`... (default `und`) |
 * | `title`, `description` | credential and achievement title / description | text |
 * | `learning_outcomes` | learning outcomes | `;`-separated |
 * | `ects` | ECTS credit points | number (`7.5` or `7,5`) |
 * | `eqf_level` | EQF level | 1–8 (`6`, `EQF 6`, or the concept URI) |
 * | `isced_f` | ISCED-F fields | 2–4 digit codes, `;`-separated |
 * | `mode` | mode of learning (form of participation) | `online`, `blended`, `presential`... `;`-separated |
 * | `learning_setting` | learning setting | `formal` / `non-formal` |
 * | `instruction_language` | languages of instruction | `en;fr` |
 * | `volume_of_learning` | notional workload | hours (`60`) or an ISO 8601 duration (`PT60H`) |
 * | `entry_requirements` | prerequisites | text |
 * | `homepage` | the learning opportunity's web page | URL |
 * | `assessment_type` | type of assessment | a concept URI, or free text (kept as the assessment's title) |
 * | `grade` | grade | text |
 * | `issued`, `valid_from`, `valid_until`, `awarding_date` | dates | as `date_of_birth` |
 * | `awarding_body`, `awarding_body_country`, `awarding_body_id`, `awarding_body_homepage` | awarding body (also the issuer) | text, country, legal identifier, URL |
 * | `further_information` | further information | text |
 * | `evidence_url` | evidence | URL |
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
