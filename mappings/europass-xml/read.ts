/**
 * The legacy Europass XML reader: EDCI / EDC 1.x credentials (`europassCredential`, ELM "v1/v2" XML, namespaces
 * `http://data.europa.eu/snb` and the older `http://data.europa.eu/europass/model/credentials#`) → one canonical
 * credential. The original XML is kept in `provenance.original`, so the ELM writer with `embedOriginal` (profile
 * Converted) embeds it as evidence, as EDC did when it converted its 1.x credentials.
 *
 * Read (element names per the corpus XSDs, genericschema 0.10 and 1.2): the credential's id (`cred:id`), identifiers,
 * type, title, description, dates, `primaryLanguage` and `availableLanguages` (as its display, with its title), and
 * `attachmentList/Attachment`; the issuer (resolved through `agentReferences` by `idref`, with its locations and logo);
 * the learner (`credentialSubject`); the claims: the achievements tree (`achievements/learningAchievement` with
 * `hasPart`), each with its specification (resolved through `learningSpecificationReferences` by `idref`: title,
 * types, EQF/NQF levels, ECTS points, languages, modes, learning outcomes from `learningOutcomeReferences`…), its
 * assessments (`wasDerivedFrom`, with their parts and specifications), its activities (`wasInfluencedBy`), its
 * entitlements (`entitlesTo`) and its awarding body and date (`wasAwardedBy` → `awardingProcessReferences`); then the
 * subject's `activities/activity` and `entitlements/entitlement` that no achievement refers to, as claims of their
 * own. An activity or entitlement is one claim object however often it is referred to. Everything else is kept as
 * extensions; the XAdES signature (`proof`) is kept in `provenance.proof`. Pointers follow `mappings/xml/node.ts`.
 * Pure; never throws.
 */
import {
  type CanonicalCredential,
  type Claim,
  emptyClaim,
  emptyCredential,
  emptySpecification,
  type LangMap,
  type LearningOutcome,
  type Loss,
  type ReadResult,
  type Specification,
  type SpecificationKind,
} from "../model.js";
import { countryAlpha2, ECTS, languageTag } from "../vocab/index.js";
import { newXmlReadLog, XNode } from "../xml/node.js";
import { looksLikeXml, parseXml, type XmlLimits } from "../xml/safe-parse.js";
import { organisationRef, type ReadContext, readContactPoint } from "./agents.js";
import {
  concept,
  concepts,
  identifierOf,
  identifiers,
  location,
  media,
  notes,
  texts,
  tracedConcepts,
} from "./values.js";

export const EUROPASS_NAMESPACES = {
  snb: "http://data.europa.eu/snb",
  draft: "http://data.europa.eu/europass/model/credentials#",
} as const;

/** The namespace of EDCI's XML presentation (`sharedschema_*_1.2.xsd`, `verifiablePresentation`). */
export const EUROPASS_VP_NAMESPACE = "http://data.europa.eu/snb/vp";

/** Every element with an `id` attribute under the reference lists, by id (iterative walk). */
function indexById(root: XNode): Map<string, XNode> {
  const map = new Map<string, XNode>();
  const stack = root.children().filter((c) => c.name.endsWith("References"));
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    const id = n.attr("id");
    if (id && !map.has(id)) map.set(id, n);
    stack.push(...n.children());
  }
  return map;
}

/** Reads a legacy Europass XML credential. Pure; never throws. */
export function readEuropassXml(input: unknown, xmlLimits: Partial<XmlLimits> = {}): ReadResult {
  try {
    return read(input, xmlLimits);
  } catch (e) {
    return { ok: false, issues: [{ path: "", message: `internal Europass XML reader error: ${String(e)}` }] };
  }
}

function read(input: unknown, xmlLimits: Partial<XmlLimits>): ReadResult {
  if (!looksLikeXml(input)) {
    return {
      ok: false,
      issues: [{ path: "", message: "a Europass XML credential is XML text (a string starting with <)" }],
    };
  }
  const parsed = parseXml(input, xmlLimits);
  if (!parsed.ok) return { ok: false, issues: parsed.issues.map((i) => ({ path: "", message: i.message })) };
  const log = newXmlReadLog();
  const top = new XNode(parsed.doc, `/${parsed.doc.name}`, log);
  // EDCI delivered credentials (diploma supplements included) as a `verifiablePresentation` whose one
  // `europassCredential` is the credential (XSD: "a verifiable EuropassCredential without a proof"); the
  // presentation's own type, issuer, checks and XAdES proof are about the delivery, not the credential: reported as
  // losses of the read (no target carries a presentation around a credential it writes).
  const presented = top.name === "verifiablePresentation" ? top.first("europassCredential") : undefined;
  const losses: Loss[] = [];
  if (presented) {
    for (const c of top.children()) {
      if (c.name === "europassCredential") continue;
      losses.push({
        path: c.path,
        reason:
          c.name === "proof"
            ? "not written: the presentation's seal covers the presentation, and the written credential must be sealed again"
            : `not written: the presentation's ${c.name} describes the delivery, not the credential`,
      });
    }
    if (parsed.doc.ns !== EUROPASS_VP_NAMESPACE) {
      top.warn(
        `unknown namespace ${parsed.doc.ns ?? "(none)"} for verifiablePresentation; read as ${EUROPASS_VP_NAMESPACE}`,
      );
    }
  }
  const root = presented ?? top;
  if (root.name !== "europassCredential") {
    return {
      ok: false,
      issues: [
        {
          path: root.path,
          message:
            root.name === "verifiablePresentation"
              ? "not a Europass XML credential: the <verifiablePresentation> holds no <europassCredential>"
              : `not a Europass XML credential: root <${root.name}>, expected <europassCredential> (or a <verifiablePresentation> holding one)`,
        },
      ],
    };
  }
  const ns = root.el.ns;
  if (ns !== EUROPASS_NAMESPACES.snb && ns !== EUROPASS_NAMESPACES.draft) {
    root.warn(`unknown namespace ${ns ?? "(none)"} for europassCredential; read as ${EUROPASS_NAMESPACES.snb}`);
  }
  const refs = indexById(root);
  const cred = emptyCredential("europass-xml");
  cred.types = ["europassCredential"];
  const id = root.attr("cred:id") ?? root.attr("id");
  if (id) {
    cred.id = id;
    root.trace("/id", `${root.path}/@cred:id`);
  }
  const type = concept(root.first("type"));
  if (type) {
    cred.profiles.push(type);
    root.trace("/profiles/0", `${root.path}/type/0`);
  }
  const title = texts(root.first("title"));
  if (title) {
    cred.title = title;
    root.trace("/title", `${root.path}/title/0`);
  }
  const description = texts(root.first("description"));
  if (description) {
    cred.description = description;
    root.trace("/description", `${root.path}/description/0`);
  }
  for (const [field, name] of [
    ["issued", "issued"],
    ["validFrom", "validFrom"],
    ["validUntil", "expirationDate"],
  ] as const) {
    const node = root.first(name) ?? (name === "expirationDate" ? root.first("validUntil") : undefined);
    const v = node?.own();
    if (v && node) {
      cred[field] = v;
      root.trace(`/${field}`, node.path);
    }
  }
  if (!cred.validFrom && cred.issued) cred.validFrom = cred.issued;

  const ctx: ReadContext = {
    refs,
    issuer: undefined,
    claimsById: new Map(),
    referenced: new Set(),
    organisations: new Map(),
  };
  const issuer = organisationRef(root.first("issuer"), ctx, "/issuer");
  if (issuer) {
    cred.issuer = issuer;
    ctx.issuer = issuer;
  }

  const subject = root.first("credentialSubject");
  if (subject) {
    readSubject(subject, cred);
    cred.claims = readClaims(subject, ctx);
    for (const c of subject.children()) {
      if (!SUBJECT_KNOWN.includes(c.name)) c.keep();
    }
  } else {
    root.warn("no credentialSubject");
  }
  readLanguagesAndDisplay(root, cred);
  const attachments = root.first("attachmentList")?.all("Attachment") ?? [];
  for (const a of attachments) {
    const m = media(a);
    if (m) {
      root.trace(`/attachments/${cred.attachments.length}`, a.path);
      cred.attachments.push(m);
    } else a.warn("an attachment with neither content nor URL");
  }

  const proof = root.first("proof");
  if (proof && proof.el.children.length > 0) root.trace("/provenance/proof", proof.path);
  const known = [
    "type",
    "primaryLanguage",
    "availableLanguages",
    "issued",
    "validFrom",
    "expirationDate",
    "validUntil",
    "attachmentList",
  ];
  for (const c of root.children()) {
    if ([...known, "issuer", "title", "description", "credentialSubject", "proof", "identifier"].includes(c.name))
      continue;
    if (c.name.endsWith("References")) continue;
    c.keep();
  }
  for (const x of root.all("identifier")) {
    const v = x.own();
    if (!v) continue;
    root.trace(`/identifiers/${cred.identifiers.length}`, x.path);
    cred.identifiers.push({ value: v, kind: "other", scheme: x.attr("schemeID") ?? "identifier" });
  }
  cred.extensions = log.extensions;
  cred.provenance = {
    format: "europass-xml",
    variant: ns === EUROPASS_NAMESPACES.draft ? "edci-0.8" : `edc-${root.attr("xsdVersion") ?? "1.x"}`,
    root: root.path,
    paths: log.paths,
    original: input,
    ...(id ? { sourceId: id } : {}),
    ...(proof && proof.el.children.length > 0 ? { proof: { type: "XAdES", path: proof.path } } : {}),
  };
  return { ok: true, value: [cred], losses, warnings: log.warnings };
}

const SUBJECT_KNOWN = [
  "fullName",
  "givenNames",
  "familyName",
  "dateOfBirth",
  "citizenshipCountry",
  "contactPoint",
  "gender",
  "achievements",
  "activities",
  "entitlements",
  "nationalId",
  "identifier",
];

/**
 * The subject's claims: its achievements, then the activities and entitlements no achievement (or activity) refers to
 * (`wasInfluencedBy`, `entitlesTo`, `hasPart`): those are claims of their own, the others are read where referred to.
 * Each activity or entitlement is one claim object however often it is referred to.
 */
function readClaims(subject: XNode, ctx: ReadContext): Claim[] {
  const activities = subject.first("activities")?.all("activity") ?? [];
  const entitlements = subject.first("entitlements")?.all("entitlement") ?? [];
  const achievements = subject.first("achievements")?.all("learningAchievement") ?? [];
  const claims = achievements.map((a, i) => readAchievement(a, `/claims/${i}`, ctx));
  for (const [nodes, readOne] of [
    [activities, readActivity],
    [entitlements, readEntitlement],
  ] as const) {
    for (const n of nodes) {
      const id = n.attr("id");
      const claim = readOne(n, `/claims/${claims.length}`, ctx);
      if (id && ctx.referenced.has(id)) continue;
      if (claim.awardingBodies.length === 0 && ctx.issuer) claim.awardingBodies.push(ctx.issuer);
      claims.push(claim);
    }
  }
  return claims;
}

/** `primaryLanguage`, `availableLanguages/language` and the credential's title and description, as its display. */
function readLanguagesAndDisplay(root: XNode, cred: CanonicalCredential): void {
  const primaryNode = root.first("primaryLanguage");
  const primary = primaryNode ? languageTag(primaryNode.own()) : undefined;
  const languages = (root.first("availableLanguages")?.all("language") ?? []).flatMap(
    (l) => languageTag(l.own()) ?? [],
  );
  if (!primary && languages.length === 0 && !cred.title) return;
  cred.display = {
    languages,
    pages: [],
    ...(primary ? { primaryLanguage: primary } : {}),
    ...(cred.title ? { title: cred.title } : {}),
    ...(cred.description ? { description: cred.description } : {}),
  };
  if (primary && primaryNode) root.trace("/display/primaryLanguage", primaryNode.path);
  if (cred.title) root.trace("/display/title", `${root.path}/title/0`);
}

function readSubject(s: XNode, cred: CanonicalCredential): void {
  const p = cred.learner;
  const id = s.attr("id");
  if (id) p.id = id;
  const full = texts(s.first("fullName"));
  if (full) {
    p.fullName = full;
    s.trace("/learner/fullName", `${s.path}/fullName/0`);
  }
  const given = texts(s.first("givenNames"));
  if (given) {
    p.givenName = given;
    s.trace("/learner/givenName", `${s.path}/givenNames/0`);
  }
  const family = texts(s.first("familyName"));
  if (family) {
    p.familyName = family;
    s.trace("/learner/familyName", `${s.path}/familyName/0`);
  }
  const dob = s.text("dateOfBirth");
  if (dob) {
    p.dateOfBirth = dob;
    s.trace("/learner/dateOfBirth", `${s.path}/dateOfBirth/0`);
  }
  for (const c of s.all("citizenshipCountry")) {
    const a2 = countryAlpha2(c.attr("uri") ?? "");
    if (a2) p.citizenship.push(a2);
  }
  const gender = concept(s.first("gender"));
  if (gender) p.gender = gender;
  for (const cp of s.all("contactPoint")) readContactPoint(cp, p, "/learner");
  for (const x of s.all("identifier")) {
    const ident = identifierOf(x);
    if (ident) {
      s.trace(`/learner/identifiers/${p.identifiers.length}`, x.path);
      p.identifiers.push(ident);
    }
  }
  const national = s.first("nationalId");
  if (national?.own()) {
    const country = countryAlpha2(national.attr("spatialID") ?? "");
    p.nationalId = {
      value: national.own(),
      kind: "national",
      scheme: national.attr("schemeID") ?? national.attr("schemeAgencyName") ?? "national",
      ...(country ? { country } : {}),
    };
    s.trace("/learner/nationalId", national.path);
  }
}

const SPECIFICATION_KINDS: Record<string, SpecificationKind> = {
  qualification: "qualification",
  learningSpecification: "achievement",
  learningAchievementSpecification: "achievement",
  learningActivitySpecification: "activity",
  assessmentSpecification: "assessment",
  entitlementSpecification: "entitlement",
};

/** A learning outcome of `learningOutcomeReferences` (`prefLabel`, `description`, type, reusability, skills). */
function learningOutcome(n: XNode): LearningOutcome {
  const outcome: LearningOutcome = {
    title: texts(n.first("prefLabel")) ?? texts(n.first("title")) ?? {},
    escoSkills: concepts(n, "relatedEscoSkill"),
    relatedSkills: concepts(n, "relatedSkill"),
  };
  const id = n.attr("id");
  if (id) outcome.id = id;
  const description = texts(n.first("description"));
  if (description) outcome.description = description;
  const type = concept(n.first("learningOutcomeType"));
  if (type) outcome.skillType = type;
  const reuse = concept(n.first("reusabilityLevel"));
  if (reuse) outcome.reusabilityLevel = reuse;
  return outcome;
}

/**
 * The specification a claim names by `specifiedBy` (resolved among the references): a qualification, a learning
 * (achievement), activity, assessment or entitlement specification, with what the model holds of each.
 */
function readSpecification(
  claim: XNode,
  at: string,
  ctx: ReadContext,
  fallbackKind: SpecificationKind,
  fallbackTitle: LangMap,
): Specification {
  const ref = claim.first("specifiedBy")?.attr("idref");
  const n = ref ? ctx.refs.get(ref) : undefined;
  const spec = emptySpecification(n ? (SPECIFICATION_KINDS[n.name] ?? fallbackKind) : fallbackKind, fallbackTitle);
  if (!n) {
    if (ref) claim.warn(`specification ${ref} is not among the references`);
    return spec;
  }
  if (ref) spec.id = ref;
  const title = texts(n.first("title"));
  if (title) {
    spec.title = title;
    n.trace(`${at}/specification/title`, `${n.path}/title/0`);
  }
  const d = texts(n.first("description"));
  if (d) {
    spec.description = d;
    n.trace(`${at}/specification/description`, `${n.path}/description/0`);
  }
  spec.identifiers = identifiers(n);
  spec.types = tracedConcepts(n, "type", `${at}/specification/types`);
  const eqf = concept(n.first("eqfLevel"));
  if (eqf) {
    spec.eqfLevel = eqf;
    n.trace(`${at}/specification/eqfLevel`, `${n.path}/eqfLevel/0`);
  }
  spec.nqfLevels = tracedConcepts(n, "nqfLevel", `${at}/specification/nqfLevels`);
  const ects = n.text("hasECTSCreditPoints");
  if (ects) {
    spec.credits.push({ framework: ECTS, points: ects });
    n.trace(`${at}/specification/credits/0/points`, `${n.path}/hasECTSCreditPoints/0`);
  }
  const volume = n.text("volumeOfLearning") ?? n.text("workload");
  if (volume) spec.volumeOfLearning = volume;
  const duration = n.text("duration");
  if (duration) spec.maximumDuration = duration;
  spec.languages = tracedConcepts(n, "language", `${at}/specification/languages`);
  spec.modes = tracedConcepts(n, "mode", `${at}/specification/modes`);
  spec.learningSettings = tracedConcepts(n, "learningSettingType", `${at}/specification/learningSettings`);
  spec.fields = tracedConcepts(n, "hasISCED-FCode", `${at}/specification/fields`);
  const partial = n.text("isPartialQualification");
  if (partial === "true" || partial === "false") spec.isPartialQualification = partial === "true";
  const entry = texts(n.first("entryRequirementsNote"));
  if (entry) spec.entryRequirement = entry;
  spec.homepages = n.all("homepage").flatMap((h) => h.attr("uri") ?? []);
  spec.supplementaryDocuments = n.all("supplementaryDoc").flatMap((h) => h.attr("uri") ?? []);
  spec.additionalNotes = notes(n);
  const status = concept(n.first("status"));
  if (status && spec.kind === "entitlement") spec.entitlementStatus = status;
  const outcomes = n.first("learningOutcomes")?.all("learningOutcome") ?? [];
  for (const o of outcomes) {
    const id = o.attr("idref");
    const node = id ? ctx.refs.get(id) : undefined;
    if (!node) {
      o.warn(`learning outcome ${id ?? "(no idref)"} is not among the learningOutcomeReferences`);
      continue;
    }
    spec.learningOutcomes.push(learningOutcome(node));
    n.trace(`${at}/specification/learningOutcomes/${spec.learningOutcomes.length - 1}`, node.path);
  }
  const schemeRef = n.first("gradingScheme")?.attr("idref");
  const scheme = schemeRef ? ctx.refs.get(schemeRef) : undefined;
  if (scheme) {
    const t = texts(scheme.first("title"));
    const sd = texts(scheme.first("description"));
    spec.gradingScheme = { id: schemeRef, ...(t ? { title: t } : {}), ...(sd ? { description: sd } : {}) };
  }
  return spec;
}

/** What every claim type has: id, title, description, notes (the model holds no claim identifiers: extensions). */
function claimBase(n: XNode, kind: Claim["kind"], at: string): Claim {
  const title = texts(n.first("title")) ?? {};
  n.trace(`${at}/title`, `${n.path}/title/0`);
  const claim = emptyClaim(kind, title);
  const id = n.attr("id");
  if (id) claim.id = id;
  const description = texts(n.first("description"));
  if (description) claim.description = description;
  claim.additionalNotes = notes(n);
  return claim;
}

const ACTIVITY_KNOWN = [
  "title",
  "description",
  "additionalNote",
  "workload",
  "startedAtTime",
  "endedAtTime",
  "directedBy",
  "specifiedBy",
  "hasPart",
];

/** A learning activity (`activity`, `wasInfluencedBy`, an activity's `hasPart`): read once per id. */
function readActivity(n: XNode, at: string, ctx: ReadContext): Claim {
  const id = n.attr("id");
  const known = id ? ctx.claimsById.get(id) : undefined;
  if (known?.kind === "activity") return known;
  const claim = claimBase(n, "activity", at);
  if (id) ctx.claimsById.set(id, claim);
  const workload = n.text("workload");
  if (workload) claim.workload = workload;
  const start = n.text("startedAtTime");
  if (start) claim.startDate = start;
  const end = n.text("endedAtTime");
  if (end) claim.endDate = end;
  n.all("directedBy").forEach((d, k) => {
    const org = organisationRef(d, ctx, `${at}/directedBy/${k}`);
    if (org) claim.directedBy.push(org);
  });
  claim.specification = readSpecification(n, at, ctx, "activity", claim.title);
  n.all("hasPart").forEach((part, k) => {
    const pid = part.attr("id");
    if (pid) ctx.referenced.add(pid);
    claim.hasPart.push(readActivity(part, `${at}/hasPart/${k}`, ctx));
  });
  n.keepUnknown(ACTIVITY_KNOWN);
  return claim;
}

/** A learning entitlement (`entitlement`, `entitlesTo`): read once per id. */
function readEntitlement(n: XNode, at: string, ctx: ReadContext): Claim {
  const id = n.attr("id");
  const known = id ? ctx.claimsById.get(id) : undefined;
  if (known?.kind === "entitlement") return known;
  const claim = claimBase(n, "entitlement", at);
  if (id) ctx.claimsById.set(id, claim);
  const issued = n.text("issuedDate");
  if (issued) claim.awardingDate = issued;
  const expiry = n.text("expiryDate");
  if (expiry) claim.expiryDate = expiry;
  claim.specification = readSpecification(n, at, ctx, "entitlement", claim.title);
  n.keepUnknown(["title", "description", "additionalNote", "issuedDate", "expiryDate", "specifiedBy"]);
  return claim;
}

/** An assessment (`wasDerivedFrom`, an assessment's `hasPart`). */
function readAssessment(d: XNode, at: string, ctx: ReadContext): Claim {
  const a = claimBase(d, "assessment", at);
  const grade = d.text("grade");
  if (grade) a.grade = { value: grade };
  const date = d.text("issuedDate");
  if (date) a.dateIssued = date;
  const idv = concept(d.first("idVerificationMethod"));
  if (idv) a.idVerification = idv;
  d.all("assessedBy").forEach((b, k) => {
    const org = organisationRef(b, ctx, `${at}/assessedBy/${k}`);
    if (org) a.assessedBy.push(org);
  });
  a.specification = readSpecification(d, at, ctx, "assessment", a.title);
  d.all("hasPart").forEach((part, k) => {
    a.hasPart.push(readAssessment(part, `${at}/hasPart/${k}`, ctx));
  });
  return a;
}

const ACHIEVEMENT_KNOWN = [
  "title",
  "description",
  "additionalNote",
  "specifiedBy",
  "wasDerivedFrom",
  "wasInfluencedBy",
  "wasAwardedBy",
  "entitlesTo",
  "hasPart",
];

function readAchievement(n: XNode, at: string, ctx: ReadContext): Claim {
  const claim = claimBase(n, "achievement", at);
  claim.specification = readSpecification(n, at, ctx, "achievement", claim.title);
  n.all("wasDerivedFrom").forEach((d, k) => {
    claim.provenBy.push(readAssessment(d, `${at}/provenBy/${k}`, ctx));
  });
  n.all("wasInfluencedBy").forEach((d, k) => {
    const id = d.attr("id");
    if (id) ctx.referenced.add(id);
    claim.influencedBy.push(readActivity(d, `${at}/influencedBy/${k}`, ctx));
  });
  n.all("entitlesTo").forEach((d, k) => {
    const id = d.attr("id");
    if (id) ctx.referenced.add(id);
    claim.entitlesTo.push(readEntitlement(d, `${at}/entitlesTo/${k}`, ctx));
  });
  const processRef = n.first("wasAwardedBy")?.attr("idref");
  const process = processRef ? ctx.refs.get(processRef) : undefined;
  const body = organisationRef(process?.first("awardingBody"), ctx, `${at}/awardingBodies/0`);
  if (body) claim.awardingBodies.push(body);
  else if (ctx.issuer) claim.awardingBodies.push(ctx.issuer);
  const awarded = process?.text("date") ?? process?.text("awardingDate");
  if (awarded) claim.awardingDate = awarded;
  const where = process?.first("location");
  const awardedAt = where ? location(where) : undefined;
  if (awardedAt) claim.awardingLocation = awardedAt;

  n.all("hasPart")
    .flatMap((h) => h.all("learningAchievement"))
    .forEach((part, k) => {
      claim.hasPart.push(readAchievement(part, `${at}/hasPart/${k}`, ctx));
    });
  n.keepUnknown(ACHIEVEMENT_KNOWN);
  return claim;
}
