/**
 * The composition root: the one place that chooses adapters. `GATEWAY_MODE=aws` wires DynamoDB, KMS and SQS;
 * `local` wires the same DynamoDB adapter against the embedded dynalite, a file key store and in-process queues.
 * Dependencies are built once per process (on the first request) and shared by every request. Each Lambda function
 * wires only the ports its routes use (`depsFor` with the `…Port` factories below), so that its bundle carries only
 * those adapters and AWS SDK clients; `getDeps()` wires them all (the local server, tools).
 */
import { join } from "node:path";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDeliveryStore } from "./adapters/aws/delivery-store.js";
import { documentClient } from "./adapters/aws/document-client.js";
import { DynamoCredentialStore } from "./adapters/aws/dynamo-store.js";
import { DynamoJobStore } from "./adapters/aws/job-store.js";
import { LazyKmsKeyStore } from "./adapters/aws/kms-keys-lazy.js";
import { DynamoOid4vciStore } from "./adapters/aws/oid4vci-store.js";
import { DynamoOid4vpStore } from "./adapters/aws/oid4vp-store.js";
import { DynamoRegistryStore } from "./adapters/aws/registry-store.js";
import { LazyS3UploadStore } from "./adapters/aws/s3-uploads-lazy.js";
import { LazySqsQueue } from "./adapters/aws/sqs-queue-lazy.js";
import { DynamoStatusListStore } from "./adapters/aws/status-store.js";
import { DynamoTrustStore } from "./adapters/aws/trust-store.js";
import { FileKeyStore } from "./adapters/local/file-keys.js";
import { FileUploadStore } from "./adapters/local/file-uploads.js";
import { MemoryQueue } from "./adapters/local/memory-queue.js";
import { EuropassWalletClient } from "./adapters/shared/europass-wallet.js";
import { GuardedHttp } from "./adapters/shared/guarded-http.js";
import { type GatewayConfig, readConfig } from "./config.js";
import type { RegistryStore } from "./core/registry/store.js";
import type { TrustSource } from "./core/trust/trust.js";
import type {
  Clock,
  CredentialStore,
  DeliveryStore,
  IdGenerator,
  JobStore,
  KeyStore,
  Oid4vciStore,
  Oid4vpStore,
  OutboundHttp,
  OutboundRequester,
  Queue,
  Signer,
  StatusListStore,
  TrustStore,
  UploadStore,
  WalletClient,
} from "./kernel/ports/index.js";
import { randomIds, systemClock } from "./kernel/system.js";

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
  /** OpenID4VP: the verifier's presentation requests (same table). */
  oid4vp: Oid4vpStore;
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

/** The table's document client: the configured endpoint (the embedded dynalite locally), else the SDK's default. */
function tableClient(config: GatewayConfig): DynamoDBDocumentClient {
  return documentClient({
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
    local: config.mode === "local",
  });
}

function queue(config: GatewayConfig, url: string | undefined, name: string): Queue {
  if (config.mode === "local") return new MemoryQueue();
  if (!url) throw new Error(`${name} must be set in aws mode`);
  // The SQS client loads on the queue's first use, not at init (`sqs-queue-lazy.ts`).
  return new LazySqsQueue(url);
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
  return { trust, trustSources: trustSourcesOf(config, trust, dynamo, clock) };
}

/** The verify `trust` check's sources, in order (see {@link trustDepsFor}). */
function trustSourcesOf(
  config: GatewayConfig,
  trust: TrustStore,
  dynamo: DynamoDBDocumentClient,
  clock: Clock,
): TrustSource[] {
  return [
    lazySource("trusted-issuers", async () => {
      const [{ trustedIssuersSource }, { parseTrustedIssuersEnv }] = await Promise.all([
        import("./core/trust/sources.js"),
        import("./core/trust/admin.js"),
      ]);
      return trustedIssuersSource({ configured: parseTrustedIssuersEnv(config.trustedIssuers), store: trust });
    }),
    lazySource("trusted-list", async () =>
      (await import("./core/trust/sources.js")).certificateRootsSource({ store: trust, clock }),
    ),
    // Whether awarding bodies are DEQAR-registered, ESG-reviewed institutions: vouches for claims only. Its matching
    // carries the ISO 3166 country names, loaded on its first assessment too.
    lazySource("deqar", async () => {
      const { DeqarTrustSource } = await import("./core/registry/trust-source.js");
      return new DeqarTrustSource({
        registry: new DynamoRegistryStore({ client: dynamo, tableName: config.tableName }),
        clock,
      });
    }),
  ];
}

/**
 * A trust source whose module loads on its first assessment: the configured issuers and the certificate roots need
 * x509, which would otherwise load at the init of every function that verifies. Nothing here imports
 * those modules statically (not even their source names, which `test/infra/bundling.test.ts` holds to theirs): a
 * module imported both ways is loaded at init whole. `parseTrustedIssuersEnv` never throws (it only splits the list).
 */
function lazySource(name: string, load: () => Promise<TrustSource>): TrustSource {
  let source: Promise<TrustSource> | undefined;
  return {
    name,
    assess: async (subject) => {
      source ??= load();
      return (await source).assess(subject);
    },
  };
}

/**
 * The delivery store, the wallet client (over its own guarded HTTP: loopback only with
 * `GATEWAY_WALLET_ALLOW_LOOPBACK=on`) and the deliveries dead-letter queue. The test gateway builds them with this too.
 */
export function walletDepsFor(
  config: GatewayConfig,
  dynamo: DynamoDBDocumentClient,
  /** Whether SQS is there for the dead-letter queue (the test gateway has none). */
  sqs = false,
): Pick<GatewayDeps, "deliveries" | "wallet" | "deliveriesDlq"> {
  const wallet = walletClientOf(config);
  const dlq = deliveriesDlqOf(config, sqs);
  return {
    deliveries: new DynamoDeliveryStore({ client: dynamo, tableName: config.tableName }),
    ...(wallet ? { wallet } : {}),
    ...(dlq ? { deliveriesDlq: dlq } : {}),
  };
}

/** The Europass wallet client, when `GATEWAY_WALLET_URL` is set. */
function walletClientOf(config: GatewayConfig): WalletClient | undefined {
  const { wallet } = config;
  if (!wallet.url) return undefined;
  const http = new GuardedHttp({
    allowHttp: wallet.allowLoopback,
    allowLoopback: wallet.allowLoopback,
    timeoutMs: wallet.timeoutMs,
    maxBytes: 5 * 1024 * 1024,
  });
  return new EuropassWalletClient({
    http,
    baseUrl: wallet.url,
    timeoutMs: wallet.timeoutMs,
    ...(wallet.token ? { token: wallet.token } : {}),
  });
}

/** The deliveries dead-letter queue: in process locally, SQS when configured in aws mode. */
function deliveriesDlqOf(config: GatewayConfig, sqs: boolean): Queue | undefined {
  if (config.mode === "local") return new MemoryQueue();
  return config.wallet.dlqUrl && sqs ? new LazySqsQueue(config.wallet.dlqUrl) : undefined;
}

/**
 * The quality-assurance registry's store and the guarded HTTP client DEQAR API imports use (larger answers and a longer
 * budget than verification's, no cache). The test gateway builds them with this too.
 */
export function registryDepsFor(
  config: GatewayConfig,
  dynamo: DynamoDBDocumentClient,
): Pick<GatewayDeps, "registry" | "registryHttp"> {
  return {
    registry: new DynamoRegistryStore({ client: dynamo, tableName: config.tableName }),
    registryHttp: registryHttpOf(config),
  };
}

function registryHttpOf(config: GatewayConfig): OutboundRequester {
  const { allowLoopback } = config.registry;
  return new GuardedHttp({ allowHttp: allowLoopback, allowLoopback, timeoutMs: 20_000, maxBytes: 4 * 1024 * 1024 });
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
  // The S3 client and adapter load on first use, not at init (`s3-uploads-lazy.ts`).
  return { uploads: new LazyS3UploadStore({ bucket: config.uploadsBucket }) };
}

/** The key store: KMS (with per-issuer STS sessions when a signer role is configured) or key files locally. */
function keyStoreOf(config: GatewayConfig): KeyStore & Signer {
  if (config.mode !== "aws") return new FileKeyStore({ dir: join(config.dataDir, "keys") });
  // The KMS and STS clients load on the first key operation, not at init (`kms-keys-lazy.ts`).
  return new LazyKmsKeyStore({
    appName: config.appName,
    ...(config.kmsKeyPolicy ? { keyPolicy: config.kmsKeyPolicy } : {}),
    ...(config.signerRoleArn ? { signerRoleArn: config.signerRoleArn } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Per-function wiring (cold start and bundle size). Each Lambda handler names the ports its routes use with
// the factories below (`depsFor({ store: storePort, ... })`); esbuild keeps only the factories, and so only the AWS SDK
// clients and adapters, that a handler names. `getDeps()` wires every port (the local server, tools). Whatever a
// function wires, a port is built once per process: the local server's families and its worker share one queue.
// ---------------------------------------------------------------------------------------------------------------------

/** A port of {@link GatewayDeps} (everything but the configuration, which every function has). */
export type PortName = Exclude<keyof GatewayDeps, "config">;

/** What a port factory builds with: the configuration, and clients or stores shared with other ports. */
export interface Wires {
  readonly config: GatewayConfig;
  /** The process's one instance of what `make` builds (keyed by `make`): a client or store several ports share. */
  shared<T>(make: (config: GatewayConfig) => T): T;
}

/** Builds one port; `undefined` for an optional port that the configuration leaves out (no wallet URL, ...). */
export type PortFactory<K extends PortName> = (wires: Wires) => GatewayDeps[K];

/** The ports one function uses, each with its factory. */
export type Wiring = { readonly [K in PortName]?: PortFactory<K> };

/**
 * The dependencies a wiring gives its routes: the configuration, the clock, the ids and exactly the ports it names
 * (optional ones stay optional). A family's routes are typed with it, so a route using a port its function does not
 * wire is a compile error, not a failure in production.
 */
export type WiredDeps<W extends Wiring> = Pick<GatewayDeps, "config" | "clock" | "ids" | (keyof W & PortName)>;

const table = (config: GatewayConfig) => config.tableName;
const dynamoOf = (wires: Wires): DynamoDBDocumentClient => wires.shared(tableClient);
const trustStoreOf = (wires: Wires): DynamoTrustStore =>
  wires.shared((config) => new DynamoTrustStore({ client: dynamoOf(wires), tableName: table(config) }));
const keysOf = (wires: Wires): KeyStore & Signer => wires.shared(keyStoreOf);

export const clockPort: PortFactory<"clock"> = () => systemClock;
export const idsPort: PortFactory<"ids"> = () => randomIds;
export const storePort: PortFactory<"store"> = (w) =>
  new DynamoCredentialStore({ client: dynamoOf(w), tableName: table(w.config) });
export const keysPort: PortFactory<"keys"> = keysOf;
export const signerPort: PortFactory<"signer"> = keysOf;
export const jobsQueuePort: PortFactory<"jobsQueue"> = (w) =>
  queue(w.config, w.config.jobsQueueUrl, "GATEWAY_JOBS_QUEUE_URL");
export const deliveriesQueuePort: PortFactory<"deliveriesQueue"> = (w) =>
  queue(w.config, w.config.deliveriesQueueUrl, "GATEWAY_DELIVERIES_QUEUE_URL");
export const httpPort: PortFactory<"http"> = (w) => (w.config.outboundHttp ? new GuardedHttp() : undefined);
export const jobsPort: PortFactory<"jobs"> = (w) =>
  new DynamoJobStore({ client: dynamoOf(w), tableName: table(w.config) });
export const statusListsPort: PortFactory<"statusLists"> = (w) =>
  new DynamoStatusListStore({ client: dynamoOf(w), tableName: table(w.config) });
export const uploadsPort: PortFactory<"uploads"> = (w) => uploadsOf(w.config).uploads;
export const oid4vciPort: PortFactory<"oid4vci"> = (w) =>
  new DynamoOid4vciStore({ client: dynamoOf(w), tableName: table(w.config) });
export const oid4vpPort: PortFactory<"oid4vp"> = (w) =>
  new DynamoOid4vpStore({ client: dynamoOf(w), tableName: table(w.config) });
export const trustPort: PortFactory<"trust"> = trustStoreOf;
export const trustSourcesPort: PortFactory<"trustSources"> = (w) =>
  trustSourcesOf(w.config, trustStoreOf(w), dynamoOf(w), systemClock);
export const deliveriesPort: PortFactory<"deliveries"> = (w) =>
  new DynamoDeliveryStore({ client: dynamoOf(w), tableName: table(w.config) });
export const walletPort: PortFactory<"wallet"> = (w) => walletClientOf(w.config);
export const deliveriesDlqPort: PortFactory<"deliveriesDlq"> = (w) => deliveriesDlqOf(w.config, true);
export const registryPort: PortFactory<"registry"> = (w) =>
  new DynamoRegistryStore({ client: dynamoOf(w), tableName: table(w.config) });
export const registryHttpPort: PortFactory<"registryHttp"> = (w) => registryHttpOf(w.config);

/** Every port: what {@link getDeps} and {@link buildDeps} wire. */
const ALL_PORTS: Required<Wiring> = {
  clock: clockPort,
  ids: idsPort,
  store: storePort,
  keys: keysPort,
  signer: signerPort,
  jobsQueue: jobsQueuePort,
  deliveriesQueue: deliveriesQueuePort,
  http: httpPort,
  jobs: jobsPort,
  statusLists: statusListsPort,
  uploads: uploadsPort,
  oid4vci: oid4vciPort,
  oid4vp: oid4vpPort,
  trust: trustPort,
  trustSources: trustSourcesPort,
  deliveries: deliveriesPort,
  wallet: walletPort,
  deliveriesDlq: deliveriesDlqPort,
  registry: registryPort,
  registryHttp: registryHttpPort,
};

/** What one process has built: per port and per shared maker, so that every wiring of the process shares them. */
interface Built {
  config: GatewayConfig;
  ports: Map<PortName, unknown>;
  shared: Map<unknown, unknown>;
}

function built(config: GatewayConfig): Built {
  if (config.mode === "local" && !config.dynamoEndpoint) {
    throw new Error("local mode needs GATEWAY_DYNAMODB_ENDPOINT (the local gateway starts dynalite and sets it)");
  }
  return { config, ports: new Map(), shared: new Map() };
}

/**
 * The dependencies a wiring names, built from (and memoised in) `state`. The clock and the ids are always there.
 * Ports a wiring leaves out are absent, and the result's type ({@link WiredDeps}) says so: a family's routes typed
 * with it cannot use a port their function does not wire. `handlers/all.ts` gives each family only its wiring in tests
 * too.
 */
function wire<W extends Wiring>(state: Built, wiring: W): WiredDeps<W> {
  const wires: Wires = {
    config: state.config,
    shared: <T>(make: (config: GatewayConfig) => T): T => {
      if (!state.shared.has(make)) state.shared.set(make, make(state.config));
      return state.shared.get(make) as T;
    },
  };
  const deps: Record<string, unknown> = { config: state.config };
  const all = { clock: clockPort, ids: idsPort, ...wiring } as Record<PortName, (wires: Wires) => unknown>;
  for (const [name, factory] of Object.entries(all) as [PortName, (wires: Wires) => unknown][]) {
    if (!state.ports.has(name)) state.ports.set(name, factory(wires));
    const port = state.ports.get(name);
    if (port !== undefined) deps[name] = port;
  }
  // Built name by name from the wiring's own keys above: each present member is the port its factory made.
  return deps as WiredDeps<W>;
}

/** Builds every port for the configuration (a fresh set, shared with nothing). */
export function buildDeps(config: GatewayConfig): GatewayDeps {
  return wire(built(config), ALL_PORTS);
}

/** The process's ports, built on first use from the environment. */
let processState: Built | undefined;
const processBuilt = (): Built => {
  processState ??= built(readConfig());
  return processState;
};

/**
 * A function's dependencies getter: only the ports `wiring` names (and the clock and ids), built on the first call
 * (the first request, not the import) and then shared by every request and every other wiring of the process.
 */
export function depsFor<W extends Wiring>(wiring: W): () => Promise<WiredDeps<W>> {
  let deps: Promise<WiredDeps<W>> | undefined;
  return () => {
    deps ??= Promise.resolve().then(() => wire(processBuilt(), wiring));
    return deps;
  };
}

let everything: (() => Promise<GatewayDeps>) | undefined;

/** The process-wide dependencies with every port wired (the local server, its worker and tools). */
export function getDeps(): Promise<GatewayDeps> {
  // Made on first call rather than at module load, so that a bundle which never calls it drops every factory.
  everything ??= depsFor(ALL_PORTS);
  return everything();
}
