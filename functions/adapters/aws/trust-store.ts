/**
 * {@link TrustStore} on the single DynamoDB table of `table.ts` (AWS, moto and the embedded dynalite alike).
 *
 * | item             | pk                          | sk                               | gsi1pk                          | attributes                  |
 * |------------------|-----------------------------|----------------------------------|---------------------------------|-----------------------------|
 * | trusted issuers  | `TRUST`                     | `ISSUERS`                        | -                               | entries                     |
 * | imported list    | `TRUST`                     | `LIST#{source}`                  | -                               | the list, `importId`        |
 * | trust anchor     | `TRUSTANCHOR#{subjectKey}`  | `{source}#{importId}#{sha256}`   | `TRUSTLIST#{source}#{importId}` | the anchor                  |
 *
 * A list is replaced by writing its anchors under a new `importId`, then the list item naming that `importId` (the
 * switch), then deleting the anchors of the previous import (listed through gsi1). Readers keep only anchors whose
 * `importId` is the current one of their source, so they see the old or the new set, never a mix; a crash between the
 * steps leaves unreachable anchors, which the next import of that source deletes only when they are its previous
 * import (documented limitation: orphans of a crashed import stay until the table is cleaned).
 */
import { createHash, randomUUID } from "node:crypto";
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { TrustAnchorRecord, TrustedIssuerRecord, TrustListRecord, TrustStore } from "../../kernel/ports/index.js";
import { corruptItem, getItem, type Item, queryAll } from "./items.js";
import { ENTITY_ATTRIBUTE, GSI1_NAME, GSI1_PARTITION_KEY, GSI1_SORT_KEY, PARTITION_KEY, SORT_KEY } from "./table.js";

export interface DynamoTrustStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const TRUST_PK = "TRUST";
const ISSUERS_SK = "ISSUERS";
const LIST_SK = "LIST#";
const ANCHOR_PK = "TRUSTANCHOR#";
const LIST_GSI = "TRUSTLIST#";
/** BatchWriteItem takes at most 25 requests. */
const BATCH = 25;
/** Rounds of retrying unprocessed batch items before giving up. */
const MAX_BATCH_ROUNDS = 8;

export class DynamoTrustStore implements TrustStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoTrustStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async putTrustedIssuers(entries: TrustedIssuerRecord[]): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: { [PARTITION_KEY]: TRUST_PK, [SORT_KEY]: ISSUERS_SK, [ENTITY_ATTRIBUTE]: "trustedIssuers", entries },
      }),
    );
  }

  async getTrustedIssuers(): Promise<TrustedIssuerRecord[]> {
    const item = await getItem(this.#client, this.#tableName, TRUST_PK, ISSUERS_SK);
    if (!item) return [];
    if (!Array.isArray(item.entries)) throw corruptItem("trusted issuers", "entries is not a list");
    return item.entries as TrustedIssuerRecord[];
  }

  async replaceTrustList(list: TrustListRecord, anchors: TrustAnchorRecord[]): Promise<void> {
    const previous = await getItem(this.#client, this.#tableName, TRUST_PK, LIST_SK + list.source);
    const importId = `${list.importedAt}.${randomUUID()}`;
    const unique = new Map<string, TrustAnchorRecord>();
    for (const anchor of anchors) unique.set(sha256(anchor.certificate), anchor);
    const puts = [...unique].map(([hash, anchor]) => ({
      PutRequest: {
        Item: {
          [PARTITION_KEY]: ANCHOR_PK + anchor.subjectKey,
          [SORT_KEY]: `${list.source}#${importId}#${hash}`,
          [GSI1_PARTITION_KEY]: `${LIST_GSI}${list.source}#${importId}`,
          [GSI1_SORT_KEY]: hash,
          [ENTITY_ATTRIBUTE]: "trustAnchor",
          importId,
          anchor: { ...anchor, source: list.source },
        },
      },
    }));
    await this.#batchWrite(puts);
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          [PARTITION_KEY]: TRUST_PK,
          [SORT_KEY]: LIST_SK + list.source,
          [ENTITY_ATTRIBUTE]: "trustList",
          importId,
          list: { ...list, anchorCount: unique.size },
        },
      }),
    );
    if (previous && typeof previous.importId === "string") await this.#deleteImport(list.source, previous.importId);
  }

  async listTrustLists(): Promise<TrustListRecord[]> {
    return (await this.#listItems()).map((item) => listOf(item));
  }

  async findTrustAnchors(subjectKey: string): Promise<TrustAnchorRecord[]> {
    const current = new Set(
      (await this.#listItems()).map((item) => `${listOf(item).source}#${String(item.importId)}#`),
    );
    const items = await this.#queryAll({
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": PARTITION_KEY },
      ExpressionAttributeValues: { ":pk": ANCHOR_PK + subjectKey },
    });
    return items
      .filter((item) => [...current].some((prefix) => String(item[SORT_KEY]).startsWith(prefix)))
      .map((item) => {
        if (typeof item.anchor !== "object" || item.anchor === null) throw corruptItem("trust anchor", "no anchor");
        return item.anchor as TrustAnchorRecord;
      });
  }

  #listItems(): Promise<Item[]> {
    return this.#queryAll({
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
      ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#sk": SORT_KEY },
      ExpressionAttributeValues: { ":pk": TRUST_PK, ":prefix": LIST_SK },
      ConsistentRead: true,
    });
  }

  async #deleteImport(source: string, importId: string): Promise<void> {
    const items = await this.#queryAll({
      IndexName: GSI1_NAME,
      KeyConditionExpression: "#g = :g",
      ExpressionAttributeNames: { "#g": GSI1_PARTITION_KEY },
      ExpressionAttributeValues: { ":g": `${LIST_GSI}${source}#${importId}` },
    });
    await this.#batchWrite(
      items.map((item) => ({
        DeleteRequest: { Key: { [PARTITION_KEY]: item[PARTITION_KEY], [SORT_KEY]: item[SORT_KEY] } },
      })),
    );
  }

  #queryAll(input: Parameters<typeof queryAll>[2]): Promise<Item[]> {
    return queryAll(this.#client, this.#tableName, input);
  }

  /** Writes requests in batches of 25, retrying what DynamoDB leaves unprocessed (throttling) with backoff. */
  async #batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH) {
      let pending = requests.slice(i, i + BATCH);
      for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_BATCH_ROUNDS) throw new Error("DynamoDB left trust items unprocessed after retries");
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** round * 25));
        const result = await this.#client.send(
          new BatchWriteCommand({ RequestItems: { [this.#tableName]: pending as never } }),
        );
        pending = (result.UnprocessedItems?.[this.#tableName] ?? []) as Record<string, unknown>[];
      }
    }
  }
}

function listOf(item: Item): TrustListRecord {
  if (typeof item.list !== "object" || item.list === null) throw corruptItem("trust list", "no list");
  return item.list as TrustListRecord;
}

const sha256 = (base64: string): string => createHash("sha256").update(Buffer.from(base64, "base64")).digest("hex");
