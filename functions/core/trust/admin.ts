/**
 * Administering the trust registry (admin token only): configured trusted issuers and keys, roots the admin trusts
 * directly, and EU trusted-list snapshots (the LOTL and national lists, one document per request). Request shapes are
 * validated by the route schemas; this module checks what a schema cannot (XML that is a trusted list, certificates
 * that parse) and names the field at fault.
 */

import { GatewayError } from "../../kernel/errors.js";
import type {
  Clock,
  TrustAnchorRecord,
  TrustedIssuerRecord,
  TrustListRecord,
  TrustStore,
} from "../../kernel/ports/index.js";
import { parseCertificate, subjectKey } from "../../proofs/x509.js";
import { parseTrustedList, type TrustedList, TrustedListError } from "./trusted-list.js";

export interface TrustAdminDeps {
  trust: TrustStore;
  clock: Clock;
  /** Trusted issuers from `GATEWAY_TRUSTED_ISSUERS`, shown alongside the stored ones. */
  configured?: readonly TrustedIssuerRecord[];
}

/** What `GET /v1/admin/trust` answers. */
export interface TrustRegistryView {
  trustedIssuers: { configured: TrustedIssuerRecord[]; stored: TrustedIssuerRecord[] };
  lists: TrustListRecord[];
}

/** Largest JSON size of the stored trusted issuers: one DynamoDB item holds them (400 KB at most). */
export const MAX_TRUSTED_ISSUERS_BYTES = 300_000;

/** Source name of the roots configured by the admin (not from a trusted list). */
export const CONFIGURED_ROOTS_SOURCE = "configured";

/** The registry as stored, with the environment's trusted issuers. */
export async function getTrustRegistry(deps: TrustAdminDeps): Promise<TrustRegistryView> {
  return {
    trustedIssuers: { configured: [...(deps.configured ?? [])], stored: await deps.trust.getTrustedIssuers() },
    lists: await deps.trust.listTrustLists(),
  };
}

/** Replaces the stored trusted issuers; each entry needs at least one identifier. */
export async function putTrustedIssuers(
  deps: TrustAdminDeps,
  input: { issuers: TrustedIssuerRecord[] },
): Promise<TrustRegistryView> {
  const issues = input.issuers.flatMap((entry, i) =>
    entry.id === undefined && entry.verificationMethod === undefined && entry.jwkThumbprint === undefined
      ? [{ pointer: `/body/issuers/${i}`, detail: "needs an id, a verificationMethod or a jwkThumbprint" }]
      : [],
  );
  if (issues.length > 0) throw new GatewayError("validation-failed", "a trusted issuer names nothing to trust", issues);
  const entries = input.issuers.map(clean);
  if (Buffer.byteLength(JSON.stringify(entries)) > MAX_TRUSTED_ISSUERS_BYTES) {
    const detail = `the trusted issuers take more than ${MAX_TRUSTED_ISSUERS_BYTES} bytes (they are stored as one item)`;
    throw new GatewayError("limit-exceeded", detail, [{ pointer: "/body/issuers", detail }]);
  }
  await deps.trust.putTrustedIssuers(entries);
  return getTrustRegistry(deps);
}

/** Replaces the roots the admin trusts directly (PEM or base64 DER CA certificates). */
export async function putTrustedRoots(
  deps: TrustAdminDeps,
  input: { certificates: string[] },
): Promise<TrustListRecord> {
  const anchors: TrustAnchorRecord[] = input.certificates.map((text, i) => {
    try {
      const cert = parseCertificate(text);
      return {
        certificate: Buffer.from(cert.rawData).toString("base64"),
        subjectKey: subjectKey(cert),
        subject: cert.subject,
        source: CONFIGURED_ROOTS_SOURCE,
      };
    } catch {
      const detail = "not a PEM or base64 DER X.509 certificate";
      throw new GatewayError("validation-failed", `certificate ${i} is ${detail}`, [
        { pointer: `/body/certificates/${i}`, detail },
      ]);
    }
  });
  const list: TrustListRecord = {
    source: CONFIGURED_ROOTS_SOURCE,
    kind: "configured",
    importedAt: deps.clock.now().toISOString(),
    anchorCount: anchors.length,
  };
  await deps.trust.replaceTrustList(list, anchors);
  return (await deps.trust.listTrustLists()).find((l) => l.source === CONFIGURED_ROOTS_SOURCE) ?? list;
}

/**
 * Imports one EU trusted list (a national TSL: its granted CA/QC service certificates become anchors) or the LOTL
 * (recorded for its pointers: which national lists exist). `territory` from the path must be the list's own
 * SchemeTerritory, so a list cannot be filed under another state. An older sequence number than the one stored is
 * refused (`conflict`): a snapshot must not roll the registry back by mistake.
 */
export async function importTrustedList(
  deps: TrustAdminDeps,
  territory: string,
  input: { xml: string },
): Promise<TrustListRecord & { skipped: TrustedList["skipped"] }> {
  let parsed: ReturnType<typeof parseTrustedList>;
  try {
    parsed = parseTrustedList(input.xml);
  } catch (error) {
    if (!(error instanceof TrustedListError)) throw error;
    throw new GatewayError("validation-failed", `not an ETSI TS 119 612 trusted list: ${error.message}`, [
      { pointer: "/body/xml", detail: error.message },
    ]);
  }
  if (parsed.territory !== territory) {
    const detail = `the list's SchemeTerritory is ${parsed.territory}, not ${territory}`;
    throw new GatewayError("validation-failed", detail, [{ pointer: "/path/territory", detail }]);
  }
  const source = `eu-tl:${parsed.territory}`;
  const existing = (await deps.trust.listTrustLists()).find((l) => l.source === source);
  if (
    existing?.sequenceNumber !== undefined &&
    parsed.sequenceNumber !== undefined &&
    parsed.sequenceNumber < existing.sequenceNumber
  ) {
    throw new GatewayError(
      "conflict",
      `the stored ${parsed.territory} list has sequence number ${existing.sequenceNumber}; this one (${parsed.sequenceNumber}) is older`,
      [{ pointer: "/body/xml", detail: "TSLSequenceNumber older than the stored list's" }],
    );
  }
  const list: TrustListRecord = {
    source,
    kind: parsed.kind,
    territory: parsed.territory,
    ...(parsed.sequenceNumber !== undefined ? { sequenceNumber: parsed.sequenceNumber } : {}),
    ...(parsed.issuedAt ? { issuedAt: parsed.issuedAt } : {}),
    ...(parsed.nextUpdate ? { nextUpdate: parsed.nextUpdate } : {}),
    importedAt: deps.clock.now().toISOString(),
    anchorCount: parsed.anchors.length,
    ...(parsed.kind === "lotl" ? { pointers: parsed.pointers } : {}),
  };
  const anchors = parsed.anchors.map((a) => ({ ...a, source }));
  await deps.trust.replaceTrustList(list, anchors);
  const stored = (await deps.trust.listTrustLists()).find((l) => l.source === source) ?? list;
  return { ...stored, skipped: parsed.skipped };
}

function clean(entry: TrustedIssuerRecord): TrustedIssuerRecord {
  return {
    ...(entry.id !== undefined ? { id: entry.id } : {}),
    ...(entry.verificationMethod !== undefined ? { verificationMethod: entry.verificationMethod } : {}),
    ...(entry.jwkThumbprint !== undefined ? { jwkThumbprint: entry.jwkThumbprint } : {}),
    ...(entry.name !== undefined ? { name: entry.name } : {}),
  };
}

/**
 * Parses `GATEWAY_TRUSTED_ISSUERS`: comma- or whitespace-separated entries, each a DID / URL (an issuer id), a DID
 * URL with a fragment (a verification method), or `jkt:{thumbprint}` (an RFC 7638 JWK thumbprint).
 */
export function parseTrustedIssuersEnv(value: string | undefined): TrustedIssuerRecord[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((item) => {
      if (item.startsWith("jkt:")) return { jwkThumbprint: item.slice(4) };
      if (item.includes("#")) return { verificationMethod: item };
      return { id: item };
    });
}
