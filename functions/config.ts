import { createHash } from "node:crypto";
import type { ReaderLimits } from "../mappings/limits.js";
import { defaultOb3ElmContextUrl, isPublishableContextUrl } from "../mappings/ob3/extension-url.js";
import { DEFAULT_MAX_ARRAY_ELEMENTS, DEFAULT_MAX_JSON_VALUES } from "./kernel/json.js";
import { DEFAULT_WORK_BUDGET } from "./kernel/work-budget.js";
import { type RegistryConfig, readRegistryConfig } from "./registry-config.js";
import { readWalletConfig, type WalletConfig } from "./wallet-config.js";

/**
 * The gateway's configuration, read once from the environment at cold start. Every variable is documented in the
 * README ("Configuration"); defaults are the embedded local ones.
 */

export interface GatewayConfig {
  mode: "local" | "aws";
  /** Public base URL of the gateway, no trailing slash: issuer DIDs (did:web) and links are built from it. */
  publicUrl: string;
  /**
   * The URL OB 3.0 credentials name the gateway's ELM extension context by (`GATEWAY_OB3_ELM_CONTEXT_URL`): a
   * permanent URL the operator registered (a w3id.org-style redirect to the gateway's route), else the route itself,
   * `{publicUrl}/contexts/ob3-elm/v1.json`. Versioned (its last segment is `v1` or `v1.json`) and never a URN.
   */
  ob3ElmContextUrl: string;
  port: number;
  dataDir: string;
  appName: string;
  tableName: string;
  /** DynamoDB endpoint override: the embedded dynalite locally, or an emulator. AWS mode uses the SDK's default. */
  dynamoEndpoint?: string;
  jobsQueueUrl?: string;
  deliveriesQueueUrl?: string;
  uploadsBucket?: string;
  /** Largest bulk-job input read from an upload (`GATEWAY_MAX_UPLOAD_BYTES`). */
  maxUploadBytes: number;
  /** Rows per bulk-job chunk (`GATEWAY_JOB_CHUNK_ROWS`); absent: `DEFAULT_CHUNK_ROWS` of `core/jobs/chunks.ts`. */
  jobChunkRows?: number;
  /**
   * Signatures per second the bulk-job workers share, per KMS quota family (ECC, RSA), drawn from a token bucket in
   * the table (`GATEWAY_SIGNING_RATE`; `off`: none). Default in aws mode {@link DEFAULT_AWS_SIGNING_RATE}; none
   * locally, where the file key store signs on the CPU and has no quota.
   */
  signingRate?: number;
  /** Local mode: dynalite in a child process (`process`, default) or in the gateway's (`GATEWAY_DYNALITE`). */
  dynalite: "process" | "in-process";
  /** Hex SHA-256 of the admin token (never the token itself). */
  adminTokenSha256?: string;
  limits: {
    maxBodyBytes: number;
    maxJsonDepth: number;
    maxJsonKeys: number;
    maxJsonValues: number;
    maxArrayElements: number;
    /** The document readers' ceilings, from {@link InputLimitsConfig}: the use cases pass them with each read. */
    readers: ReaderLimits;
  };
  /** Limits on what is inside bodies and documents (see `functions/http/input-limits.ts`). */
  inputLimits: InputLimitsConfig;
  /** Per-caller token buckets (see `functions/http/rate-limit.ts`). */
  rateLimit: RateLimitConfig;
  /**
   * How long one synchronous request may run (`GATEWAY_REQUEST_TIMEOUT_MS`, default 25 s: under API Gateway's 30 s
   * and the Lambda's 29 s). Past it the caller gets a 503 and the use case is signalled to stop.
   */
  requestTimeoutMs: number;
  /** AWS: the key policy of the KMS keys the gateway creates (JSON, from the CDK stack). */
  kmsKeyPolicy?: string;
  /**
   * AWS: the signer role (`GATEWAY_SIGNER_ROLE_ARN`, from the CDK stack). Set: the KMS signer signs only in STS
   * sessions of this role tagged with the key's issuer. Unset: it signs with the function's own credentials.
   */
  signerRoleArn?: string;
  logLevel: string;
  /**
   * `GATEWAY_OUTBOUND_HTTP=on` lets verification fetch did:web and HTTP(S) key documents of other hosts (through a
   * guard refusing private, loopback and link-local addresses). Default `off`: no outbound request is ever made.
   */
  outboundHttp: boolean;
  /**
   * `GATEWAY_TRUSTED_ISSUERS`: issuer DIDs/URLs, verification method ids and `jkt:{JWK thumbprint}` entries the
   * `trust` check vouches for (comma or space separated), besides those stored through `PUT /v1/admin/trust/issuers`.
   */
  trustedIssuers?: string;
  /**
   * `GATEWAY_PAGE_VERIFIER`: the registered issuer (slug) whose key signs the OpenID4VP requests of the verifier
   * page's "Ask a wallet" (docs/eudi.md). Unset: the page cannot ask a wallet.
   */
  pageVerifier?: string;
  /** Europass wallet deliveries and imports (`wallet-config.ts`). */
  wallet: WalletConfig;
  /** Quality-assurance registry (DEQAR) and attested conversion (`registry-config.ts`). */
  registry: RegistryConfig;
}

/** Limits on values inside requests and on the documents readers take. Every one has a `GATEWAY_MAX_*` variable. */
export interface InputLimitsConfig {
  /** Longest string anywhere in a JSON body, except the top-level `document` (bounded by the body size). */
  maxStringChars: number;
  /** Dates in `validFrom`, `validUntil`, `issuanceDate`, ... must have a year in this range. */
  minYear: number;
  maxYear: number;
  maxXmlBytes: number;
  maxXmlDepth: number;
  maxSheetRows: number;
  maxCellChars: number;
  /** Decompressed size of an XLSX (zip bomb guard). */
  maxXlsxBytes: number;
  /** The work budget of synchronous routes (`core/work-budget.ts`); bulk jobs are not bound by it. */
  maxSyncRows: number;
  maxPresentationCredentials: number;
  maxRegistryLookups: number;
  /** Records of a job document sent in the request (more are uploaded and read by the worker). */
  maxInlineJobRows: number;
}

/** Requests per minute per caller (bucket size = one minute's worth); `0` = unlimited for that role. */
export interface RateLimitConfig {
  enabled: boolean;
  publicPerMinute: number;
  registryPerMinute: number;
  issuerPerMinute: number;
}

type Env = Record<string, string | undefined>;

function nonNegativeInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function dynaliteVar(raw: string | undefined): "process" | "in-process" {
  if (raw === undefined || raw === "" || raw === "process") return "process";
  if (raw === "in-process") return raw;
  throw new Error(`GATEWAY_DYNALITE must be process or in-process, got "${raw}"`);
}

/**
 * KMS's asymmetric `Sign` quota is 1,000 requests/s per account and Region for ECC and for RSA (AWS's current quota
 * table; adjustable); the jobs take 90% of it by default and leave the rest to single issuances and verifications.
 */
export const DEFAULT_AWS_SIGNING_RATE = 900;

function signingRateOf(env: Env, mode: "aws" | "local"): { signingRate?: number } {
  if (env.GATEWAY_SIGNING_RATE === "off") return {};
  if (env.GATEWAY_SIGNING_RATE === undefined || env.GATEWAY_SIGNING_RATE === "")
    return mode === "aws" ? { signingRate: DEFAULT_AWS_SIGNING_RATE } : {};
  return { signingRate: intVar(env, "GATEWAY_SIGNING_RATE", DEFAULT_AWS_SIGNING_RATE) };
}

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
  // The use cases' JSON-LD loader serves the extension context under this URL from memory, as every declared context
  // (they build it from the formats' contexts with this URL), and the OB 3.0 reader recognises it.
  const ob3ElmContextUrl = ob3ElmContextUrlOf(env, publicUrl);
  const inputLimits: InputLimitsConfig = {
    maxStringChars: intVar(env, "GATEWAY_MAX_STRING_CHARS", 1024 * 1024),
    minYear: intVar(env, "GATEWAY_MIN_YEAR", 1900),
    maxYear: intVar(env, "GATEWAY_MAX_YEAR", 2200),
    maxXmlBytes: intVar(env, "GATEWAY_MAX_XML_BYTES", 10 * 1024 * 1024),
    maxXmlDepth: intVar(env, "GATEWAY_MAX_XML_DEPTH", 256),
    maxSheetRows: intVar(env, "GATEWAY_MAX_SHEET_ROWS", 100_000),
    maxCellChars: intVar(env, "GATEWAY_MAX_CELL_CHARS", 32 * 1024),
    maxXlsxBytes: intVar(env, "GATEWAY_MAX_XLSX_BYTES", 50 * 1024 * 1024),
    maxSyncRows: intVar(env, "GATEWAY_MAX_SYNC_ROWS", DEFAULT_WORK_BUDGET.maxSyncRows),
    maxPresentationCredentials: intVar(
      env,
      "GATEWAY_MAX_PRESENTATION_CREDENTIALS",
      DEFAULT_WORK_BUDGET.maxPresentationCredentials,
    ),
    maxRegistryLookups: intVar(env, "GATEWAY_MAX_REGISTRY_LOOKUPS", DEFAULT_WORK_BUDGET.maxRegistryLookups),
    maxInlineJobRows: intVar(env, "GATEWAY_MAX_INLINE_JOB_ROWS", DEFAULT_WORK_BUDGET.maxInlineJobRows),
  };
  return {
    mode,
    publicUrl,
    ob3ElmContextUrl,
    port,
    dataDir: env.GATEWAY_DATA_DIR ?? ".data",
    appName: env.GATEWAY_APP_NAME ?? "edc-gateway",
    tableName: env.GATEWAY_TABLE_NAME ?? "edc-gateway",
    dynamoEndpoint: env.GATEWAY_DYNAMODB_ENDPOINT || undefined,
    jobsQueueUrl: env.GATEWAY_JOBS_QUEUE_URL || undefined,
    deliveriesQueueUrl: env.GATEWAY_DELIVERIES_QUEUE_URL || undefined,
    uploadsBucket: env.GATEWAY_UPLOADS_BUCKET || undefined,
    maxUploadBytes: intVar(env, "GATEWAY_MAX_UPLOAD_BYTES", 1024 * 1024 * 1024),
    ...(env.GATEWAY_JOB_CHUNK_ROWS ? { jobChunkRows: intVar(env, "GATEWAY_JOB_CHUNK_ROWS", 1) } : {}),
    ...signingRateOf(env, mode),
    dynalite: dynaliteVar(env.GATEWAY_DYNALITE),
    adminTokenSha256: hash,
    inputLimits,
    limits: {
      maxBodyBytes: intVar(env, "GATEWAY_MAX_BODY_BYTES", 5 * 1024 * 1024),
      maxJsonDepth: intVar(env, "GATEWAY_MAX_JSON_DEPTH", 64),
      maxJsonKeys: intVar(env, "GATEWAY_MAX_JSON_KEYS", 100_000),
      maxJsonValues: intVar(env, "GATEWAY_MAX_JSON_VALUES", DEFAULT_MAX_JSON_VALUES),
      maxArrayElements: intVar(env, "GATEWAY_MAX_ARRAY_ELEMENTS", DEFAULT_MAX_ARRAY_ELEMENTS),
      readers: { ...readerLimitsOf(inputLimits), ob3ElmContextUrl },
    },
    rateLimit: rateLimitOf(env, mode),
    requestTimeoutMs: intVar(env, "GATEWAY_REQUEST_TIMEOUT_MS", 25_000),
    kmsKeyPolicy: env.GATEWAY_KMS_KEY_POLICY || undefined,
    signerRoleArn: env.GATEWAY_SIGNER_ROLE_ARN || undefined,
    logLevel: env.POWERTOOLS_LOG_LEVEL ?? env.LOG_LEVEL ?? "INFO",
    outboundHttp: outbound === "on",
    trustedIssuers: env.GATEWAY_TRUSTED_ISSUERS || undefined,
    ...pageVerifierOf(env),
    wallet: readWalletConfig(env),
    registry: readRegistryConfig(env),
  };
}

/** `GATEWAY_PAGE_VERIFIER`, checked: an issuer slug (lower-case letters, digits and hyphens). */
function pageVerifierOf(env: Env): { pageVerifier?: string } {
  const raw = env.GATEWAY_PAGE_VERIFIER;
  if (!raw) return {};
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(raw))
    throw new Error(`GATEWAY_PAGE_VERIFIER must be an issuer slug, got "${raw}"`);
  return { pageVerifier: raw };
}

/** `GATEWAY_OB3_ELM_CONTEXT_URL`, checked: an absolute http(s) URL naming version 1 of the context. */
function ob3ElmContextUrlOf(env: Env, publicUrl: string): string {
  const raw = env.GATEWAY_OB3_ELM_CONTEXT_URL;
  if (raw === undefined || raw === "") return defaultOb3ElmContextUrl(publicUrl);
  if (!isPublishableContextUrl(raw)) {
    throw new Error(
      `GATEWAY_OB3_ELM_CONTEXT_URL must be an absolute https URL without query or fragment (never a URN), got "${raw}"`,
    );
  }
  // The URL names a version: the documents the gateway serves are v1, and a changed context would be a new URL.
  if (!/\/v1(\.json|\.jsonld)?$/.test(new URL(raw).pathname)) {
    throw new Error(`GATEWAY_OB3_ELM_CONTEXT_URL must end in /v1 or /v1.json (the version it names), got "${raw}"`);
  }
  return raw;
}

/**
 * Rate limiting is on by default in local mode (one process sees every request) and off in AWS, where API Gateway's
 * stage and route throttling applies (a Lambda container sees only a share of the traffic, so its buckets would not
 * be per caller).
 */
function rateLimitOf(env: Env, mode: "local" | "aws"): RateLimitConfig {
  const raw = env.GATEWAY_RATE_LIMIT ?? (mode === "local" ? "on" : "off");
  if (raw !== "on" && raw !== "off") throw new Error(`GATEWAY_RATE_LIMIT must be "on" or "off", got "${raw}"`);
  return {
    enabled: raw === "on",
    publicPerMinute: nonNegativeInt(env, "GATEWAY_RATE_PUBLIC_PER_MINUTE", 120),
    registryPerMinute: nonNegativeInt(env, "GATEWAY_RATE_REGISTRY_PER_MINUTE", 1200),
    issuerPerMinute: nonNegativeInt(env, "GATEWAY_RATE_ISSUER_PER_MINUTE", 600),
  };
}

/** The document readers' ceilings the configuration sets (XML size and depth, sheet rows and cells, XLSX size). */
export function readerLimitsOf(limits: InputLimitsConfig): ReaderLimits {
  return {
    xml: { maxBytes: limits.maxXmlBytes, maxDepth: limits.maxXmlDepth },
    sheet: { maxRows: limits.maxSheetRows, maxCellChars: limits.maxCellChars },
    zip: { maxUncompressedBytes: limits.maxXlsxBytes },
  };
}
