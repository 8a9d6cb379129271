/**
 * Matching an awarding body to its registry institution, and saying how: by DEQAR id, by a legal (or other)
 * identifier, by SCHAC code (stated, or the home page's domain, which is what a SCHAC home organisation is), or by
 * name and country. The strongest evidence is tried first; a lookup answering several institutions is ambiguous and
 * not taken (a shared name is no identification).
 */
import type { AwardingBodyRef } from "../../../mappings/registry/body.js";
import {
  deqarIdIn,
  normaliseName,
  normaliseSchac,
  type RegistryInstitution,
  type RegistryLookup,
} from "../../../mappings/registry/model.js";
import type { RegistryStore } from "./store.js";

export type MatchMethod = "deqar-id" | "legal-identifier" | "schac" | "name-country";

export interface RegistryMatch {
  institution: RegistryInstitution;
  method: MatchMethod;
  /** What matched, in words: `SCHAC code "uniz.edu" (the home page's domain)`. */
  on: string;
}

export type MatchOutcome =
  | { matched: true; match: RegistryMatch }
  | { matched: false /** What was tried and why nothing was taken. */; tried: string[] };

type Finder = Pick<RegistryStore, "getInstitution" | "findInstitutions">;

/** Finds the registry institution of an awarding body (see the module comment for the order). */
export async function matchAwardingBody(registry: Finder, body: AwardingBodyRef): Promise<MatchOutcome> {
  const tried: string[] = [];
  const values = [body.id, ...body.identifiers.map((i) => i.value)].filter((v): v is string => !!v);

  for (const value of values) {
    const deqarId = deqarIdIn(value);
    if (!deqarId) continue;
    const institution = await registry.getInstitution(deqarId);
    if (institution) return hit(institution, "deqar-id", `DEQAR id ${deqarId}`);
    tried.push(`DEQAR id ${deqarId}: not in the registry`);
  }

  const countryOk = (i: RegistryInstitution) =>
    body.countries.length === 0 || i.countries.length === 0 || i.countries.some((c) => body.countries.includes(c));

  const identifiers = body.identifiers.filter((i) => !/schac/i.test(i.scheme ?? "") && !deqarIdIn(i.value));
  for (const { value, scheme } of identifiers) {
    const found = unique((await registry.findInstitutions({ kind: "identifier", value })).filter(countryOk));
    const label = `${scheme ? `${scheme} ` : ""}identifier "${value}"`;
    if (found.length === 1) return hit(found[0] as RegistryInstitution, "legal-identifier", label);
    tried.push(`${label}: ${found.length === 0 ? "no institution" : `${found.length} institutions`}`);
  }

  const schacs: { value: string; from: string }[] = [
    ...body.schac.map((value) => ({ value, from: "" })),
    ...body.homepages.flatMap((h) => {
      const value = normaliseSchac(h);
      return value ? [{ value, from: " (the home page's domain)" }] : [];
    }),
  ];
  for (const { value, from } of schacs) {
    const lookup: RegistryLookup = { kind: "schac", value };
    const found = unique(await registry.findInstitutions(lookup));
    const label = `SCHAC code "${normaliseSchac(value) ?? value}"${from}`;
    if (found.length === 1) return hit(found[0] as RegistryInstitution, "schac", label);
    tried.push(`${label}: ${found.length === 0 ? "no institution" : `${found.length} institutions`}`);
  }

  for (const country of body.countries) {
    for (const name of body.names) {
      if (normaliseName(name) === "") continue;
      const found = unique(await registry.findInstitutions({ kind: "name", name, country }));
      const label = `name "${name}" in ${country}`;
      if (found.length === 1) return hit(found[0] as RegistryInstitution, "name-country", label);
      tried.push(`${label}: ${found.length === 0 ? "no institution" : `${found.length} institutions (ambiguous)`}`);
    }
  }
  if (body.countries.length === 0 && body.names.length > 0) tried.push("no country: a name alone is not matched");
  if (tried.length === 0) tried.push("the awarding body has no id, identifier, SCHAC code, home page or name");
  return { matched: false, tried };
}

const hit = (institution: RegistryInstitution, method: MatchMethod, on: string): MatchOutcome => ({
  matched: true,
  match: { institution, method, on },
});

const unique = (found: RegistryInstitution[]): RegistryInstitution[] => [
  ...new Map(found.map((i) => [i.key, i] as const)).values(),
];
