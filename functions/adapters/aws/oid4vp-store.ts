/**
 * {@link Oid4vpStore} on the single DynamoDB table (`table.ts`): one item per presentation request, pk
 * `OID4VP#REQUEST#{id}`, sk `REQUEST`, with `expiresAt` as its TTL. The DCQL query and the result are JSON text
 * (they may nest deeper than DynamoDB maps allow). A response is taken by one conditional write: not yet received
 * and not expired (ISO 8601 UTC strings order as time does), so a replayed response finds the item taken.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conflict } from "../../kernel/errors.js";
import type { Oid4vpStore, PresentationRequestRecord } from "../../kernel/ports/index.js";
import { getItem, type Item, isConditionalCheckFailed, itemString, putIfAbsent } from "./items.js";
import { ENTITY_ATTRIBUTE, KEY_PREFIX, PARTITION_KEY, SORT_KEY, SORT_KEY_VALUE, TTL_ATTRIBUTE } from "./table.js";

const requestKey = (id: string) => ({
  [PARTITION_KEY]: KEY_PREFIX.oid4vpRequest + id,
  [SORT_KEY]: SORT_KEY_VALUE.oid4vpRequest,
});

const WHAT = "presentation request";

export class DynamoOid4vpStore implements Oid4vpStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async putPresentationRequest(request: PresentationRequestRecord): Promise<void> {
    const item: Item = {
      ...requestKey(request.id),
      [ENTITY_ATTRIBUTE]: "oid4vp-request",
      id: request.id,
      verifierSlug: request.verifierSlug,
      clientId: request.clientId,
      nonce: request.nonce,
      state: request.state,
      query: JSON.stringify(request.query),
      requestObject: request.requestObject,
      createdAt: request.createdAt,
      expiresAtIso: request.expiresAt,
      // Kept a day past expiry, so that a late poll says "expired" rather than "not found".
      [TTL_ATTRIBUTE]: Math.floor(Date.parse(request.expiresAt) / 1000) + 24 * 60 * 60,
      ...(request.purpose !== undefined ? { purpose: request.purpose } : {}),
      ...(request.pollKeySha256 !== undefined ? { pollKeySha256: request.pollKeySha256 } : {}),
      ...(request.responseKey !== undefined ? { responseKey: JSON.stringify(request.responseKey) } : {}),
    };
    if (!(await putIfAbsent(this.#client, this.#tableName, item))) {
      throw conflict(`a presentation request with id "${request.id}" already exists`);
    }
  }

  async getPresentationRequest(id: string): Promise<PresentationRequestRecord | undefined> {
    const { pk, sk } = requestKey(id) as { pk: string; sk: string };
    const item = await getItem(this.#client, this.#tableName, pk, sk);
    if (item === undefined) return undefined;
    return {
      id: itemString(item, "id", WHAT),
      verifierSlug: itemString(item, "verifierSlug", WHAT),
      clientId: itemString(item, "clientId", WHAT),
      nonce: itemString(item, "nonce", WHAT),
      state: itemString(item, "state", WHAT),
      query: JSON.parse(itemString(item, "query", WHAT)) as Record<string, unknown>,
      requestObject: itemString(item, "requestObject", WHAT),
      createdAt: itemString(item, "createdAt", WHAT),
      expiresAt: itemString(item, "expiresAtIso", WHAT),
      ...(typeof item.purpose === "string" ? { purpose: item.purpose } : {}),
      ...(typeof item.pollKeySha256 === "string" ? { pollKeySha256: item.pollKeySha256 } : {}),
      ...(typeof item.responseKey === "string"
        ? { responseKey: JSON.parse(item.responseKey) as Record<string, unknown> }
        : {}),
      ...(typeof item.receivedAt === "string" ? { receivedAt: item.receivedAt } : {}),
      ...(typeof item.result === "string" ? { result: JSON.parse(item.result) as Record<string, unknown> } : {}),
    };
  }

  async completePresentationRequest(id: string, result: Record<string, unknown>, now: Date): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: requestKey(id),
          UpdateExpression: "SET #received = :now, #result = :result",
          ConditionExpression: "attribute_exists(#pk) AND attribute_not_exists(#received) AND #expires > :now",
          ExpressionAttributeNames: {
            "#pk": PARTITION_KEY,
            "#received": "receivedAt",
            "#result": "result",
            "#expires": "expiresAtIso",
          },
          ExpressionAttributeValues: { ":now": now.toISOString(), ":result": JSON.stringify(result) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
