/**
 * One rule per Annex I element (EU Council Recommendation 2022/C 243/02): where the element lives in the canonical
 * model, when it counts as present, and when the value found is unusable ("invalid"). The element table
 * (`annex1-elements.ts`) names these rules; the ELM paths they correspond to are in research/elm.md §2.1.
 */
import { type Accreditation, type Concept, type Credit, parsePoints } from "../model.js";
import type { CheckContext, ClaimAt, Finding, Pointers } from "./context.js";
import {
  alpha2,
  conceptLabel,
  eqfNumberOf,
  excerpt,
  hasText,
  isEcts,
  isIsoDate,
  type QfEheaCycle,
  qfEheaCycleOf,
  readDuration,
  textOf,
} from "./values.js";

const missing = (detail: string): Finding => ({ status: "missing", detail });
const labels = (concepts: Concept[]): string[] => concepts.map(conceptLabel);
const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

/** Learner: named by given and family name, or by full name; other identifying fields are listed as evidence. */
export function learner({ credential }: CheckContext): Finding {
  const p = credential.learner;
  // Which identifying fields the learner has: the report names them, never their values (personal data).
  const has = {
    id: p.id !== undefined,
    givenName: hasText(p.givenName),
    familyName: hasText(p.familyName),
    fullName: hasText(p.fullName),
    birthName: hasText(p.birthName),
    dateOfBirth: p.dateOfBirth !== undefined,
    placeOfBirth: p.placeOfBirth !== undefined,
    nationalId: p.nationalId !== undefined,
    identifiers: p.identifiers.length > 0,
    emails: p.emails.length > 0,
    citizenship: p.citizenship.length > 0,
  };
  const fields = Object.entries(has).flatMap(([field, present]) => (present ? [field] : []));
  if ((has.givenName && has.familyName) || has.fullName) return { status: "present", at: ["/learner"], value: fields };
  if (fields.length === 0) return missing("no learner data (given and family name, or full name)");
  const partial = has.givenName || has.familyName ? "; a given or family name alone is not enough" : "";
  return missing(`the learner has no name (given and family name, or full name), only ${fields.join(", ")}${partial}`);
}

/** Title: the main achievement's title, else its specification's, else the other claims', else the credential's. */
export function title({ claims, credential }: CheckContext): Finding {
  for (const { claim, at } of claims) {
    if (hasText(claim.title)) return { status: "present", at: [`${at}/title`], value: textOf(claim.title) };
    const spec = claim.specification;
    if (spec && hasText(spec.title)) {
      return { status: "present", at: [`${at}/specification/title`], value: textOf(spec.title) };
    }
  }
  if (hasText(credential.title)) {
    return {
      status: "present",
      at: ["/title"],
      value: textOf(credential.title),
      detail: "the credential's display title: no claim has a title",
    };
  }
  return missing("no title on the achievement, its specification or the credential");
}

interface CountryAt {
  code: string;
  at: Pointers;
}

/** Countries of an organisation's locations and of its legal identifiers, with their canonical pointers. */
function organisationCountries(
  org: { locations: { address?: { country?: string } }[]; identifiers: { country?: string }[] },
  at: string,
): { locations: CountryAt[]; identifiers: CountryAt[] } {
  return {
    locations: org.locations.flatMap((l, k) =>
      l.address?.country !== undefined
        ? [
            {
              code: l.address.country,
              at: [`${at}/locations/${k}/address/country`, `${at}/locations/${k}`] as Pointers,
            },
          ]
        : [],
    ),
    identifiers: org.identifiers.flatMap((id, k) =>
      id.country !== undefined ? [{ code: id.country, at: [`${at}/identifiers/${k}/country`] as Pointers }] : [],
    ),
  };
}

/**
 * Country of the issuer: the issuer's location countries, else the country of its legal identifiers (eIDAS `spatial`),
 * else the awarding bodies' (the issuer of an ELM credential is the sealer, and an unsealed one may have none). Every
 * country found in the chosen group must be an ISO 3166-1 alpha-2 code.
 */
export function issuerCountry({ credential, claims }: CheckContext): Finding {
  const issuer = credential.issuer ? organisationCountries(credential.issuer, "/issuer") : undefined;
  const bodies = claims.flatMap(({ claim, at }) =>
    claim.awardingBodies.map((b, k) => organisationCountries(b, `${at}/awardingBodies/${k}`)),
  );
  const groups: { from: string; countries: CountryAt[] }[] = [
    { from: "the issuer's location", countries: issuer?.locations ?? [] },
    { from: "the issuer's legal identifier", countries: issuer?.identifiers ?? [] },
    { from: "the awarding body's location", countries: bodies.flatMap((b) => b.locations) },
    { from: "the awarding body's legal identifier", countries: bodies.flatMap((b) => b.identifiers) },
  ];
  const group = groups.find((g) => g.countries.length > 0);
  const first = group?.countries[0];
  if (!group || !first) return missing("no country on the issuer's or the awarding body's location");
  const bad = group.countries.find((c) => alpha2(c.code) === undefined);
  if (bad) {
    return {
      status: "invalid",
      at: bad.at,
      value: bad.code,
      detail: `"${bad.code}" (${group.from}) is not an ISO 3166-1 alpha-2 country code`,
    };
  }
  const codes = unique(group.countries.map((c) => alpha2(c.code) ?? c.code));
  return {
    status: "present",
    at: first.at,
    value: codes,
    ...(group === groups[0] ? {} : { detail: `taken from ${group.from}` }),
  };
}

/** Awarding body: at least one awarding body of a claim with a legal name. */
export function awardingBody({ claims }: CheckContext): Finding {
  const bodies = claims.flatMap(({ claim, at }) =>
    claim.awardingBodies.map((body, k) => ({ body, at: [`${at}/awardingBodies/${k}`, `${at}/awardingBodies`] })),
  );
  const named = bodies.filter(({ body }) => hasText(body.legalName));
  const first = named[0];
  if (first) {
    return {
      status: "present",
      at: first.at as Pointers,
      value: unique(named.map(({ body }) => textOf(body.legalName))),
    };
  }
  const unnamed = bodies[0];
  if (unnamed) return { status: "invalid", at: unnamed.at as Pointers, detail: "the awarding body has no legal name" };
  return missing("no awarding body");
}

/**
 * Date of issuing: `issued` (EDC sets it when sealing), else the awarding date (the date the awarding body awarded the
 * claim: an unsealed credential's best "date of issuing"), else `validFrom` (every ELM credential has one). The first
 * one present is the one reported; a malformed one is invalid rather than skipped, since the credential states it.
 */
export function issuanceDate({ credential, claims }: CheckContext): Finding {
  const candidates: { from: string; date: string | undefined; at: string }[] = [
    { from: "issued", date: credential.issued, at: "/issued" },
    ...claims.map(({ claim, at }) => ({ from: "awardingDate", date: claim.awardingDate, at: `${at}/awardingDate` })),
    { from: "validFrom", date: credential.validFrom, at: "/validFrom" },
  ];
  const found = candidates.find((c) => c.date !== undefined && c.date.trim() !== "");
  if (!found?.date) return missing("no issued date, awarding date or validFrom");
  if (!isIsoDate(found.date.trim())) {
    return {
      status: "invalid",
      at: [found.at],
      value: found.date,
      detail: `${found.from} "${found.date}" is not an ISO 8601 date or date-time`,
    };
  }
  return {
    status: "present",
    at: [found.at],
    value: { date: found.date, from: found.from },
    ...(found.from === "issued" ? {} : { detail: `not sealed (no issued date): the ${found.from} stands for it` }),
  };
}

/** Learning outcomes: learning outcomes with a title, or a learning outcome summary, on a claim's specification. */
export function learningOutcomes({ specs }: CheckContext): Finding {
  let untitled: { at: string; count: number } | undefined;
  for (const { spec, at } of specs) {
    const titled = spec.learningOutcomes.filter((lo) => hasText(lo.title));
    if (titled.length > 0) {
      return {
        status: "present",
        at: [`${at}/learningOutcomes`],
        value: { count: titled.length, titles: titled.slice(0, 3).map((lo) => textOf(lo.title)) },
      };
    }
    if (hasText(spec.learningOutcomeSummary)) {
      const summary = textOf(spec.learningOutcomeSummary) ?? "";
      return { status: "present", at: [`${at}/learningOutcomeSummary`], value: { summary: excerpt(summary) } };
    }
    if (spec.learningOutcomes.length > 0 && !untitled) {
      untitled = { at: `${at}/learningOutcomes`, count: spec.learningOutcomes.length };
    }
  }
  if (untitled) {
    return {
      status: "invalid",
      at: [untitled.at],
      detail: `${untitled.count} learning outcome(s) without a title (skills alone do not state the outcome)`,
    };
  }
  return missing("no learning outcomes or learning outcome summary on the specification");
}

/** What the workload rule found, with the ECTS number the DEQAR rule needs. */
export interface WorkloadReading {
  finding: Finding;
  ects?: number;
}

/**
 * Notional workload: ECTS credit points (framework ECTS) and/or the volume of learning (ISO 8601 duration) of the
 * first claim that states either; credits earned by the claim stand in when its specification states none. Other
 * credit systems count (Annex I asks for ECTS "wherever possible") and are reported as such.
 */
export function readWorkload({ claims }: CheckContext): WorkloadReading {
  for (const { claim, at } of claims) {
    const spec = claim.specification;
    const specCredits = spec?.credits ?? [];
    const [credits, base]: [Credit[], string] =
      specCredits.length > 0
        ? [specCredits, `${at}/specification/credits`]
        : [claim.creditsEarned, `${at}/creditsEarned`];
    const volume = spec?.volumeOfLearning;
    if (credits.length === 0 && volume === undefined) continue;

    const k = credits.findIndex(isEcts);
    const ectsCredit = credits[k];
    const ectsAt: Pointers = [`${base}/${k}`, base];
    const volumeAt: Pointers = [`${at}/specification/volumeOfLearning`];
    let ects: number | undefined;
    if (ectsCredit) {
      ects = parsePoints(ectsCredit.points);
      if (ects === undefined) {
        return {
          finding: {
            status: "invalid",
            at: ectsAt,
            value: { ects: ectsCredit.points },
            detail: `ECTS points "${ectsCredit.points}" are not a non-negative number`,
          },
        };
      }
    }
    const duration = volume === undefined ? undefined : readDuration(volume);
    if (volume !== undefined && !duration?.valid) {
      return {
        finding: {
          status: "invalid",
          at: volumeAt,
          value: { volumeOfLearning: volume },
          detail: `volume of learning "${volume}" is not an ISO 8601 duration (e.g. PT60H)`,
        },
        ...(ects === undefined ? {} : { ects }),
      };
    }
    const hours = duration?.valid ? duration.hours : undefined;
    const others = credits
      .filter((c) => c !== ectsCredit)
      .map((c) => `${c.points} ${c.framework ? conceptLabel(c.framework) : "credits"}`);
    const value = {
      ...(ects === undefined ? {} : { ects }),
      ...(hours === undefined ? {} : { hours }),
      ...(volume === undefined || hours !== undefined ? {} : { duration: volume }),
      ...(others.length === 0 ? {} : { credits: others }),
    };
    const notes = [
      ...(specCredits.length === 0 && credits.length > 0
        ? ["credits earned by the claim: its specification states none"]
        : []),
      ...(ects === undefined && credits.length > 0 ? ["credits in no ECTS framework"] : []),
    ];
    return {
      finding: {
        status: "present",
        at: ectsCredit ? ectsAt : volume !== undefined ? volumeAt : [`${base}/0`, base],
        value,
        ...(notes.length === 0 ? {} : { detail: notes.join("; ") }),
      },
      ...(ects === undefined ? {} : { ects }),
    };
  }
  return { finding: missing("no ECTS credits or volume of learning on the specification") };
}

/** The workload element's finding (see {@link readWorkload}). */
export const workload = (ctx: CheckContext): Finding => readWorkload(ctx).finding;

/** What the level rule found, with the numbers the DEQAR rule needs. */
export interface LevelReading {
  finding: Finding;
  eqf?: number;
  qfEhea?: QfEheaCycle;
}

/**
 * Level: the EQF level (1–8), NQF levels and/or the QF-EHEA cycle of the first specification stating any. An EQF
 * level outside 1–8, or a QF-EHEA level naming no cycle, is invalid.
 */
export function readLevel({ specs }: CheckContext): LevelReading {
  for (const { spec, at } of specs) {
    const { eqfLevel, nqfLevels, qfEheaLevel } = spec;
    if (!eqfLevel && nqfLevels.length === 0 && !qfEheaLevel) continue;
    const eqf = eqfLevel ? eqfNumberOf(eqfLevel) : undefined;
    if (eqfLevel && (eqf === undefined || eqf < 1 || eqf > 8)) {
      const shown = eqf === undefined ? `"${conceptLabel(eqfLevel)}"` : String(eqf);
      return {
        finding: {
          status: "invalid",
          at: [`${at}/eqfLevel`],
          value: `EQF ${eqf ?? conceptLabel(eqfLevel)}`,
          detail: `EQF level ${shown} is not a level 1–8`,
        },
      };
    }
    const cycle = qfEheaLevel ? qfEheaCycleOf(qfEheaLevel) : undefined;
    if (qfEheaLevel && cycle === undefined) {
      return {
        finding: {
          status: "invalid",
          at: [`${at}/qfEheaLevel`],
          value: conceptLabel(qfEheaLevel),
          detail: `QF-EHEA level "${conceptLabel(qfEheaLevel)}" names no cycle (short, first, second, third)`,
        },
        ...(eqf === undefined ? {} : { eqf }),
      };
    }
    const parts = [
      ...(eqf === undefined ? [] : [`EQF ${eqf}`]),
      ...labels(nqfLevels).map((l) => `NQF ${l}`),
      ...(cycle === undefined ? [] : [`QF-EHEA ${cycle} cycle`]),
    ];
    const first: string = eqfLevel ? "eqfLevel" : cycle ? "qfEheaLevel" : "nqfLevels";
    return {
      finding: { status: "present", at: [`${at}/${first}`], value: parts.join(", ") },
      ...(eqf === undefined ? {} : { eqf }),
      ...(cycle === undefined ? {} : { qfEhea: cycle }),
    };
  }
  return { finding: missing("no EQF, NQF or QF-EHEA level on the specification") };
}

/** The level element's finding (see {@link readLevel}). */
export const level = (ctx: CheckContext): Finding => readLevel(ctx).finding;

/**
 * Type of assessment: the type (`dcType`) of an assessment's specification; failing that, the title of an assessment
 * specification or of the assessment itself (ELM requires every assessment to have a title, which names what it was).
 */
export function assessmentType({ assessments }: CheckContext): Finding {
  for (const { claim, at } of assessments) {
    const types = claim.specification?.types ?? [];
    if (types.length > 0)
      return { status: "present", at: [`${at}/specification/types`], value: labels(types).join(", ") };
  }
  for (const { claim, at } of assessments) {
    const detail = "no assessment type: the assessment's title stands for it";
    if (claim.specification && hasText(claim.specification.title)) {
      return { status: "present", at: [`${at}/specification/title`], value: textOf(claim.specification.title), detail };
    }
    if (hasText(claim.title)) return { status: "present", at: [`${at}/title`], value: textOf(claim.title), detail };
  }
  return missing("no assessment (provenBy) with a type or a title");
}

/**
 * Form of participation: the specification's modes of learning (online, blended, presential…), else the modes of the
 * learning activities behind the claim, else the learning setting (formal, non-formal). `value.from` says which.
 */
export function participationForm({ specs, activities }: CheckContext): Finding {
  for (const { spec, at } of specs) {
    if (spec.modes.length > 0) {
      return { status: "present", at: [`${at}/modes`], value: { form: labels(spec.modes), from: "specification" } };
    }
  }
  for (const { claim, at } of activities) {
    const modes = claim.specification?.modes ?? [];
    if (modes.length > 0) {
      return { status: "present", at: [`${at}/specification/modes`], value: { form: labels(modes), from: "activity" } };
    }
  }
  for (const { spec, at } of specs) {
    if (spec.learningSettings.length > 0) {
      return {
        status: "present",
        at: [`${at}/learningSettings`],
        value: { form: labels(spec.learningSettings), from: "learning setting" },
      };
    }
  }
  return missing("no mode of learning on the specification or its activities, and no learning setting");
}

/** An accreditation as a person reads it: what (type or title), by whom, and its id or report. */
function describeAccreditation(a: Accreditation): string {
  const what = textOf(a.title) ?? (a.types[0] ? conceptLabel(a.types[0]) : "accreditation");
  const agent = textOf(a.accreditingAgent?.legalName);
  const ref = a.id ?? a.landingPage ?? a.report;
  return `${what}${agent ? ` by ${agent}` : ""}${ref ? ` (${ref})` : ""}`;
}

/**
 * Type of quality assurance: accreditations of the specification (programme QA), else of the awarding body
 * (institutional QA), else those the credential carries as evidence (the ELM "Accredited" profile).
 */
export function qualityAssurance({ specs, claims, credential }: CheckContext): Finding {
  const found = (accreditations: Accreditation[], at: string, from: string): Finding => ({
    status: "present",
    at: [at],
    value: { accreditations: accreditations.map(describeAccreditation), from },
  });
  for (const { spec, at } of specs) {
    if (spec.accreditations.length > 0) return found(spec.accreditations, `${at}/accreditations`, "specification");
  }
  for (const { claim, at } of claims) {
    for (const [k, body] of claim.awardingBodies.entries()) {
      if (body.accreditations.length > 0) {
        return found(body.accreditations, `${at}/awardingBodies/${k}/accreditations`, "awarding body");
      }
    }
  }
  // The issuer's own accreditation (an institutional audit, a DEQAR report) is the provider's quality assurance.
  const issuerAccreditations = credential.issuer?.accreditations ?? [];
  if (issuerAccreditations.length > 0) return found(issuerAccreditations, "/issuer/accreditations", "issuer");
  for (const [k, e] of credential.evidence.entries()) {
    if (e.accreditations.length > 0) return found(e.accreditations, `/evidence/${k}/accreditations`, "evidence");
  }
  return missing("no accreditation on the specification, the awarding body, the issuer or the evidence");
}

/** Prerequisites (optional): the specification's entry requirement. */
export function prerequisites({ specs }: CheckContext): Finding {
  for (const { spec, at } of specs) {
    const text = textOf(spec.entryRequirement);
    if (text !== undefined) return { status: "present", at: [`${at}/entryRequirement`], value: excerpt(text) };
  }
  return missing("no entry requirement on the specification");
}

/** Supervision and identity verification (optional): an assessment's `idVerification`. */
export function supervisionAndIdVerification({ assessments }: CheckContext): Finding {
  for (const { claim, at } of assessments) {
    if (claim.idVerification) {
      return { status: "present", at: [`${at}/idVerification`], value: conceptLabel(claim.idVerification) };
    }
  }
  return missing("no supervision and identity verification on an assessment");
}

/** Grade (optional): an assessment's grade, else a claim's own grade or result (OB3 `result`). */
export function grade({ assessments, claims }: CheckContext): Finding {
  const graded: ClaimAt[] = [...assessments, ...claims];
  for (const { claim, at } of graded) {
    const value = claim.grade?.value;
    const g = value !== undefined && value.trim() !== "" ? value : textOf(claim.grade?.note);
    if (g !== undefined) return { status: "present", at: [`${at}/grade`], value: g };
  }
  for (const { claim, at } of graded) {
    const k = claim.results.findIndex((r) => r.value !== undefined && r.value.trim() !== "");
    const r = claim.results[k];
    if (r?.value !== undefined)
      return { status: "present", at: [`${at}/results/${k}`, `${at}/results`], value: r.value };
  }
  return missing("no grade or result");
}

/**
 * Integration / stackability (optional): there is no dedicated ELM field, so whether the specification says it is a
 * partial qualification or not, and the parts, wholes and entitlements of the specification or the claim.
 */
export function stackability({ claims }: CheckContext): Finding {
  for (const { claim, at } of claims) {
    const spec = claim.specification;
    const facts: { name: string; value: boolean | number; at: string }[] = [];
    if (spec?.isPartialQualification !== undefined) {
      const name = "isPartialQualification";
      facts.push({ name, value: spec.isPartialQualification, at: `${at}/specification/${name}` });
    }
    for (const name of ["hasPart", "isPartOf", "entitlesTo"] as const) {
      const onSpec = spec?.[name].length ?? 0;
      if (onSpec > 0) facts.push({ name, value: onSpec, at: `${at}/specification/${name}` });
      if (claim[name].length > 0) facts.push({ name, value: claim[name].length, at: `${at}/${name}` });
    }
    const first = facts[0];
    if (!first) continue;
    const value: Record<string, boolean | number> = {};
    for (const f of facts) {
      const before = value[f.name];
      value[f.name] = typeof f.value === "number" && typeof before === "number" ? before + f.value : f.value;
    }
    return { status: "present", at: [first.at], value };
  }
  return missing("not stated whether it is a partial qualification, and no parts, wholes or entitlements");
}

/**
 * Further information (optional): additional notes, supplementary documents and homepages of a specification or a
 * claim, and the credential's own notes. The value counts each kind; the path points at the first found.
 */
export function furtherInformation({ claims, credential }: CheckContext): Finding {
  const sources: [string, number][] = [];
  const counts = { additionalNotes: 0, supplementaryDocuments: 0, homepages: 0 };
  for (const { claim, at } of claims) {
    const spec = claim.specification;
    const add = (kind: keyof typeof counts, n: number, pointer: string): void => {
      counts[kind] += n;
      if (n > 0) sources.push([pointer, n]);
    };
    add("additionalNotes", spec?.additionalNotes.filter(hasText).length ?? 0, `${at}/specification/additionalNotes`);
    add(
      "supplementaryDocuments",
      spec?.supplementaryDocuments.length ?? 0,
      `${at}/specification/supplementaryDocuments`,
    );
    add("homepages", spec?.homepages.length ?? 0, `${at}/specification/homepages`);
    add("additionalNotes", claim.additionalNotes.filter(hasText).length, `${at}/additionalNotes`);
    add("supplementaryDocuments", claim.supplementaryDocuments.length, `${at}/supplementaryDocuments`);
  }
  const notes = credential.additionalNotes.filter(hasText).length;
  counts.additionalNotes += notes;
  if (notes > 0) sources.push(["/additionalNotes", notes]);
  const first = sources[0];
  if (!first) return missing("no additional notes, supplementary documents or homepages");
  const value = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  return { status: "present", at: [first[0]], value };
}
