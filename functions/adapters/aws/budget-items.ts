/**
 * The shared signing budget's item (one token bucket per KMS quota family, `functions/core/jobs/signing-budget.ts`):
 * read, and replaced by compare-and-swap on its whole state, so that two workers that read the same state cannot
 * both spend it. Used by the job store.
 */
import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { BudgetState } from "../../kernel/ports/index.js";
import { corruptItem, getItem, isConditionalCheckFailed } from "./items.js";
import { ENTITY_ATTRIBUTE, KEY_PREFIX, PARTITION_KEY, SORT_KEY, SORT_KEY_VALUE } from "./table.js";

export async function readBudgetItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  name: string,
): Promise<BudgetState | undefined> {
  const item = await getItem(client, tableName, KEY_PREFIX.budget + name, SORT_KEY_VALUE.budget);
  if (item === undefined) return undefined;
  const { tokens, at } = item;
  if (typeof tokens !== "number" || typeof at !== "number") {
    throw corruptItem("job item", `budget "${name}" is not a token bucket`);
  }
  return { tokens, at };
}

export async function swapBudgetItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  name: string,
  from: BudgetState | undefined,
  to: BudgetState,
): Promise<boolean> {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          [PARTITION_KEY]: KEY_PREFIX.budget + name,
          [SORT_KEY]: SORT_KEY_VALUE.budget,
          tokens: to.tokens,
          at: to.at,
          [ENTITY_ATTRIBUTE]: "budget",
        },
        ...(from === undefined
          ? { ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": PARTITION_KEY } }
          : {
              ConditionExpression: "#tokens = :tokens AND #at = :at",
              ExpressionAttributeNames: { "#tokens": "tokens", "#at": "at" },
              ExpressionAttributeValues: { ":tokens": from.tokens, ":at": from.at },
            }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
