/**
 * The EMREX ELMO writer: a canonical credential → an ELMO 2.0 document (namespace `…/elmo-schemas/tree/v1`, valid
 * against the v2.0 XSD), which EMREX 2.0 requests data in. The official ELMO → ELM mapping read backwards:
 *
 * - the learner → `learner` (citizenship, identifiers, names, date and place of birth, birth name, gender);
 * - the credential → one `report`: its issuer (or the first awarding body) → `issuer` (country, identifiers, title,
 *   url), `issued` → `issueDate`, the grading schemes the claims use → `gradingScheme`;
 * - each achievement claim → a `learningOpportunitySpecification` (title, type, ISCED-F code, url, description) with
 *   its `hasPart` claims nested, and its `learningOpportunityInstance`: awarding date → `date`, the first `provenBy`
 *   assessment → `status`, `gradingSchemeLocalId` and `resultLabel`, credits → `credit`, EQF and other levels →
 *   `level`, the language of instruction, `engagementHours` from the activity's workload or the specification's
 *   volume of learning (in hours);
 * - evidence and attachments with embedded files → `attachment` (a `data:` URI), referenced from the claims that name
 *   them.
 *
 * What ELMO has no place for is a loss (at its source pointer when provenance knows it). Pure; the clock is injected.
 */

import { DerivedMarks } from "../derived.js";
import {
  type CanonicalCredential,
  type Claim,
  type Concept,
  type Credit,
  type GradingScheme,
  type Identifier,
  type LangMap,
  type Loss,
  type Media,
  type Organisation,
  parsePoints,
  type ReadIssue,
  type WriteResult,
} from "../model.js";
import { countryAlpha2, ECTS, eqfLevelNumber, languageTag } from "../vocab/index.js";
import { el, serializeXml, textEl, type XmlOut } from "../xml/write.js";
import { ELMO_NAMESPACES } from "./read.js";
import { ATTACHMENT_TYPES } from "./vocab.js";

export interface WriteElmoOptions {
  /** The time of writing, for `generatedDate` (and `issueDate` when the credential has no date). */
  now: Date;
}

/** The v2.0 schema's LOS types. */
const LOS_TYPES = ["Degree Programme", "Module", "Course", "Class"] as const;
const STATUSES = ["passed", "failed", "in-progress"] as const;
/** Issuer identifier scheme names (the reader's) → ELMO identifier types. */
const ISSUER_TYPES: Record<string, string> = { PIC: "pic", Erasmus: "erasmus", SCHAC: "schac", local: "local" };
const HUMAN_SEX: Record<string, string> = { MALE: "1", FEMALE: "2", NAP: "9" };
const LOCAL_ID_REASON = "a report-local grading scheme id the writer numbered (ELMO requires one per scheme)";

/** One write: losses and warnings, with pointers into the source when provenance knows them. */
class Log {
  readonly losses: Loss[] = [];
  readonly warnings: ReadIssue[] = [];
  constructor(private readonly paths: Record<string, string>) {}
  private at(path: string): string {
    return this.paths[path] ?? path;
  }
  loss(path: string, reason: string): void {
    this.losses.push({ path: this.at(path), reason });
  }
  warn(path: string, message: string): void {
    this.warnings.push({ path: this.at(path), message });
  }
  /** A loss for each present value ELMO has no element for. */
  unplaced(path: string, fields: Record<string, unknown>, what = "ELMO has no element for this"): void {
    for (const [key, value] of Object.entries(fields)) if (present(value)) this.loss(`${path}/${key}`, what);
  }
}

function present(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.some(present);
  if (typeof v === "object") return Object.values(v).some(present);
  return true;
}

/** `xs:date`: the date part of an ISO date or date-time, or undefined when it is not one. */
const xsDate = (v: string | undefined): string | undefined =>
  v ? /^\d{4}-\d{2}-\d{2}/.exec(v.trim())?.[0] : undefined;

/**
 * Why a date-time written as its day (`xs:date`) is partly written, or undefined when nothing is lost: a date, or a
 * date-time at midnight (the day itself, as Europass XML and EDC write days).
 */
function timeOfDayLost(v: string | undefined): string | undefined {
  const t = v?.trim();
  if (!t || !/^\d{4}-\d{2}-\d{2}T/.test(t) || /T00:00(:00(\.0+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) return undefined;
  return `partly written: ELMO holds the day (xs:date), the time of day of ${t} is not kept`;
}

/** `xs:dateTime`: a date-time as given, a date as midnight UTC. */
function xsDateTime(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = v.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t)) return t;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t}T00:00:00Z`;
  return undefined;
}

/** Hours of an ISO 8601 duration made of days, hours, minutes and seconds; undefined for years, months, weeks. */
export function durationHours(duration: string | undefined): number | undefined {
  if (!duration) return undefined;
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    duration.trim(),
  );
  if (!m || duration.trim() === "P" || duration.trim().endsWith("T")) return undefined;
  const [, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  const hours = (d ?? 0) * 24 + (h ?? 0) + (min ?? 0) / 60 + (s ?? 0) / 3600;
  return Number.isFinite(hours) ? Math.round(hours * 100) / 100 : undefined;
}

/** Language-tagged elements of a language map (`und` has no `xml:lang`). */
function langEls(name: string, map: LangMap | undefined): XmlOut[] {
  return Object.entries(map ?? {})
    .filter(([, text]) => typeof text === "string" && text.trim() !== "")
    .map(([lang, text]) => textEl(name, text, lang === "und" ? undefined : { "xml:lang": lang }) as XmlOut);
}

const firstText = (map: LangMap | undefined): string | undefined =>
  map ? (map.en ?? Object.values(map).find((t) => t.trim() !== "")) : undefined;

/** The identifier's ELMO `type`: its scheme, as the reader names them back. */
const identifierType = (id: Identifier): string =>
  (id.scheme && (ISSUER_TYPES[id.scheme] ?? id.scheme)) || (id.kind === "other" ? "local" : id.kind);

/**
 * Writes a canonical credential as an ELMO 2.0 document. Never throws on canonical input: what ELMO lacks is in
 * `losses`, what had to be assumed (a required element the credential does not hold) in `warnings`.
 */
export function writeElmo(credential: CanonicalCredential, options: WriteElmoOptions): WriteResult<string> {
  const now = options.now;
  const c = credential;
  const log = new Log(c.provenance.paths);
  const w = new ElmoWriter(log, c);

  const learner = w.learner();
  const report = w.report(now);
  const generated = w.made(
    textEl("generatedDate", now.toISOString()),
    "the time of writing: ELMO requires the document's generation date",
  );
  const elmo = el("elmo", [generated, learner, report], {
    xmlns: ELMO_NAMESPACES.v1,
  });

  log.unplaced("", {
    description: c.description,
    validUntil: c.validUntil,
    additionalNotes: c.additionalNotes,
    identifiers: c.identifiers,
    credentialStatus: c.credentialStatus,
    termsOfUse: c.termsOfUse,
    endorsements: c.endorsements,
    display: c.display,
  });
  if (c.id) log.loss("/id", "ELMO has no credential identifier");
  return {
    document: serializeXml(elmo),
    losses: log.losses,
    warnings: log.warnings,
    derived: w.derived.resolveXml(elmo),
  };
}

class ElmoWriter {
  /** Grading schemes used by the claims, by local id. */
  private readonly schemes = new Map<string, GradingScheme>();
  private readonly schemeIds = new Map<GradingScheme, string>();
  /** Attachment ids, so that claims' `#id` references resolve. */
  private readonly attachmentIds = new Set<string>();
  private losCount = 0;
  /** What the writer supplies that the credential does not hold (required ELMO elements, generated local ids). */
  readonly derived = new DerivedMarks();

  constructor(
    private readonly log: Log,
    private readonly c: CanonicalCredential,
  ) {}

  /** Marks an element's content (or, with `attr`, one attribute) as the writer's, and returns it. */
  made<T extends XmlOut | undefined>(node: T, reason: string, attr?: string): T {
    if (node) this.derived.mark(node, attr === undefined ? undefined : `@${attr}`, reason);
    return node;
  }

  learner(): XmlOut {
    const p = this.c.learner;
    const at = "/learner";
    const children: (XmlOut | undefined)[] = [];
    const citizenship = p.citizenship.map((x) => countryAlpha2(x)).find(Boolean);
    children.push(textEl("citizenship", citizenship));
    if (p.citizenship.length > 1) this.log.loss(`${at}/citizenship/1`, "ELMO holds one citizenship");
    if (p.nationalId) {
      children.push(textEl("identifier", p.nationalId.value, { type: "nationalIdentifier" }));
    }
    for (const id of p.identifiers) children.push(textEl("identifier", id.value, { type: identifierType(id) }));
    const full = firstText(p.fullName);
    const given = firstText(p.givenName) ?? (full && !p.familyName ? full : undefined);
    const family = firstText(p.familyName);
    if (!given) this.log.warn(`${at}/givenName`, "ELMO requires the learner's given names: written empty");
    if (!family) this.log.warn(`${at}/familyName`, "ELMO requires the learner's family name: written empty");
    children.push(textEl("givenNames", given ?? ""), textEl("familyName", family ?? ""));
    // ELMO 2.0 requires alternativeName (the name in a non-Latin script): the full name as the credential gives it.
    const alternative = full ?? [given, family].filter(Boolean).join(" ");
    const altLang = Object.entries(p.fullName ?? {}).find(([, t]) => t === full)?.[0];
    const altNode = textEl("alternativeName", alternative, altLang && altLang !== "und" ? { "xml:lang": altLang } : {});
    children.push(
      full === undefined
        ? this.made(
            altNode,
            "ELMO 2.0 requires alternativeName: the given and family names joined, as no full name is given",
          )
        : altNode,
    );
    const birth = xsDate(p.dateOfBirth);
    children.push(textEl("dateOfBirth", birth));
    if (p.dateOfBirth && !birth) this.log.loss(`${at}/dateOfBirth`, "not a date ELMO can hold (xs:date)");
    const birthTime = timeOfDayLost(p.dateOfBirth);
    if (birth && birthTime) this.log.loss(`${at}/dateOfBirth`, birthTime);
    const place = p.placeOfBirth;
    const placeText = firstText(place?.address?.full) ?? firstText(place?.name) ?? place?.address?.locality;
    children.push(textEl("placeOfBirth", placeText));
    children.push(textEl("birthName", firstText(p.birthName)));
    children.push(textEl("gender", genderCode(p.gender)));
    if (p.gender && !genderCode(p.gender)) this.log.loss(`${at}/gender`, "not one of ELMO's gender codes (0, 1, 2, 9)");
    this.log.unplaced(at, {
      id: p.id,
      patronymicName: p.patronymicName,
      emails: p.emails,
      phones: p.phones,
      addresses: p.addresses,
    });
    return el("learner", children);
  }

  report(now: Date): XmlOut {
    const c = this.c;
    const issuerOrg = c.issuer ?? c.claims[0]?.awardingBodies[0];
    const issuerAt = c.issuer ? "/issuer" : "/claims/0/awardingBodies/0";
    if (!c.issuer) this.log.warn("/issuer", "no issuer: the first claim's awarding body is the report's issuer");
    const issuer = this.issuer(issuerOrg, issuerAt);

    const loss: XmlOut[] = [];
    c.claims.forEach((claim, i) => {
      if (claim.kind !== "achievement") {
        this.log.loss(`/claims/${i}`, `ELMO holds learning opportunities, not ${claim.kind} claims on their own`);
        return;
      }
      loss.push(this.los(claim, `/claims/${i}`));
    });
    const issued = xsDateTime(c.issued) ?? xsDateTime(c.validFrom);
    if (!issued) this.log.warn("/issued", "no issuing date: ELMO requires issueDate, written as now");
    if (c.validFrom && c.issued && c.validFrom !== c.issued) this.log.loss("/validFrom", "ELMO has only issueDate");

    const schemes = [...this.schemes.entries()].map(([localId, g]) => {
      const scheme = el("gradingScheme", langEls("description", g.description ?? g.title), { localId });
      return this.madeIds.has(localId) ? this.made(scheme, LOCAL_ID_REASON, "localId") : scheme;
    });
    const attachments = this.attachments();
    return el("report", [
      issuer,
      ...loss,
      issued
        ? textEl("issueDate", issued)
        : this.made(textEl("issueDate", now.toISOString()), "the time of writing: the credential has no issuing date"),
      ...schemes,
      ...attachments,
    ]);
  }

  private issuer(org: Organisation | undefined, at: string): XmlOut {
    if (!org) {
      this.log.warn("/issuer", "no issuer or awarding body: ELMO requires one, written without a name");
      return el("issuer", [
        this.made(textEl("identifier", "unknown", { type: "local" }), "ELMO requires an issuer identifier: none known"),
        textEl("title", ""),
        textEl("url", ""),
      ]);
    }
    const country = org.locations.map((l) => l.address?.country).find((x): x is string => x !== undefined);
    const identifiers = org.identifiers.map((id) => textEl("identifier", id.value, { type: identifierType(id) }));
    if (identifiers.length === 0) {
      const schac = org.id?.startsWith("urn:schac:homeOrganization:")
        ? org.id.slice("urn:schac:homeOrganization:".length)
        : undefined;
      if (schac) identifiers.push(textEl("identifier", schac, { type: "schac" }));
      else if (org.id) identifiers.push(textEl("identifier", org.id, { type: "local" }));
      else {
        this.log.warn(`${at}/identifiers`, "ELMO requires an issuer identifier: the issuer's name is written as one");
        identifiers.push(
          this.made(
            textEl("identifier", firstText(org.legalName) ?? "unknown", { type: "local" }),
            "ELMO requires an issuer identifier and the issuer has none: its name is written as one",
          ),
        );
      }
    }
    const titles = langEls("title", org.legalName);
    if (titles.length === 0) {
      this.log.warn(`${at}/legalName`, "ELMO requires the issuer's title: written empty");
      titles.push(el("title", [""]));
    }
    const url = org.homepages[0] ?? (org.id && /^https?:/.test(org.id) ? org.id : undefined);
    if (!url) this.log.warn(`${at}/homepages`, "ELMO requires the issuer's url: written empty");
    if (org.id && org.identifiers.length > 0 && url !== org.id) {
      this.log.loss(`${at}/id`, "not written: ELMO names the issuer by its typed identifiers, written instead");
    }
    this.log.unplaced(at, {
      altNames: org.altNames,
      emails: org.emails,
      phones: org.phones,
      logo: org.logo,
      accreditations: org.accreditations,
      memberOf: org.memberOf,
      description: org.description,
      homepages: org.homepages.slice(1),
    });
    return el("issuer", [textEl("country", country), ...identifiers, ...titles, textEl("url", url ?? "")]);
  }

  private los(claim: Claim, at: string): XmlOut {
    this.losCount += 1;
    const spec = claim.specification;
    const sat = `${at}/specification`;
    const identifiers = (spec?.identifiers ?? []).map((id) =>
      textEl("identifier", id.value, { type: identifierType(id) }),
    );
    if (identifiers.length === 0) {
      const own = spec?.id ?? claim.id;
      const id = textEl("identifier", own ?? `los-${this.losCount}`, { type: "local" });
      identifiers.push(
        own ? id : this.made(id, "ELMO requires a learning opportunity identifier: a local one is numbered"),
      );
    }
    const titles = langEls("title", present(claim.title) ? claim.title : spec?.title);
    if (titles.length === 0) {
      this.log.warn(`${at}/title`, "ELMO requires a title: written empty");
      titles.push(el("title", [""]));
    }
    const type = losType(claim);
    const field = spec?.fields[0];
    const isced = field ? (field.notation ?? field.uri?.replace(/^.*\/isced-f\//, "")) : undefined;
    if ((spec?.fields.length ?? 0) > 1) this.log.loss(`${sat}/fields/1`, "ELMO holds one ISCED code");
    const descriptions = langEls("description", spec?.description ?? claim.description);

    const hasPart: XmlOut[] = [];
    claim.hasPart.forEach((part, i) => {
      if (part.kind === "achievement") hasPart.push(el("hasPart", [this.los(part, `${at}/hasPart/${i}`)]));
      else this.log.loss(`${at}/hasPart/${i}`, `ELMO nests learning opportunities, not ${part.kind} claims`);
    });
    if (spec) {
      this.log.unplaced(sat, {
        altTitles: spec.altTitles,
        learningOutcomes: spec.learningOutcomes,
        learningOutcomeSummary: spec.learningOutcomeSummary,
        maximumDuration: spec.maximumDuration,
        qfEheaLevel: spec.qfEheaLevel,
        educationLevels: spec.educationLevels,
        modes: spec.modes,
        learningSettings: spec.learningSettings,
        entryRequirement: spec.entryRequirement,
        targetGroups: spec.targetGroups,
        entitlesTo: spec.entitlesTo,
        accreditations: spec.accreditations,
        supplementaryDocuments: spec.supplementaryDocuments,
        additionalNotes: spec.additionalNotes,
        criteria: spec.criteria,
        image: spec.image,
        tags: spec.tags,
        alignments: spec.alignments,
        creator: spec.creator,
        homepages: spec.homepages.slice(1),
      });
    }
    this.log.unplaced(at, {
      influencedBy: claim.influencedBy.slice(1),
      provenBy: claim.provenBy.slice(1),
      entitlesTo: claim.entitlesTo,
      additionalNotes: claim.additionalNotes,
      narrative: claim.narrative,
      role: claim.role,
      licenseNumber: claim.licenseNumber,
      awardingBodies: claim.awardingBodies.slice(1),
    });
    return el("learningOpportunitySpecification", [
      ...identifiers,
      ...titles,
      textEl("type", type),
      textEl("iscedCode", isced),
      textEl("url", spec?.homepages[0]),
      ...descriptions,
      el("specifies", [this.loi(claim, at)]),
      ...hasPart,
    ]);
  }

  private loi(claim: Claim, at: string): XmlOut {
    const spec = claim.specification;
    const sat = `${at}/specification`;
    const activity = claim.influencedBy[0];
    const assessment = claim.provenBy[0];
    // The instance holds the first activity's dates and hours and the first assessment's result, not their titles.
    const sameTitle = (t: LangMap | undefined) => JSON.stringify(t ?? {}) === JSON.stringify(claim.title);
    const untitled = "not written: ELMO's learningOpportunityInstance holds its result and dates, not their titles";
    if (assessment && present(assessment.title) && !sameTitle(assessment.title)) {
      this.log.loss(`${at}/provenBy/0/title`, untitled);
    }
    if (activity && present(activity.title) && !sameTitle(activity.title)) {
      this.log.loss(`${at}/influencedBy/0/title`, untitled);
    }
    assessment?.hasPart.forEach((_, i) => {
      this.log.loss(`${at}/provenBy/0/hasPart/${i}`, "not written: ELMO grades an instance as a whole, not in parts");
    });
    const children: (XmlOut | undefined)[] = [];
    if (claim.id) children.push(textEl("identifier", claim.id, { type: "local" }));
    const start = activity?.startDate ?? claim.startDate;
    children.push(textEl("start", xsDate(start)));
    const startTime = xsDate(start) ? timeOfDayLost(start) : undefined;
    if (startTime) this.log.loss(activity?.startDate ? `${at}/influencedBy/0/startDate` : `${at}/startDate`, startTime);
    const dated = (
      [
        ["awardingDate", claim.awardingDate],
        ["dateIssued", claim.dateIssued],
        ["influencedBy/0/endDate", activity?.endDate],
      ] as const
    ).find(([, v]) => v !== undefined);
    children.push(textEl("date", xsDate(dated?.[1])));
    const dateTime = timeOfDayLost(dated?.[1]);
    if (dated && dateTime) this.log.loss(`${at}/${dated[0]}`, dateTime);
    if (activity?.endDate && dated?.[0] !== "influencedBy/0/endDate") {
      this.log.loss(
        `${at}/influencedBy/0/endDate`,
        "not written: the instance's one date is when the result was given, not the activity's end",
      );
    }
    if (claim.term) {
      // The activity's dates are the instance's (start, date), not necessarily the term's: not made up here.
      this.log.loss(`${at}/term`, "ELMO's academicTerm needs the term's own start and end dates, which are not kept");
    }

    const statusText = assessment?.gradeStatus?.notation ?? firstText(assessment?.gradeStatus?.label);
    const status = STATUSES.find((s) => s === statusText?.trim().toLowerCase());
    children.push(textEl("status", status));
    if (statusText && !status) {
      this.log.loss(`${at}/provenBy/0/gradeStatus`, "not an ELMO status (passed, failed, in-progress)");
    }
    const scheme = assessment?.specification?.gradingScheme;
    const schemeId = scheme ? this.schemeId(scheme) : undefined;
    const schemeRef = textEl("gradingSchemeLocalId", schemeId);
    children.push(schemeId && this.madeIds.has(schemeId) ? this.made(schemeRef, LOCAL_ID_REASON) : schemeRef);
    const grade = assessment?.grade?.value ?? claim.grade?.value ?? claim.results.find((r) => r.value)?.value;
    children.push(textEl("resultLabel", grade));

    const credits = claim.creditsEarned.length > 0 ? claim.creditsEarned : (spec?.credits ?? []);
    const creditsAt = claim.creditsEarned.length > 0 ? `${at}/creditsEarned` : `${sat}/credits`;
    credits.forEach((credit, i) => {
      const written = creditEl(credit);
      if (written) children.push(written);
      else this.log.loss(`${creditsAt}/${i}`, "credit points that are not a decimal number");
    });

    children.push(...this.levels(claim, sat));
    const languages = [...(spec?.languages ?? []), ...(activity?.specification?.languages ?? [])];
    children.push(textEl("languageOfInstruction", languages.map(languageOf).find(Boolean)));

    const hours = durationHours(activity?.workload) ?? durationHours(spec?.volumeOfLearning);
    children.push(textEl("engagementHours", hours === undefined ? undefined : String(hours)));
    const duration = activity?.workload ?? spec?.volumeOfLearning;
    if (duration && hours === undefined) {
      const path = activity?.workload ? `${at}/influencedBy/0/workload` : `${sat}/volumeOfLearning`;
      this.log.loss(path, `${duration} is not a number of hours (years, months and weeks vary)`);
    }
    const refs = claim.supplementaryDocuments.filter((d) => d.startsWith("#")).map((d) => d.slice(1));
    if (refs.length > 0)
      children.push(
        el(
          "attachments",
          refs.map((r) => textEl("ref", r)),
        ),
      );
    for (const [i, d] of claim.supplementaryDocuments.entries()) {
      if (!d.startsWith("#")) this.log.loss(`${at}/supplementaryDocuments/${i}`, "ELMO attaches files, not links");
    }
    return el("learningOpportunityInstance", children);
  }

  private levels(claim: Claim, sat: string): XmlOut[] {
    const spec = claim.specification;
    const out: XmlOut[] = [];
    const eqf = eqfLevelNumber(spec?.eqfLevel);
    if (eqf !== undefined) out.push(el("level", [textEl("type", "EQF"), textEl("value", String(eqf))]));
    else if (spec?.eqfLevel) this.log.loss(`${sat}/eqfLevel`, "not an EQF level 1–8");
    for (const [i, level] of (spec?.nqfLevels ?? []).entries()) {
      const label = firstText(level.label);
      const parsed = label ? /^(\S+) (\S+)(?: \((.*)\))?$/.exec(label) : null;
      const value = level.notation ?? parsed?.[2];
      if (!value) {
        this.log.loss(`${sat}/nqfLevels/${i}`, "a level without a value");
        continue;
      }
      const fromLabel = parsed && parsed[2] === value;
      const type = fromLabel ? (parsed[1] ?? "NQF") : "NQF";
      const description = fromLabel ? parsed[3] : label;
      out.push(el("level", [textEl("type", type), textEl("description", description), textEl("value", value)]));
    }
    return out;
  }

  /** The report-local id of a grading scheme: its title (the ELMO reader's local id), or a fresh one. */
  private schemeId(g: GradingScheme): string {
    const known = this.schemeIds.get(g);
    if (known) return known;
    const base = (g.title?.und ?? firstText(g.title) ?? g.id ?? "scheme").replace(/\s+/g, " ").trim() || "scheme";
    let id = base;
    for (let n = 2; this.schemes.has(id) && this.schemes.get(id) !== g; n++) id = `${base}-${n}`;
    // A title's text is the source's; a numbered or placeholder id is the writer's.
    if (id !== base || !(g.title?.und ?? firstText(g.title) ?? g.id)) this.madeIds.add(id);
    this.schemes.set(id, g);
    this.schemeIds.set(g, id);
    return id;
  }

  /** Local ids the writer made up (numbered grading schemes). */
  private readonly madeIds = new Set<string>();

  /** Evidence and attachments with embedded files → `attachment` elements; the rest are losses. */
  private attachments(): XmlOut[] {
    const out: XmlOut[] = [];
    this.c.evidence.forEach((ev, i) => {
      const at = `/evidence/${i}`;
      ev.embedded.forEach((media, k) => {
        const type = ATTACHMENT_TYPES.find((t) => t === firstText(ev.statement));
        out.push(
          this.attachment(
            media,
            `${ev.id ?? `evidence-${i + 1}`}${k > 0 ? `-${k + 1}` : ""}`,
            type,
            ev.description,
            ev.id === undefined || k > 0,
          ),
        );
      });
      if (ev.embedded.length === 0) this.log.loss(at, "ELMO attaches embedded files only: this evidence has none");
      this.log.unplaced(at, { urls: ev.urls, accreditations: ev.accreditations, narrative: ev.narrative });
    });
    this.c.attachments.forEach((media, i) => {
      if (media.content)
        out.push(
          this.attachment(media, media.id ?? `attachment-${i + 1}`, undefined, undefined, media.id === undefined),
        );
      else this.log.loss(`/attachments/${i}`, "ELMO attaches embedded files only: this one is linked");
    });
    return out;
  }

  private attachment(
    media: Media,
    id: string,
    type: string | undefined,
    description: LangMap | undefined,
    numbered: boolean,
  ): XmlOut {
    let unique = id.replace(/^#/, "");
    for (let n = 2; this.attachmentIds.has(unique); n++) unique = `${id}-${n}`;
    this.attachmentIds.add(unique);
    const identifier = textEl("identifier", unique, { type: "local" });
    if (numbered || unique !== id.replace(/^#/, ""))
      this.made(identifier, "ELMO requires an attachment identifier: a local one is numbered");
    const content = media.content
      ? `data:${media.mediaType ?? "application/octet-stream"};base64,${media.content.replace(/\s+/g, "")}`
      : undefined;
    return el("attachment", [
      identifier,
      ...langEls("title", media.title),
      textEl("type", type),
      ...langEls("description", description),
      textEl("content", content),
    ]);
  }
}

function genderCode(g: Concept | undefined): string | undefined {
  if (!g) return undefined;
  const code = g.uri ? HUMAN_SEX[g.uri.replace(/^.*\//, "")] : undefined;
  if (code) return code;
  return g.notation && ["0", "1", "2", "9"].includes(g.notation) ? g.notation : undefined;
}

function losType(claim: Claim): string | undefined {
  const spec = claim.specification;
  for (const t of spec?.types ?? []) {
    const label = firstText(t.label)?.trim().toLowerCase();
    const found = LOS_TYPES.find((x) => x.toLowerCase() === label || (label === "degree" && x === "Degree Programme"));
    if (found) return found;
  }
  return undefined;
}

function creditEl(credit: Credit): XmlOut | undefined {
  const points = parsePoints(credit.points);
  if (points === undefined) return undefined;
  const f = credit.framework;
  const scheme = f?.uri === ECTS.uri ? "ects" : (f?.notation ?? firstText(f?.label) ?? "unknown");
  return el("credit", [textEl("scheme", scheme), textEl("value", String(points))]);
}

function languageOf(c: Concept): string | undefined {
  return (c.uri ? languageTag(c.uri) : undefined) ?? (c.notation ? languageTag(c.notation) : undefined) ?? c.notation;
}
