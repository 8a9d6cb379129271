/**
 * The Open Badges 3.0 writer: a canonical credential as an OpenBadgeCredential (VCDM 2.0, OB context 3.0.3) that
 * passes the OB 3.0 JSON Schema and JSON-LD safe mode. The mapping is data: the tables of
 * `mappings/tables/elm-to-ob3.ts`, applied in order, then the derived properties OB 3.0 requires. What OB 3.0 has no
 * property for travels in the project's ELM extension (`extension-context.ts`, `docs/ob3-elm-extension.md`), so that
 * ELM → OB 3.0 → ELM keeps every EU micro-credential (Annex I) element; what has no place at all is a loss.
 */

import { isMicroCredential } from "../compliance/annex1.js";
import { mainClaimIndex } from "../compliance/context.js";
import { REPORT_TITLE_REASON, reportStandInTitle } from "../elmo/report.js";
import { VC_V2_CONTEXT_URL } from "../jsonld/loader.js";
import type { CanonicalCredential, Claim, Concept, Specification, WriteResult } from "../model.js";
import { ACHIEVEMENT_TYPES, CREDENTIAL_TO_OB3, DERIVED_OB3, MICRO_CREDENTIAL_LABEL } from "../tables/elm-to-ob3.js";
import {
  OB3_CONTEXT_URL,
  OB3_EXTENSIONS_CONTEXT_URL,
  OB3_SCHEMA_URL,
  OB3_SCHEMA_VALIDATOR,
  ONE_EDTECH_TYPES,
} from "./contexts.js";
import {
  OB3_ELM_CONTEXT_DIGEST_SRI,
  OB3_ELM_TERMS_CONTEXT_DIGEST_SRI,
  ob3ElmTermsContextUrl,
} from "./extension-context.js";
import {
  isJsonObject,
  type Json,
  type JsonObject,
  jsonText,
  Ob3Writer,
  type WriteOb3Options,
} from "./write-context.js";
import { CREDENTIAL_TRANSFORMS, profile, resultDescriptionId } from "./write-ob3.js";
import { applyRules } from "./write-rules.js";

export type { WriteOb3Options } from "./write-context.js";

/**
 * Writes a canonical credential as an Open Badges 3.0 credential (unsigned: the issue use case adds the proof).
 * Reports every canonical value with no place in OB 3.0 or the extension as a loss (at its source pointer when the
 * reader traced it) and every guess as a warning. Pure (the clock is `options.now`) and deterministic: generated ids
 * are derived from the content. Never throws.
 */
export function writeOb3(
  credential: CanonicalCredential,
  options: WriteOb3Options,
): WriteResult<Record<string, unknown>> {
  try {
    return write(credential, options);
  } catch (e) {
    // A writer bug must not become a 500 for the caller's document; the property tests look for this message.
    return { document: {}, losses: [], warnings: [{ path: "", message: `internal OB3 writer error: ${String(e)}` }] };
  }
}

function write(credential: CanonicalCredential, options: WriteOb3Options): WriteResult<Record<string, unknown>> {
  const w = new Ob3Writer(credential, options);
  const doc: JsonObject = {};
  applyRules(CREDENTIAL_TO_OB3, CREDENTIAL_TRANSFORMS, credential, "", doc, { w, doc });
  for (const step of DERIVED_OB3) DERIVED[step.fn](doc, w);
  // Marks are found by object identity: read before `ordered` copies the objects (their pointers stay the same).
  const derived = w.derived.resolve(doc);
  return { document: ordered(doc), losses: w.losses, warnings: w.warnings, derived };
}

// ---------------------------------------------------------------------------------------------------------------
// Derived properties (DERIVED_OB3, in its order)

const mainClaim = (w: Ob3Writer): { claim?: Claim; at: string } => {
  const k = mainClaimIndex(w.credential);
  const claim = w.credential.claims[k];
  return claim ? { claim, at: `/claims/${k}` } : { at: "/claims/0" };
};

const objectAt = (parent: JsonObject, key: string): JsonObject => {
  const current = parent[key];
  if (isJsonObject(current)) return current;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
};

const subjectOf = (doc: JsonObject): JsonObject => objectAt(doc, "credentialSubject");
const achievementOf = (doc: JsonObject): JsonObject => objectAt(subjectOf(doc), "achievement");

/** The first non-blank text among language maps, in the writer's language choice. */
function firstText(w: Ob3Writer, candidates: [Parameters<Ob3Writer["text"]>[0], string][]): string | undefined {
  for (const [map, at] of candidates) {
    const t = w.text(map, at);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Markdown list of the learning outcomes (the criteria OB 3.0 requires). */
function outcomesNarrative(w: Ob3Writer, spec: Specification | undefined, at: string): string | undefined {
  const titles = (spec?.learningOutcomes ?? []).flatMap(
    (lo, k) => w.text(lo.title, `${at}/learningOutcomes/${k}/title`) ?? [],
  );
  if (titles.length > 0) return `Learning outcomes:\n\n${titles.map((t) => `- ${t}`).join("\n")}`;
  return firstText(w, [
    [spec?.learningOutcomeSummary, `${at}/learningOutcomeSummary`],
    [spec?.description, `${at}/description`],
  ]);
}

type Derived = (doc: JsonObject, w: Ob3Writer) => void;

const DERIVED: Record<(typeof DERIVED_OB3)[number]["fn"], Derived> = {
  credentialIdentity: (doc, w) => {
    doc.id ??= w.idOr(
      undefined,
      // The learner is part of the seed: two learners' credentials for one course and day must not share an id.
      `credential|${jsonText(w.credential.claims.map((c) => c.title)) ?? ""}|${w.credential.issued ?? ""}|${
        jsonText([w.credential.learner, w.credential.provenance.root]) ?? ""
      }`,
    );
    doc.type = ["VerifiableCredential", "OpenBadgeCredential"];
  },

  issuerFallback: (doc, w) => {
    if (isJsonObject(doc.issuer)) return;
    const { claim, at } = mainClaim(w);
    const body = claim?.awardingBodies[0];
    if (body) {
      doc.issuer = profile(body, { w, at: `${at}/awardingBodies/0`, doc }, w.options.issuerId);
      w.derived.mark(doc, "issuer", "the source names no issuer: the first awarding body stands for it");
      return;
    }
    w.warn("/issuer", "no issuer and no awarding body: the issuer Profile has only an id");
    const issuer = { id: w.options.issuerId ?? w.idOr(undefined, `issuer|${String(doc.id)}`), type: ["Profile"] };
    w.derived.mark(issuer, undefined, "the source names no issuer and no awarding body: a Profile with only an id");
    doc.issuer = issuer;
  },

  validFromFallback: (doc, w) => {
    if (typeof doc.validFrom === "string") return;
    const { claim, at } = mainClaim(w);
    const awarded =
      claim?.awardingDate === undefined ? undefined : w.dateTimeZ(claim.awardingDate, `${at}/awardingDate`);
    if (awarded !== undefined) {
      doc.validFrom = awarded;
      w.derived.mark(doc, "validFrom", "the source gives no issuing or validity date: the awarding date stands for it");
      return;
    }
    const now = w.options.now.toISOString().replace(/\.\d{3}Z$/, "Z");
    w.warn("/validFrom", "no date of issuing, validity or award: validFrom is the time of conversion");
    doc.validFrom = now;
    w.derived.mark(doc, "validFrom", "the time of conversion: the source gives no date of issuing, validity or award");
  },

  subjectFallback: (doc, w) => {
    const subject = subjectOf(doc);
    subject.type ??= ["AchievementSubject"];
    if (isJsonObject(subject.achievement)) return;
    const { claim, at } = mainClaim(w);
    w.warn(
      claim ? at : "/claims",
      claim
        ? "the claim has no specification: the Achievement is made from the claim"
        : "no claim: the Achievement is made from the credential",
    );
    const achievement = achievementOf(doc);
    achievement.id = w.idOr(undefined, `achievement|${claim?.id ?? String(doc.id)}`);
    achievement.type = ["Achievement"];
    w.derived.mark(
      subjectOf(doc),
      "achievement",
      "the source has no specification: the Achievement is made from the claim",
    );
  },

  achievementTexts: (doc, w) => {
    const achievement = achievementOf(doc);
    const { claim, at } = mainClaim(w);
    if (typeof achievement.name !== "string") {
      const name = firstText(w, [
        [claim?.title, `${at}/title`],
        [w.credential.title, "/title"],
      ]);
      w.warn(at, "the Achievement has no name (required): taken from the claim or the credential");
      achievement.name = name ?? "Achievement";
      // A claim's or credential's title is the source's name for it; only the placeholder is the gateway's.
      if (name === undefined)
        w.derived.mark(achievement, "name", "OB 3.0 requires a name and the source has none: the word Achievement");
    }
    if (typeof achievement.description !== "string") {
      const description = firstText(w, [
        [claim?.description, `${at}/description`],
        [w.credential.description, "/description"],
        [claim?.specification?.learningOutcomeSummary, `${at}/specification/learningOutcomeSummary`],
      ]);
      w.warn(
        claim?.specification ? `${at}/specification` : at,
        `the Achievement has no description (required): ${description === undefined ? "its name stands for it" : "taken from the claim or the credential"}`,
      );
      achievement.description = description ?? achievement.name;
      if (description === undefined)
        w.derived.mark(
          achievement,
          "description",
          "OB 3.0 requires a description and the source has none: the name stands for it",
        );
    }
  },

  criteriaFallback: (doc, w) => {
    const achievement = achievementOf(doc);
    const current = achievement.criteria;
    if (isJsonObject(current) && (typeof current.id === "string" || typeof current.narrative === "string")) return;
    const { claim, at } = mainClaim(w);
    const narrative =
      outcomesNarrative(w, claim?.specification, `${at}/specification`) ?? String(achievement.description);
    w.warn(
      claim?.specification ? `${at}/specification` : at,
      "OB 3.0 requires criteria: the narrative lists the learning outcomes (or describes the achievement)",
    );
    achievement.criteria = { narrative };
    w.derived.mark(
      achievement,
      "criteria",
      "OB 3.0 requires criteria and the source has none: the narrative lists the learning outcomes (or repeats the description)",
    );
  },

  achievementType: (doc, w) => {
    const achievement = achievementOf(doc);
    if (typeof achievement.achievementType === "string") return;
    const spec = mainClaim(w).claim?.specification;
    const says = [...(spec?.types ?? []), ...w.credential.profiles].some(namesMicroCredential);
    if (says || isMicroCredential(w.credential)) {
      achievement.achievementType = "MicroCredential";
      w.derived.mark(
        achievement,
        "achievementType",
        "the gateway's Annex I check finds a micro-credential: the source states no achievement type",
      );
      return;
    }
    const byType = spec?.types.map((t) => (t.uri === undefined ? undefined : ACHIEVEMENT_TYPES[t.uri])).find(Boolean);
    achievement.achievementType = byType ?? (spec?.kind === "assessment" ? "Assessment" : "Achievement");
    if (byType === undefined)
      w.derived.mark(achievement, "achievementType", "the source states no achievement type: the generic one");
  },

  gradingResultDescriptions: (doc, w) => {
    const { claim, at } = mainClaim(w);
    if (!claim) return;
    const achievement = achievementOf(doc);
    const existing = Array.isArray(achievement.resultDescription) ? achievement.resultDescription : [];
    const ids = new Set(existing.flatMap((rd) => (isJsonObject(rd) && typeof rd.id === "string" ? [rd.id] : [])));
    const added: Json[] = [];
    for (const [k, assessment] of claim.provenBy.entries()) {
      if (!assessment.grade) continue;
      const aAt = `${at}/provenBy/${k}`;
      const id = resultDescriptionId(w, assessment, aAt);
      if (ids.has(id)) continue;
      ids.add(id);
      const scheme = assessment.specification?.gradingScheme;
      const name =
        firstText(w, [
          [scheme?.title, `${aAt}/specification/gradingScheme/title`],
          [assessment.title, `${aAt}/title`],
        ]) ?? "Grade";
      const made: JsonObject = { id, type: ["ResultDescription"], name, resultType: "Result" };
      w.derived.mark(made, undefined, "made for the assessment's grade: OB 3.0 results name a ResultDescription");
      added.push(made);
    }
    if (added.length > 0) achievement.resultDescription = [...existing, ...added];
  },

  learnerIdentification: (doc, w) => {
    const subject = subjectOf(doc);
    const identified =
      typeof subject.id === "string" || (Array.isArray(subject.identifier) && subject.identifier.length > 0);
    if (!identified) {
      w.warn("/learner", "the learner has no id and no identifying data: OB 3.0 requires an id or an identifier");
    }
  },

  credentialName: (doc, w) => {
    const report = reportStandInTitle(w.credential);
    if (typeof doc.name !== "string" && report) {
      doc.name = report;
      w.derived.mark(doc, "name", REPORT_TITLE_REASON);
      return;
    }
    const name = achievementOf(doc).name;
    if (typeof doc.name !== "string" && typeof name === "string") {
      doc.name = name;
      w.derived.mark(doc, "name", "the source has no credential title: the Achievement's name stands for it");
    }
  },

  credentialSchema: (doc, w) => {
    const { provenance } = w.credential;
    const read =
      provenance.format === "ob3" ? (provenance.schemas ?? []).filter((sc) => sc.type === OB3_SCHEMA_VALIDATOR) : [];
    const ids = [...read.map((sc) => sc.id), ...(w.options.credentialSchema === true ? [OB3_SCHEMA_URL] : [])];
    const unique = [...new Set(ids)];
    if (unique.length > 0) doc.credentialSchema = unique.map((id) => ({ id, type: OB3_SCHEMA_VALIDATOR }));
  },

  contexts: (doc, w) => {
    const contexts: Json[] = [VC_V2_CONTEXT_URL, OB3_CONTEXT_URL];
    if (usesType(doc, ONE_EDTECH_TYPES)) contexts.push(OB3_EXTENSIONS_CONTEXT_URL);
    const url = w.options.extensionContextUrl;
    // The constructor turned the extension off for a missing or unpublishable URL, so `url` is set here.
    if (w.usesExtension && url !== undefined) {
      contexts.push(url);
      if (w.options.extensionDigest === true) pinExtension(doc, url);
    }
    doc["@context"] = contexts;
  },
};

/** Whether a concept's label, in any of its languages, names a micro-credential (MICRO_CREDENTIAL_LABEL). */
const namesMicroCredential = (c: Concept): boolean =>
  Object.values(c.label ?? {}).some((text) => typeof text === "string" && MICRO_CREDENTIAL_LABEL.test(text));

/**
 * VC 2.0 `relatedResource` entries pinning the extension's two context documents by their SHA-256 (VC 2.0 §5.3,
 * "Integrity of Related Resources": `id` and `digestSRI`), after any the document already has.
 */
function pinExtension(doc: JsonObject, url: string): void {
  const existing = Array.isArray(doc.relatedResource)
    ? doc.relatedResource
    : doc.relatedResource === undefined
      ? []
      : [doc.relatedResource];
  doc.relatedResource = [
    ...existing,
    { id: url, digestSRI: OB3_ELM_CONTEXT_DIGEST_SRI, mediaType: "application/ld+json" },
    { id: ob3ElmTermsContextUrl(url), digestSRI: OB3_ELM_TERMS_CONTEXT_DIGEST_SRI, mediaType: "application/ld+json" },
  ];
}

/** Whether any node of the document (embedded endorsements included) has one of the types. */
function usesType(v: Json, types: ReadonlySet<string>, depth = 0): boolean {
  if (depth > 64 || typeof v !== "object" || v === null) return false;
  if (Array.isArray(v)) return v.some((item) => usesType(item, types, depth + 1));
  const type = v.type;
  const list = Array.isArray(type) ? type : [type];
  if (list.some((t) => typeof t === "string" && types.has(t))) return true;
  return Object.values(v).some((item) => usesType(item, types, depth + 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Key order, for people reading the JSON (JSON-LD and the schema do not care)

const ORDER: Readonly<Record<string, readonly string[]>> = {
  credential: [
    "@context",
    "id",
    "type",
    "name",
    "description",
    "image",
    "issuer",
    "validFrom",
    "validUntil",
    "awardedDate",
    "credentialSubject",
  ],
  subject: ["id", "type", "identifier", "achievement", "result", "creditsEarned"],
  achievement: [
    "id",
    "type",
    "achievementType",
    "name",
    "description",
    "criteria",
    "image",
    "creditsAvailable",
    "fieldOfStudy",
    "inLanguage",
    "alignment",
    "resultDescription",
  ],
  profile: ["id", "type", "name"],
};

function sortKeys(node: JsonObject, order: readonly string[]): JsonObject {
  const keys = [...order.filter((k) => k in node), ...Object.keys(node).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, node[k] as Json]));
}

function ordered(doc: JsonObject): Record<string, unknown> {
  const out = sortKeys(doc, ORDER.credential ?? []);
  if (isJsonObject(out.issuer)) out.issuer = sortKeys(out.issuer, ORDER.profile ?? []);
  if (isJsonObject(out.credentialSubject)) {
    const subject = sortKeys(out.credentialSubject, ORDER.subject ?? []);
    if (isJsonObject(subject.achievement)) subject.achievement = sortKeys(subject.achievement, ORDER.achievement ?? []);
    out.credentialSubject = subject;
  }
  return out;
}
