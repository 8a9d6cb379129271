/**
 * Reads the Europass accreditation JSON (what the Europass / QDR accreditation API answers for an accreditation
 * exported from DEQAR, `corpus/elm/samples/accreditation-sample.json`): the accredited organisation (DEQAR institution
 * URI in `registration`), the accrediting agent (DEQAR agency URI), the report and its DEQAR landing page, dates as
 * epoch milliseconds. One accreditation, an array of them, or `{accreditations: [...]}`. Pure; never throws.
 */
import type { ReadIssue } from "../model.js";
import {
  countryCodeOf,
  deqarIdIn,
  emptyRegistryData,
  normaliseIdentifier,
  type RegistryAgency,
  type RegistryIdentifier,
  type RegistryInstitution,
  type RegistryReadResult,
  type RegistryReport,
  reportUrlOf,
} from "./model.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

const DEQAR_REPORT = /^https?:\/\/data\.deqar\.eu\/report\/(\d+)\/?$/i;
const DEQAR_AGENCY = /^https?:\/\/data\.deqar\.eu\/agency\/(\d+)\/?$/i;
const INSTITUTIONAL = /institutional/i;

/** Whether a JSON value is a Europass accreditation (or a list of them). */
export function looksLikeElmAccreditation(doc: unknown): boolean {
  const items = isObject(doc) && Array.isArray(doc.accreditations) ? doc.accreditations : arrayOf(doc);
  return items.some((d) => isObject(d) && ("accreditedOrganization" in d || "accreditingAgent" in d));
}

/** Reads Europass accreditation JSON into registry records. */
export function readElmAccreditation(doc: unknown): RegistryReadResult {
  const items = isObject(doc) && Array.isArray(doc.accreditations) ? doc.accreditations : arrayOf(doc);
  const base = isObject(doc) && Array.isArray(doc.accreditations) ? "/accreditations" : Array.isArray(doc) ? "" : null;
  const out = emptyRegistryData();
  const warnings: ReadIssue[] = [];
  items.forEach((item, k) => {
    const path = base === null ? "" : `${base}/${k}`;
    if (!isObject(item) || !isObject(item.accreditedOrganization)) {
      warnings.push({ path, message: "not an accreditation with an accreditedOrganization: skipped" });
      return;
    }
    const institution = organisationOf(item.accreditedOrganization);
    if (!institution) {
      warnings.push({
        path: `${path}/accreditedOrganization`,
        message: "the accredited organisation has no registration, identifier or name: skipped",
      });
      return;
    }
    const agency = isObject(item.accreditingAgent) ? agencyOf(item.accreditingAgent) : undefined;
    const landing = arrayOf(item.landingpages).flatMap((p) => (isObject(p) ? (str(p.url) ?? []) : []));
    const deqarReport = landing.map((u) => DEQAR_REPORT.exec(u)?.[1]).find((id) => id !== undefined);
    const id = deqarReport ?? str(item.id);
    if (!id) {
      warnings.push({ path, message: "an accreditation with neither an id nor a DEQAR landing page: skipped" });
      return;
    }
    const reportFile = isObject(item.report) ? str(item.report.url) : undefined;
    const title = arrayOf(item.titles).flatMap((t) => (isObject(t) ? (str(t.value) ?? []) : []))[0];
    const type = str(item.type);
    const validFrom = dateOf(item.issuedDate);
    const validTo = dateOf(item.expiryDate) ?? dateOf(item.reviewDate);
    const decision = isObject(item.decision) ? label(item.decision) : str(item.decision);
    const report: RegistryReport = {
      id,
      url: deqarReport ? reportUrlOf(deqarReport) : (landing[0] ?? id),
      institutionKeys: [institution.key],
      ...(agency
        ? { agency: { id: agency.id, name: agency.name, ...(agency.acronym ? { acronym: agency.acronym } : {}) } }
        : {}),
      ...(title ? { activity: title } : {}),
      ...(type ? { activityType: INSTITUTIONAL.test(type) ? "institutional" : "programme" } : {}),
      // DEQAR exports to Europass only reports that are part of an obligatory EQA system (deqar-docs-europass.md).
      status: "part of obligatory EQA system",
      ...(decision ? { decision } : {}),
      ...(validFrom ? { validFrom } : {}),
      ...(validTo ? { validTo } : {}),
      links: [...(reportFile ? [reportFile] : []), ...landing.filter((u) => !DEQAR_REPORT.test(u))],
      programmes: [],
      sources: ["elm-accreditation"],
    };
    out.institutions.push(institution);
    if (agency) out.agencies.push(agency);
    out.reports.push(report);
  });
  if (out.reports.length === 0) {
    return { ok: false, issues: [{ path: "", message: "no accreditation could be read" }, ...warnings] };
  }
  return { ok: true, value: out, warnings };
}

/** A date given as epoch milliseconds (the Europass API) or ISO text, as `YYYY-MM-DD`. */
function dateOf(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return new Date(v).toISOString().slice(0, 10);
  const s = str(v);
  return s && !Number.isNaN(Date.parse(s)) ? s.slice(0, 10) : undefined;
}

function label(v: Json): string | undefined {
  return arrayOf(v.prefLabels).flatMap((l) => (isObject(l) ? (str(l.value) ?? []) : []))[0] ?? str(v.uri);
}

function names(o: Json): string[] {
  return [...arrayOf(o.prefLabels), ...arrayOf(o.alternativeNames)].flatMap((l) =>
    isObject(l) ? (str(l.value) ?? []) : [],
  );
}

function countriesOf(o: Json): string[] {
  const codes = arrayOf(o.locations).flatMap((loc) =>
    isObject(loc)
      ? arrayOf(loc.locations).flatMap((l) =>
          isObject(l) ? (countryCodeOf(l.isoAlpha3Code) ?? countryCodeOf(l.nutsCode) ?? []) : [],
        )
      : [],
  );
  return [...new Set(codes)];
}

function organisationOf(o: Json): RegistryInstitution | undefined {
  const registration = str(o.registration);
  const identifiers: RegistryIdentifier[] = arrayOf(o.identifiers).flatMap((i) => {
    const value = isObject(i) ? str(i.value) : undefined;
    return value ? [{ resource: (isObject(i) && str(i.schemeID)) || "other", value }] : [];
  });
  const deqarId = deqarIdIn(registration) ?? identifiers.map((i) => deqarIdIn(i.value)).find((d) => d !== undefined);
  const all = names(o);
  const fallback = registration ?? identifiers[0]?.value;
  if (!deqarId && !fallback) return undefined;
  const website = arrayOf(o.homepages).flatMap((h) => (isObject(h) ? (str(h.url) ?? []) : []))[0];
  return {
    key: deqarId ?? `QDR:${normaliseIdentifier(fallback ?? "")}`,
    ...(deqarId ? { deqarId } : {}),
    names: [...new Set(all)],
    countries: countriesOf(o),
    // The DEQAR URI is how the accreditation names the institution: kept so a credential quoting it matches.
    identifiers: [
      ...(registration && !identifiers.some((i) => i.value === registration)
        ? [{ resource: "registration", value: registration }]
        : []),
      ...identifiers,
    ],
    ...(website ? { website } : {}),
    qfEheaLevels: [],
    sources: ["elm-accreditation"],
  };
}

function agencyOf(o: Json): RegistryAgency | undefined {
  const registration = str(o.registration);
  const id = (registration && DEQAR_AGENCY.exec(registration)?.[1]) ?? registration;
  const name = names(o)[0];
  if (!id || !name) return undefined;
  // IEP's label is "IEP - Institutional Evaluation Programme": the part before " - " is DEQAR's acronym.
  const acronym = /^(\S+)\s+-\s+/.exec(name)?.[1];
  const country = countriesOf(o)[0];
  const website = arrayOf(o.homepages).flatMap((h) => (isObject(h) ? (str(h.url) ?? []) : []))[0];
  return {
    id,
    name,
    ...(acronym ? { acronym } : {}),
    ...(country ? { country } : {}),
    ...(website ? { website } : {}),
  };
}
