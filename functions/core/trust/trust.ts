/**
 * Trust evaluation for verification: who issued a credential, and whether a configured source of trust (trusted
 * issuers/keys, certificate roots such as an imported EU trusted list, DEQAR, ...) vouches for them. Pure: sources
 * are built by the composition root from ports and configuration, and handed to the verify use case as
 * `trustSources`.
 *
 * Summary rule ({@link summariseTrust}): the `trust` check is `ok` when a source vouches for the *signer* (an `ok`
 * finding of scope `signer`); otherwise `error` when a source positively says the signer is not trusted (a test
 * seal whose chain reaches no trusted root); otherwise `skipped`. Findings of scope `claims` (an awarding body is a
 * registered institution) are reported in the detail but never make the check `ok` on their own: anyone can name a
 * registered institution in a credential they sign themselves.
 */

/** Who a credential says issued/awarded it, as the trust check sees it. */
export interface TrustSubject {
  /** Issuer DID / URL. */
  issuerId?: string;
  /** The key id that verified, if any. */
  verificationMethod?: string;
  /** JAdES x5c, base64 DER, leaf first. */
  certificateChain?: string[];
  awardingBodies: { id?: string; legalIdentifier?: string; schac?: string; name?: string; country?: string }[];
  /** RFC 7638 JWK thumbprints (base64url SHA-256) of the keys that verified the proof. */
  keyThumbprints?: string[];
  /** Extra certificates the signature carries besides `certificateChain` (JAdES `etsiU` `xVals`), base64 DER. */
  extraCertificates?: string[];
  /**
   * When the signature claims to have been made (JAdES `sigT`), ISO 8601. The signer sets it, so it is reported but
   * never used to check certificate validity (a holder of an expired key could backdate it).
   */
  signingTime?: string;
  /**
   * The signature time-stamps (JAdES `sigTst`) whose imprint and TSA signature verified: `time` is the TSA's
   * `genTime`; the TSA certificate (and the token's other certificates) let a trust source decide whether the TSA is
   * trusted, and so whether `time` is proven.
   */
  signatureTimestamps?: { time: string; tsa?: string; tsaCertificate?: string; tsaCertificates?: string[] }[];
  /** Whether the proof verified: a source must not vouch for a signer whose signature failed. */
  proofVerified?: boolean;
}

/** One source's verdict on a subject. */
export interface TrustFinding {
  source: string;
  status: "ok" | "error" | "skipped";
  detail: string;
  /**
   * What the finding vouches for: `signer` (default): who signed (a trusted DID, key or certificate root);
   * `claims`: only what the credential says (an awarding body is a registered institution).
   */
  scope?: "signer" | "claims";
}

/** One source of trust (configured trusted issuers/keys, certificate roots / EU trusted list, DEQAR registry, ...). */
export interface TrustSource {
  readonly name: string;
  assess(subject: TrustSubject): Promise<TrustFinding[]>;
}

/** The `trust` check as the verify use case reports it. */
export interface TrustSummary {
  status: "ok" | "error" | "skipped";
  detail: string;
  findings: TrustFinding[];
}

/**
 * Runs every source on the subject and summarises (see the module comment for the rule). A source that throws is a
 * `skipped` finding saying so: an unreachable registry must not turn into a verdict either way.
 */
export async function assessTrust(sources: readonly TrustSource[], subject: TrustSubject): Promise<TrustFinding[]> {
  const findings: TrustFinding[] = [];
  for (const source of sources) {
    try {
      findings.push(...(await source.assess(subject)));
    } catch (error) {
      findings.push({
        source: source.name,
        status: "skipped",
        detail: `could not be consulted: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return findings;
}

/** The `trust` check from findings: ok when the signer is vouched for, else error when distrusted, else skipped. */
export function summariseTrust(findings: readonly TrustFinding[]): TrustSummary {
  const line = (f: TrustFinding) => `${f.detail} [${f.source}${f.status === "ok" ? "" : `: ${f.status}`}]`;
  const signer = findings.filter((f) => (f.scope ?? "signer") === "signer");
  const ok = signer.filter((f) => f.status === "ok");
  const errors = signer.filter((f) => f.status === "error");
  const rest = findings.filter((f) => !ok.includes(f) && !errors.includes(f));
  if (ok.length > 0) {
    const others = findings.filter((f) => !ok.includes(f));
    return { status: "ok", detail: [...ok, ...others].map(line).join("; "), findings: [...findings] };
  }
  if (errors.length > 0) {
    return { status: "error", detail: [...errors, ...rest].map(line).join("; "), findings: [...findings] };
  }
  const detail = findings.length === 0 ? "no trust source applies" : findings.map(line).join("; ");
  return { status: "skipped", detail, findings: [...findings] };
}
