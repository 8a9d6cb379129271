/**
 * {@link DeliveryStore} on the single DynamoDB table (`table.ts`). One item per delivery:
 *
 * | item     | pk               | sk         | notes                                                             |
 * |----------|------------------|------------|-------------------------------------------------------------------|
 * | delivery | `DELIVERY#{id}`  | `DELIVERY` | state, attempts, lease, last error, recipient hash; payload; TTL  |
 *
 * While a delivery is pending the item also holds its payload (the recipient's address and the credential file, as
 * JSON text in `payload`: a retry needs both). When the delivery ends (delivered or failed) one conditional update
 * removes it: what remains is the state, the attempt count, the credential's id and a SHA-256 of the recipient.
 *
 * `listPending` scans the table (local mode reads it once at start, to queue again what its in-process queue lost;
 * on AWS the scheduled delivery sweep, `core/delivery-sweep.ts`, reads it every 15 minutes). It reads the items themselves, not an index: dynalite writes an item and its index entries
 * as separate LevelDB writes, so a process killed between them (the very case recovery is for) can leave an item
 * pending whose index entry is gone — seen in the restart test before this was a scan.
 *
 * Attempts are leased: `claimAttempt` counts an attempt and sets `leaseToken`/`leaseUntil` on condition that the
 * delivery is pending and no unexpired lease holds it; `finishAttempt` writes only under the same lease token.
 */
import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conflict, validationFailed } from "../../kernel/errors.js";
import type {
  AttemptOutcome,
  DeliveryPayload,
  DeliveryRecord,
  DeliveryStatus,
  DeliveryStore,
  WalletRecipient,
} from "../../kernel/ports/index.js";
import { corruptItem, getItem, type Item, isConditionalCheckFailed, itemString, putIfAbsent } from "./items.js";
import { ENTITY_ATTRIBUTE, KEY_PREFIX, PARTITION_KEY, SORT_KEY, SORT_KEY_VALUE, TTL_ATTRIBUTE } from "./table.js";

export interface DynamoDeliveryStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** Largest page of {@link DynamoDeliveryStore.listPending}. */
export const MAX_PENDING_PAGE = 1000;

const deliveryPk = (id: string) => KEY_PREFIX.delivery + id;
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const STATUSES: readonly DeliveryStatus[] = ["pending", "delivered", "failed"];

export class DynamoDeliveryStore implements DeliveryStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoDeliveryStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async createDelivery(record: DeliveryRecord, payload: DeliveryPayload): Promise<void> {
    const { expiresAt, ...rest } = record;
    const item: Item = {
      ...JSON.parse(JSON.stringify(rest)),
      [PARTITION_KEY]: deliveryPk(record.id),
      [SORT_KEY]: SORT_KEY_VALUE.delivery,
      [TTL_ATTRIBUTE]: epochSeconds(expiresAt),
      [ENTITY_ATTRIBUTE]: "delivery",
      payload: JSON.stringify(payload),
    };
    if (!(await putIfAbsent(this.#client, this.#tableName, item))) {
      throw conflict(`a delivery with id "${record.id}" already exists`);
    }
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const item = await getItem(this.#client, this.#tableName, deliveryPk(id), SORT_KEY_VALUE.delivery);
    return item === undefined ? undefined : decodeRecord(item);
  }

  async claimAttempt(
    id: string,
    lease: { token: string; now: string; until: string },
  ): Promise<{ record: DeliveryRecord; payload: DeliveryPayload } | undefined> {
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: deliveryPk(id), [SORT_KEY]: SORT_KEY_VALUE.delivery },
          UpdateExpression: "SET #attempts = #attempts + :one, #token = :token, #until = :until, #updated = :now",
          ConditionExpression: "#status = :pending AND (attribute_not_exists(#until) OR #until < :now)",
          ExpressionAttributeNames: {
            "#attempts": "attempts",
            "#token": "leaseToken",
            "#until": "leaseUntil",
            "#updated": "updatedAt",
            "#status": "status",
          },
          ExpressionAttributeValues: {
            ":one": 1,
            ":token": lease.token,
            ":until": lease.until,
            ":now": lease.now,
            ":pending": "pending",
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      const item = result.Attributes;
      if (item === undefined) return undefined;
      return { record: decodeRecord(item), payload: decodePayload(item.payload) };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async finishAttempt(id: string, leaseToken: string, outcome: AttemptOutcome): Promise<boolean> {
    const names: Record<string, string> = {
      "#status": "status",
      "#updated": "updatedAt",
      "#token": "leaseToken",
      "#until": "leaseUntil",
    };
    const values: Record<string, unknown> = { ":status": outcome.status, ":at": outcome.at, ":lease": leaseToken };
    const set = ["#status = :status", "#updated = :at"];
    const remove = ["#token", "#until"];
    if (outcome.status === "pending") {
      names["#error"] = "lastError";
      names["#next"] = "nextAttemptAt";
      values[":error"] = outcome.lastError;
      values[":next"] = outcome.nextAttemptAt;
      set.push("#error = :error", "#next = :next");
    } else {
      // The delivery has ended: forget what it carried.
      Object.assign(names, { "#payload": "payload", "#next": "nextAttemptAt" });
      remove.push("#payload", "#next");
      if (outcome.status === "failed") {
        names["#error"] = "lastError";
        names["#dead"] = "deadLettered";
        values[":error"] = outcome.lastError;
        values[":dead"] = outcome.deadLettered;
        set.push("#error = :error", "#dead = :dead");
      } else if (outcome.note !== undefined) {
        names["#note"] = "note";
        values[":note"] = outcome.note;
        set.push("#note = :note");
      }
    }
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: deliveryPk(id), [SORT_KEY]: SORT_KEY_VALUE.delivery },
          UpdateExpression: `SET ${set.join(", ")} REMOVE ${remove.join(", ")}`,
          ConditionExpression: "#token = :lease",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async listPending(
    opts: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: DeliveryRecord[]; cursor?: string }> {
    const limit = opts.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PENDING_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PENDING_PAGE}, got ${limit}`);
    }
    const items: DeliveryRecord[] = [];
    let startKey = opts.cursor !== undefined ? decodeCursor(opts.cursor) : undefined;
    // A scan's Limit counts items read, not items matched: read on until the page is full or the table ends.
    do {
      const result = await this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          FilterExpression: "#entity = :delivery AND #status = :pending",
          ExpressionAttributeNames: { "#entity": ENTITY_ATTRIBUTE, "#status": "status" },
          ExpressionAttributeValues: { ":delivery": "delivery", ":pending": "pending" },
          ConsistentRead: true,
          Limit: limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) items.push(decodeRecord(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined && items.length < limit);
    return {
      items,
      ...(startKey ? { cursor: Buffer.from(JSON.stringify(startKey)).toString("base64url") } : {}),
    };
  }
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof key === "object" && key !== null && !Array.isArray(key)) {
      const entries = Object.entries(key);
      if (entries.length <= 2 && entries.every(([, v]) => typeof v === "string")) return key as Record<string, string>;
    }
  } catch {
    // fall through
  }
  throw validationFailed([{ pointer: "/query/cursor", detail: "not a cursor returned by this listing" }]);
}

function decodeRecord(item: Item): DeliveryRecord {
  const what = "delivery";
  const status = itemString(item, "status", what) as DeliveryStatus;
  if (!STATUSES.includes(status)) throw corruptItem(what, `status "${status}" is not known`);
  const attempts = item.attempts;
  if (typeof attempts !== "number" || !Number.isSafeInteger(attempts)) throw corruptItem(what, "attempts");
  const kind = itemString(item, "recipientKind", what);
  if (kind !== "email" && kind !== "walletId") throw corruptItem(what, "recipientKind");
  const optional = (name: string) => (typeof item[name] === "string" ? (item[name] as string) : undefined);
  const lastError = optional("lastError");
  const nextAttemptAt = optional("nextAttemptAt");
  return {
    id: itemString(item, "id", what),
    owner: itemString(item, "owner", what),
    status,
    attempts,
    ...(lastError !== undefined ? { lastError } : {}),
    credentialId: itemString(item, "credentialId", what),
    recipientKind: kind,
    recipientHash: itemString(item, "recipientHash", what),
    createdAt: itemString(item, "createdAt", what),
    updatedAt: itemString(item, "updatedAt", what),
    ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
    ...(optional("leaseUntil") !== undefined ? { leaseUntil: optional("leaseUntil") } : {}),
    ...(item.deadLettered === true ? { deadLettered: true } : {}),
    ...(optional("note") !== undefined ? { note: optional("note") } : {}),
    expiresAt: new Date(Number(item[TTL_ATTRIBUTE]) * 1000).toISOString(),
  };
}

function decodePayload(raw: unknown): DeliveryPayload {
  if (typeof raw !== "string") throw corruptItem("delivery", "a pending delivery has no payload");
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw corruptItem("delivery", "payload is not JSON");
  }
  const { recipient, credential, sendEmail } = (value ?? {}) as Record<string, unknown>;
  if (typeof credential !== "string" || typeof sendEmail !== "boolean" || !isRecipient(recipient)) {
    throw corruptItem("delivery", "payload does not have the stored shape");
  }
  return { recipient, credential, sendEmail };
}

function isRecipient(value: unknown): value is WalletRecipient {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.email === "string" || typeof r.walletId === "string";
}
