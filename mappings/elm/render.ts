/**
 * Renders a credential as an SVG page (A4 landscape), the human-readable image EDC requires in every credential's
 * `displayParameter` (`individualDisplay.displayDetail.image`). The page shows what a reader of a certificate looks
 * for, and what the EU micro-credential Recommendation (Annex I) asks to be visible: the title, the learner, the
 * awarding body and its country, the date, the learning outcomes, the workload in credits and the level, and the
 * assessment with its grade. Text is XML-escaped; nothing from the credential is interpreted as markup.
 */
import type { CanonicalCredential, Claim, LangMap, Organisation, Specification } from "../model.js";
import { countryName, ECTS, ECVET, eqfLevelNumber } from "../vocab/index.js";

/** Page size in CSS pixels (96 dpi): A4 landscape, 297 mm × 210 mm. */
export const PAGE = { width: 1123, height: 794 } as const;

/** The words the page prints around the credential's data. */
type Labels = Record<
  | "awardedTo"
  | "awardedBy"
  | "date"
  | "outcomes"
  | "credits"
  | "level"
  | "mode"
  | "assessment"
  | "grade"
  | "more"
  | "note",
  string
>;

/** Page labels per language; other languages use English. */
const LABELS = {
  en: {
    awardedTo: "Awarded to",
    awardedBy: "Awarded by",
    date: "Date",
    outcomes: "Learning outcomes",
    credits: "Workload",
    level: "Level",
    mode: "Form of participation",
    assessment: "Assessment",
    grade: "Grade",
    more: "more",
    note: "Rendered by the EDC interoperability gateway from the credential's data; the credential's seal is what proves it.",
  },
  fr: {
    awardedTo: "Délivré à",
    awardedBy: "Délivré par",
    date: "Date",
    outcomes: "Acquis d'apprentissage",
    credits: "Charge de travail",
    level: "Niveau",
    mode: "Modalité",
    assessment: "Évaluation",
    grade: "Note",
    more: "de plus",
    note: "Rendu par la passerelle d'interopérabilité EDC à partir des données de l'attestation ; son cachet en fait foi.",
  },
  de: {
    awardedTo: "Verliehen an",
    awardedBy: "Verliehen von",
    date: "Datum",
    outcomes: "Lernergebnisse",
    credits: "Arbeitsaufwand",
    level: "Niveau",
    mode: "Lernform",
    assessment: "Prüfung",
    grade: "Note",
    more: "weitere",
    note: "Vom EDC-Interoperabilitäts-Gateway aus den Daten des Nachweises erstellt; maßgeblich ist sein Siegel.",
  },
  es: {
    awardedTo: "Otorgado a",
    awardedBy: "Otorgado por",
    date: "Fecha",
    outcomes: "Resultados de aprendizaje",
    credits: "Carga de trabajo",
    level: "Nivel",
    mode: "Modalidad",
    assessment: "Evaluación",
    grade: "Calificación",
    more: "más",
    note: "Generado por la pasarela de interoperabilidad EDC a partir de los datos de la credencial; su sello es la prueba.",
  },
  it: {
    awardedTo: "Rilasciato a",
    awardedBy: "Rilasciato da",
    date: "Data",
    outcomes: "Risultati di apprendimento",
    credits: "Carico di lavoro",
    level: "Livello",
    mode: "Modalità",
    assessment: "Valutazione",
    grade: "Voto",
    more: "altri",
    note: "Generato dal gateway di interoperabilità EDC dai dati della credenziale; fa fede il suo sigillo.",
  },
} satisfies Record<string, Labels>;

const labelsFor = (lang: string): Labels => (lang in LABELS ? LABELS[lang as keyof typeof LABELS] : LABELS.en);

/** Any character {@link escapeXml} replaces or drops (the control characters, surrogates, and the five markup ones). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting the control characters XML 1.0 forbids.
const NEEDS_ESCAPE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF&<>"']/;

/** Escapes text for SVG/XML content and attributes, dropping characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  // Most texts (labels, names, dates) hold nothing to escape or drop: one scan instead of seven replacements.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML 1.0 forbids.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
      .replaceAll("&", "&amp;")
      .replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;")
      .replaceAll('"', "&quot;")
      .replaceAll("'", "&apos;")
  );
}

/** The text of a language map in a language, else in English, else `und`, else any. */
export function textIn(map: LangMap | undefined, lang: string): string | undefined {
  if (!map) return undefined;
  const pick = (k: string): string | undefined => {
    const v = map[k];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  return (
    pick(lang) ??
    pick("en") ??
    pick("und") ??
    Object.keys(map)
      .map(pick)
      .find((v) => v !== undefined)
  );
}

/** Splits text into lines of at most `width` characters, at spaces where possible; at most `maxLines` lines. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  // The same texts recur on every page of a batch (labels, titles, awarding bodies): wrapped once, copied out.
  const key = `${width}|${maxLines}|${text}`;
  const cached = wrapped.get(key);
  if (cached !== undefined) return [...cached];
  const lines = wrapText(text, width, maxLines);
  if (wrapped.size >= WRAP_CACHE_SIZE) wrapped.clear();
  if (text.length <= 1_000) wrapped.set(key, lines);
  return [...lines];
}

/** Wrapped texts by width, line count and text; bounded (cleared when full), short texts only. */
const wrapped = new Map<string, readonly string[]>();
const WRAP_CACHE_SIZE = 2_048;

function wrapText(text: string, width: number, maxLines: number): string[] {
  const words = text.replace(/\s+/g, " ").trim().split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const chunks = word.length > width ? (word.match(new RegExp(`.{1,${width}}`, "gu")) ?? [word]) : [word];
    for (const chunk of chunks) {
      if (line === "") line = chunk;
      else if (line.length + 1 + chunk.length <= width) line = `${line} ${chunk}`;
      else {
        lines.push(line);
        line = chunk;
      }
    }
  }
  if (line !== "") lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    const last = kept[maxLines - 1] ?? "";
    kept[maxLines - 1] = `${last.slice(0, Math.max(0, width - 1))}…`;
    return kept;
  }
  return lines;
}

/**
 * Intl formatters by language, made once: constructing one costs far more than formatting with it (a fresh
 * DateTimeFormat per credential was the CSV → ELM hot spot, bench). Keyed by the language tag as given.
 */
const regionNames = new Map<string, Intl.DisplayNames>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** `make()` for `lang`, cached; a tag Intl refuses throws each time (nothing cached), as before. */
function cachedIntl<T>(cache: Map<string, T>, lang: string, make: () => T): T {
  let value = cache.get(lang);
  if (value === undefined) {
    value = make();
    if (cache.size < 256) cache.set(lang, value);
  }
  return value;
}

/**
 * Labels already made, by language then value: formatting with Intl costs more than the rest of a page, and a batch
 * repeats its dates and countries. Bounded: a table is cleared when it holds too many.
 */
const countryLabels = new Map<string, Map<string, string>>();
const dateLabels = new Map<string, Map<string, string>>();
const LABEL_CACHE_SIZE = 4_096;

/** `make()` for `lang` and `value`, cached in `cache`. */
function cachedLabel(cache: Map<string, Map<string, string>>, lang: string, value: string, make: () => string): string {
  let byValue = cache.get(lang);
  if (byValue === undefined) {
    if (cache.size >= 64) cache.clear();
    byValue = new Map();
    cache.set(lang, byValue);
  }
  let label = byValue.get(value);
  if (label === undefined) {
    label = make();
    if (byValue.size >= LABEL_CACHE_SIZE) byValue.clear();
    byValue.set(value, label);
  }
  return label;
}

/** A country's name in a language (Intl), falling back to English. */
function countryLabel(alpha2: string, lang: string): string {
  return cachedLabel(countryLabels, lang, alpha2, () => countryLabelOf(alpha2, lang));
}

function countryLabelOf(alpha2: string, lang: string): string {
  try {
    const names = cachedIntl(regionNames, lang, () => new Intl.DisplayNames([lang, "en"], { type: "region" }));
    const name = names.of(alpha2.toUpperCase());
    if (name && name !== alpha2.toUpperCase()) return name;
  } catch {
    // An unknown language or region: fall back below.
  }
  return countryName(alpha2) ?? alpha2.toUpperCase();
}

/** A date as a reader of the language writes it (UTC day), or the string as given when it is not a date. */
function dateLabel(value: string, lang: string): string {
  return cachedLabel(dateLabels, lang, value, () => dateLabelOf(value, lang));
}

function dateLabelOf(value: string, lang: string): string {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) return value;
  try {
    const format = cachedIntl(
      dateFormats,
      lang,
      () => new Intl.DateTimeFormat([lang, "en"], { dateStyle: "long", timeZone: "UTC" }),
    );
    return format.format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

const DURATION =
  /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** An ISO 8601 duration with unit symbols (`PT60H` → `60 h`, `P1M` → `1 mo`); other text as given. */
export function durationLabel(value: string): string {
  const m = DURATION.exec(value);
  if (!m || value === "P" || value === "PT") return value;
  const units = ["y", "mo", "wk", "d", "h", "min", "s"];
  const parts = units.flatMap((unit, i) => (m[i + 1] === undefined ? [] : [`${m[i + 1]} ${unit}`]));
  return parts.length > 0 ? parts.join(" ") : value;
}

/** What the page shows, in one language. */
export interface PageView {
  lang: string;
  title: string;
  /** The claim's own title, when the credential's display title differs from it. */
  subtitle?: string;
  learner?: string;
  awardingBody?: string;
  country?: string;
  date?: string;
  outcomes: string[];
  facts: string[];
  assessments: { title: string; grade?: string }[];
  logo?: { mediaType: string; content: string };
}

const personName = (c: CanonicalCredential, lang: string): string | undefined => {
  const p = c.learner;
  const full = textIn(p.fullName, lang);
  if (full) return full;
  const parts = [textIn(p.givenName, lang), textIn(p.familyName, lang)].filter((v) => v !== undefined);
  return parts.length > 0 ? parts.join(" ") : undefined;
};

function creditsText(spec: Specification | undefined, claim: Claim): string | undefined {
  const credits = claim.creditsEarned.length > 0 ? claim.creditsEarned : (spec?.credits ?? []);
  const parts = credits.map((c) => {
    const framework =
      c.framework?.uri === ECTS.uri
        ? "ECTS"
        : c.framework?.uri === ECVET.uri
          ? "ECVET"
          : (c.framework?.notation ?? textIn(c.framework?.label, "en") ?? "");
    return `${c.points} ${framework}`.trim();
  });
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/** The assessments of a claim (its `provenBy`, or the claim itself when it is an assessment). */
function assessmentsOf(claim: Claim): Claim[] {
  return claim.kind === "assessment" ? [claim] : claim.provenBy;
}

/** Builds the page view of a credential in one language. */
export function pageView(credential: CanonicalCredential, lang: string, title: LangMap | undefined): PageView {
  const claim = credential.claims[0];
  const spec = claim?.specification;
  const body: Organisation | undefined = claim?.awardingBodies[0] ?? credential.issuer;
  const country = body?.locations.find((l) => l.address?.country)?.address?.country;
  const when = credential.issued ?? claim?.awardingDate ?? credential.validFrom;
  const view: PageView = {
    lang,
    title: textIn(title, lang) ?? textIn(claim?.title, lang) ?? textIn(spec?.title, lang) ?? "",
    outcomes: (spec?.learningOutcomes ?? []).map((o) => textIn(o.title, lang)).filter((t) => t !== undefined),
    facts: [],
    assessments: [],
  };
  const claimTitle = textIn(claim?.title, lang) ?? textIn(spec?.title, lang);
  if (claimTitle && claimTitle !== view.title) view.subtitle = claimTitle;
  const learner = personName(credential, lang);
  if (learner) view.learner = learner;
  const org = textIn(body?.legalName, lang);
  if (org) view.awardingBody = org;
  if (country) view.country = countryLabel(country, lang);
  if (when) view.date = dateLabel(when, lang);
  const labels = labelsFor(lang);
  if (claim) {
    const credits = creditsText(spec, claim);
    const workload = spec?.volumeOfLearning ? durationLabel(spec.volumeOfLearning) : undefined;
    if (credits || workload) view.facts.push(`${labels.credits}: ${[credits, workload].filter(Boolean).join(" · ")}`);
  }
  const eqf = eqfLevelNumber(spec?.eqfLevel);
  const nqf = spec?.nqfLevels.map((l) => textIn(l.label, lang)).filter((t) => t !== undefined) ?? [];
  if (eqf !== undefined || nqf.length > 0) {
    view.facts.push(
      `${labels.level}: ${[eqf !== undefined ? `EQF ${eqf}` : undefined, ...nqf].filter(Boolean).join(" · ")}`,
    );
  }
  const modes = (spec?.modes ?? []).map((m) => textIn(m.label, lang)).filter((t) => t !== undefined);
  if (modes.length > 0) view.facts.push(`${labels.mode}: ${modes.join(", ")}`);
  for (const a of claim ? assessmentsOf(claim) : []) {
    const type = a.specification?.types.map((t) => textIn(t.label, lang)).find((t) => t !== undefined);
    const name = textIn(a.title, lang) ?? textIn(a.specification?.title, lang) ?? type ?? labels.assessment;
    const grade = textIn(a.grade?.note, lang) ?? a.grade?.value;
    const title = type && type.toLowerCase() !== name.toLowerCase() ? `${name} (${type})` : name;
    view.assessments.push(grade ? { title, grade } : { title });
  }
  const logo = body?.logo;
  if (logo?.content && logo.mediaType && /^image\/(png|jpeg|gif|svg\+xml)$/.test(logo.mediaType)) {
    if (logo.content.length <= 200_000 && /^[A-Za-z0-9+/=\s]+$/.test(logo.content)) {
      view.logo = { mediaType: logo.mediaType, content: logo.content.replace(/\s+/g, "") };
    }
  }
  return view;
}

/** One `<text>` element per line. */
function textLines(lines: string[], x: number, y: number, lineHeight: number, attrs: string): string {
  return lines.map((line, i) => `<text x="${x}" y="${y + i * lineHeight}" ${attrs}>${escapeXml(line)}</text>`).join("");
}

/**
 * The page around the learner's name: the SVG before it and after it. Every row of a batch shares the page but for
 * the name, and where the name sits depends only on whether there is one, so the rest is rendered once per batch.
 */
interface PageTemplate {
  head: string;
  tail: string;
  /** Where the learner's label line sits. */
  learnerAt: number;
}

/** Templates by the view without its learner; bounded (cleared when full). Views with a logo are not cached. */
const templates = new Map<string, PageTemplate>();
const TEMPLATE_CACHE_SIZE = 256;

/** The SVG text of the learner's name (its label and the name, one line). */
function learnerLines(view: PageView, y: number): string {
  const labels = labelsFor(view.lang);
  return (
    textLines([labels.awardedTo], 72, y, 0, `font-size="18" fill="#555555"`) +
    textLines(wrap(view.learner ?? "", 48, 1), 72, y + 40, 0, `font-size="32" fill="#111111"`)
  );
}

/** Renders a page view as an SVG document (UTF-8 text). */
export function renderSvg(view: PageView): string {
  if (!view.learner) return renderPage(view).head;
  let template: PageTemplate | undefined;
  if (view.logo) template = renderPage(view);
  else {
    const { learner: _name, ...rest } = view;
    const key = JSON.stringify(rest);
    template = templates.get(key);
    if (template === undefined) {
      template = renderPage(view);
      if (templates.size >= TEMPLATE_CACHE_SIZE) templates.clear();
      templates.set(key, template);
    }
  }
  return template.head + learnerLines(view, template.learnerAt) + template.tail;
}

/**
 * The page of a view, split where the learner's name goes (`tail` empty and `head` the whole page when the view has
 * no learner). The name's own lines are not in either part.
 */
function renderPage(view: PageView): PageTemplate {
  const labels = labelsFor(view.lang);
  const { width, height } = PAGE;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 ${width} ${height}" ` +
      `lang="${escapeXml(view.lang)}" font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif">`,
    `<title>${escapeXml(view.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect x="24" y="24" width="${width - 48}" height="${height - 48}" fill="none" stroke="#003399" stroke-width="4"/>`,
    `<rect x="34" y="34" width="${width - 68}" height="${height - 68}" fill="none" stroke="#ffcc00" stroke-width="2"/>`,
  );
  if (view.logo) {
    out.push(
      `<image x="${width - 214}" y="56" width="150" height="90" preserveAspectRatio="xMidYMid meet" ` +
        `href="data:${view.logo.mediaType};base64,${view.logo.content}"/>`,
    );
  }
  const titleLines = wrap(view.title, view.logo ? 44 : 52, 2);
  out.push(textLines(titleLines, 72, 110, 44, `font-size="36" font-weight="bold" fill="#003399"`));
  let y = 110 + titleLines.length * 44 - 8;
  if (view.subtitle) {
    const lines = wrap(view.subtitle, view.logo ? 60 : 72, 2);
    out.push(textLines(lines, 72, y + 6, 30, `font-size="24" fill="#003399"`));
    y += lines.length * 30 + 4;
  }
  y += 32;
  const split = out.length;
  const learnerAt = y;
  if (view.learner) y += 76;
  if (view.awardingBody) {
    const who = view.country ? `${view.awardingBody} (${view.country})` : view.awardingBody;
    const lines = wrap(`${labels.awardedBy}: ${who}`, 90, 2);
    out.push(textLines(lines, 72, y, 26, `font-size="20" fill="#111111"`));
    y += lines.length * 26;
  }
  if (view.date) {
    out.push(textLines([`${labels.date}: ${view.date}`], 72, y + 4, 0, `font-size="20" fill="#111111"`));
    y += 30;
  }
  y += 10;
  out.push(`<line x1="72" y1="${y}" x2="${width - 72}" y2="${y}" stroke="#003399" stroke-width="1.5"/>`);
  const top = y + 34;
  // Left column: learning outcomes.
  let left = top;
  if (view.outcomes.length > 0) {
    out.push(textLines([labels.outcomes], 72, left, 0, `font-size="20" font-weight="bold" fill="#003399"`));
    left += 30;
    const bottom = height - 90;
    for (const [i, outcome] of view.outcomes.entries()) {
      const lines = wrap(outcome, 58, 3);
      if (left + lines.length * 22 > bottom) {
        out.push(
          textLines([`+ ${view.outcomes.length - i} ${labels.more}`], 84, left, 0, `font-size="16" fill="#555555"`),
        );
        break;
      }
      out.push(`<circle cx="78" cy="${left - 5}" r="3" fill="#003399"/>`);
      out.push(textLines(lines, 90, left, 22, `font-size="16" fill="#111111"`));
      left += lines.length * 22 + 6;
    }
  }
  // Right column: workload, level, assessments.
  let right = top;
  const x = view.outcomes.length > 0 ? 640 : 72;
  const cols = view.outcomes.length > 0 ? 44 : 90;
  for (const fact of view.facts) {
    const lines = wrap(fact, cols, 2);
    out.push(textLines(lines, x, right, 24, `font-size="18" fill="#111111"`));
    right += lines.length * 24 + 8;
  }
  if (view.assessments.length > 0) {
    right += 6;
    out.push(textLines([labels.assessment], x, right, 0, `font-size="20" font-weight="bold" fill="#003399"`));
    right += 28;
    for (const a of view.assessments.slice(0, 4)) {
      const lines = wrap(a.title, cols, 2);
      out.push(textLines(lines, x, right, 22, `font-size="16" fill="#111111"`));
      right += lines.length * 22;
      if (a.grade) {
        const grade = wrap(`${labels.grade}: ${a.grade}`, cols, 1);
        out.push(textLines(grade, x, right, 0, `font-size="16" font-weight="bold" fill="#111111"`));
        right += 26;
      }
      right += 4;
    }
  }
  out.push(textLines(wrap(labels.note, 120, 1), 72, height - 52, 0, `font-size="12" fill="#777777"`));
  out.push("</svg>");
  if (!view.learner) return { head: out.join(""), tail: "", learnerAt };
  return { head: out.slice(0, split).join(""), tail: out.slice(split).join(""), learnerAt };
}

/** The SVG page of a credential in a language, `title` being the display title chosen by the writer. */
export function renderCredentialSvg(credential: CanonicalCredential, lang: string, title?: LangMap): string {
  return renderSvg(pageView(credential, lang, title));
}
