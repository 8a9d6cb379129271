/**
 * Verification of an SD-JWT VC (`dc+sd-jwt`), with or without a Key Binding JWT: the issuer's key from its JWT VC
 * Issuer Metadata (this gateway's issuers from the store; others over outbound HTTP when it is on), every disclosure
 * (RFC 9901 §7.1, `proofs/sd-jwt-vc.ts`), the validity window, the Token Status List entry, the `vct` type metadata
 * and the trust sources. The answer lists the claims the holder disclosed, so a verifier sees exactly what was shown.
 */
import { calculateJwkThumbprint, type JWK } from "jose";
import { isRecord } from "../../../lib/guards.js";
import { MICRO_CREDENTIAL_CLAIMS, microCredentialTypeMetadata } from "../../../mappings/sd-jwt-vc/type-metadata.js";
import { GatewayError } from "../../kernel/errors.js";
import type { Clock, CredentialStore, OutboundHttp, StatusListStore } from "../../kernel/ports/index.js";
import { splitSdJwt, type VerifiedSdJwtVc, verifySdJwtVc } from "../../proofs/sd-jwt-vc.js";
import { httpsIssuerId, jwtVcIssuerMetadata, jwtVcIssuerMetadataUrl } from "../issue/sd-jwt-vc.js";
import { getBit } from "../status/bitstring.js";
import { ownTokenListIdOf } from "../status/token-status-list.js";
import { assessTrust, summariseTrust, type TrustFinding, type TrustSource } from "../trust/trust.js";

export interface SdJwtVcVerifyDeps {
  store: Pick<CredentialStore, "getIssuer">;
  clock: Clock;
  publicUrl: string;
  statusLists?: Pick<StatusListStore, "getList">;
  http?: OutboundHttp;
  trustSources?: readonly TrustSource[];
}

/** A Key Binding JWT's expected `nonce` and `aud` (VC API `challenge` / `domain`, or an OpenID4VP request's). */
export interface KeyBindingExpectation {
  nonce?: string;
  aud?: string;
}

export interface SdJwtVcCheck {
  check: "format" | "proof" | "expiry" | "status" | "trust" | "microCredential";
  status: "ok" | "error" | "skipped";
  detail: string;
  findings?: TrustFinding[];
}

export interface SdJwtVcReport {
  checks: SdJwtVcCheck[];
  warnings: string[];
  /** What was verified: absent when the signature or a disclosure failed (nothing can be said then). */
  sdJwtVc?: {
    iss: string;
    vct: string;
    /** Names (claims path pointers, joined by `.`) of the claims the holder disclosed. */
    disclosed: string[];
    /** The disclosed claims and the always-visible ones (digests removed). */
    claims: Record<string, unknown>;
    keyBinding: boolean;
  };
  /** The issuer as the credential names it, for the verdict. */
  issuer: { id?: string; name?: string; country?: string };
}

/** True for a string that looks like an SD-JWT (`<jws>~…~[kb]`): the verify route dispatches on it. */
export function looksLikeSdJwt(value: unknown): value is string {
  if (typeof value !== "string" || !value.includes("~")) return false;
  const first = value.trim().split("~")[0] ?? "";
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(first);
}

const check = (name: SdJwtVcCheck["check"], status: SdJwtVcCheck["status"], detail: string): SdJwtVcCheck => ({
  check: name,
  status,
  detail,
});

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The slug of one of this gateway's HTTPS issuer ids, else undefined. */
function ownSlugOf(iss: string, publicUrl: string): string | undefined {
  const prefix = `${publicUrl.replace(/\/+$/, "")}/issuers/`;
  if (!iss.startsWith(prefix)) return undefined;
  const rest = iss.slice(prefix.length);
  return rest !== "" && !/[/?#]/.test(rest) ? decodeURIComponent(rest) : undefined;
}

/** The issuer's JWKS from its JWT VC Issuer Metadata: the store for this gateway's issuers, else outbound HTTP. */
async function metadataKeys(deps: SdJwtVcVerifyDeps, iss: string, warnings: string[]) {
  const slug = ownSlugOf(iss, deps.publicUrl);
  if (slug !== undefined) {
    const issuer = await deps.store.getIssuer(slug);
    if (!issuer) return { keys: [] as JWK[], own: undefined };
    return { keys: jwtVcIssuerMetadata(issuer, deps.publicUrl).jwks.keys as JWK[], own: issuer };
  }
  if (!deps.http) {
    throw new GatewayError(
      "unprocessable",
      `${iss} is not an issuer of this gateway and outbound HTTP is off: its JWT VC Issuer Metadata cannot be read`,
    );
  }
  if (!iss.startsWith("https://")) throw new GatewayError("unprocessable", `iss ${iss} is not an HTTPS URL`);
  const metadata = await deps.http.fetchJson(jwtVcIssuerMetadataUrl(iss));
  if (!isRecord(metadata) || metadata.issuer !== iss) {
    throw new GatewayError("unprocessable", "the JWT VC Issuer Metadata's issuer is not the credential's iss");
  }
  if (metadata.jwks_uri !== undefined) warnings.push("jwks_uri in JWT VC Issuer Metadata is not followed; jwks only");
  const jwks = metadata.jwks;
  const keys = isRecord(jwks) && Array.isArray(jwks.keys) ? (jwks.keys.filter(isRecord) as JWK[]) : [];
  return { keys, own: undefined };
}

/**
 * Verifies an SD-JWT VC. `keyBinding` given: a Key Binding JWT with that nonce and audience is required. Never
 * throws for a bad credential: each failure is a check in error.
 */
export async function verifySdJwtVcCredential(
  deps: SdJwtVcVerifyDeps,
  compact: string,
  keyBinding?: KeyBindingExpectation,
): Promise<SdJwtVcReport> {
  const warnings: string[] = [];
  const now = deps.clock.now();
  let own: Awaited<ReturnType<typeof metadataKeys>>["own"];
  let verified: VerifiedSdJwtVc;
  let kid: string | undefined;
  try {
    splitSdJwt(compact);
    verified = await verifySdJwtVc(compact, {
      now,
      ...(keyBinding ? { keyBinding } : {}),
      // Validity is its own check below, so that an expired credential still reports what it holds.
      skewSeconds: Number.POSITIVE_INFINITY,
      issuerKey: async (iss, headerKid) => {
        const found = await metadataKeys(deps, iss, warnings);
        own = found.own;
        kid = headerKid;
        return headerKid === undefined
          ? found.keys.length === 1
            ? found.keys[0]
            : undefined
          : found.keys.find((k) => k.kid === headerKid);
      },
    });
  } catch (error) {
    const detail = messageOf(error);
    const formatBroken = /compact JWS|no `~`|typ|base64url JSON|not a JSON object/.test(detail);
    return {
      checks: [
        check("format", formatBroken ? "error" : "ok", formatBroken ? detail : "SD-JWT VC (dc+sd-jwt)"),
        check("proof", "error", detail),
      ],
      warnings,
      issuer: {},
    };
  }
  const { payload, claims, disclosed } = verified;
  const iss = payload.iss as string;
  const vct = payload.vct as string;
  const checks: SdJwtVcCheck[] = [
    check("format", "ok", `SD-JWT VC (${String(verified.header.typ)}), vct ${vct}`),
    check(
      "proof",
      "ok",
      `ES256 signature of ${iss} verified with its JWT VC Issuer Metadata key ${kid ?? "(the only one)"}; ` +
        `${disclosed.length} disclosure(s) match their digests` +
        (verified.keyBinding
          ? "; Key Binding JWT signed by cnf.jwk over these disclosures" +
            (keyBinding ? ", with the expected nonce and audience" : "")
          : ""),
    ),
    checkValidity(payload, now),
    await checkStatus(deps, payload, own?.slug, warnings),
    await checkTrust(deps, iss, own, verified),
    checkType(deps.publicUrl, vct, payload, disclosed),
  ];
  const awarding = Array.isArray(claims.awarding_body) ? claims.awarding_body.find(isRecord) : undefined;
  return {
    checks,
    warnings,
    sdJwtVc: {
      iss,
      vct,
      disclosed: disclosed.map((p) => p.join(".")),
      claims: Object.fromEntries(Object.entries(claims).filter(([k]) => k !== "_sd_alg")),
      keyBinding: verified.keyBinding !== undefined,
    },
    issuer: {
      id: iss,
      ...(own ? { name: own.name, country: own.country } : {}),
      ...(!own && typeof awarding?.name === "string" ? { name: awarding.name } : {}),
    },
  };
}

function checkValidity(payload: Record<string, unknown>, now: Date): SdJwtVcCheck {
  const seconds = Math.floor(now.getTime() / 1000);
  const at = (n: number) => new Date(n * 1000).toISOString();
  if (typeof payload.nbf === "number" && payload.nbf > seconds) {
    return check("expiry", "error", `not valid before ${at(payload.nbf)} (nbf)`);
  }
  if (typeof payload.exp === "number" && payload.exp <= seconds) {
    return check("expiry", "error", `expired at ${at(payload.exp)} (exp)`);
  }
  if (payload.exp === undefined) return check("expiry", "ok", "no expiry (exp)");
  return check("expiry", "ok", `valid until ${at(payload.exp as number)}`);
}

async function checkStatus(
  deps: SdJwtVcVerifyDeps,
  payload: Record<string, unknown>,
  ownSlug: string | undefined,
  warnings: string[],
): Promise<SdJwtVcCheck> {
  const status = payload.status;
  if (status === undefined) return check("status", "skipped", "no status (the credential cannot be revoked)");
  const ref = isRecord(status) && isRecord(status.status_list) ? status.status_list : undefined;
  if (!ref) return check("status", "error", "status has no status_list reference");
  const { idx, uri } = ref;
  if (typeof idx !== "number" || !Number.isSafeInteger(idx) || idx < 0 || typeof uri !== "string") {
    return check("status", "error", "status_list needs a non-negative integer idx and a uri");
  }
  const listId = ownTokenListIdOf(uri, deps.publicUrl);
  if (listId === undefined || !deps.statusLists) {
    // A foreign Status List Token is a JWT (application/statuslist+jwt), which outbound HTTP here does not fetch.
    warnings.push(`the Token Status List at ${uri} is not one of this gateway's and was not fetched`);
    return check("status", "skipped", `status list ${uri} not checked (not this gateway's)`);
  }
  const list = await deps.statusLists.getList(listId);
  if (list?.purpose !== "revocation") return check("status", "error", `no status list at ${uri}`);
  if (ownSlug !== undefined && list.issuerSlug !== ownSlug) {
    return check("status", "error", "the status list is not the credential issuer's");
  }
  if (idx >= list.bits.length * 8) {
    return check("status", "error", `idx ${idx} is outside the status list (${list.bits.length * 8} entries)`);
  }
  return getBit(list.bits, idx)
    ? check("status", "error", `revoked (Token Status List ${uri}, idx ${idx}: INVALID)`)
    : check("status", "ok", `not revoked (Token Status List ${uri}, idx ${idx}: VALID)`);
}

async function checkTrust(
  deps: SdJwtVcVerifyDeps,
  iss: string,
  own: Awaited<ReturnType<typeof metadataKeys>>["own"],
  verified: VerifiedSdJwtVc,
): Promise<SdJwtVcCheck> {
  const findings: TrustFinding[] = [];
  if (own) {
    findings.push({
      source: "gateway",
      status: "ok",
      detail: `issued by a registered issuer of this gateway (${own.name}, ${httpsIssuerId(deps.publicUrl, own.slug)})`,
    });
  }
  const kid = typeof verified.header.kid === "string" ? verified.header.kid : undefined;
  const jwk = own?.keys.find((k) => kid?.endsWith(`#${k.fragment}`))?.publicJwk;
  const awarding = Array.isArray(verified.claims.awarding_body) ? verified.claims.awarding_body.filter(isRecord) : [];
  findings.push(
    ...(await assessTrust(deps.trustSources ?? [], {
      issuerId: own?.id ?? iss,
      ...(kid ? { verificationMethod: kid } : {}),
      ...(jwk ? { keyThumbprints: [await calculateJwkThumbprint(jwk as JWK)] } : {}),
      awardingBodies: awarding.map((a) => ({
        ...(typeof a.id === "string" ? { id: a.id } : {}),
        ...(typeof a.name === "string" ? { name: a.name } : {}),
        ...(typeof a.country === "string" ? { country: a.country } : {}),
      })),
      proofVerified: true,
    })),
  );
  if (findings.length === 0) return check("trust", "skipped", `no trust source knows ${iss}`);
  const summary = summariseTrust(findings);
  return { ...check("trust", summary.status, summary.detail), findings: summary.findings };
}

/**
 * The `vct` type metadata (SD-JWT VC §4.6–4.7): for the gateway's micro-credential type, claims marked `sd: always`
 * must be disclosures, never plain payload claims, and every disclosed top-level claim must be one the type
 * defines. Other types' metadata is not fetched.
 */
function checkType(
  publicUrl: string,
  vct: string,
  payload: Record<string, unknown>,
  disclosed: (string | number)[][],
): SdJwtVcCheck {
  const metadata = microCredentialTypeMetadata(publicUrl);
  if (vct !== metadata.vct) return check("microCredential", "skipped", `type metadata of ${vct} not fetched`);
  const always = metadata.claims.filter((c) => c.sd === "always").map((c) => c.path[0] as string);
  const plain = always.filter((name) => name in payload);
  if (plain.length > 0) {
    return check(
      "microCredential",
      "error",
      `claims the type says are always disclosable are plain: ${plain.join(", ")}`,
    );
  }
  const unknown = disclosed
    // A claim in another language is the defined claim's name with `#` and a language tag (OpenID Connect Core §5.2).
    .filter((p) => p.length === 1 && !MICRO_CREDENTIAL_CLAIMS.includes(String(p[0]).replace(/#[A-Za-z0-9-]+$/, "")))
    .map((p) => String(p[0]));
  if (unknown.length > 0) {
    return check("microCredential", "error", `claims the type does not define: ${unknown.join(", ")}`);
  }
  return check("microCredential", "ok", `claims conform to the type metadata of ${vct}`);
}
