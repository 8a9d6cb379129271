/**
 * The registry's view of a credential's awarding body, for the micro-credential check: which DEQAR institution it is
 * (and how that was found), the quality-assurance reports valid for it now, and what that changes in the Annex I
 * report — `qualityAssurance` filled from the registry when the credential names none, and DEQAR's micro-credential
 * rule told whether the registry lists the institution at the credential's level.
 */
import type { Annex1Report, DeqarResult, ElementResult } from "../../../mappings/compliance/annex1.js";
import { contextOf } from "../../../mappings/compliance/context.js";
import type { CanonicalCredential } from "../../../mappings/model.js";
import { type AwardingBodyRef, bodyRefOf } from "../../../mappings/registry/body.js";
import {
  positiveReport,
  type QfEheaLevel,
  type RegistryInstitution,
  type RegistryReport,
  reportValidAt,
  reportValidTo,
} from "../../../mappings/registry/model.js";
import { type MatchMethod, matchAwardingBody } from "./match.js";
import type { RegistryStore } from "./store.js";

export type RegistryReader = Pick<RegistryStore, "getInstitution" | "findInstitutions" | "reportsOf">;

/** A report as the check shows it. */
export interface ReportSummary {
  id: string;
  url: string;
  agency?: string;
  activity?: string;
  activityType?: string;
  decision?: string;
  validFrom?: string;
  validTo?: string;
  links: string[];
}

/** What the registry says of a credential's awarding body. */
export interface RegistryView {
  matched: boolean;
  institution?: {
    key: string;
    deqarId?: string;
    name?: string;
    countries: string[];
    qfEheaLevels: QfEheaLevel[];
  };
  match?: { method: MatchMethod; on: string };
  /** Without a match: what was tried. */
  tried?: string[];
  /** Reports valid now and not negative, institutional ones first, newest first. */
  reports: ReportSummary[];
  /** DEQAR lists only reports of EQAR-registered agencies, i.e. external QA against the ESG. */
  esgReviewed: boolean;
}

/** The registry's view of the first awarding body (main claim first) that matches an institution. */
export async function registryViewOf(
  registry: RegistryReader,
  credential: CanonicalCredential,
  now: Date,
): Promise<RegistryView> {
  const bodies: AwardingBodyRef[] = [];
  const seen = new Set<string>();
  for (const { claim } of contextOf(credential).claims) {
    for (const body of claim.awardingBodies) {
      const ref = bodyRefOf(body);
      const key = JSON.stringify(ref);
      if (!seen.has(key)) {
        seen.add(key);
        bodies.push(ref);
      }
    }
  }
  return viewOfBodies(registry, bodies, now);
}

/** The registry's view of the first of `bodies` that matches (shared by the check and the DEQAR trust source). */
export async function viewOfBodies(
  registry: RegistryReader,
  bodies: AwardingBodyRef[],
  now: Date,
): Promise<RegistryView> {
  const tried: string[] = [];
  for (const body of bodies) {
    const outcome = await matchAwardingBody(registry, body);
    if (!outcome.matched) {
      tried.push(...outcome.tried);
      continue;
    }
    const { institution, method, on } = outcome.match;
    const reports = currentReports(await registry.reportsOf(institution.key), now);
    return {
      matched: true,
      institution: summaryOf(institution),
      match: { method, on },
      reports,
      esgReviewed: reports.length > 0,
    };
  }
  return {
    matched: false,
    tried: bodies.length === 0 ? ["the credential names no awarding body"] : tried,
    reports: [],
    esgReviewed: false,
  };
}

function summaryOf(i: RegistryInstitution): NonNullable<RegistryView["institution"]> {
  return {
    key: i.key,
    ...(i.deqarId ? { deqarId: i.deqarId } : {}),
    ...(i.names[0] ? { name: i.names[0] } : {}),
    countries: i.countries,
    qfEheaLevels: i.qfEheaLevels,
  };
}

function currentReports(reports: RegistryReport[], now: Date): ReportSummary[] {
  return reports
    .filter((r) => reportValidAt(r, now) && positiveReport(r))
    .sort(
      (a, b) =>
        Number(b.activityType === "institutional") - Number(a.activityType === "institutional") ||
        (b.validFrom ?? "").localeCompare(a.validFrom ?? ""),
    )
    .map((r) => {
      const validTo = reportValidTo(r);
      const agency = r.agency?.acronym ?? r.agency?.name;
      return {
        id: r.id,
        url: r.url,
        ...(agency ? { agency } : {}),
        ...(r.activity ? { activity: r.activity } : {}),
        ...(r.activityType ? { activityType: r.activityType } : {}),
        ...(r.decision ? { decision: r.decision } : {}),
        ...(r.validFrom ? { validFrom: r.validFrom } : {}),
        ...(validTo ? { validTo } : {}),
        links: r.links,
      };
    });
}

/** DEQAR's verdict with the registry's view of the institution. */
export type DeqarWithRegistry = DeqarResult & {
  registry: {
    matched: boolean;
    institution?: string;
    matchedBy?: MatchMethod;
    on?: string;
    qfEheaLevels: QfEheaLevel[];
    esgReviewed: boolean;
  };
};

/** An Annex I report the registry has been applied to. */
export type RegistryAnnex1Report = Omit<Annex1Report, "microCredential"> & {
  microCredential: Omit<Annex1Report["microCredential"], "deqar"> & { deqar: DeqarWithRegistry };
  registry: RegistryView;
};

const describe = (r: ReportSummary): string =>
  `${r.activity ?? "external quality assurance"}${r.agency ? ` by ${r.agency}` : ""} (${r.url})`;

/**
 * The Annex I report with the registry's view applied: a missing `qualityAssurance` becomes present with
 * `source: "registry"` when the awarding body's institution has a current report (the mandatory-element verdict
 * follows), and DEQAR's verdict gets the registry's view of the institution (`deqar.registry`), failing when the
 * registry lists the institution at QF-EHEA levels that do not include the credential's, or holds no current report.
 */
export function applyRegistryView(report: Annex1Report, view: RegistryView): RegistryAnnex1Report {
  const elements = report.elements.map((e): ElementResult => {
    if (e.element !== "qualityAssurance" || e.status !== "missing" || !view.matched) return e;
    const best = view.reports[0];
    if (!best || !view.institution) return e;
    const who = `${view.institution.deqarId ?? view.institution.key}${view.institution.name ? ` "${view.institution.name}"` : ""}`;
    return {
      element: e.element,
      required: e.required,
      status: "present",
      source: "registry",
      value: {
        accreditations: view.reports.map(describe),
        from: "registry",
        institution: view.institution.deqarId ?? view.institution.key,
        report: best.url,
      },
      detail:
        `the credential names no quality assurance; filled from the DEQAR registry: the awarding body is ${who} ` +
        `(matched by ${view.match?.on}), quality-assured by ${describe(best)}`,
    };
  });
  const mandatoryMissing = new Set(elements.filter((e) => e.required && e.status === "missing").map((e) => e.element));
  const missing = report.microCredential.missing.filter((m) => mandatoryMissing.has(m));
  const { deqar } = report.microCredential;
  const reasons = [...deqar.reasons];
  if (view.matched && view.institution) {
    const name = view.institution.name ?? view.institution.key;
    const cycle = deqar.level?.qfEhea as QfEheaLevel | undefined;
    const levels = view.institution.qfEheaLevels;
    if (cycle && levels.length > 0 && !levels.includes(cycle)) {
      reasons.push(
        `the DEQAR registry lists ${name} at the ${levels.join(", ")} cycle(s) only, not the ${cycle} cycle`,
      );
    }
    if (view.reports.length === 0) {
      reasons.push(`the DEQAR registry holds no current, non-negative quality assurance report for ${name}`);
    }
  }
  return {
    elements,
    microCredential: {
      ...report.microCredential,
      compliant: missing.length === 0 && report.microCredential.invalid.length === 0,
      missing,
      deqar: {
        ...deqar,
        eligible: reasons.length === 0,
        reasons,
        registry: {
          matched: view.matched,
          ...(view.institution ? { institution: view.institution.deqarId ?? view.institution.key } : {}),
          ...(view.match ? { matchedBy: view.match.method, on: view.match.on } : {}),
          qfEheaLevels: view.institution?.qfEheaLevels ?? [],
          esgReviewed: view.esgReviewed,
        },
      },
    },
    registry: view,
  };
}
