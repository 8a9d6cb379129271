/**
 * The ids of the credential configurations an issuer offers (details in `configurations.ts`). A list of its own so
 * the request schemas can name them without pulling the configurations' JSON-LD context constants into every Lambda.
 */
export const CONFIGURATION_IDS = [
  "OpenBadgeCredential_jwt_vc_json",
  "OpenBadgeCredential_ldp_vc",
  "EuropeanDigitalCredential_jades",
  "MicroCredential_dc_sd_jwt",
] as const;

export type ConfigurationId = (typeof CONFIGURATION_IDS)[number];

/** Whether `value` names one of the offered configurations (narrows it for the configuration table). */
export const isConfigurationId = (value: string): value is ConfigurationId =>
  (CONFIGURATION_IDS as readonly string[]).includes(value);
