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
  type Accreditation,
  type Address,
  type CanonicalCredential,
  type Claim,
  type Concept,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type Identifier,
  type LangMap,
  type LearningOutcome,
  type Location,
  type Loss,
  type Media,
  type Organisation,
  type ReadResult,
  type Specification,
  type SpecificationKind,
} from "../model.js";
import { countryAlpha2, ECTS, languageTag, mediaTypeOf } from "../vocab/index.js";
import { newXmlReadLog, XNode } from "../xml/node.js";
import { looksLikeXml, parseXml, type XmlLimits } from "../xml/safe-parse.js";

export const EUROPASS_NAMESPACES = {
  snb: "http://data.europa.eu/snb",
  draft: "http://data.europa.eu/europass/model/credentials#",
} as const;

/** The namespace of EDCI's XML presentation (`sharedschema_*_1.2.xsd`, `verifiablePresentation`). */
export const EUROPASS_VP_NAMESPACE = "http://data.europa.eu/snb/vp";

/** `<title><text lang="en">…</text></title>` → `{en: "…"}`. */
function texts(n: XNode | undefined): LangMap | undefined {
  if (!n) return undefined;
  const map: LangMap = {};
  for (const t of n.all("text")) {
    const v = t.own();
    const lang = (t.attr("lang") ?? t.attr("xml:lang") ?? "und").toLowerCase();
    if (v && map[lang] === undefined) map[lang] = v;
  }
  if (Object.keys(map).length === 0 && n.own()) map.und = n.own();
  return Object.keys(map).length > 0 ? map : undefined;
}

/** A coded element (`uri`, `targetFrameworkUrl`, `targetName`) → a concept. */
function concept(n: XNode | undefined): Concept | undefined {
  if (!n) return undefined;
  // URIs are trimmed: the EDC samples write some with a trailing space, which JSON-LD takes for a relative IRI.
  const uri = n.attr("uri")?.trim();
  const label = texts(n.first("targetName"));
  const scheme = n.attr("targetFrameworkUrl")?.trim();
  if (!uri && !label) return undefined;
  return { ...(uri ? { uri } : {}), ...(label ? { label } : {}), ...(scheme ? { scheme } : {}) };
}

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

/** What the claim readers share: the references by id, the issuer, and each activity and entitlement read once. */
interface ReadContext {
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
function organisationRef(ref: XNode | undefined, ctx: ReadContext, at: string): Organisation | undefined {
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
function organisationAt(n: XNode | undefined, ctx: ReadContext, at: string): Organisation | undefined {
  if (!n) return undefined;
  if (n.attr("idref")) return organisationRef(n, ctx, at);
  return n.children().length > 0 ? readOrganisation(n, at, ctx, emptyOrganisation()) : undefined;
}

/** An `identifier` (`IdentifierType`, `schemeID`): an eIDAS identifier when its scheme says so. */
function identifierOf(x: XNode): Identifier | undefined {
  const value = x.own();
  if (!value) return undefined;
  const scheme = x.attr("schemeID") ?? x.attr("schemeName") ?? "identifier";
  return { value, kind: /eidas/i.test(scheme) ? "eidas" : "other", scheme };
}

/**
 * A `contactPoint`'s mailboxes and phone numbers (and, for a person, postal addresses) into the holder's lists; what
 * else it holds (wallet, web resource, notes) has no canonical place and is kept as an extension.
 */
function readContactPoint(
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
function readAccreditation(n: XNode, at: string, ctx: ReadContext): Accreditation {
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

/** A `MediaObjectType` (logo, attachment, background): content, its file type, its URL. */
function media(n: XNode | undefined): Media | undefined {
  if (!n) return undefined;
  const content = n.text("content")?.replace(/\s+/g, "");
  const url = n.text("contentUrl");
  const fileType = n.first("contentType")?.attr("uri");
  const mediaType = fileType ? mediaTypeOf(fileType) : undefined;
  if (!content && !url) return undefined;
  const id = n.attr("id");
  return {
    ...(id ? { id } : {}),
    ...(content ? { content } : {}),
    ...(url ? { url } : {}),
    ...(mediaType ? { mediaType } : {}),
  };
}

/** A `LocationType` (`id`, `name`, `hasAddress` with `fullAddress` and `country`); undefined when it holds nothing. */
function location(n: XNode): Location | undefined {
  const address = n.first("hasAddress");
  const country = countryAlpha2(address?.first("country")?.attr("uri") ?? "");
  const full = texts(address?.first("fullAddress"));
  const name = texts(n.first("name"));
  const id = n.text("id");
  if (!country && !full && !name) return undefined;
  return {
    ...(id ? { id } : {}),
    ...(name ? { name } : {}),
    ...(country || full ? { address: { ...(country ? { country } : {}), ...(full ? { full } : {}) } } : {}),
  };
}

const ORGANISATION_KNOWN = [
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
function readOrganisation(n: XNode, at: string, ctx: ReadContext, org: Organisation): Organisation {
  org.legalName = texts(n.first("prefLabel")) ?? texts(n.first("legalName")) ?? {};
  n.trace(`${at}/legalName`, `${n.path}/prefLabel/0`);
  const id = n.attr("id");
  if (id) org.id = id;
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

/** Concepts of the children `name`. */
const concepts = (n: XNode, name: string): Concept[] =>
  n.all(name).flatMap((c) => {
    const k = concept(c);
    return k ? [k] : [];
  });

/** {@link concepts}, each traced to its element at `at/<i>`. */
function tracedConcepts(n: XNode, name: string, at: string): Concept[] {
  const out: Concept[] = [];
  for (const c of n.all(name)) {
    const k = concept(c);
    if (!k) continue;
    n.trace(`${at}/${out.length}`, c.path);
    out.push(k);
  }
  return out;
}

/** `identifier` children (`schemeID` attribute) as identifiers. */
const identifiers = (n: XNode): Identifier[] =>
  n.all("identifier").flatMap((x) => {
    const value = x.own();
    return value ? [{ value, kind: "other" as const, scheme: x.attr("schemeID") ?? "identifier" }] : [];
  });

/** `additionalNote` children as texts. */
const notes = (n: XNode): LangMap[] =>
  n.all("additionalNote").flatMap((x) => {
    const t = texts(x);
    return t ? [t] : [];
  });

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
