/**
 * The discovery documents of an issuer: Credential Issuer Metadata (OpenID4VCI 1.0 §12.2) and OAuth Authorization
 * Server Metadata (RFC 8414, with OpenID4VCI's `pre-authorized_grant_anonymous_access_supported`). The gateway is its
 * own authorisation server, so `authorization_servers` is left out (§12.2.4: the issuer is then its own).
 */

import { microCredentialTypeMetadata } from "../../../mappings/sd-jwt-vc/type-metadata.js";
import { notFound } from "../../kernel/errors.js";
import type { CredentialStore, IssuerRecord } from "../../kernel/ports/index.js";
import { KEY_ALGORITHMS } from "../issuers/did.js";
import { CREDENTIAL_CONFIGURATIONS, type CredentialConfiguration, PROOF_ALGORITHMS } from "./configurations.js";
import { issuerEndpoints } from "./urls.js";
import { PRE_AUTHORIZED_GRANT } from "./version.js";

/** Holder key binding: a DID (did:key, did:jwk) or a bare JWK (bound as its did:jwk). */
const BINDING_METHODS = ["did:key", "did:jwk", "jwk"];

/** The issuer the path names; 404 (pointing at the path) when there is none. */
export async function issuerOfSlug(store: CredentialStore, slug: string): Promise<IssuerRecord> {
  const issuer = await store.getIssuer(slug);
  if (!issuer) throw notFound(`issuer "${slug}"`, "/path/slug");
  return issuer;
}

function signingAlgorithms(issuer: IssuerRecord, config: CredentialConfiguration): string[] {
  if (config.proof === "eddsa-rdfc-2022") return ["eddsa-rdfc-2022"];
  const held = new Set<string>(issuer.keys.flatMap((k) => KEY_ALGORITHMS[k.type]));
  // The order the issue use case prefers (VC-JWT: ES256, RS256, EdDSA; JAdES: RS256, ES256).
  const order = config.proof === "jades" ? ["RS256", "ES256"] : ["ES256", "RS256", "EdDSA"];
  return order.filter((alg) => held.has(alg));
}

/**
 * A `dc+sd-jwt` configuration (OpenID4VCI 1.0 Appendix A.3): its `vct`, ES256 when the issuer holds a P-256 key,
 * holder binding by `jwk` (the proof key becomes `cnf.jwk`), ES256 proofs (HAIP's minimum), and the claims with
 * their display names (`name`, not type metadata's `label`).
 */
function sdJwtVcConfiguration(
  issuer: IssuerRecord,
  id: string,
  config: CredentialConfiguration,
  publicUrl: string,
): Record<string, unknown> {
  const metadata = microCredentialTypeMetadata(publicUrl);
  const p256 = issuer.keys.some((k) => k.type === "P-256" && k.algorithms.includes("ES256"));
  return {
    format: config.format,
    scope: id,
    vct: metadata.vct,
    cryptographic_binding_methods_supported: ["jwk"],
    credential_signing_alg_values_supported: p256 ? ["ES256"] : [],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256", "EdDSA", "Ed25519"] } },
    credential_metadata: {
      display: [config.display],
      claims: metadata.claims.map((c) => ({
        path: c.path,
        ...(c.mandatory ? { mandatory: true } : {}),
        display: c.display.map((d) => ({ name: d.label, locale: d.locale })),
      })),
    },
  };
}

/** Credential Issuer Metadata of one issuer. */
export function credentialIssuerMetadata(issuer: IssuerRecord, publicUrl: string): Record<string, unknown> {
  const urls = issuerEndpoints(publicUrl, issuer.slug);
  const configurations: Record<string, unknown> = {};
  for (const [id, config] of Object.entries(CREDENTIAL_CONFIGURATIONS) as [string, CredentialConfiguration][]) {
    if (config.format === "dc+sd-jwt") {
      configurations[id] = sdJwtVcConfiguration(issuer, id, config, publicUrl);
      continue;
    }
    configurations[id] = {
      format: config.format,
      scope: id,
      cryptographic_binding_methods_supported: BINDING_METHODS,
      credential_signing_alg_values_supported: signingAlgorithms(issuer, config),
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGORITHMS] } },
      credential_definition: config.definition,
      credential_metadata: { display: [config.display] },
    };
  }
  return {
    credential_issuer: urls.credentialIssuer,
    credential_endpoint: urls.credential,
    nonce_endpoint: urls.nonce,
    display: [{ name: issuer.name, locale: "en" }],
    credential_configurations_supported: configurations,
  };
}

/** OAuth 2.0 Authorization Server Metadata of one issuer (the pre-authorised code grant only, anonymous clients). */
export function authorizationServerMetadata(issuer: IssuerRecord, publicUrl: string): Record<string, unknown> {
  const urls = issuerEndpoints(publicUrl, issuer.slug);
  return {
    issuer: urls.credentialIssuer,
    token_endpoint: urls.token,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ["none"],
    "pre-authorized_grant_anonymous_access_supported": true,
  };
}
