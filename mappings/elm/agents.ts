/**
 * Readers for ELM agents and what describes them: Organisation, Person, identifiers, locations and addresses,
 * contact points, media objects, web resources and accreditations (which link organisations and qualifications).
 */
import {
  type Accreditation,
  type Address,
  type Concept,
  emptyAccreditation,
  emptyOrganisation,
  emptyPerson,
  type Identifier,
  type IdentifierKind,
  type Location,
  type Media,
  type Organisation,
  type Person,
} from "../model.js";
import { countryAlpha2, ENCODING_BASE64, mediaTypeOf } from "../vocab/index.js";
import {
  concept,
  concepts,
  date,
  many,
  note,
  noteDescription,
  one,
  oneAt,
  readConcept,
  str,
  text,
  texts,
} from "./fields.js";
import type { ElmNode } from "./node.js";
import { NATIONAL_ID_KEYS, ORGANISATION_IDENTIFIERS } from "./tables.js";

/** The value {@link oneAt} reads of a property that may hold an array. */
const firstOf = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** The alpha-2 code of a country concept, or a warning and the raw value kept as an extension. */
function alpha2Of(n: ElmNode, src: string, c: Concept, raw: unknown): string | undefined {
  const code = countryAlpha2(c.uri ?? c.notation ?? "");
  if (code === undefined) {
    n.warn(src, `not a known country (${c.uri ?? c.notation ?? "no id"}): kept as an extension`);
    n.keep(src, raw);
  }
  return code;
}

/** A country concept (`countryCode`, `spatial`) as an ISO 3166-1 alpha-2 code. */
export function country(n: ElmNode, key: string, dst: string = key): string | undefined {
  const raw = firstOf(n.data[key]);
  const read = oneAt(n, key, undefined, readConcept);
  if (!read) return undefined;
  const code = alpha2Of(n, read.src, read.value, raw);
  if (code !== undefined) n.trace(n.to(dst), read.src);
  return code;
}

/** Countries of a property holding several (`citizenshipCountry`). */
function countries(n: ElmNode, key: string, dst: string): string[] {
  return many(n, key, dst, (c) => {
    const concept = readConcept(c);
    return concept ? alpha2Of(c, c.src, concept, c.data) : undefined;
  });
}

/** An `Identifier` or `LegalIdentifier`: notation → value, schemeName (or schemeId) → scheme, spatial → country. */
export function readIdentifier(kind: IdentifierKind) {
  return (c: ElmNode): Identifier | undefined => {
    const legal = c.types().includes("LegalIdentifier");
    const value = str(c, "notation", "value");
    if (value === undefined) {
      c.warn(c.src, "an identifier without notation: kept as an extension");
      for (const k of Object.keys(c.data)) c.consume(k);
      c.keep(c.src, c.data);
      return undefined;
    }
    const id: Identifier = { value, kind: kind === "other" && legal ? "legal" : kind };
    const scheme = str(c, "schemeName", "scheme") ?? str(c, "schemeId", "scheme");
    if (scheme !== undefined) id.scheme = scheme;
    const spatial = country(c, "spatial", "country");
    if (spatial !== undefined) id.country = spatial;
    return id;
  };
}

/** An `Address`: countryCode → country (alpha-2), fullAddress (Note) → full. */
function readAddress(c: ElmNode): Address {
  const address: Address = {};
  const code = country(c, "countryCode", "country");
  if (code !== undefined) address.country = code;
  const full = note(c, "fullAddress", "full");
  if (full) address.full = full;
  return address;
}

/** A `Location`: address, spatialCode → area, geographicName → name. */
export function readLocation(c: ElmNode): Location {
  const location: Location = {};
  const id = c.id();
  if (id !== undefined) location.id = id;
  const address = one(c, "address", "address", readAddress);
  if (address) location.address = address;
  const area = concept(c, "spatialCode", "area");
  if (area) location.area = area;
  const name = text(c, "geographicName", "name");
  if (name) location.name = name;
  return location;
}

/** A `MediaObject`: content (base64), contentType (file-type concept) → MIME type, contentURL → url. */
export function readMedia(c: ElmNode): Media {
  const media: Media = {};
  const id = c.id();
  if (id !== undefined) media.id = id;
  const content = str(c, "content");
  if (content !== undefined) media.content = content;
  const type = oneAt(c, "contentType", undefined, readConcept);
  if (type) {
    const mime = mediaTypeOf(type.value.uri ?? type.value.notation ?? "");
    if (mime) {
      media.mediaType = mime;
      c.trace(c.to("mediaType"), type.src);
    } else {
      c.warn(type.src, `unknown file type ${type.value.uri ?? ""}: kept as an extension`);
      c.keep(type.src, firstOf(c.data.contentType));
    }
  }
  const encoding = oneAt(c, "contentEncoding", undefined, readConcept);
  if (encoding && !isBase64(encoding.value)) {
    c.warn(encoding.src, `content encoding ${encoding.value.uri ?? ""} is not base64: kept as an extension`);
    c.keep(encoding.src, firstOf(c.data.contentEncoding));
  }
  const url = str(c, "contentURL", "url");
  if (url !== undefined) media.url = url;
  const title = text(c, "title");
  if (title) media.title = title;
  if (media.content === undefined && media.url === undefined && media.id === undefined) {
    c.warn(c.src, "a media object with neither content nor URL");
  }
  return media;
}

const isBase64 = (c: Concept): boolean =>
  c.uri === ENCODING_BASE64.uri || (c.uri === undefined && c.label?.en?.toLowerCase() === "base64");

/** A `WebResource` (`homepage`, `supplementaryDocument`...) as its URL; a bare IRI is the URL itself. */
export function readWebResource(c: ElmNode): string | undefined {
  if (c.has("contentURL")) return str(c, "contentURL", null);
  const id = c.id();
  if (id !== undefined && Object.keys(c.data).length === 1) return id;
  c.warn(c.src, "a web resource without contentURL");
  return undefined;
}

/** Web resources of a property, as URLs. */
export function webResources(n: ElmNode, key: string, dst: string): string[] {
  return many(n, key, dst, readWebResource);
}

/** Email addresses and phone numbers of `contactPoint`s (and, for a person, their postal addresses). */
function readContactPoints(n: ElmNode, into: { emails: string[]; phones: string[]; addresses?: Address[] }): void {
  many(n, "contactPoint", undefined, (cp) => {
    into.emails.push(...many(cp, "emailAddress", "emails", readMailbox, into.emails.length));
    into.phones.push(...many(cp, "phone", "phones", (p) => str(p, "phoneNumber", null), into.phones.length));
    if (into.addresses) into.addresses.push(...many(cp, "address", "addresses", readAddress, into.addresses.length));
    return true;
  });
}

/** A `Mailbox` as an address without `mailto:`; a plain string is the address itself. */
function readMailbox(c: ElmNode): string | undefined {
  const id = c.id();
  if (id === undefined) {
    c.warn(c.src, "a mailbox without id (mailto: IRI)");
    return undefined;
  }
  return id.replace(/^mailto:/i, "");
}

/** An `Organisation` (issuer, awarding body, assessor, accrediting agent...). */
export function readOrganisation(c: ElmNode): Organisation {
  const org = emptyOrganisation();
  const id = c.id();
  if (id !== undefined) org.id = id;
  org.legalName = text(c, "legalName") ?? {};
  org.altNames = texts(c, "altLabel", "altNames");
  for (const [key, kind] of Object.entries(ORGANISATION_IDENTIFIERS)) {
    org.identifiers.push(...many(c, key, "identifiers", readIdentifier(kind), org.identifiers.length));
  }
  org.locations = many(c, "location", "locations", readLocation);
  org.homepages = webResources(c, "homepage", "homepages");
  readContactPoints(c, org);
  const logo = one(c, "logo", "logo", readMedia);
  if (logo) org.logo = logo;
  org.accreditations = many(c, "accreditation", "accreditations", readAccreditation);
  org.memberOf = many(c, "groupMemberOf", "memberOf", readGroup);
  // ELM organisations have no description: their additionalNote is where ELM (and the ELM writer) holds it.
  const description = noteDescription(c);
  if (description) org.description = description;
  return org;
}

/**
 * A `Group` an organisation is a member of: its name, the mailboxes of its contact points and its homepages (not ELM,
 * but read when present). Other contact details (phones, addresses) are kept as extensions.
 */
function readGroup(g: ElmNode): Organisation["memberOf"][number] {
  const member: Organisation["memberOf"][number] = {
    name: text(g, "prefLabel", "name") ?? text(g, "legalName", "name") ?? {},
  };
  const id = g.id();
  if (id !== undefined) member.id = id;
  const emails: string[] = [];
  many(g, "contactPoint", undefined, (cp) => {
    emails.push(...many(cp, "emailAddress", "emails", readMailbox, emails.length));
    return true;
  });
  if (emails.length > 0) member.emails = emails;
  const homepages = webResources(g, "homepage", "homepages");
  if (homepages.length > 0) member.homepages = homepages;
  return member;
}

/** A `Person` (the credential subject), without its claims. */
export function readPerson(c: ElmNode): Person {
  const person = emptyPerson();
  const id = c.id();
  if (id !== undefined) person.id = id;
  const names = ["givenName", "familyName", "fullName", "birthName", "patronymicName"] as const;
  for (const key of names) {
    const value = text(c, key);
    if (value) person[key] = value;
  }
  const dob = date(c, "dateOfBirth");
  if (dob !== undefined) person.dateOfBirth = dob;
  const pob = one(c, "placeOfBirth", "placeOfBirth", readLocation);
  if (pob) person.placeOfBirth = pob;
  for (const key of NATIONAL_ID_KEYS) {
    if (!c.has(key)) continue;
    if (person.nationalId) {
      c.warn(c.at(key), "a second national identifier: kept as an extension");
      continue;
    }
    const nid = one(c, key, "nationalId", readIdentifier("national"));
    if (nid) person.nationalId = nid;
  }
  person.identifiers = many(c, "identifier", "identifiers", readIdentifier("other"));
  readContactPoints(c, person);
  person.citizenship = countries(c, "citizenshipCountry", "citizenship");
  const gender = concept(c, "gender");
  if (gender) person.gender = gender;
  return person;
}

/** An `Accreditation` (quality assurance or licence) of an organisation or a qualification. */
export function readAccreditation(c: ElmNode): Accreditation {
  const acc = emptyAccreditation();
  const id = c.id();
  if (id !== undefined) acc.id = id;
  acc.types = concepts(c, "dcType", "types");
  const title = text(c, "title");
  if (title) acc.title = title;
  const description = text(c, "description");
  if (description) acc.description = description;
  const decision = concept(c, "decision");
  if (decision) acc.decision = decision;
  const report = one(c, "report", "report", readWebResource);
  if (report !== undefined) acc.report = report;
  const reviewDate = date(c, "reviewDate");
  if (reviewDate !== undefined) acc.reviewDate = reviewDate;
  const issued = date(c, "dateIssued", "issued");
  if (issued !== undefined) acc.issued = issued;
  const expiry = date(c, "expiryDate", "expiry");
  if (expiry !== undefined) acc.expiry = expiry;
  const agent = one(c, "accreditingAgent", "accreditingAgent", readOrganisation);
  if (agent) acc.accreditingAgent = agent;
  const organisation = one(c, "organisation", "organisation", readOrganisation);
  if (organisation) acc.organisation = organisation;
  acc.homepages = webResources(c, "homepage", "homepages");
  const limitQualification = one(c, "limitQualification", "limitQualification", (q) => {
    const qid = q.id();
    if (Object.keys(q.data).some((k) => k !== "id" && k !== "type")) {
      for (const k of Object.keys(q.data)) q.consume(k);
      q.keep(q.src, q.data);
    }
    return qid;
  });
  if (limitQualification !== undefined) acc.limitQualification = limitQualification;
  acc.limitFields = concepts(c, "limitField", "limitFields");
  acc.limitEqfLevels = concepts(c, "limitEQFLevel", "limitEqfLevels");
  acc.limitCredentialTypes = concepts(c, "limitCredentialType", "limitCredentialTypes");
  acc.limitJurisdictions = concepts(c, "limitJurisdiction", "limitJurisdictions");
  const landingPage = one(c, "landingPage", "landingPage", readWebResource);
  if (landingPage !== undefined) acc.landingPage = landingPage;
  return acc;
}
