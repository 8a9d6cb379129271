/**
 * The credential endpoint (OpenID4VCI 1.0 §8): with the access token of an offer and a key proof over a fresh
 * `c_nonce`, the wallet gets the offered credential, bound to its key — `credentialSubject.id` is the holder's DID —
 * and signed by the issue use case in the configuration's format. An offer issues one credential.
 */

import { isGatewayError } from "../../kernel/errors.js";
import type { Oid4vciOffer } from "../../kernel/ports/index.js";
import { issueCredential } from "../issue/issue.js";
import type { Principal } from "../tokens/auth.js";
import { CREDENTIAL_CONFIGURATIONS, isConfigurationId } from "./configurations.js";
import { OID4VCI_TTL, type Oid4vciDeps } from "./deps.js";
import {
  credentialRequestDenied,
  invalidCredentialRequest,
  invalidEncryptionParameters,
  invalidNonce,
  invalidProof,
  invalidToken,
  unknownCredentialConfiguration,
  unknownCredentialIdentifier,
} from "./errors.js";
import type { HolderKey } from "./holder-key.js";
import { verifyProofJwt } from "./proof.js";
import { digestOf } from "./secrets.js";
import { offerOfAccessToken } from "./token.js";
import { credentialIssuerId } from "./urls.js";

/** A credential request body (validated against its schema already). */
export interface CredentialRequest {
  credential_configuration_id?: string;
  credential_identifier?: string;
  /** OpenID4VCI 1.0: `{jwt: [proof]}`. */
  proofs?: Record<string, unknown>;
  /** Draft 13 (kept for older wallets): `{proof_type: "jwt", jwt}`. */
  proof?: { proof_type?: string; jwt?: string };
  credential_response_encryption?: unknown;
}

export interface CredentialResponse {
  credentials: { credential: unknown }[];
}

/** The access token of an `Authorization: Bearer` header (DPoP is not supported). */
function bearerToken(authorization: string | undefined): string {
  const m = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(authorization?.trim() ?? "");
  if (!m?.[1]) throw invalidToken("send the access token from the token endpoint as Authorization: Bearer");
  return m[1];
}

/** The one proof JWT of the request, and where it sits (for error pointers). */
function proofOf(request: CredentialRequest): { jwt: string; pointer: string } {
  if (request.proof !== undefined && request.proofs !== undefined) {
    throw invalidCredentialRequest("send proofs or proof, not both", "/body/proof");
  }
  if (request.proof !== undefined) {
    if (request.proof.proof_type !== "jwt" || typeof request.proof.jwt !== "string") {
      throw invalidProof("proof must be {proof_type: jwt, jwt}", "/body/proof");
    }
    return { jwt: request.proof.jwt, pointer: "/body/proof/jwt" };
  }
  if (request.proofs === undefined) throw invalidProof("a key proof is required (proofs.jwt)", "/body/proofs");
  const types = Object.keys(request.proofs);
  const jwts = request.proofs.jwt;
  if (types.length !== 1 || !Array.isArray(jwts)) {
    throw invalidProof("only proofs of type jwt are supported", "/body/proofs");
  }
  if (jwts.length !== 1) {
    throw invalidCredentialRequest("batch issuance is not supported: send exactly one proof", "/body/proofs/jwt");
  }
  const [jwt] = jwts;
  if (typeof jwt !== "string") throw invalidProof("a jwt proof is a string", "/body/proofs/jwt/0");
  return { jwt, pointer: "/body/proofs/jwt/0" };
}

/** Sets the holder's DID as the credential's subject id (ELM and OB3 alike carry one subject object). */
function bind(credential: Record<string, unknown>, did: string): Record<string, unknown> {
  const copy = structuredClone(credential);
  const subject = copy.credentialSubject;
  copy.credentialSubject = { ...(subject && typeof subject === "object" ? subject : {}), id: did };
  return copy;
}

/** The signed credential's payload: the JWT's claims, the JAdES payload, or the Data Integrity document. */
function payloadOf(signed: unknown): Record<string, unknown> {
  if (typeof signed === "string") {
    const part = signed.split(".")[1] ?? "";
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  }
  const envelope = signed as { payload?: unknown };
  if (typeof envelope.payload === "string") return JSON.parse(envelope.payload) as Record<string, unknown>;
  return signed as Record<string, unknown>;
}

/**
 * An SD-JWT VC is bound by its `cnf.jwk` (SD-JWT VC §2.2.2), the key the proof was signed with, not by a subject DID:
 * the SD-JWT VC carries no `credentialSubject`.
 */
async function issueSdJwtVcBound(
  deps: Oid4vciDeps,
  offer: Oid4vciOffer & { credential: Record<string, unknown> },
  holder: HolderKey,
  principal: Principal,
): Promise<{ signed: unknown; credentialId: string }> {
  let signed: unknown;
  try {
    ({ verifiableCredential: signed } = await issueCredential(deps, principal, {
      credential: offer.credential,
      options: { issuer: offer.issuerSlug, format: "sd-jwt-vc", holderKey: holder.jwk },
    }));
  } catch (error) {
    if (isGatewayError(error) && error.code !== "internal") {
      throw credentialRequestDenied(`the offered credential cannot be issued: ${error.message}`);
    }
    throw error;
  }
  const payload = payloadOf(signed);
  const cnf = payload.cnf as { jwk?: Record<string, unknown> } | undefined;
  if (!cnf?.jwk || cnf.jwk.x !== holder.jwk.x || cnf.jwk.kty !== holder.jwk.kty) {
    throw new Error("the issued SD-JWT VC is not bound to the holder's key");
  }
  return { signed, credentialId: typeof payload.jti === "string" ? payload.jti : "" };
}

async function issueBound(
  deps: Oid4vciDeps,
  offer: Oid4vciOffer,
  holder: HolderKey,
): Promise<{ signed: unknown; credentialId: string }> {
  if (!offer.credential || !isConfigurationId(offer.configurationId)) {
    throw credentialRequestDenied("this offer holds no credential to issue");
  }
  const config = CREDENTIAL_CONFIGURATIONS[offer.configurationId];
  // The offer was made with the issuer's token; the wallet acts on that authorisation.
  const principal: Principal = { role: "issuer", issuerId: offer.issuerSlug };
  if (config.proof === "sd-jwt") {
    return issueSdJwtVcBound(deps, { ...offer, credential: offer.credential }, holder, principal);
  }
  const did = holder.did;
  let signed: unknown;
  try {
    ({ verifiableCredential: signed } = await issueCredential(deps, principal, {
      credential: bind(offer.credential, did),
      options: { issuer: offer.issuerSlug, format: config.kind, proof: config.proof },
    }));
  } catch (error) {
    if (isGatewayError(error) && error.code !== "internal") {
      throw credentialRequestDenied(`the offered credential cannot be issued: ${error.message}`);
    }
    throw error;
  }
  const payload = payloadOf(signed);
  const subject = payload.credentialSubject as { id?: unknown } | undefined;
  // The binding is the point of the flow: never hand out a credential that is not bound to the proven key.
  if (subject?.id !== did) throw new Error("the issued credential is not bound to the holder's DID");
  const credentialId = typeof payload.jti === "string" ? payload.jti : typeof payload.id === "string" ? payload.id : "";
  return { signed, credentialId };
}

/** Answers a credential request to issuer `slug`'s credential endpoint. */
export async function requestCredential(
  deps: Oid4vciDeps,
  slug: string,
  authorization: string | undefined,
  request: CredentialRequest,
): Promise<CredentialResponse> {
  const offer = await offerOfAccessToken(deps, bearerToken(authorization));
  if (!offer || offer.issuerSlug !== slug) throw invalidToken("the access token is not valid or has expired");
  if (request.credential_response_encryption !== undefined) {
    throw invalidEncryptionParameters("credential response encryption is not supported");
  }
  if (request.credential_identifier !== undefined) {
    throw unknownCredentialIdentifier(
      "this issuer hands out no credential identifiers: use credential_configuration_id",
    );
  }
  if (request.credential_configuration_id === undefined) {
    throw invalidCredentialRequest("credential_configuration_id is required", "/body/credential_configuration_id");
  }
  if (request.credential_configuration_id !== offer.configurationId) {
    throw unknownCredentialConfiguration(`the access token is for ${offer.configurationId}`);
  }
  const { jwt, pointer } = proofOf(request);
  const now = deps.clock.now();
  const proof = await verifyProofJwt(jwt, { audience: credentialIssuerId(deps.publicUrl, slug), now, pointer });
  if (!(await deps.oid4vci.consumeNonce(digestOf(proof.nonce), now))) {
    throw invalidNonce("the c_nonce is unknown, used or expired: get a fresh one from the nonce endpoint", pointer);
  }
  const until = new Date(now.getTime() + OID4VCI_TTL.issuingSeconds * 1000).toISOString();
  // The hold is this request's alone: only the request that wrote this token may complete or release it.
  const holder = deps.ids.secret(16);
  if (!(await deps.oid4vci.claimIssuance(offer.id, until, now, holder))) {
    throw credentialRequestDenied("the credential of this offer was issued already (or is being issued)");
  }
  let issued: { signed: unknown; credentialId: string };
  try {
    issued = await issueBound(deps, offer, proof.holder);
  } catch (error) {
    await deps.oid4vci.releaseIssuance(offer.id, holder);
    throw error;
  }
  const completedAt = deps.clock.now().toISOString();
  if (
    !(await deps.oid4vci.completeIssuance(offer.id, { credentialId: issued.credentialId, at: completedAt }, holder))
  ) {
    // This request outlived its hold and another request took the offer over (or issued it): handing this
    // credential out as well would issue the offer twice, so it is withheld and the wallet told why.
    throw credentialRequestDenied(
      "issuing took longer than the hold on this offer and another request took it over: this credential is withheld (an offer issues one credential)",
    );
  }
  return { credentials: [{ credential: issued.signed }] };
}
