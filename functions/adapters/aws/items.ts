/**
 * What the DynamoDB stores of the single table share: the item type, a consistent read of one item, recognising a
 * failed condition, and reading a string attribute of a stored item (a wrong type is a corrupt item: `internal`).
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { GatewayError } from "../../core/errors.js";
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
