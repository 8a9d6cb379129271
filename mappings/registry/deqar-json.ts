/**
 * Reads DEQAR Web API v2 JSON (research/local.md §5.1; shapes from the DEQAR documentation's examples in
 * `corpus/registries/deqar/deqar-docs-web_api_examples.md`): an institution record (`/browse/institutions/{id}`,
 * `/by-identifier/...`), an institution search result, a report (`/browse/reports/{id}`), a report listing
 * (`/browse/reports/...`), a page `{count, results}` of any of those, an agency, or a bundle
 * `{institutions, agencies, reports}` of them (what a national body exports to import offline). Pure; never throws on
 * bad input: a record it cannot use is a warning with its path, a document with nothing usable an issue.
 */
import type { ReadIssue } from "../model.js";
import {
  countryCodeOf,
  deqarIdIn,
  emptyRegistryData,
  type QfEheaLevel,
  qfEheaLevelOf,
  type RegistryAgency,
  type RegistryData,
  type RegistryIdentifier,
  type RegistryInstitution,
  type RegistryReadResult,
  type RegistryReport,
  type RegistrySource,
  reportUrlOf,
} from "./model.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined;
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

/** Whether a JSON value looks like DEQAR Web API output (or a bundle of it). */
export function looksLikeDeqarJson(doc: unknown): boolean {
  if (Array.isArray(doc)) return doc.some((d) => isRecordKind(d) !== undefined);
  if (!isObject(doc)) return false;
  if (Array.isArray(doc.results)) return doc.results.some((d) => isRecordKind(d) !== undefined);
  if (["institutions", "reports", "agencies"].some((k) => Array.isArray(doc[k])) && !("agency_id" in doc)) return true;
  return isRecordKind(doc) !== undefined;
}

type Kind = "report" | "institution" | "agency";

function isRecordKind(v: unknown): Kind | undefined {
  if (!isObject(v)) return undefined;
  if ("agency_id" in v || "agency_name" in v || "report_files" in v || "report_links" in v) return "report";
  if ("deqar_id" in v || "eter_id" in v || "eter" in v || "names" in v || "name_primary" in v || "qf_ehea_levels" in v)
    return "institution";
  if ("acronym_primary" in v || "registration_valid_to" in v || ("acronym" in v && "name" in v)) return "agency";
  return undefined;
}

/**
 * Reads a DEQAR Web API document. `source` says whether it came from the API itself or from a file; `now` is the
 * time the identifiers' validity (`identifier_valid_to`) is judged at.
 */
export function readDeqarJson(doc: unknown, source: RegistrySource, now: Date): RegistryReadResult {
  const out = emptyRegistryData();
  const warnings: ReadIssue[] = [];
  const visit = (value: unknown, path: string, as?: Kind) => {
    const kind = as ?? isRecordKind(value);
    if (!isObject(value) || !kind) {
      warnings.push({ path, message: "not a DEQAR institution, report or agency record: skipped" });
      return;
    }
    if (kind === "institution") {
      const inst = institutionOf(value, source, now);
      if (inst) out.institutions.push(inst);
      else warnings.push({ path, message: "an institution record without a DEQAR id (deqar_id or id): skipped" });
    } else if (kind === "report") {
      const read = reportOf(value, source, now);
      if (!read) {
        warnings.push({ path, message: "a report without an id: skipped" });
        return;
      }
      out.reports.push(read.report);
      out.institutions.push(...read.institutions);
      if (read.agency) out.agencies.push(read.agency);
    } else {
      const agency = agencyOf(value);
      if (agency) out.agencies.push(agency);
      else warnings.push({ path, message: "an agency without an id or a name: skipped" });
    }
  };
  if (Array.isArray(doc)) {
    for (const [k, d] of doc.entries()) visit(d, `/${k}`);
  } else if (isObject(doc) && Array.isArray(doc.results)) {
    for (const [k, d] of doc.results.entries()) visit(d, `/results/${k}`);
  } else if (isObject(doc) && isRecordKind(doc) === undefined) {
    const lists: [string, Kind][] = [
      ["institutions", "institution"],
      ["reports", "report"],
      ["agencies", "agency"],
    ];
    for (const [key, kind] of lists) {
      for (const [k, d] of arrayOf(doc[key]).entries()) visit(d, `/${key}/${k}`, kind);
    }
  } else visit(doc, "");
  if (out.institutions.length + out.reports.length + out.agencies.length === 0) {
    return {
      ok: false,
      issues: [{ path: "", message: "no DEQAR institution, report or agency could be read" }, ...warnings],
    };
  }
  return { ok: true, value: dedupe(out), warnings };
}

/** One record per institution key and per report id (a listing repeats the institutions of its reports). */
function dedupe(data: RegistryData): RegistryData {
  const institutions = new Map<string, RegistryInstitution>();
  for (const i of data.institutions) {
    const known = institutions.get(i.key);
    // The record with more detail (identifiers, names) wins; a report's institution stub has a name only.
    if (!known || i.identifiers.length + i.names.length > known.identifiers.length + known.names.length) {
      institutions.set(i.key, known ? { ...i, countries: uniq([...i.countries, ...known.countries]) } : i);
    }
  }
  const reports = new Map(data.reports.map((r) => [r.id, r] as const));
  const agencies = new Map(data.agencies.map((a) => [a.id, a] as const));
  return { institutions: [...institutions.values()], reports: [...reports.values()], agencies: [...agencies.values()] };
}

function institutionOf(v: Json, source: RegistrySource, now: Date): RegistryInstitution | undefined {
  const deqarId = deqarIdIn(v.deqar_id) ?? deqarIdIn(v.id, true);
  if (!deqarId) return undefined;
  const names: string[] = [];
  for (const n of arrayOf(v.names)) {
    if (!isObject(n)) continue;
    for (const k of ["name_official", "name_english", "name_official_transliterated", "acronym"]) {
      const s = str(n[k]);
      if (s) names.push(s);
    }
    for (const version of arrayOf(n.name_versions)) {
      const s = isObject(version) ? str(version.name) : str(version);
      if (s) names.push(s);
    }
  }
  for (const k of ["name_official_display", "name_official", "name_primary", "name_english"]) {
    const s = str(v[k]);
    if (s) names.push(s);
  }
  const countries: string[] = [];
  for (const c of arrayOf(v.countries)) {
    const country = isObject(c) ? (isObject(c.country) ? c.country : c) : c;
    const code = isObject(country)
      ? (countryCodeOf(country.iso_3166_alpha2) ??
        countryCodeOf(country.iso_3166_alpha3) ??
        countryCodeOf(country.name_english))
      : countryCodeOf(country);
    if (code) countries.push(code);
  }
  for (const c of arrayOf(v.country)) {
    const code = countryCodeOf(isObject(c) ? c.name_english : c);
    if (code) countries.push(code);
  }
  for (const p of arrayOf(v.place)) {
    const code = isObject(p) ? countryCodeOf(p.country) : undefined;
    if (code) countries.push(code);
  }
  const identifiers: RegistryIdentifier[] = [];
  for (const i of arrayOf(v.identifiers)) {
    if (!isObject(i)) continue;
    const value = str(i.identifier);
    const resource = str(i.resource) ?? "other";
    if (value && !(i.identifier_valid_to && Date.parse(String(i.identifier_valid_to)) < now.getTime())) {
      identifiers.push({ resource, value });
    }
  }
  // `eter` is "ES0022 - Universitat Rovira i Virgili" in institution records, `eter_id` "DE0069" in search results.
  const eterId = str(v.eter_id) ?? str(v.eter)?.split(/\s+-\s+/)[0];
  if (eterId) identifiers.push({ resource: "ETER", value: eterId });
  const levels: QfEheaLevel[] = [];
  for (const l of [...arrayOf(v.qf_ehea_levels), ...arrayOf(v.qf_ehea_level)]) {
    const level = qfEheaLevelOf(isObject(l) ? l.qf_ehea_level : l);
    if (level) levels.push(level);
  }
  const website = str(v.website_link);
  return {
    key: deqarId,
    deqarId,
    ...(eterId ? { eterId } : {}),
    names: uniq(names),
    countries: uniq(countries),
    identifiers,
    ...(website ? { website } : {}),
    qfEheaLevels: uniq(levels),
    sources: [source],
  };
}

function reportOf(
  v: Json,
  source: RegistrySource,
  now: Date,
): { report: RegistryReport; institutions: RegistryInstitution[]; agency?: RegistryAgency } | undefined {
  const id = str(v.id);
  if (!id) return undefined;
  const reportCountries = arrayOf(v.country).flatMap((c) => countryCodeOf(c) ?? []);
  const institutions = arrayOf(v.institutions).flatMap((i) => {
    if (!isObject(i)) return [];
    const inst = institutionOf(i, source, now);
    if (!inst) return [];
    // A listing names the report's countries, not each institution's: only a one-institution report tells.
    if (inst.countries.length === 0 && arrayOf(v.institutions).length === 1) inst.countries = reportCountries;
    return [inst];
  });
  const links = uniq([
    ...arrayOf(v.report_links).flatMap((l) => (isObject(l) ? (str(l.link) ?? []) : [])),
    ...arrayOf(v.report_files).flatMap((f) => (isObject(f) ? (str(f.file) ?? []) : [])),
  ]);
  const programmes = arrayOf(v.programmes).flatMap((p) => (isObject(p) ? (str(p.name_primary) ?? []) : []));
  const agencyId = str(v.agency_id);
  const agencyName = str(v.agency_name);
  const acronym = str(v.agency_acronym);
  const report: RegistryReport = {
    id,
    url: reportUrlOf(id),
    institutionKeys: institutions.map((i) => i.key),
    ...(agencyId || agencyName || acronym
      ? {
          agency: {
            ...(agencyId ? { id: agencyId } : {}),
            ...(acronym ? { acronym } : {}),
            ...(agencyName ? { name: agencyName } : {}),
          },
        }
      : {}),
    ...optional("activity", str(v.agency_esg_activity) ?? str(v.name)),
    ...optional("activityType", str(v.agency_esg_activity_type)),
    ...optional("status", str(v.status)),
    ...optional("decision", str(v.decision)),
    ...optional("validFrom", str(v.valid_from)?.slice(0, 10)),
    ...optional("validTo", (str(v.valid_to) ?? str(v.valid_to_calculated))?.slice(0, 10)),
    links,
    programmes,
    sources: [source],
  };
  const agency =
    agencyId && agencyName
      ? { id: agencyId, name: agencyName, ...(acronym ? { acronym } : {}) }
      : agencyId && acronym
        ? { id: agencyId, name: acronym, acronym }
        : undefined;
  return { report, institutions, ...(agency ? { agency } : {}) };
}

function agencyOf(v: Json): RegistryAgency | undefined {
  const id = str(v.id) ?? str(v.deqar_id);
  const name = str(v.name_primary) ?? str(v.name) ?? str(v.acronym_primary) ?? str(v.acronym);
  if (!id || !name) return undefined;
  const acronym = str(v.acronym_primary) ?? str(v.acronym);
  const country = countryCodeOf(isObject(v.country) ? v.country.iso_3166_alpha2 : v.country);
  const website = str(v.website_link);
  return {
    id,
    name,
    ...(acronym ? { acronym } : {}),
    ...(country ? { country } : {}),
    ...(website ? { website } : {}),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
