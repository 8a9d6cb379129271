/**
 * The learner and the issuer of an ELMO report (`read.ts`): `learner` (names, birth date, gender, citizenship,
 * identifiers, contact) and `report/issuer` (titles, country, identifiers by scheme, homepage), each traced to its
 * element. Also the ELMO date form of pre-1.0 files. Pure.
 */
import { emptyOrganisation, emptyPerson, type Identifier, type Organisation, type Person } from "../model.js";
import { countryAlpha2 } from "../vocab/index.js";
import { langMapOf, type XNode } from "../xml/node.js";

const HUMAN_SEX = "http://publications.europa.eu/resource/authority/human-sex";

export const LEARNER_KNOWN = [
  "citizenship",
  "identifier",
  "givenNames",
  "familyName",
  "fullName",
  "bday",
  "dateOfBirth",
  "placeOfBirth",
  "birthName",
  "gender",
  "currentAddress",
];

export function readLearner(n: XNode): Person {
  const p = emptyPerson();
  const given = n.text("givenNames");
  const family = n.text("familyName");
  if (given) {
    p.givenName = { und: given };
    n.trace("/learner/givenName", `${n.path}/givenNames/0`);
  }
  if (family) {
    p.familyName = { und: family };
    n.trace("/learner/familyName", `${n.path}/familyName/0`);
  }
  const full = n.text("fullName");
  if (full) {
    p.fullName = { und: full };
    n.trace("/learner/fullName", `${n.path}/fullName/0`);
  }
  // ELMO 2.0's alternativeName is the full name (in a non-Latin script, says the XSD), in its xml:lang: the full name
  // when the document gives no fullName element; one per language, the others kept as extensions.
  const alternatives = n.all("alternativeName").filter((alt) => alt.own());
  const altNames = p.fullName === undefined ? langMapOf(alternatives) : undefined;
  if (altNames) {
    p.fullName = altNames;
    n.trace("/learner/fullName", alternatives[0]?.path);
  }
  const taken = new Set<string>();
  for (const alt of alternatives) {
    const lang = (alt.attr("xml:lang") ?? alt.attr("lang") ?? "und").toLowerCase();
    if (altNames && !taken.has(lang)) taken.add(lang);
    else n.keep(alt);
  }

  const bday = n.first("dateOfBirth") ?? n.first("bday");
  if (bday?.own()) {
    const value = normaliseDate(bday.own(), bday.attr("dtf"));
    p.dateOfBirth = value;
    n.trace("/learner/dateOfBirth", bday.path);
    if (value !== bday.own()) bday.warn(`date of birth ${bday.own()} read as ${value}`);
  }
  const citizenship = n.first("citizenship");
  if (citizenship?.own()) addCitizenship(p, citizenship, citizenship.own());
  for (const id of n.all("identifier")) {
    const type = id.attr("type") ?? "";
    const value = id.own();
    if (!value) continue;
    if (type === "nationality") {
      id.warn("pre-1.0 ELMO: identifier type nationality read as citizenship");
      addCitizenship(p, id, value);
    } else if (type === "nationalIdentifier" && !p.nationalId) {
      p.nationalId = { value, kind: "national", scheme: "nationalIdentifier" };
      n.trace("/learner/nationalId", id.path);
    } else {
      const k = p.identifiers.length;
      p.identifiers.push({ value, kind: "other", scheme: type || "unknown" });
      n.trace(`/learner/identifiers/${k}`, id.path);
    }
  }
  const place = n.text("placeOfBirth");
  if (place) {
    p.placeOfBirth = { address: { full: { und: place } } };
    n.trace("/learner/placeOfBirth", `${n.path}/placeOfBirth/0`);
  }
  const birthName = n.text("birthName");
  if (birthName) {
    p.birthName = { und: birthName };
    n.trace("/learner/birthName", `${n.path}/birthName/0`);
  }
  const gender = n.text("gender");
  if (gender) {
    const code = { "1": "MALE", "2": "FEMALE", "9": "NAP" }[gender];
    p.gender = code ? { uri: `${HUMAN_SEX}/${code}`, notation: gender } : { notation: gender, label: { und: gender } };
    n.trace("/learner/gender", `${n.path}/gender/0`);
  }
  const address = n.first("currentAddress");
  if (address) {
    const lines = address
      .children()
      .map((c) => c.own())
      .filter(Boolean);
    const country = address.text("country");
    const alpha2 = country ? countryAlpha2(country) : undefined;
    p.addresses.push({ full: { und: lines.join(", ") }, ...(alpha2 ? { country: alpha2 } : {}) });
    n.trace("/learner/addresses/0", address.path);
  }
  n.keepUnknown([...LEARNER_KNOWN, "alternativeName"]);
  return p;
}

export function addCitizenship(p: Person, n: XNode, code: string): void {
  const alpha2 = countryAlpha2(code);
  if (!alpha2) {
    n.warn(`unknown country code ${code}`);
    n.keep();
    return;
  }
  n.trace(`/learner/citizenship/${p.citizenship.length}`);
  p.citizenship.push(alpha2);
}

/** Issuer identifier types (`pic`, `erasmus`, `schac`) → their scheme names. */
const ISSUER_SCHEMES: Record<string, string> = { pic: "PIC", erasmus: "Erasmus", schac: "SCHAC", local: "local" };

export function readIssuer(n: XNode, at: string): Organisation {
  const titles = n.all("title");
  const org = emptyOrganisation(langMapOf(titles) ?? {});
  if (titles.length > 0) n.trace(`${at}/legalName`, titles[0]?.path);
  else n.warn("the issuer has no title");
  for (const id of n.all("identifier")) {
    const value = id.own();
    if (!value) continue;
    const type = id.attr("type") ?? "";
    const ident: Identifier = { value, kind: "other", scheme: ISSUER_SCHEMES[type] ?? (type || "unknown") };
    n.trace(`${at}/identifiers/${org.identifiers.length}`, id.path);
    org.identifiers.push(ident);
  }
  const country = n.text("country");
  if (country) {
    const alpha2 = countryAlpha2(country);
    if (alpha2) {
      org.locations.push({ address: { country: alpha2 } });
      n.trace(`${at}/locations/0/address/country`, `${n.path}/country/0`);
    } else {
      n.warn(`unknown country code ${country}`, `${n.path}/country/0`);
    }
  }
  const url = n.text("url");
  if (url) {
    org.homepages.push(url);
    n.trace(`${at}/homepages/0`, `${n.path}/url/0`);
  }
  // No IRI is built from the SCHAC code: the source gives the code (kept as an identifier), not an IRI.
  n.keepUnknown(["title", "identifier", "country", "url"]);
  return org;
}

/** ISO 8601 date from a date and an optional Java-style `dtf` pattern (`dd-MM-yyyy`) used by pre-1.0 files. */
export function normaliseDate(value: string, dtf: string | undefined): string {
  const v = value.trim();
  if (!dtf || /^\d{4}-\d{2}-\d{2}/.test(v)) return v;
  const m = /^(\d{2})[-./](\d{2})[-./](\d{4})$/.exec(v);
  if (m && /^dd.MM.yyyy$/i.test(dtf)) return `${m[3]}-${m[2]}-${m[1]}`;
  return v;
}
