/**
 * The composition root: the one place that chooses adapters. `GATEWAY_MODE=aws` wires DynamoDB, KMS and SQS;
 * `local` wires the same DynamoDB adapter against the embedded dynalite, a file key store and in-process queues.
 * Dependencies are built once per process (Lambda cold start) and shared by every request.
 */
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { STSClient } from "@aws-sdk/client-sts";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDeliveryStore } from "./adapters/aws/delivery-store.js";
import { DynamoCredentialStore } from "./adapters/aws/dynamo-store.js";
import { DynamoJobStore } from "./adapters/aws/job-store.js";
import { KmsKeyStore } from "./adapters/aws/kms-keys.js";
import { IssuerSessions } from "./adapters/aws/sts-sessions.js";
import { DynamoOid4vciStore } from "./adapters/aws/oid4vci-store.js";
import { DynamoRegistryStore } from "./adapters/aws/registry-store.js";
import { S3UploadStore } from "./adapters/aws/s3-uploads.js";
import { SqsQueue } from "./adapters/aws/sqs-queue.js";
import { DynamoStatusListStore } from "./adapters/aws/status-store.js";
import { DynamoTrustStore } from "./adapters/aws/trust-store.js";
import { FileKeyStore } from "./adapters/local/file-keys.js";
import { FileUploadStore } from "./adapters/local/file-uploads.js";
import { MemoryQueue } from "./adapters/local/memory-queue.js";
import { randomIds, systemClock } from "./adapters/local/system.js";
import { EuropassWalletClient } from "./adapters/shared/europass-wallet.js";
import { GuardedHttp } from "./adapters/shared/guarded-http.js";
import { type GatewayConfig, readConfig } from "./config.js";
import type {
  Clock,
  CredentialStore,
  DeliveryStore,
  IdGenerator,
  JobStore,
  KeyStore,
  Oid4vciStore,
  OutboundHttp,
  OutboundRequester,
  Queue,
  RegistryStore,
  Signer,
  StatusListStore,
  TrustStore,
  UploadStore,
  WalletClient,
} from "./core/ports.js";
import { DeqarTrustSource } from "./core/registry/trust-source.js";
import type { TrustSource } from "./core/trust.js";
import { parseTrustedIssuersEnv } from "./core/trust-admin.js";
import { certificateRootsSource, trustedIssuersSource } from "./core/trust-sources.js";

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
  /** Bulk-job inputs uploaded with pre-signed URLs (S3; files under the data dir locally); absent without a bucket. */
  uploads?: UploadStore;
  /** OpenID4VCI: credential offers (hashed code and token) and c_nonces (same table). */
  oid4vci: Oid4vciStore;
  /** Trust registry: configured trusted issuers and imported trusted lists (same table). */
  trust: TrustStore;
  /**
   * What the verify `trust` check consults, in order. Register further sources (DEQAR, ...) here, in
   * {@link buildDeps}.
   */
  trustSources: TrustSource[];
  /** Europass wallet deliveries (same table). */
  deliveries: DeliveryStore;
  /** The Europass wallet; absent unless `GATEWAY_WALLET_URL` is set. */
  wallet?: WalletClient;
  /** Where deliveries go after their last attempt (the deliveries DLQ; in process locally). */
  deliveriesDlq?: Queue;
  /** Quality-assurance registry: DEQAR institutions, agencies and reports (same table). */
  registry: RegistryStore;
  /** Outbound HTTP for DEQAR API imports (its own guard: loopback only with `GATEWAY_DEQAR_ALLOW_LOOPBACK=on`). */
  registryHttp: OutboundRequester;
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

/**
 * The trust registry's store and the sources the verify `trust` check consults, in order: configured trusted
 * issuers (`GATEWAY_TRUSTED_ISSUERS` and the stored ones), then certificate roots (imported EU trusted lists and
 * configured roots). Register further sources (DEQAR, ...) here; the test gateway builds its trust deps with this too.
 */
export function trustDepsFor(
  config: GatewayConfig,
  dynamo: DynamoDBDocumentClient,
  clock: Clock,
): Pick<GatewayDeps, "trust" | "trustSources"> {
  const trust = new DynamoTrustStore({ client: dynamo, tableName: config.tableName });
  const trustSources: TrustSource[] = [
    trustedIssuersSource({ configured: parseTrustedIssuersEnv(config.trustedIssuers), store: trust }),
    certificateRootsSource({ store: trust, clock }),
    // Whether awarding bodies are DEQAR-registered, ESG-reviewed institutions (issue 12): vouches for claims only.
    new DeqarTrustSource({ registry: new DynamoRegistryStore({ client: dynamo, tableName: config.tableName }), clock }),
  ];
  return { trust, trustSources };
}

/**
 * The delivery store, the wallet client (over its own guarded HTTP: loopback only with
 * `GATEWAY_WALLET_ALLOW_LOOPBACK=on`) and the deliveries dead-letter queue. The test gateway builds them with this too.
 */
export function walletDepsFor(
  config: GatewayConfig,
  dynamo: DynamoDBDocumentClient,
  sqs?: () => SQSClient,
): Pick<GatewayDeps, "deliveries" | "wallet" | "deliveriesDlq"> {
  const { wallet } = config;
  const http = new GuardedHttp({
    allowHttp: wallet.allowLoopback,
    allowLoopback: wallet.allowLoopback,
    timeoutMs: wallet.timeoutMs,
    maxBytes: 5 * 1024 * 1024,
  });
  const dlq =
    config.mode === "local"
      ? new MemoryQueue()
      : wallet.dlqUrl && sqs
        ? new SqsQueue({ client: sqs(), queueUrl: wallet.dlqUrl })
        : undefined;
  return {
    deliveries: new DynamoDeliveryStore({ client: dynamo, tableName: config.tableName }),
    ...(wallet.url
      ? {
          wallet: new EuropassWalletClient({
            http,
            baseUrl: wallet.url,
            timeoutMs: wallet.timeoutMs,
            ...(wallet.token ? { token: wallet.token } : {}),
          }),
        }
      : {}),
    ...(dlq ? { deliveriesDlq: dlq } : {}),
  };
}

/**
 * The quality-assurance registry's store and the guarded HTTP client DEQAR API imports use (larger answers and a longer
 * budget than verification's, no cache). The test gateway builds them with this too.
 */
export function registryDepsFor(
  config: GatewayConfig,
  dynamo: DynamoDBDocumentClient,
): Pick<GatewayDeps, "registry" | "registryHttp"> {
  const { allowLoopback } = config.registry;
  return {
    registry: new DynamoRegistryStore({ client: dynamo, tableName: config.tableName }),
    registryHttp: new GuardedHttp({
      allowHttp: allowLoopback,
      allowLoopback,
      timeoutMs: 20_000,
      maxBytes: 4 * 1024 * 1024,
    }),
  };
}

/** The upload store: S3 when a bucket is configured (aws mode), files under the data dir locally. */
function uploadsOf(config: GatewayConfig): { uploads?: UploadStore } {
  if (config.mode === "local") {
    const dir = join(config.dataDir, "uploads");
    return {
      uploads: new FileUploadStore({ dir, publicUrl: config.publicUrl, maxBytes: config.maxUploadBytes }),
    };
  }
  if (!config.uploadsBucket) return {};
  return { uploads: new S3UploadStore({ client: new S3Client({}), bucket: config.uploadsBucket }) };
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
      ? new KmsKeyStore({
          client: new KMSClient({}),
          appName: config.appName,
          ...(config.kmsKeyPolicy ? { keyPolicy: config.kmsKeyPolicy } : {}),
          ...(config.signerRoleArn
            ? {
                signerSessions: new IssuerSessions({
                  client: new STSClient({}),
                  roleArn: config.signerRoleArn,
                  open: (credentials) => new KMSClient({ credentials }),
                  close: (kms) => kms.destroy(),
                }),
              }
            : {}),
        })
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
    ...uploadsOf(config),
    oid4vci: new DynamoOid4vciStore({ client: dynamo, tableName: config.tableName }),
    ...trustDepsFor(config, dynamo, systemClock),
    ...walletDepsFor(config, dynamo, sqs),
    ...registryDepsFor(config, dynamo),
  };
}

let shared: Promise<GatewayDeps> | undefined;

/** The process-wide dependencies, built on first use from the environment. */
export function getDeps(): Promise<GatewayDeps> {
  shared ??= Promise.resolve().then(() => buildDeps(readConfig()));
  return shared;
}
