/**
 * Reading the gateway's own OB 3.0 extension (extension-context.ts) back into the model, so that ELM → OB 3.0 → ELM
 * loses nothing: EQF/NQF/QF-EHEA levels, credits with their framework (ECTS), volume of learning, form of
 * participation (modes, learning settings), quality assurance (accreditations), prerequisites, stackability,
 * assessments with identity verification, awarding bodies, the learner's structured name, texts in every language.
 *
 * The extension carries ELM itself: each extension property is an ELM property with ELM's JSON value, on the OB 3.0
 * node that plays the ELM node's role. So it is read with the ELM reader's own node readers, over a view of the OB 3.0
 * node holding only its extension properties, with the same source pointers (into the OB 3.0 document) and canonical
 * pointers. What the extension says replaces what the reader made of the OB 3.0 rendering of the same thing (an
 * ECTS `creditPoint` replaces the unit-less `creditsAvailable`; an ELM `location` the `address`).
 *
 * The extension's terms are read only when the credential names the extension context: without it they are
 * undefined JSON-LD terms, and stay extensions like any other unknown key.
 */
import { readAccreditation, readMedia, readOrganisation, readPerson, webResources } from "../elm/agents.js";
import { concept, concepts, date, many, notes, text } from "../elm/fields.js";
import { readClaim, readSpecification } from "../elm/learning.js";
import { type ReadLog as ElmLog, ElmNode, newReadLog as newElmLog } from "../elm/node.js";
import type { CanonicalCredential, Claim, Evidence, Organisation, Person, Specification } from "../model.js";
import { isOb3ElmContextUrl } from "./contexts.js";
import { EXTENSION_TERMS, type ExtensionHost, SPECIFICATION_TYPES } from "./extension-context.js";
import { isRecord, stringsOf } from "./read-json.js";
import type { Ob3Node } from "./read-node.js";

/** The extension terms each OB 3.0 node may carry. */
const TERMS: Record<ExtensionHost, ReadonlySet<string>> = {
  credential: hostTerms("credential"),
  profile: hostTerms("profile"),
  achievement: hostTerms("achievement"),
  subject: hostTerms("subject"),
  evidence: hostTerms("evidence"),
};

function hostTerms(host: ExtensionHost): ReadonlySet<string> {
  return new Set(EXTENSION_TERMS.filter((t) => (t.on as readonly string[]).includes(host)).map((t) => t.term));
}

/** Whether a credential's `@context` names the gateway's extension context (`configuredUrl`: the deployment's URL). */
export function hasElmExtension(context: unknown, configuredUrl?: string): boolean {
  return stringsOf(context).some((url) => isOb3ElmContextUrl(url, configuredUrl));
}

/**
 * An ELM view of an OB 3.0 node: its extension properties only (taken from the OB 3.0 node), plus `type` when the
 * ELM reader needs one to know the class. Undefined when the credential does not name the extension context or the
 * node has none.
 */
function elmView(n: Ob3Node, host: ExtensionHost, type?: string): ElmNode | undefined {
  if (!n.log.elmExtension) return undefined;
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(n.data).filter((k) => TERMS[host].has(k))) {
    const value = n.take(key);
    if (value !== undefined) data[key] = value;
  }
  if (Object.keys(data).length === 0) return undefined;
  if (type !== undefined) data.type = type;
  return new ElmNode(data, n.src, n.dst, newElmLog(), n.depth);
}

/**
 * Finishes an ELM view: its unread keys become extensions, and its log joins the OB 3.0 reader's. An ELM issue (an
 * unusable value) is a warning here, with the value kept: the credential is still an OB 3.0 credential.
 */
function finish(n: Ob3Node, view: ElmNode): void {
  view.finish();
  const log: ElmLog = view.log;
  Object.assign(n.log.paths, log.paths);
  n.log.warnings.push(...log.warnings.map((w) => ({ ...w, message: `gateway extension: ${w.message}` })));
  n.log.extensions.push(...log.extensions);
  for (const issue of log.issues) {
    n.warn(issue.path, `gateway extension: ${issue.message}: kept as an extension`);
    n.keep(issue.path, valueAt(n, issue.path));
  }
}

/** The value at a source pointer under a node (for an ELM issue's path). */
function valueAt(n: Ob3Node, path: string): unknown {
  if (!path.startsWith(n.src)) return undefined;
  let at: unknown = n.data;
  for (const raw of path.slice(n.src.length).split("/").slice(1)) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    at = Array.isArray(at) ? at[Number(token)] : isRecord(at) ? at[token] : undefined;
  }
  return at;
}

/** Whether a value read by the ELM reader says something (not absent, not an empty array or map). */
function says(v: unknown): boolean {
  if (v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  return !isRecord(v) || Object.keys(v).length > 0;
}

/**
 * Replaces the fields of `target` that the extension says something about with the extension's values, dropping
 * the source paths recorded for what they replace (the extension's own paths join when the view is finished).
 */
function overlay<T extends object>(
  n: Ob3Node,
  dst: string,
  target: T,
  from: Partial<T>,
  skip: readonly string[] = [],
): void {
  const fields = Object.entries(from).filter(([k, v]) => !skip.includes(k) && says(v));
  for (const [field] of fields) {
    const at = `${dst}/${field}`;
    for (const p of Object.keys(n.log.paths)) if (p === at || p.startsWith(`${at}/`)) delete n.log.paths[p];
  }
  Object.assign(target, Object.fromEntries(fields));
}

/** The extension's specification fields on an Achievement: levels, credits, workload, modes, outcomes... */
export function readAchievementExtension(n: Ob3Node, spec: Specification): void {
  const specType = n.types().find((t) => (SPECIFICATION_TYPES as readonly string[]).includes(t));
  const view = elmView(n, "achievement", specType ?? "LearningAchievementSpecification");
  if (!view) return;
  const fromElm = readSpecification("achievement")(view);
  const description = text(view, "elmDescription", "description");
  if (description) fromElm.description = description;
  const qfEhea = concept(view, "qfEheaLevel");
  if (qfEhea) fromElm.qfEheaLevel = qfEhea;
  overlay(n, n.dst, spec, fromElm, specType === undefined ? ["kind"] : []);
  finish(n, view);
}

/**
 * The extension's fields on an AchievementSubject: the learner's (names, birth, national id, citizenship), the
 * achievement claim's (awarding body, assessments, activities, credits with framework, grade, identity
 * verification...) and the learner's other claims (`hasClaim`, after the achievement claim).
 */
export function readSubjectExtension(
  n: Ob3Node,
  learner: Person,
  claim: Claim | undefined,
  claimAt: string,
  otherClaims: Claim[],
): void {
  const view = elmView(n, "subject", "LearningAchievement");
  if (!view) return;
  overlay(n, n.dst, learner, readPerson(view));
  const claimView = view.rebased(claimAt);
  if (claim) {
    const fromElm = readClaim("achievement")(claimView);
    const description = text(claimView, "elmDescription", "description");
    if (description) fromElm.description = description;
    overlay(n, claimAt, claim, fromElm, ["kind"]);
  }
  otherClaims.push(...many(view.rebased(""), "hasClaim", "claims", readClaim("achievement"), claim ? 1 : 0));
  finish(n, view);
}

/**
 * The extension's fields on a Profile: the legal name in every language, ELM locations, legal identifiers, homepages,
 * accreditations. ELM identifiers and homepages come first; the OB 3.0 ones not among them are kept after them.
 */
export function readProfileExtension(n: Ob3Node, org: Organisation): void {
  const view = elmView(n, "profile");
  if (!view) return;
  const fromElm = readOrganisation(view);
  const description = text(view, "elmDescription", "description");
  if (description) fromElm.description = description;
  const ob3 = { identifiers: org.identifiers, homepages: org.homepages };
  const ob3Paths = { ...n.log.paths };
  overlay(n, n.dst, org, fromElm);
  const rest = {
    identifiers: ob3.identifiers.filter((id) => !fromElm.identifiers.some((e) => e.value === id.value)),
    homepages: ob3.homepages.filter((h) => !fromElm.homepages.includes(h)),
  };
  for (const field of ["identifiers", "homepages"] as const) {
    if (org[field] === ob3[field]) continue;
    const before: unknown[] = ob3[field];
    for (const item of rest[field]) {
      retrace(n, ob3Paths, n.to([field, before.indexOf(item)]), n.to([field, org[field].length]));
      (org[field] as unknown[]).push(item);
    }
  }
  finish(n, view);
}

/** Records again, under a new canonical index, the source paths an item had before an overlay moved it. */
function retrace(n: Ob3Node, before: Record<string, string>, from: string, to: string): void {
  for (const [p, src] of Object.entries(before)) {
    if (p === from || p.startsWith(`${from}/`)) n.trace(to + p.slice(from.length), src);
  }
}

/** The extension's fields on the credential: texts in every language and further information. */
export function readCredentialExtension(n: Ob3Node, cred: CanonicalCredential): void {
  const view = elmView(n, "credential");
  if (!view) return;
  const title = text(view, "title");
  const description = text(view, "elmDescription", "description");
  const additionalNotes = notes(view, "additionalNote", "additionalNotes");
  // ELM's date of issuing (Annex I) travels as the extension's `issued`: OB3's validFrom is ELM's validFrom.
  const issued = date(view, "issued");
  overlay(n, "", cred, { title, description, additionalNotes, issued });
  finish(n, view);
}

/** The extension's fields on an Evidence: type concepts, targets, embedded files, accreditations, description. */
export function readEvidenceExtension(n: Ob3Node, evidence: Evidence): void {
  const view = elmView(n, "evidence");
  if (!view) return;
  const fromElm: Partial<Evidence> = {
    types: concepts(view, "dcType", "types"),
    urls: webResources(view, "evidenceTarget", "urls"),
    embedded: many(view, "embeddedEvidence", "embedded", readMedia),
    accreditations: many(view, "accreditation", "accreditations", readAccreditation),
    description: text(view, "elmDescription", "description"),
  };
  overlay(n, n.dst, evidence, fromElm);
  finish(n, view);
}
