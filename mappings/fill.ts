/**
 * `options.fill`: what a caller supplies that the source lacks, so that a registrar can make a conforming credential
 * on purpose (the issuer's country, the credit system of credits that name none, a display title, the language of the
 * texts). Writers use a filled value only where the source has none, and list each use in `derived`; without `fill`
 * nothing is made up.
 */
import { isRecord } from "../lib/guards.js";
import type { Concept, LangMap, ReadIssue } from "./model.js";
import { countryUri, ECTS, ECVET, languageUri } from "./vocab/index.js";

export interface Fill {
  /** ISO 3166-1 alpha-2 country of the issuer (and of the awarding body that is the issuer) when it has none. */
  issuerCountry?: string;
  /** The credit system of credit points that name none. */
  creditFramework?: Concept;
  /** The credential's display title when it has no title at all. */
  title?: LangMap;
  /** The language (ISO 639-1) of texts whose language the source does not state. */
  language?: string;
}

const EDUCATION_CREDIT = "http://data.europa.eu/snb/education-credit/";

const FRAMEWORKS: Record<string, Concept> = { ects: ECTS, ecvet: ECVET };

/** `options.fill` read, or the issues naming each wrong member (paths under `/options/fill`). */
export function parseFill(value: unknown): { fill?: Fill; issues: ReadIssue[] } {
  if (value === undefined) return { issues: [] };
  const at = "/options/fill";
  if (!isRecord(value)) return { issues: [{ path: at, message: "must be an object" }] };
  const issues: ReadIssue[] = [];
  const fill: Fill = {};
  for (const key of Object.keys(value)) {
    if (!["issuerCountry", "creditFramework", "title", "language"].includes(key))
      issues.push({
        path: `${at}/${key}`,
        message: "not a fill member (issuerCountry, creditFramework, title, language)",
      });
  }
  const { issuerCountry, creditFramework, title, language } = value;
  if (issuerCountry !== undefined) {
    if (typeof issuerCountry === "string" && /^[A-Za-z]{2}$/.test(issuerCountry) && countryUri(issuerCountry))
      fill.issuerCountry = issuerCountry.toUpperCase();
    else issues.push({ path: `${at}/issuerCountry`, message: "must be an ISO 3166-1 alpha-2 country code" });
  }
  if (creditFramework !== undefined) {
    const known = typeof creditFramework === "string" ? FRAMEWORKS[creditFramework.toLowerCase()] : undefined;
    if (known) fill.creditFramework = known;
    else if (typeof creditFramework === "string" && creditFramework.startsWith(EDUCATION_CREDIT))
      fill.creditFramework = known ?? { uri: creditFramework };
    else
      issues.push({
        path: `${at}/creditFramework`,
        message: `must be ECTS, ECVET or a concept URI of ${EDUCATION_CREDIT}`,
      });
  }
  if (title !== undefined) {
    if (typeof title === "string" && title.trim() !== "") fill.title = { und: title };
    else if (
      isRecord(title) &&
      Object.keys(title).length > 0 &&
      Object.values(title).every((t) => typeof t === "string" && t.trim() !== "")
    )
      fill.title = title as LangMap;
    else issues.push({ path: `${at}/title`, message: 'must be a text or a language map ({"en": "…"})' });
  }
  if (language !== undefined) {
    if (typeof language === "string" && /^[a-z]{2}$/i.test(language) && languageUri(language))
      fill.language = language.toLowerCase();
    else issues.push({ path: `${at}/language`, message: "must be an ISO 639-1 code of an EU language table entry" });
  }
  // A plain-text title is in the filled language when one is given.
  const plain = fill.title?.und;
  if (plain !== undefined && fill.language !== undefined && Object.keys(fill.title ?? {}).length === 1)
    fill.title = { [fill.language]: plain };
  return issues.length > 0 ? { issues } : { fill, issues };
}

/** The fill of a writer's options, when a use case parsed one (writers never refuse: anything else is ignored). */
export function fillOf(options: { fill?: unknown } | undefined): Fill {
  const parsed = parseFill(options?.fill);
  return parsed.fill ?? {};
}
