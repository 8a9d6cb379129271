/**
 * The `x5c` JOSE header of what an issuer signs as an SD-JWT VC issuer (the credential, its Token Status List), HAIP's
 * way of naming the key by certificate beside the JWT VC Issuer Metadata. Only when the stored certificate of the
 * signing key names the issuer's HTTPS identifier in its SAN: a verifier that takes keys from `x5c` MUST check that
 * the `iss` matches a `uniformResourceIdentifier` or the `dNSName` SAN of the end-entity certificate (SD-JWT VC
 * §3.5), so a seal certificate without it would make the credential fail there, not pass.
 */
import type { IssuerKey, IssuerRecord } from "../../kernel/ports/index.js";
import { namesUri, parseCertificateChain } from "../../proofs/x509.js";

/** The issuer's HTTPS identifier, the `iss` of its SD-JWT VCs. */
export const httpsIssuerId = (publicUrl: string, slug: string): string =>
  `${publicUrl.replace(/\/+$/, "")}/issuers/${encodeURIComponent(slug)}`;

/** The chain (standard base64 DER, leaf first) for `x5c`, or undefined when the certificate does not name `uri`. */
export function x5cNaming(issuer: IssuerRecord, key: IssuerKey, uri: string): string[] | undefined {
  const stored = issuer.certificates?.find((c) => c.keyFragment === key.fragment);
  if (!stored || stored.chain.length === 0) return undefined;
  try {
    return namesUri(parseCertificateChain(stored.chain).leaf, uri) ? [...stored.chain] : undefined;
  } catch {
    return undefined;
  }
}
