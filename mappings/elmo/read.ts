/**
 * The EMREX ELMO reader: an ELMO XML document (versions 1.0–2.0 in namespace `…/elmo-schemas/tree/v1`, 2.1 in
 * `…/tree/v2`, the pre-1.0 `http://purl.org/net/elmo` namespace, or an EWP ToR response wrapping an `elmo`) into
 * canonical credentials, following the EC's official ELMO → ELM v3 mapping
 * (`corpus/elm/mapping/elmo-to-elm-v3-official.csv`):
 *
 * - one credential per `report` (report → `EuropeanDigitalCredential`), each with the file's `learner` (→ Person);
 * - `report/issuer` → the credential's issuer and the awarding body of every claim; `issueDate` → issued;
 * - each `learningOpportunitySpecification` (LOS) → an achievement claim whose specification holds the LOS
 *   (title, type, ISCED-F, identifiers, url, description, EQF level), with `hasPart` LOSs as the claim's `hasPart`;
 * - its `learningOpportunityInstance` (LOI) → the claim itself: `credit` → `creditsEarned` (each node keeps the
 *   credits it states; a parent's credits are never summed from its children, so nothing is counted twice),
 *   `status` and `resultLabel` → a `provenBy` assessment (grade status, grade, the report's grading scheme),
 *   `languageOfInstruction`, `engagementHours`, `start`/`date`/`academicTerm` → an `influencedBy` activity, `date` →
 *   the awarding date;
 * - attachments (data: URIs) → evidence with the file embedded.
 *
 * Real transcripts break the schema (research/local.md §1.3): elements are matched by local name whatever their
 * order, `bday` and `dateOfBirth` are both read, the deprecated `credit/level` and legacy shapes (credit directly on
 * the LOS, `result` for the grade, learner inside the report) are read with warnings. Unmapped elements are kept as
 * extensions. Pure; never throws. Pointers follow the XML convention of `mappings/xml/node.ts`.
 */
import {
  type CanonicalCredential,
  type Claim,
  type Concept,
  type Credit,
  type Evidence,
  emptyClaim,
  emptyCredential,
  emptySpecification,
  type GradingScheme,
  type Media,
  type Organisation,
  type ReadIssue,
  type ReadResult,
} from "../model.js";
import { ECTS, eqfConcept, languageTag, languageUri } from "../vocab/index.js";
import { langMapOf, newXmlReadLog, type XmlReadLog, XNode } from "../xml/node.js";
import { looksLikeXml, parseXml, type XmlElement, type XmlLimits } from "../xml/safe-parse.js";
import { normaliseDate, readIssuer, readLearner } from "./agents.js";

export const ELMO_NAMESPACES = {
  v1: "https://github.com/emrex-eu/elmo-schemas/tree/v1",
  v2: "https://github.com/emrex-eu/elmo-schemas/tree/v2",
  legacy: "http://purl.org/net/elmo",
} as const;

const ISCED_F = "http://data.europa.eu/snb/isced-f";

/** The `elmo` elements of a document: the root, or those inside a wrapper (EWP ToR response). Iterative. */
function findElmo(root: XNode): XNode[] {
  if (root.name === "elmo") return [root];
  const found: XNode[] = [];
  const stack: XNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    for (const c of n.children()) {
      if (c.name === "elmo") found.push(c);
      else stack.push(c);
    }
  }
  return found.reverse();
}

/** `tree/v1` (1.x–2.0), `tree/v2` (2.1), `legacy` (pre-1.0) or `unknown`. */
function variantOf(el: XmlElement): string {
  if (el.ns === ELMO_NAMESPACES.v1) return "elmo-v1";
  if (el.ns === ELMO_NAMESPACES.v2) return "elmo-v2";
  if (el.ns === ELMO_NAMESPACES.legacy) return "elmo-legacy";
  return "elmo-unknown-namespace";
}

/**
 * Reads an ELMO XML document (a string) into one canonical credential per report. Pure; never throws: unusable input
 * gives `{ok: false, issues}` with the position (line, column) for XML that is not well-formed or not accepted.
 */
export function readElmo(input: unknown, xmlLimits: Partial<XmlLimits> = {}): ReadResult {
  try {
    return read(input, xmlLimits);
  } catch (e) {
    return { ok: false, issues: [{ path: "", message: `internal ELMO reader error: ${String(e)}` }] };
  }
}

function read(input: unknown, xmlLimits: Partial<XmlLimits>): ReadResult {
  if (!looksLikeXml(input)) {
    return { ok: false, issues: [{ path: "", message: "an ELMO document is XML text (a string starting with <)" }] };
  }
  const parsed = parseXml(input, xmlLimits);
  if (!parsed.ok) return { ok: false, issues: parsed.issues.map((i) => ({ path: "", message: i.message })) };
  const log = newXmlReadLog();
  const top = new XNode(parsed.doc, `/${parsed.doc.name}`, log);
  const elmos = findElmo(top);
  if (elmos.length === 0) {
    return { ok: false, issues: [{ path: top.path, message: `not an ELMO document: root <${top.name}>, no <elmo>` }] };
  }
  const credentials: CanonicalCredential[] = [];
  const warnings: ReadIssue[] = [];
  for (const elmo of elmos) {
    const variant = variantOf(elmo.el);
    if (variant === "elmo-unknown-namespace") {
      warnings.push({
        path: elmo.path,
        message: `unknown ELMO namespace ${elmo.el.ns ?? "(none)"}: read as ELMO 1.x–2.0 (${ELMO_NAMESPACES.v1})`,
      });
    }
    if (variant === "elmo-v2") {
      warnings.push({
        path: elmo.path,
        message: "ELMO 2.1 (namespace tree/v2) is read as 2.0; 2.1 additions are kept",
      });
    }
    const reports = elmo.all("report");
    if (reports.length === 0) warnings.push({ path: elmo.path, message: "the ELMO document holds no report" });
    for (const report of reports) {
      const reportLog = newXmlReadLog();
      const credential = readReport(
        new XNode(elmo.el, elmo.path, reportLog),
        new XNode(report.el, report.path, reportLog),
      );
      credential.provenance = {
        format: "elmo",
        variant,
        root: report.path,
        paths: reportLog.paths,
        original: input,
        ...(elmo.first("Signature") ? { proof: { type: "XML-DSig", path: `${elmo.path}/Signature/0` } } : {}),
      };
      if (elmo.first("Signature")) reportLog.paths["/provenance/proof"] = `${elmo.path}/Signature/0`;
      credential.extensions = reportLog.extensions;
      warnings.push(...reportLog.warnings);
      credentials.push(credential);
    }
  }
  return { ok: true, value: credentials, losses: [], warnings: [...log.warnings, ...warnings] };
}

const ELMO_KNOWN = ["generatedDate", "learner", "report", "attachment", "Signature", "groups", "extension"];
const REPORT_KNOWN = ["issuer", "learningOpportunitySpecification", "issueDate", "gradingScheme", "attachment"];

function readReport(elmo: XNode, report: XNode): CanonicalCredential {
  const cred = emptyCredential("elmo");
  cred.types = ["elmo:report"];
  // The learner: under elmo (1.0+), or under the report (pre-1.0 files).
  const learner = elmo.first("learner") ?? report.first("learner");
  if (learner) {
    if (learner.path.startsWith(report.path)) learner.warn("pre-1.0 ELMO: the learner is inside the report");
    cred.learner = readLearner(learner);
  } else {
    report.warn("no learner: an ELMO document describes one learner", elmo.path);
  }
  const issuerNode = report.first("issuer");
  const issuer = issuerNode ? readIssuer(issuerNode, "/issuer") : undefined;
  if (issuer) cred.issuer = issuer;
  else report.warn("the report has no issuer");

  const issued = report.text("issueDate");
  if (issued) {
    cred.issued = issued;
    cred.validFrom = issued;
    report.trace("/issued", `${report.path}/issueDate/0`);
    report.trace("/validFrom", `${report.path}/issueDate/0`);
  } else {
    report.warn("the report has no issueDate");
  }
  const schemes = gradingSchemes(report);

  // A report has no title: none is read (a writer whose format requires one supplies it and says so in `derived`).

  const claimCtx: ClaimContext = { issuer, schemes, attachments: attachmentIndex(report, elmo) };
  const loss = report.all("learningOpportunitySpecification");
  cred.claims = loss.map((los, i) => readLos(los, `/claims/${i}`, claimCtx));
  checkDoubleCounting(cred.claims, loss, report);

  // Attachments: the report's and the file's (which belong to every report) → evidence with the file embedded.
  const files = [...report.all("attachment"), ...elmo.all("attachment")];
  for (const a of files) {
    const ev = readAttachment(a, `/evidence/${cred.evidence.length}`);
    if (ev) cred.evidence.push(ev);
  }
  report.keepUnknown(REPORT_KNOWN);
  for (const c of elmo.children()) {
    if (!ELMO_KNOWN.includes(c.name)) c.keep();
    else if (c.name === "groups" || c.name === "extension") c.keep();
  }
  const generated = elmo.text("generatedDate");
  if (generated) elmo.keep(elmo.all("generatedDate")[0]);
  return cred;
}

// ---------------------------------------------------------------------------------------------------------------
// The learning opportunity tree

interface ClaimContext {
  issuer: Organisation | undefined;
  schemes: Map<string, GradingScheme>;
  attachments: Map<string, XNode>;
}

const LOS_KNOWN = [
  "identifier",
  "title",
  "type",
  "subjectArea",
  "iscedCode",
  "url",
  "description",
  "descriptionHtml",
  "specifies",
  "hasPart",
  "credit",
  "level",
];

const LOI_KNOWN = [
  "start",
  "date",
  "academicTerm",
  "status",
  "gradingSchemeLocalId",
  "resultLabel",
  "result",
  "credit",
  "level",
  "languageOfInstruction",
  "engagementHours",
  "attachments",
];

function readLos(n: XNode, at: string, ctx: ClaimContext): Claim {
  const titles = n.all("title");
  const title = langMapOf(titles) ?? {};
  if (titles.length > 0) n.trace(`${at}/title`, titles[0]?.path);
  else n.warn("learningOpportunitySpecification without title");
  const type = n.text("type");
  const spec = emptySpecification(type && /degree/i.test(type) ? "qualification" : "achievement", title);
  n.trace(`${at}/specification/title`, titles[0]?.path ?? n.path);
  const claim = emptyClaim("achievement", title);
  claim.specification = spec;
  if (ctx.issuer) claim.awardingBodies.push(ctx.issuer);

  for (const id of n.all("identifier")) {
    const value = id.own();
    if (!value) continue;
    n.trace(`${at}/specification/identifiers/${spec.identifiers.length}`, id.path);
    spec.identifiers.push({ value, kind: "other", scheme: id.attr("type") || "unknown" });
  }
  if (type) {
    spec.types.push({ label: { und: type } });
    n.trace(`${at}/specification/types/0`, `${n.path}/type/0`);
  }
  const isced = n.text("iscedCode");
  if (isced) {
    spec.fields.push(
      /^\d{2,4}$/.test(isced)
        ? { uri: `${ISCED_F}/${isced}`, notation: isced }
        : { notation: isced, label: { und: isced } },
    );
    n.trace(`${at}/specification/fields/0`, `${n.path}/iscedCode/0`);
  }
  const url = n.text("url");
  if (url) {
    spec.homepages.push(url);
    n.trace(`${at}/specification/homepages/0`, `${n.path}/url/0`);
  }
  const descriptions = n.all("description");
  const description = langMapOf(descriptions);
  if (description) {
    spec.description = description;
    n.trace(`${at}/specification/description`, descriptions[0]?.path);
  }
  // Not mapped: subjectArea (ELM educationSubject has no canonical place), descriptionHtml (unsafe markup).
  for (const name of ["subjectArea", "descriptionHtml", "extension"]) for (const x of n.all(name)) n.keep(x);

  // Legacy (pre-1.0): credit and level directly on the LOS.
  for (const credit of n.all("credit")) {
    credit.warn("pre-1.0 ELMO: credit on the learningOpportunitySpecification, read as the learner's credits");
    readCredit(credit, claim, at);
  }
  for (const level of n.all("level")) readLevel(level, spec, at);

  const lois = n.all("specifies").flatMap((s) => s.all("learningOpportunityInstance"));
  if (lois.length > 1) n.warn("more than one learningOpportunityInstance: the first is read, the others kept");
  const [loi, ...others] = lois;
  if (loi) readLoi(loi, claim, at, ctx);
  for (const o of others) n.keep(o);

  for (const part of n.all("hasPart").flatMap((h) => h.all("learningOpportunitySpecification"))) {
    const k = claim.hasPart.length;
    claim.hasPart.push(readLos(part, `${at}/hasPart/${k}`, ctx));
  }
  for (const c of n.children()) if (!LOS_KNOWN.includes(c.name) && c.name !== "extension") c.keep();
  return claim;
}

function readLoi(n: XNode, claim: Claim, at: string, ctx: ClaimContext): void {
  const spec = claim.specification ?? emptySpecification("achievement");
  for (const id of n.all("identifier")) n.keep(id);
  for (const credit of n.all("credit")) readCredit(credit, claim, at);
  for (const level of n.all("level")) readLevel(level, spec, at);

  const date = n.text("date");
  if (date) {
    claim.awardingDate = normaliseDate(date, n.first("date")?.attr("dtf"));
    n.trace(`${at}/awardingDate`, `${n.path}/date/0`);
  }

  // provenBy: status and grade (resultLabel, or the legacy `result`).
  const status = n.text("status");
  const resultNode = n.first("resultLabel") ?? n.first("result");
  const result = resultNode?.own();
  if (status || result) {
    // The assessment has no title in the source (the official table maps status and resultLabel to provenBy's
    // gradeStatus and grade, and nothing to its title): none is made up.
    const assessment = emptyClaim("assessment", {});
    const a = `${at}/provenBy/0`;
    if (status) {
      assessment.gradeStatus = { label: { und: status }, notation: status };
      n.trace(`${a}/gradeStatus`, `${n.path}/status/0`);
    }
    if (result && resultNode) {
      assessment.grade = { value: result };
      n.trace(`${a}/grade/value`, resultNode.path);
      if (resultNode.name === "result") resultNode.warn("pre-1.0 ELMO: result read as the grade (resultLabel)");
    }
    const schemeId = n.text("gradingSchemeLocalId") ?? resultNode?.attr("scheme");
    if (schemeId) {
      const scheme = ctx.schemes.get(schemeId) ?? { title: { und: schemeId } };
      assessment.specification = { ...emptySpecification("assessment", {}), gradingScheme: scheme };
      n.trace(`${a}/specification/gradingScheme`, `${n.path}/gradingSchemeLocalId/0`);
    }
    if (date) assessment.dateIssued = claim.awardingDate;
    claim.provenBy.push(assessment);
  }

  // influencedBy: language of instruction, engagement hours, start/end, academic term.
  const language = n.text("languageOfInstruction");
  const hours = n.text("engagementHours");
  const start = n.text("start");
  const term = n.first("academicTerm");
  if (language || hours || start || term) {
    const activity = emptyClaim("activity", claim.title);
    const a = `${at}/influencedBy/0`;
    const activitySpec = emptySpecification("activity", claim.title);
    if (language) {
      const tag = languageTag(language);
      const uri = tag ? languageUri(tag) : undefined;
      // The EU language IRI says which language it is; its notation is the authority table's (ELM writes the
      // scheme's), so the source's code is kept only when no IRI is known.
      activitySpec.languages.push(uri ? { uri } : { notation: language });
      n.trace(`${a}/specification/languages/0`, `${n.path}/languageOfInstruction/0`);
    }
    if (hours) {
      const h = Number(hours);
      if (Number.isFinite(h) && h >= 0) {
        activity.workload = `PT${h}H`;
        n.trace(`${a}/workload`, `${n.path}/engagementHours/0`);
      } else {
        n.warn(`engagementHours ${hours} is not a number`, `${n.path}/engagementHours/0`);
      }
    }
    const termStart = term?.text("start");
    const termEnd = term?.text("end");
    const begin = start ?? termStart;
    if (begin) {
      activity.startDate = normaliseDate(begin, n.first("start")?.attr("dtf"));
      n.trace(`${a}/startDate`, start ? `${n.path}/start/0` : `${term?.path}/start/0`);
    }
    // The LOI `date` is when the result was given, not when the activity ended: only the term's end is one.
    if (termEnd) {
      activity.endDate = normaliseDate(termEnd, undefined);
      n.trace(`${a}/endDate`, `${term?.path}/end/0`);
    }
    if (term) {
      const termTitle = langMapOf(term.all("title"));
      if (termTitle && claim.term === undefined) {
        claim.term = Object.values(termTitle)[0];
        n.trace(`${at}/term`, `${term.path}/title/0`);
      }
      n.keep(term);
    }
    activity.specification = activitySpec;
    claim.influencedBy.push(activity);
  }

  // Attachment references: the referenced files are evidence; the claim notes which.
  for (const ref of n.all("attachments").flatMap((a) => a.all("ref"))) {
    const target = ctx.attachments.get(ref.own());
    if (!target) ref.warn(`attachment reference ${ref.own()} names no attachment`);
    ref.trace(`${at}/supplementaryDocuments/${claim.supplementaryDocuments.length}`);
    claim.supplementaryDocuments.push(`#${ref.own()}`);
  }
  for (const name of ["shortenedGrading", "resultDistribution", "grouping", "diplomaSupplement", "extension"]) {
    for (const x of n.all(name)) {
      if (name === "diplomaSupplement") x.warn("diplomaSupplement has no ELM mapping (official table: N/A); kept");
      n.keep(x);
    }
  }
  for (const x of n.all("title")) n.keep(x);
  for (const x of n.all("duration")) n.keep(x);
  for (const c of n.children()) {
    const handled = [...LOI_KNOWN, "identifier", "shortenedGrading", "resultDistribution", "grouping"];
    if (![...handled, "diplomaSupplement", "extension", "title", "duration"].includes(c.name)) c.keep();
  }
  claim.specification = spec;
}

function readCredit(n: XNode, claim: Claim, at: string): void {
  const scheme = n.text("scheme");
  const value = n.text("value");
  if (value === undefined) {
    n.warn("credit without value");
    n.keep();
    return;
  }
  const credit: Credit = { points: value };
  if (scheme && scheme.toLowerCase() === "ects") credit.framework = ECTS;
  else if (scheme) credit.framework = { label: { und: scheme }, notation: scheme };
  if (scheme && scheme !== "ects" && scheme.toLowerCase() === "ects") {
    n.warn(`credit scheme "${scheme}": the predefined scheme is "ects" (lower case); read as ECTS`);
  }
  if (!/^\d+(\.\d+)?$/.test(value.trim())) n.warn(`credit value ${value} is not a decimal number`);
  const k = claim.creditsEarned.length;
  n.trace(`${at}/creditsEarned/${k}/points`, `${n.path}/value/0`);
  if (scheme) n.trace(`${at}/creditsEarned/${k}/framework`, `${n.path}/scheme/0`);
  claim.creditsEarned.push(credit);
  const level = n.first("level");
  if (level) {
    level.warn("credit/level is deprecated (removed in ELMO 2.0) and has no ELM mapping; kept");
    n.keep(level);
  }
}

function readLevel(n: XNode, spec: ReturnType<typeof emptySpecification>, at: string): void {
  const type = n.text("type");
  const value = n.text("value") ?? (n.el.children.length === 0 ? n.own() : undefined);
  if (!value) {
    n.keep();
    return;
  }
  if (type?.toUpperCase() === "EQF") {
    const level = Number(value);
    if (Number.isInteger(level) && level >= 1 && level <= 8) {
      spec.eqfLevel = eqfConcept(level);
      n.trace(`${at}/specification/eqfLevel`, `${n.path}/value/0`);
      return;
    }
    n.warn(`EQF level ${value} is not 1..8; kept`);
    n.keep();
    return;
  }
  if (!type) {
    n.warn("level without type: kept (only EQF levels are mapped)");
    n.keep();
    return;
  }
  const description = n.text("description");
  // The description names the framework ("Norwegian Qualification Framework"), not the level: a scheme when it is
  // an IRI, else kept. The level has no label of its own in ELMO, and none is made up from the type and value.
  const isIri = description !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(description);
  const concept: Concept = { notation: value };
  if (description && isIri) concept.scheme = description;
  const descriptionNode = n.first("description");
  if (description && !isIri && descriptionNode) n.keep(descriptionNode);
  n.trace(`${at}/specification/nqfLevels/${spec.nqfLevels.length}`, `${n.path}/value/0`);
  spec.nqfLevels.push(concept);
}

/** ECTS must not be stated on a node and on one of its ancestors (ELMO: no double counting): warn when it is. */
function checkDoubleCounting(claims: Claim[], nodes: XNode[], report: XNode): void {
  const ects = (c: Claim) => c.creditsEarned.some((x) => x.framework?.uri === ECTS.uri);
  const walk = (c: Claim, ancestorHas: boolean, node: XNode | undefined): void => {
    const has = ects(c);
    if (has && ancestorHas) {
      report.warn(
        "ECTS credits stated on a node and on its ancestor (ELMO forbids it): each node's own credits are kept, none summed",
        node?.path ?? report.path,
      );
    }
    // The parts in the order the reader made them (readLos): every specification of every hasPart.
    const parts = node?.all("hasPart").flatMap((h) => h.all("learningOpportunitySpecification")) ?? [];
    c.hasPart.forEach((p, i) => {
      walk(p, ancestorHas || has, parts[i]);
    });
  };
  claims.forEach((c, i) => {
    walk(c, false, nodes[i]);
  });
}

/** The report's grading schemes by local id. */
function gradingSchemes(report: XNode): Map<string, GradingScheme> {
  const map = new Map<string, GradingScheme>();
  for (const g of report.all("gradingScheme")) {
    const id = g.attr("localId");
    if (!id) continue;
    const description = langMapOf(g.all("description"));
    // The local id is valid within this file only, not an IRI: it is the scheme's title (the ELMO writer's localId).
    map.set(id, { title: { und: id }, ...(description ? { description } : {}) });
  }
  return map;
}

/** Attachments with an identifier, by identifier (for LOI references). */
function attachmentIndex(report: XNode, elmo: XNode): Map<string, XNode> {
  const map = new Map<string, XNode>();
  for (const a of [...report.all("attachment"), ...elmo.all("attachment")]) {
    for (const id of a.all("identifier")) if (id.own()) map.set(id.own(), a);
  }
  return map;
}

/** Parses a `data:` URI into base64 content and its media type. */
export function parseDataUri(uri: string): { mediaType: string; content: string } | undefined {
  const m = /^data:([^,]*?),(.*)$/s.exec(uri.trim());
  if (!m) return undefined;
  const meta = m[1] ?? "";
  const data = m[2] ?? "";
  const base64 = /;base64$/i.test(meta);
  const mediaType = (meta.replace(/;base64$/i, "").split(";")[0] ?? "").trim() || "text/plain";
  if (base64) return { mediaType, content: data.replace(/\s+/g, "") };
  try {
    return { mediaType, content: Buffer.from(decodeURIComponent(data), "utf8").toString("base64") };
  } catch {
    return undefined;
  }
}

function readAttachment(n: XNode, at: string): Evidence | undefined {
  const title = langMapOf(n.all("title"));
  const type = n.text("type");
  const description = langMapOf(n.all("description"));
  const ev: Evidence = { types: [], embedded: [], urls: [], accreditations: [] };
  if (type) {
    ev.statement = { und: type };
    n.trace(`${at}/statement`, `${n.path}/type/0`);
  }
  if (description) ev.description = description;
  else if (title) ev.description = title;
  for (const content of n.all("content")) {
    const parsed = parseDataUri(content.own());
    if (!parsed) {
      content.warn("attachment content is not a data: URI; kept");
      n.keep(content);
      continue;
    }
    const media: Media = { content: parsed.content, mediaType: parsed.mediaType };
    const lang = content.attr("xml:lang");
    if (title) media.title = lang && title[lang] ? { [lang]: title[lang] } : title;
    n.trace(`${at}/embedded/${ev.embedded.length}`, content.path);
    ev.embedded.push(media);
  }
  for (const x of n.all("extension")) n.keep(x);
  if (ev.embedded.length === 0) {
    n.warn("attachment without readable content");
    return undefined;
  }
  return ev;
}

export type { XmlReadLog };
