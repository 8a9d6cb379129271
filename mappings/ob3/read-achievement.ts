/**
 * Readers for the OB 3.0 achievement and its recipient: the Achievement (a specification of kind `achievement`),
 * alignments, related achievements, results, and the AchievementSubject (the learner and the one achievement claim).
 */
import {
  type Alignment,
  type Claim,
  type Credit,
  emptyClaim,
  emptyPerson,
  emptySpecification,
  type Identifier,
  type Person,
  type Specification,
} from "../model.js";
import { eqfConcept, eqfLevelNumber, languageUri } from "../vocab/index.js";
import { SPECIFICATION_TYPES } from "./extension-context.js";
import { endorsements, readIdentifierEntry, readImage, readProfile } from "./read-agents.js";
import { readAchievementExtension, readSubjectExtension } from "./read-extension.js";
import { bool, copyDates, copyStrings, copyTexts, many, num, one, oneAt, raw, str, strs, text } from "./read-fields.js";
import { isRecord, itemsOf } from "./read-json.js";
import type { Ob3Node } from "./read-node.js";
import {
  ACHIEVEMENT_STRINGS,
  ACHIEVEMENT_TEXTS,
  ALIGNMENT_STRINGS,
  identifierKind,
  PLAIN_IDENTITY_FIELDS,
  RESULT_STRINGS,
  SUBJECT_DATES,
  SUBJECT_STRINGS,
  SUBJECT_TEXTS,
} from "./read-tables.js";

/** An Alignment: `targetName`, `targetUrl`… → the model's alignment fields. */
export function readAlignment(c: Ob3Node): Alignment {
  const alignment: Alignment = {};
  copyStrings(c, alignment, ALIGNMENT_STRINGS);
  if (alignment.name === undefined || alignment.url === undefined) {
    c.warn(c.src, "an alignment without targetName or targetUrl (both required by OB 3.0)");
  }
  return alignment;
}

/**
 * The EQF level from an alignment to one of the EU's EQF level URIs (`http://data.europa.eu/snb/eqf/6`): OB 3.0's place
 * for it, where the gateway writes it and SURF Edubadges too. The alignment stays an alignment (it is the source's);
 * the gateway's extension, when present, says the level itself and takes precedence.
 */
function readEqfAlignment(c: Ob3Node, spec: Specification): void {
  for (const [k, a] of spec.alignments.entries()) {
    const level = a.url === undefined ? undefined : eqfLevelNumber({ uri: a.url });
    if (level === undefined || eqfConcept(level).uri !== a.url) continue;
    spec.eqfLevel = eqfConcept(level);
    const src = c.log.paths[c.to(["alignments", k])];
    if (src !== undefined) c.trace(c.to("eqfLevel"), src);
    return;
  }
}

/** A Related achievement (another language or version of this one). */
function readRelated(c: Ob3Node): NonNullable<Specification["related"]>[number] | undefined {
  const id = c.id();
  if (id === undefined) {
    c.warn(c.src, "a related achievement without id");
    return undefined;
  }
  c.trace(c.to("id"), c.at("id"));
  const related: NonNullable<Specification["related"]>[number] = { id };
  const version = str(c, "version");
  if (version !== undefined) related.version = version;
  const inLanguage = str(c, "inLanguage");
  if (inLanguage !== undefined) related.inLanguage = inLanguage;
  return related;
}

/** A Criteria: `id` → the criteria page's URL, `narrative` (Markdown) → its text. */
function readCriteria(c: Ob3Node): NonNullable<Specification["criteria"]> {
  const criteria: NonNullable<Specification["criteria"]> = {};
  const url = c.id();
  if (url !== undefined) {
    criteria.url = url;
    c.trace(c.to("url"), c.at("id"));
  }
  const narrative = text(c, "narrative");
  if (narrative) criteria.narrative = narrative;
  return criteria;
}

/**
 * Credit points as OB 3.0 writes them: a number with no unit. The framework stays unknown (OB 3.0 has no credit
 * framework field; "credit hours" are not ECTS) unless the gateway's extension declares it.
 */
function credits(n: Ob3Node, key: string, dst: string): Credit[] {
  const points = num(n, key, null);
  if (points === undefined) return [];
  n.trace(`${n.to(dst)}/0/points`, n.at(key));
  n.trace(`${n.to(dst)}/0`, n.at(key));
  return [{ points: String(points) }];
}

/**
 * An Achievement as a specification of kind `achievement`: name → title, criteria, image, alignments, credits
 * available, identifiers, tags, related achievements, result descriptions (kept as read), creator, endorsements and
 * the OB 3.0 strings with a model field (achievementType, humanCode, version, fieldOfStudy, specialization).
 */
export function readAchievement(c: Ob3Node): Specification {
  const spec = emptySpecification("achievement");
  const id = c.id();
  if (id !== undefined) {
    spec.id = id;
    c.trace(c.to("id"), c.at("id"));
  }
  const mapped = (t: string): boolean =>
    t === "Achievement" || (c.log.elmExtension && (SPECIFICATION_TYPES as readonly string[]).includes(t));
  const extraTypes = c.types().filter((t) => !mapped(t));
  if (extraTypes.length > 0) c.keep(c.at("type"), c.data.type);
  copyTexts(c, spec, ACHIEVEMENT_TEXTS);
  if (spec.title === undefined || Object.keys(spec.title).length === 0) c.warn(c.src, "an achievement without name");
  spec.title ??= {};
  copyStrings(c, spec, ACHIEVEMENT_STRINGS);
  const criteria = one(c, "criteria", "criteria", readCriteria, true);
  if (criteria) spec.criteria = criteria;
  const image = one(c, "image", "image", readImage, true);
  if (image) spec.image = image;
  spec.alignments = many(c, "alignment", "alignments", readAlignment);
  readEqfAlignment(c, spec);
  spec.credits = credits(c, "creditsAvailable", "credits");
  spec.identifiers = many(c, "otherIdentifier", "identifiers", readIdentifierEntry);
  spec.tags = strs(c, "tag", "tags");
  const inLanguage = str(c, "inLanguage", null);
  if (inLanguage !== undefined) {
    const uri = languageUri(inLanguage);
    spec.languages = [{ notation: inLanguage, ...(uri === undefined ? {} : { uri }) }];
    c.trace(c.to(["languages", 0]), c.at("inLanguage"));
    c.trace(c.to("languages"), c.at("inLanguage"));
  }
  const related = many(c, "related", "related", readRelated);
  if (related.length > 0) spec.related = related;
  const descriptions = raw(c, "resultDescription", "resultDescriptions");
  if (descriptions.length > 0) spec.resultDescriptions = descriptions;
  const creator = one(c, "creator", "creator", readProfile, true);
  if (creator) spec.creator = creator;
  const endorsed = endorsements(c);
  if (endorsed.length > 0) spec.endorsements = endorsed;
  readAchievementExtension(c, spec);
  return spec;
}

/** A Result: value, status, the result description and rubric level it refers to, alignments. */
function readResult(c: Ob3Node): Claim["results"][number] {
  const result: Claim["results"][number] = {};
  copyStrings(c, result, RESULT_STRINGS);
  const alignments = many(c, "alignment", "alignments", readAlignment);
  if (alignments.length > 0) result.alignments = alignments;
  return result;
}

/** Where a plain recipient identifier goes in the learner, by `identityType`; undefined for an identifier. */
function plainField(
  data: Record<string, unknown>,
): (typeof PLAIN_IDENTITY_FIELDS)[keyof typeof PLAIN_IDENTITY_FIELDS] | undefined {
  const type = data.identityType;
  if (data.hashed === true || data.hashed === "true" || typeof type !== "string") return undefined;
  return Object.hasOwn(PLAIN_IDENTITY_FIELDS, type)
    ? PLAIN_IDENTITY_FIELDS[type as keyof typeof PLAIN_IDENTITY_FIELDS]
    : undefined;
}

/**
 * The recipient's identifiers (IdentityObject) of a subject node whose canonical place is the learner: a plain (not
 * hashed) email address, name or national identity number goes to the learner's field for it (the first name and
 * national number only; further ones stay identifiers); the rest are identifiers keeping `identityType`, `hashed`
 * and `salt`. The salt of a plain value means nothing, but is kept as an extension rather than dropped.
 */
function readIdentities(n: Ob3Node, person: Person): void {
  for (const item of itemsOf(n.take("identifier"))) {
    const src = n.at("identifier") + item.suffix;
    const data = item.value;
    let field = isRecord(data) ? plainField(data) : undefined;
    if ((field === "fullName" && person.fullName) || (field === "nationalId" && person.nationalId)) field = undefined;
    const dst =
      field === "emails"
        ? n.to(["emails", person.emails.length])
        : field === undefined
          ? n.to(["identifiers", person.identifiers.length])
          : n.to(field);
    const c = n.child(data, src, dst);
    if (!c) continue;
    const id = readIdentity(c, field === undefined || field === "nationalId");
    if (id) {
      if (field === "emails") person.emails.push(id.value);
      else if (field === "fullName") person.fullName = { [c.log.lang]: id.value };
      else if (field === "nationalId") person.nationalId = { ...id, kind: "national" };
      else person.identifiers.push(id);
      if ((field === "emails" || field === "fullName") && id.salt !== undefined) c.keep(c.at("salt"), id.salt);
      n.trace(dst, field === "emails" || field === "fullName" ? c.at("identityHash") : src);
    }
    c.finish();
  }
  if (person.identifiers.length > 0) n.trace(n.to("identifiers"), n.at("identifier"));
  if (person.emails.length > 0) n.trace(n.to("emails"), n.at("identifier"));
}

/**
 * An IdentityObject: `identityHash` (plain or hashed value), `identityType`, `hashed`, `salt`; `asIdentifier` traces
 * them as the fields of an identifier (not when the value becomes an email address or a name).
 */
function readIdentity(c: Ob3Node, asIdentifier: boolean): Identifier | undefined {
  const dst = (field: string): string | null => (asIdentifier ? field : null);
  const value = str(c, "identityHash", dst("value"));
  const type = str(c, "identityType", dst("identityType"));
  const hashed = bool(c, "hashed", dst("hashed"));
  const salt = str(c, "salt", dst("salt"));
  if (value === undefined) {
    c.warn(c.src, "an identity object without identityHash: kept as an extension");
    c.keep(c.src, c.data);
    return undefined;
  }
  const id: Identifier = { value, kind: identifierKind(type) };
  if (type !== undefined) id.identityType = type;
  if (hashed !== undefined) id.hashed = hashed;
  if (salt !== undefined) id.salt = salt;
  return id;
}

/**
 * The AchievementSubject: the learner (id, recipient identifiers, and `name` where an issuer adds one, which VCDM
 * defines though OB 3.0 does not) and, when it has an achievement, the one achievement claim. `claimAt` is the
 * claim's canonical pointer.
 */
export function readSubject(n: Ob3Node, claimAt: string): { learner: Person; claim?: Claim; otherClaims: Claim[] } {
  const learner = emptyPerson();
  const id = n.id();
  if (id !== undefined) {
    learner.id = id;
    n.trace(n.to("id"), n.at("id"));
  }
  const name = text(n, "name", "fullName");
  if (name) learner.fullName = name;
  readIdentities(n, learner);

  const c = n.rebased(claimAt);
  const achievement = oneAt(c, "achievement", "specification", readAchievement);
  const otherClaims: Claim[] = [];
  if (!achievement) {
    c.warn(c.at("achievement"), "no achievement (OB 3.0 requires one): the credential has no achievement claim");
    readSubjectExtension(n, learner, undefined, claimAt, otherClaims);
    return { learner, otherClaims };
  }
  const spec = achievement.value;
  // OB 3.0 merges claim and specification: the claim's title and description are the achievement's.
  const claim = emptyClaim("achievement", spec.title);
  if (spec.description) claim.description = spec.description;
  for (const field of ["title", "description"]) {
    const src = c.log.paths[c.to(["specification", field])];
    if (src !== undefined) c.trace(c.to(field), src);
  }
  claim.specification = spec;
  copyStrings(c, claim, SUBJECT_STRINGS);
  copyTexts(c, claim, SUBJECT_TEXTS);
  copyDates(c, claim, SUBJECT_DATES);
  claim.creditsEarned = credits(c, "creditsEarned", "creditsEarned");
  claim.results = many(c, "result", "results", readResult);
  const source = one(c, "source", ["assessedBy", 0], readProfile, true);
  if (source) {
    claim.assessedBy.push(source);
    c.trace(c.to("assessedBy"), c.at("source"));
  }
  readSubjectExtension(n, learner, claim, claimAt, otherClaims);
  return { learner, claim, otherClaims };
}
