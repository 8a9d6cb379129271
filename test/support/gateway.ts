/**
 * A gateway for integration tests: the real handlers and the real local HTTP front (route matching, v2 events) on a
 * free loopback port, with dependencies the test chooses (dynalite or moto for DynamoDB, the file store or moto's
 * KMS for keys).
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoCredentialStore } from "../../functions/adapters/aws/dynamo-store.js";
import { DynamoJobStore } from "../../functions/adapters/aws/job-store.js";
import { DynamoOid4vciStore } from "../../functions/adapters/aws/oid4vci-store.js";
import { DynamoOid4vpStore } from "../../functions/adapters/aws/oid4vp-store.js";
import { DynamoStatusListStore } from "../../functions/adapters/aws/status-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { FileKeyStore } from "../../functions/adapters/local/file-keys.js";
import { FileUploadStore } from "../../functions/adapters/local/file-uploads.js";
import { MemoryQueue } from "../../functions/adapters/local/memory-queue.js";
import { type GatewayDeps, registryDepsFor, trustDepsFor, walletDepsFor } from "../../functions/composition.js";
import { readConfig } from "../../functions/config.js";
import { handlersWith } from "../../functions/handlers/all.js";
import type { Family } from "../../functions/http/contract.js";
import type { LambdaHttpHandler } from "../../functions/http/family.js";
import type { KeyStore, Signer } from "../../functions/kernel/ports/index.js";
import { randomIds, systemClock } from "../../functions/kernel/system.js";
import { createLocalGateway, type LocalGatewayOptions } from "../../functions/local/gateway.js";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export interface TestGateway {
  url: string;
  deps: GatewayDeps;
  call(method: string, path: string, opts?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes; assertions check them.
  json: any;
}

/** A DynamoDB document client for an emulator endpoint (dynalite or moto). */
export function emulatorDocumentClient(endpoint: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export interface TestGatewayOptions {
  dynamoEndpoint: string;
  tableName?: string;
  /** Defaults to a file key store in a fresh temp directory. */
  keys?: KeyStore & Signer;
  env?: Record<string, string>;
}

export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const tableName = options.tableName ?? `t${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const docClient = emulatorDocumentClient(options.dynamoEndpoint);
  await ensureTable(docClient, tableName);
  const keyDir = mkdtempSync(join(tmpdir(), "gw-keys-"));
  const keys = options.keys ?? new FileKeyStore({ dir: keyDir });
  // The public URL (and so the issuers' did:web) depends on the port, so handlers are filled in after listening.
  const handlers = {} as Record<Family, LambdaHttpHandler>;
  const maxBodyBytes = Number(options.env?.GATEWAY_MAX_BODY_BYTES ?? 64 * 1024);
  const gatewayOptions: LocalGatewayOptions = { maxBodyBytes, handlers };
  const server = createLocalGateway(gatewayOptions);
  // Tests share one process with the server and block its event loop for seconds (verifying hundreds of proofs): with
  // Node's 5 s keep-alive the server can close an idle connection just as the client reuses it (ECONNRESET).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = readConfig({
    GATEWAY_MODE: "local",
    GATEWAY_PUBLIC_URL: url,
    GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    GATEWAY_TABLE_NAME: tableName,
    GATEWAY_DYNAMODB_ENDPOINT: options.dynamoEndpoint,
    GATEWAY_MAX_BODY_BYTES: String(maxBodyBytes),
    // Tests make many requests from one address; the rate-limit tests turn it on with their own quotas.
    GATEWAY_RATE_LIMIT: "off",
    ...options.env,
  });
  const deps: GatewayDeps = {
    config,
    store: new DynamoCredentialStore({ client: docClient, tableName }),
    keys,
    signer: keys,
    clock: systemClock,
    ids: randomIds,
    jobsQueue: new MemoryQueue(),
    deliveriesQueue: new MemoryQueue(),
    jobs: new DynamoJobStore({ client: docClient, tableName }),
    statusLists: new DynamoStatusListStore({ client: docClient, tableName }),
    oid4vci: new DynamoOid4vciStore({ client: docClient, tableName }),
    oid4vp: new DynamoOid4vpStore({ client: docClient, tableName }),
    ...trustDepsFor(config, docClient, systemClock),
    ...walletDepsFor(config, docClient),
    ...registryDepsFor(config, docClient),
    // Bulk-job uploads: files under the temp dir, PUT to this gateway as `npm start` takes them.
    uploads: new FileUploadStore({ dir: join(keyDir, "uploads"), publicUrl: url, maxBytes: config.maxUploadBytes }),
  };
  if (deps.uploads instanceof FileUploadStore) gatewayOptions.uploads = deps.uploads;
  Object.assign(
    handlers,
    handlersWith(async () => deps),
  );

  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };

  return {
    url,
    deps,
    call,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      docClient.destroy();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** An issuer registered through the API, as tests use it: its DID, slug and API token. */
export interface RegisteredIssuer {
  id: string;
  slug: string;
  token: string;
}

/** Registers an issuer with the admin token and checks it was created. */
export async function registerIssuer(gw: TestGateway, json: Record<string, unknown>): Promise<RegisteredIssuer> {
  const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json });
  if (res.status !== 201) throw new Error(`issuer registration failed (${res.status}): ${res.text}`);
  return res.json as RegisteredIssuer;
}
