/**
 * BatchWriteItem of many puts into the single table: 25 requests a call (DynamoDB's limit), what DynamoDB leaves
 * unprocessed (throttling, a busy partition) sent again with exponential backoff. Puts in a batch are not conditional:
 * callers use it only where replacing an item with the same item (a retry) is harmless.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Item } from "./items.js";

/** BatchWriteItem takes at most 25 requests. */
export const BATCH_WRITE_MAX = 25;
/** Rounds of re-sending unprocessed items before giving up (the caller's retry, e.g. a redelivered chunk, follows). */
const MAX_ROUNDS = 8;

/** Puts `items` in batches of 25, in order; rejects when DynamoDB keeps leaving some unprocessed. */
export async function batchPut(client: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_WRITE_MAX) {
    let pending: Record<string, unknown>[] = items
      .slice(i, i + BATCH_WRITE_MAX)
      .map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`DynamoDB left ${pending.length} items unprocessed after retries`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** round * 25));
      const result = await client.send(
        // The document client's request type is a union per request kind; these are all PutRequests.
        new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }),
      );
      pending = (result.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
    }
  }
}
