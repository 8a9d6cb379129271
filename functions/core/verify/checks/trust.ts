/** The `trust` check: this gateway's registered issuers, then every configured trust source. */
import { calculateJwkThumbprint, type JWK } from "jose";
import type { CanonicalCredential, Organisation, ReadResult } from "../../../../mappings/model.js";
import type { CredentialStore, IssuerRecord } from "../../../kernel/ports/index.js";
import { certificateBase64, isQualified } from "../../../proofs/x509.js";
import { verificationMethodId } from "../../issuers/did.js";
import { gatewayIssuerOf } from "../../issuers/keys.js";
import { assessTrust, summariseTrust, type TrustFinding, type TrustSubject } from "../../trust/trust.js";
import { check, type Parsed, type ProofFacts, type VerificationCheck, type VerifyDeps } from "../model.js";
import { idOf } from "../values.js";

/** How many registered issuers a lookup reads at most when the store offers no index (a bare store in tests, emulators). */
const ISSUER_SCAN_LIMIT = 1_000;

/**
 * The `trust` check: this gateway's own registered issuers (a built-in finding), then every configured
 * {@link TrustSource}, summarised by {@link summariseTrust}: ok when someone vouches for the signer, error when a
 * source says the signer is not trusted (a seal certificate on no trusted list), else skipped.
 */
export async function checkTrust(
  deps: VerifyDeps,
  parsed: Parsed,
  facts: ProofFacts,
  read: ReadResult | undefined,
  warnings: string[],
): Promise<VerificationCheck> {
  const own = await gatewayFinding(deps, parsed, facts, warnings);
  const subject = await trustSubjectOf(parsed, facts, read);
  const findings = [...(own ? [own] : []), ...(await assessTrust(deps.trustSources ?? [], subject))];
  if (findings.length === 0) {
    const detail =
      subject.issuerId === undefined
        ? "the credential names no issuer id; no trust source applies"
        : `no trust source knows ${subject.issuerId}`;
    return check("trust", "skipped", detail);
  }
  const summary = summariseTrust(findings);
  return { ...check("trust", summary.status, summary.detail), findings: summary.findings };
}

/** What the trust sources see: the issuer, the verifying keys or seal chain, the awarding bodies. */
async function trustSubjectOf(parsed: Parsed, facts: ProofFacts, read: ReadResult | undefined): Promise<TrustSubject> {
  const thumbprints: string[] = [];
  for (const key of facts.keys) {
    try {
      thumbprints.push(await calculateJwkThumbprint(key.jwk as JWK, "sha256"));
    } catch {
      // A key jose cannot thumbprint is simply not matched by thumbprint.
    }
  }
  const issuerId = idOf(parsed.credential.issuer);
  const method = facts.methods?.[0];
  return {
    ...(issuerId !== undefined ? { issuerId } : {}),
    ...(method !== undefined ? { verificationMethod: method } : {}),
    ...(facts.chain ? { certificateChain: facts.chain } : {}),
    ...(facts.extraCertificates?.length ? { extraCertificates: facts.extraCertificates } : {}),
    ...(facts.signingTime ? { signingTime: facts.signingTime } : {}),
    ...(facts.signatureTimestamps?.length ? { signatureTimestamps: facts.signatureTimestamps } : {}),
    ...(thumbprints.length > 0 ? { keyThumbprints: thumbprints } : {}),
    awardingBodies: awardingBodiesOf(read),
    proofVerified: facts.ok,
  };
}

/** The awarding bodies the credential names (ELM awardingBody, OB3: the issuer profile), as trust sources see them. */
function awardingBodiesOf(read: ReadResult | undefined): TrustSubject["awardingBodies"] {
  if (!read?.ok) return [];
  const credential = read.value[0] as CanonicalCredential | undefined;
  if (!credential) return [];
  const organisations = credential.claims.flatMap((c) => c.awardingBodies);
  if (organisations.length === 0 && credential.issuer) organisations.push(credential.issuer);
  const seen = new Set<string>();
  const out: TrustSubject["awardingBodies"] = [];
  for (const org of organisations) {
    const body = bodyOf(org);
    const key = JSON.stringify(body);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(body);
  }
  return out;
}

function bodyOf(org: Organisation): TrustSubject["awardingBodies"][number] {
  const legal = org.identifiers.find((i) => ["legal", "eidas", "registration", "vat", "national"].includes(i.kind));
  const schac = org.identifiers.find((i) => i.scheme?.toUpperCase() === "SCHAC");
  const name = org.legalName.en ?? Object.values(org.legalName)[0];
  const country = legal?.country ?? org.locations.find((l) => l.address?.country)?.address?.country;
  return {
    ...(org.id !== undefined ? { id: org.id } : {}),
    ...(legal ? { legalIdentifier: legal.value } : {}),
    ...(schac ? { schac: schac.value } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(country !== undefined ? { country } : {}),
  };
}

/** The built-in finding: the credential is by one of this gateway's registered issuers, verified with its keys. */
async function gatewayFinding(
  deps: VerifyDeps,
  parsed: Parsed,
  facts: ProofFacts,
  warnings: string[],
): Promise<TrustFinding | undefined> {
  const finding = (status: TrustFinding["status"], detail: string): TrustFinding => ({
    source: "gateway",
    status,
    detail,
  });
  if (parsed.kind === "jades") {
    const certificate = facts.certificate;
    if (!certificate) return finding("skipped", "no seal certificate to assess");
    const qualified = isQualified(certificate);
    if (!qualified) {
      warnings.push(
        "the seal certificate is not a qualified certificate for eSeal (no QcCompliance statement): a test seal, on no EU trusted list",
      );
    }
    const base64 = certificateBase64(certificate);
    const issuer = deps.store.findIssuerByCertificate
      ? await deps.store.findIssuerByCertificate(base64)
      : await findIssuer(deps.store, (i) => i.certificates?.some((c) => c.chain[0] === base64) ?? false);
    if (issuer && facts.ok) {
      return finding(
        "ok",
        `issued by a registered issuer of this gateway (${issuer.name}, ${issuer.id}); the seal certificate is ${qualified ? "qualified" : "not qualified"}`,
      );
    }
    return finding(
      "skipped",
      qualified
        ? "the seal certificate says it is a qualified certificate for eSeal (QcCompliance); only a trusted list can confirm it"
        : "the seal certificate is not a qualified certificate for eSeal",
    );
  }
  const issuerId = idOf(parsed.credential.issuer);
  if (issuerId === undefined) return undefined;
  let issuer: IssuerRecord | undefined;
  if (issuerId.startsWith("did:web:")) issuer = await gatewayIssuerOf(deps, issuerId);
  else if (issuerId.startsWith("did:key:")) {
    issuer = deps.store.findIssuerByDid
      ? await deps.store.findIssuerByDid(issuerId)
      : await findIssuer(deps.store, (i) => i.id === issuerId);
  }
  if (!issuer) return undefined;
  const ownKey =
    facts.keys.length > 0 && facts.keys.every((k) => k.controller === issuer.id || k.issuer?.id === issuer.id);
  if (!facts.ok || !ownKey) {
    return finding(
      "skipped",
      `the credential names ${issuer.id}, a registered issuer of this gateway, but is not verified with its keys`,
    );
  }
  const keyIds = issuer.keys.map((k) => verificationMethodId(issuer, k));
  return finding(
    "ok",
    `issued by a registered issuer of this gateway (${issuer.name}, ${issuer.id}; keys ${keyIds.join(", ")})`,
  );
}

/** A registered issuer matching `test`, looking at the first {@link ISSUER_SCAN_LIMIT}: the fallback for stores without indexes. */
async function findIssuer(
  store: Pick<CredentialStore, "listIssuers">,
  test: (issuer: IssuerRecord) => boolean,
): Promise<IssuerRecord | undefined> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await store.listIssuers({ limit: 100, ...(cursor ? { cursor } : {}) });
    const found = page.items.find(test);
    if (found) return found;
    seen += page.items.length;
    cursor = page.cursor;
  } while (cursor && seen < ISSUER_SCAN_LIMIT);
  return undefined;
}
