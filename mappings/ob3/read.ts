/**
 * The Open Badges 3.0 reader: an OpenBadgeCredential / AchievementCredential (VCDM 2.0 with the OB 3.0.x context, or
 * the VCDM 1.1 form with `issuanceDate`/`expirationDate`), embedded-proof or not, as an object, its JSON text or a
 * VC-JWT, into the canonical model. It reads the compacted JSON by OB 3.0 term names, accepting single values and
 * arrays alike. Every value set is traced to its source pointer (`provenance.paths`), every key not mapped is kept
 * in `extensions`, and bad input gives issues, never an exception.
 *
 * Shape of the result: OB 3.0 has one issuer and one achievement, so the issuer Profile is both the credential's
 * `issuer` and the awarding body of its one achievement claim (same values, traced to the same source), and the
 * Achievement is that claim's specification (kind `achievement`), its name and description also the claim's.
 * OB 3.0 texts carry no language: they are read in the achievement's `inLanguage`, else `und`.
 *
 * The gateway's own OB 3.0 extension (ELM properties on the OB 3.0 nodes, written for what OB 3.0 cannot say: EQF
 * level, ECTS credits, form of participation, quality assurance...) is read back when the credential names its
 * context, so that ELM → OB 3.0 → ELM keeps the Annex I elements (read-extension.ts).
 */
import {
  type CanonicalCredential,
  type Concept,
  type Evidence,
  emptyCredential,
  emptyOrganisation,
  type ReadIssue,
  type ReadResult,
} from "../model.js";
import { languageTag } from "../vocab/index.js";
import { readSubject } from "./read-achievement.js";
import { endorsements, readImage, readProfile } from "./read-agents.js";
import { type DecodedJwt, unwrapOb3 } from "./read-envelope.js";
import { hasElmExtension, readCredentialExtension, readEvidenceExtension } from "./read-extension.js";
import { copyDates, copyStrings, copyTexts, date, many, one, oneAt } from "./read-fields.js";
import { isRecord, itemsOf, kindOf, pointer, stringsOf } from "./read-json.js";
import { newReadLog, Ob3Node, type ReadLog } from "./read-node.js";
import { joinIssuerCopies } from "./read-same-node.js";
import {
  CREDENTIAL_RAW,
  CREDENTIAL_TEXTS,
  EVIDENCE_STRINGS,
  EVIDENCE_TEXTS,
  isOb3Type,
  NOT_ACHIEVEMENT_TYPES,
  OB2_CONTEXTS,
  OB3_CONTEXT,
  OB3_CONTEXT_PATTERN,
  OB3_DRAFT_CONTEXT,
  VC_CONTEXTS,
} from "./read-tables.js";

/** The canonical pointer of the one achievement claim. */
const CLAIM = "/claims/0";

/**
 * Reads an Open Badges 3.0 credential into the canonical model. Accepts the credential object, its JSON text, a
 * VC-JWT compact string (decoded, not verified), or the bytes of a PNG with a baked credential; see read-envelope.ts
 * for the pointers used inside a JWT or an image. Pure; never throws: unusable input gives `{ok: false, issues}` with
 * JSON Pointers into the input. `extensionContextUrl`: the URL the deployment names the ELM extension context by (its
 * configuration), recognised besides the legacy URN and any gateway's default route.
 */
export function readOb3(input: unknown, options: { extensionContextUrl?: string } = {}): ReadResult {
  try {
    return read(input, options.extensionContextUrl);
  } catch (e) {
    // A reader bug must not become a 500 for the caller's document; the property tests look for this message.
    return { ok: false, issues: [{ path: "", message: `internal OB3 reader error: ${String(e)}` }] };
  }
}

function read(input: unknown, extensionContextUrl: string | undefined): ReadResult {
  const unwrapped = unwrapOb3(input);
  if (!unwrapped.ok) return unwrapped;
  const { doc, root, jwt, baked } = unwrapped.value;
  const warnings: ReadIssue[] = [...unwrapped.warnings];
  const issues = checkCredential(doc, root, warnings);
  if (issues.length > 0 || !isRecord(doc)) return { ok: false, issues, warnings };

  const log = newReadLog();
  log.warnings.push(...warnings);
  log.lang = documentLanguage(doc);
  log.elmExtension = hasElmExtension(doc["@context"], extensionContextUrl);
  const node = new Ob3Node(doc, root, "", log);
  const credential = readCredential(node);
  if (jwt) readJwtClaims(jwt, root === "" ? node : new Ob3Node(jwt.payload, "", "", log), credential, root !== "");
  node.finish();
  joinIssuerCopies(credential, log);
  awardByIssuer(credential, log);

  const embedded = credential.provenance.proof;
  credential.provenance = {
    format: "ob3",
    variant: jwt ? "vc-jwt" : baked ? `baked-${baked}` : (vcVariant(doc["@context"]) ?? "vcdm2"),
    root,
    paths: log.paths,
    original: input,
    ...(credential.id === undefined ? {} : { sourceId: credential.id }),
    ...(jwt ? { proof: jwtProof(jwt, embedded) } : embedded === undefined ? {} : { proof: embedded }),
  };
  credential.extensions = log.extensions;
  return { ok: true, value: [credential], losses: [], warnings: log.warnings };
}

/** The refusals: what makes a document not an OB 3.0 achievement credential at all. */
function checkCredential(doc: unknown, root: string, warnings: ReadIssue[]): ReadIssue[] {
  if (!isRecord(doc)) {
    return [{ path: root, message: `an OB 3.0 credential is a JSON object or a VC-JWT string, found ${kindOf(doc)}` }];
  }
  const issues: ReadIssue[] = [];
  const contexts = stringsOf(doc["@context"]);
  const ob2 = contexts.some((c) => OB2_CONTEXTS.includes(c));
  if (doc["@context"] === undefined) {
    issues.push({
      path: pointer(root, "@context"),
      message: `missing @context: an OB 3.0 credential names ${OB3_CONTEXT}`,
    });
  } else if (!ob2) {
    if (!contexts.some((c) => Object.hasOwn(VC_CONTEXTS, c))) {
      warnings.push({
        path: pointer(root, "@context"),
        message: "@context names no W3C VC context (https://www.w3.org/ns/credentials/v2 or .../2018/credentials/v1)",
      });
    }
    if (contexts.includes(OB3_DRAFT_CONTEXT)) {
      warnings.push({
        path: pointer(root, "@context"),
        message: `@context names the pre-release OB 3.0 context ${OB3_DRAFT_CONTEXT}; the published one is ${OB3_CONTEXT}`,
      });
    } else if (!contexts.some((c) => OB3_CONTEXT_PATTERN.test(c))) {
      warnings.push({
        path: pointer(root, "@context"),
        message: `@context does not name the OB 3.0 context ${OB3_CONTEXT}`,
      });
    }
  }
  const types = stringsOf(doc.type);
  if (!types.some(isOb3Type)) {
    const other = types.find((t) => Object.hasOwn(NOT_ACHIEVEMENT_TYPES, t));
    const why = ob2
      ? "an Open Badges 2.0 document (read it as ob2)"
      : other
        ? NOT_ACHIEVEMENT_TYPES[other]
        : `type ${types.length > 0 ? types.join(", ") : "is missing and"} lacks OpenBadgeCredential or AchievementCredential`;
    issues.push({ path: pointer(root, "type"), message: `not an OB 3.0 achievement credential: ${why}` });
  } else if (!types.includes("VerifiableCredential")) {
    warnings.push({ path: pointer(root, "type"), message: "type lacks VerifiableCredential" });
  }
  const subject = doc.credentialSubject;
  if (subject === undefined || subject === null) {
    issues.push({ path: pointer(root, "credentialSubject"), message: "missing credentialSubject (the recipient)" });
  } else if (!isRecord(subject) && !(Array.isArray(subject) && isRecord(subject[0]))) {
    issues.push({
      path: pointer(root, "credentialSubject"),
      message: `credentialSubject must be an object (an AchievementSubject), found ${kindOf(subject)}`,
    });
  }
  return issues;
}

/** `vcdm2` or `vcdm1.1`, by the W3C VC context named. */
function vcVariant(context: unknown): string | undefined {
  const vc = stringsOf(context).find((c) => Object.hasOwn(VC_CONTEXTS, c));
  return vc === undefined ? undefined : VC_CONTEXTS[vc as keyof typeof VC_CONTEXTS];
}

/** The language OB 3.0 texts are read in: the (first) achievement's `inLanguage`, else `und`. */
function documentLanguage(doc: Record<string, unknown>): string {
  const subject = itemsOf(doc.credentialSubject)[0]?.value;
  const achievement = isRecord(subject) ? itemsOf(subject.achievement)[0]?.value : undefined;
  const lang = isRecord(achievement) ? achievement.inLanguage : undefined;
  return (typeof lang === "string" ? languageTag(lang) : undefined) ?? "und";
}

/** The credential node. */
function readCredential(n: Ob3Node): CanonicalCredential {
  const cred = emptyCredential("ob3");
  const id = n.id();
  if (id !== undefined) {
    cred.id = id;
    n.trace("/id", n.at("id"));
  }
  cred.types = n.types();
  n.trace("/types", n.at("type"));
  copyTexts(n, cred, CREDENTIAL_TEXTS);
  readCredentialExtension(n, cred);
  const image = oneAt(n, "image", ["display", "pages", 0], readImage, true);
  if (image) {
    cred.display = { languages: [], pages: [image.value] };
    n.trace("/display/pages", image.src);
    n.trace("/display", image.src);
  }
  const issuer = one(n, "issuer", "issuer", readProfile, true);
  if (issuer) cred.issuer = issuer;
  else if (!n.has("issuer")) n.warn(n.at("issuer"), "no issuer (OB 3.0 requires one)");

  readDates(n, cred);
  readCredentialSubject(n, cred);

  cred.evidence = many(n, "evidence", "evidence", readEvidence);
  const endorsed = endorsements(n);
  if (endorsed.length > 0) cred.endorsements = endorsed;
  for (const key of CREDENTIAL_RAW) {
    const value = n.take(key);
    if (value === undefined) continue;
    cred[key] = value;
    n.trace(`/${key}`, n.at(key));
  }
  const proof = n.take("proof");
  if (proof !== undefined) cred.provenance.proof = proof;
  return cred;
}

/**
 * Validity and issue dates: `validFrom`/`validUntil` (VCDM 2.0); `issuanceDate` → issued and `expirationDate` →
 * validUntil (VCDM 1.1). When both forms of the end date disagree, `validUntil` is read and the other kept.
 */
function readDates(n: Ob3Node, cred: CanonicalCredential): void {
  copyDates(n, cred, [
    { key: "validFrom", field: "validFrom" },
    { key: "issuanceDate", field: "issued" },
  ]);
  const until = date(n, "validUntil", "validUntil");
  const expiration = date(n, "expirationDate", until === undefined ? "validUntil" : null);
  if (until !== undefined && expiration !== undefined && until !== expiration) {
    n.warn(n.at("expirationDate"), `expirationDate ${expiration} differs from validUntil ${until}: validUntil is read`);
    n.keep(n.at("expirationDate"), expiration);
  }
  const end = until ?? expiration;
  if (end !== undefined) cred.validUntil = end;
}

/**
 * The credential subject: the learner and the achievement claim. One subject is read (OB 3.0 has one); further ones
 * are kept as extensions. `awardedDate` (the original award date) is the claim's awarding date.
 */
function readCredentialSubject(n: Ob3Node, cred: CanonicalCredential): void {
  const items = itemsOf(n.take("credentialSubject"));
  const first = items[0];
  if (!first) return;
  if (items.length > 1) {
    n.warn(n.at("credentialSubject"), `${items.length} subjects: the first is read, the rest kept as extensions`);
    for (const extra of items.slice(1)) n.keep(n.at("credentialSubject") + extra.suffix, extra.value);
  }
  const src = n.at("credentialSubject") + first.suffix;
  const subject = n.child(first.value, src, "/learner");
  if (!subject) return;
  const { learner, claim, otherClaims } = readSubject(subject, CLAIM);
  subject.finish();
  cred.learner = learner;
  n.trace("/learner", src);
  cred.claims = [...(claim ? [claim] : []), ...otherClaims];
  const awarded = date(n, "awardedDate", null);
  if (!claim) {
    if (awarded !== undefined) n.keep(n.at("awardedDate"), awarded);
    return;
  }
  if (awarded !== undefined && claim.awardingDate === undefined) {
    claim.awardingDate = awarded;
    n.trace(`${CLAIM}/awardingDate`, n.at("awardedDate"));
  } else if (awarded !== undefined && awarded !== claim.awardingDate) {
    n.warn(
      n.at("awardedDate"),
      `awardedDate ${awarded} differs from the extension's awarding date: kept as an extension`,
    );
    n.keep(n.at("awardedDate"), awarded);
  }
  n.trace(CLAIM, `${src}/achievement`);
  n.trace("/claims", `${src}/achievement`);
}

/** An Evidence: id, extra types (as concepts), name, description, narrative, genre, audience. */
function readEvidence(c: Ob3Node): Evidence {
  const evidence: Evidence = { types: [], embedded: [], urls: [], accreditations: [] };
  const id = c.id();
  if (id !== undefined) {
    evidence.id = id;
    c.trace(c.to("id"), c.at("id"));
  }
  evidence.types = c
    .types()
    .filter((t) => t !== "Evidence")
    .map((t): Concept => (t.includes(":") ? { uri: t } : { notation: t }));
  if (evidence.types.length > 0) c.trace(c.to("types"), c.at("type"));
  copyTexts(c, evidence, EVIDENCE_TEXTS);
  copyStrings(c, evidence, EVIDENCE_STRINGS);
  readEvidenceExtension(c, evidence);
  return evidence;
}

/** A NumericDate (seconds since the epoch) as an ISO 8601 date-time, without milliseconds when they are zero. */
function numericDate(seconds: number): string | undefined {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** Whether two date-times name the same instant (or are the same text). */
const sameInstant = (a: string, b: string): boolean => a === b || Date.parse(a) === Date.parse(b);

/**
 * The JWT claims of a VC-JWT (OB 3.0 §8.2): each fills the credential field it stands for when the credential lacks
 * it (`jti` → id, `iss` → issuer id, `sub` → learner id, `nbf` → validFrom (VCDM 2.0) or issued (VCDM 1.1), `exp` →
 * validUntil, `iat` → issued), and is checked against it otherwise (a mismatch is a warning: verification decides).
 * `claims` is the payload node: the credential node itself, or the payload around a `vc` claim (whose other keys
 * are then kept as extensions).
 */
function readJwtClaims(jwt: DecodedJwt, claims: Ob3Node, cred: CanonicalCredential, separate: boolean): void {
  if (separate) claims.take("vc");
  const text = (key: string): string | undefined => {
    const v = claims.take(key);
    if (v === undefined || typeof v === "string") return v;
    return claims.reject(claims.at(key), v, `the JWT claim ${key} must be a string, found ${kindOf(v)}`);
  };
  const time = (key: string): string | undefined => {
    const v = claims.take(key);
    if (v === undefined) return undefined;
    const iso = typeof v === "number" ? numericDate(v) : undefined;
    if (iso !== undefined) return iso;
    return claims.reject(claims.at(key), v, `the JWT claim ${key} must be a NumericDate (seconds), found ${kindOf(v)}`);
  };
  const check = (key: string, value: string | undefined, field: string, found: string | undefined): boolean => {
    if (value === undefined) return false;
    if (found === undefined) {
      claims.trace(field, claims.at(key));
      return true;
    }
    const same = key === "nbf" || key === "exp" || key === "iat" ? sameInstant(value, found) : value === found;
    if (!same)
      claims.warn(claims.at(key), `the JWT claim ${key} (${value}) differs from the credential's ${field} (${found})`);
    return false;
  };

  const jti = text("jti");
  if (check("jti", jti, "/id", cred.id) && jti !== undefined) cred.id = jti;
  const iss = text("iss");
  if (check("iss", iss, "/issuer/id", cred.issuer?.id) && iss !== undefined) {
    cred.issuer = { ...(cred.issuer ?? emptyOrganisation()), id: iss };
    if (!("/issuer" in claims.log.paths)) claims.trace("/issuer", claims.at("iss"));
  }
  const sub = text("sub");
  if (check("sub", sub, "/learner/id", cred.learner.id) && sub !== undefined) cred.learner.id = sub;
  const start = vcVariant(isRecord(jwt.payload.vc) ? jwt.payload.vc["@context"] : jwt.payload["@context"]);
  const nbfField = start === "vcdm1.1" ? "issued" : "validFrom";
  const nbf = time("nbf");
  if (check("nbf", nbf, `/${nbfField}`, cred[nbfField]) && nbf !== undefined) cred[nbfField] = nbf;
  const exp = time("exp");
  if (check("exp", exp, "/validUntil", cred.validUntil) && exp !== undefined) cred.validUntil = exp;
  const iat = time("iat");
  if (iat !== undefined && cred.issued === undefined) {
    cred.issued = iat;
    claims.trace("/issued", claims.at("iat"));
  }
  if (separate) claims.finish();
}

/** What `provenance.proof` holds for a VC-JWT: the JOSE header and signature (and an embedded proof, if any). */
function jwtProof(jwt: DecodedJwt, embedded: unknown): Record<string, unknown> {
  return {
    ...(jwt.header === undefined ? {} : { header: jwt.header }),
    signature: jwt.signature,
    ...(embedded === undefined ? {} : { embedded }),
  };
}

/**
 * OB 3.0 has one issuer and no separate awarding body: the issuer is the achievement claim's awarding body (a copy,
 * traced to the same source values).
 */
function awardByIssuer(cred: CanonicalCredential, log: ReadLog): void {
  const claim = cred.claims[0];
  // The gateway's extension may name the awarding body (`awardedBy`), which ELM allows to differ from the issuer.
  if (!claim || !cred.issuer || claim.awardingBodies.length > 0) return;
  // A copy, so that editing one does not edit the other; endorsements are signed documents kept as read: shared.
  const { endorsements, ...issuer } = cred.issuer;
  claim.awardingBodies = [{ ...structuredClone(issuer), ...(endorsements ? { endorsements } : {}) }];
  const at = `${CLAIM}/awardingBodies/0`;
  for (const [canonical, source] of Object.entries(log.paths)) {
    if (canonical === "/issuer" || canonical.startsWith("/issuer/")) log.paths[at + canonical.slice(7)] = source;
  }
  const issuerSrc = log.paths["/issuer"];
  if (issuerSrc !== undefined) log.paths[`${CLAIM}/awardingBodies`] = issuerSrc;
}
