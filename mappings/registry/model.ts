/**
 * The quality-assurance registry model: what the gateway keeps of DEQAR (EQAR's Database of External Quality
 * Assurance Results) and of the Europass / QDR accreditation data, in one shape whatever the source (DEQAR Web API
 * JSON, the EDC accreditation JSON, QDR XML). Facts: research/local.md §5.1–5.2. Pure: no I/O.
 *
 * Identifiers (research/local.md §5.1): a DEQAR provider is `DEQARINST` + a zero-padded number (4 digits in every
 * observed example; the Web API uses the bare number, linked data `https://data.deqar.eu/institution/{n}`); reports
 * are `https://data.deqar.eu/report/{id}`; "other identifiers" are (resource, value) pairs: `SCHAC`, `Erasmus`,
 * `Erasmus-Charter`, `EU-PIC`, `EU-VAT`, `DID-EBSI`, `ETER`, national resources...
 */
import countries from "i18n-iso-countries";
import type { ReadIssue } from "../model.js";

/** QF-EHEA cycles as the registry records an institution's levels (DEQAR: short cycle = EQF 5 ... third = EQF 8). */
export type QfEheaLevel = "short" | "first" | "second" | "third";

/** Where a registry record was read from. */
export type RegistrySource = "deqar-api" | "deqar-json" | "elm-accreditation" | "qdr-xml";

/** An identifier of an institution: DEQAR's (resource, value) pair; `resource` is e.g. `SCHAC`, `EU-PIC`, `ETER`. */
export interface RegistryIdentifier {
  resource: string;
  value: string;
}

/** A higher education institution or other provider. */
export interface RegistryInstitution {
  /** The registry's key: the DEQAR id (`DEQARINST0382`) or, for an organisation known only from QDR, `QDR:{id}`. */
  key: string;
  /** `DEQARINST` + number; absent for organisations DEQAR does not list. */
  deqarId?: string;
  eterId?: string;
  /** Official name first, then English, primary, acronyms and alternative names; each once. */
  names: string[];
  /** ISO 3166-1 alpha-2 codes of the countries of its legal seat(s). */
  countries: string[];
  identifiers: RegistryIdentifier[];
  website?: string;
  /** The QF-EHEA levels DEQAR records for it (ETER or the agency). */
  qfEheaLevels: QfEheaLevel[];
  sources: RegistrySource[];
}

/** A quality assurance agency (DEQAR lists only agencies registered on EQAR, i.e. reviewed against the ESG). */
export interface RegistryAgency {
  id: string;
  acronym?: string;
  name: string;
  country?: string;
  website?: string;
}

/** One external quality assurance report (a DEQAR report, or the Europass accreditation exported from one). */
export interface RegistryReport {
  /** DEQAR report id (numeric, as a string) or the accreditation's own id. */
  id: string;
  /** The DEQAR permalink `https://data.deqar.eu/report/{id}` (EDC uses it as the accreditation's landing page). */
  url: string;
  /** Registry keys of the institutions the report covers. */
  institutionKeys: string[];
  agency?: { id?: string; acronym?: string; name?: string };
  /** The ESG activity (`Institutional evaluation`, `Programme accreditation`) and its type. */
  activity?: string;
  activityType?: "institutional" | "programme" | "joint programme" | "institutional/programme" | string;
  /** `part of obligatory EQA system` or `voluntary`. */
  status?: string;
  /** `positive`, `positive with conditions or restrictions`, `negative`, `not applicable`. */
  decision?: string;
  validFrom?: string;
  validTo?: string;
  /** Report files and links (agency site, PDF). */
  links: string[];
  /** Names of the programmes a programme-level report covers. */
  programmes: string[];
  sources: RegistrySource[];
}

/** What one registry document holds. */
export interface RegistryData {
  institutions: RegistryInstitution[];
  agencies: RegistryAgency[];
  reports: RegistryReport[];
}

export type RegistryReadResult =
  | { ok: true; value: RegistryData; warnings: ReadIssue[] }
  | { ok: false; issues: ReadIssue[] };

/** DEQAR's rule for reports without an end date: valid for six years from `valid_from` (research/local.md §5.1). */
export const DEFAULT_VALIDITY_YEARS = 6;

const DEQAR_ID = /^DEQARINST(\d{1,9})$/i;
const DEQAR_URI = /^https?:\/\/data\.deqar\.eu\/institution\/(\d{1,9})\/?$/i;

/** `DEQARINST` + the number zero-padded to 4 digits, as DEQAR writes it. */
export const deqarIdOf = (n: number | string): string => `DEQARINST${String(Number(n)).padStart(4, "0")}`;

/**
 * The DEQAR id a value names, when it is one: `DEQARINST0382`, `https://data.deqar.eu/institution/382`, or (with
 * `bareNumber`) the Web API's numeric id.
 */
export function deqarIdIn(value: unknown, bareNumber = false): string | undefined {
  if (typeof value === "number" && bareNumber && Number.isSafeInteger(value) && value > 0) return deqarIdOf(value);
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const m = DEQAR_ID.exec(text) ?? DEQAR_URI.exec(text) ?? (bareNumber ? /^(\d{1,9})$/.exec(text) : null);
  return m?.[1] ? deqarIdOf(m[1]) : undefined;
}

/** The DEQAR permalink of a report. */
export const reportUrlOf = (id: string | number): string => `https://data.deqar.eu/report/${id}`;

/** An institution's DEQAR linked-data URI. */
export const institutionUriOf = (deqarId: string): string =>
  `https://data.deqar.eu/institution/${Number(deqarId.replace(/^DEQARINST/i, ""))}`;

/**
 * A name as compared for matching: Unicode-decomposed without diacritics, lower case, punctuation as spaces, and
 * spaces collapsed — "Universität  Wien" and "universitat wien" compare equal; words are kept in their order.
 */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** An identifier value as compared: upper case, without white space (Erasmus codes are padded with spaces). */
export const normaliseIdentifier = (value: string): string => value.replace(/\s+/g, "").toUpperCase();

/** A SCHAC home organisation (a DNS domain) as compared: lower case, no scheme, path or leading `www.`. */
export function normaliseSchac(value: string): string | undefined {
  let text = value.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    if (!URL.canParse(text)) return undefined;
    text = new URL(text).hostname;
  }
  text = text.replace(/^www\./, "").replace(/\.$/, "");
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(text) ? text : undefined;
}

/** A country as ISO 3166-1 alpha-2: from alpha-2, alpha-3, an EU authority URI or an English name; else undefined. */
export function countryCodeOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const tail = /\/country\/([A-Za-z]{3})$/.exec(text)?.[1] ?? text;
  if (/^[A-Za-z]{2}$/.test(tail)) return countries.isValid(tail.toUpperCase()) ? tail.toUpperCase() : undefined;
  if (/^[A-Za-z]{3}$/.test(tail)) return countries.alpha3ToAlpha2(tail.toUpperCase());
  // DEQAR sub-systems (BE-fl, UK-ENG) name a country first.
  const sub = /^([A-Za-z]{2})-[A-Za-z]{2,3}$/.exec(tail)?.[1];
  if (sub) return sub.toUpperCase() === "UK" ? "GB" : countryCodeOf(sub);
  return countries.getAlpha2Code(text, "en");
}

/** DEQAR's names of the QF-EHEA levels (`first cycle`, `short cycle`) and numbers 0–3, as {@link QfEheaLevel}. */
export function qfEheaLevelOf(value: unknown): QfEheaLevel | undefined {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim().toLowerCase() : "";
  const byNumber: Record<string, QfEheaLevel> = { "0": "short", "1": "first", "2": "second", "3": "third" };
  if (byNumber[text]) return byNumber[text];
  const m = /^(short|first|second|third)(\s+cycle)?/.exec(text);
  return m?.[1] as QfEheaLevel | undefined;
}

/** The lookups under which an institution can be found (see `RegistryStore`): identifiers, SCHAC codes, names. */
export type RegistryLookup =
  | { kind: "identifier"; value: string }
  | { kind: "schac"; value: string }
  | { kind: "name"; name: string; country: string };

/** The one string key of a lookup, as the store indexes it. */
export function lookupKeyOf(lookup: RegistryLookup): string | undefined {
  switch (lookup.kind) {
    case "identifier": {
      const v = normaliseIdentifier(lookup.value);
      return v === "" ? undefined : `ID#${v}`;
    }
    case "schac": {
      const v = normaliseSchac(lookup.value);
      return v === undefined ? undefined : `SCHAC#${v}`;
    }
    case "name": {
      const name = normaliseName(lookup.name);
      const country = countryCodeOf(lookup.country);
      return name === "" || !country ? undefined : `NAME#${country}#${name}`;
    }
  }
}

/** Every lookup key of an institution: each identifier (and its ETER and DEQAR ids), SCHAC code, and name × country. */
export function lookupKeysOf(institution: RegistryInstitution): string[] {
  const lookups: RegistryLookup[] = [
    ...institution.identifiers.map((i): RegistryLookup => ({ kind: "identifier", value: i.value })),
    ...institution.identifiers
      .filter((i) => i.resource.toUpperCase() === "SCHAC")
      .map((i): RegistryLookup => ({ kind: "schac", value: i.value })),
    ...(institution.eterId ? [{ kind: "identifier", value: institution.eterId } as const] : []),
    ...(institution.deqarId ? [{ kind: "identifier", value: institution.deqarId } as const] : []),
    ...institution.names.flatMap((name) =>
      institution.countries.map((country): RegistryLookup => ({ kind: "name", name, country })),
    ),
  ];
  return [...new Set(lookups.flatMap((l) => lookupKeyOf(l) ?? []))];
}

const union = <T>(a: readonly T[], b: readonly T[], key: (t: T) => string = String): T[] => {
  const seen = new Map<string, T>();
  for (const t of [...a, ...b]) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
};

/**
 * Merges what two sources say of one institution: the newer record's scalars win where it has them, lists are joined.
 * Why: the EDC accreditation export names an institution by its DEQAR id and one name only, the Web API has its
 * identifiers; an import of either must not erase what the other brought.
 */
export function mergeInstitution(older: RegistryInstitution, newer: RegistryInstitution): RegistryInstitution {
  const eterId = newer.eterId ?? older.eterId;
  const deqarId = newer.deqarId ?? older.deqarId;
  const website = newer.website ?? older.website;
  return {
    key: newer.key,
    ...(deqarId ? { deqarId } : {}),
    ...(eterId ? { eterId } : {}),
    names: union(newer.names, older.names, normaliseName),
    countries: union(newer.countries, older.countries),
    identifiers: union(newer.identifiers, older.identifiers, (i) => `${i.resource}#${normaliseIdentifier(i.value)}`),
    ...(website ? { website } : {}),
    qfEheaLevels: union(newer.qfEheaLevels, older.qfEheaLevels),
    sources: union(newer.sources, older.sources),
  };
}

/** Merges two records of one report (see {@link mergeInstitution}). */
export function mergeReport(older: RegistryReport, newer: RegistryReport): RegistryReport {
  return {
    ...older,
    ...newer,
    institutionKeys: union(newer.institutionKeys, older.institutionKeys),
    links: union(newer.links, older.links),
    programmes: union(newer.programmes, older.programmes),
    sources: union(newer.sources, older.sources),
  };
}

/** The last day a report is valid: its `validTo`, else {@link DEFAULT_VALIDITY_YEARS} after `validFrom`. */
export function reportValidTo(report: RegistryReport): string | undefined {
  if (report.validTo) return report.validTo;
  if (!report.validFrom || Number.isNaN(Date.parse(report.validFrom))) return undefined;
  const from = new Date(report.validFrom);
  from.setUTCFullYear(from.getUTCFullYear() + DEFAULT_VALIDITY_YEARS);
  return from.toISOString().slice(0, 10);
}

/** Whether a report was valid on `at` (an unknown start counts as valid; an unknown end as DEQAR's 6 years). */
export function reportValidAt(report: RegistryReport, at: Date): boolean {
  const day = at.toISOString().slice(0, 10);
  const from = report.validFrom?.slice(0, 10);
  const to = reportValidTo(report)?.slice(0, 10);
  return (from === undefined || from <= day) && (to === undefined || day <= to);
}

/** Whether a report's decision is not negative (DEQAR decision 3). */
export const positiveReport = (report: RegistryReport): boolean =>
  report.decision === undefined || !/^negative/i.test(report.decision.trim());

/**
 * One record per institution key, report id and agency id, merged ({@link mergeInstitution}, {@link mergeReport}) in
 * document order: a QDR or accreditation export repeats an institution for each of its accreditations, and the
 * import counts and stores each institution once.
 */
export function dedupeRegistryData(data: RegistryData): RegistryData {
  const institutions = new Map<string, RegistryInstitution>();
  for (const i of data.institutions) {
    const known = institutions.get(i.key);
    institutions.set(i.key, known ? mergeInstitution(known, i) : i);
  }
  const reports = new Map<string, RegistryReport>();
  for (const r of data.reports) {
    const known = reports.get(r.id);
    reports.set(r.id, known ? mergeReport(known, r) : r);
  }
  const agencies = new Map<string, RegistryAgency>();
  for (const a of data.agencies) agencies.set(a.id, { ...agencies.get(a.id), ...a });
  return { institutions: [...institutions.values()], reports: [...reports.values()], agencies: [...agencies.values()] };
}

/** An empty registry document. */
export const emptyRegistryData = (): RegistryData => ({ institutions: [], agencies: [], reports: [] });
