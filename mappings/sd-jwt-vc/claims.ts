/**
 * The claims of a European micro-credential as an SD-JWT VC (IETF draft-ietf-oauth-sd-jwt-vc), written from the
 * canonical model. One claim per element of Annex I of the Council Recommendation on micro-credentials (2022/C 243/02),
 * read in the order the Annex I check prefers (`compliance/context.ts`: the main achievement first, then the others
 * for what it lacks). Claim names follow the EUDI reference issuer's "Learning Credential" where it has one
 * (`family_name`, `given_name`, `achievement_title`, `learning_outcomes`, `issuing_country`, `date_of_issuance`,
 * `assessment_grade`, `prerequisites_to_enroll`, `integration_stackability_options`), snake_case names of the Annex
 * I wording otherwise.
 *
 * Texts are plain strings (SD-JWT VC claims have no language maps; the type metadata carries the labels in several
 * languages): the credential's primary display language when the text has it, else English, else the first language
 * found. Where the source gives the title, the description or the entry requirements in more languages, each other
 * language is a claim of its own named as OpenID Connect Core §5.2 names a claim's value in a language,
 * `{claim}#{BCP 47 tag}` (`achievement_title#de`), selectively disclosable like the claim; the learning outcomes too,
 * as `learning_outcomes#{tag}`, when every outcome has that language (a list in which some entries are in another
 * language would not say which). Every claim is selectively disclosable: the holder decides what a verifier sees, down to
 * the title (a wallet may show title, ECTS and level without the learner's name or date of birth).
 */
import { contextOf } from "../compliance/context.js";
import { isEcts } from "../compliance/values.js";
import type { CanonicalCredential, Concept, LangMap, Organisation } from "../model.js";
import { parsePoints } from "../model.js";

/** Claim names, by Annex I element (the learner's split into its parts). */
export const ELEMENT_CLAIMS = {
  learner: ["given_name", "family_name", "full_name", "birthdate", "learner_identification", "email"],
  title: ["achievement_title"],
  issuerCountry: ["issuing_country"],
  awardingBody: ["awarding_body"],
  issuanceDate: ["date_of_issuance"],
  learningOutcomes: ["learning_outcomes"],
  workload: ["workload"],
  level: ["level"],
  assessmentType: ["assessment_type"],
  participationForm: ["participation_form"],
  qualityAssurance: ["quality_assurance"],
  prerequisites: ["prerequisites_to_enroll"],
  supervisionAndIdVerification: ["supervision_and_id_verification"],
  grade: ["assessment_grade"],
  stackability: ["integration_stackability_options"],
  furtherInformation: ["further_information"],
} as const;

/** Claims that identify the learner: always selectively disclosable (type metadata `sd: always`). */
export const LEARNER_CLAIMS: readonly string[] = ELEMENT_CLAIMS.learner;

export interface AwardingBodyClaim {
  name: string;
  id?: string;
  country?: string;
  homepage?: string;
}

export interface MicroCredentialClaims {
  given_name?: string;
  family_name?: string;
  full_name?: string;
  birthdate?: string;
  learner_identification?: string;
  email?: string;
  achievement_title?: string;
  achievement_description?: string;
  issuing_country?: string;
  awarding_body?: AwardingBodyClaim[];
  date_of_issuance?: string;
  learning_outcomes?: string[];
  workload?: { ects_credits?: number; volume_of_learning?: string };
  level?: { eqf?: number; nqf?: string[]; qf_ehea?: string };
  assessment_type?: string[];
  participation_form?: string[];
  quality_assurance?: { type?: string; title?: string; accrediting_agent?: string; report?: string }[];
  prerequisites_to_enroll?: string;
  supervision_and_id_verification?: string;
  assessment_grade?: string;
  integration_stackability_options?: { partial_qualification?: boolean; part_of?: string[]; has_part?: string[] };
  further_information?: string[];
  /** The same text in another language (OpenID Connect Core §5.2 language-tagged claims). */
  [tagged: `${string}#${string}`]: string | string[] | undefined;
}

/** What the claims leave out and why (a converted credential reports its losses). */
export interface ClaimsResult {
  claims: MicroCredentialClaims;
  /** Names of the claims written, in {@link ELEMENT_CLAIMS} order. */
  written: string[];
}

const EQF = /^http:\/\/data\.europa\.eu\/snb\/eqf\/([1-8])$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

function languageOf(credential: CanonicalCredential): string | undefined {
  return credential.display?.primaryLanguage;
}

/** One text of a language map, in `preferred`, else English, else the first language. */
export function textOf(map: LangMap | undefined, preferred?: string): string | undefined {
  if (!map) return undefined;
  const value = (preferred && map[preferred]) || map.en || Object.values(map)[0];
  return value?.trim() ? value : undefined;
}

const conceptText = (c: Concept, lang?: string): string | undefined => textOf(c.label, lang) ?? c.notation ?? c.uri;

/** A BCP 47 language tag, as the readers keep language map keys (`en`, `de`, `pt-BR`). */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** `{name}#{tag}` for each language of `map` other than the one `primary` (the claim's own value) was taken in. */
function languageVariants(name: string, map: LangMap | undefined, primary: string | undefined): Record<string, string> {
  if (!map || primary === undefined) return {};
  const out: Record<string, string> = {};
  let skippedPrimary = false;
  for (const [tag, text] of Object.entries(map)) {
    if (!skippedPrimary && text === primary) {
      skippedPrimary = true;
      continue;
    }
    if (LANGUAGE_TAG.test(tag) && text.trim()) out[`${name}#${tag}`] = text;
  }
  return out;
}

/** `learning_outcomes#{tag}`: the outcomes in a language every one of them has, other than the claim's own. */
function outcomeVariants(
  titles: (LangMap | undefined)[] | undefined,
  primary: string[] | undefined,
): Record<string, string[]> {
  if (!titles || !primary || titles.length !== primary.length) return {};
  const out: Record<string, string[]> = {};
  const tags = new Set(titles.flatMap((t) => Object.keys(t ?? {})));
  for (const tag of tags) {
    if (!LANGUAGE_TAG.test(tag)) continue;
    const texts = titles.map((t) => t?.[tag]?.trim());
    if (texts.some((t) => !t)) continue;
    const inTag = texts as string[];
    if (inTag.every((t, i) => t === primary[i])) continue;
    out[`learning_outcomes#${tag}`] = inTag;
  }
  return out;
}

const nonEmpty = <T>(values: (T | undefined)[]): T[] | undefined => {
  const kept = values.filter((v): v is T => v !== undefined);
  return kept.length > 0 ? kept : undefined;
};

function countryOf(org: Organisation | undefined): string | undefined {
  if (!org) return undefined;
  return (
    org.locations.find((l) => l.address?.country)?.address?.country ?? org.identifiers.find((i) => i.country)?.country
  );
}

/**
 * The SD-JWT VC claims of a canonical credential: every Annex I element it has. Nothing is invented: an element the
 * source lacks has no claim.
 */
export function microCredentialClaims(credential: CanonicalCredential): ClaimsResult {
  const lang = languageOf(credential);
  const ctx = contextOf(credential);
  const claims: MicroCredentialClaims = {};
  const learner = credential.learner;

  claims.given_name = textOf(learner.givenName, lang);
  claims.family_name = textOf(learner.familyName, lang);
  claims.full_name = textOf(learner.fullName, lang);
  // OpenID Connect's `birthdate` is a full-date (YYYY-MM-DD); ELM writes a date-time.
  claims.birthdate = learner.dateOfBirth?.match(ISO_DATE)?.[0];
  claims.learner_identification = learner.nationalId?.value ?? learner.identifiers.find((i) => !i.hashed)?.value;
  claims.email = learner.emails[0]?.replace(/^mailto:/, "");

  const first = <T>(pick: (c: (typeof ctx.claims)[number]["claim"]) => T | undefined): T | undefined => {
    for (const { claim } of ctx.claims) {
      const v = pick(claim);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const firstSpec = <T>(pick: (s: NonNullable<(typeof ctx.specs)[number]["spec"]>) => T | undefined): T | undefined => {
    for (const { spec } of ctx.specs) {
      const v = pick(spec);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  claims.achievement_title =
    first((c) => textOf(c.title, lang)) ?? firstSpec((s) => textOf(s.title, lang)) ?? textOf(credential.title, lang);
  claims.achievement_description =
    first((c) => textOf(c.description, lang)) ?? firstSpec((s) => textOf(s.description, lang));

  const awarding = first((c) => (c.awardingBodies.length > 0 ? c.awardingBodies : undefined)) ?? [];
  claims.awarding_body = nonEmpty(
    awarding.map((org): AwardingBodyClaim | undefined => {
      const name = textOf(org.legalName, lang);
      if (!name) return undefined;
      const country = countryOf(org);
      return {
        name,
        ...(org.id && /^https?:|^did:|^urn:/.test(org.id) ? { id: org.id } : {}),
        ...(country ? { country } : {}),
        ...(org.homepages[0] ? { homepage: org.homepages[0] } : {}),
      };
    }),
  );
  claims.issuing_country = countryOf(credential.issuer) ?? awarding.map(countryOf).find((c) => c !== undefined);
  claims.date_of_issuance = (credential.issued ?? first((c) => c.awardingDate) ?? credential.validFrom)?.match(
    ISO_DATE,
  )?.[0];

  claims.learning_outcomes =
    firstSpec((s) => nonEmpty(s.learningOutcomes.map((o) => textOf(o.title, lang)))) ??
    firstSpec((s) => nonEmpty([textOf(s.learningOutcomeSummary, lang)]));

  const ects = firstSpec((s) => s.credits.find(isEcts)) ?? first((c) => c.creditsEarned.find(isEcts));
  const points = ects ? parsePoints(ects.points) : undefined;
  const volume = firstSpec((s) => s.volumeOfLearning);
  if (points !== undefined || volume !== undefined) {
    claims.workload = {
      ...(points !== undefined ? { ects_credits: points } : {}),
      ...(volume !== undefined ? { volume_of_learning: volume } : {}),
    };
  }

  const eqfUri = firstSpec((s) => s.eqfLevel?.uri);
  const eqf = eqfUri?.match(EQF)?.[1];
  const nqf = firstSpec((s) => nonEmpty(s.nqfLevels.map((c) => conceptText(c, lang))));
  const qfEhea = firstSpec((s) => (s.qfEheaLevel ? conceptText(s.qfEheaLevel, lang) : undefined));
  if (eqf !== undefined || nqf !== undefined || qfEhea !== undefined) {
    claims.level = {
      ...(eqf !== undefined ? { eqf: Number(eqf) } : {}),
      ...(nqf !== undefined ? { nqf } : {}),
      ...(qfEhea !== undefined ? { qf_ehea: qfEhea } : {}),
    };
  }

  claims.assessment_type = nonEmpty(
    ctx.assessments.flatMap(({ claim }) => {
      const types = claim.specification?.types.map((t) => conceptText(t, lang)) ?? [];
      const kept = types.filter((t): t is string => t !== undefined);
      if (kept.length > 0) return kept;
      return [textOf(claim.specification?.title, lang) ?? textOf(claim.title, lang)];
    }),
  );
  const modes = firstSpec((s) => nonEmpty(s.modes.map((m) => conceptText(m, lang))));
  const activityModes = nonEmpty(
    ctx.activities.flatMap(({ claim }) => claim.specification?.modes.map((m) => conceptText(m, lang)) ?? []),
  );
  const settings = firstSpec((s) => nonEmpty(s.learningSettings.map((m) => conceptText(m, lang))));
  claims.participation_form = modes ?? activityModes ?? settings;

  const accreditations =
    firstSpec((s) => (s.accreditations.length > 0 ? s.accreditations : undefined)) ??
    first((c) => {
      const a = c.awardingBodies.flatMap((o) => o.accreditations);
      return a.length > 0 ? a : undefined;
    }) ??
    credential.evidence.flatMap((e) => e.accreditations);
  claims.quality_assurance = nonEmpty(
    accreditations.map((a) => {
      const entry = {
        ...(a.types[0] ? { type: conceptText(a.types[0], lang) } : {}),
        ...(textOf(a.title, lang) ? { title: textOf(a.title, lang) } : {}),
        ...(a.accreditingAgent ? { accrediting_agent: textOf(a.accreditingAgent.legalName, lang) } : {}),
        ...(a.report ? { report: a.report } : {}),
      };
      return Object.keys(entry).length > 0 ? entry : undefined;
    }),
  );

  claims.prerequisites_to_enroll = firstSpec((s) => textOf(s.entryRequirement, lang));
  claims.supervision_and_id_verification = ctx.assessments
    .map(({ claim }) => (claim.idVerification ? conceptText(claim.idVerification, lang) : undefined))
    .find((v) => v !== undefined);
  claims.assessment_grade =
    ctx.assessments.map(({ claim }) => claim.grade?.value).find((v) => v !== undefined) ??
    first((c) => c.grade?.value ?? c.results.find((r) => r.value !== undefined)?.value);

  const spec = ctx.specs[0]?.spec;
  const main = ctx.claims[0]?.claim;
  const partOf = [...(spec?.isPartOf ?? []), ...(main?.isPartOf ?? [])];
  const hasPart = [
    ...(spec?.hasPart ?? []),
    ...(main?.hasPart.map((p) => p.id).filter((id): id is string => !!id) ?? []),
  ];
  if (spec?.isPartialQualification !== undefined || partOf.length > 0 || hasPart.length > 0) {
    claims.integration_stackability_options = {
      ...(spec?.isPartialQualification !== undefined ? { partial_qualification: spec.isPartialQualification } : {}),
      ...(partOf.length > 0 ? { part_of: partOf } : {}),
      ...(hasPart.length > 0 ? { has_part: hasPart } : {}),
    };
  }
  claims.further_information = nonEmpty([
    ...(spec?.additionalNotes.map((n) => textOf(n, lang)) ?? []),
    ...(spec?.homepages ?? []),
    ...(spec?.supplementaryDocuments ?? []),
    ...(main?.additionalNotes.map((n) => textOf(n, lang)) ?? []),
    ...(main?.supplementaryDocuments ?? []),
    ...credential.additionalNotes.map((n) => textOf(n, lang)),
  ]);

  const titleMap =
    first((c) => (textOf(c.title, lang) ? c.title : undefined)) ??
    firstSpec((s) => (textOf(s.title, lang) ? s.title : undefined)) ??
    credential.title;
  const descriptionMap =
    first((c) => (textOf(c.description, lang) ? c.description : undefined)) ??
    firstSpec((s) => (textOf(s.description, lang) ? s.description : undefined));
  const tagged: Record<string, string | string[]> = {
    ...languageVariants("achievement_title", titleMap, claims.achievement_title),
    ...languageVariants("achievement_description", descriptionMap, claims.achievement_description),
    ...languageVariants(
      "prerequisites_to_enroll",
      firstSpec((s) => (textOf(s.entryRequirement, lang) ? s.entryRequirement : undefined)),
      claims.prerequisites_to_enroll,
    ),
    ...outcomeVariants(
      firstSpec((s) => (s.learningOutcomes.length > 0 ? s.learningOutcomes.map((o) => o.title) : undefined)),
      claims.learning_outcomes,
    ),
  };

  const kept = Object.fromEntries(
    Object.entries({ ...claims, ...tagged }).filter(([, v]) => v !== undefined),
  ) as MicroCredentialClaims;
  const order = [...Object.values(ELEMENT_CLAIMS).flat(), "achievement_description"].flatMap((name) => [
    name,
    ...Object.keys(tagged).filter((t) => t.startsWith(`${name}#`)),
  ]);
  return { claims: kept, written: order.filter((name) => name in kept) };
}
