/**
 * Configuration of the quality-assurance registry bridge and attested conversion, read with the rest of
 * the gateway's configuration (`config.ts`). Every variable is documented in the README ("Registry bridge").
 */

export interface RegistryConfig {
  /**
   * `GATEWAY_BRIDGE_ISSUER`: slug or DID of a registered issuer that signs attested conversions (`POST /v1/convert`
   * with `attest: true`). Absent: attested conversions are refused (422).
   */
  bridgeIssuer?: string;
  /** `GATEWAY_DEQAR_API_URL`: the DEQAR API root. Default the production backend. */
  deqarApiUrl: string;
  /** `GATEWAY_DEQAR_API_TOKEN`: the DEQAR API token. Absent: imports from the DEQAR API are refused (422). */
  deqarToken?: string;
  /**
   * `GATEWAY_DEQAR_ALLOW_LOOPBACK=on` lets the DEQAR client reach a loopback address over plain HTTP (tests and a
   * local DEQAR emulator). Never on in production; private and link-local addresses stay refused.
   */
  allowLoopback: boolean;
  /** `GATEWAY_DEQAR_MAX_REPORTS`: most reports one scheduled refresh reads. Default 1,000. */
  maxReports: number;
}

type Env = Record<string, string | undefined>;

/** DEQAR's production API root (research/local.md §5.1). */
export const DEQAR_API_URL = "https://backend.deqar.eu";

/** Reads the registry configuration; throws on a malformed value, as `readConfig` does. */
export function readRegistryConfig(env: Env): RegistryConfig {
  const url = (env.GATEWAY_DEQAR_API_URL || DEQAR_API_URL).replace(/\/+$/, "");
  if (!URL.canParse(url)) throw new Error(`GATEWAY_DEQAR_API_URL must be an absolute URL, got "${url}"`);
  const loopback = env.GATEWAY_DEQAR_ALLOW_LOOPBACK ?? "off";
  if (loopback !== "on" && loopback !== "off") {
    throw new Error(`GATEWAY_DEQAR_ALLOW_LOOPBACK must be "on" or "off", got "${loopback}"`);
  }
  const rawMax = env.GATEWAY_DEQAR_MAX_REPORTS;
  const maxReports = rawMax === undefined || rawMax === "" ? 1_000 : Number(rawMax);
  if (!Number.isSafeInteger(maxReports) || maxReports <= 0 || maxReports > 100_000) {
    throw new Error(`GATEWAY_DEQAR_MAX_REPORTS must be an integer from 1 to 100000, got "${rawMax}"`);
  }
  return {
    ...(env.GATEWAY_BRIDGE_ISSUER ? { bridgeIssuer: env.GATEWAY_BRIDGE_ISSUER } : {}),
    deqarApiUrl: url,
    ...(env.GATEWAY_DEQAR_API_TOKEN ? { deqarToken: env.GATEWAY_DEQAR_API_TOKEN } : {}),
    allowLoopback: loopback === "on",
    maxReports,
  };
}
