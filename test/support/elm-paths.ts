/**
 * Where each EU micro-credential Annex I element sits in an ELM credential (research notes elm.md §2.1, after the EC
 * micro-credential sample), as dotted paths to leaf values, and a reader of the values at a path. Tests use them to
 * check that a written credential carries every element, and that ELM → canonical → ELM keeps every value.
 */

const A = "credentialSubject.hasClaim";
const Q = `${A}.specifiedBy`;

/** Annex I element → ELM paths of its values (`A` = the claims, `Q` = their specifications). */
export const ANNEX_I_ELM_PATHS = {
  learner: [
    "credentialSubject.givenName",
    "credentialSubject.familyName",
    "credentialSubject.fullName",
    "credentialSubject.dateOfBirth",
    "credentialSubject.nationalID.notation",
    "credentialSubject.nationalID.spatial.id",
    "credentialSubject.identifier.notation",
    "credentialSubject.contactPoint.emailAddress.id",
  ],
  title: [`${A}.title`, `${Q}.title`, "displayParameter.title"],
  country: [
    "issuer.location.address.countryCode.id",
    "issuer.eIDASIdentifier.spatial.id",
    `${A}.awardedBy.awardingBody.location.address.countryCode.id`,
  ],
  awardingBody: [
    `${A}.awardedBy.awardingBody.legalName`,
    `${A}.awardedBy.awardingBody.registration.notation`,
    `${A}.awardedBy.awardingBody.eIDASIdentifier.notation`,
    `${A}.awardedBy.awardingBody.vatIdentifier.notation`,
  ],
  dateOfIssuing: ["issued", "issuanceDate", "validFrom", `${A}.awardedBy.awardingDate`],
  learningOutcomes: [
    `${Q}.learningOutcome.title`,
    `${Q}.learningOutcome.relatedESCOSkill.id`,
    `${Q}.learningOutcomeSummary.noteLiteral`,
  ],
  workload: [
    `${Q}.volumeOfLearning`,
    `${Q}.creditPoint.point`,
    `${Q}.creditPoint.framework.id`,
    `${A}.influencedBy.workload`,
  ],
  level: [`${Q}.eqfLevel.id`, `${Q}.nqfLevel.id`, `${Q}.educationLevel.id`],
  assessmentType: [
    `${A}.provenBy.specifiedBy.dcType.id`,
    `${A}.provenBy.specifiedBy.mode.id`,
    `${A}.provenBy.specifiedBy.gradingScheme.title`,
  ],
  participation: [
    `${Q}.mode.id`,
    `${A}.influencedBy.specifiedBy.mode.id`,
    `${A}.influencedBy.specifiedBy.dcType.id`,
    `${Q}.learningSetting.id`,
  ],
  qualityAssurance: [
    `${Q}.accreditation.dcType.id`,
    `${Q}.accreditation.title`,
    `${Q}.accreditation.accreditingAgent.legalName`,
    `${A}.awardedBy.awardingBody.accreditation.dcType.id`,
    "evidence.accreditation.dcType.id",
  ],
  prerequisites: [`${Q}.entryRequirement.noteLiteral`],
  supervision: [`${A}.provenBy.idVerification.id`],
  grade: [`${A}.provenBy.grade.noteLiteral`],
  stackability: [`${Q}.isPartialQualification`, `${A}.entitlesTo.title`, `${A}.hasPart.title`],
  furtherInformation: [
    `${Q}.additionalNote.noteLiteral`,
    `${A}.additionalNote.noteLiteral`,
    `${A}.supplementaryDocument.contentURL`,
    `${Q}.homepage.contentURL`,
  ],
} as const satisfies Record<string, readonly string[]>;

export type AnnexIElement = keyof typeof ANNEX_I_ELM_PATHS;

/** Every leaf value at a dotted path; arrays on the way (and at the end) are flattened. */
export function valuesAt(doc: unknown, path: string): unknown[] {
  let current: unknown[] = [doc];
  for (const key of path.split(".")) {
    current = current.flatMap((v) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
      const next = (v as Record<string, unknown>)[key];
      if (next === undefined) return [];
      return Array.isArray(next) ? next : [next];
    });
  }
  return current;
}

/** Language-map properties of ELM (their objects are values, not nodes). */
export const LANGUAGE_MAP_KEYS = new Set([
  "title",
  "description",
  "legalName",
  "altLabel",
  "prefLabel",
  "noteLiteral",
  "givenName",
  "familyName",
  "fullName",
  "birthName",
  "patronymicName",
  "geographicName",
]);

/** Pointers of objects in an ELM document that are nodes lacking an `id` or a `type` (language maps excepted). */
export function nodesWithoutIdOrType(doc: unknown, path = ""): string[] {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => nodesWithoutIdOrType(v, `${path}/${i}`));
  if (doc === null || typeof doc !== "object") return [];
  const node = doc as Record<string, unknown>;
  const bad = typeof node.id === "string" && node.type !== undefined ? [] : [path];
  return [
    ...bad,
    ...Object.entries(node).flatMap(([k, v]) =>
      LANGUAGE_MAP_KEYS.has(k) || k === "@context" ? [] : nodesWithoutIdOrType(v, `${path}/${k}`),
    ),
  ];
}
