/**
 * Readers for ELM learning claims and their specifications: LearningAchievement / Assessment / Activity / Entitlement
 * and Qualification / Learning*Specification, with learning outcomes, credit points, grading schemes and awarding
 * processes.
 */
import {
  type Claim,
  type ClaimKind,
  type Credit,
  emptyClaim,
  emptySpecification,
  type GradingScheme,
  type LearningOutcome,
  parsePoints,
  type Specification,
} from "../model.js";
import { readAccreditation, readIdentifier, readLocation, readOrganisation, webResources } from "./agents.js";
import {
  bool,
  concept,
  concepts,
  date,
  duration,
  int,
  many,
  note,
  noteDescription,
  notes,
  one,
  readConcept,
  refs,
  str,
  text,
  texts,
} from "./fields.js";
import type { ElmNode } from "./node.js";
import { CLAIM_KINDS, DEFAULT_SPECIFICATION_KIND, kindIn, QF_EHEA_SCHEME, SPECIFICATION_KINDS } from "./tables.js";

/** The kind of a claim node by its `type`, or the kind its position implies (with a warning). */
function claimKind(c: ElmNode, implied: ClaimKind): ClaimKind {
  const types = c.types();
  const kind = kindIn(CLAIM_KINDS, types);
  if (kind) return kind;
  c.warn(
    c.at("type"),
    types.length === 0
      ? `a claim without type: read as a ${implied}`
      : `claim type ${types.join(", ")} is not a LearningAchievement, LearningAssessment, LearningActivity or LearningEntitlement: read as a ${implied}`,
  );
  return implied;
}

/** A claim reader for a position (`hasClaim` → achievement, `provenBy` → assessment...). */
export function readClaim(implied: ClaimKind) {
  return (c: ElmNode): Claim => {
    const kind = claimKind(c, implied);
    const claim = emptyClaim(kind);
    const id = c.id();
    if (id !== undefined) claim.id = id;
    claim.title = text(c, "title") ?? {};
    const description = text(c, "description");
    if (description) claim.description = description;

    one(c, "awardedBy", undefined, (process) => {
      claim.awardingBodies = many(process, "awardingBody", "awardingBodies", readOrganisation);
      const awardingDate = date(process, "awardingDate");
      if (awardingDate !== undefined) claim.awardingDate = awardingDate;
      const location = one(process, "awardingLocation", "awardingLocation", readLocation);
      if (location) claim.awardingLocation = location;
      return true;
    });

    const spec = one(c, "specifiedBy", "specification", readSpecification(DEFAULT_SPECIFICATION_KIND[kind]));
    if (spec) claim.specification = spec;

    claim.provenBy = many(c, "provenBy", "provenBy", readClaim("assessment"));
    claim.influencedBy = many(c, "influencedBy", "influencedBy", readClaim("activity"));
    claim.entitlesTo = many(c, "entitlesTo", "entitlesTo", readClaim("entitlement"));
    claim.hasPart = many(c, "hasPart", "hasPart", readClaim(kind));
    claim.isPartOf = refs(c, "isPartOf");
    claim.creditsEarned = many(c, "creditReceived", "creditsEarned", readCredit);
    claim.additionalNotes = notes(c, "additionalNote", "additionalNotes");
    claim.supplementaryDocuments = webResources(c, "supplementaryDocument", "supplementaryDocuments");

    const grade = oneGrade(c);
    if (grade) claim.grade = grade;
    const gradeStatus = concept(c, "gradeStatus");
    if (gradeStatus) claim.gradeStatus = gradeStatus;
    const idVerification = concept(c, "idVerification");
    if (idVerification) claim.idVerification = idVerification;
    claim.assessedBy = many(c, "assessedBy", "assessedBy", readOrganisation);
    const dateIssued = date(c, "dateIssued");
    if (dateIssued !== undefined) claim.dateIssued = dateIssued;

    const workload = duration(c, "workload");
    if (workload !== undefined) claim.workload = workload;
    one(c, "temporal", undefined, (period) => {
      const start = date(period, "startDate");
      if (start !== undefined) claim.startDate = start;
      const end = date(period, "endDate");
      if (end !== undefined) claim.endDate = end;
      return true;
    });
    const completion = int(c, "levelOfCompletion");
    if (completion !== undefined) claim.levelOfCompletion = completion;
    claim.directedBy = many(c, "directedBy", "directedBy", readOrganisation);
    const expiry = date(c, "expiryDate");
    if (expiry !== undefined) claim.expiryDate = expiry;
    return claim;
  };
}

/** An assessment's `grade`: a Note (`grade.note`, and `grade.value` when it has one text), or a bare text. */
function oneGrade(c: ElmNode): Claim["grade"] | undefined {
  const literal = note(c, "grade");
  if (!literal) return undefined;
  const at = c.to("grade");
  const src = c.log.paths[at] ?? c.at("grade");
  const textAt = typeof c.data.grade === "string" ? src : `${src}/noteLiteral`;
  const grade: NonNullable<Claim["grade"]> = { note: literal };
  c.trace(`${at}/note`, textAt);
  const values = Object.values(literal);
  if (values.length === 1 && values[0] !== undefined) {
    grade.value = values[0];
    c.trace(`${at}/value`, textAt);
  }
  return grade;
}

/** A `CreditPoint`: framework concept and points (a string in ELM; a number is accepted, odd values are warned). */
export function readCredit(c: ElmNode): Credit | undefined {
  const framework = concept(c, "framework");
  const raw = c.data.point;
  const points = str(c, "point", "points");
  if (points === undefined) {
    c.warn(c.src, "a credit point without point: kept as an extension");
    if (framework) c.keep(c.at("framework"), c.data.framework);
    return undefined;
  }
  if (typeof raw === "number") c.warn(c.at("point"), "points written as a number; ELM writes a string");
  else if (parsePoints(points) === undefined)
    c.warn(c.at("point"), `points "${points}" are not a number: kept as text`);
  const credit: Credit = { points };
  if (framework) credit.framework = framework;
  return credit;
}

/**
 * A `LearningOutcome`: title, description (its additional notes: ELM has no description there), ESCO and other
 * skills, reusability level, skill type.
 */
function readOutcome(c: ElmNode): LearningOutcome {
  const outcome: LearningOutcome = { title: text(c, "title") ?? {}, escoSkills: [], relatedSkills: [] };
  const id = c.id();
  if (id !== undefined) outcome.id = id;
  const description = noteDescription(c);
  if (description) outcome.description = description;
  outcome.escoSkills = concepts(c, "relatedESCOSkill", "escoSkills");
  outcome.relatedSkills = concepts(c, "relatedSkill", "relatedSkills");
  const reuse = concept(c, "reusabilityLevel");
  if (reuse) outcome.reusabilityLevel = reuse;
  const skillType = concept(c, "dcType", "skillType");
  if (skillType) outcome.skillType = skillType;
  return outcome;
}

/** A `GradingScheme`: title and description. */
function readGradingScheme(c: ElmNode): GradingScheme {
  const scheme: GradingScheme = {};
  const id = c.id();
  if (id !== undefined) scheme.id = id;
  const title = text(c, "title");
  if (title) scheme.title = title;
  const description = text(c, "description");
  if (description) scheme.description = description;
  return scheme;
}

/**
 * `educationLevel` concepts: the first in the gateway's QF-EHEA scheme is the specification's QF-EHEA cycle (how the
 * ELM writer writes `qfEheaLevel`, ELM having no property for it), the others its education levels.
 */
function readEducationLevels(c: ElmNode, spec: Specification): void {
  const levels = many(c, "educationLevel", undefined, (l) => {
    const level = readConcept(l);
    return level && { level, src: l.src };
  });
  for (const { level, src } of levels) {
    if (spec.qfEheaLevel === undefined && level.scheme === QF_EHEA_SCHEME) {
      spec.qfEheaLevel = level;
      c.trace(c.to("qfEheaLevel"), src);
      continue;
    }
    c.trace(`${c.to("educationLevels")}/${spec.educationLevels.length}`, src);
    spec.educationLevels.push(level);
  }
  if (spec.educationLevels.length > 0) c.trace(c.to("educationLevels"), c.at("educationLevel"));
}

/** A specification reader; `implied` is the kind when the node names no specification class. */
export function readSpecification(implied: Specification["kind"]) {
  return (c: ElmNode): Specification => {
    const types = c.types();
    let kind = kindIn(SPECIFICATION_KINDS, types);
    if (!kind) {
      c.warn(
        c.at("type"),
        types.length === 0
          ? `a specification without type: read as ${implied}`
          : `specification type ${types.join(", ")} is not known: read as ${implied}`,
      );
      kind = implied;
    }
    const spec = emptySpecification(kind);
    const id = c.id();
    if (id !== undefined) spec.id = id;
    spec.title = text(c, "title") ?? {};
    spec.altTitles = [...texts(c, "altLabel", "altTitles"), ...texts(c, "alternativeLabel", "altTitles")];
    const description = text(c, "description");
    if (description) spec.description = description;
    spec.types = concepts(c, "dcType", "types");
    spec.identifiers = many(c, "identifier", "identifiers", readIdentifier("other"));
    spec.learningOutcomes = many(c, "learningOutcome", "learningOutcomes", readOutcome);
    const summary = note(c, "learningOutcomeSummary");
    if (summary) spec.learningOutcomeSummary = summary;
    spec.credits = many(c, "creditPoint", "credits", readCredit);
    const volume = duration(c, "volumeOfLearning");
    if (volume !== undefined) spec.volumeOfLearning = volume;
    const maximum = duration(c, "maximumDuration");
    if (maximum !== undefined) spec.maximumDuration = maximum;
    const eqf = concept(c, "eqfLevel");
    if (eqf) spec.eqfLevel = eqf;
    spec.nqfLevels = concepts(c, "nqfLevel", "nqfLevels");
    readEducationLevels(c, spec);
    spec.fields = concepts(c, "thematicArea", "fields");
    spec.modes = concepts(c, "mode", "modes");
    spec.learningSettings = concepts(c, "learningSetting", "learningSettings");
    spec.languages = concepts(c, "language", "languages");
    const entry = note(c, "entryRequirement");
    if (entry) spec.entryRequirement = entry;
    spec.targetGroups = concepts(c, "targetGroup", "targetGroups");
    const partial = bool(c, "isPartialQualification");
    if (partial !== undefined) spec.isPartialQualification = partial;
    spec.hasPart = refs(c, "hasPart");
    spec.isPartOf = refs(c, "isPartOf");
    spec.entitlesTo = many(c, "entitlesTo", "entitlesTo", readSpecification("entitlement"));
    spec.accreditations = many(c, "accreditation", "accreditations", readAccreditation);
    const grading = one(c, "gradingScheme", "gradingScheme", readGradingScheme);
    if (grading) spec.gradingScheme = grading;
    spec.homepages = webResources(c, "homepage", "homepages");
    spec.supplementaryDocuments = webResources(c, "supplementaryDocument", "supplementaryDocuments");
    spec.additionalNotes = notes(c, "additionalNote", "additionalNotes");
    const status = concept(c, "entitlementStatus");
    if (status) spec.entitlementStatus = status;
    const creator = one(c, "creator", "creator", readOrganisation);
    if (creator) spec.creator = creator;
    return spec;
  };
}
