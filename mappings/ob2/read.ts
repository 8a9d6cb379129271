/**
 * The Open Badges 2.0 reader: a hosted Assertion (JSON, with its BadgeClass and Issuer embedded or given alongside as
 * `{assertion, badge, issuer}`), or a signed badge (a compact JWS whose payload is the Assertion; decoded, not
 * verified here) → one canonical credential.
 *
 * For the 1EdTech OB 2.0 → 3.0 migration guidance, the credential keeps no OB 2.0 id as its own: the source ids are
 * in `provenance.sourceId` (the writers mint a new id), the BadgeClass is named in the achievement's `related`, and
 * the hosted Assertion is an evidence entry pointing at it (the writers also embed the original when asked).
 *
 * Paths are JSON Pointers into the input (`/badge/name`; `/assertion/...` and `/badge/...` for a bundle; `/payload/...`
 * for a JWS, whose payload is decoded). A BadgeClass or Issuer given only by id is kept as a reference with a warning
 * (nothing is fetched). Pure; never throws.
 */

import { isRecord } from "../../lib/guards.js";
import {
  type Alignment,
  type Evidence,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type Identifier,
  type LangMap,
  type Media,
  type Organisation,
  type ReadIssue,
  type ReadResult,
} from "../model.js";
import { languageTag } from "../vocab/index.js";

export const OB2_CONTEXT = "https://w3id.org/openbadges/v2";

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
const typesOf = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((t): t is string => typeof t === "string");
const esc = (k: string | number) => String(k).replace(/~/g, "~0").replace(/\//g, "~1");

/** Whether a value names the OB 2.0 context. */
export const hasOb2Context = (ctx: unknown): boolean =>
  (Array.isArray(ctx) ? ctx : [ctx]).some((c) => c === OB2_CONTEXT || c === `${OB2_CONTEXT}/`);

/** Decodes a compact JWS's payload as JSON (no verification). */
export function decodeCompactJws(text: string): { header: unknown; payload: unknown; signature: string } | undefined {
  const parts = text.replace(/\s+/g, "").split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const [h, p, s] = parts as [string, string, string];
    const header: unknown = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    const payload: unknown = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    return { header, payload, signature: s };
  } catch {
    return undefined;
  }
}

/** Whether the input looks like an OB 2.0 assertion (object, bundle, or compact JWS with an assertion payload). */
export function looksLikeOb2(input: unknown): boolean {
  if (typeof input === "string") {
    const jws = /^[\w-]+\.[\w-]+\.[\w-]+$/.test(input.replace(/\s+/g, "")) ? decodeCompactJws(input) : undefined;
    return jws !== undefined && isAssertion(jws.payload);
  }
  if (isRecord(input) && isRecord(input.assertion)) return isAssertion(input.assertion);
  return isAssertion(input);
}

const isAssertion = (v: unknown): v is Json =>
  isRecord(v) && hasOb2Context(v["@context"]) && typesOf(v.type).includes("Assertion");

class Log {
  paths: Record<string, string> = {};
  warnings: ReadIssue[] = [];
  extensions: { path: string; value: unknown }[] = [];
}

/** Reads an OB 2.0 assertion into the canonical model. Pure; never throws. */
export function readOb2(input: unknown): ReadResult {
  try {
    return read(input);
  } catch (e) {
    return { ok: false, issues: [{ path: "", message: `internal OB 2.0 reader error: ${String(e)}` }] };
  }
}

function read(input: unknown): ReadResult {
  let assertion: unknown = input;
  let root = "";
  let variant = "hosted";
  let proof: unknown;
  let givenBadge: unknown;
  let givenIssuer: unknown;
  if (typeof input === "string") {
    const jws = decodeCompactJws(input);
    if (!jws)
      return {
        ok: false,
        issues: [{ path: "", message: "not an OB 2.0 assertion: a string that is not a compact JWS" }],
      };
    assertion = jws.payload;
    root = "/payload";
    variant = "signed";
    proof = { type: "JWS", header: jws.header, signature: jws.signature };
  } else if (isRecord(input) && isRecord(input.assertion)) {
    assertion = input.assertion;
    root = "/assertion";
    variant = "bundle";
    givenBadge = input.badge;
    givenIssuer = input.issuer;
  }
  if (!isRecord(assertion)) {
    return { ok: false, issues: [{ path: root, message: "an OB 2.0 assertion is a JSON object" }] };
  }
  const issues: ReadIssue[] = [];
  if (!hasOb2Context(assertion["@context"])) {
    issues.push({ path: `${root}/@context`, message: `not an OB 2.0 assertion: @context is not ${OB2_CONTEXT}` });
  }
  if (!typesOf(assertion.type).includes("Assertion")) {
    issues.push({ path: `${root}/type`, message: "not an OB 2.0 assertion: type is not Assertion" });
  }
  if (!isRecord(assertion.recipient)) {
    issues.push({ path: `${root}/recipient`, message: "an OB 2.0 assertion names its recipient" });
  }
  if (issues.length > 0) return { ok: false, issues };

  const log = new Log();
  const lang = languageTag(str(assertion["@language"]) ?? "") ?? "und";
  const cred = emptyCredential("ob2");
  cred.types = typesOf(assertion.type);
  const sourceId = str(assertion.id);

  // The recipient.
  const r = assertion.recipient as Json;
  const identity = str(r.identity);
  if (identity) {
    const type = str(r.type) ?? "email";
    const id: Identifier = {
      value: identity,
      kind: "other",
      scheme: `ob2:${type}`,
      identityType: { email: "emailAddress", url: "url", telephone: "phoneNumber" }[type] ?? type,
      hashed: r.hashed === true,
    };
    const salt = str(r.salt);
    if (salt) id.salt = salt;
    cred.learner.identifiers.push(id);
    log.paths["/learner/identifiers/0"] = `${root}/recipient`;
    if (r.hashed !== true && type === "email") {
      cred.learner.emails.push(identity);
      log.paths["/learner/emails/0"] = `${root}/recipient/identity`;
    }
  }

  // The BadgeClass: embedded, given alongside, or a reference.
  const badgeRef = assertion.badge;
  let badge: Json | undefined;
  let badgeAt = `${root}/badge`;
  if (isRecord(badgeRef)) badge = badgeRef;
  else if (isRecord(givenBadge) && (givenBadge.id === badgeRef || badgeRef === undefined)) {
    badge = givenBadge;
    badgeAt = "/badge";
  }
  const claim = emptyClaim("achievement");
  const spec = emptySpecification("achievement");
  claim.specification = spec;
  const badgeId = str(badgeRef) ?? str(badge?.id);
  if (badgeId) spec.related = [{ id: badgeId }];
  if (badge) {
    readBadge(badge, badgeAt, spec, lang, log);
    claim.title = spec.title;
    log.paths["/claims/0/title"] = `${badgeAt}/name`;
    const issuer = readIssuerRef(badge.issuer, `${badgeAt}/issuer`, givenIssuer, lang, log);
    if (issuer) {
      cred.issuer = issuer;
      claim.awardingBodies.push(issuer);
      log.paths["/issuer"] =
        issuer.id && !isRecord(badge.issuer) && isRecord(givenIssuer) ? "/issuer" : `${badgeAt}/issuer`;
    }
  } else {
    log.warnings.push({
      path: `${root}/badge`,
      message: `the BadgeClass is given by id only (${badgeId ?? "none"}): kept as a reference, not fetched; give it as {assertion, badge, issuer}`,
    });
    claim.title = { [lang]: badgeId ?? "Open Badge" };
  }
  cred.title = claim.title;

  const issuedOn = str(assertion.issuedOn);
  if (issuedOn) {
    cred.issued = issuedOn;
    cred.validFrom = issuedOn;
    claim.awardingDate = issuedOn;
    for (const p of ["/issued", "/validFrom", "/claims/0/awardingDate"]) log.paths[p] = `${root}/issuedOn`;
  }
  const expires = str(assertion.expires);
  if (expires) {
    cred.validUntil = expires;
    log.paths["/validUntil"] = `${root}/expires`;
  }
  const narrative = str(assertion.narrative);
  if (narrative) {
    claim.narrative = { [lang]: narrative };
    log.paths["/claims/0/narrative"] = `${root}/narrative`;
  }
  cred.claims = [claim];

  // Evidence: the assertion's own, then the hosted 2.0 assertion itself (migration guidance).
  const evidence = Array.isArray(assertion.evidence)
    ? assertion.evidence
    : assertion.evidence === undefined
      ? []
      : [assertion.evidence];
  evidence.forEach((e, k) => {
    const at = Array.isArray(assertion.evidence) ? `${root}/evidence/${k}` : `${root}/evidence`;
    const ev = readEvidence(e, lang);
    if (ev) {
      log.paths[`/evidence/${cred.evidence.length}`] = at;
      cred.evidence.push(ev);
    } else log.warnings.push({ path: at, message: "evidence that is neither a URL nor an object: kept" });
  });
  if (sourceId && /^https?:\/\//.test(sourceId)) {
    log.paths[`/evidence/${cred.evidence.length}`] = `${root}/id`;
    cred.evidence.push({
      types: [],
      embedded: [],
      urls: [sourceId],
      accreditations: [],
      name: { en: "Original Open Badges 2.0 assertion" },
      description: { en: "The hosted Open Badges 2.0 assertion this credential was converted from." },
    });
  }

  if (assertion.revoked === true) {
    log.warnings.push({ path: `${root}/revoked`, message: "the assertion is marked revoked" });
  }
  const mapped = [
    "@context",
    "@language",
    "type",
    "id",
    "recipient",
    "badge",
    "issuedOn",
    "expires",
    "narrative",
    "evidence",
  ];
  for (const [k, v] of Object.entries(assertion)) {
    if (!mapped.includes(k)) log.extensions.push({ path: `${root}/${esc(k)}`, value: v });
  }

  cred.extensions = log.extensions;
  cred.provenance = {
    format: "ob2",
    variant,
    root,
    paths: log.paths,
    original: input,
    ...(sourceId ? { sourceId } : {}),
    ...(proof ? { proof } : {}),
  };
  return { ok: true, value: [cred], losses: [], warnings: log.warnings };
}

function text(v: unknown, lang: string): LangMap | undefined {
  const s = str(v);
  return s ? { [lang]: s } : undefined;
}

function media(v: unknown): Media | undefined {
  const s = str(v) ?? (isRecord(v) ? str(v.id) : undefined);
  if (!s) return undefined;
  const m = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(s);
  if (m?.[2]) return { content: m[3] ?? "", mediaType: m[1] ?? "application/octet-stream" };
  return { url: s };
}

function readBadge(b: Json, at: string, spec: ReturnType<typeof emptySpecification>, lang: string, log: Log): void {
  const badgeLang = languageTag(str(b["@language"]) ?? "") ?? lang;
  spec.title = text(b.name, badgeLang) ?? {};
  log.paths["/claims/0/specification/title"] = `${at}/name`;
  const description = text(b.description, badgeLang);
  if (description) {
    spec.description = description;
    log.paths["/claims/0/specification/description"] = `${at}/description`;
  }
  const image = media(b.image);
  if (image) {
    spec.image = image;
    log.paths["/claims/0/specification/image"] = `${at}/image`;
  }
  const criteria = b.criteria;
  if (str(criteria)) spec.criteria = { url: str(criteria) as string };
  else if (isRecord(criteria)) {
    const url = str(criteria.id);
    const narrative = text(criteria.narrative, badgeLang);
    spec.criteria = { ...(url ? { url } : {}), ...(narrative ? { narrative } : {}) };
  }
  if (spec.criteria) log.paths["/claims/0/specification/criteria"] = `${at}/criteria`;
  if (Array.isArray(b.tags)) spec.tags = b.tags.filter((t): t is string => typeof t === "string");
  const alignments = Array.isArray(b.alignment) ? b.alignment : b.alignment === undefined ? [] : [b.alignment];
  spec.alignments = alignments.filter(isRecord).map((a) => {
    const out: Alignment = {};
    const set = (k: keyof Alignment, v: unknown) => {
      const s = str(v);
      if (s) out[k] = s.replace(/\s+/g, " ");
    };
    set("name", a.targetName);
    set("url", a.targetUrl);
    set("description", a.targetDescription);
    set("framework", a.targetFramework);
    set("code", a.targetCode);
    return out;
  });
  if (spec.alignments.length > 0) log.paths["/claims/0/specification/alignments"] = `${at}/alignment`;
  const version = str(b.version) ?? (typeof b.version === "number" ? String(b.version) : undefined);
  if (version) spec.version = version;
  const mapped = [
    "@context",
    "@language",
    "type",
    "id",
    "name",
    "description",
    "image",
    "criteria",
    "tags",
    "alignment",
    "issuer",
    "version",
  ];
  for (const [k, v] of Object.entries(b))
    if (!mapped.includes(k)) log.extensions.push({ path: `${at}/${esc(k)}`, value: v });
}

function readIssuerRef(ref: unknown, at: string, given: unknown, lang: string, log: Log): Organisation | undefined {
  const obj = isRecord(ref) ? ref : isRecord(given) && (given.id === ref || ref === undefined) ? given : undefined;
  if (!obj) {
    const id = str(ref);
    if (!id) return undefined;
    log.warnings.push({
      path: at,
      message: `the Issuer is given by id only (${id}): kept as a reference, not fetched`,
    });
    const org = emptyOrganisation({});
    org.id = id;
    return org;
  }
  const org = emptyOrganisation(text(obj.name, lang) ?? {});
  const id = str(obj.id);
  if (id) org.id = id;
  const url = str(obj.url);
  if (url) org.homepages.push(url);
  const email = str(obj.email);
  if (email) org.emails.push(email.replace(/^mailto:/, ""));
  const telephone = str(obj.telephone);
  if (telephone) org.phones.push(telephone);
  const description = text(obj.description, lang);
  if (description) org.description = description;
  const logo = media(obj.image);
  if (logo) org.logo = logo;
  const mapped = ["@context", "type", "id", "name", "url", "email", "telephone", "description", "image"];
  const base = isRecord(ref) ? at : "/issuer";
  for (const [k, v] of Object.entries(obj))
    if (!mapped.includes(k)) log.extensions.push({ path: `${base}/${esc(k)}`, value: v });
  return org;
}

function readEvidence(e: unknown, lang: string): Evidence | undefined {
  const ev: Evidence = { types: [], embedded: [], urls: [], accreditations: [] };
  if (typeof e === "string") {
    ev.urls.push(e);
    return ev;
  }
  if (!isRecord(e)) return undefined;
  const id = str(e.id);
  if (id) ev.urls.push(id);
  const narrative = text(e.narrative, lang);
  if (narrative) ev.narrative = narrative;
  const name = text(e.name, lang);
  if (name) ev.name = name;
  const description = text(e.description, lang);
  if (description) ev.description = description;
  const genre = str(e.genre);
  if (genre) ev.genre = genre;
  const audience = str(e.audience);
  if (audience) ev.audience = audience;
  return ev;
}
