/**
 * `npm start`: the gateway on one machine. Starts the embedded DynamoDB (dynalite, persisted under the data dir),
 * makes sure the table exists, then serves every route of the contract on PORT through the same Lambda handlers
 * that run on AWS. Prints where to go: the verifier page, the API reference and console when the contract has them,
 * the OpenAPI document, and where the admin token is (never the token: terminals and CI logs keep what they show).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { ensureTable } from "../adapters/aws/table.js";
import { FileUploadStore } from "../adapters/local/file-uploads.js";
import { type GatewayDeps, getDeps } from "../composition.js";
import { readConfig } from "../config.js";
import { deployedHandlers } from "../handlers/all.js";
import { type Family, ROUTES } from "../http/contract.js";
import { type LambdaHttpHandler, loggableError } from "../http/family.js";
import { startLocalDeliveryWorker } from "./delivery-worker.js";
import { type DynaliteProcess, startDynaliteProcess } from "./dynalite-process.js";
import { createLocalGateway, type LocalGatewayOptions } from "./gateway.js";
import { prettifyStream, wantsPrettyLogs } from "./log-format.js";
import type { WalletEmulator } from "./wallet-emulator.js";
import { startLocalWorker } from "./worker.js";

export interface RunningGateway {
  /** Where the server listens. */
  url: string;
  /** The public base URL issuer DIDs are built from (the listen URL unless GATEWAY_PUBLIC_URL says otherwise). */
  publicUrl: string;
  adminToken: string;
  /** The file holding the admin token, unless GATEWAY_ADMIN_TOKEN gave it. */
  adminTokenFile?: string;
  /** The Europass wallet deliveries and imports go to (`GATEWAY_WALLET_URL`); absent, they are refused. */
  walletUrl?: string;
  /** The issuer that signs attested conversions (`GATEWAY_BRIDGE_ISSUER`); absent, they are refused. */
  bridgeIssuer?: string;
  /** The wallet is the embedded emulator, started with the gateway (no GATEWAY_WALLET_URL). */
  walletEmulator?: boolean;
  /** The bridge issuer is the local one this data dir holds, made with a test certificate on first start. */
  localBridge?: boolean;
  close(): Promise<void>;
}

/** The slug of the bridge issuer a fresh local gateway makes (unless GATEWAY_BRIDGE_ISSUER names one). */
export const LOCAL_BRIDGE_SLUG = "local-bridge";

/**
 * Embedded defaults, so that a fresh `npm start` can do everything: the wallet emulator for deliveries and imports,
 * a local bridge issuer for attested conversion. `GATEWAY_LOCAL_DEFAULTS=off` leaves both off (tests that must see
 * a gateway with nothing in it); a setting naming the real thing (GATEWAY_WALLET_URL, GATEWAY_BRIDGE_ISSUER) wins.
 */
const localDefaults = (env: NodeJS.ProcessEnv): boolean => env.GATEWAY_LOCAL_DEFAULTS !== "off";

/**
 * The local bridge issuer, registered once in the data dir: a declared test issuer, so its self-signed eSeal
 * certificate says it is one (see `testOrganizationIdentifier`). Its token is not kept: the gateway signs attested
 * conversions with its keys itself, and the admin can make a token for it.
 */
async function ensureLocalBridge(deps: GatewayDeps): Promise<void> {
  if (await deps.store.getIssuer(LOCAL_BRIDGE_SLUG)) return;
  const { registerIssuer } = await import("../core/issuers/registration.js");
  await registerIssuer(
    { ...deps, publicUrl: deps.config.publicUrl, keys: deps.keys },
    // Belgium: the seat of the European Commission, which runs EDC; a test issuer's country is only its address.
    { name: "Local bridge issuer (test)", country: "BE", slug: LOCAL_BRIDGE_SLUG, testIssuer: true },
    { testCertificates: true },
  );
}

/**
 * The admin token kept in the data dir (mode 0600), made on first start: the same token across restarts, as the
 * issuers and credentials in the same dir are. A file others may read is narrowed to 0600 first.
 */
export function persistentAdminToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = join(dataDir, "admin-token");
  if (existsSync(file)) {
    if (process.platform !== "win32" && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const token = readFileSync(file, "utf8").trim();
    if (token) return { token, file, created: false };
  }
  const token = `admin-${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file, created: true };
}

/**
 * Node 20 is supported (package.json `engines`), and the AWS SDK versions the lockfile holds run on it. Their clients
 * still print, once per process, a 9-line NodeVersionSupportWarning that *later* SDK releases (from January 2027)
 * will need Node 22 (`emitWarningIfUnsupportedVersion` in @aws-sdk/core, which reads this variable). The SDK's own
 * switch turns it off; moving the lockfile past those releases means raising `engines` to 22 instead.
 */
function quietSdkNodeWarning(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

/** Starts the local gateway. Environment variables are the same as on AWS; see the README. */
export async function startLocalGateway(env: NodeJS.ProcessEnv = process.env): Promise<RunningGateway> {
  env.GATEWAY_MODE ??= "local";
  quietSdkNodeWarning();
  const config = readConfig(env);
  if (config.mode !== "local")
    throw new Error("npm start runs the local gateway: unset GATEWAY_MODE or set it to local");
  const dataDir = resolve(config.dataDir);
  mkdirSync(join(dataDir, "dynamodb"), { recursive: true });
  mkdirSync(join(dataDir, "keys"), { recursive: true, mode: 0o700 });

  // dynalite in a process of its own by default (the second core; see `dynalite-process.ts`).
  const db =
    config.dynalite === "process"
      ? await startDynaliteProcess(join(dataDir, "dynamodb"))
      : await inProcess(join(dataDir, "dynamodb"));
  const dbEndpoint = db.endpoint;
  env.GATEWAY_DYNAMODB_ENDPOINT = dbEndpoint;
  const ddb = new DynamoDBClient({
    endpoint: dbEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(ddb, config.tableName);
  ddb.destroy();

  let adminToken = env.GATEWAY_ADMIN_TOKEN ?? "";
  let adminTokenFile: string | undefined;
  if (!adminToken) {
    const kept = persistentAdminToken(dataDir);
    adminToken = kept.token;
    adminTokenFile = kept.file;
    env.GATEWAY_ADMIN_TOKEN = adminToken;
  }

  // Handlers read their configuration at first request (getDeps), and the public URL depends on the port bound below,
  // so they are put in place after listening and before the URL is printed.
  const handlers = {} as Record<Family, LambdaHttpHandler>;
  const gatewayOptions: LocalGatewayOptions = { maxBodyBytes: config.limits.maxBodyBytes, handlers };
  const server = createLocalGateway(gatewayOptions);
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(config.port, env.HOST ?? "127.0.0.1", () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const host = env.HOST ?? "127.0.0.1";
  const url = `http://${host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : host}:${port}`;
  const publicUrl = env.GATEWAY_PUBLIC_URL?.replace(/\/+$/, "") || url;
  env.GATEWAY_PUBLIC_URL = publicUrl;
  env.PORT = String(port);
  // The embedded defaults go into the environment the handlers' configuration is read from, before it is read.
  let emulator: WalletEmulator | undefined;
  if (localDefaults(env) && !env.GATEWAY_WALLET_URL) {
    const { startWalletEmulator } = await import("./wallet-emulator.js");
    emulator = await startWalletEmulator();
    env.GATEWAY_WALLET_URL = emulator.url;
    env.GATEWAY_WALLET_ALLOW_LOOPBACK = "on";
  }
  const localBridge = localDefaults(env) && !env.GATEWAY_BRIDGE_ISSUER;
  if (localBridge) env.GATEWAY_BRIDGE_ISSUER = LOCAL_BRIDGE_SLUG;
  Object.assign(handlers, deployedHandlers());
  const shared = await getDeps();
  if (localBridge) await ensureLocalBridge(shared);
  // Pre-signed bulk uploads are PUT to this server (S3 takes them on AWS).
  if (shared.uploads instanceof FileUploadStore) gatewayOptions.uploads = shared.uploads;
  // The bulk-job worker shares the handlers' dependencies (getDeps is process-wide), so it drains the same queue.
  const worker = startLocalWorker(shared, {
    onError: (error) => console.error("job chunk failed (will be retried):", JSON.stringify(loggableError(error))),
    onRecovered: ({ jobs, chunks, released }) => {
      if (jobs > 0) {
        console.log(`recovered ${jobs} unfinished job(s): ${chunks} chunk(s) queued again, ${released} claim(s) freed`);
      }
    },
  });

  // Wallet deliveries: re-queues what was pending when the previous process stopped, then drains the queue.
  const deps = await getDeps();
  const deliveryWorker = deps.wallet
    ? startLocalDeliveryWorker(deps, {
        concurrency: deps.config.wallet.concurrency,
        onError: (error) =>
          console.error(
            "delivery attempt not recorded (will be retried):",
            error instanceof Error ? error.name : error,
          ),
      })
    : undefined;

  return {
    url,
    publicUrl,
    adminToken,
    ...(adminTokenFile ? { adminTokenFile } : {}),
    ...(deps.config.wallet.url ? { walletUrl: deps.config.wallet.url } : {}),
    ...(deps.config.registry.bridgeIssuer ? { bridgeIssuer: deps.config.registry.bridgeIssuer } : {}),
    ...(emulator ? { walletEmulator: true } : {}),
    ...(localBridge ? { localBridge: true } : {}),
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      await worker.stop();
      await deliveryWorker?.stop();
      await emulator?.close();
      await db.close();
    },
  };
}

/** dynalite in the gateway's own process (`GATEWAY_DYNALITE=in-process`). */
async function inProcess(path: string): Promise<DynaliteProcess> {
  const db = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((ok, fail) => {
    db.once("error", fail);
    db.listen(0, "127.0.0.1", () => ok());
  });
  return {
    endpoint: `http://127.0.0.1:${(db.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => db.close(() => ok())),
  };
}

/** The pages a person opens first, those the contract serves: the verifier page, the API reference, the console. */
const PAGES: { path: string; label: string }[] = [
  { path: "/", label: "verifier page" },
  { path: "/docs", label: "API reference" },
  { path: "/console", label: "console" },
  { path: "/openapi.json", label: "OpenAPI" },
];

/** What `npm start` prints once it listens. */
export function startBanner(gw: RunningGateway, dataDir: string): string {
  const served = new Set(ROUTES.filter((r) => r.method === "GET").map((r) => r.path));
  const lines = [`EDC gateway listening on ${gw.url}`];
  if (gw.publicUrl !== gw.url) lines.push(`  public URL      ${gw.publicUrl}`);
  for (const page of PAGES) if (served.has(page.path)) lines.push(`  ${page.label.padEnd(15)} ${gw.url}${page.path}`);
  const token = gw.adminTokenFile
    ? `${gw.adminTokenFile} (mode 600; export GATEWAY_ADMIN_TOKEN="$(cat ${gw.adminTokenFile})")`
    : "from GATEWAY_ADMIN_TOKEN";
  lines.push(`  ${"admin token".padEnd(15)} ${token}`);
  lines.push(`  ${"data".padEnd(15)} ${dataDir}`);
  lines.push(...embeddedServices(gw, served));
  return `${lines.join("\n")}\n`;
}

/**
 * What a newcomer can try beyond the pages, and what is off until configured (with the setting that turns it on):
 * OpenID4VCI (every registered issuer is a Credential Issuer), Europass wallet deliveries, attested conversion.
 */
function embeddedServices(gw: RunningGateway, served: Set<string>): string[] {
  const lines: string[] = [];
  const label = (text: string) => `  ${text.padEnd(15)} `;
  if (served.has("/.well-known/openid-credential-issuer/oid4vci/{slug}")) {
    lines.push(
      `${label("OpenID4VCI")}each registered issuer: ${gw.publicUrl}/.well-known/openid-credential-issuer/oid4vci/{slug} (offers: POST /v1/issuers/{slug}/offers)`,
    );
  }
  lines.push(
    gw.walletEmulator
      ? `${label("wallet")}${gw.walletUrl} (the embedded Europass wallet emulator: deliveries and imports; GATEWAY_WALLET_URL for a real wallet)`
      : gw.walletUrl
        ? `${label("wallet")}${gw.walletUrl} (Europass wallet deliveries and imports)`
        : `${label("wallet")}none: deliveries and imports are refused; run \`npm run wallet-emulator\`, then restart with GATEWAY_WALLET_URL=<its URL> GATEWAY_WALLET_ALLOW_LOOPBACK=on`,
  );
  lines.push(
    gw.localBridge
      ? `${label("bridge issuer")}${gw.bridgeIssuer} (local test issuer with a test certificate, DID document ${gw.publicUrl}/issuers/${gw.bridgeIssuer}/did.json; signs attested conversions, POST /v1/convert with attest: true)`
      : gw.bridgeIssuer
        ? `${label("bridge issuer")}${gw.bridgeIssuer} (signs attested conversions, POST /v1/convert with attest: true)`
        : `${label("bridge issuer")}none: attested conversion is refused; register an issuer, then restart with GATEWAY_BRIDGE_ISSUER=<its slug>`,
  );
  return lines;
}

async function main(): Promise<void> {
  if (wantsPrettyLogs(process.env, process.stdout.isTTY === true)) {
    prettifyStream(process.stdout);
    prettifyStream(process.stderr);
  }
  const gw = await startLocalGateway();
  const stop = () => {
    gw.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Before the banner: whoever reads it may stop the gateway at once (a script, a test), and must find it listening.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(startBanner(gw, resolve(process.env.GATEWAY_DATA_DIR ?? ".data")));
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("functions/local/server.ts")) {
  main().catch((error: unknown) => {
    console.error("the local gateway failed to start:", error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
