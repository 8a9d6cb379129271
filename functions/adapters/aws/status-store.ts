/**
 * {@link StatusListStore} on the single DynamoDB table of `table.ts` (AWS, moto and the embedded dynalite alike).
 *
 * | item                 | pk                          | sk                          | attributes                              |
 * |----------------------|-----------------------------|-----------------------------|-----------------------------------------|
 * | status list          | `STATUSLIST#{listId}`       | `STATUSLIST`                | issuerSlug, purpose, size, `next`       |
 * |                      |                             |                             | (indexes handed out), `bits` (GZIP,     |
 * |                      |                             |                             | base64; absent = all clear), version    |
 * | issuer's current list| `ISSUER#{slug}`             | `STATUSLIST#{purpose}`      | `sequence` of the list being filled     |
 * | status audit event   | `CREDENTIAL#{credentialId}` | `STATUSEVENT#{at}#{eventId}`| action, purpose, list, index, actor     |
 *
 * `listId` is `{slug}.{purpose}.{sequence}` (slugs hold no dots). Access patterns:
 * - allocate: read the current-list pointer, then one UpdateItem on the list that creates it if needed and `ADD`s 1 to
 *   `next` on the condition `next < size`; the index is the new `next` - 1, so racing writers get distinct indexes and
 *   an index is never handed out twice. A full list fails the condition: the pointer moves on (conditionally, from the
 *   sequence read) and the allocation is tried again on the next list.
 * - allocate a block (a bulk-job chunk): the same UpdateItem `ADD`s `n` on the condition `next <= size - n` (computed
 *   from the configured size, the list's stored size required equal); a list with fewer than `n` left is closed the
 *   same way, its remaining indexes never handed out.
 * - change a bit: read the list, change the bit, write `bits` with `version = version + 1` on the condition that the
 *   version is still the one read (optimistic concurrency); a lost race is retried with jittered backoff.
 * - audit trail of a credential: Query pk `CREDENTIAL#{id}`, sk beginning `STATUSEVENT#`.
 */

import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  compressBitstring,
  decompressBitstring,
  emptyBitstring,
  getBit,
  STATUS_LIST_SIZE,
  setBit,
} from "../../core/status/bitstring.js";
import { conflict, type GatewayError, notFound } from "../../kernel/errors.js";
import type {
  StatusAllocation,
  StatusBlock,
  StatusEvent,
  StatusListRecord,
  StatusListStore,
  StatusPurpose,
} from "../../kernel/ports/index.js";
import { corruptItem, getItem, type Item, isConditionalCheckFailed, itemString } from "./items.js";
import { ENTITY_ATTRIBUTE, KEY_PREFIX, PARTITION_KEY, SORT_KEY, SORT_KEY_VALUE } from "./table.js";

export interface DynamoStatusListStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Entries per new list. Default (and the only size for published lists) {@link STATUS_LIST_SIZE}; tests use less. */
  listSize?: number;
  /** Tries of a bit change before it fails with `conflict`. Default 10. */
  maxAttempts?: number;
}

const PURPOSES = ["revocation", "suspension"] as const satisfies readonly StatusPurpose[];
/** Lists a single allocation may find full in a row before giving up (others filling lists that fast is an outage). */
const MAX_LIST_HOPS = 20;

/** The id of an issuer's `sequence`-th list for `purpose`. */
export function statusListIdOf(issuerSlug: string, purpose: StatusPurpose, sequence: number): string {
  return `${issuerSlug}.${purpose}.${sequence}`;
}

export class DynamoStatusListStore implements StatusListStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #listSize: number;
  readonly #maxAttempts: number;

  constructor(options: DynamoStatusListStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#listSize = options.listSize ?? STATUS_LIST_SIZE;
    this.#maxAttempts = options.maxAttempts ?? 10;
    emptyBitstring(this.#listSize); // validates the size
  }

  async allocate(issuerSlug: string, purpose: StatusPurpose, now: Date): Promise<StatusAllocation> {
    for (let hop = 0; hop < MAX_LIST_HOPS; hop++) {
      const sequence = await this.#currentSequence(issuerSlug, purpose);
      const listId = statusListIdOf(issuerSlug, purpose, sequence);
      const index = await this.#takeIndex(listId, issuerSlug, purpose, now);
      if (index !== undefined) return { listId, index };
      await this.#advance(issuerSlug, purpose, sequence);
    }
    throw conflict(`could not allocate a ${purpose} status index for "${issuerSlug}": lists fill faster than expected`);
  }

  async allocateBlock(issuerSlug: string, purpose: StatusPurpose, count: number, now: Date): Promise<StatusBlock> {
    if (!Number.isSafeInteger(count) || count < 1 || count > this.#listSize) {
      throw new RangeError(`a status block holds 1 to ${this.#listSize} indexes, not ${count}`);
    }
    for (let hop = 0; hop < MAX_LIST_HOPS; hop++) {
      const sequence = await this.#currentSequence(issuerSlug, purpose);
      const listId = statusListIdOf(issuerSlug, purpose, sequence);
      const start = await this.#takeIndex(listId, issuerSlug, purpose, now, count);
      if (start !== undefined) return { listId, start, count };
      await this.#advance(issuerSlug, purpose, sequence);
    }
    throw conflict(`could not allocate ${count} ${purpose} status indexes for "${issuerSlug}": lists fill too fast`);
  }

  async #currentSequence(issuerSlug: string, purpose: StatusPurpose): Promise<number> {
    const item = await this.#get(KEY_PREFIX.issuer + issuerSlug, SORT_KEY_VALUE.statusListCursor + purpose);
    const sequence = item?.sequence ?? 0;
    if (typeof sequence !== "number" || !Number.isSafeInteger(sequence)) throw corrupt("sequence is not an integer");
    return sequence;
  }

  /** One conditional UpdateItem: creates the list when new, hands out the next index unless it is full. */
  async #takeIndex(
    listId: string,
    issuerSlug: string,
    purpose: StatusPurpose,
    now: Date,
    count = 1,
  ): Promise<number | undefined> {
    // A block must fit whole: DynamoDB conditions cannot add, so the limit is computed from the configured size and
    // the list's stored size must be that one (a list of another size is treated as full and left).
    const fits = count === 1 ? "#next < #size" : "(#next <= :limit AND #size = :size)";
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: this.#listKey(listId),
          UpdateExpression:
            "SET #listId = if_not_exists(#listId, :listId), #issuer = if_not_exists(#issuer, :issuer), " +
            "#purpose = if_not_exists(#purpose, :purpose), #size = if_not_exists(#size, :size), " +
            "#version = if_not_exists(#version, :zero), #created = if_not_exists(#created, :now), " +
            "#updated = if_not_exists(#updated, :now), #entity = :entity ADD #next :count",
          ConditionExpression: `attribute_not_exists(#next) OR ${fits}`,
          ExpressionAttributeNames: {
            "#listId": "listId",
            "#issuer": "issuerSlug",
            "#purpose": "purpose",
            "#size": "size",
            "#version": "version",
            "#created": "createdAt",
            "#updated": "updatedAt",
            "#entity": ENTITY_ATTRIBUTE,
            "#next": "next",
          },
          ExpressionAttributeValues: {
            ":listId": listId,
            ":issuer": issuerSlug,
            ":purpose": purpose,
            ":size": this.#listSize,
            ":zero": 0,
            ":now": now.toISOString(),
            ":entity": "statusList",
            ":count": count,
            ...(count === 1 ? {} : { ":limit": this.#listSize - count }),
          },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      const next = result.Attributes?.next;
      if (typeof next !== "number" || !Number.isSafeInteger(next) || next < count) throw corrupt("next is not a count");
      return next - count;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /** Moves the issuer's pointer past a full list; losing the race to another allocator is fine. */
  async #advance(issuerSlug: string, purpose: StatusPurpose, full: number): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: {
            [PARTITION_KEY]: KEY_PREFIX.issuer + issuerSlug,
            [SORT_KEY]: SORT_KEY_VALUE.statusListCursor + purpose,
          },
          UpdateExpression: "SET #sequence = :next, #entity = :entity",
          ConditionExpression: "attribute_not_exists(#sequence) OR #sequence = :full",
          ExpressionAttributeNames: { "#sequence": "sequence", "#entity": ENTITY_ATTRIBUTE },
          ExpressionAttributeValues: { ":next": full + 1, ":full": full, ":entity": "statusListCursor" },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async getList(listId: string): Promise<StatusListRecord | undefined> {
    const item = await this.#get(KEY_PREFIX.statusList + listId, SORT_KEY_VALUE.statusList);
    return item === undefined ? undefined : decodeList(item);
  }

  async setBit(
    listId: string,
    index: number,
    value: boolean,
    now: Date,
  ): Promise<{ list: StatusListRecord; changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const list = await this.getList(listId);
      if (!list) throw notFound(`status list "${listId}"`);
      if (!Number.isSafeInteger(index) || index < 0 || index >= list.allocated) {
        throw notFound(`index ${index} of status list "${listId}"`);
      }
      if (getBit(list.bits, index) === value) return { list, changed: false };
      const bits = new Uint8Array(list.bits);
      setBit(bits, index, value);
      const written: StatusListRecord = { ...list, bits, version: list.version + 1, updatedAt: now.toISOString() };
      try {
        await this.#client.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: this.#listKey(listId),
            UpdateExpression: "SET #bits = :bits, #version = :next, #updated = :now",
            ConditionExpression: "#version = :read",
            ExpressionAttributeNames: { "#bits": "bits", "#version": "version", "#updated": "updatedAt" },
            ExpressionAttributeValues: {
              ":bits": compressBitstring(bits),
              ":next": written.version,
              ":read": list.version,
              ":now": written.updatedAt,
            },
          }),
        );
        return { list: written, changed: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        if (attempt >= this.#maxAttempts) {
          throw conflict(`status list "${listId}" kept changing under ${attempt} attempts; try again`);
        }
        // Full jitter: racing writers spread out instead of colliding again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      }
    }
  }

  async putStatusEvent(event: StatusEvent): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          ...event,
          [PARTITION_KEY]: KEY_PREFIX.credential + event.credentialId,
          [SORT_KEY]: `${SORT_KEY_VALUE.statusEvent}${event.at}#${event.id}`,
          [ENTITY_ATTRIBUTE]: "statusEvent",
        },
        ConditionExpression: "attribute_not_exists(#pk)",
        ExpressionAttributeNames: { "#pk": PARTITION_KEY },
      }),
    );
  }

  async listStatusEvents(credentialId: string): Promise<StatusEvent[]> {
    const events: StatusEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#sk": SORT_KEY },
          ExpressionAttributeValues: {
            ":pk": KEY_PREFIX.credential + credentialId,
            ":prefix": SORT_KEY_VALUE.statusEvent,
          },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      events.push(...(page.Items ?? []).map(decodeEvent));
      start = page.LastEvaluatedKey;
    } while (start);
    return events;
  }

  #listKey(listId: string): Record<string, string> {
    return { [PARTITION_KEY]: KEY_PREFIX.statusList + listId, [SORT_KEY]: SORT_KEY_VALUE.statusList };
  }

  #get(pk: string, sk: string): Promise<Item | undefined> {
    return getItem(this.#client, this.#tableName, pk, sk);
  }
}

const corrupt = (detail: string): GatewayError => corruptItem("status list item", detail);

const str = (item: Item, name: string): string => itemString(item, name, "status list item");

function int(item: Item, name: string): number {
  const value = item[name];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw corrupt(`${name} is not a count`);
  return value;
}

function purposeOf(item: Item): StatusPurpose {
  const found = PURPOSES.find((p) => p === item.purpose);
  if (!found) throw corrupt(`purpose is ${JSON.stringify(item.purpose)}`);
  return found;
}

function decodeList(item: Item): StatusListRecord {
  const size = int(item, "size");
  let bits: Uint8Array;
  if (item.bits === undefined) {
    bits = emptyBitstring(size);
  } else {
    bits = decompressBitstring(str(item, "bits"), size / 8);
    if (bits.length !== size / 8) throw corrupt(`bits hold ${bits.length} bytes, not ${size / 8}`);
  }
  return {
    listId: str(item, "listId"),
    issuerSlug: str(item, "issuerSlug"),
    purpose: purposeOf(item),
    size,
    allocated: Math.min(int(item, "next"), size),
    bits,
    version: int(item, "version"),
    createdAt: str(item, "createdAt"),
    updatedAt: str(item, "updatedAt"),
  };
}

const ACTIONS = ["revoke", "suspend", "unsuspend"] as const satisfies readonly StatusEvent["action"][];

function decodeEvent(item: Item): StatusEvent {
  const action = ACTIONS.find((a) => a === item.action);
  if (!action) throw corrupt(`action is ${JSON.stringify(item.action)}`);
  return {
    id: str(item, "id"),
    credentialId: str(item, "credentialId"),
    issuerSlug: str(item, "issuerSlug"),
    action,
    purpose: purposeOf(item),
    listId: str(item, "listId"),
    index: int(item, "index"),
    actor: str(item, "actor"),
    at: str(item, "at"),
  };
}
