/**
 * Issuance of a European micro-credential as an SD-JWT VC (`dc+sd-jwt`) for EU Digital Identity Wallets: the input
 * (ELM, OB 3.0, anything a reader accepts) is read into the canonical model, its Annex I elements become claims
 * (`mappings/sd-jwt-vc/claims.ts`), each selectively disclosable, and the issuer signs with its P-256 key (ES256).
 * `iss` is the issuer's HTTPS identifier, whose JWT VC Issuer Metadata the gateway serves; `vct` the type the
 * gateway serves its Type Metadata at; the status is an IETF Token Status List entry over the issuer's revocation
 * list (the same bits the revoke route sets).
 */
import { randomUUID } from "node:crypto";
import { microCredentialClaims } from "../../../mappings/sd-jwt-vc/claims.js";
import { microCredentialVct } from "../../../mappings/sd-jwt-vc/type-metadata.js";
import { GatewayError } from "../../kernel/errors.js";
import type { JsonLimits } from "../../kernel/json.js";
import type {
  Clock,
  IssuerKey,
  IssuerRecord,
  Signer,
  StatusListStore,
  StatusPurpose,
} from "../../kernel/ports/index.js";
import { signSdJwtVc } from "../../proofs/sd-jwt-vc.js";
import { readDocuments } from "../convert/documents.js";
import { verificationMethodId } from "../issuers/did.js";
import { issuerSigner } from "../issuers/signer.js";
import { httpsIssuerId, x5cNaming } from "../issuers/x5c.js";
import { tokenStatusListUrl } from "../status/token-status-list.js";

/** What SD-JWT VC issuance needs of the issue use case's dependencies. */
export interface SdJwtVcIssueDeps {
  signer: Signer;
  clock: Clock;
  publicUrl: string;
  limits: JsonLimits;
  statusLists?: StatusListStore;
}

export interface SdJwtVcIssueInput {
  credential: Record<string, unknown>;
  options?: { status?: boolean; suspension?: boolean; holderKey?: unknown };
}

export { httpsIssuerId };

/**
 * Where JWT VC Issuer Metadata of an `iss` lives: `/.well-known/jwt-vc-issuer` inserted between the host and the
 * path (SD-JWT VC §3.1, trailing `/` removed).
 */
export function jwtVcIssuerMetadataUrl(iss: string): string {
  const url = new URL(iss);
  return `${url.origin}/.well-known/jwt-vc-issuer${url.pathname.replace(/\/+$/, "")}`;
}

/** `{issuer, jwks}` for the issuer's JWT VC Issuer Metadata: its P-256 keys, by the `kid` its SD-JWT VCs name. */
export function jwtVcIssuerMetadata(issuer: IssuerRecord, publicUrl: string) {
  return {
    issuer: httpsIssuerId(publicUrl, issuer.slug),
    jwks: {
      keys: issuer.keys
        .filter((k) => k.algorithms.includes("ES256"))
        .map((k) => ({ ...k.publicJwk, kid: verificationMethodId(issuer, k), alg: "ES256", use: "sig" })),
    },
  };
}

const fail = (pointer: string, detail: string) => new GatewayError("unprocessable", detail, [{ pointer, detail }]);

function es256Key(issuer: IssuerRecord): IssuerKey {
  const key = issuer.keys.findLast((k) => k.algorithms.includes("ES256") && k.type === "P-256");
  if (!key) {
    throw fail(
      "/body/options/format",
      "the issuer has no P-256 key, which an SD-JWT VC is signed with (ES256): rotate one in with type P-256",
    );
  }
  return key;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The holder's public key for `cnf` (RFC 7800 `jwk`): an EC P-256 or OKP Ed25519 public JWK, no private part. */
function holderJwk(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const pointer = "/body/options/holderKey";
  if (!isObject(value)) throw fail(pointer, "a public JWK object");
  if ("d" in value) throw fail(pointer, "a public JWK: it has a private part (`d`)");
  if (value.kty === "EC" && value.crv === "P-256" && typeof value.x === "string" && typeof value.y === "string") {
    return { kty: "EC", crv: "P-256", x: value.x, y: value.y };
  }
  if (value.kty === "OKP" && value.crv === "Ed25519" && typeof value.x === "string") {
    return { kty: "OKP", crv: "Ed25519", x: value.x };
  }
  throw fail(pointer, "an EC P-256 or OKP Ed25519 public JWK");
}

const numericDate = (value: string | undefined, pointer: string): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw fail(pointer, `${value} is not a date-time`);
  return Math.floor(ms / 1000);
};

export interface SdJwtVcIssued {
  signed: string;
  credentialId: string;
  status?: { listId: string; index: number };
}

/**
 * Signs `input.credential` as an SD-JWT VC for `issuer`. `holderKey` (a public JWK) becomes `cnf.jwk`; the status
 * entry comes from `allocate` when given (a bulk chunk's block), else the issuer's current revocation list.
 */
export async function signSdJwtVcCredential(
  deps: SdJwtVcIssueDeps,
  issuer: IssuerRecord,
  input: SdJwtVcIssueInput,
  allocate?: (purpose: StatusPurpose) => Promise<{ listId: string; index: number }>,
  /** The `jti`, when the caller fixes it (a bulk-job row's derived id); absent: a fresh UUID URN. */
  jti?: string,
): Promise<SdJwtVcIssued> {
  const key = es256Key(issuer);
  const cnfJwk = holderJwk(input.options?.holderKey);
  if (input.options?.suspension === true) {
    throw fail("/body/options/suspension", "SD-JWT VCs carry one Token Status List entry, for revocation");
  }
  const read = readDocuments(input.credential, undefined, deps.limits);
  const [credential] = read.credentials;
  if (!credential) throw fail("/body/credential", "no credential could be read from the input");
  const { claims, written } = microCredentialClaims(credential);
  if (!claims.achievement_title) throw fail("/body/credential", "the credential has no title (Annex I: mandatory)");
  const now = deps.clock.now();
  const iss = httpsIssuerId(deps.publicUrl, issuer.slug);
  const credentialId = jti ?? `urn:uuid:${randomUUID()}`;
  let status: SdJwtVcIssued["status"];
  if (deps.statusLists && input.options?.status !== false) {
    status = allocate ? await allocate("revocation") : await deps.statusLists.allocate(issuer.slug, "revocation", now);
  }
  const payload = {
    iss,
    vct: microCredentialVct(deps.publicUrl),
    jti: credentialId,
    iat: Math.floor(now.getTime() / 1000),
    ...(credential.validFrom ? { nbf: numericDate(credential.validFrom, "/body/credential/validFrom") } : {}),
    ...(credential.validUntil ? { exp: numericDate(credential.validUntil, "/body/credential/validUntil") } : {}),
    ...(cnfJwk ? { cnf: { jwk: cnfJwk } } : {}),
    ...(status
      ? { status: { status_list: { idx: status.index, uri: tokenStatusListUrl(deps.publicUrl, status.listId) } } }
      : {}),
    ...claims,
  };
  const x5c = x5cNaming(issuer, key, iss);
  const signed = await signSdJwtVc(payload, written, {
    signer: issuerSigner(deps.signer, issuer.slug),
    keyRef: key.keyRef,
    kid: verificationMethodId(issuer, key),
    ...(x5c ? { x5c } : {}),
  });
  return { signed, credentialId, ...(status ? { status } : {}) };
}
