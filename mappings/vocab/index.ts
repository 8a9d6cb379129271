/**
 * Controlled vocabularies and code conversions the formats share: ELM concept schemes (EQF, credit systems, modes,
 * assessment types, credential profiles...), EU authority tables (countries, languages, file types) and their
 * mapping to the codes other formats use (ISO 3166-1 alpha-2, BCP 47 language tags, MIME types).
 */
import countries from "i18n-iso-countries";
import type { Concept } from "../model.js";
import { SNB_CONCEPTS, type SnbScheme } from "./snb.js";

const SNB = "http://data.europa.eu/snb";
const AUTHORITY = "http://publications.europa.eu/resource/authority";

/** Concept scheme URIs (what `inScheme` holds), by short name. */
export const SCHEMES = {
  eqf: `${SNB}/eqf/25831c2`,
  qdr: `${SNB}/qdr/25831c2`,
  credit: `${SNB}/education-credit/25831c2`,
  mode: `${SNB}/learning-assessment/25831c2`,
  learningSetting: `${SNB}/learning-setting/25831c2`,
  learningSchedule: `${SNB}/learning-schedule/25831c2`,
  assessment: `${SNB}/assessment/25831c2`,
  supervision: `${SNB}/supervision-verification/25831c2`,
  learningActivity: `${SNB}/learning-activity/25831c2`,
  learningOpportunity: `${SNB}/learning-opportunity/25831c2`,
  iscedf: `${SNB}/isced-f/25831c2`,
  accreditation: `${SNB}/accreditation/25831c2`,
  entitlement: `${SNB}/entitlement/25831c2`,
  entitlementStatus: `${SNB}/entitlement-status/25831c2`,
  credential: `${SNB}/credential/25831c2`,
  evidenceType: `${SNB}/evidence-type/25831c2`,
  encoding: `${SNB}/encoding/25831c2`,
  skillReuseLevel: `${SNB}/skill-reuse-level/25831c2`,
  skillType: `${SNB}/skill-type/25831c2`,
  targetGroup: `${SNB}/target-group/25831c2`,
  verification: `${SNB}/verification/25831c2`,
  verificationStatus: `${SNB}/verification-status/25831c2`,
  esco: "http://data.europa.eu/esco/concept-scheme/skills",
  country: `${AUTHORITY}/country`,
  language: `${AUTHORITY}/language`,
  fileType: `${AUTHORITY}/file-type`,
  atu: `${AUTHORITY}/atu`,
} as const;

/** A known concept of a vocabulary. */
export interface VocabConcept {
  uri: string;
  scheme: string;
  /** English label. */
  label: string;
  notation?: string;
}

const BY_URI = new Map<string, VocabConcept>();
for (const [scheme, codes] of Object.entries(SNB_CONCEPTS) as [SnbScheme, Record<string, string>][]) {
  for (const [code, label] of Object.entries(codes)) {
    const uri = `${SNB}/${scheme}/${code}`;
    BY_URI.set(uri, { uri, scheme: `${SNB}/${scheme}/25831c2`, label });
  }
}

/** The known concept behind a URI (ELM vocabularies), or undefined. */
export function lookupConcept(uri: string): VocabConcept | undefined {
  return BY_URI.get(uri);
}

/** A vocabulary concept as the model holds it. */
export function toConcept(v: VocabConcept): Concept {
  return { uri: v.uri, label: { en: v.label }, scheme: v.scheme, ...(v.notation ? { notation: v.notation } : {}) };
}

/** The model concept of a known ELM concept, by scheme and code; throws on a code this table lacks (a bug). */
export function snbConcept<S extends SnbScheme>(scheme: S, code: keyof (typeof SNB_CONCEPTS)[S] & string): Concept {
  const v = lookupConcept(`${SNB}/${scheme}/${code}`);
  if (!v) throw new Error(`unknown concept ${scheme}/${code}`);
  return toConcept(v);
}

/** Whether a concept belongs to a scheme, by its `scheme` or, failing that, by its URI's path. */
export function isInScheme(c: Concept | undefined, scheme: string): boolean {
  if (!c) return false;
  if (c.scheme === scheme) return true;
  const base = scheme.replace(/\/25831c2$/, "/");
  return c.uri?.startsWith(base) === true && c.uri.length > base.length;
}

export const ECTS = snbConcept("education-credit", "6fcec5c5af");
export const ECVET = snbConcept("education-credit", "60b314e826");
export const ENCODING_BASE64 = snbConcept("encoding", "6146cde7dd");

/** ELM credential profiles (credentialProfiles) and the SHACL application profile each is validated against. */
export const CREDENTIAL_PROFILES = {
  generic: snbConcept("credential", "e34929035b"),
  accredited: snbConcept("credential", "c_ae121a00"),
  issuedByMandate: snbConcept("credential", "c_9a31f32a"),
  converted: snbConcept("credential", "c_7e400154"),
  diplomaSupplement: snbConcept("credential", "6dff8a0f87"),
} as const;

export const PROFILE_SHAPES: Record<keyof typeof CREDENTIAL_PROFILES, string> = {
  generic: "http://data.europa.eu/snb/model/ap/edc-generic-full",
  accredited: "http://data.europa.eu/snb/model/ap/edc-accredited",
  issuedByMandate: "http://data.europa.eu/snb/model/ap/edc-issued-by-mandate",
  converted: "http://data.europa.eu/snb/model/ap/edc-converted",
  diplomaSupplement: "http://data.europa.eu/snb/model/ap/edc-diploma-supplement",
};

/** Modes of learning and assessment (Annex I "form of participation"). */
export const MODES = {
  online: snbConcept("learning-assessment", "920fbb3cbe"),
  blended: snbConcept("learning-assessment", "e92d221e4d"),
  presential: snbConcept("learning-assessment", "9191af2ed9"),
  workbased: snbConcept("learning-assessment", "729f3bed4b"),
  projectBased: snbConcept("learning-assessment", "7813801c77"),
  researchLab: snbConcept("learning-assessment", "ed4c557045"),
} as const;

export const LEARNING_SETTINGS = {
  formal: snbConcept("learning-setting", "6fd4685715"),
  nonFormal: snbConcept("learning-setting", "e207a81fc7"),
} as const;

export const SUPERVISION = {
  supervisedWithId: snbConcept("supervision-verification", "70be69aaf9"),
  unsupervisedWithoutId: snbConcept("supervision-verification", "c598449d64"),
  idVerification: snbConcept("supervision-verification", "44314532f9"),
  unsupervisedWithId: snbConcept("supervision-verification", "df2880c5cb"),
} as const;

export const EVIDENCE_TYPES = {
  mandate: snbConcept("evidence-type", "c_18016257"),
  conversion: snbConcept("evidence-type", "c_c4f849d7"),
  accreditation: snbConcept("evidence-type", "c_991b06c6"),
} as const;

export const ACCREDITATION_TYPES = {
  institutionalQa: snbConcept("accreditation", "bb4618238e"),
  programmeQa: snbConcept("accreditation", "820101cba6"),
  institutionalLicence: snbConcept("accreditation", "003293d2ce"),
  programmeLicence: snbConcept("accreditation", "e57dddfcf3"),
} as const;

/** The EQF level (1–8) a concept names, by its URI (`.../eqf/6`) or notation; undefined otherwise. */
export function eqfLevelNumber(c?: Concept): number | undefined {
  if (!c) return undefined;
  const m = c.uri ? /^http:\/\/data\.europa\.eu\/snb\/eqf\/(\d+)$/.exec(c.uri) : null;
  const raw = m?.[1] ?? c.notation;
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 8 ? n : undefined;
}

/** The EQF concept of a level 1–8. */
export function eqfConcept(level: number): Concept {
  if (!Number.isInteger(level) || level < 1 || level > 8) throw new RangeError(`EQF level must be 1..8, got ${level}`);
  return snbConcept("eqf", String(level) as "1");
}

/**
 * ISO 3166-1 alpha-2 code of a country given as alpha-2, alpha-3 (what the EU country authority uses), or an EU
 * authority URI. Undefined when unknown.
 */
export function countryAlpha2(codeOrUri: string): string | undefined {
  const code = codeOrUri
    .trim()
    .replace(/^.*\/country\//, "")
    .toUpperCase();
  if (code.length === 2) return countries.isValid(code) ? code : undefined;
  if (code.length === 3) return countries.alpha3ToAlpha2(code) ?? undefined;
  return undefined;
}

/** The EU country authority URI of an alpha-2 code (`IE` → `.../country/IRL`). */
export function countryUri(alpha2: string): string | undefined {
  const a3 = countries.alpha2ToAlpha3(alpha2.toUpperCase());
  return a3 ? `${SCHEMES.country}/${a3}` : undefined;
}

/** The country's English name, for display. */
export function countryName(alpha2: string): string | undefined {
  return countries.getName(alpha2.toUpperCase(), "en") ?? undefined;
}

/**
 * ISO 639-1 tags ↔ EU language authority codes (ISO 639-3 / 639-2/T) for the EU's official languages and the others
 * credentials in Europe are commonly written in.
 */
const LANGUAGES: Record<string, string> = {
  bg: "BUL",
  cs: "CES",
  da: "DAN",
  de: "DEU",
  el: "ELL",
  en: "ENG",
  es: "SPA",
  et: "EST",
  fi: "FIN",
  fr: "FRA",
  ga: "GLE",
  hr: "HRV",
  hu: "HUN",
  it: "ITA",
  lt: "LIT",
  lv: "LAV",
  mt: "MLT",
  nl: "NLD",
  pl: "POL",
  pt: "POR",
  ro: "RON",
  sk: "SLK",
  sl: "SLV",
  sv: "SWE",
  is: "ISL",
  no: "NOR",
  nb: "NOB",
  nn: "NNO",
  tr: "TUR",
  uk: "UKR",
  ru: "RUS",
  sr: "SRP",
  sq: "SQI",
  mk: "MKD",
  bs: "BOS",
  ca: "CAT",
  eu: "EUS",
  gl: "GLG",
  cy: "CYM",
  lb: "LTZ",
  ar: "ARA",
  zh: "ZHO",
  ja: "JPN",
  ko: "KOR",
  he: "HEB",
  hi: "HIN",
  la: "LAT",
  ka: "KAT",
  hy: "HYE",
  az: "AZE",
};
const LANGUAGE_BY_CODE = new Map(Object.entries(LANGUAGES).map(([tag, code]) => [code, tag]));

/** BCP 47 primary tag of a language given as a tag, an EU authority code or URI (`ENG`, `.../language/ENG`). */
export function languageTag(codeOrUri: string): string | undefined {
  const raw = codeOrUri.trim().replace(/^.*\/language\//, "");
  if (/^[a-z]{2}([-_][A-Za-z0-9]+)*$/i.test(raw)) {
    const primary = raw.slice(0, 2).toLowerCase();
    return primary in LANGUAGES ? primary : raw.slice(0, 2).toLowerCase();
  }
  return LANGUAGE_BY_CODE.get(raw.toUpperCase());
}

/** The EU language authority URI of a BCP 47 tag (`en` → `.../language/ENG`). */
export function languageUri(tag: string): string | undefined {
  const code = LANGUAGES[tag.slice(0, 2).toLowerCase()];
  return code ? `${SCHEMES.language}/${code}` : undefined;
}

/** EU file-type authority codes ↔ MIME types. */
const FILE_TYPES: Record<string, string> = {
  JPEG: "image/jpeg",
  PNG: "image/png",
  GIF: "image/gif",
  TIFF: "image/tiff",
  SVG: "image/svg+xml",
  PDF: "application/pdf",
  XML: "application/xml",
  JSON: "application/json",
  HTML: "text/html",
  TXT: "text/plain",
};
const FILE_TYPE_BY_MIME = new Map(Object.entries(FILE_TYPES).map(([code, mime]) => [mime, code]));

/** MIME type of an EU file-type URI or code (`.../file-type/JPEG` → `image/jpeg`). */
export function mediaTypeOf(fileTypeUriOrName: string): string | undefined {
  if (fileTypeUriOrName.includes("/") && !fileTypeUriOrName.includes("/file-type/")) {
    return FILE_TYPE_BY_MIME.has(fileTypeUriOrName) ? fileTypeUriOrName : undefined;
  }
  return FILE_TYPES[fileTypeUriOrName.replace(/^.*\/file-type\//, "").toUpperCase()];
}

/** The EU file-type URI of a MIME type (`image/svg+xml` → `.../file-type/SVG`). */
export function fileTypeUri(mediaType: string): string | undefined {
  const code = FILE_TYPE_BY_MIME.get(mediaType.split(";")[0]?.trim().toLowerCase() ?? "");
  return code ? `${SCHEMES.fileType}/${code}` : undefined;
}
