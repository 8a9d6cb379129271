/**
 * The canonical setters behind {@link CanonicalField}: one row of a spreadsheet becomes one credential with one
 * achievement claim (its specification holding the learning-opportunity data: credits, EQF level, outcomes...), the
 * learner, the awarding body (also the credential's issuer, as in OB 3.0) and, when a grade or an assessment type is
 * given, one assessment claim proving the achievement (where ELM and the Annex I check look for them).
 *
 * Every value set is traced: `provenance.paths` maps the canonical pointer to `/rows/{n}/{header}` (n is the
 * row number as the spreadsheet shows it: the header is row 1 in a CSV, the first data row row 2), and fixed values
 * from the profile to `/options/profile/fixed/...`.
 */
import {
  type CanonicalCredential,
  type Claim,
  type Concept,
  emptyClaim,
  emptyCredential,
  emptyOrganisation,
  emptySpecification,
  type Organisation,
  type Specification,
} from "../model.js";
import { countryAlpha2, ECTS, eqfConcept, languageUri, lookupConcept, SCHEMES, toConcept } from "../vocab/index.js";
import type { CanonicalField } from "./profiles.js";
import {
  learningSettingUri,
  modeUri,
  parseCountry,
  parseDate,
  parseEqf,
  parseHours,
  parseNumber,
  type Value,
} from "./transforms.js";

/** Builds one row's credential, creating the nested parts on first use. */
export class RowBuilder {
  readonly credential: CanonicalCredential;
  lang: string;
  private claimNode?: Claim;
  private assessmentNode?: Claim;
  private body?: Organisation;

  constructor(format: "csv" | "xlsx", root: string, lang: string) {
    this.credential = emptyCredential(format);
    this.credential.provenance.root = root;
    this.lang = lang;
  }

  trace(canonical: string, source: string): void {
    this.credential.provenance.paths[canonical] = source;
  }

  text(value: string): Record<string, string> {
    return { [this.lang]: value };
  }

  get claim(): Claim {
    if (!this.claimNode) {
      this.claimNode = emptyClaim("achievement");
      this.claimNode.specification = emptySpecification("achievement");
      this.credential.claims.push(this.claimNode);
    }
    return this.claimNode;
  }

  get spec(): Specification {
    const claim = this.claim;
    claim.specification ??= emptySpecification("achievement");
    return claim.specification;
  }

  get assessment(): Claim {
    if (!this.assessmentNode) {
      this.assessmentNode = emptyClaim("assessment");
      this.assessmentNode.specification = emptySpecification("assessment");
      this.claim.provenBy.push(this.assessmentNode);
    }
    return this.assessmentNode;
  }

  get awardingBody(): Organisation {
    if (!this.body) {
      this.body = emptyOrganisation();
      this.claim.awardingBodies.push(this.body);
      this.credential.issuer = this.body;
    }
    return this.body;
  }
}

type Setter = (b: RowBuilder, value: Value, source: string) => string | undefined;

const text = (v: Value): string => (Array.isArray(v) ? v.join("; ") : String(v)).trim();
const list = (v: Value): string[] => (Array.isArray(v) ? v : [String(v)]).map((s) => s.trim()).filter((s) => s !== "");

const concept = (uri: string): Concept => {
  const known = lookupConcept(uri);
  return known ? toConcept(known) : { uri };
};

function asDate(v: Value): { ok: true; value?: string } | { ok: false; message: string } {
  const r = typeof v === "number" ? parseDate(String(v)) : parseDate(text(v));
  return r.ok ? { ok: true, ...(r.value !== undefined ? { value: String(r.value) } : {}) } : r;
}

const dateSetter =
  (apply: (b: RowBuilder, date: string, source: string) => void): Setter =>
  (b, v, source) => {
    const d = asDate(v);
    if (!d.ok) return d.message;
    if (d.value !== undefined) apply(b, d.value, source);
    return undefined;
  };

function setTitle(b: RowBuilder, title: string, source: string): void {
  b.credential.title = b.text(title);
  b.claim.title = b.text(title);
  b.spec.title = b.text(title);
  b.trace("/title", source);
  b.trace("/claims/0/title", source);
  b.trace("/claims/0/specification/title", source);
}

function setEcts(b: RowBuilder, v: Value, source: string): string | undefined {
  const r = typeof v === "number" ? { ok: true as const, value: v } : parseNumber(text(v));
  if (!r.ok) return r.message;
  if (r.value === undefined) return undefined;
  if (typeof r.value !== "number" || r.value < 0)
    return `${JSON.stringify(text(v))} is not a number of ECTS points ≥ 0`;
  b.spec.credits = [{ framework: ECTS, points: String(r.value) }];
  b.trace("/claims/0/specification/credits/0", source);
  return undefined;
}

function setEqf(b: RowBuilder, v: Value, source: string): string | undefined {
  const r = parseEqf(text(v));
  if (!r.ok) return r.message;
  if (typeof r.value !== "number") return undefined;
  b.spec.eqfLevel = eqfConcept(r.value);
  b.trace("/claims/0/specification/eqfLevel", source);
  return undefined;
}

function setMode(b: RowBuilder, v: Value, source: string): string | undefined {
  for (const item of list(v)) {
    const uri = modeUri(item);
    if (!uri) return `${JSON.stringify(item)} is not a known mode of learning (online, blended, presential...)`;
    b.trace(`/claims/0/specification/modes/${b.spec.modes.length}`, source);
    b.spec.modes.push(concept(uri));
  }
  return undefined;
}

function setLearningSetting(b: RowBuilder, v: Value, source: string): string | undefined {
  const uri = learningSettingUri(text(v));
  if (!uri) return `${JSON.stringify(text(v))} is not a learning setting (formal, non-formal)`;
  b.spec.learningSettings = [concept(uri)];
  b.trace("/claims/0/specification/learningSettings/0", source);
  return undefined;
}

function setAwardingCountry(b: RowBuilder, v: Value, source: string): string | undefined {
  const r = parseCountry(text(v));
  if (!r.ok) return r.message;
  if (r.value === undefined) return undefined;
  b.awardingBody.locations = [{ address: { country: String(r.value) } }];
  b.trace("/claims/0/awardingBodies/0/locations/0/address/country", source);
  b.trace("/issuer/locations/0/address/country", source);
  return undefined;
}

/** The setter of each canonical field: returns a message when the value does not fit (a row error). */
export const FIELD_SETTERS: Record<CanonicalField, Setter> = {
  "learner.givenName": (b, v, s) => {
    b.credential.learner.givenName = b.text(text(v));
    b.trace("/learner/givenName", s);
    return undefined;
  },
  "learner.familyName": (b, v, s) => {
    b.credential.learner.familyName = b.text(text(v));
    b.trace("/learner/familyName", s);
    return undefined;
  },
  "learner.fullName": (b, v, s) => {
    b.credential.learner.fullName = b.text(text(v));
    b.trace("/learner/fullName", s);
    return undefined;
  },
  "learner.email": (b, v, s) => {
    for (const email of list(v)) {
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) return `${JSON.stringify(email)} is not an e-mail address`;
      b.trace(`/learner/emails/${b.credential.learner.emails.length}`, s);
      b.credential.learner.emails.push(email.replace(/^mailto:/i, ""));
    }
    return undefined;
  },
  "learner.dateOfBirth": dateSetter((b, d, s) => {
    b.credential.learner.dateOfBirth = d.slice(0, 10);
    b.trace("/learner/dateOfBirth", s);
  }),
  "learner.studentId": (b, v, s) => {
    const ids = b.credential.learner.identifiers;
    b.trace(`/learner/identifiers/${ids.length}`, s);
    ids.push({ value: text(v), kind: "other", scheme: "studentId", identityType: "studentId" });
    return undefined;
  },
  "learner.nationalId": (b, v, s) => {
    b.credential.learner.nationalId = { value: text(v), kind: "national", identityType: "nationalIdentityNumber" };
    b.trace("/learner/nationalId", s);
    return undefined;
  },
  "learner.citizenship": (b, v, s) => {
    for (const item of list(v)) {
      const r = parseCountry(item);
      if (!r.ok) return r.message;
      b.trace(`/learner/citizenship/${b.credential.learner.citizenship.length}`, s);
      b.credential.learner.citizenship.push(String(r.value));
    }
    return undefined;
  },
  "learner.country": (b, v, s) => {
    const r = parseCountry(text(v));
    if (!r.ok) return r.message;
    b.credential.learner.addresses = [{ country: String(r.value) }];
    b.trace("/learner/addresses/0/country", s);
    return undefined;
  },
  "credential.id": (b, v, s) => {
    b.credential.id = text(v);
    b.credential.provenance.sourceId = text(v);
    b.trace("/id", s);
    return undefined;
  },
  "credential.identifier": (b, v, s) => {
    b.trace(`/identifiers/${b.credential.identifiers.length}`, s);
    b.credential.identifiers.push({ value: text(v), kind: "other", scheme: "certificate code" });
    return undefined;
  },
  // Applied before the other columns (see mapper.ts), so that the row's texts get its language.
  "credential.language": () => undefined,
  "credential.issued": dateSetter((b, d, s) => {
    b.credential.issued = d;
    b.trace("/issued", s);
    if (!b.claim.awardingDate) {
      b.claim.awardingDate = d;
      b.trace("/claims/0/awardingDate", s);
    }
  }),
  "credential.validFrom": dateSetter((b, d, s) => {
    b.credential.validFrom = d;
    b.trace("/validFrom", s);
  }),
  "credential.validUntil": dateSetter((b, d, s) => {
    b.credential.validUntil = d;
    b.trace("/validUntil", s);
  }),
  "credential.furtherInformation": (b, v, s) => {
    b.trace(`/additionalNotes/${b.credential.additionalNotes.length}`, s);
    b.credential.additionalNotes.push(b.text(text(v)));
    return undefined;
  },
  title: (b, v, s) => {
    setTitle(b, text(v), s);
    return undefined;
  },
  description: (b, v, s) => {
    b.credential.description = b.text(text(v));
    b.claim.description = b.text(text(v));
    b.spec.description = b.text(text(v));
    b.trace("/description", s);
    b.trace("/claims/0/description", s);
    b.trace("/claims/0/specification/description", s);
    return undefined;
  },
  "achievement.identifier": (b, v, s) => {
    b.trace(`/claims/0/specification/identifiers/${b.spec.identifiers.length}`, s);
    b.spec.identifiers.push({ value: text(v), kind: "other" });
    return undefined;
  },
  "achievement.awardingDate": dateSetter((b, d, s) => {
    b.claim.awardingDate = d;
    b.trace("/claims/0/awardingDate", s);
  }),
  "achievement.learningOutcomes": (b, v, s) => {
    for (const outcome of list(v)) {
      const i = b.spec.learningOutcomes.length;
      b.spec.learningOutcomes.push({ title: b.text(outcome), escoSkills: [], relatedSkills: [] });
      b.trace(`/claims/0/specification/learningOutcomes/${i}/title`, s);
    }
    return undefined;
  },
  "achievement.ects": setEcts,
  "achievement.eqfLevel": setEqf,
  "achievement.iscedF": (b, v, s) => {
    for (const item of list(v)) {
      const code = item.replace(/^.*\/isced-f\//, "");
      if (!/^\d{2,4}$/.test(code)) return `${JSON.stringify(item)} is not an ISCED-F code (2–4 digits)`;
      b.trace(`/claims/0/specification/fields/${b.spec.fields.length}`, s);
      const uri = `http://data.europa.eu/snb/isced-f/${code}`;
      b.spec.fields.push(lookupConcept(uri) ? concept(uri) : { uri, notation: code, scheme: SCHEMES.iscedf });
    }
    return undefined;
  },
  "achievement.mode": setMode,
  "achievement.learningSetting": setLearningSetting,
  "achievement.language": (b, v, s) => {
    for (const item of list(v)) {
      const uri = languageUri(item);
      if (!uri) return `${JSON.stringify(item)} is not a language`;
      b.trace(`/claims/0/specification/languages/${b.spec.languages.length}`, s);
      b.spec.languages.push({ uri });
    }
    return undefined;
  },
  "achievement.volumeOfLearning": (b, v, s) => {
    const r = parseHours(text(v));
    if (!r.ok) return r.message;
    if (r.value === undefined) return undefined;
    b.spec.volumeOfLearning = String(r.value);
    b.trace("/claims/0/specification/volumeOfLearning", s);
    return undefined;
  },
  "achievement.entryRequirements": (b, v, s) => {
    b.spec.entryRequirement = b.text(text(v));
    b.trace("/claims/0/specification/entryRequirement", s);
    return undefined;
  },
  "achievement.homepage": (b, v, s) => {
    b.trace(`/claims/0/specification/homepages/${b.spec.homepages.length}`, s);
    b.spec.homepages.push(text(v));
    return undefined;
  },
  "assessment.type": (b, v, s) => {
    const t = text(v);
    const known = lookupConcept(t);
    const spec = b.assessment.specification ?? emptySpecification("assessment");
    b.assessment.specification = spec;
    // A concept URI becomes the assessment type; free text ("written examination") is kept as the assessment's title.
    if (known || /^https?:\/\//.test(t)) {
      spec.types = [concept(t)];
      b.trace("/claims/0/provenBy/0/specification/types/0", s);
    } else {
      b.assessment.title = b.text(t);
      spec.title = b.text(t);
      b.trace("/claims/0/provenBy/0/title", s);
      b.trace("/claims/0/provenBy/0/specification/title", s);
    }
    return undefined;
  },
  "assessment.grade": (b, v, s) => {
    b.assessment.grade = { value: text(v) };
    b.trace("/claims/0/provenBy/0/grade", s);
    return undefined;
  },
  "awardingBody.name": (b, v, s) => {
    b.awardingBody.legalName = b.text(text(v));
    b.trace("/claims/0/awardingBodies/0/legalName", s);
    b.trace("/issuer/legalName", s);
    return undefined;
  },
  "awardingBody.country": setAwardingCountry,
  "awardingBody.legalIdentifier": (b, v, s) => {
    const country = b.awardingBody.locations[0]?.address?.country;
    b.awardingBody.identifiers = [{ value: text(v), kind: "legal", ...(country ? { country } : {}) }];
    b.trace("/claims/0/awardingBodies/0/identifiers/0", s);
    b.trace("/issuer/identifiers/0", s);
    return undefined;
  },
  "awardingBody.homepage": (b, v, s) => {
    b.awardingBody.homepages = [text(v)];
    b.trace("/claims/0/awardingBodies/0/homepages/0", s);
    b.trace("/issuer/homepages/0", s);
    return undefined;
  },
  "evidence.url": (b, v, s) => {
    const url = text(v);
    if (!/^https?:\/\/\S+$/i.test(url)) return `${JSON.stringify(url)} is not an http(s) URL`;
    if (b.credential.evidence.length === 0)
      b.credential.evidence.push({ types: [], embedded: [], urls: [], accreditations: [] });
    const ev = b.credential.evidence[0];
    if (ev) {
      b.trace(`/evidence/0/urls/${ev.urls.length}`, s);
      ev.urls.push(url);
    }
    return undefined;
  },
};

/** The alpha-2 code of a fixed awarding-body country (validated profiles give alpha-2 or alpha-3). */
export const fixedCountry = (code: string): string | undefined => countryAlpha2(code);
