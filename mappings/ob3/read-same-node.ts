/**
 * The issuer and the organisations of the claims that carry its id are one node. ELM's issuer is often the awarding
 * body itself (EDC names both `urn:epass:org:1`), and the OB 3.0 writer renders that node twice: as the issuer
 * Profile, which has no room for some ELM values (the logo becomes the Profile's image, a data URI, without the
 * MediaObject's id), and in full as the extension's awarding body. Read apart, the two copies differ, and a writer
 * would take them for two organisations under one id. When their values agree wherever both hold one, each copy is
 * completed from the others (the values traced to where the other copy read them), so they read as the one node the
 * source holds; copies whose values disagree are different organisations and stay as read.
 */
import type { CanonicalCredential, Claim, Organisation } from "../model.js";
import type { ReadLog } from "./read-node.js";

/** An organisation of the credential, its canonical pointer and how to put another object in its place. */
interface Copy {
  org: Organisation;
  at: string;
  set: (org: Organisation) => void;
}

/** An organisation's members by name: the walks below go through any canonical object alike. */
const members = (o: Organisation): Record<string, unknown> => o as unknown as Record<string, unknown>;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value that says nothing: absent, an empty array or an empty object (what the empty containers start as). */
const absent = (v: unknown): boolean =>
  v === undefined || (Array.isArray(v) && v.length === 0) || (isPlain(v) && Object.keys(v).length === 0);

/** A text in languages (`{"en": "…"}`): one value, which agrees with another only when equal, never completed. */
const isLangMap = (v: Record<string, unknown>): boolean =>
  Object.entries(v).every(([k, x]) => typeof x === "string" && /^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$/.test(k));

/** Whether two values agree wherever both hold one (arrays item by item, of the same length). */
function agrees(a: unknown, b: unknown, depth = 0): boolean {
  if (absent(a) || absent(b)) return true;
  if (depth > 64) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => agrees(x, b[i], depth + 1));
  }
  if (isPlain(a) && isPlain(b)) {
    if (isLangMap(a) || isLangMap(b)) return JSON.stringify(a) === JSON.stringify(b);
    return Object.keys(a).every((k) => !(k in b) || agrees(a[k], b[k], depth + 1));
  }
  return a === b;
}

/** Sets in `target` (in place) what `source` holds and `target` lacks, at any depth; the values agree. */
function complete(target: Record<string, unknown>, source: Record<string, unknown>, depth = 0): void {
  if (depth > 64) return;
  for (const [k, sv] of Object.entries(source)) {
    const tv = target[k];
    if (absent(tv)) {
      if (!absent(sv)) target[k] = structuredClone(sv);
    } else if (isPlain(tv) && isPlain(sv)) {
      if (!isLangMap(tv)) complete(tv, sv, depth + 1);
    } else if (Array.isArray(tv) && Array.isArray(sv)) {
      for (const [i, x] of tv.entries()) if (isPlain(x) && isPlain(sv[i])) complete(x, sv[i], depth + 1);
    }
  }
}

/** The organisations of a claim and of the claims under it, with their canonical pointers. */
function claimCopies(claim: Claim, at: string, out: Copy[]): void {
  for (const key of ["awardingBodies", "assessedBy", "directedBy"] as const) {
    const orgs = claim[key];
    for (const [i, org] of orgs.entries()) {
      out.push({ org, at: `${at}/${key}/${i}`, set: (o) => (orgs[i] = o) });
    }
  }
  for (const key of ["provenBy", "influencedBy", "entitlesTo", "hasPart"] as const) {
    for (const [i, part] of claim[key].entries()) claimCopies(part, `${at}/${key}/${i}`, out);
  }
}

/** Makes the issuer and the claims' organisations with its id one node (see the file's comment). */
export function joinIssuerCopies(cred: CanonicalCredential, log: ReadLog): void {
  const issuer = cred.issuer;
  if (issuer?.id === undefined) return;
  const all: Copy[] = [];
  for (const [i, claim] of cred.claims.entries()) claimCopies(claim, `/claims/${i}`, all);
  const same = all.filter((c) => c.org.id === issuer.id);
  if (same.length === 0) return;
  // Endorsements are signed documents kept as read: shared, not copied.
  const { endorsements, ...values } = issuer;
  const merged: Organisation = structuredClone(values);
  const group: Copy[] = [{ org: issuer, at: "/issuer", set: (o) => (cred.issuer = o) }];
  for (const copy of same) {
    if (!agrees(merged, copy.org) || (copy.org.endorsements !== undefined && copy.org.endorsements !== endorsements))
      continue;
    complete(members(merged), members(copy.org));
    group.push(copy);
  }
  if (group.length === 1) return;
  // Each copy is traced where it was read, and where it was not, where another copy was.
  const paths = log.paths;
  for (const to of group) {
    for (const from of group) {
      if (from === to) continue;
      for (const [canonical, source] of Object.entries(paths)) {
        if (!canonical.startsWith(`${from.at}/`)) continue;
        const there = to.at + canonical.slice(from.at.length);
        if (!(there in paths)) paths[there] = source;
      }
    }
  }
  for (const copy of group) {
    copy.set({ ...structuredClone(merged), ...(endorsements ? { endorsements } : {}) });
  }
}
