/**
 * Where an issuer's OpenID4VCI endpoints live. Each gateway issuer is its own Credential Issuer, identified by
 * `{publicUrl}/oid4vci/{slug}`; its metadata sits at the well-known URL with the well-known segment inserted between
 * host and path (RFC 8414 §3, OpenID4VCI 1.0 §12.2.2).
 */

/** The Credential Issuer Identifier (also the authorisation server's issuer) of an issuer. */
export const credentialIssuerId = (publicUrl: string, slug: string): string => `${publicUrl}/oid4vci/${slug}`;

/** The endpoints and documents of one issuer. */
export function issuerEndpoints(publicUrl: string, slug: string) {
  const base = credentialIssuerId(publicUrl, slug);
  return {
    credentialIssuer: base,
    token: `${base}/token`,
    nonce: `${base}/nonce`,
    credential: `${base}/credential`,
    offer: (reference: string) => `${base}/offers/${reference}`,
    issuerMetadata: `${publicUrl}/.well-known/openid-credential-issuer/oid4vci/${slug}`,
    authorizationServerMetadata: `${publicUrl}/.well-known/oauth-authorization-server/oid4vci/${slug}`,
  };
}
