/**
 * What the Annex I rules look at, gathered once per credential: every top-level claim with its canonical pointer (the
 * main achievement first), their specifications, the assessments and activities behind them. A rule's answer is a
 * {@link Finding}: a status, the canonical pointers of the value it found (best first) and a compact value.
 */
import type { CanonicalCredential, Claim, Specification } from "../model.js";

/** A claim and its canonical JSON Pointer (`/claims/0`, `/claims/0/provenBy/1`). */
export interface ClaimAt {
  claim: Claim;
  at: string;
}

/** A specification, the claim it specifies, and the specification's canonical JSON Pointer. */
export interface SpecAt {
  spec: Specification;
  claim: Claim;
  at: string;
}

/** The credential as the rules read it. */
export interface CheckContext {
  credential: CanonicalCredential;
  /** Top-level claims: the main achievement (the first achievement claim, else the first claim) first, then the rest in order. */
  claims: ClaimAt[];
  /** The specifications of {@link claims}, in the same order. */
  specs: SpecAt[];
  /** Assessments: each claim's `provenBy` (in claim order), then top-level assessment claims. */
  assessments: ClaimAt[];
  /** Activities: each claim's `influencedBy` (in claim order), then top-level activity claims. */
  activities: ClaimAt[];
}

/** Canonical pointers of a found value, best first; the report resolves the first one the reader traced. */
export type Pointers = [string, ...string[]];

/** A rule's answer for one element. */
export type Finding =
  | { status: "present"; at: Pointers; value: unknown; detail?: string }
  | { status: "invalid"; at: Pointers; value?: unknown; detail: string }
  | { status: "missing"; detail: string };

/**
 * Index of the main claim: the first achievement (ELM `LearningAchievement`, OB3's achievement), else the first claim.
 * Annex I describes one micro-credential; when a credential holds several claims the first achievement is the one its
 * elements are reported for, and the others are looked at only for what it lacks.
 */
export function mainClaimIndex(credential: CanonicalCredential): number {
  const i = credential.claims.findIndex((c) => c.kind === "achievement");
  return i < 0 ? 0 : i;
}

/** Gathers what the rules read, in the order they prefer it. */
export function contextOf(credential: CanonicalCredential): CheckContext {
  const main = mainClaimIndex(credential);
  const all = credential.claims.map((claim, i) => ({ claim, at: `/claims/${i}` }));
  const claims = [...all.slice(main, main + 1), ...all.slice(0, main), ...all.slice(main + 1)];
  const specs = claims.flatMap(({ claim, at }) =>
    claim.specification ? [{ spec: claim.specification, claim, at: `${at}/specification` }] : [],
  );
  const nested = (key: "provenBy" | "influencedBy"): ClaimAt[] =>
    claims.flatMap(({ claim, at }) => claim[key].map((c, j) => ({ claim: c, at: `${at}/${key}/${j}` })));
  return {
    credential,
    claims,
    specs,
    assessments: [...nested("provenBy"), ...claims.filter((c) => c.claim.kind === "assessment")],
    activities: [...nested("influencedBy"), ...claims.filter((c) => c.claim.kind === "activity")],
  };
}
