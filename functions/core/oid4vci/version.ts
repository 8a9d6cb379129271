/**
 * The OpenID4VCI version this gateway implements: OpenID for Verifiable Credential Issuance 1.0 (final, 2025), the
 * pre-authorised code flow only, with the nonce endpoint and `proofs` of type `jwt`. Kept for older wallets: the
 * draft 13 singular `proof` member in credential requests, and issuer / authorisation server metadata also under the
 * issuer's path (`{credential_issuer}/.well-known/...`), where draft-era wallets look.
 */
export const OID4VCI_VERSION = "1.0";

/** The grant type of the pre-authorised code flow (OpenID4VCI 1.0 §4.1.1). */
export const PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

/** `typ` of a key proof JWT (OpenID4VCI 1.0 Appendix F.1). */
export const PROOF_JWT_TYPE = "openid4vci-proof+jwt";
