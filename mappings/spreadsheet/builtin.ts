/**
 * Built-in column profiles for layouts the gateway meets (facts: ../shared/research/local.md §3; samples in the
 * corpus, `spreadsheets/`). Auto-detection tries them in this order, most specific first, and takes the first whose
 * `match.requiredHeaders` are all present; the default layout comes last.
 *
 * Not here: the DEQAR submission template (`deqar-submission.sample.csv`) describes quality-assurance *reports* on
 * institutions and programmes (agency, decision, valid_from, institution[1].deqar_id, programme[1].workload_ects...),
 * not credentials issued to learners: it has no learner, so it is not a credential layout. The Open edX "certificates
 * issued" CSV is aggregate only (counts per course) and is not one either.
 */
import { DEFAULT_PROFILE } from "./default.js";
import type { Profile } from "./profiles.js";

/**
 * EDC 1.x "Recipients" template (`EDC_template-recipients.xlsm`, sheet `Recipients`): the visible labels repeat per
 * language, so the profile reads the hidden table-header row 12, whose names are unique (`Person.fullName.Property.
 * content.en`). Data starts at row 13. Recipients carry no credential data: titles come from the EDC template.
 */
const EDC_RECIPIENTS: Profile = {
  name: "edc-recipients",
  description: "EDC 1.x recipients template (sheet Recipients, hidden header row 12)",
  sheet: "Recipients",
  headerRow: 12,
  match: {
    requiredHeaders: ["Person.fullName.Property.content.en", "Person.contactPoint#1.email.NestedProperty.id.1."],
  },
  columns: {
    "Person.fullName.Property.content.en": { field: "learner.fullName" },
    "Person.givenNames.Property.content.en": { field: "learner.givenName" },
    "Person.familyName.Property.content.en": { field: "learner.familyName" },
    "Person.dateOfBirth.Property.": { field: "learner.dateOfBirth", transform: "date" },
    "Person.nationalId.content.NestedProperty.": { field: "learner.nationalId" },
    "Person.contactPoint#1.email.NestedProperty.id.1.": { field: "learner.email" },
    "Person.citizenshipCountry.citizenshipCountry.MultiReference.": {
      field: "learner.citizenship",
      transform: "country",
    },
  },
  fixed: { language: "en" },
};

/**
 * EDC 1.x full template (`EDC_template-generic.xlsm`): the learner's row of the `Persons` sheet (hidden header row
 * 12, data from 13). The template is relational — a credential row on `Credentials` references a person, an
 * organisation and achievements on their own sheets — and joining the sheets is not done yet: this profile reads the
 * persons, one credential per person.
 */
const EDC_GENERIC_PERSONS: Profile = {
  ...EDC_RECIPIENTS,
  name: "edc-generic-persons",
  description: "EDC 1.x full template, Persons sheet (hidden header row 12); sheets are not joined yet",
  sheet: "Persons",
};

/**
 * EDC 2.x generated recipient spreadsheet: headers are field paths with template UUIDs (`{#<uuid>}.REC.givenNames`,
 * `ACH{<uuid>}.title(en)`), which header normalisation strips to `REC.givenNames`, `ACH.title(en)`. Field paths from
 * the EDC 2.x `@CustomizableField` list (corpus `edc/EDC-2.x-customizable-recipient-fields.psv`).
 */
const EDC2_RECIPIENTS: Profile = {
  name: "edc2-recipients",
  description: "EDC 2.x per-template recipient spreadsheet (field-path headers)",
  match: { requiredHeaders: ["REC.givenNames"] },
  columns: {
    "REC.givenNames": { field: "learner.givenName" },
    "REC.givenName": { field: "learner.givenName" },
    "REC.familyName": { field: "learner.familyName" },
    "REC.contactPoint[0].emailAddress[0].id": { field: "learner.email" },
    "REC.contactPoint[0].email[0].id": { field: "learner.email" },
    "REC.dateOfBirth": { field: "learner.dateOfBirth", transform: "date" },
    "REC.citizenshipCountry": { field: "learner.citizenship", transform: "split;" },
    "REC.nationalID.notation": { field: "learner.nationalId" },
    "displayParameter.title(en)": { field: "title" },
    "displayParameter.description(en)": { field: "description" },
    validFrom: { field: "credential.validFrom", transform: "date" },
    validUntil: { field: "credential.validUntil", transform: "date" },
    "ACH.title(en)": { field: "title" },
    "ACH.description(en)": { field: "description" },
    "ACH.awardedBy.awardingDate": { field: "achievement.awardingDate", transform: "date" },
    "ASM.grade.noteLiteral": { field: "assessment.grade" },
    "ASM.grade.content": { field: "assessment.grade" },
  },
  fixed: { language: "en" },
};

/** Moodle mod_customcert issued-certificates report: `fullname, email, timecreated, code`. */
const MOODLE_CUSTOMCERT: Profile = {
  name: "moodle-customcert",
  description: "Moodle mod_customcert issued certificates report",
  match: { requiredHeaders: ["fullname", "email", "timecreated", "code"] },
  columns: {
    fullname: { field: "learner.fullName" },
    email: { field: "learner.email" },
    timecreated: { field: "credential.issued", transform: "date" },
    code: { field: "credential.identifier" },
  },
};

/** Moodle Workplace tool_certificate issues report: `fullname, email, status, expires, timecreated, code`. */
const MOODLE_TOOL_CERTIFICATE: Profile = {
  name: "moodle-tool-certificate",
  description: "Moodle Workplace tool_certificate issues report",
  match: { requiredHeaders: ["fullname", "email", "status", "expires", "timecreated", "code"] },
  columns: {
    ...MOODLE_CUSTOMCERT.columns,
    expires: { field: "credential.validUntil", transform: "date" },
  },
};

/** Open edX course grade report: one row per enrolled learner; the course itself is not named in the file. */
const OPENEDX_GRADES: Profile = {
  name: "openedx-grade-report",
  description: "Open edX course grade report (Student ID, Email, Username, Grade, ...)",
  match: { requiredHeaders: ["Student ID", "Email", "Username", "Grade"] },
  columns: {
    "Student ID": { field: "learner.studentId" },
    Email: { field: "learner.email" },
    Grade: { field: "assessment.grade" },
  },
};

/** Badgr bulk award: a column mapped to `email` (required), optionally `evidence` or `name`. */
const BADGR_BULK: Profile = {
  name: "badgr-bulk-award",
  description: "Badgr bulk award CSV (email, evidence / name)",
  match: { requiredHeaders: ["email"] },
  columns: {
    email: { field: "learner.email" },
    evidence: { field: "evidence.url" },
    name: { field: "learner.fullName" },
  },
};

/** Credly bulk issue CSV (dates `mm/dd/yy`). Header strings are approximated from Credly's help centre. */
const CREDLY_BULK: Profile = {
  name: "credly-bulk-issue",
  description: "Credly bulk issue CSV",
  match: { requiredHeaders: ["Badge Template ID", "Recipient Email", "First Name", "Last Name", "Issued at"] },
  columns: {
    "Badge Template ID": { field: "achievement.identifier" },
    "Recipient Email": { field: "learner.email" },
    "First Name": { field: "learner.givenName" },
    "Last Name": { field: "learner.familyName" },
    "Issued at": { field: "credential.issued", transform: "date-mdy" },
    "Expiration Date": { field: "credential.validUntil", transform: "date-mdy" },
    "Issuer Earner ID": { field: "learner.studentId" },
    Country: { field: "learner.country", transform: "country" },
    "Evidence URL": { field: "evidence.url" },
    "Text Evidence URL": { field: "evidence.url" },
    Locale: { field: "credential.language" },
  },
};

/** The third-party "Open Badges CSV" proposal (geobadges/open-badges-csv), assertions file. */
const GEOBADGES_ASSERTIONS: Profile = {
  name: "open-badges-csv",
  description: "geobadges/open-badges-csv assertions (recipient_email, evidence, badge, issued_on, issuer, expires)",
  match: { requiredHeaders: ["recipient_email", "badge", "issued_on", "issuer"] },
  columns: {
    recipient_email: { field: "learner.email" },
    evidence: { field: "evidence.url" },
    badge: { field: "title" },
    issued_on: { field: "credential.issued", transform: "date" },
    issuer: { field: "awardingBody.name" },
    expires: { field: "credential.validUntil", transform: "date" },
  },
};

/** Built-in profiles in detection order (the default layout last; Badgr's lone `email` just before it). */
export const BUILTIN_PROFILES: readonly Profile[] = [
  EDC_RECIPIENTS,
  EDC_GENERIC_PERSONS,
  EDC2_RECIPIENTS,
  MOODLE_TOOL_CERTIFICATE,
  MOODLE_CUSTOMCERT,
  OPENEDX_GRADES,
  CREDLY_BULK,
  GEOBADGES_ASSERTIONS,
  DEFAULT_PROFILE,
  BADGR_BULK,
];

export const profileByName = (name: string): Profile | undefined => BUILTIN_PROFILES.find((p) => p.name === name);
