/**
 * The OAuth / OpenID4VCI errors the flow answers with (RFC 6749 §5.2 for the token endpoint, RFC 6750 §3.1 for the
 * access token, OpenID4VCI 1.0 §8.3.1.2 for the credential endpoint). Each is an {@link OAuthError}: a gateway error
 * (status, problem type, field pointer) that also carries the OAuth `error` code.
 */
import { OAuthError } from "../../kernel/errors.js";

const issue = (pointer: string | undefined, detail: string) => (pointer ? [{ pointer, detail }] : []);

/** The request is missing a parameter, repeats one, or is otherwise malformed (400). */
export const invalidRequest = (detail: string, pointer?: string) =>
  new OAuthError("validation-failed", "invalid_request", detail, issue(pointer, detail));

/** The pre-authorised code or transaction code is wrong, expired or used (400). */
export const invalidGrant = (detail: string, pointer?: string) =>
  new OAuthError("validation-failed", "invalid_grant", detail, issue(pointer, detail));

export const unsupportedGrantType = (detail: string) =>
  new OAuthError("validation-failed", "unsupported_grant_type", detail, issue("/body/grant_type", detail));

/** The access token is missing, unknown or expired (401). */
export const invalidToken = (detail: string) =>
  new OAuthError("unauthenticated", "invalid_token", detail, issue("/headers/authorization", detail));

export const invalidCredentialRequest = (detail: string, pointer?: string) =>
  new OAuthError("validation-failed", "invalid_credential_request", detail, issue(pointer, detail));

export const unknownCredentialConfiguration = (detail: string) =>
  new OAuthError(
    "validation-failed",
    "unknown_credential_configuration",
    detail,
    issue("/body/credential_configuration_id", detail),
  );

export const unknownCredentialIdentifier = (detail: string) =>
  new OAuthError(
    "validation-failed",
    "unknown_credential_identifier",
    detail,
    issue("/body/credential_identifier", detail),
  );

/** The key proof is missing, malformed, badly signed, for another audience or too old (400). */
export const invalidProof = (detail: string, pointer = "/body/proofs/jwt/0") =>
  new OAuthError("validation-failed", "invalid_proof", detail, issue(pointer, detail));

/** The proof's `c_nonce` is missing, unknown, used or expired: the wallet should fetch a fresh one (400). */
export const invalidNonce = (detail: string, pointer = "/body/proofs/jwt/0") =>
  new OAuthError("validation-failed", "invalid_nonce", detail, issue(pointer, detail));

export const invalidEncryptionParameters = (detail: string) =>
  new OAuthError(
    "validation-failed",
    "invalid_encryption_parameters",
    detail,
    issue("/body/credential_response_encryption", detail),
  );

/** The issuer will not issue this credential (already issued, or the stored credential cannot be issued) (400). */
export const credentialRequestDenied = (detail: string) =>
  new OAuthError("validation-failed", "credential_request_denied", detail);
