/**
 * What the registry match looks at in an awarding body, gathered from the canonical model (or from a verifier's
 * trust subject): ids, legal identifiers with their schemes, SCHAC codes, names and countries, home pages. Pure.
 */
import type { Organisation } from "../model.js";
import { countryCodeOf } from "./model.js";

/** An awarding body as the registry match sees it. */
export interface AwardingBodyRef {
  id?: string;
  /** Legal and other identifiers, with their scheme (`SCHAC`, `Erasmus`, `EU-PIC`, `eIDAS`...) when known. */
  identifiers: { value: string; scheme?: string }[];
  /** SCHAC home organisation codes stated as such. */
  schac: string[];
  names: string[];
  /** ISO 3166-1 alpha-2. */
  countries: string[];
  homepages: string[];
}

/** The {@link AwardingBodyRef} of a canonical organisation. */
export function bodyRefOf(org: Organisation): AwardingBodyRef {
  const identifiers = org.identifiers.map((i) => ({ value: i.value, ...(i.scheme ? { scheme: i.scheme } : {}) }));
  const countries = new Set<string>();
  for (const loc of org.locations) {
    const c = loc.address?.country ? countryCodeOf(loc.address.country) : undefined;
    if (c) countries.add(c);
  }
  for (const i of org.identifiers) {
    const c = i.country ? countryCodeOf(i.country) : undefined;
    if (c) countries.add(c);
  }
  return {
    ...(org.id ? { id: org.id } : {}),
    identifiers,
    schac: identifiers.filter((i) => /schac/i.test(i.scheme ?? "")).map((i) => i.value),
    names: [...new Set([...Object.values(org.legalName), ...org.altNames.flatMap((m) => Object.values(m))])].filter(
      (n) => n.trim() !== "",
    ),
    countries: [...countries],
    homepages: org.homepages,
  };
}

/** The {@link AwardingBodyRef} of a trust subject's awarding body (`functions/core/trust/trust.ts`). */
export function bodyRefOfSubject(body: {
  id?: string;
  legalIdentifier?: string;
  schac?: string;
  name?: string;
  country?: string;
}): AwardingBodyRef {
  const country = body.country ? countryCodeOf(body.country) : undefined;
  return {
    ...(body.id ? { id: body.id } : {}),
    identifiers: body.legalIdentifier ? [{ value: body.legalIdentifier }] : [],
    schac: body.schac ? [body.schac] : [],
    names: body.name ? [body.name] : [],
    countries: country ? [country] : [],
    homepages: [],
  };
}
