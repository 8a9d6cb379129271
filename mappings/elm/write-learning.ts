/**
 * Learning builders of the ELM writer: specifications (Qualification, LearningAchievementSpecification, …), learning
 * outcomes, grading schemes and claims (LearningAchievement, LearningAssessment, LearningActivity,
 * LearningEntitlement), each written from the rule tables of `write-tables.ts` plus the nodes of their own.
 */
import type { Claim, Concept, GradingScheme, LangMap, LearningOutcome, Organisation, Specification } from "../model.js";
import { isRecord, pointer } from "./json.js";
import { QF_EHEA_SCHEME } from "./tables.js";
import { accreditation, identifier, location, organisations } from "./write-agents.js";
import type { OutNode, OutValue, WriteContext } from "./write-context.js";
import {
  CLAIM_CLASSES,
  CLAIM_NODE_FIELDS,
  CLAIM_RULES,
  type ClaimClass,
  LEGAL_IDENTIFIER_KINDS,
  QUALIFICATION_ONLY_FIELDS,
  SPECIFICATION_CLASSES,
  SPECIFICATION_NODE_FIELDS,
  SPECIFICATION_RULES,
  type SpecificationClass,
} from "./write-tables.js";
import { applyRules, concept, concepts, dateTime, isPresent, note, reportUnhandled, textOf } from "./write-values.js";

/** A `LearningOutcome`. Its description has no ELM property of its own and goes to an additional note. */
function learningOutcome(ctx: WriteContext, o: LearningOutcome, path: string): OutValue {
  return ctx.memo(o, "LearningOutcome", path, (node) => {
    const title = ctx.lang(textOf(o.title), "LearningOutcome", "title", pointer(path, "title"));
    if (title) node.title = title;
    else ctx.warn(pointer(path, "title"), "a learning outcome without a title: ELM requires one");
    if (o.skillType)
      ctx.set(
        node,
        "LearningOutcome",
        "dcType",
        [concept(ctx, o.skillType, "LearningOutcome", "dcType", pointer(path, "skillType"))],
        path,
      );
    if (o.reusabilityLevel) {
      ctx.set(
        node,
        "LearningOutcome",
        "reusabilityLevel",
        [concept(ctx, o.reusabilityLevel, "LearningOutcome", "reusabilityLevel", pointer(path, "reusabilityLevel"))],
        path,
      );
    }
    ctx.set(
      node,
      "LearningOutcome",
      "relatedESCOSkill",
      concepts(ctx, o.escoSkills, "LearningOutcome", "relatedESCOSkill", pointer(path, "escoSkills")),
      path,
    );
    ctx.set(
      node,
      "LearningOutcome",
      "relatedSkill",
      concepts(ctx, o.relatedSkills, "LearningOutcome", "relatedSkill", pointer(path, "relatedSkills")),
      path,
    );
    ctx.set(node, "LearningOutcome", "additionalNote", [note(ctx, o.description, pointer(path, "description"))], path);
  });
}

/**
 * The QF-EHEA cycle, which ELM has no property for: the first `educationLevel`, in the gateway's QF-EHEA scheme, which
 * is how the reader takes it back into `qfEheaLevel` ({@link QF_EHEA_SCHEME}). A concept also listed as an education
 * level (same URI) is written once, as the QF-EHEA level. A scheme of its own is replaced, and reported.
 */
function qfEheaLevel(ctx: WriteContext, node: OutNode, cls: SpecificationClass, level: Concept, path: string): void {
  const at = pointer(path, "qfEheaLevel");
  if (level.scheme !== undefined && level.scheme !== QF_EHEA_SCHEME) {
    ctx.loss(
      pointer(at, "scheme"),
      `ELM has no QF-EHEA property: the level is written as an education level in the gateway's QF-EHEA scheme, not in ${level.scheme}`,
    );
  }
  const out = concept(ctx, { ...level, scheme: QF_EHEA_SCHEME }, cls, "educationLevel", at);
  if (!out) return;
  const current = node.educationLevel;
  const written = (current === undefined ? [] : Array.isArray(current) ? current : [current]) as OutValue[];
  const others = written.filter((l) => !(isRecord(l) && level.uri !== undefined && l.id === level.uri));
  delete node.educationLevel;
  ctx.set(node, cls, "educationLevel", [out, ...others], pointer(path, "educationLevels"));
}

/** A `GradingScheme` (title required). */
function gradingScheme(ctx: WriteContext, g: GradingScheme, path: string): OutValue {
  return ctx.memo(g, "GradingScheme", path, (node) => {
    const title = ctx.lang(textOf(g.title), "GradingScheme", "title", pointer(path, "title"));
    if (title) node.title = title;
    else ctx.warn(pointer(path, "title"), "a grading scheme without a title: ELM requires one");
    const description = ctx.lang(textOf(g.description), "GradingScheme", "description", pointer(path, "description"));
    if (description) node.description = description;
  });
}

/** The ELM class of a specification: its kind's, or Qualification for an achievement with Qualification-only fields. */
export function specificationClass(spec: Specification): SpecificationClass {
  const cls = SPECIFICATION_CLASSES[spec.kind];
  if (cls === "LearningAchievementSpecification" && QUALIFICATION_ONLY_FIELDS.some((f) => isPresent(spec[f]))) {
    return "Qualification";
  }
  return cls;
}

/** A specification (`specifiedBy`, `entitlesTo`): Qualification, LearningAchievementSpecification, … */
export function specification(ctx: WriteContext, spec: Specification, path: string): OutValue {
  const cls = specificationClass(spec);
  if (cls !== SPECIFICATION_CLASSES[spec.kind]) {
    ctx.warn(
      path,
      "an achievement specification with an EQF/NQF level, accreditation or partial-qualification flag: written as a Qualification, the ELM class that has them",
    );
  }
  return ctx.memo(spec, cls, path, (node) => {
    if (!textOf(spec.title)) ctx.warn(pointer(path, "title"), `a ${cls} without a title: ELM requires one`);
    const handled = applyRules(ctx, node, cls, spec, SPECIFICATION_RULES, path);
    for (const [field, classes] of Object.entries(SPECIFICATION_NODE_FIELDS)) {
      handled.add(field);
      const value = spec[field as keyof typeof SPECIFICATION_NODE_FIELDS];
      if (isPresent(value) && !(classes as readonly string[]).includes(cls))
        ctx.loss(pointer(path, field), `an ELM ${cls} has no place for ${field}`);
    }
    const has = (field: keyof typeof SPECIFICATION_NODE_FIELDS): boolean =>
      (SPECIFICATION_NODE_FIELDS[field] as readonly string[]).includes(cls);
    const ids = spec.identifiers.map((id, i) =>
      identifier(ctx, id, pointer(path, "identifiers", i), LEGAL_IDENTIFIER_KINDS.has(id.kind)),
    );
    ctx.set(node, cls, "identifier", ids, pointer(path, "identifiers"));
    if (has("qfEheaLevel") && spec.qfEheaLevel) qfEheaLevel(ctx, node, cls, spec.qfEheaLevel, path);
    if (has("learningOutcomes")) {
      const outcomes = spec.learningOutcomes.map((o, i) =>
        learningOutcome(ctx, o, pointer(path, "learningOutcomes", i)),
      );
      ctx.set(node, cls, "learningOutcome", outcomes, pointer(path, "learningOutcomes"));
    }
    if (has("entitlesTo")) {
      const entitlements = spec.entitlesTo.map((e, i) => {
        const at = pointer(path, "entitlesTo", i);
        if (e.kind !== "entitlement") {
          ctx.loss(at, `a ${e.kind} specification where ELM expects an entitlement specification`);
          return undefined;
        }
        return specification(ctx, e, at);
      });
      ctx.set(node, cls, "entitlesTo", entitlements, pointer(path, "entitlesTo"));
    }
    if (has("accreditations")) {
      const accs = spec.accreditations.map((a, i) => accreditation(ctx, a, pointer(path, "accreditations", i)));
      ctx.set(node, cls, "accreditation", accs, pointer(path, "accreditations"));
    }
    if (has("gradingScheme") && spec.gradingScheme) {
      node.gradingScheme = gradingScheme(ctx, spec.gradingScheme, pointer(path, "gradingScheme"));
    }
    if (cls === "LearningEntitlementSpecification") {
      if (spec.types.length === 0)
        ctx.warn(pointer(path, "types"), "an entitlement specification without a type: ELM requires one");
      if (!spec.entitlementStatus)
        ctx.warn(
          pointer(path, "entitlementStatus"),
          "an entitlement specification without a status (actual, prospective): ELM requires one",
        );
    }
    if (cls === "LearningAssessmentSpecification" || cls === "LearningEntitlementSpecification") {
      const types = node.dcType;
      if (Array.isArray(types) && types.length > 1) {
        node.dcType = types[0];
        for (let i = 1; i < types.length; i++)
          ctx.loss(pointer(path, "types", i), `ELM allows one dcType on a ${cls}: only the first is written`);
      }
    }
    reportUnhandled(ctx, spec, handled, cls, path);
  });
}

/** {@link CLAIM_NODE_FIELDS} as entries, made once (every claim written walks them). */
const CLAIM_NODE_FIELD_ENTRIES = Object.entries(CLAIM_NODE_FIELDS);

/** Which specification classes a claim class can be specified by (SHACL `specifiedBy`). */
const SPECIFIED_BY: Record<ClaimClass, readonly SpecificationClass[]> = {
  LearningAchievement: ["Qualification", "LearningAchievementSpecification"],
  LearningActivity: ["LearningActivitySpecification"],
  LearningAssessment: ["LearningAssessmentSpecification"],
  LearningEntitlement: ["LearningEntitlementSpecification"],
};

/** Nested claims of one property, which must all be of one class (`provenBy` assessments…). */
function nestedClaims(
  ctx: WriteContext,
  claims: readonly Claim[],
  want: ClaimClass,
  path: string,
  bodies: readonly Organisation[],
  proves?: LangMap,
): OutValue[] {
  return claims.flatMap((c, i) => {
    const at = pointer(path, i);
    if (CLAIM_CLASSES[c.kind] !== want) {
      ctx.loss(at, `a ${c.kind} claim where ELM expects a ${want}`);
      return [];
    }
    return [claim(ctx, c, at, bodies, proves)];
  });
}

/**
 * A claim: LearningAchievement, LearningAssessment, LearningActivity or LearningEntitlement. ELM requires a title and
 * an awarding process with at least one awarding body: a claim without bodies of its own is awarded by those of the
 * claim it belongs to (`inherited`), as in the EC samples.
 */
export function claim(
  ctx: WriteContext,
  c: Claim,
  path: string,
  inherited: readonly Organisation[],
  proves?: LangMap,
): OutValue {
  const cls = CLAIM_CLASSES[c.kind];
  return ctx.memo(c, cls, path, (node) => {
    const specTitle = textOf(c.specification?.title);
    // An assessment the source gives no title (ELMO's status and grade): ELM requires one, and the achievement it
    // proves names what was assessed.
    const standIn = cls === "LearningAssessment" && !textOf(c.title) && !specTitle ? textOf(proves) : undefined;
    const title = textOf(c.title) ?? specTitle ?? standIn;
    if (!textOf(c.title)) {
      if (title) {
        node.title = ctx.lang(title, cls, "title", pointer(path, "title"));
        ctx.derived.mark(
          node,
          "title",
          specTitle
            ? "the claim has no title of its own: its specification's title stands for it"
            : "the assessment has no title in the source: the title of the achievement it proves stands for it",
        );
      } else ctx.warn(pointer(path, "title"), `a ${cls} without a title: ELM requires one`);
    }
    const handled = applyRules(ctx, node, cls, textOf(c.title) ? c : { ...c, title: undefined }, CLAIM_RULES, path);
    for (const [field, classes] of CLAIM_NODE_FIELD_ENTRIES) {
      handled.add(field);
      const value = c[field as keyof typeof CLAIM_NODE_FIELDS];
      if (isPresent(value) && !(classes as readonly string[]).includes(cls))
        ctx.loss(pointer(path, field), `an ELM ${cls} has no place for ${field}`);
    }
    const bodies = c.awardingBodies.length > 0 ? c.awardingBodies : inherited;
    const process = ctx.node("AwardingProcess");
    const bodiesPath = pointer(path, "awardingBodies");
    ctx.set(process, "AwardingProcess", "awardingBody", organisations(ctx, bodies, bodiesPath), bodiesPath);
    if (c.awardingBodies.length === 0 && bodies.length > 0)
      ctx.derived.mark(
        process,
        "awardingBody",
        "the claim names no awarding body: the issuer's (or its parent claim's) stands for it",
      );
    if (bodies.length === 0)
      ctx.warn(bodiesPath, `a ${cls} without an awarding body: ELM requires one (none is invented)`);
    if (c.awardingDate) process.awardingDate = dateTime(c.awardingDate);
    if (c.awardingLocation) process.location = location(ctx, c.awardingLocation, pointer(path, "awardingLocation"));
    if (process.location === undefined) delete process.location;
    node.awardedBy = process;
    if (cls === "LearningAchievement") {
      ctx.set(
        node,
        cls,
        "provenBy",
        nestedClaims(
          ctx,
          c.provenBy,
          "LearningAssessment",
          pointer(path, "provenBy"),
          bodies,
          textOf(c.title) ?? textOf(c.specification?.title),
        ),
        path,
      );
      ctx.set(
        node,
        cls,
        "influencedBy",
        nestedClaims(ctx, c.influencedBy, "LearningActivity", pointer(path, "influencedBy"), bodies),
        path,
      );
      ctx.set(
        node,
        cls,
        "entitlesTo",
        nestedClaims(ctx, c.entitlesTo, "LearningEntitlement", pointer(path, "entitlesTo"), bodies),
        path,
      );
    }
    ctx.set(
      node,
      cls,
      "hasPart",
      nestedClaims(ctx, c.hasPart, cls, pointer(path, "hasPart"), bodies),
      pointer(path, "hasPart"),
    );
    if (cls === "LearningAssessment") {
      const grade = gradeText(ctx, c, path);
      const gradeNote = note(ctx, grade, pointer(path, "grade"));
      if (gradeNote) node.grade = gradeNote;
      else ctx.warn(pointer(path, "grade"), "an assessment without a grade: ELM requires one");
      ctx.set(
        node,
        cls,
        "assessedBy",
        organisations(ctx, c.assessedBy, pointer(path, "assessedBy")),
        pointer(path, "assessedBy"),
      );
    }
    if (cls === "LearningActivity") {
      if (c.startDate || c.endDate) {
        const period = ctx.node("PeriodOfTime");
        if (c.startDate) period.startDate = dateTime(c.startDate);
        if (c.endDate) period.endDate = dateTime(c.endDate);
        ctx.set(node, cls, "temporal", [period], path);
      }
      if (c.levelOfCompletion !== undefined) {
        if (Number.isInteger(c.levelOfCompletion) && c.levelOfCompletion >= 1 && c.levelOfCompletion <= 100) {
          node.levelOfCompletion = c.levelOfCompletion;
        } else {
          ctx.loss(
            pointer(path, "levelOfCompletion"),
            `level of completion ${c.levelOfCompletion}: ELM takes a whole percentage from 1 to 100`,
          );
        }
      }
      ctx.set(
        node,
        cls,
        "directedBy",
        organisations(ctx, c.directedBy, pointer(path, "directedBy")),
        pointer(path, "directedBy"),
      );
    }
    if (c.specification) {
      const at = pointer(path, "specification");
      const specCls = specificationClass(c.specification);
      if (SPECIFIED_BY[cls].includes(specCls)) {
        const spec = standIn ? { ...c.specification, title: standIn } : c.specification;
        const written = specification(ctx, spec, at);
        if (standIn && typeof written === "object" && written !== null)
          ctx.derived.mark(
            written,
            "title",
            "the assessment specification has no title in the source: the title of the achievement it proves stands for it",
          );
        ctx.set(node, cls, "specifiedBy", [written], at);
      } else ctx.loss(at, `a ${specCls} cannot specify a ${cls} in ELM`);
    }
    reportUnhandled(ctx, c, handled, cls, path);
  });
}

/** The text of an assessment's grade: its note, else its value (in the credential's primary language). */
function gradeText(ctx: WriteContext, c: Claim, path: string): LangMap | undefined {
  const noteText = textOf(c.grade?.note);
  const value = c.grade?.value?.trim();
  if (noteText) {
    if (value && !Object.values(noteText).some((t) => t.includes(value))) {
      ctx.loss(
        pointer(path, "grade", "value"),
        "ELM's grade is one note: the grade value is not written besides its text",
      );
    }
    return noteText;
  }
  return value ? { [ctx.primaryLanguage]: value } : undefined;
}
