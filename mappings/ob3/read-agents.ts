/**
 * Readers for OB 3.0 Profiles (issuer, achievement creator, assessing `source`) and what describes them: addresses,
 * images and identifier entries.
 */
import countries from "i18n-iso-countries";
import { type Address, emptyOrganisation, type Identifier, type Media, type Organisation } from "../model.js";
import { countryAlpha2, countryName } from "../vocab/index.js";
import { readProfileExtension } from "./read-extension.js";
import { copyStrings, copyTexts, many, one, oneAt, raw, str, text } from "./read-fields.js";
import type { Ob3Node } from "./read-node.js";
import { ADDRESS_STRINGS, identifierKind, PROFILE_TEXTS } from "./read-tables.js";

const DATA_URI = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s;

/**
 * An Image (`{id, type: "Image", caption}`, or its bare URI): a base64 data URI becomes embedded content with its MIME
 * type; any other URI (a URL, or a data URI that is not base64) is the media's URL. The caption is its title.
 */
export function readImage(c: Ob3Node): Media | undefined {
  const id = c.id();
  const media: Media = {};
  if (id !== undefined) {
    const data = DATA_URI.exec(id);
    if (data?.[3] !== undefined) {
      media.content = data[4] ?? "";
      c.trace(c.to("content"), c.at("id"));
      if (data[1]) {
        media.mediaType = data[1];
        c.trace(c.to("mediaType"), c.at("id"));
      }
    } else {
      media.url = id;
      c.trace(c.to("url"), c.at("id"));
    }
  } else c.warn(c.src, "an image without id (its URI)");
  const caption = text(c, "caption", "title");
  if (caption) media.title = caption;
  return media.content === undefined && media.url === undefined && media.title === undefined ? undefined : media;
}

/** The alpha-2 code of a country name or code (`US`, `USA`, `United States`, `Japan`), or undefined. */
function alpha2OfName(name: string): string | undefined {
  return countryAlpha2(name) ?? countries.getAlpha2Code(name.trim(), "en") ?? undefined;
}

/**
 * An Address: `addressCountryCode` (alpha-2) → country, else `addressCountry` when it names a country (`Japan`,
 * `USA`). A country name the model cannot regenerate from the code is kept as an extension.
 */
export function readAddress(c: Ob3Node): Address {
  const address: Address = {};
  const code = str(c, "addressCountryCode", null);
  if (code !== undefined) {
    const alpha2 = countryAlpha2(code);
    if (alpha2 === undefined) c.reject(c.at("addressCountryCode"), code, `"${code}" is not an ISO 3166-1 country code`);
    else {
      address.country = alpha2;
      c.trace(c.to("country"), c.at("addressCountryCode"));
    }
  }
  const name = str(c, "addressCountry", null);
  if (name !== undefined) {
    const alpha2 = alpha2OfName(name);
    if (address.country === undefined && alpha2 !== undefined) {
      address.country = alpha2;
      c.trace(c.to("country"), c.at("addressCountry"));
    }
    if (alpha2 === undefined) c.reject(c.at("addressCountry"), name, `"${name}" is not a known country`);
    else if (alpha2 !== address.country) {
      c.warn(c.at("addressCountry"), `"${name}" is not the country of addressCountryCode ${address.country}`);
      c.keep(c.at("addressCountry"), name);
    } else if (name !== countryName(alpha2)) c.keep(c.at("addressCountry"), name);
  }
  copyStrings(c, address, ADDRESS_STRINGS);
  return address;
}

/** An IdentifierEntry (`{identifier, identifierType}`) of a profile or an achievement. */
export function readIdentifierEntry(c: Ob3Node): Identifier | undefined {
  const value = str(c, "identifier", "value");
  const type = str(c, "identifierType", "identityType");
  if (value === undefined) {
    c.reject(c.src, c.data, "an identifier entry without identifier");
    return undefined;
  }
  const id: Identifier = { value, kind: identifierKind(type) };
  if (type !== undefined) id.identityType = type;
  return id;
}

/** A parent organisation (`parentOrg`) as a membership: its id and name; its other fields are kept as extensions. */
function readParent(c: Ob3Node): Organisation["memberOf"][number] {
  const parent: Organisation["memberOf"][number] = { name: text(c, "name") ?? {} };
  const id = c.id();
  if (id !== undefined) {
    parent.id = id;
    c.trace(c.to("id"), c.at("id"));
  }
  return parent;
}

/** `endorsement` objects and `endorsementJwt` strings of a node, kept as read. */
export function endorsements(n: Ob3Node): unknown[] {
  const objects = raw(n, "endorsement", "endorsements");
  return [...objects, ...raw(n, "endorsementJwt", "endorsements", objects.length)];
}

/**
 * A Profile (or its bare URI) as an organisation: name → legal name, url → homepage, email, phone, address →
 * location, image → logo, otherIdentifier → identifiers, parentOrg → memberOf, endorsements kept as read. Person
 * name parts and `official` have no organisation field and stay extensions.
 */
export function readProfile(c: Ob3Node): Organisation {
  const org = emptyOrganisation();
  const id = c.id();
  if (id !== undefined) {
    org.id = id;
    c.trace(c.to("id"), c.at("id"));
  }
  copyTexts(c, org, PROFILE_TEXTS);
  const url = str(c, "url", null);
  if (url !== undefined) {
    org.homepages.push(url);
    c.trace(c.to(["homepages", 0]), c.at("url"));
  }
  const email = str(c, "email", null);
  if (email !== undefined) {
    org.emails.push(email.replace(/^mailto:/i, ""));
    c.trace(c.to(["emails", 0]), c.at("email"));
  }
  const phone = str(c, "phone", null);
  if (phone !== undefined) {
    org.phones.push(phone);
    c.trace(c.to(["phones", 0]), c.at("phone"));
  }
  const address = oneAt(c, "address", ["locations", 0, "address"], readAddress);
  if (address) {
    org.locations.push({ address: address.value });
    c.trace(c.to(["locations", 0]), address.src);
  }
  const logo = one(c, "image", "logo", readImage, true);
  if (logo) org.logo = logo;
  org.identifiers = many(c, "otherIdentifier", "identifiers", readIdentifierEntry);
  const parent = one(c, "parentOrg", ["memberOf", 0], readParent, true);
  if (parent) org.memberOf.push(parent);
  const endorsed = endorsements(c);
  if (endorsed.length > 0) org.endorsements = endorsed;
  readProfileExtension(c, org);
  return org;
}
