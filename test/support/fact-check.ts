/**
 * Judging a conversion against a fact sheet: each fact is right (its value at its place in the output), lost (a
 * loss whose path resolves in the source at or near the fact), wrong (its place holds another value, or the value
 * with another language) or missing (neither written nor reported).
 */
import type { Format } from "../../mappings/formats.js";
import { LOCATORS, leavesAt, SINGLE } from "./fact-locators.js";
import { type Fact, resolveInSource, type SourceTree } from "./facts.js";
import type { Leaf } from "./xml-tree.js";

export type Outcome = "right" | "lost" | "wrong" | "missing";

const norm = (s: string): string => s.replace(/\s+/g, " ").trim();
const DATE = /^\d{4}-\d{2}-\d{2}/;
const NUMBER = /^-?\d+(\.\d+)?$/;
/** An ISO 8601 date-time without a zone is read as UTC (the corpus' zone-less values are sample data). */
const instant = (s: string): number => Date.parse(/T.*(Z|[+-]\d{2}:?\d{2})$/.test(s) || !s.includes("T") ? s : `${s}Z`);

/** Whether two written values are the same value: text (whitespace collapsed), number, or point in time / day. */
export function sameValue(a: string, b: string): boolean {
  const x = norm(a);
  const y = norm(b);
  if (x === y) return true;
  if (NUMBER.test(x) && NUMBER.test(y)) return Number(x) === Number(y);
  if (DATE.test(x) && DATE.test(y)) {
    if (x.length === 10 || y.length === 10) return x.slice(0, 10) === y.slice(0, 10);
    return instant(x) === instant(y);
  }
  return false;
}

const matchesFact = (fact: Fact, leaf: Leaf): boolean =>
  [fact.value, ...(fact.same ?? [])].some((v) => sameValue(v, leaf.value));

/** A loss covers a fact when its path names the fact's node, a part of it, or one of its three nearest ancestors. */
function covers(lossTrails: string[][], factTrails: string[][]): boolean {
  for (const loss of lossTrails) {
    if (loss.length === 0) continue;
    for (const fact of factTrails) {
      const ancestor = loss.length <= fact.length && loss.every((s, i) => fact[i] === s);
      const descendant = fact.length <= loss.length && fact.every((s, i) => loss[i] === s);
      if ((ancestor && fact.length - loss.length <= 3) || descendant) return true;
    }
  }
  return false;
}

export interface Judged {
  outcome: Outcome;
  detail: string;
}

/** Judges one fact in one conversion result (several results: the fact may be in any of them). */
export function judge(
  fact: Fact,
  target: Format,
  results: { leaves: Leaf[]; losses: { path: string }[] }[],
  source: SourceTree,
): Judged {
  let wrongLang: string | undefined;
  let other: string | undefined;
  let placeValues = 0;
  for (const r of results) {
    const here = leavesAt(target, fact.kind, r.leaves) ?? [];
    for (const leaf of here) {
      if (!matchesFact(fact, leaf)) continue;
      if (fact.lang && leaf.lang && leaf.lang !== fact.lang && leaf.lang !== "und") {
        wrongLang = `${leaf.path} has it as ${leaf.lang}`;
        continue;
      }
      return { outcome: "right", detail: leaf.path };
    }
    placeValues += here.length;
    if (here.length > 0) other ??= `${here[0]?.path} = ${here[0]?.value}`;
  }
  if (wrongLang) return { outcome: "wrong", detail: wrongLang };
  const factTrails = resolveInSource(source, fact.at);
  for (const r of results) {
    for (const loss of r.losses) {
      if (covers(resolveInSource(source, loss.path), factTrails)) return { outcome: "lost", detail: loss.path };
    }
  }
  // One value where the source has this one: it was replaced. Several (ELMO's issuer identifiers): it is missing.
  if (other && SINGLE.has(fact.kind) && placeValues === 1) return { outcome: "wrong", detail: other };
  const place = LOCATORS[target]?.[fact.kind] ? "not at its place" : `${target} has no place for it`;
  return { outcome: "missing", detail: `${place}, and no loss points at ${fact.at}` };
}
