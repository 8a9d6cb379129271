import { createHash } from "node:crypto";

/**
 * The gateway's configuration, read once from the environment at cold start. Every variable is documented in the
 * README ("Configuration"); defaults are the embedded local ones.
 */

export interface GatewayConfig {
  mode: "local" | "aws";
  /** Public base URL of the gateway, no trailing slash: issuer DIDs (did:web) and links are built from it. */
  publicUrl: string;
  port: number;
  dataDir: string;
  appName: string;
  tableName: string;
  /** DynamoDB endpoint override: the embedded dynalite locally, or an emulator. AWS mode uses the SDK's default. */
  dynamoEndpoint?: string;
  jobsQueueUrl?: string;
  deliveriesQueueUrl?: string;
  uploadsBucket?: string;
  /** Hex SHA-256 of the admin token (never the token itself). */
  adminTokenSha256?: string;
  limits: { maxBodyBytes: number; maxJsonDepth: number; maxJsonKeys: number };
  logLevel: string;
  /**
   * `GATEWAY_OUTBOUND_HTTP=on` lets verification fetch did:web and HTTP(S) key documents of other hosts (through a
   * guard refusing private, loopback and link-local addresses). Default `off`: no outbound request is ever made.
   */
  outboundHttp: boolean;
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/**
 * Reads the configuration. The admin token may be given in plain (`GATEWAY_ADMIN_TOKEN`, local mode) or as its
 * SHA-256 (`GATEWAY_ADMIN_TOKEN_SHA256`, AWS: the template never holds the token); only the hash is kept.
 */
export function readConfig(env: Env = process.env): GatewayConfig {
  const mode = env.GATEWAY_MODE === "aws" ? "aws" : "local";
  if (env.GATEWAY_MODE && env.GATEWAY_MODE !== "aws" && env.GATEWAY_MODE !== "local") {
    throw new Error(`GATEWAY_MODE must be "aws" or "local", got "${env.GATEWAY_MODE}"`);
  }
  const port = env.PORT === "0" ? 0 : intVar(env, "PORT", 3000);
  if (port > 65535) throw new Error(`PORT must be at most 65535, got ${port}`);
  const publicUrl = (env.GATEWAY_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new Error(`GATEWAY_PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
  }
  if (parsed.pathname !== "/" && parsed.pathname !== "") {
    throw new Error("GATEWAY_PUBLIC_URL must have no path (did:web maps the host to /issuers/{id}/did.json)");
  }
  const hash = env.GATEWAY_ADMIN_TOKEN
    ? createHash("sha256").update(env.GATEWAY_ADMIN_TOKEN, "utf8").digest("hex")
    : env.GATEWAY_ADMIN_TOKEN_SHA256?.toLowerCase();
  if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash)) {
    throw new Error("GATEWAY_ADMIN_TOKEN_SHA256 must be 64 hex characters");
  }
  const outbound = env.GATEWAY_OUTBOUND_HTTP ?? "off";
  if (outbound !== "on" && outbound !== "off") {
    throw new Error(`GATEWAY_OUTBOUND_HTTP must be "on" or "off", got "${outbound}"`);
  }
  return {
    mode,
    publicUrl,
    port,
    dataDir: env.GATEWAY_DATA_DIR ?? ".data",
    appName: env.GATEWAY_APP_NAME ?? "edc-gateway",
    tableName: env.GATEWAY_TABLE_NAME ?? "edc-gateway",
    dynamoEndpoint: env.GATEWAY_DYNAMODB_ENDPOINT || undefined,
    jobsQueueUrl: env.GATEWAY_JOBS_QUEUE_URL || undefined,
    deliveriesQueueUrl: env.GATEWAY_DELIVERIES_QUEUE_URL || undefined,
    uploadsBucket: env.GATEWAY_UPLOADS_BUCKET || undefined,
    adminTokenSha256: hash,
    limits: {
      maxBodyBytes: intVar(env, "GATEWAY_MAX_BODY_BYTES", 5 * 1024 * 1024),
      maxJsonDepth: intVar(env, "GATEWAY_MAX_JSON_DEPTH", 64),
      maxJsonKeys: intVar(env, "GATEWAY_MAX_JSON_KEYS", 100_000),
    },
    logLevel: env.POWERTOOLS_LOG_LEVEL ?? env.LOG_LEVEL ?? "INFO",
    outboundHttp: outbound === "on",
  };
}
