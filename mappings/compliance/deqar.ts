/**
 * DEQAR's micro-credential rule (EQAR's Database of External Quality Assurance Results, research/local.md §5.1, §6.3):
 * a programme is listed as a "Micro-credential" when it is no full degree, its workload is 1–59 ECTS, and it states
 * its type of assessment and its level (EQF 5–8 / QF-EHEA short, first, second or third cycle).
 */
import { parsePoints, type Specification } from "../model.js";
import type { LevelReading, WorkloadReading } from "./annex1-rules.js";
import type { CheckContext } from "./context.js";
import { cycleOfEqf, eqfNumberOf, isEcts, isEducationalProgramme, textOf } from "./values.js";

/** The DEQAR verdict: eligible when every condition holds; `reasons` names each one that does not, in plain words. */
export interface DeqarResult {
  eligible: boolean;
  reasons: string[];
  ects?: number;
  level?: { eqf?: number; qfEhea?: string };
  fullDegree: boolean;
  assessmentType: boolean;
}

/** DEQAR's smallest and largest micro-credential workload, in ECTS. */
export const DEQAR_ECTS = { min: 1, max: 59 } as const;

/** A bachelor's degree in the EHEA is 180–240 ECTS: from 180 ECTS a non-partial qualification is a full degree. */
export const FULL_DEGREE_ECTS = 180;

/** A qualification declared whole (`isPartialQualification: false`) of a year's study or more is a full degree. */
export const WHOLE_QUALIFICATION_ECTS = 60;

/**
 * Why a specification is a full degree, or undefined when it is not one. The credential does not say "degree", so
 * this is a heuristic on what it does say; only a qualification (ELM `Qualification`) not declared partial can be one:
 * - it has {@link FULL_DEGREE_ECTS} ECTS or more; or
 * - it is declared whole (`isPartialQualification: false`) with {@link WHOLE_QUALIFICATION_ECTS} ECTS or more; or
 * - it states no ECTS, is at EQF 6 or above and is typed an "Educational programme" (a whole programme, where a module
 *   or course would be typed otherwise).
 */
export function fullDegreeReason(spec: Specification): string | undefined {
  if (spec.kind !== "qualification" || spec.isPartialQualification === true) return undefined;
  const credit = spec.credits.find(isEcts);
  const ects = credit ? parsePoints(credit.points) : undefined;
  const name = textOf(spec.title) ? `"${textOf(spec.title)}"` : "the qualification";
  if (ects !== undefined) {
    if (ects >= FULL_DEGREE_ECTS) return `${name} is a full degree: a qualification of ${ects} ECTS`;
    if (spec.isPartialQualification === false && ects >= WHOLE_QUALIFICATION_ECTS) {
      return `${name} is a full degree: a whole (not partial) qualification of ${ects} ECTS`;
    }
    return undefined;
  }
  const eqf = spec.eqfLevel ? eqfNumberOf(spec.eqfLevel) : undefined;
  if (eqf !== undefined && eqf >= 6 && spec.types.some(isEducationalProgramme)) {
    return `${name} is a full degree: an educational programme at EQF ${eqf} with no ECTS stated`;
  }
  return undefined;
}

/**
 * Applies DEQAR's rule to what the Annex I rules read (so the two never disagree on the ECTS or the level): no full
 * degree among the claims' qualifications, ECTS within {@link DEQAR_ECTS}, an assessment type, and a level.
 */
export function checkDeqar(
  { specs }: CheckContext,
  read: { workload: WorkloadReading; level: LevelReading; assessed: boolean },
): DeqarResult {
  const reasons: string[] = [];

  const degrees = specs.flatMap(({ spec }) => fullDegreeReason(spec) ?? []);
  reasons.push(...degrees);

  const { ects } = read.workload;
  if (ects === undefined) {
    reasons.push(
      read.workload.finding.status === "invalid"
        ? "the ECTS credit points are not a number"
        : `no workload in ECTS: DEQAR needs ${DEQAR_ECTS.min}–${DEQAR_ECTS.max} ECTS`,
    );
  } else if (ects < DEQAR_ECTS.min) {
    reasons.push(`${ects} ECTS is less than ${DEQAR_ECTS.min} ECTS`);
  } else if (ects > DEQAR_ECTS.max) {
    reasons.push(
      `${ects} ECTS is more than ${DEQAR_ECTS.max} ECTS: DEQAR lists 60 ECTS or more as "other provision", not a micro-credential`,
    );
  }

  const { assessed } = read;
  if (!assessed) reasons.push("no type of assessment");

  const { eqf, qfEhea } = read.level;
  const levelOk = (eqf !== undefined && eqf >= 5 && eqf <= 8) || qfEhea !== undefined;
  if (!levelOk) {
    if (read.level.finding.status === "invalid") reasons.push(`the level is invalid: ${read.level.finding.detail}`);
    else if (eqf !== undefined) reasons.push(`EQF ${eqf} is outside EQF 5–8 and no QF-EHEA cycle is given`);
    else reasons.push("no level: DEQAR needs EQF 5–8 or a QF-EHEA cycle (short, first, second, third)");
  }
  const cycle = qfEhea ?? (eqf === undefined ? undefined : cycleOfEqf(eqf));
  const level =
    eqf === undefined && cycle === undefined
      ? undefined
      : { ...(eqf === undefined ? {} : { eqf }), ...(cycle === undefined ? {} : { qfEhea: cycle }) };

  return {
    eligible: reasons.length === 0,
    reasons,
    ...(ects === undefined ? {} : { ects }),
    ...(level === undefined ? {} : { level }),
    fullDegree: degrees.length > 0,
    assessmentType: assessed,
  };
}
