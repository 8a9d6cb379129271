/**
 * The credential configurations every issuer offers (`credential_configurations_supported`), as data: what the
 * wallet is told (format, credential definition) and how the gateway issues it (the issue use case's format and
 * proof). Open Badges 3.0 as `jwt_vc_json` (VC-JWT) and `ldp_vc` (Data Integrity, eddsa-rdfc-2022); ELM as EDC seals
 * it, with JAdES — OpenID4VCI registers no identifier for JAdES-sealed JSON-LD, so the format `jades_vc` is this
 * gateway's own (OpenID4VCI 1.0 Appendix A lets profiles define formats; generic wallets will not know it).
 */
import type { ProofSuite } from "../../../mappings/formats.js";
import type { ConfigurationId } from "./configuration-ids.js";

export { CONFIGURATION_IDS, type ConfigurationId, isConfigurationId } from "./configuration-ids.js";

const VC_V2 = "https://www.w3.org/ns/credentials/v2";

/**
 * The context URLs the credentials name, as literals: importing them from `mappings/ob3/contexts.ts` and
 * `mappings/elm/context.ts` would bundle the modules that pin the contexts themselves (the OB 3.0 and ELM context
 * documents, ~100 KB) into every function that serves the issuer metadata (cold start). A unit test holds
 * them equal to the mappings' constants.
 */
export const OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
export const EDC_AP_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap";

export interface CredentialConfiguration {
  format: "jwt_vc_json" | "ldp_vc" | "jades_vc" | "dc+sd-jwt";
  /**
   * What the offered credential must be: the issue use case signs it as it is (no conversion at collection time),
   * except for SD-JWT VCs, whose claims are written from an ELM or OB 3.0 credential (`elm-or-ob3`).
   */
  kind: "ob3" | "elm" | "elm-or-ob3";
  /** `sd-jwt`: an SD-JWT VC (`issue/sd-jwt-vc.ts`), ES256, the holder's key as `cnf.jwk`. */
  proof: ProofSuite | "sd-jwt";
  /** `credential_definition` of the metadata (W3C formats; an SD-JWT VC configuration names its `vct` instead). */
  definition?: { "@context"?: string[]; type: string[] };
  display: { name: string; locale: string; description: string };
}

export const CREDENTIAL_CONFIGURATIONS = {
  OpenBadgeCredential_jwt_vc_json: {
    format: "jwt_vc_json",
    kind: "ob3",
    proof: "vc-jwt",
    definition: { type: ["VerifiableCredential", "OpenBadgeCredential"] },
    display: { name: "Open Badge", locale: "en", description: "Open Badges 3.0 credential, VC-JWT" },
  },
  OpenBadgeCredential_ldp_vc: {
    format: "ldp_vc",
    kind: "ob3",
    proof: "eddsa-rdfc-2022",
    definition: { "@context": [VC_V2, OB3_CONTEXT_URL], type: ["VerifiableCredential", "OpenBadgeCredential"] },
    display: { name: "Open Badge", locale: "en", description: "Open Badges 3.0 credential, Data Integrity proof" },
  },
  EuropeanDigitalCredential_jades: {
    format: "jades_vc",
    kind: "elm",
    proof: "jades",
    definition: {
      "@context": [VC_V2, EDC_AP_CONTEXT_URL],
      type: ["VerifiableCredential", "EuropeanDigitalCredential"],
    },
    display: {
      name: "European Digital Credential",
      locale: "en",
      description: "European Learning Model v3 credential sealed with JAdES, as Europass EDC issues them",
    },
  },
  MicroCredential_dc_sd_jwt: {
    format: "dc+sd-jwt",
    kind: "elm-or-ob3",
    proof: "sd-jwt",
    display: {
      name: "Micro-credential",
      locale: "en",
      description: "European micro-credential (Annex I elements) as an SD-JWT VC for EU Digital Identity Wallets",
    },
  },
} as const satisfies Record<ConfigurationId, CredentialConfiguration>;

/** Proof JWT algorithms accepted from wallets (asymmetric only; `none` and HMAC never). */
export const PROOF_ALGORITHMS = ["ES256", "ES384", "EdDSA", "Ed25519", "RS256", "PS256"] as const;
