/**
 * `npm start`: the gateway on one machine. Starts the embedded DynamoDB (dynalite, persisted under the data dir),
 * makes sure the table exists, then serves every route of the contract on PORT through the same Lambda handlers
 * that run on AWS. Prints the URL (and a generated admin token when none is configured).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { ensureTable } from "../adapters/aws/table.js";
import { FileUploadStore } from "../adapters/local/file-uploads.js";
import { getDeps } from "../composition.js";
import { readConfig } from "../config.js";
import { deployedHandlers } from "../handlers/all.js";
import type { Family } from "../http/contract.js";
import { type LambdaHttpHandler, loggableError } from "../http/family.js";
import { startLocalDeliveryWorker } from "./delivery-worker.js";
import { type DynaliteProcess, startDynaliteProcess } from "./dynalite-process.js";
import { createLocalGateway, type LocalGatewayOptions } from "./gateway.js";
import { startLocalWorker } from "./worker.js";

export interface RunningGateway {
  /** Where the server listens. */
  url: string;
  /** The public base URL issuer DIDs are built from (the listen URL unless GATEWAY_PUBLIC_URL says otherwise). */
  publicUrl: string;
  adminToken: string;
  close(): Promise<void>;
}

/** Starts the local gateway. Environment variables are the same as on AWS; see the README. */
export async function startLocalGateway(env: NodeJS.ProcessEnv = process.env): Promise<RunningGateway> {
  env.GATEWAY_MODE ??= "local";
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
  if (!adminToken) {
    adminToken = `admin-${randomBytes(24).toString("base64url")}`;
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
  Object.assign(handlers, deployedHandlers());
  const shared = await getDeps();
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
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      await worker.stop();
      await deliveryWorker?.stop();
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

async function main(): Promise<void> {
  const generated = !process.env.GATEWAY_ADMIN_TOKEN;
  const gw = await startLocalGateway();
  if (generated) console.log(`admin token (generated; set GATEWAY_ADMIN_TOKEN to keep one): ${gw.adminToken}`);
  console.log(`data in ${resolve(process.env.GATEWAY_DATA_DIR ?? ".data")}`);
  if (gw.publicUrl !== gw.url) console.log(`public URL ${gw.publicUrl}`);
  console.log(`EDC gateway listening on ${gw.url}`);
  const stop = () => {
    gw.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("functions/local/server.ts")) {
  main().catch((error: unknown) => {
    console.error("the local gateway failed to start:", error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
