/**
 * The legacy Europass XML reader: EDCI / EDC 1.x credentials (`europassCredential`, ELM "v1/v2" XML, namespaces
 * `http://data.europa.eu/snb` and the older `http://data.europa.eu/europass/model/credentials#`) → one canonical
 * credential. The original XML is kept in `provenance.original`, so the ELM writer with `embedOriginal` (profile
 * Converted) embeds it as evidence, as EDC did when it converted its 1.x credentials.
 *
 * Read: the credential's id, type, title, description, dates; the issuer (resolved through `agentReferences` by
 * `idref`); the learner (`credentialSubject`); the achievements tree (`achievements/learningAchievement` with
 * `hasPart`), each with its specification (resolved through `learningSpecificationReferences` by `idref`: title,
 * EQF level, ECTS points), its assessment (`wasDerivedFrom`: grade, date) and its awarding body
 * (`wasAwardedBy` → `awardingProcessReferences` → `awardingBody`). Everything else is kept as extensions; the
 * XAdES signature (`proof`) is kept in `provenance.proof`. Pointers follow `mappings/xml/node.ts`. Pure; never throws.
 */
import {
  type CanonicalCredential,
  type Claim,
  type Concept,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type LangMap,
  type Organisation,
  type ReadResult,
} from "../model.js";
import { countryAlpha2, ECTS } from "../vocab/index.js";
import { newXmlReadLog, XNode } from "../xml/node.js";
import { looksLikeXml, parseXml } from "../xml/safe-parse.js";

export const EUROPASS_NAMESPACES = {
  snb: "http://data.europa.eu/snb",
  draft: "http://data.europa.eu/europass/model/credentials#",
} as const;

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
  const uri = n.attr("uri");
  const label = texts(n.first("targetName"));
  const scheme = n.attr("targetFrameworkUrl");
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
export function readEuropassXml(input: unknown): ReadResult {
  try {
    return read(input);
  } catch (e) {
    return { ok: false, issues: [{ path: "", message: `internal Europass XML reader error: ${String(e)}` }] };
  }
}

function read(input: unknown): ReadResult {
  if (!looksLikeXml(input)) {
    return {
      ok: false,
      issues: [{ path: "", message: "a Europass XML credential is XML text (a string starting with <)" }],
    };
  }
  const parsed = parseXml(input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues.map((i) => ({ path: "", message: i.message })) };
  const log = newXmlReadLog();
  const root = new XNode(parsed.doc, `/${parsed.doc.name}`, log);
  if (root.name !== "europassCredential") {
    return {
      ok: false,
      issues: [
        {
          path: root.path,
          message: `not a Europass XML credential: root <${root.name}>, expected <europassCredential>`,
        },
      ],
    };
  }
  const ns = parsed.doc.ns;
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

  const issuerRef = root.first("issuer")?.attr("idref");
  const issuerNode = issuerRef ? refs.get(issuerRef) : undefined;
  if (issuerNode) {
    cred.issuer = readOrganisation(issuerNode, "/issuer");
  } else if (issuerRef) {
    root.warn(`issuer ${issuerRef} is not among the agentReferences`);
  }

  const subject = root.first("credentialSubject");
  if (subject) {
    readSubject(subject, cred);
    const achievements = subject.first("achievements")?.all("learningAchievement") ?? [];
    cred.claims = achievements.map((a, i) => readAchievement(a, `/claims/${i}`, refs, cred.issuer));
    for (const c of subject.children()) {
      if (!SUBJECT_KNOWN.includes(c.name)) c.keep();
    }
  } else {
    root.warn("no credentialSubject");
  }

  const proof = root.first("proof");
  const known = [
    "type",
    "primaryLanguage",
    "availableLanguages",
    "issued",
    "validFrom",
    "expirationDate",
    "validUntil",
  ];
  for (const c of root.children()) {
    if ([...known, "issuer", "title", "description", "credentialSubject", "proof", "identifier"].includes(c.name))
      continue;
    if (c.name.endsWith("References")) continue;
    c.keep();
  }
  for (const x of root.all("identifier")) {
    const v = x.own();
    if (v) cred.identifiers.push({ value: v, kind: "other", scheme: x.attr("schemeID") ?? "identifier" });
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
  return { ok: true, value: [cred], losses: [], warnings: log.warnings };
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
  "nationalId",
  "identifier",
];

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
  for (const cp of s.all("contactPoint")) {
    for (const mb of cp.all("mailBox")) {
      const uri = mb.attr("uri");
      if (uri) p.emails.push(uri.replace(/^mailto:/, ""));
    }
  }
  const national = s.first("nationalId");
  if (national?.own())
    p.nationalId = { value: national.own(), kind: "national", scheme: national.attr("schemeID") ?? "national" };
}

function readOrganisation(n: XNode, at: string): Organisation {
  const org = emptyOrganisation(texts(n.first("prefLabel")) ?? texts(n.first("legalName")) ?? {});
  n.trace(`${at}/legalName`, `${n.path}/prefLabel/0`);
  const id = n.attr("id");
  if (id) org.id = id;
  const alt = texts(n.first("altLabel"));
  if (alt) org.altNames.push(alt);
  const reg = n.text("registration");
  if (reg) org.identifiers.push({ value: reg, kind: "legal" });
  const vat = n.text("vatIdentifier");
  if (vat) org.identifiers.push({ value: vat, kind: "vat" });
  for (const h of n.all("homepage")) {
    const url = h.text("contentUrl") ?? h.own();
    if (url) org.homepages.push(url);
  }
  for (const loc of n.all("hasLocation")) {
    const country = countryAlpha2(loc.first("hasAddress")?.first("country")?.attr("uri") ?? "");
    const full = texts(loc.first("hasAddress")?.first("fullAddress"));
    org.locations.push({ address: { ...(country ? { country } : {}), ...(full ? { full } : {}) } });
  }
  if (org.locations.length === 0) n.warn("the organisation has no location (ELM requires a country)");
  return org;
}

function readAchievement(n: XNode, at: string, refs: Map<string, XNode>, issuer: Organisation | undefined): Claim {
  const title = texts(n.first("title")) ?? {};
  n.trace(`${at}/title`, `${n.path}/title/0`);
  const claim = emptyClaim("achievement", title);
  const id = n.attr("id");
  if (id) claim.id = id;
  const description = texts(n.first("description"));
  if (description) claim.description = description;

  const specRef = n.first("specifiedBy")?.attr("idref");
  const specNode = specRef ? refs.get(specRef) : undefined;
  const spec = emptySpecification(specNode?.name === "qualification" ? "qualification" : "achievement", title);
  if (specNode) {
    spec.title = texts(specNode.first("title")) ?? title;
    n.trace(`${at}/specification/title`, `${specNode.path}/title/0`);
    const eqf = concept(specNode.first("eqfLevel"));
    if (eqf) spec.eqfLevel = eqf;
    const ects = specNode.text("hasECTSCreditPoints");
    if (ects) {
      spec.credits.push({ framework: ECTS, points: ects });
      n.trace(`${at}/specification/credits/0/points`, `${specNode.path}/hasECTSCreditPoints/0`);
    }
    const d = texts(specNode.first("description"));
    if (d) spec.description = d;
  } else if (specRef) {
    n.warn(`specification ${specRef} is not among the references`);
  }
  claim.specification = spec;

  for (const d of n.all("wasDerivedFrom")) {
    const a = emptyClaim("assessment", texts(d.first("title")) ?? {});
    const grade = d.text("grade");
    if (grade) a.grade = { value: grade };
    const date = d.text("issuedDate");
    if (date) a.dateIssued = date;
    const idv = concept(d.first("idVerificationMethod"));
    if (idv) a.idVerification = idv;
    claim.provenBy.push(a);
  }
  const processRef = n.first("wasAwardedBy")?.attr("idref");
  const process = processRef ? refs.get(processRef) : undefined;
  const bodyRef = process?.first("awardingBody")?.attr("idref");
  const body = bodyRef ? refs.get(bodyRef) : undefined;
  if (body) claim.awardingBodies.push(readOrganisation(body, `${at}/awardingBodies/0`));
  else if (issuer) claim.awardingBodies.push(issuer);
  const awarded = process?.text("awardingDate");
  if (awarded) claim.awardingDate = awarded;

  n.all("hasPart")
    .flatMap((h) => h.all("learningAchievement"))
    .forEach((part, k) => {
      claim.hasPart.push(readAchievement(part, `${at}/hasPart/${k}`, refs, issuer));
    });
  for (const c of n.children()) {
    if (!["title", "description", "specifiedBy", "wasDerivedFrom", "wasAwardedBy", "hasPart"].includes(c.name))
      c.keep();
  }
  return claim;
}
