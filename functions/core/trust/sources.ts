/**
 * The trust sources this gateway ships: configured trusted issuers (DIDs, key ids, JWK thumbprints, from
 * `GATEWAY_TRUSTED_ISSUERS` and the admin route) and certificate roots (imported EU trusted lists and roots the admin
 * configured), against which a JAdES seal's `x5c` chain is checked. Other sources (DEQAR) live with their owners.
 */
import type { X509Certificate } from "@peculiar/x509";
import type { Clock, TrustedIssuerRecord, TrustStore } from "../../kernel/ports/index.js";
import { chainToAnchor, parseCertificate, subjectKey } from "../../proofs/x509.js";
import type { TrustFinding, TrustSource, TrustSubject } from "./trust.js";

/** Name of the configured-issuers source in findings. */
export const TRUSTED_ISSUERS_SOURCE = "trusted-issuers";
/** Name of the certificate-roots source in findings. */
export const TRUSTED_LIST_SOURCE = "trusted-list";

/** Most intermediates taken from `x5c` and from `xVals` each: path building tries each one's signature. */
const MAX_POOL = 16;

/** A certificate from base64 DER, or undefined when it is not one (an unreadable intermediate is just not used). */
function readable(base64: string | undefined): X509Certificate | undefined {
  if (base64 === undefined) return undefined;
  try {
    return parseCertificate(base64);
  } catch {
    return undefined;
  }
}

/** The DID or URL a verification method belongs to (the part before `#`). */
const controllerOf = (methodId: string): string => methodId.split("#")[0] ?? methodId;

/**
 * Configured trusted issuers. A credential is vouched for when its proof verified and: its issuer is a configured
 * id and the key that verified belongs to that issuer (the method's DID/URL is the issuer); or the verifying method
 * or the key's JWK thumbprint is configured. Not being configured is `skipped`, not `error`: the list is an
 * allow-list of what the operator knows, not of everyone who may issue.
 */
export function trustedIssuersSource(deps: {
  configured: readonly TrustedIssuerRecord[];
  store?: Pick<TrustStore, "getTrustedIssuers">;
}): TrustSource {
  return {
    name: TRUSTED_ISSUERS_SOURCE,
    async assess(subject: TrustSubject): Promise<TrustFinding[]> {
      const entries = [...deps.configured, ...((await deps.store?.getTrustedIssuers()) ?? [])];
      if (entries.length === 0) return [];
      const finding = (status: TrustFinding["status"], detail: string): TrustFinding[] => [
        { source: TRUSTED_ISSUERS_SOURCE, status, detail },
      ];
      if (subject.proofVerified === false) return finding("skipped", "the proof did not verify");
      const method = subject.verificationMethod;
      const thumbprints = new Set(subject.keyThumbprints ?? []);
      const label = (e: TrustedIssuerRecord) => (e.name ? ` (${e.name})` : "");
      for (const entry of entries) {
        if (entry.verificationMethod !== undefined && entry.verificationMethod === method) {
          return finding("ok", `the verifying key ${method} is a configured trusted key${label(entry)}`);
        }
        if (entry.jwkThumbprint !== undefined && thumbprints.has(entry.jwkThumbprint)) {
          return finding("ok", `the verifying key (JWK thumbprint ${entry.jwkThumbprint}) is trusted${label(entry)}`);
        }
        if (
          entry.id !== undefined &&
          entry.id === subject.issuerId &&
          method !== undefined &&
          controllerOf(method) === entry.id
        ) {
          return finding("ok", `the issuer ${entry.id} is a configured trusted issuer${label(entry)}, key ${method}`);
        }
      }
      return finding(
        "skipped",
        `${subject.issuerId ?? "the issuer"} is not among the ${entries.length} configured trusted issuers and keys`,
      );
    },
  };
}

/**
 * The time at which a seal's certificate chain is checked, and a phrase saying why. The signer's own `sigT` is never
 * used: anyone holding an expired (or not yet valid) seal key could backdate it. A signature time-stamp (`sigTst`)
 * proves the signature existed at its `genTime`, but only when its TSA is trusted: its certificate must itself chain
 * to a trust anchor, valid at that `genTime` (else a forger would mint a TSA certificate and a token with it). The
 * earliest such time is used; with none, the verification time (now).
 */
async function certificateTime(
  subject: TrustSubject,
  findAnchors: (key: string) => Promise<X509Certificate[]>,
  now: Date,
): Promise<{ when: Date; basis: string }> {
  const stamps = [...(subject.signatureTimestamps ?? [])]
    .map((t) => ({ ...t, at: new Date(t.time) }))
    .filter((t) => !Number.isNaN(t.at.getTime()) && t.at <= now)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  let untrusted = 0;
  for (const stamp of stamps.slice(0, MAX_POOL)) {
    const tsa = readable(stamp.tsaCertificate);
    if (!tsa) {
      untrusted++;
      continue;
    }
    const pool = (stamp.tsaCertificates ?? []).slice(0, MAX_POOL).flatMap((c) => readable(c) ?? []);
    const chained = await chainToAnchor(tsa, pool, findAnchors, stamp.at);
    if (chained.ok) {
      return { when: stamp.at, basis: `the time proven by the signature time-stamp of "${tsa.subject}"` };
    }
    untrusted++;
  }
  const why =
    untrusted > 0
      ? `no signature time-stamp from a trusted TSA (${untrusted} time-stamp${untrusted === 1 ? "" : "s"} whose TSA is not on a trusted list)`
      : "no verified signature time-stamp";
  return { when: now, basis: `the verification time: ${why}; the signer's claimed sigT is not relied on` };
}

/**
 * Certificate roots: the seal certificate chain (`x5c`, plus `xVals`) must reach a trust anchor of an imported
 * trusted list or a configured root, every certificate valid at the time proven by a trusted signature time-stamp,
 * else at the verification time (never at the signer's own `sigT`: see {@link certificateTime}). A chain that reaches
 * none is `error` "not on a trusted list", naming the certificate subject; with no list imported and no root
 * configured it is `skipped` (the gateway has no basis for a verdict).
 */
export function certificateRootsSource(deps: {
  store: Pick<TrustStore, "findTrustAnchors" | "listTrustLists">;
  clock: Clock;
}): TrustSource {
  return {
    name: TRUSTED_LIST_SOURCE,
    async assess(subject: TrustSubject): Promise<TrustFinding[]> {
      const chain = subject.certificateChain ?? [];
      const finding = (status: TrustFinding["status"], detail: string): TrustFinding[] => [
        { source: TRUSTED_LIST_SOURCE, status, detail },
      ];
      if (chain.length === 0) return [];
      const leaf = readable(chain[0]);
      if (!leaf) return finding("error", "not on a trusted list: the seal certificate (x5c[0]) cannot be read");
      const rest = chain.slice(1, 1 + MAX_POOL).flatMap((c) => readable(c) ?? []);
      const lists = (await deps.store.listTrustLists()).filter((l) => l.kind !== "lotl");
      const anchorsKnown = lists.reduce((n, l) => n + l.anchorCount, 0);
      if (anchorsKnown === 0) {
        return finding(
          "skipped",
          `no trusted list imported and no root configured, so the chain of "${leaf.subject}" is not checked`,
        );
      }
      const extra = (subject.extraCertificates ?? []).slice(0, MAX_POOL).flatMap((c) => readable(c) ?? []);
      const cache = new Map<string, X509Certificate[]>();
      const findAnchors = async (key: string): Promise<X509Certificate[]> => {
        const cached = cache.get(key);
        if (cached) return cached;
        const found = (await deps.store.findTrustAnchors(key)).map((a) => parseCertificate(a.certificate));
        cache.set(key, found);
        return found;
      };
      const { when, basis } = await certificateTime(subject, findAnchors, deps.clock.now());
      const result = await chainToAnchor(leaf, [...rest, ...extra], findAnchors, when);
      const where = `${lists.length} list${lists.length === 1 ? "" : "s"}, ${anchorsKnown} trusted CA certificates`;
      if (!result.ok) {
        return finding(
          "error",
          `not on a trusted list: the seal certificate "${leaf.subject}": ${result.reason} (${where}; checked at ${basis})`,
        );
      }
      // The chain is public (it rides in every seal): it vouches for no one unless the signature made with its key
      // verified.
      if (subject.proofVerified === false) return finding("skipped", "the proof did not verify");
      const anchorRecord = (await deps.store.findTrustAnchors(subjectKey(result.anchor))).find(
        (a) => a.certificate === Buffer.from(result.anchor.rawData).toString("base64"),
      );
      const from = anchorRecord
        ? `${anchorRecord.source}${anchorRecord.tspName ? `, ${anchorRecord.tspName}` : ""}${anchorRecord.serviceName ? ` / ${anchorRecord.serviceName}` : ""}`
        : "a trusted list";
      return finding(
        "ok",
        `the seal certificate "${leaf.subject}" chains to "${result.anchor.subject}" (${from}); ${result.path.length} certificate${result.path.length === 1 ? "" : "s"} checked at ${when.toISOString()} (${basis})`,
      );
    },
  };
}
