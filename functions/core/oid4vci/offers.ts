/**
 * Credential offers (OpenID4VCI 1.0 §4.1): an issuer offers one credential to a wallet with a pre-authorised code,
 * optionally guarded by a transaction code the learner gets another way. The offer is returned by value and by
 * reference (`openid-credential-offer://?credential_offer_uri=...`); only hashes of its secrets are stored, and the
 * unsigned credential waits in the store until the wallet collects it (or the offer expires).
 */
import { randomInt } from "node:crypto";
import { GatewayError, notFound } from "../../kernel/errors.js";
import type { Oid4vciOffer } from "../../kernel/ports/index.js";
import { slugFromId } from "../issuers/registration.js";
import { type Principal, requireIssuer } from "../tokens/auth.js";
import { type ConfigurationId, CREDENTIAL_CONFIGURATIONS, isConfigurationId } from "./configurations.js";
import { MAX_FAILED_TX_CODES, OID4VCI_TTL, type Oid4vciDeps } from "./deps.js";
import { codeFromReference, digestOf, matches, splitSecret, txCodeDigest } from "./secrets.js";
import { issuerEndpoints } from "./urls.js";
import { PRE_AUTHORIZED_GRANT } from "./version.js";

export interface CreateOfferInput {
  credential: Record<string, unknown>;
  configuration: string;
  /** `true`: a 6-digit numeric code; or how the code looks. Absent / false: no transaction code. */
  txCode?: boolean | { length?: number; inputMode?: "numeric" | "text"; description?: string };
  /** Lifetime of the pre-authorised code in seconds (default one hour, at most a week). */
  expiresIn?: number;
}

export interface CreatedOffer {
  id: string;
  /** The Credential Offer object (by value). */
  credentialOffer: Record<string, unknown>;
  /** Where a wallet fetches the offer (by reference). */
  credentialOfferUri: string;
  /** The offer by reference as a wallet link / QR code content. */
  offerUri: string;
  /** The offer by value as a wallet link. */
  offerUriByValue: string;
  /** The transaction code, shown once: send it to the learner another way than the offer. */
  txCode?: string;
  expiresAt: string;
}

const fail = (pointer: string, detail: string) => new GatewayError("unprocessable", detail, [{ pointer, detail }]);

const OB3_TYPES = ["OpenBadgeCredential", "AchievementCredential"];
const typesOf = (doc: Record<string, unknown>): string[] =>
  (Array.isArray(doc.type) ? doc.type : [doc.type]).filter((t): t is string => typeof t === "string");

/** The offered credential must already be what the configuration issues: the wallet gets no conversion surprises. */
function checkCredential(credential: Record<string, unknown>, configuration: ConfigurationId): void {
  const { kind } = CREDENTIAL_CONFIGURATIONS[configuration];
  const types = typesOf(credential);
  const elm = types.includes("EuropeanDigitalCredential");
  const ob3 = types.some((t) => OB3_TYPES.includes(t));
  const ok = kind === "elm" ? elm : kind === "ob3" ? ob3 : elm || ob3;
  if (!ok) {
    throw fail(
      "/body/credential/type",
      kind === "elm"
        ? `${configuration} issues ELM credentials: the credential's type must include EuropeanDigitalCredential`
        : kind === "elm-or-ob3"
          ? `${configuration} is written from an ELM or Open Badges 3.0 credential: its type must include EuropeanDigitalCredential or OpenBadgeCredential`
          : `${configuration} issues Open Badges 3.0: the credential's type must include OpenBadgeCredential (convert it first with POST /v1/convert)`,
    );
  }
  if (credential.proof !== undefined) throw fail("/body/credential/proof", "offer an unsigned credential");
  const subject = credential.credentialSubject;
  if (subject !== undefined && (typeof subject !== "object" || subject === null || Array.isArray(subject))) {
    throw fail(
      "/body/credential/credentialSubject",
      "credentialSubject must be one object (the holder is bound to it)",
    );
  }
}

/** Largest offered credential: it waits in one DynamoDB item (400 KB at most, with the offer's other members). */
const MAX_OFFERED_CREDENTIAL_BYTES = 300 * 1024;

const TX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function newTxCode(length: number, inputMode: "numeric" | "text"): string {
  const alphabet = inputMode === "numeric" ? "0123456789" : TX_ALPHABET;
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** The Credential Offer object as a wallet receives it. */
function offerObject(publicUrl: string, offer: Oid4vciOffer, code: string): Record<string, unknown> {
  const grant: Record<string, unknown> = { "pre-authorized_code": code };
  if (offer.txCode) {
    grant.tx_code = {
      input_mode: offer.txCode.inputMode,
      length: offer.txCode.length,
      ...(offer.txCode.description ? { description: offer.txCode.description } : {}),
    };
  }
  return {
    credential_issuer: issuerEndpoints(publicUrl, offer.issuerSlug).credentialIssuer,
    credential_configuration_ids: [offer.configurationId],
    grants: { [PRE_AUTHORIZED_GRANT]: grant },
  };
}

/** Creates an offer of `input.credential` from the issuer named by `issuerRef` (slug or DID); the caller must own it. */
export async function createOffer(
  deps: Oid4vciDeps,
  principal: Principal,
  issuerRef: string,
  input: CreateOfferInput,
): Promise<CreatedOffer> {
  let slug: string;
  try {
    slug = slugFromId(issuerRef, deps.publicUrl);
  } catch {
    throw notFound(`issuer "${issuerRef}"`, "/path/id");
  }
  requireIssuer(principal, slug);
  const issuer = await deps.store.getIssuer(slug);
  if (!issuer) throw notFound(`issuer "${issuerRef}"`, "/path/id");
  if (!isConfigurationId(input.configuration)) {
    throw fail("/body/configuration", `unknown configuration ${input.configuration}`);
  }
  checkCredential(input.credential, input.configuration);
  if (Buffer.byteLength(JSON.stringify(input.credential)) > MAX_OFFERED_CREDENTIAL_BYTES) {
    throw new GatewayError(
      "limit-exceeded",
      `an offered credential is at most ${MAX_OFFERED_CREDENTIAL_BYTES} bytes of JSON (it waits in one table item)`,
      [{ pointer: "/body/credential", detail: `at most ${MAX_OFFERED_CREDENTIAL_BYTES} bytes` }],
    );
  }
  const now = deps.clock.now();
  const lifetime = input.expiresIn ?? OID4VCI_TTL.codeSeconds;
  const codeExpiresAt = new Date(now.getTime() + lifetime * 1000);
  // The item outlives the code by the token and issuance windows, then TTL removes it (whole seconds).
  const expiresAt = new Date(
    Math.ceil((codeExpiresAt.getTime() + (OID4VCI_TTL.tokenSeconds + 2 * OID4VCI_TTL.issuingSeconds) * 1000) / 1000) *
      1000,
  );
  const id = deps.ids.newId();
  const referenceSecret = deps.ids.secret(32);
  const code = codeFromReference(id, referenceSecret);
  const tx = input.txCode === true ? {} : input.txCode || undefined;
  const inputMode = tx?.inputMode ?? "numeric";
  const txCode = tx ? newTxCode(tx.length ?? 6, inputMode) : undefined;
  const offer: Oid4vciOffer = {
    id,
    issuerSlug: slug,
    configurationId: input.configuration,
    credential: input.credential,
    codeHash: digestOf(code),
    createdAt: now.toISOString(),
    codeExpiresAt: codeExpiresAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    failedTxCodes: 0,
    ...(tx && txCode
      ? {
          txCode: {
            hash: txCodeDigest(id, txCode),
            inputMode,
            length: txCode.length,
            ...(tx.description ? { description: tx.description } : {}),
          },
        }
      : {}),
  };
  await deps.oid4vci.putOffer(offer);
  const credentialOffer = offerObject(deps.publicUrl, offer, code);
  const credentialOfferUri = issuerEndpoints(deps.publicUrl, slug).offer(`${id}.${referenceSecret}`);
  return {
    id,
    credentialOffer,
    credentialOfferUri,
    offerUri: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(credentialOfferUri)}`,
    offerUriByValue: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(credentialOffer))}`,
    ...(txCode ? { txCode } : {}),
    expiresAt: offer.codeExpiresAt,
  };
}

/**
 * The Credential Offer behind a `credential_offer_uri`, while its code can still be redeemed. Anything else — an
 * unknown or wrong reference, another issuer's path, a redeemed or expired code — is the same 404.
 */
export async function offerByReference(
  deps: Pick<Oid4vciDeps, "oid4vci" | "clock" | "publicUrl">,
  slug: string,
  reference: string,
): Promise<Record<string, unknown>> {
  const gone = notFound("credential offer", "/path/reference");
  const parts = splitSecret(reference);
  if (!parts) throw gone;
  const offer = await deps.oid4vci.getOffer(parts.offerId);
  const code = codeFromReference(parts.offerId, parts.secret);
  if (!offer || offer.issuerSlug !== slug || !matches(code, offer.codeHash)) throw gone;
  const now = deps.clock.now().toISOString();
  if (offer.redeemedAt || offer.codeExpiresAt <= now || offer.failedTxCodes >= MAX_FAILED_TX_CODES) throw gone;
  return offerObject(deps.publicUrl, offer, code);
}
