/**
 * {@link JobStore} on the single DynamoDB table (`table.ts`). One partition per job holds everything about it:
 *
 * | item   | pk          | sk                       | gsi1pk                 | gsi1sk               | notes                          |
 * |--------|-------------|--------------------------|------------------------|----------------------|--------------------------------|
 * | job    | `JOB#{id}`  | `JOB`                    | `ISSUER#{slug}#JOBS`   | `{createdAt}#{id}`   | counters, finished chunk set   |
 * | chunk  | `JOB#{id}`  | `CHUNK#{index:06}`       | -                      | -                    | rows to issue, as JSON text    |
 * | result | `JOB#{id}`  | `RESULT#{row:010}`       | -                      | -                    | credential or error, JSON text |
 *
 * The job item also holds `readProgress` (a map: how far the reading of an uploaded input got, for a reader that
 * resumes) and one `progress#{index}` map per chunk in flight (rows with a result before the chunk is counted).
 *
 * | listing| `JOBS`      | `{createdAt}#{id}`       | `JOBS#OPEN` (while open)| `{createdAt}#{id}`  | issuer, id: every issuer's jobs |
 *
 * The listing item serves two patterns the job item's one GSI pair (per issuer) cannot: the admin's listing of every
 * job (a query of the `JOBS` partition, newest first) and the open jobs a restarted local worker recovers (a query of
 * the sparse gsi1 partition `JOBS#OPEN`, whose keys are removed when the job closes). One write per job creation
 * goes to that partition, far below a partition's limit. The listing item is written before the job item, so a job
 * that exists is always listed (a listing item whose job creation failed is skipped and closed).
 *
 * Every item carries the job's `expiresAt` (TTL). Bodies are stored as JSON text: credentials may nest deeper than
 * DynamoDB's 32 levels and hold empty strings or maps it would otherwise reshape.
 *
 * Idempotency: a result is a conditional put (`attribute_not_exists`), and a chunk is counted by one UpdateItem that
 * ADDs its counts and its index to the number set `finishedChunks` on condition that the set does not hold the index
 * yet — so a worker that repeats a chunk after a crash can neither count a row twice nor lose one.
 *
 * The chunk path also writes results in batches (`putResults`, BatchWriteItem, not conditional: the worker
 * writes only rows it found without a result) and records the chunk's status-index blocks on the chunk item once
 * (`status`, JSON text, set on condition that it is absent: a redelivered chunk reads the first attempt's blocks).
 */

import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conflict, GatewayError, validationFailed } from "../../kernel/errors.js";
import type {
  BudgetState,
  ChunkStatus,
  JobBatch,
  JobChunk,
  JobRecord,
  JobResult,
  JobRow,
  JobStore,
  ReadProgress,
  RecordOutcome,
} from "../../kernel/ports/index.js";
import { batchPut } from "./batch-write.js";
import { readBudgetItem, swapBudgetItem } from "./budget-items.js";
import { corruptItem, getItem, type Item, isConditionalCheckFailed, itemString, putIfAbsent } from "./items.js";
import {
  ENTITY_ATTRIBUTE,
  GSI1_NAME,
  GSI1_PARTITION_KEY,
  GSI1_SORT_KEY,
  KEY_PREFIX,
  PARTITION_KEY,
  SORT_KEY,
  SORT_KEY_VALUE,
  TTL_ATTRIBUTE,
} from "./table.js";

/** Results per page when the caller gives no limit. */
export const DEFAULT_RESULTS_PAGE = 500;
/** Largest results page. */
export const MAX_RESULTS_PAGE = 1000;

export interface DynamoJobStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const jobPk = (id: string) => KEY_PREFIX.job + id;
const chunkSk = (index: number) => KEY_PREFIX.jobChunk + String(index).padStart(6, "0");
const resultSk = (row: number) => KEY_PREFIX.jobResult + String(row).padStart(10, "0");
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** Partition of the listing items (every issuer's jobs). */
const JOBS_LISTING = "JOBS";
/** gsi1pk of the listing items of open jobs. */
const OPEN_JOBS = "JOBS#OPEN";
/** Jobs per listing page when the caller gives no limit, and the most. */
export const DEFAULT_JOBS_PAGE = 50;
export const MAX_JOBS_PAGE = 100;
const listingSk = (job: Pick<JobRecord, "id" | "createdAt">) => `${job.createdAt}#${job.id}`;
/** The job item's attribute holding a chunk's rows with a result before it is counted. */
const PROGRESS_PREFIX = "progress#";
const progressAttribute = (index: number) => `${PROGRESS_PREFIX}${index}`;

/** Listing cursors are the last item's `{createdAt}#{id}`, base64url encoded. */
function encodeJobCursor(job: JobRecord): string {
  return Buffer.from(listingSk(job), "utf8").toString("base64url");
}

function decodeJobCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  if (!/^\d{4}-\d\d-\d\dT[^#]+#.+$/.test(text)) {
    throw validationFailed([{ pointer: "/query/cursor", detail: "not a cursor returned by this listing" }]);
  }
  return text;
}

function pageLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_JOBS_PAGE;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_JOBS_PAGE) {
    throw validationFailed([
      { pointer: "/query/limit", detail: `must be an integer from 1 to ${MAX_JOBS_PAGE}, got ${limit}` },
    ]);
  }
  return value;
}

export class DynamoJobStore implements JobStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoJobStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async createJob(job: JobRecord): Promise<void> {
    // chunkProgress lives in attributes of its own (set by workers), never given at creation.
    const { finishedChunks, expiresAt, chunkProgress: _inFlight, ...rest } = job;
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          [PARTITION_KEY]: JOBS_LISTING,
          [SORT_KEY]: listingSk(job),
          [GSI1_PARTITION_KEY]: OPEN_JOBS,
          [GSI1_SORT_KEY]: listingSk(job),
          id: job.id,
          issuerSlug: job.issuerSlug,
          [TTL_ATTRIBUTE]: epochSeconds(expiresAt),
          [ENTITY_ATTRIBUTE]: "job-listing",
        },
      }),
    );
    const item: Item = {
      ...JSON.parse(JSON.stringify(rest)),
      [PARTITION_KEY]: jobPk(job.id),
      [SORT_KEY]: SORT_KEY_VALUE.job,
      [GSI1_PARTITION_KEY]: `${KEY_PREFIX.issuer}${job.issuerSlug}#JOBS`,
      [GSI1_SORT_KEY]: `${job.createdAt}#${job.id}`,
      [TTL_ATTRIBUTE]: epochSeconds(expiresAt),
      [ENTITY_ATTRIBUTE]: "job",
      // DynamoDB has no empty sets: the attribute appears with the first finished chunk.
      ...(finishedChunks.length > 0 ? { finishedChunks: new Set(finishedChunks) } : {}),
    };
    if (!(await putIfAbsent(this.#client, this.#tableName, item))) {
      throw conflict(`a job with id "${job.id}" already exists`);
    }
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const item = await this.#get(jobPk(id), SORT_KEY_VALUE.job);
    return item === undefined ? undefined : decodeJob(item);
  }

  async markJobStarted(id: string, at: string): Promise<void> {
    await this.#setOnce(id, "startedAt", at);
  }

  async putChunk(chunk: JobChunk): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          [PARTITION_KEY]: jobPk(chunk.jobId),
          [SORT_KEY]: chunkSk(chunk.index),
          index: chunk.index,
          rows: JSON.stringify(chunk.rows),
          [TTL_ATTRIBUTE]: epochSeconds(chunk.expiresAt),
          [ENTITY_ATTRIBUTE]: "job-chunk",
        },
      }),
    );
  }

  async getChunk(jobId: string, index: number): Promise<JobChunk | undefined> {
    const item = await this.#get(jobPk(jobId), chunkSk(index));
    if (item === undefined) return undefined;
    const rows = parseJson(item.rows, "chunk rows");
    if (!Array.isArray(rows) || !rows.every(isJobRow)) throw corrupt("chunk rows are not a list of rows");
    const status = item.status === undefined ? undefined : parseJson(item.status, "chunk status");
    if (status !== undefined && !isChunkStatus(status)) throw corrupt("chunk status is not a set of status blocks");
    return {
      jobId,
      index,
      rows,
      expiresAt: new Date(Number(item[TTL_ATTRIBUTE]) * 1000).toISOString(),
      ...(status ? { status } : {}),
    };
  }

  async putResult(jobId: string, result: JobResult, expiresAt: string): Promise<boolean> {
    return putIfAbsent(this.#client, this.#tableName, resultItem(jobId, result, expiresAt));
  }

  async putResults(jobId: string, results: JobResult[], expiresAt: string): Promise<void> {
    await batchPut(
      this.#client,
      this.#tableName,
      results.map((result) => resultItem(jobId, result, expiresAt)),
    );
  }

  async recordChunkStatus(jobId: string, index: number, status: ChunkStatus): Promise<ChunkStatus> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: jobPk(jobId), [SORT_KEY]: chunkSk(index) },
          UpdateExpression: "SET #status = :status",
          ConditionExpression: "attribute_exists(#pk) AND attribute_not_exists(#status)",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#status": "status" },
          ExpressionAttributeValues: { ":status": JSON.stringify(status) },
        }),
      );
      return status;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const chunk = await this.getChunk(jobId, index);
    if (!chunk) throw new GatewayError("not-found", `chunk ${index} of job "${jobId}" does not exist`);
    if (!chunk.status) throw corrupt("the chunk's status blocks are missing after a failed condition");
    return chunk.status;
  }

  readBudget(name: string): Promise<BudgetState | undefined> {
    return readBudgetItem(this.#client, this.#tableName, name);
  }

  swapBudget(name: string, from: BudgetState | undefined, to: BudgetState): Promise<boolean> {
    return swapBudgetItem(this.#client, this.#tableName, name, from, to);
  }

  async listResults(
    jobId: string,
    opts: { fromRow?: number; toRow?: number; limit?: number; cursor?: string } = {},
  ): Promise<{ items: JobResult[]; cursor?: string }> {
    const limit = opts.limit ?? DEFAULT_RESULTS_PAGE;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RESULTS_PAGE) {
      throw validationFailed([
        { pointer: "/query/limit", detail: `must be an integer from 1 to ${MAX_RESULTS_PAGE}, got ${opts.limit}` },
      ]);
    }
    // The cursor is the last row returned: the next page starts after it.
    let from = opts.fromRow ?? 0;
    if (opts.cursor !== undefined) {
      if (!/^\d{1,10}$/.test(opts.cursor)) {
        throw validationFailed([{ pointer: "/query/cursor", detail: "not a cursor returned by this listing" }]);
      }
      from = Math.max(from, Number(opts.cursor) + 1);
    }
    const to = opts.toRow ?? 9_999_999_999;
    const items: JobResult[] = [];
    let startKey: Record<string, unknown> | undefined;
    let more = false;
    // DynamoDB may stop a page early (1 MB per query): keep reading until the page is full or the range is done.
    do {
      const result = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#sk": SORT_KEY },
          ExpressionAttributeValues: { ":pk": jobPk(jobId), ":from": resultSk(from), ":to": resultSk(to) },
          ConsistentRead: true,
          Limit: limit + 1 - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) items.push(decodeResult(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined && items.length <= limit);
    if (items.length > limit) {
      items.length = limit;
      more = true;
    }
    const last = items.at(-1);
    return { items, ...(more && last ? { cursor: String(last.row) } : {}) };
  }

  async finishChunk(
    jobId: string,
    index: number,
    counts: { done: number; failed: number; dead: boolean },
  ): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: jobPk(jobId), [SORT_KEY]: SORT_KEY_VALUE.job },
          // The chunk's in-flight progress goes in the same update: the view never counts its rows twice.
          UpdateExpression: "ADD #done :done, #failed :failed, #dlq :dlq, #finished :chunk REMOVE #progress",
          ConditionExpression: "attribute_exists(#pk) AND NOT contains(#finished, :index)",
          ExpressionAttributeNames: {
            "#pk": PARTITION_KEY,
            "#progress": progressAttribute(index),
            "#done": "done",
            "#failed": "failed",
            "#dlq": "dlq",
            "#finished": "finishedChunks",
          },
          ExpressionAttributeValues: {
            ":done": counts.done,
            ":failed": counts.failed,
            ":dlq": counts.dead ? 1 : 0,
            ":chunk": new Set([index]),
            ":index": index,
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if ((await this.getJob(jobId)) === undefined) throw new GatewayError("not-found", `job "${jobId}" was not found`);
      return false;
    }
  }

  async listJobs(
    opts: { issuerSlug?: string; limit?: number; cursor?: string } = {},
  ): Promise<{ items: JobRecord[]; cursor?: string }> {
    const limit = pageLimit(opts.limit);
    const before = decodeJobCursor(opts.cursor);
    if (opts.issuerSlug !== undefined) {
      // The job items themselves, through the issuer's gsi1 partition.
      return this.#page(limit, (exclusive) =>
        this.#query({
          IndexName: GSI1_NAME,
          pk: [GSI1_PARTITION_KEY, `${KEY_PREFIX.issuer}${opts.issuerSlug}#JOBS`],
          sk: GSI1_SORT_KEY,
          before,
          exclusive,
          forward: false,
        }),
      );
    }
    return this.#page(limit, (exclusive) =>
      this.#query({ pk: [PARTITION_KEY, JOBS_LISTING], sk: SORT_KEY, before, exclusive, forward: false }),
    );
  }

  async listOpenJobs(opts: { limit?: number; cursor?: string } = {}): Promise<{ items: JobRecord[]; cursor?: string }> {
    const limit = pageLimit(opts.limit);
    const after = decodeJobCursor(opts.cursor);
    return this.#page(limit, (exclusive) =>
      this.#query({
        IndexName: GSI1_NAME,
        pk: [GSI1_PARTITION_KEY, OPEN_JOBS],
        sk: GSI1_SORT_KEY,
        after,
        exclusive,
        forward: true,
      }),
    );
  }

  async closeJob(job: Pick<JobRecord, "id" | "createdAt">): Promise<void> {
    await this.#client
      .send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: JOBS_LISTING, [SORT_KEY]: listingSk(job) },
          UpdateExpression: "REMOVE #gpk, #gsk",
          ConditionExpression: "attribute_exists(#pk)",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#gpk": GSI1_PARTITION_KEY, "#gsk": GSI1_SORT_KEY },
        }),
      )
      .catch((error: unknown) => {
        // No listing item (a job created before listing items existed): nothing to close.
        if (!isConditionalCheckFailed(error)) throw error;
      });
  }

  async setJobError(id: string, message: string): Promise<void> {
    await this.#setOnce(id, "error", message);
  }

  async startReading(id: string): Promise<boolean> {
    return this.#conditional(id, {
      UpdateExpression: "SET #stage = :reading",
      ConditionExpression: "#stage = :awaiting",
      ExpressionAttributeNames: { "#stage": "stage" },
      ExpressionAttributeValues: { ":reading": "reading", ":awaiting": "awaiting-upload" },
    });
  }

  async setJobCounts(id: string, counts: { total: number; chunks: number; failed: number }): Promise<boolean> {
    return this.#conditional(id, {
      UpdateExpression: "SET #total = :total, #chunks = :chunks, #failed = #failed + :failed REMOVE #stage",
      ConditionExpression: "#stage = :reading",
      ExpressionAttributeNames: { "#stage": "stage", "#total": "total", "#chunks": "chunks", "#failed": "failed" },
      ExpressionAttributeValues: {
        ":reading": "reading",
        ":total": counts.total,
        ":chunks": counts.chunks,
        ":failed": counts.failed,
      },
    });
  }

  async recordReadProgress(id: string, from: ReadProgress | undefined, to: ReadProgress): Promise<boolean> {
    const progress = (p: ReadProgress) => ({ rows: p.rows, chunks: p.chunks, failed: p.failed });
    return this.#conditional(id, {
      UpdateExpression: "SET #read = :to",
      ConditionExpression:
        from === undefined
          ? "#stage = :reading AND attribute_not_exists(#read)"
          : "#stage = :reading AND #read.#rows = :rows AND #read.#chunks = :chunks",
      ExpressionAttributeNames: {
        "#stage": "stage",
        "#read": "readProgress",
        ...(from === undefined ? {} : { "#rows": "rows", "#chunks": "chunks" }),
      },
      ExpressionAttributeValues: {
        ":reading": "reading",
        ":to": progress(to),
        ...(from === undefined ? {} : { ":rows": from.rows, ":chunks": from.chunks }),
      },
    });
  }

  async setChunkProgress(id: string, index: number, counts: { done: number; failed: number }): Promise<boolean> {
    return this.#conditional(id, {
      UpdateExpression: "SET #progress = :counts",
      ConditionExpression: "attribute_exists(#pk) AND NOT contains(#finished, :index)",
      ExpressionAttributeNames: {
        "#pk": PARTITION_KEY,
        "#progress": progressAttribute(index),
        "#finished": "finishedChunks",
      },
      ExpressionAttributeValues: { ":counts": { done: counts.done, failed: counts.failed }, ":index": index },
    });
  }

  /** An update of the job item under a condition; false when the condition fails, not-found when there is no job. */
  /** Sets attribute `name` of the job unless it is set already (the first start or error stays); not-found: no job. */
  async #setOnce(id: string, name: string, value: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: jobPk(id), [SORT_KEY]: SORT_KEY_VALUE.job },
          UpdateExpression: "SET #name = if_not_exists(#name, :value)",
          ConditionExpression: "attribute_exists(#pk)",
          ExpressionAttributeNames: { "#name": name, "#pk": PARTITION_KEY },
          ExpressionAttributeValues: { ":value": value },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new GatewayError("not-found", `job "${id}" was not found`);
      throw error;
    }
  }

  async #conditional(
    id: string,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: jobPk(id), [SORT_KEY]: SORT_KEY_VALUE.job },
          ...update,
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if ((await this.getJob(id)) === undefined) throw new GatewayError("not-found", `job "${id}" was not found`);
      return false;
    }
  }

  /**
   * Fills a page of jobs from a query of job items or listing items (whose jobs are read one by one; a listing item
   * without its job is skipped). Reads one item past the page to know whether there is a next one.
   */
  async #page(
    limit: number,
    query: (exclusive: Record<string, unknown> | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
  ): Promise<{ items: JobRecord[]; cursor?: string }> {
    const items: JobRecord[] = [];
    let exclusive: Record<string, unknown> | undefined;
    let more = false;
    do {
      const result = await query(exclusive);
      for (const item of result.Items ?? []) {
        if (items.length === limit) {
          more = true;
          break;
        }
        const job = item[ENTITY_ATTRIBUTE] === "job" ? decodeJob(item) : await this.getJob(str(item, "id"));
        if (job) items.push(job);
      }
      exclusive = result.LastEvaluatedKey;
    } while (!more && exclusive !== undefined);
    const last = items.at(-1);
    return { items, ...(more && last ? { cursor: encodeJobCursor(last) } : {}) };
  }

  #query(q: {
    IndexName?: string;
    pk: [string, string];
    sk: string;
    before?: string | undefined;
    after?: string | undefined;
    exclusive: Record<string, unknown> | undefined;
    forward: boolean;
  }): Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }> {
    const bound = q.before !== undefined ? " AND #sk < :bound" : q.after !== undefined ? " AND #sk > :bound" : "";
    const boundValue = q.before ?? q.after;
    return this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        ...(q.IndexName ? { IndexName: q.IndexName } : { ConsistentRead: true }),
        KeyConditionExpression: `#pk = :pk${bound}`,
        ExpressionAttributeNames: { "#pk": q.pk[0], ...(bound ? { "#sk": q.sk } : {}) },
        ExpressionAttributeValues: { ":pk": q.pk[1], ...(boundValue !== undefined ? { ":bound": boundValue } : {}) },
        ScanIndexForward: q.forward,
        Limit: 200,
        ExclusiveStartKey: q.exclusive,
      }),
    );
  }

  #get(pk: string, sk: string): Promise<Item | undefined> {
    return getItem(this.#client, this.#tableName, pk, sk);
  }
}

const corrupt = (detail: string): GatewayError => corruptItem("job item", detail);

function parseJson(value: unknown, what: string): unknown {
  if (typeof value !== "string") throw corrupt(`${what} is not JSON text`);
  try {
    return JSON.parse(value);
  } catch {
    throw corrupt(`${what} is not JSON text`);
  }
}

function isJobRow(value: unknown): value is JobRow {
  if (typeof value !== "object" || value === null) return false;
  const { row, credential } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(row) && typeof credential === "object" && credential !== null && !Array.isArray(credential)
  );
}

function num(item: Item, name: string): number {
  const value = item[name] ?? 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw corrupt(`${name} is not an integer`);
  return value;
}

const str = (item: Item, name: string): string => itemString(item, name, "job item");

const FORMATS = ["ob3", "elm", "sd-jwt-vc"] as const;
const PROOFS = ["eddsa-rdfc-2022", "vc-jwt", "jades"] as const;

function decodeJob(item: Item): JobRecord {
  const format = FORMATS.find((f) => f === item.format);
  if (format === undefined) throw corrupt("format");
  const proof = item.proof === undefined ? undefined : PROOFS.find((p) => p === item.proof);
  if (item.proof !== undefined && proof === undefined) throw corrupt("proof");
  const finished = item.finishedChunks;
  const finishedChunks =
    finished === undefined ? [] : finished instanceof Set ? [...finished].map(Number).sort((a, b) => a - b) : undefined;
  if (finishedChunks === undefined) throw corrupt("finishedChunks is not a number set");
  const startedAt = item.startedAt;
  const error = item.error;
  return {
    id: str(item, "id"),
    issuerSlug: str(item, "issuerSlug"),
    from: str(item, "from"),
    format,
    ...(proof ? { proof } : {}),
    total: num(item, "total"),
    chunks: num(item, "chunks"),
    done: num(item, "done"),
    failed: num(item, "failed"),
    dlq: num(item, "dlq"),
    finishedChunks,
    createdAt: str(item, "createdAt"),
    ...(typeof startedAt === "string" ? { startedAt } : {}),
    expiresAt: new Date(num(item, TTL_ATTRIBUTE) * 1000).toISOString(),
    ...(typeof error === "string" ? { error } : {}),
    ...(item.stage === "awaiting-upload" || item.stage === "reading" ? { stage: item.stage } : {}),
    ...(typeof item.uploadKey === "string" ? { uploadKey: item.uploadKey } : {}),
    ...(isPlainObject(item.readerOptions) ? { readerOptions: item.readerOptions } : {}),
    ...(isPlainObject(item.batch) ? { batch: item.batch as unknown as JobBatch } : {}),
    ...(item.suspension === true ? { suspension: true } : {}),
    ...(item.readProgress !== undefined ? { readProgress: readProgressOf(item.readProgress) } : {}),
    ...chunkProgressOf(item),
  };
}

function readProgressOf(value: unknown): ReadProgress {
  if (!isPlainObject(value)) throw corrupt("readProgress is not a map");
  const { rows, chunks, failed } = value;
  const counts = [rows, chunks, failed];
  if (!counts.every((n) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0)) throw corrupt("readProgress");
  return { rows: rows as number, chunks: chunks as number, failed: failed as number };
}

/** The `progress#{index}` attributes of the chunks in flight, as one map (absent when there are none). */
function chunkProgressOf(item: Item): { chunkProgress?: Record<number, { done: number; failed: number }> } {
  const progress: Record<number, { done: number; failed: number }> = {};
  let any = false;
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(PROGRESS_PREFIX)) continue;
    const index = Number(name.slice(PROGRESS_PREFIX.length));
    if (!Number.isSafeInteger(index) || !isPlainObject(value)) throw corrupt(`${name} is not a chunk's progress`);
    const { done, failed } = value;
    if (typeof done !== "number" || typeof failed !== "number") throw corrupt(`${name} is not a chunk's progress`);
    progress[index] = { done, failed };
    any = true;
  }
  return any ? { chunkProgress: progress } : {};
}

/** A registry batch record's outcome, stored as JSON text. */
function outcomeOf(item: Item): { outcome?: RecordOutcome } {
  if (item.outcome === undefined) return {};
  const outcome = parseJson(item.outcome, "result outcome");
  if (!isPlainObject(outcome) || typeof outcome.converted !== "boolean" || typeof outcome.issued !== "boolean") {
    throw corrupt("result outcome");
  }
  return { outcome: outcome as unknown as RecordOutcome };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Set);

function decodeResult(item: Item): JobResult {
  const row = num(item, "row");
  if (item.error !== undefined) {
    const error = parseJson(item.error, "result error");
    if (typeof error !== "object" || error === null) throw corrupt("result error is not an object");
    const { path, message } = error as Record<string, unknown>;
    if (typeof path !== "string" || typeof message !== "string") throw corrupt("result error");
    return { row, error: { path, message }, ...outcomeOf(item) };
  }
  if (item.converted !== undefined) {
    const outcome = outcomeOf(item).outcome;
    if (!outcome) throw corrupt("a converted result has no outcome");
    return { row, credential: parseJson(item.converted, "result converted credential"), outcome };
  }
  return { row, verifiableCredential: parseJson(item.credential, "result credential"), ...outcomeOf(item) };
}

/** A result's item (`putResult` writes it conditionally, `putResults` in batches). */
function resultItem(jobId: string, result: JobResult, expiresAt: string): Item {
  const body =
    "error" in result
      ? { error: JSON.stringify(result.error) }
      : "credential" in result
        ? // A convert-only registry batch's record: the converted, unsigned credential.
          { converted: JSON.stringify(result.credential) }
        : { credential: JSON.stringify(result.verifiableCredential) };
  return {
    [PARTITION_KEY]: jobPk(jobId),
    [SORT_KEY]: resultSk(result.row),
    row: result.row,
    ...body,
    ...(result.outcome ? { outcome: JSON.stringify(result.outcome) } : {}),
    [TTL_ATTRIBUTE]: epochSeconds(expiresAt),
    [ENTITY_ATTRIBUTE]: "job-result",
  };
}

function isStatusBlock(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { listId, start, count } = value;
  return typeof listId === "string" && Number.isSafeInteger(start) && Number.isSafeInteger(count);
}

/** A chunk's recorded status blocks (`recordChunkStatus`). */
function isChunkStatus(value: unknown): value is ChunkStatus {
  if (!isPlainObject(value)) return false;
  return Object.entries(value).every(([k, v]) => (k === "revocation" || k === "suspension") && isStatusBlock(v));
}
