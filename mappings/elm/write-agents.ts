/**
 * Agent builders of the ELM writer: identifiers, addresses and locations, contact points, organisations, the learner
 * and accreditations. ELM requires an organisation's legal name and a location with an address country, and a
 * LegalIdentifier's country: what the canonical credential lacks is warned about, never invented.
 */
import type { Accreditation, Address, Identifier, LangMap, Location, Organisation, Person } from "../model.js";
import { countryUri } from "../vocab/index.js";
import { pointer } from "./json.js";
import { isAbsoluteIri, type OutNode, type OutValue, type WriteContext } from "./write-context.js";
import {
  type ElmClass,
  LEGAL_IDENTIFIER_KINDS,
  ORGANISATION_IDENTIFIER_PROPERTIES,
  SINGLE_IDENTIFIER_PROPERTIES,
} from "./write-tables.js";
import {
  concept,
  concepts,
  countryConcept,
  dateTime,
  isPresent,
  mediaObject,
  note,
  reportUnhandled,
  textOf,
  webResource,
} from "./write-values.js";

const isIri = (s: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s);

/** Human names of identifier kinds, for the scheme name of one written as a plain Identifier. */
const KIND_NAMES = {
  eidas: "eIDAS identifier",
  registration: "registration number",
  vat: "VAT number",
  tax: "tax identifier",
  national: "national identifier",
  legal: "legal identifier",
  other: undefined,
} as const;

/**
 * An `Identifier`, or a `LegalIdentifier` when `legal` (which needs the issuing country: without one, a plain
 * Identifier). Hashed identifiers (Open Badges identity hashes) are losses: ELM cannot say a notation is a hash.
 */
export function identifier(ctx: WriteContext, id: Identifier, path: string, legal: boolean): OutNode | undefined {
  if (id.hashed) {
    ctx.loss(path, "a hashed identifier: ELM cannot mark a notation as a hash, so it is not written");
    return undefined;
  }
  const isLegal = legal && id.country !== undefined;
  const node = ctx.node(isLegal ? "LegalIdentifier" : "Identifier");
  node.notation = id.value;
  const scheme = id.scheme ?? id.identityType ?? (isLegal ? undefined : KIND_NAMES[id.kind]);
  if (scheme !== undefined) {
    if (isIri(scheme) && id.scheme !== undefined) node.schemeId = scheme;
    else node.schemeName = scheme;
  }
  if (id.scheme !== undefined && id.identityType !== undefined) {
    ctx.loss(
      pointer(path, "identityType"),
      "ELM identifiers have one scheme: the Open Badges identity type is not written",
    );
  }
  if (isLegal && id.country) {
    const spatial = countryConcept(ctx, id.country, pointer(path, "country"));
    if (spatial) node.spatial = spatial;
  }
  return node;
}

/** The full-address text of an address: `full`, else its parts joined. */
function fullAddress(a: Address, lang: string): LangMap | undefined {
  if (textOf(a.full)) return a.full;
  const line = [a.street, [a.postalCode, a.locality].filter(Boolean).join(" "), a.region]
    .filter((p) => p !== undefined && p.trim() !== "")
    .join(", ");
  return line ? { [lang]: line } : undefined;
}

/**
 * An `Address`: ELM holds a country and one full-address text. The structured parts become that text when there is
 * none; when there is one, they are losses. No country is written as none (the caller warns).
 */
export function address(ctx: WriteContext, a: Address, path: string): OutNode | undefined {
  if (!isPresent(a)) return undefined;
  const node = ctx.node("Address");
  const full = fullAddress(a, ctx.primaryLanguage);
  if (textOf(a.full)) {
    for (const part of ["street", "postalCode", "locality", "region"] as const) {
      if (a[part])
        ctx.loss(pointer(path, part), "ELM addresses hold one full-address text: the structured part is not written");
    }
  }
  const fa = note(ctx, full, pointer(path, "full"));
  if (fa) node.fullAddress = fa;
  if (a.country) {
    const code = countryConcept(ctx, a.country, pointer(path, "country"));
    if (code) node.countryCode = code;
  }
  return node;
}

/** A `Location` (address, area as spatialCode, name as geographicName); undefined when it holds nothing. */
export function location(ctx: WriteContext, l: Location, path: string): OutValue | undefined {
  if (!isPresent({ ...l, id: undefined })) return undefined;
  return ctx.memo(l, "Location", path, (node) => {
    const name = ctx.lang(textOf(l.name), "Location", "geographicName", pointer(path, "name"));
    if (name && ctx.form === "ebsi") {
      ctx.loss(
        pointer(path, "name"),
        "the EBSI schema types a location's geographicName as an Address: the name is not written in this form",
      );
    } else if (name) node.geographicName = name;
    const a = l.address ? address(ctx, l.address, pointer(path, "address")) : undefined;
    ctx.set(node, "Location", "address", [a], pointer(path, "address"));
    if (l.area)
      ctx.set(
        node,
        "Location",
        "spatialCode",
        [concept(ctx, l.area, "Location", "spatialCode", pointer(path, "area"))],
        pointer(path, "area"),
      );
  });
}

/** Whether a location gives a country (what ELM requires of an organisation's location). */
const hasCountry = (l: Location): boolean =>
  l.address?.country !== undefined && countryUri(l.address.country) !== undefined;

/** A `ContactPoint` for emails, phones and (for a person) postal addresses; undefined when there are none. */
function contactPoint(
  ctx: WriteContext,
  emails: string[],
  phones: string[],
  addresses: Address[],
  path: string,
  owner: ElmClass,
): OutNode | undefined {
  if (emails.length === 0 && phones.length === 0 && addresses.length === 0) return undefined;
  const node = ctx.node("ContactPoint");
  const mailboxes = emails.map((e) => ({ id: `mailto:${e.replace(/^mailto:/i, "")}`, type: "Mailbox" }));
  ctx.set(node, "ContactPoint", "emailAddress", mailboxes, pointer(path, "emails"));
  const phoneNodes = phones.map((p) => ({ ...ctx.node("Phone"), phoneNumber: p }));
  ctx.set(node, "ContactPoint", "phone", phoneNodes, pointer(path, "phones"));
  const addressNodes = addresses.map((a, i) => {
    const at = pointer(path, "addresses", i);
    if (!a.country)
      ctx.warn(
        pointer(at, "country"),
        `an address of the ${owner === "Person" ? "learner" : "organisation"} without a country: ELM requires one (not invented)`,
      );
    return address(ctx, a, at);
  });
  ctx.set(node, "ContactPoint", "address", addressNodes, pointer(path, "addresses"));
  return node;
}

/**
 * An `Organisation`. ELM requires a legal name and a location whose address has a country: an organisation without
 * one is written without it, with a warning (a country is never guessed).
 */
export function organisation(ctx: WriteContext, org: Organisation, path: string): OutValue {
  return ctx.memo(org, "Organisation", path, (node) => {
    const legalName = ctx.lang(textOf(org.legalName), "Organisation", "legalName", pointer(path, "legalName"));
    if (legalName) node.legalName = legalName;
    else ctx.warn(pointer(path, "legalName"), "an organisation without a legal name: ELM requires one");
    const alt = ctx.langs(org.altNames);
    if (alt) node.altLabel = alt;
    const byKey = new Map<string, OutNode[]>();
    const push = (key: string, v: OutNode | undefined): void => {
      if (v) byKey.set(key, [...(byKey.get(key) ?? []), v]);
    };
    for (const [i, id] of org.identifiers.entries()) {
      const at = pointer(path, "identifiers", i);
      let key: string = ORGANISATION_IDENTIFIER_PROPERTIES[id.kind];
      if (SINGLE_IDENTIFIER_PROPERTIES.has(key) && byKey.has(key)) key = "identifier";
      if (key !== "identifier" && id.country === undefined && !id.hashed) {
        ctx.warn(
          pointer(at, "country"),
          `a ${KIND_NAMES[id.kind] ?? "legal identifier"} without its country: ELM's LegalIdentifier needs one, so it is written as a plain identifier`,
        );
        key = "identifier";
      }
      push(key, identifier(ctx, id, at, LEGAL_IDENTIFIER_KINDS.has(id.kind) || id.country !== undefined));
    }
    for (const key of ["eIDASIdentifier", "registration", "vatIdentifier", "taxIdentifier", "identifier"]) {
      ctx.set(node, "Organisation", key, byKey.get(key) ?? [], pointer(path, "identifiers"));
    }
    const locations = org.locations.map((l, i) => location(ctx, l, pointer(path, "locations", i)));
    const filled = org.locations.some(hasCountry) ? undefined : ctx.fill.issuerCountry;
    if (filled !== undefined && ctx.isIssuer(org)) {
      const added = location(ctx, { address: { country: filled } }, pointer(path, "locations", org.locations.length));
      if (added !== undefined && typeof added === "object") {
        ctx.derived.mark(added, undefined, "options.fill.issuerCountry: the source gives the issuer no country");
        locations.push(added);
      }
    }
    ctx.set(node, "Organisation", "location", locations, pointer(path, "locations"));
    if (!org.locations.some(hasCountry) && !(filled !== undefined && ctx.isIssuer(org))) {
      // Sealing gives the issuer node the certificate's country, never an awarding body (EDC, research elm.md §1.4).
      const sealing = path === "/issuer" ? "; EDC sets the issuer's from the seal certificate when sealing" : "";
      ctx.warn(
        pointer(path, "locations"),
        `organisation ${textOf(org.legalName) ? `"${Object.values(org.legalName)[0]}" ` : ""}has no country: ELM requires a location with an address country (none is invented)${sealing}`,
      );
    }
    ctx.set(
      node,
      "Organisation",
      "homepage",
      org.homepages.map((u) => webResource(ctx, u)),
      pointer(path, "homepages"),
    );
    ctx.set(
      node,
      "Organisation",
      "contactPoint",
      [contactPoint(ctx, org.emails, org.phones, [], path, "Organisation")],
      path,
    );
    if (org.logo)
      ctx.set(
        node,
        "Organisation",
        "logo",
        [mediaObject(ctx, org.logo, pointer(path, "logo"), "the logo")],
        pointer(path, "logo"),
      );
    const accs = org.accreditations.map((a, i) => accreditation(ctx, a, pointer(path, "accreditations", i)));
    ctx.set(node, "Organisation", "accreditation", accs, pointer(path, "accreditations"));
    const groups = org.memberOf.map((m, i) => group(ctx, m, pointer(path, "memberOf", i)));
    ctx.set(node, "Organisation", "groupMemberOf", groups, pointer(path, "memberOf"));
    // ELM organisations have no description (neither the shapes nor EBSI's schema): a note is ELM's place for it.
    const about = note(ctx, org.description, pointer(path, "description"));
    ctx.set(node, "Organisation", "additionalNote", [about], pointer(path, "description"));
    reportUnhandled(ctx, org, ORGANISATION_FIELDS, "Organisation", path);
  });
}

/**
 * A `Group` an organisation is a member of: its name (required), its mailboxes as a contact point and its homepages.
 * ELM's Group has no homepage: the EDC form writes them as `homepage` (foaf:homepage; the SHACL Group shape is open),
 * the EBSI form cannot (its schema closes Group), so there they are losses.
 */
function group(ctx: WriteContext, m: Organisation["memberOf"][number], path: string): OutValue | undefined {
  if (!textOf(m.name)) {
    ctx.loss(path, "a group without a name: an ELM Group needs its prefLabel");
    return undefined;
  }
  return ctx.memo(m, "Group", path, (node) => {
    const name = ctx.lang(m.name, "Group", "prefLabel", pointer(path, "name"));
    if (name) node.prefLabel = name;
    else ctx.warn(pointer(path, "name"), "a group whose name is in no language this form can write: ELM requires one");
    ctx.set(node, "Group", "contactPoint", [contactPoint(ctx, m.emails ?? [], [], [], path, "Group")], path);
    const homepages = m.homepages ?? [];
    if (ctx.form === "ebsi") {
      for (const [i, url] of homepages.entries()) {
        if (url.trim() !== "")
          ctx.loss(pointer(path, "homepages", i), "the EBSI schema gives a Group no homepage: it is not written");
      }
    } else {
      ctx.set(
        node,
        "Group",
        "homepage",
        homepages.map((u) => webResource(ctx, u)),
        pointer(path, "homepages"),
      );
    }
  });
}

/** Organisation fields the builder above writes. */
const ORGANISATION_FIELDS = [
  "legalName",
  "altNames",
  "identifiers",
  "locations",
  "homepages",
  "emails",
  "phones",
  "logo",
  "accreditations",
  "memberOf",
  "description",
] as const satisfies readonly (keyof Organisation)[];

/** Person fields the builder below writes. */
const PERSON_FIELDS = [
  "givenName",
  "familyName",
  "fullName",
  "birthName",
  "patronymicName",
  "dateOfBirth",
  "placeOfBirth",
  "nationalId",
  "identifiers",
  "emails",
  "phones",
  "addresses",
  "citizenship",
  "gender",
] as const satisfies readonly (keyof Person)[];

/** Several organisations of one property. */
export function organisations(ctx: WriteContext, orgs: readonly Organisation[], path: string): OutValue[] {
  return orgs.map((o, i) => organisation(ctx, o, pointer(path, i)));
}

/** The learner (`credentialSubject`), without claims. */
export function person(ctx: WriteContext, p: Person, path: string): OutNode {
  let id = p.id;
  if (id !== undefined && !isAbsoluteIri(id)) {
    const why = `the learner's id ${id} is not an absolute IRI (JSON-LD would resolve it against the document)`;
    id = ctx.newId("Person", `a node id the gateway generated: ${why}`);
    ctx.loss(pointer(path, "id"), `${why}: not written as the learner's id, which is ${id}`);
  }
  const node = ctx.node("Person", id ?? ctx.newId("Person"));
  for (const key of ["givenName", "familyName", "fullName", "birthName", "patronymicName"] as const) {
    const value = ctx.lang(textOf(p[key]), "Person", key, pointer(path, key));
    if (value) node[key] = value;
  }
  if (p.dateOfBirth) node.dateOfBirth = dateTime(p.dateOfBirth);
  if (p.placeOfBirth) {
    const at = pointer(path, "placeOfBirth");
    if (!hasCountry(p.placeOfBirth))
      ctx.warn(at, "a place of birth without a country: an ELM location requires one (not invented)");
    ctx.set(node, "Person", "placeOfBirth", [location(ctx, p.placeOfBirth, at)], at);
  }
  const ids: (OutNode | undefined)[] = [];
  if (p.nationalId) {
    const at = pointer(path, "nationalId");
    if (p.nationalId.country === undefined && !p.nationalId.hashed) {
      ctx.warn(
        pointer(at, "country"),
        "a national identifier without its country: ELM's nationalID (a LegalIdentifier) needs one, so it is written as a plain identifier",
      );
    }
    const nid = identifier(ctx, p.nationalId, at, true);
    if (nid?.type === "LegalIdentifier") node.nationalID = nid;
    else ids.push(nid);
  }
  for (const [i, id] of p.identifiers.entries()) {
    ids.push(identifier(ctx, id, pointer(path, "identifiers", i), LEGAL_IDENTIFIER_KINDS.has(id.kind)));
  }
  ctx.set(node, "Person", "identifier", ids, pointer(path, "identifiers"));
  ctx.set(node, "Person", "contactPoint", [contactPoint(ctx, p.emails, p.phones, p.addresses, path, "Person")], path);
  const citizenship = p.citizenship.map((c, i) => countryConcept(ctx, c, pointer(path, "citizenship", i)));
  ctx.set(node, "Person", "citizenshipCountry", citizenship, pointer(path, "citizenship"));
  if (p.gender)
    ctx.set(node, "Person", "gender", [concept(ctx, p.gender, "Person", "gender", pointer(path, "gender"))], path);
  reportUnhandled(ctx, p, PERSON_FIELDS, "Person", path);
  return node;
}

/** An `Accreditation`. ELM requires its type (accreditation scheme), title and accrediting agent. */
export function accreditation(ctx: WriteContext, a: Accreditation, path: string): OutValue {
  return ctx.memo(a, "Accreditation", path, (node) => {
    const types = concepts(ctx, a.types, "Accreditation", "dcType", pointer(path, "types"));
    ctx.set(node, "Accreditation", "dcType", types, pointer(path, "types"), 1);
    if (types.length === 0)
      ctx.warn(
        pointer(path, "types"),
        "an accreditation without a type of the ELM accreditation scheme: ELM requires one",
      );
    const title = ctx.lang(textOf(a.title), "Accreditation", "title", pointer(path, "title"));
    if (title) node.title = title;
    else ctx.warn(pointer(path, "title"), "an accreditation without a title: ELM requires one");
    const description = ctx.lang(textOf(a.description), "Accreditation", "description", pointer(path, "description"));
    if (description) node.description = description;
    if (a.decision)
      ctx.set(
        node,
        "Accreditation",
        "decision",
        [concept(ctx, a.decision, "Accreditation", "decision", pointer(path, "decision"))],
        path,
      );
    if (a.report) ctx.set(node, "Accreditation", "report", [webResource(ctx, a.report)], path);
    if (a.reviewDate) node.reviewDate = dateTime(a.reviewDate);
    if (a.issued) node.dateIssued = dateTime(a.issued);
    if (a.expiry) node.expiryDate = dateTime(a.expiry);
    if (a.accreditingAgent)
      node.accreditingAgent = organisation(ctx, a.accreditingAgent, pointer(path, "accreditingAgent"));
    else ctx.warn(pointer(path, "accreditingAgent"), "an accreditation without an accrediting agent: ELM requires one");
    if (a.organisation)
      ctx.set(
        node,
        "Accreditation",
        "organisation",
        [organisation(ctx, a.organisation, pointer(path, "organisation"))],
        pointer(path, "organisation"),
      );
    ctx.set(
      node,
      "Accreditation",
      "homepage",
      a.homepages.map((u) => webResource(ctx, u)),
      pointer(path, "homepages"),
    );
    if (a.limitQualification) {
      ctx.refer(
        node,
        "Accreditation",
        "limitQualification",
        [a.limitQualification],
        pointer(path, "limitQualification"),
        ["Qualification"],
        1,
      );
    }
    const limits = [
      ["limitFields", "limitField"],
      ["limitEqfLevels", "limitEQFLevel"],
      ["limitCredentialTypes", "limitCredentialType"],
      ["limitJurisdictions", "limitJurisdiction"],
    ] as const;
    for (const [field, key] of limits) {
      ctx.set(
        node,
        "Accreditation",
        key,
        concepts(ctx, a[field], "Accreditation", key, pointer(path, field)),
        pointer(path, field),
      );
    }
    if (a.landingPage)
      ctx.set(node, "Accreditation", "landingPage", [webResource(ctx, a.landingPage)], pointer(path, "landingPage"));
  });
}
