/**
 * {@link Oid4vciStore} on the single DynamoDB table (`table.ts`):
 *
 * | item  | pk                            | sk      | notes                                                        |
 * |-------|-------------------------------|---------|--------------------------------------------------------------|
 * | offer | `OID4VCI#OFFER#{offerId}`     | `OFFER` | credential (JSON text, dropped once issued), code / token / tx_code hashes, states |
 * | nonce | `OID4VCI#NONCE#{sha256}`      | `NONCE` | a `c_nonce`'s digest; deleted when used                       |
 *
 * Both carry `expiresAt` (TTL, epoch seconds). Times that conditions compare are kept as ISO 8601 strings in UTC
 * (`toISOString`, fixed width), which order lexicographically as they do in time, so every state change is a single
 * conditional write: a code is redeemed once, a credential is issued once, a nonce is used once.
 */

import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conflict, GatewayError } from "../../kernel/errors.js";
import type { Oid4vciOffer, Oid4vciStore } from "../../kernel/ports/index.js";
import { corruptItem, getItem, type Item, isConditionalCheckFailed, itemString, putIfAbsent } from "./items.js";
import { ENTITY_ATTRIBUTE, KEY_PREFIX, PARTITION_KEY, SORT_KEY, SORT_KEY_VALUE, TTL_ATTRIBUTE } from "./table.js";

export interface DynamoOid4vciStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const offerKey = (id: string) => ({
  [PARTITION_KEY]: KEY_PREFIX.oid4vciOffer + id,
  [SORT_KEY]: SORT_KEY_VALUE.oid4vciOffer,
});
const nonceKey = (hash: string) => ({
  [PARTITION_KEY]: KEY_PREFIX.oid4vciNonce + hash,
  [SORT_KEY]: SORT_KEY_VALUE.oid4vciNonce,
});
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Optional string members of the offer item, copied as they are. */
const OPTIONAL_STRINGS = [
  "redeemedAt",
  "tokenHash",
  "tokenExpiresAt",
  "issuingUntil",
  "issuingHolder",
  "issuedAt",
  "credentialId",
] as const;

export class DynamoOid4vciStore implements Oid4vciStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoOid4vciStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async putOffer(offer: Oid4vciOffer): Promise<void> {
    const item: Item = {
      ...offerKey(offer.id),
      [ENTITY_ATTRIBUTE]: "oid4vci-offer",
      id: offer.id,
      issuerSlug: offer.issuerSlug,
      configurationId: offer.configurationId,
      codeHash: offer.codeHash,
      createdAt: offer.createdAt,
      codeExpiresAt: offer.codeExpiresAt,
      failedTxCodes: offer.failedTxCodes,
      [TTL_ATTRIBUTE]: epochSeconds(offer.expiresAt),
      // JSON text: credentials may nest deeper than DynamoDB's 32 levels and hold empty strings or maps.
      ...(offer.credential ? { credential: JSON.stringify(offer.credential) } : {}),
      ...(offer.txCode ? { txCode: JSON.parse(JSON.stringify(offer.txCode)) } : {}),
    };
    for (const name of OPTIONAL_STRINGS) if (offer[name] !== undefined) item[name] = offer[name];
    if (!(await putIfAbsent(this.#client, this.#tableName, item))) {
      throw conflict(`an offer with id "${offer.id}" already exists`);
    }
  }

  async getOffer(id: string): Promise<Oid4vciOffer | undefined> {
    const { pk, sk } = offerKey(id) as { pk: string; sk: string };
    const item = await getItem(this.#client, this.#tableName, pk, sk);
    return item === undefined ? undefined : decodeOffer(item);
  }

  async redeemCode(
    id: string,
    token: { tokenHash: string; tokenExpiresAt: string },
    now: Date,
    maxFailedTxCodes: number,
  ): Promise<boolean> {
    return this.#conditionalUpdate({
      Key: offerKey(id),
      UpdateExpression: "SET #redeemed = :now, #tokenHash = :tokenHash, #tokenExpires = :tokenExpires",
      ConditionExpression:
        "attribute_exists(#pk) AND attribute_not_exists(#redeemed) AND #codeExpires > :now AND #failed < :max",
      ExpressionAttributeNames: {
        "#pk": PARTITION_KEY,
        "#redeemed": "redeemedAt",
        "#tokenHash": "tokenHash",
        "#tokenExpires": "tokenExpiresAt",
        "#codeExpires": "codeExpiresAt",
        "#failed": "failedTxCodes",
      },
      ExpressionAttributeValues: {
        ":now": now.toISOString(),
        ":tokenHash": token.tokenHash,
        ":tokenExpires": token.tokenExpiresAt,
        ":max": maxFailedTxCodes,
      },
    });
  }

  async recordFailedTxCode(id: string): Promise<number> {
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: offerKey(id),
          UpdateExpression: "ADD #failed :one",
          ConditionExpression: "attribute_exists(#pk)",
          ExpressionAttributeNames: { "#failed": "failedTxCodes", "#pk": PARTITION_KEY },
          ExpressionAttributeValues: { ":one": 1 },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      const count = result.Attributes?.failedTxCodes;
      if (typeof count !== "number") throw corruptItem("oid4vci offer", "failedTxCodes is not a number");
      return count;
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new GatewayError("not-found", `offer "${id}" was not found`);
      throw error;
    }
  }

  async claimIssuance(id: string, until: string, now: Date, holder: string): Promise<boolean> {
    return this.#conditionalUpdate({
      Key: offerKey(id),
      UpdateExpression: "SET #issuing = :until, #holder = :holder",
      ConditionExpression:
        "attribute_exists(#redeemed) AND attribute_not_exists(#issued) AND (attribute_not_exists(#issuing) OR #issuing <= :now)",
      ExpressionAttributeNames: {
        "#issuing": "issuingUntil",
        "#holder": "issuingHolder",
        "#redeemed": "redeemedAt",
        "#issued": "issuedAt",
      },
      ExpressionAttributeValues: { ":until": until, ":now": now.toISOString(), ":holder": holder },
    });
  }

  async completeIssuance(id: string, issued: { credentialId: string; at: string }, holder: string): Promise<boolean> {
    // Conditional on the holder, not on the hold's time: a slow request whose hold lapsed still completes when no
    // other request took the offer over, and never when one did (that one may be issuing a second credential).
    return this.#conditionalUpdate({
      Key: offerKey(id),
      UpdateExpression: "SET #issued = :at, #credentialId = :credentialId REMOVE #credential, #issuing, #holder",
      ConditionExpression: "#holder = :holder AND attribute_not_exists(#issued)",
      ExpressionAttributeNames: {
        "#issued": "issuedAt",
        "#credentialId": "credentialId",
        "#credential": "credential",
        "#issuing": "issuingUntil",
        "#holder": "issuingHolder",
      },
      ExpressionAttributeValues: { ":at": issued.at, ":credentialId": issued.credentialId, ":holder": holder },
    });
  }

  async releaseIssuance(id: string, holder: string): Promise<void> {
    await this.#conditionalUpdate({
      Key: offerKey(id),
      UpdateExpression: "REMOVE #issuing, #holder",
      ConditionExpression: "#holder = :holder AND attribute_not_exists(#issued)",
      ExpressionAttributeNames: { "#issuing": "issuingUntil", "#holder": "issuingHolder", "#issued": "issuedAt" },
      ExpressionAttributeValues: { ":holder": holder },
    });
  }

  async putNonce(nonceHash: string, expiresAt: string): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...nonceKey(nonceHash),
            [ENTITY_ATTRIBUTE]: "oid4vci-nonce",
            until: new Date(expiresAt).toISOString(),
            [TTL_ATTRIBUTE]: epochSeconds(expiresAt),
          },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw conflict("this nonce exists already");
      throw error;
    }
  }

  async consumeNonce(nonceHash: string, now: Date): Promise<boolean> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: nonceKey(nonceHash),
          // TTL deletion lags by up to days: an expired nonce still present is refused here.
          ConditionExpression: "attribute_exists(#pk) AND #until > :now",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#until": "until" },
          ExpressionAttributeValues: { ":now": now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** An UpdateItem whose failed condition is an answer (false), not an error. */
  async #conditionalUpdate(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], "TableName">): Promise<boolean> {
    try {
      await this.#client.send(new UpdateCommand({ TableName: this.#tableName, ...input }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function decodeTxCode(value: unknown): Oid4vciOffer["txCode"] {
  if (value === undefined) return undefined;
  const t = value as Record<string, unknown>;
  if (
    typeof t !== "object" ||
    t === null ||
    typeof t.hash !== "string" ||
    (t.inputMode !== "numeric" && t.inputMode !== "text") ||
    typeof t.length !== "number"
  ) {
    throw corruptItem("oid4vci offer", "txCode is malformed");
  }
  return {
    hash: t.hash,
    inputMode: t.inputMode,
    length: t.length,
    ...(typeof t.description === "string" ? { description: t.description } : {}),
  };
}

function decodeOffer(item: Item): Oid4vciOffer {
  const what = "oid4vci offer";
  const ttl = item[TTL_ATTRIBUTE];
  if (typeof ttl !== "number") throw corruptItem(what, "expiresAt is not a number");
  const failed = item.failedTxCodes;
  if (typeof failed !== "number") throw corruptItem(what, "failedTxCodes is not a number");
  let credential: Record<string, unknown> | undefined;
  if (item.credential !== undefined) {
    try {
      credential = JSON.parse(itemString(item, "credential", what)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw corruptItem(what, "credential is not JSON");
    }
  }
  const txCode = decodeTxCode(item.txCode);
  const offer: Oid4vciOffer = {
    id: itemString(item, "id", what),
    issuerSlug: itemString(item, "issuerSlug", what),
    configurationId: itemString(item, "configurationId", what),
    codeHash: itemString(item, "codeHash", what),
    createdAt: itemString(item, "createdAt", what),
    codeExpiresAt: itemString(item, "codeExpiresAt", what),
    expiresAt: new Date(ttl * 1000).toISOString(),
    failedTxCodes: failed,
    ...(credential ? { credential } : {}),
    ...(txCode ? { txCode } : {}),
  };
  for (const name of OPTIONAL_STRINGS) if (item[name] !== undefined) offer[name] = itemString(item, name, what);
  return offer;
}
