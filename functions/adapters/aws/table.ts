/**
 * The gateway's one DynamoDB table, described as data so that the adapters, the local embedded DynamoDB (dynalite)
 * and the CDK stack (`infra/`) all build the same table from the same names.
 *
 * Access patterns (every item has string keys `pk`/`sk`; `entity` names the item kind):
 *
 * | item          | pk                   | sk          | gsi1pk     | gsi1sk                  | notes                     |
 * |---------------|----------------------|-------------|------------|-------------------------|---------------------------|
 * | issuer        | `ISSUER#{slug}`      | `ISSUER`    | `ISSUERS`  | `{createdAt}#{slug}`    | list issuers oldest first |
 * | API token     | `TOKEN#{tokenId}`    | `TOKEN`     | -          | -                       | only the secret's hash    |
 * | issuer by DID | `ISSUERDID#{did}`    | `ISSUERDID` | -          | -                       | the issuer's slug         |
 * | issuer by cert| `ISSUERCERT#{sha256}`| `ISSUERCERT`| -          | -                       | the issuer's slug         |
 *
 * Reserved for later work (same conventions: the owning entity in `pk`, the item kind in `sk`, a `gsi1` pair only
 * when something must be listed across partitions, `expiresAt` for items that may be forgotten):
 * - issued credential: pk `CREDENTIAL#{id}`, sk `CREDENTIAL`; per issuer listing via gsi1pk `ISSUER#{slug}#CREDENTIALS`.
 * - status list: see `status-store.ts` (pk `STATUSLIST#{listId}`, sk `STATUSLIST`: gzipped bits, allocation counter,
 *   version; the issuer's current list pk `ISSUER#{slug}`, sk `STATUSLIST#{purpose}`; audit events pk
 *   `CREDENTIAL#{id}`, sk `STATUSEVENT#{at}#{eventId}`).
 * - bulk job: see `job-store.ts` (pk `JOB#{id}`; sk `JOB` with counters, `CHUNK#{n}` inputs, `RESULT#{row}` outcomes;
 *   per issuer listing via gsi1pk `ISSUER#{slug}#JOBS`; every item expires with the job).
 * - delivery: see `delivery-store.ts` (pk `DELIVERY#{id}`, sk `DELIVERY`: state, attempts, lease; while pending also
 *   the payload to retry with).
 * - idempotency record: pk `IDEMPOTENCY#{caller}#{key}`, sk `IDEMPOTENCY`, with `expiresAt`.
 * - audit event: pk `AUDIT#{yyyy-mm-dd}`, sk `{timestamp}#{id}`, with `expiresAt`.
 * - quality-assurance registry: see `registry-store.ts` (pk `REGISTRY#INSTITUTION#{key}` with sk `INSTITUTION` and
 *   `REPORT#{id}` copies; `REGISTRY#REPORT#{id}`; `REGISTRY#LOOKUP#{lookup}` → institution keys; `REGISTRY#AGENCY#{id}`).
 */

import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";

/** Partition key attribute of every item. */
export const PARTITION_KEY = "pk";
/** Sort key attribute of every item. */
export const SORT_KEY = "sk";
/** The one global secondary index, for listings across partitions. */
export const GSI1_NAME = "gsi1";
export const GSI1_PARTITION_KEY = "gsi1pk";
export const GSI1_SORT_KEY = "gsi1sk";
/** TTL attribute (epoch seconds): DynamoDB deletes the item some time after this instant. */
export const TTL_ATTRIBUTE = "expiresAt";
/** Attribute naming the kind of item (`issuer`, `token`, ...), for readers and for the console. */
export const ENTITY_ATTRIBUTE = "entity";

/** Key prefixes and constant sort keys of the access patterns documented above. */
export const KEY_PREFIX = {
  issuer: "ISSUER#",
  token: "TOKEN#",
  /** Issuance record: pk `CREDENTIAL#{credentialId}`, sk `ISSUANCE`. */
  credential: "CREDENTIAL#",
  /** Idempotency record: pk `IDEMPOTENCY#{issuerSlug}#{sha256(key)}`, sk `IDEMPOTENCY`, expiring by TTL. */
  idempotency: "IDEMPOTENCY#",
  /** Bulk job: pk `JOB#{jobId}` holds the job, its chunks and its results (job-store.ts). */
  job: "JOB#",
  /** A job's chunk: sk `CHUNK#{index, 6 digits}`. */
  jobChunk: "CHUNK#",
  /** A job's row result: sk `RESULT#{row, 10 digits}`, so results list in row order. */
  jobResult: "RESULT#",
  /** Issuer lookup by DID: pk `ISSUERDID#{did}`, sk `ISSUERDID`, holding the issuer's slug (written with the issuer). */
  issuerDid: "ISSUERDID#",
  /** Issuer lookup by seal certificate: pk `ISSUERCERT#{sha256(leaf DER)}`, sk `ISSUERCERT`, holding the slug. */
  issuerCertificate: "ISSUERCERT#",
  /** Status list: pk `STATUSLIST#{listId}`, sk `STATUSLIST` (bits, allocation counter, version); see `status-store.ts`. */
  statusList: "STATUSLIST#",
  /** OpenID4VCI offer (with its hashed code and token): pk `OID4VCI#OFFER#{offerId}`, sk `OFFER`; see `oid4vci-store.ts`. */
  oid4vciOffer: "OID4VCI#OFFER#",
  /** OpenID4VP presentation request: pk `OID4VP#REQUEST#{id}`, sk `REQUEST`; see `oid4vp-store.ts`. */
  oid4vpRequest: "OID4VP#REQUEST#",
  /** OpenID4VCI `c_nonce`: pk `OID4VCI#NONCE#{sha256(nonce)}`, sk `NONCE`, expiring by TTL. */
  oid4vciNonce: "OID4VCI#NONCE#",
  /** Wallet delivery: pk `DELIVERY#{id}`, sk `DELIVERY`; see `delivery-store.ts`. */
  delivery: "DELIVERY#",
  /** Quality-assurance registry (`registry-store.ts`): an institution, and the copies of the reports covering it. */
  registryInstitution: "REGISTRY#INSTITUTION#",
  /** A registry report: pk `REGISTRY#REPORT#{id}`, sk `REPORT`. */
  registryReport: "REGISTRY#REPORT#",
  /** A shared token bucket (the job workers' signing budget): pk `BUDGET#{name}`, sk `BUDGET`; see `job-store.ts`. */
  budget: "BUDGET#",
  /** A registry lookup: pk `REGISTRY#LOOKUP#{ID#…|SCHAC#…|NAME#{country}#…}`, sk the institution's key. */
  registryLookup: "REGISTRY#LOOKUP#",
  /** A quality assurance agency: pk `REGISTRY#AGENCY#{id}`, sk `AGENCY`. */
  registryAgency: "REGISTRY#AGENCY#",
  /** What the last registry import of each scope stored: pk `REGISTRY#IMPORT`, sk the scope. */
  registryImport: "REGISTRY#IMPORT",
} as const;
export const SORT_KEY_VALUE = {
  issuer: "ISSUER",
  /** A slug held while its issuer's keys are being created (pk `ISSUER#{slug}`), expiring by TTL. */
  reservation: "RESERVATION",
  token: "TOKEN",
  issuance: "ISSUANCE",
  idempotency: "IDEMPOTENCY",
  /** The job item itself (counters), pk `JOB#{jobId}`. */
  job: "JOB",
  statusList: "STATUSLIST",
  issuerDid: "ISSUERDID",
  issuerCertificate: "ISSUERCERT",
  /** Prefix of the sk of an issuer's current-list pointer: pk `ISSUER#{slug}`, sk `STATUSLIST#{purpose}`. */
  statusListCursor: "STATUSLIST#",
  /** Prefix of the sk of a status audit event: pk `CREDENTIAL#{credentialId}`, sk `STATUSEVENT#{at}#{eventId}`. */
  statusEvent: "STATUSEVENT#",
  oid4vciOffer: "OFFER",
  oid4vpRequest: "REQUEST",
  oid4vciNonce: "NONCE",
  delivery: "DELIVERY",
  /** The registry institution item itself, pk `REGISTRY#INSTITUTION#{key}`. */
  registryInstitution: "INSTITUTION",
  /** Prefix of the sk of a report's copy under an institution it covers: `REPORT#{reportId}`. */
  registryReportCopy: "REPORT#",
  registryReport: "REPORT",
  registryAgency: "AGENCY",
  budget: "BUDGET",
} as const;
/** gsi1pk of the issuer listing. */
export const ISSUERS_LISTING = "ISSUERS";

/** The table's key schema, index and billing, as the DynamoDB API (and the CDK `TableV2` props) describe them. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: "S" },
      { AttributeName: SORT_KEY, AttributeType: "S" },
      { AttributeName: GSI1_PARTITION_KEY, AttributeType: "S" },
      { AttributeName: GSI1_SORT_KEY, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: SORT_KEY, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1_NAME,
        KeySchema: [
          { AttributeName: GSI1_PARTITION_KEY, KeyType: "HASH" },
          { AttributeName: GSI1_SORT_KEY, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

export interface EnsureTableOptions {
  /** Give up waiting for ACTIVE after this long. Default 30 s. */
  timeoutMs?: number;
  /** Pause between DescribeTable polls. Default 50 ms. */
  pollMs?: number;
}

/**
 * Creates the table when it does not exist yet and waits until it and its index are ACTIVE, then turns TTL on.
 * Used by the local composition root and the tests; on AWS the CDK stack owns the table. Safe to call concurrently
 * (a lost creation race just waits) and on an existing table (no changes).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  if (!(await tableExists(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await waitUntilActive(client, tableName, timeoutMs, pollMs);
  await enableTtl(client, tableName);
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function waitUntilActive(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs: number,
  pollMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
    if (Date.now() >= deadline) {
      throw new Error(`table ${tableName} is not ACTIVE after ${timeoutMs} ms (status ${Table?.TableStatus})`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Turns TTL on. dynalite does not implement UpdateTimeToLive (nor expiry): there the step is skipped. */
async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === "ENABLED" || status === "ENABLING") return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === "UnknownOperationException") return;
    throw error;
  }
}
