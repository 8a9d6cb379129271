/**
 * What the DynamoDB stores of the single table share: the item type, a consistent read of one item, every item a query
 * matches (page after page), a put that never overwrites, recognising a failed condition, and reading a string
 * attribute of a stored item (a wrong type is a corrupt item: `internal`).
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { GatewayError } from "../../kernel/errors.js";
import { PARTITION_KEY, SORT_KEY } from "./table.js";

export type Item = Record<string, unknown>;

/** One item by key, read consistently (a write just made is seen). */
export async function getItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  sk: string,
): Promise<Item | undefined> {
  const result = await client.send(
    new GetCommand({ TableName: tableName, Key: { [PARTITION_KEY]: pk, [SORT_KEY]: sk }, ConsistentRead: true }),
  );
  return result.Item;
}

/**
 * Every item a query matches, reading page after page (DynamoDB stops a page at 1 MB): for item sets the store keeps
 * small (an institution's reports, the trust lists), never for a listing that pages for its caller.
 */
export async function queryAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<ConstructorParameters<typeof QueryCommand>[0], "TableName">,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({ ...input, TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Puts `item` only when no item has its key (`attribute_not_exists` on the partition key), so a racing or retried
 * writer never overwrites: true when written, false when an item was there already (the caller says what that means:
 * a conflict, or an idempotent replay).
 */
export async function putIfAbsent(client: DynamoDBDocumentClient, tableName: string, item: Item): Promise<boolean> {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: "attribute_not_exists(#pk)",
        ExpressionAttributeNames: { "#pk": PARTITION_KEY },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** A conditional write refused; by class, or by name where the error crossed a module copy of the SDK. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}

/** An error for a stored item that does not have the shape the store wrote: never shown to callers in detail. */
export function corruptItem(what: string, detail: string): GatewayError {
  return new GatewayError("internal", `stored ${what} is not valid: ${detail}`);
}

/** A string attribute of a stored item of kind `what`. */
export function itemString(item: Item, name: string, what: string): string {
  const value = item[name];
  if (typeof value !== "string") throw corruptItem(what, `${name} is not a string`);
  return value;
}
