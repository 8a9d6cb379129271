/**
 * Reads the registry XML national bodies and DEQAR publish for Europass / QDR (research/local.md §5.2):
 * - QMS v1 learning opportunities (`qmsLearningOpportunities`, `corpus/registries/qdr/qms-v1-loms/loms.xml`): the
 *   organisations under `agentReferences` (registration, VAT, tax and other identifiers, labels, country) become
 *   registry institutions keyed `QDR:{registration}` — QDR lists providers, not quality-assurance reports;
 * - the ELM accreditation (AMS) XML DEQAR exports (`Accreditations`, `eqar_backend-ams-v3.xsd`): each `accreditation`
 *   is a report (`id` = the DEQAR permalink), its `organisation` and `accreditingAgent` resolved by `idref`.
 * Parsed with entities off and DOCTYPE refused (`mappings/xml/safe-parse.ts`). Pure; never throws.
 */
import type { ReadIssue } from "../model.js";
import { childrenNamed, parseXml, type XmlElement, type XmlLimits } from "../xml/safe-parse.js";
import {
  countryCodeOf,
  deqarIdIn,
  emptyRegistryData,
  normaliseIdentifier,
  type RegistryAgency,
  type RegistryData,
  type RegistryIdentifier,
  type RegistryInstitution,
  type RegistryReadResult,
  type RegistryReport,
  reportUrlOf,
} from "./model.js";

/** The XML roots this reader takes. */
export const REGISTRY_XML_ROOTS = ["qmsLearningOpportunities", "Accreditations"] as const;

const DEQAR_REPORT = /^https?:\/\/data\.deqar\.eu\/report\/(\d+)\/?$/i;
const DEQAR_AGENCY = /^https?:\/\/data\.deqar\.eu\/agency\/(\d+)\/?$/i;
const INSTITUTIONAL_TYPE = "http://data.europa.eu/snb/accreditation/c_1f1a469a";

const textOf = (el: XmlElement | undefined): string | undefined => {
  const t = el?.text.trim();
  return t ? t : undefined;
};
const first = (el: XmlElement, name: string): XmlElement | undefined => childrenNamed(el, name)[0];
const descendants = (el: XmlElement, name: string): XmlElement[] => {
  const out: XmlElement[] = [];
  const stack = [...el.children];
  while (stack.length > 0) {
    const next = stack.shift() as XmlElement;
    if (next.name === name) out.push(next);
    else stack.push(...next.children);
  }
  return out;
};
/** A value written as `uri`/`idref` attribute, a `notation` child or the element's own text. */
const refValueOf = (el: XmlElement): string | undefined =>
  el.attrs.uri ?? el.attrs.idref ?? textOf(first(el, "notation")) ?? textOf(first(el, "contentURL")) ?? textOf(el);

/** Reads QDR / AMS registry XML. */
export function readRegistryXml(input: string, limits: Partial<XmlLimits> = {}): RegistryReadResult {
  const parsed = parseXml(input, limits);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const root = parsed.doc;
  const warnings: ReadIssue[] = [];
  let data: RegistryData;
  if (root.name === "qmsLearningOpportunities") data = readLoms(root, warnings);
  else if (root.name === "Accreditations") data = readAms(root, warnings);
  else {
    return {
      ok: false,
      issues: [{ path: `/${root.name}`, message: `the root element ${root.name} is not one of ${REGISTRY_XML_ROOTS}` }],
    };
  }
  if (data.institutions.length + data.reports.length === 0) {
    return {
      ok: false,
      issues: [{ path: `/${root.name}`, message: "no organisation or accreditation could be read" }, ...warnings],
    };
  }
  return { ok: true, value: data, warnings };
}

/** Labels of an organisation: QMS `prefLabel/text`, `altLabel/text`; AMS `legalName`, `altLabel`. */
function labelsOf(org: XmlElement): string[] {
  const out: string[] = [];
  for (const name of ["legalName", "prefLabel", "altLabel"]) {
    for (const el of childrenNamed(org, name)) {
      const texts = childrenNamed(el, "text");
      for (const t of texts.length > 0 ? texts : [el]) {
        const s = textOf(t);
        if (s) out.push(s);
      }
    }
  }
  return [...new Set(out)];
}

const IDENTIFIER_ELEMENTS: Record<string, string> = {
  registration: "registration",
  eidasLegalIdentifier: "eIDAS",
  vatIdentifier: "EU-VAT",
  taxIdentifier: "tax",
  identifier: "other",
};

function identifiersOf(org: XmlElement): RegistryIdentifier[] {
  const out: RegistryIdentifier[] = [];
  for (const [name, resource] of Object.entries(IDENTIFIER_ELEMENTS)) {
    for (const el of childrenNamed(org, name)) {
      const value = textOf(first(el, "notation")) ?? textOf(el);
      if (!value) continue;
      // DEQAR's exporter names the scheme agency (DEQAR, ETER, SCHAC...) in the identifier's scheme attributes.
      const scheme = el.attrs.schemeAgencyName ?? el.attrs.schemeAgency ?? el.attrs.schemeID ?? el.attrs.schemeName;
      out.push({ resource: name === "identifier" && scheme ? scheme : resource, value });
    }
  }
  return out;
}

function readLoms(root: XmlElement, warnings: ReadIssue[]): RegistryData {
  const out = emptyRegistryData();
  const refs = childrenNamed(root, "agentReferences");
  refs.forEach((ref) => {
    childrenNamed(ref, "organization").forEach((org, k) => {
      const path = `/qmsLearningOpportunities/agentReferences/organization/${k}`;
      const identifiers = identifiersOf(org);
      const registration = identifiers.find((i) => i.resource === "registration")?.value ?? org.attrs.id;
      if (!registration) {
        warnings.push({ path, message: "an organisation with neither a registration nor an id: skipped" });
        return;
      }
      const countries = new Set<string>();
      for (const loc of childrenNamed(org, "hasLocation")) {
        for (const s of descendants(loc, "spatialCode")) {
          const c = countryCodeOf(s.attrs.uri);
          if (c) countries.add(c);
        }
        for (const c of descendants(loc, "country")) {
          const code = countryCodeOf(c.attrs.uri ?? textOf(c));
          if (code) countries.add(code);
        }
      }
      const reg = childrenNamed(org, "registration")[0];
      const regCountry = reg ? countryCodeOf(reg.attrs.spatialID) : undefined;
      if (countries.size === 0 && regCountry) countries.add(regCountry);
      const website = childrenNamed(org, "homepage")[0]?.attrs.uri;
      const deqarId = identifiers.map((i) => deqarIdIn(i.value)).find((d) => d !== undefined);
      out.institutions.push({
        key: deqarId ?? `QDR:${normaliseIdentifier(registration)}`,
        ...(deqarId ? { deqarId } : {}),
        names: labelsOf(org),
        countries: [...countries],
        identifiers,
        ...(website ? { website } : {}),
        qfEheaLevels: [],
        sources: ["qdr-xml"],
      });
    });
  });
  return out;
}

function readAms(root: XmlElement, warnings: ReadIssue[]): RegistryData {
  const out = emptyRegistryData();
  const locations = new Map<string, XmlElement>();
  for (const loc of descendants(root, "location")) if (loc.attrs.id) locations.set(loc.attrs.id, loc);
  const organisations = new Map<string, XmlElement>();
  for (const ref of childrenNamed(root, "agentReferences")) {
    for (const org of ref.children) if (org.attrs.id) organisations.set(org.attrs.id, org);
  }
  const institutionOf = (org: XmlElement): RegistryInstitution | undefined => {
    const identifiers = identifiersOf(org);
    const deqarId =
      deqarIdIn(org.attrs.id) ??
      identifiers.map((i) => deqarIdIn(i.value) ?? deqarIdIn(i.value, i.resource === "DEQAR")).find((d) => !!d);
    const fallback = identifiers[0]?.value ?? org.attrs.id;
    if (!deqarId && !fallback) return undefined;
    const countries = new Set<string>();
    for (const ref of childrenNamed(org, "location")) {
      const loc = ref.attrs.idref ? locations.get(ref.attrs.idref) : ref;
      for (const c of loc ? [...descendants(loc, "countryCode"), ...descendants(loc, "spatialCode")] : []) {
        const code = countryCodeOf(c.attrs.uri ?? textOf(c));
        if (code) countries.add(code);
      }
    }
    const eter = identifiers.find((i) => /^ETER$/i.test(i.resource))?.value;
    const website = childrenNamed(org, "homepage").map(refValueOf)[0];
    return {
      key: deqarId ?? `QDR:${normaliseIdentifier(fallback ?? "")}`,
      ...(deqarId ? { deqarId } : {}),
      ...(eter ? { eterId: eter } : {}),
      names: labelsOf(org),
      countries: [...countries],
      identifiers: identifiers.map((i) => (/^SCHAC$/i.test(i.resource) ? { ...i, resource: "SCHAC" } : i)),
      ...(website ? { website } : {}),
      qfEheaLevels: [],
      sources: ["qdr-xml"],
    };
  };
  const accreditations = descendants(root, "accreditation").filter((a) => a.attrs.id);
  accreditations.forEach((acc, k) => {
    const path = `/Accreditations/accreditation/${k}`;
    const orgRef = first(acc, "organisation")?.attrs.idref;
    const org = orgRef ? organisations.get(orgRef) : undefined;
    const institution = org ? institutionOf(org) : undefined;
    if (!institution) {
      warnings.push({
        path: `${path}/organisation`,
        message: `the organisation ${orgRef ?? "(none)"} is not in the document: skipped`,
      });
      return;
    }
    const id = acc.attrs.id as string;
    const reportId = DEQAR_REPORT.exec(id)?.[1] ?? id;
    const agentRef = first(acc, "accreditingAgent")?.attrs.idref;
    const agentEl = agentRef ? organisations.get(agentRef) : undefined;
    const agencyId = agentRef ? (DEQAR_AGENCY.exec(agentRef)?.[1] ?? agentRef) : undefined;
    const agencyName = agentEl ? labelsOf(agentEl)[0] : undefined;
    const agency: RegistryAgency | undefined = agencyId && agencyName ? { id: agencyId, name: agencyName } : undefined;
    const type = first(acc, "type");
    const typeUri = type ? refValueOf(type) : undefined;
    const issued = textOf(first(acc, "issued"))?.slice(0, 10);
    const validTo = (textOf(first(acc, "expiryDate")) ?? textOf(first(acc, "reviewDate")))?.slice(0, 10);
    const decision = first(acc, "decision");
    const links = [...childrenNamed(acc, "report"), ...childrenNamed(acc, "landingPage")]
      .flatMap((l) => refValueOf(l) ?? [])
      .filter((u) => !DEQAR_REPORT.test(u));
    const title = labelsOf({
      ...acc,
      children: childrenNamed(acc, "title").map((t) => ({ ...t, name: "legalName" })),
    })[0];
    const report: RegistryReport = {
      id: reportId,
      url: DEQAR_REPORT.test(id) ? reportUrlOf(reportId) : id,
      institutionKeys: [institution.key],
      ...(agency ? { agency: { id: agency.id, name: agency.name } } : agencyId ? { agency: { id: agencyId } } : {}),
      ...(title ? { activity: title } : {}),
      ...(typeUri ? { activityType: typeUri === INSTITUTIONAL_TYPE ? "institutional" : "programme" } : {}),
      status: "part of obligatory EQA system",
      ...(decision && refValueOf(decision) ? { decision: refValueOf(decision) as string } : {}),
      ...(issued ? { validFrom: issued } : {}),
      ...(validTo ? { validTo } : {}),
      links,
      programmes: [],
      sources: ["qdr-xml"],
    };
    out.institutions.push(institution);
    if (agency) out.agencies.push(agency);
    out.reports.push(report);
  });
  return out;
}
