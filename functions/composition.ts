/**
 * The composition root: the one place that chooses adapters. `GATEWAY_MODE=aws` wires DynamoDB, KMS and SQS;
 * `local` wires the same DynamoDB adapter against the embedded dynalite, a file key store and in-process queues.
 * Dependencies are built once per process (Lambda cold start) and shared by every request.
 */
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoCredentialStore } from "./adapters/aws/dynamo-store.js";
import { DynamoJobStore } from "./adapters/aws/job-store.js";
import { KmsKeyStore } from "./adapters/aws/kms-keys.js";
import { SqsQueue } from "./adapters/aws/sqs-queue.js";
import { DynamoStatusListStore } from "./adapters/aws/status-store.js";
import { FileKeyStore } from "./adapters/local/file-keys.js";
import { MemoryQueue } from "./adapters/local/memory-queue.js";
import { randomIds, systemClock } from "./adapters/local/system.js";
import { GuardedHttp } from "./adapters/shared/guarded-http.js";
import { type GatewayConfig, readConfig } from "./config.js";
import type {
  Clock,
  CredentialStore,
  IdGenerator,
  JobStore,
  KeyStore,
  OutboundHttp,
  Queue,
  Signer,
  StatusListStore,
} from "./core/ports.js";

export interface GatewayDeps {
  config: GatewayConfig;
  store: CredentialStore;
  keys: KeyStore;
  signer: Signer;
  clock: Clock;
  ids: IdGenerator;
  jobsQueue: Queue;
  deliveriesQueue: Queue;
  /** Outbound HTTP for verification (did:web of other hosts); absent unless `GATEWAY_OUTBOUND_HTTP=on`. */
  http?: OutboundHttp;
  /** Bulk jobs: the job items, their chunks and results (same table). */
  jobs: JobStore;
  /** Revocation: the issuers' Bitstring Status Lists (same table). */
  statusLists: StatusListStore;
}

/** Credentials for the embedded dynalite, which checks that requests are signed but not by whom. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

function documentClient(config: GatewayConfig): DynamoDBDocumentClient {
  const local = config.mode === "local";
  const client = new DynamoDBClient({
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
    ...(local ? { region: process.env.AWS_REGION ?? "us-east-1", credentials: LOCAL_CREDENTIALS } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

function queue(config: GatewayConfig, url: string | undefined, name: string, sqs: () => SQSClient): Queue {
  if (config.mode === "local") return new MemoryQueue();
  if (!url) throw new Error(`${name} must be set in aws mode`);
  return new SqsQueue({ client: sqs(), queueUrl: url });
}

/** Builds every port for the configured mode. */
export function buildDeps(config: GatewayConfig): GatewayDeps {
  if (config.mode === "local" && !config.dynamoEndpoint) {
    throw new Error("local mode needs GATEWAY_DYNAMODB_ENDPOINT (the local gateway starts dynalite and sets it)");
  }
  const dynamo = documentClient(config);
  const store = new DynamoCredentialStore({ client: dynamo, tableName: config.tableName });
  const keyStore =
    config.mode === "aws"
      ? new KmsKeyStore({ client: new KMSClient({}), appName: config.appName })
      : new FileKeyStore({ dir: join(config.dataDir, "keys") });
  let sqsClient: SQSClient | undefined;
  const sqs = () => {
    sqsClient ??= new SQSClient({});
    return sqsClient;
  };
  return {
    config,
    store,
    keys: keyStore,
    signer: keyStore,
    clock: systemClock,
    ids: randomIds,
    jobsQueue: queue(config, config.jobsQueueUrl, "GATEWAY_JOBS_QUEUE_URL", sqs),
    deliveriesQueue: queue(config, config.deliveriesQueueUrl, "GATEWAY_DELIVERIES_QUEUE_URL", sqs),
    ...(config.outboundHttp ? { http: new GuardedHttp() } : {}),
    jobs: new DynamoJobStore({ client: dynamo, tableName: config.tableName }),
    statusLists: new DynamoStatusListStore({ client: dynamo, tableName: config.tableName }),
  };
}

let shared: Promise<GatewayDeps> | undefined;

/** The process-wide dependencies, built on first use from the environment. */
export function getDeps(): Promise<GatewayDeps> {
  shared ??= Promise.resolve().then(() => buildDeps(readConfig()));
  return shared;
}
