/**
 * Agents of the legacy Europass XML reader (`read.ts`): organisations of `agentReferences` (by `idref`, one object per
 * id), their identifiers, contact points, locations, logos and accreditations, and what the claim readers share while
 * reading (`ReadContext`). Pure.
 */
import { type Accreditation, type Address, type Claim, emptyOrganisation, type Organisation } from "../model.js";
import { countryAlpha2 } from "../vocab/index.js";
import type { XNode } from "../xml/node.js";
import { concepts, identifierOf, location, media, texts } from "./values.js";

/** What the claim readers share: the references by id, the issuer, and each activity and entitlement read once. */
export interface ReadContext {
  refs: Map<string, XNode>;
  issuer: Organisation | undefined;
  /** The subject's activities and entitlements (`activities/activity`, `entitlements/entitlement`), by id. */
  claimsById: Map<string, Claim>;
  /** Ids of the activities and entitlements an achievement or activity refers to (not top-level claims then). */
  referenced: Set<string>;
  /** Organisations read from `agentReferences`, one object per id (so that writers keep them one node). */
  organisations: Map<string, Organisation>;
}

/** An organisation of `agentReferences` by `idref`, read once. */
export function organisationRef(ref: XNode | undefined, ctx: ReadContext, at: string): Organisation | undefined {
  const id = ref?.attr("idref");
  if (!id || !ref) return undefined;
  const known = ctx.organisations.get(id);
  if (known) return known;
  const node = ctx.refs.get(id);
  if (!node) {
    ref.warn(`organisation ${id} is not among the agentReferences`);
    return undefined;
  }
  // Registered before it is read: an accreditation of it may name it again (its own accrediting agent).
  const org = emptyOrganisation();
  ctx.organisations.set(id, org);
  readOrganisation(node, at, ctx, org);
  return org;
}

/** An organisation given by `idref` (among the references) or written in place (an accreditation's agent). */
export function organisationAt(n: XNode | undefined, ctx: ReadContext, at: string): Organisation | undefined {
  if (!n) return undefined;
  if (n.attr("idref")) return organisationRef(n, ctx, at);
  return n.children().length > 0 ? readOrganisation(n, at, ctx, emptyOrganisation()) : undefined;
}

/**
 * A `contactPoint`'s mailboxes and phone numbers (and, for a person, postal addresses) into the holder's lists; what
 * else it holds (wallet, web resource, notes) has no canonical place and is kept as an extension.
 */
export function readContactPoint(
  cp: XNode,
  into: { emails: string[]; phones: string[]; addresses?: Address[] },
  at: string,
): void {
  const known = ["mailBox", "phone"];
  for (const mb of cp.all("mailBox")) {
    const uri = mb.attr("uri")?.trim();
    if (uri) {
      cp.trace(`${at}/emails/${into.emails.length}`, `${mb.path}/@uri`);
      into.emails.push(uri.replace(/^mailto:/i, ""));
    }
  }
  for (const ph of cp.all("phone")) {
    const number =
      ph.text("phoneNumber") ??
      ([ph.text("countryDialing"), ph.text("areaDialing"), ph.text("dialNumber")].filter(Boolean).join(" ") ||
        undefined);
    if (number) {
      cp.trace(`${at}/phones/${into.phones.length}`, ph.path);
      into.phones.push(number);
    } else ph.keep();
  }
  if (into.addresses) {
    known.push("address");
    for (const a of cp.all("address")) {
      const country = countryAlpha2(a.first("country")?.attr("uri") ?? "");
      const full = texts(a.first("fullAddress"));
      if (country || full) {
        cp.trace(`${at}/addresses/${into.addresses.length}`, a.path);
        into.addresses.push({ ...(country ? { country } : {}), ...(full ? { full } : {}) });
      }
      a.keepUnknown(["country", "fullAddress"]);
    }
  }
  cp.keepUnknown(known);
}

/**
 * An accreditation of `accreditationReferences` (quality assurance or licensing, AccreditationType of genericschema
 * 1.2): type, title, description, decision, report, the accredited organisation, its limits, the accrediting agent,
 * dates and pages. Its identifiers, notes, qualification limit and supplementary documents have no canonical place.
 */
export function readAccreditation(n: XNode, at: string, ctx: ReadContext): Accreditation {
  const a: Accreditation = {
    types: concepts(n, "type"),
    homepages: n.all("homepage").flatMap((h) => h.attr("uri")?.trim() ?? []),
    limitFields: concepts(n, "limitField"),
    limitEqfLevels: concepts(n, "limitEQFLevel"),
    limitCredentialTypes: [],
    limitJurisdictions: concepts(n, "limitJurisdiction"),
  };
  const id = n.attr("id");
  if (id) a.id = id;
  const title = texts(n.first("title"));
  if (title) a.title = title;
  const description = texts(n.first("description"));
  if (description) a.description = description;
  const decision = n.text("decision");
  // A decision is a text (TextScoreType) in this XML: kept as the label of a concept with no URI.
  if (decision) a.decision = { label: { und: decision } };
  const report = n.first("report")?.attr("uri")?.trim();
  if (report) a.report = report;
  const organisation = organisationAt(n.first("organization"), ctx, `${at}/organisation`);
  if (organisation) a.organisation = organisation;
  const agent = organisationAt(n.first("accreditingAgent"), ctx, `${at}/accreditingAgent`);
  if (agent) a.accreditingAgent = agent;
  const issued = n.text("issuedDate");
  if (issued) a.issued = issued;
  const review = n.text("reviewDate");
  if (review) a.reviewDate = review;
  const expiry = n.text("expiryDate");
  if (expiry) a.expiry = expiry;
  const landing = n.first("landingpage") ?? n.first("landingPage");
  const landingUri = landing?.attr("uri")?.trim() ?? landing?.own();
  if (landingUri) a.landingPage = landingUri;
  n.keepUnknown([
    "type",
    "title",
    "description",
    "decision",
    "report",
    "organization",
    "limitField",
    "limitEQFLevel",
    "limitJurisdiction",
    "accreditingAgent",
    "issuedDate",
    "reviewDate",
    "expiryDate",
    "homepage",
    "landingpage",
    "landingPage",
  ]);
  return a;
}

export const ORGANISATION_KNOWN = [
  "prefLabel",
  "legalName",
  "altLabel",
  "identifier",
  "registration",
  "vatIdentifier",
  "taxIdentifier",
  "homepage",
  "hasLocation",
  "logo",
  "contactPoint",
  "hasAccreditation",
];

/**
 * An organisation (`OrganizationType`): names, identifiers (eIDAS when the scheme says so; `registration` a legal
 * identifier with its `spatialID` country), pages, locations, logo, contact points and accreditations
 * (`hasAccreditation` → `accreditationReferences`). Its type, notes and units have no canonical place: extensions.
 */
export function readOrganisation(n: XNode, at: string, ctx: ReadContext, org: Organisation): Organisation {
  org.legalName = texts(n.first("prefLabel")) ?? texts(n.first("legalName")) ?? {};
  n.trace(`${at}/legalName`, `${n.path}/prefLabel/0`);
  const id = n.attr("id");
  if (id) {
    org.id = id;
    n.trace(`${at}/id`, `${n.path}/@id`);
  }
  for (const altNode of n.all("altLabel")) {
    const alt = texts(altNode);
    if (alt) {
      n.trace(`${at}/altNames/${org.altNames.length}`, altNode.path);
      org.altNames.push(alt);
    }
  }
  for (const x of n.all("identifier")) {
    const ident = identifierOf(x);
    if (ident) {
      n.trace(`${at}/identifiers/${org.identifiers.length}`, x.path);
      org.identifiers.push(ident);
    }
  }
  const regNode = n.first("registration");
  const reg = regNode?.own();
  if (reg && regNode) {
    const country = countryAlpha2(regNode.attr("spatialID") ?? "");
    n.trace(`${at}/identifiers/${org.identifiers.length}`, regNode.path);
    org.identifiers.push({ value: reg, kind: "legal", ...(country ? { country } : {}) });
  }
  const vat = n.text("vatIdentifier");
  if (vat) {
    n.trace(`${at}/identifiers/${org.identifiers.length}`, `${n.path}/vatIdentifier/0`);
    org.identifiers.push({ value: vat, kind: "vat" });
  }
  const tax = n.text("taxIdentifier");
  if (tax) {
    n.trace(`${at}/identifiers/${org.identifiers.length}`, `${n.path}/taxIdentifier/0`);
    org.identifiers.push({ value: tax, kind: "tax" });
  }
  for (const h of n.all("homepage")) {
    const url = h.attr("uri") ?? h.text("contentUrl") ?? h.own();
    if (url) {
      n.trace(`${at}/homepages/${org.homepages.length}`, h.path);
      org.homepages.push(url);
    }
  }
  for (const loc of n.all("hasLocation")) {
    const l = location(loc);
    if (l) {
      n.trace(`${at}/locations/${org.locations.length}`, loc.path);
      org.locations.push(l);
    }
  }
  const logoNode = n.first("logo");
  const logo = media(logoNode);
  if (logo && logoNode) {
    n.trace(`${at}/logo`, logoNode.path);
    org.logo = logo;
  }
  for (const cp of n.all("contactPoint")) readContactPoint(cp, org, at);
  for (const h of n.all("hasAccreditation")) {
    const ref = h.attr("idref");
    const node = ref ? ctx.refs.get(ref) : undefined;
    if (!node) {
      h.warn(`accreditation ${ref ?? "(no idref)"} is not among the accreditationReferences`);
      continue;
    }
    const k = org.accreditations.length;
    n.trace(`${at}/accreditations/${k}`, node.path);
    org.accreditations.push(readAccreditation(node, `${at}/accreditations/${k}`, ctx));
  }
  if (!org.locations.some((l) => l.address?.country)) {
    n.warn("the organisation states no country in its location (ELM requires one; none is invented)");
  }
  n.keepUnknown(ORGANISATION_KNOWN);
  return org;
}
