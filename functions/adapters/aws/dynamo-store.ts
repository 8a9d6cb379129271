/**
 * {@link CredentialStore} on the single DynamoDB table described in `table.ts`. The same code runs against AWS,
 * moto and the embedded dynalite.
 */

import { createHash } from "node:crypto";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { isRecord } from "../../../lib/guards.js";
import { conflict, GatewayError, notFound, validationFailed } from "../../kernel/errors.js";
import type {
  CredentialStore,
  DidMethod,
  IdempotencyRecord,
  IssuanceRecord,
  IssuerCertificate,
  IssuerKey,
  IssuerRecord,
  KeyType,
  PublicJwk,
  Role,
  SignatureAlgorithm,
  TokenRecord,
} from "../../kernel/ports/index.js";
import { batchPut } from "./batch-write.js";
import { corruptItem, getItem, type Item, isConditionalCheckFailed, itemString, putIfAbsent } from "./items.js";
import {
  ENTITY_ATTRIBUTE,
  GSI1_NAME,
  GSI1_PARTITION_KEY,
  GSI1_SORT_KEY,
  ISSUERS_LISTING,
  KEY_PREFIX,
  PARTITION_KEY,
  SORT_KEY,
  SORT_KEY_VALUE,
  TTL_ATTRIBUTE,
} from "./table.js";

/** Issuers per page when the caller gives no limit. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 100;

const MAX_CURSOR_LENGTH = 2048;

interface ListingKey {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
}

export interface DynamoCredentialStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * Issuers and tokens as items of the single table. Every allocation is a conditional put, so two writers racing for
 * one slug or token id cannot both win: the loser gets a `conflict`.
 */
export class DynamoCredentialStore implements CredentialStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoCredentialStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async putIssuer(issuer: IssuerRecord): Promise<void> {
    const item: Item = {
      ...withoutUndefined(issuer),
      [PARTITION_KEY]: KEY_PREFIX.issuer + issuer.slug,
      [SORT_KEY]: SORT_KEY_VALUE.issuer,
      [GSI1_PARTITION_KEY]: ISSUERS_LISTING,
      [GSI1_SORT_KEY]: `${issuer.createdAt}#${issuer.slug}`,
      [ENTITY_ATTRIBUTE]: "issuer",
    };
    await this.#putNew(item, `an issuer with slug "${issuer.slug}" already exists`, "/body/slug");
    // The DID index, written after the issuer (no transactions on dynalite): a crash in between leaves an issuer
    // without index, never an index to a wrong issuer, since findIssuerByDid checks the issuer's id.
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          [PARTITION_KEY]: KEY_PREFIX.issuerDid + issuer.id,
          [SORT_KEY]: SORT_KEY_VALUE.issuerDid,
          [ENTITY_ATTRIBUTE]: "issuerDid",
          slug: issuer.slug,
        },
      }),
    );
    await this.#indexCertificates(issuer.slug, issuer.certificates ?? []);
  }

  /**
   * Index items from each chain's leaf to the issuer. Replaced certificates keep their items, which lookups ignore:
   * {@link findIssuerByCertificate} checks that the issuer still holds the certificate.
   */
  async #indexCertificates(slug: string, certificates: IssuerCertificate[]): Promise<void> {
    for (const certificate of certificates) {
      const leaf = certificate.chain[0];
      if (leaf === undefined) continue;
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            [PARTITION_KEY]: KEY_PREFIX.issuerCertificate + leafDigest(leaf),
            [SORT_KEY]: SORT_KEY_VALUE.issuerCertificate,
            [ENTITY_ATTRIBUTE]: "issuerCertificate",
            slug,
          },
        }),
      );
    }
  }

  async findIssuerByCertificate(leaf: string): Promise<IssuerRecord | undefined> {
    const index = await this.#get(KEY_PREFIX.issuerCertificate + leafDigest(leaf), SORT_KEY_VALUE.issuerCertificate);
    if (!index || typeof index.slug !== "string") return undefined;
    const issuer = await this.getIssuer(index.slug);
    return issuer?.certificates?.some((c) => c.chain[0] === leaf) ? issuer : undefined;
  }

  async findIssuerByDid(did: string): Promise<IssuerRecord | undefined> {
    const index = await this.#get(KEY_PREFIX.issuerDid + did, SORT_KEY_VALUE.issuerDid);
    if (!index || typeof index.slug !== "string") return undefined;
    const issuer = await this.getIssuer(index.slug);
    return issuer?.id === did ? issuer : undefined;
  }

  async reserveSlug(slug: string, window: { now: Date; until: Date }): Promise<void> {
    const taken = new GatewayError("conflict", `an issuer with slug "${slug}" exists or is being registered`, [
      { pointer: "/body/slug", detail: "already taken" },
    ]);
    if (await this.#get(KEY_PREFIX.issuer + slug, SORT_KEY_VALUE.issuer)) throw taken;
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            [PARTITION_KEY]: KEY_PREFIX.issuer + slug,
            [SORT_KEY]: SORT_KEY_VALUE.reservation,
            [TTL_ATTRIBUTE]: Math.floor(window.until.getTime() / 1000),
            [ENTITY_ATTRIBUTE]: "reservation",
          },
          // An expired reservation (a registration that died) may be taken over; TTL deletion is not immediate.
          ConditionExpression: "attribute_not_exists(#pk) OR #exp < :now",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#exp": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": Math.floor(window.now.getTime() / 1000) },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw taken;
      throw error;
    }
  }

  async getIssuer(slug: string): Promise<IssuerRecord | undefined> {
    const item = await this.#get(KEY_PREFIX.issuer + slug, SORT_KEY_VALUE.issuer);
    return item === undefined ? undefined : decodeIssuer(item);
  }

  async setIssuerCertificates(slug: string, certificates: IssuerCertificate[]): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: KEY_PREFIX.issuer + slug, [SORT_KEY]: SORT_KEY_VALUE.issuer },
          UpdateExpression: "SET #certificates = :certificates",
          // Only a registered issuer: an update must not create a bare item (nor fill a reservation).
          ConditionExpression: "attribute_exists(#pk)",
          ExpressionAttributeNames: { "#certificates": "certificates", "#pk": PARTITION_KEY },
          ExpressionAttributeValues: { ":certificates": certificates },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw notFound(`issuer "${slug}"`, "/path/id");
      throw error;
    }
    await this.#indexCertificates(slug, certificates);
  }

  async addIssuerKey(slug: string, key: IssuerKey): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: KEY_PREFIX.issuer + slug, [SORT_KEY]: SORT_KEY_VALUE.issuer },
          UpdateExpression: "SET #keys = list_append(#keys, :key)",
          ConditionExpression: "attribute_exists(#pk)",
          ExpressionAttributeNames: { "#keys": "keys", "#pk": PARTITION_KEY },
          ExpressionAttributeValues: { ":key": [withoutUndefined(key)] },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw notFound(`issuer "${slug}"`, "/path/id");
      throw error;
    }
  }

  /**
   * One page of issuers, oldest first (ties by slug), read from `gsi1`. On AWS the index is eventually consistent: an
   * issuer put a moment ago may be missing from the listing while `getIssuer` already finds it.
   */
  async listIssuers(
    opts: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: IssuerRecord[]; cursor?: string }> {
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw validationFailed([
        { pointer: "/query/limit", detail: `must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${opts.limit}` },
      ]);
    }
    const startKey = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
    // One item more than asked tells whether another page exists, so the last page never comes back empty.
    const result = await this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        IndexName: GSI1_NAME,
        KeyConditionExpression: "#gpk = :gpk",
        ExpressionAttributeNames: { "#gpk": GSI1_PARTITION_KEY },
        ExpressionAttributeValues: { ":gpk": ISSUERS_LISTING },
        ScanIndexForward: true,
        Limit: limit + 1,
        ExclusiveStartKey: startKey ? { ...startKey } : undefined,
      }),
    );
    const rows: Item[] = result.Items ?? [];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    // DynamoDB may stop early (1 MB per query) and leave a LastEvaluatedKey with fewer rows than asked.
    const more = rows.length > limit || result.LastEvaluatedKey !== undefined;
    return {
      items: page.map(decodeIssuer),
      ...(more && last !== undefined ? { cursor: encodeCursor(listingKeyOf(last)) } : {}),
    };
  }

  async putToken(token: TokenRecord): Promise<void> {
    // `expiresAt` is the table's TTL attribute (epoch seconds): a token's expiry is kept under its own name.
    const { expiresAt, ...rest } = token;
    const item: Item = {
      ...withoutUndefined(rest),
      ...(expiresAt ? { tokenExpiresAt: expiresAt } : {}),
      [PARTITION_KEY]: KEY_PREFIX.token + token.tokenId,
      [SORT_KEY]: SORT_KEY_VALUE.token,
      [ENTITY_ATTRIBUTE]: "token",
    };
    await this.#putNew(item, `a token with id "${token.tokenId}" already exists`);
  }

  async getToken(tokenId: string): Promise<TokenRecord | undefined> {
    const item = await this.#get(KEY_PREFIX.token + tokenId, SORT_KEY_VALUE.token);
    return item === undefined ? undefined : decodeToken(item);
  }

  async expireToken(tokenId: string, expiresAt: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: KEY_PREFIX.token + tokenId, [SORT_KEY]: SORT_KEY_VALUE.token },
          UpdateExpression: "SET #expiresAt = :expiresAt",
          // ISO-8601 UTC strings order as times: an earlier expiry is never pushed back.
          ConditionExpression:
            "attribute_exists(#pk) AND (attribute_not_exists(#expiresAt) OR #expiresAt > :expiresAt)",
          ExpressionAttributeNames: { "#expiresAt": "tokenExpiresAt", "#pk": PARTITION_KEY },
          ExpressionAttributeValues: { ":expiresAt": expiresAt },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if ((await this.getToken(tokenId)) === undefined) throw notFound(`token "${tokenId}"`, "/path/id");
    }
  }

  async #putNew(item: Item, conflictDetail: string, pointer?: string): Promise<void> {
    if (!(await putIfAbsent(this.#client, this.#tableName, item))) throw conflict(conflictDetail, pointer);
  }

  async putIssuance(record: IssuanceRecord): Promise<void> {
    const item: Item = {
      ...withoutUndefined(record),
      [PARTITION_KEY]: KEY_PREFIX.credential + record.credentialId,
      [SORT_KEY]: SORT_KEY_VALUE.issuance,
      [ENTITY_ATTRIBUTE]: "issuance",
    };
    await this.#putNew(item, `the credential "${record.credentialId}" was issued before`, "/body/credential/id");
  }

  async putIssuances(records: IssuanceRecord[]): Promise<void> {
    await batchPut(
      this.#client,
      this.#tableName,
      records.map((record) => ({
        ...withoutUndefined(record),
        [PARTITION_KEY]: KEY_PREFIX.credential + record.credentialId,
        [SORT_KEY]: SORT_KEY_VALUE.issuance,
        [ENTITY_ATTRIBUTE]: "issuance",
      })),
    );
  }

  async getIssuance(credentialId: string): Promise<IssuanceRecord | undefined> {
    const item = await this.#get(KEY_PREFIX.credential + credentialId, SORT_KEY_VALUE.issuance);
    if (!item) return undefined;
    const { credentialId: id, issuerSlug, format, proof, contentHash, issuedAt } = item;
    if ([id, issuerSlug, format, proof, contentHash, issuedAt].some((v) => typeof v !== "string")) {
      throw new GatewayError("internal", `stored issuance record ${credentialId} is not valid`);
    }
    const { statusListId, statusListIndex, suspensionListId, suspensionListIndex } = item;
    if (
      (statusListId !== undefined && typeof statusListId !== "string") ||
      (statusListIndex !== undefined && !Number.isSafeInteger(statusListIndex)) ||
      (suspensionListId !== undefined && typeof suspensionListId !== "string") ||
      (suspensionListIndex !== undefined && !Number.isSafeInteger(suspensionListIndex))
    ) {
      throw new GatewayError("internal", `stored issuance record ${credentialId} has an invalid status entry`);
    }
    return {
      credentialId: id,
      issuerSlug,
      format,
      proof,
      contentHash,
      issuedAt,
      ...(typeof statusListId === "string" ? { statusListId } : {}),
      ...(typeof statusListIndex === "number" ? { statusListIndex } : {}),
      ...(typeof suspensionListId === "string" ? { suspensionListId } : {}),
      ...(typeof suspensionListIndex === "number" ? { suspensionListIndex } : {}),
    } as IssuanceRecord;
  }

  /** Keys are hashed into the partition key: a caller's key may be long or hold any characters. */
  #idempotencyKey(issuerSlug: string, key: string): Record<string, string> {
    const digest = createHash("sha256").update(key, "utf8").digest("hex");
    return {
      [PARTITION_KEY]: `${KEY_PREFIX.idempotency}${issuerSlug}#${digest}`,
      [SORT_KEY]: SORT_KEY_VALUE.idempotency,
    };
  }

  async claimIdempotency(record: Omit<IdempotencyRecord, "state" | "response">, now: Date): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...withoutUndefined(record),
            ...this.#idempotencyKey(record.issuerSlug, record.key),
            state: "pending",
            [TTL_ATTRIBUTE]: Math.floor(Date.parse(record.expiresAt) / 1000),
            [ENTITY_ATTRIBUTE]: "idempotency",
          },
          ConditionExpression: "attribute_not_exists(#pk) OR #exp < :now",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#exp": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": Math.floor(now.getTime() / 1000) },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw conflict("this Idempotency-Key is in use by a request still in progress", "/headers/idempotency-key");
      }
      throw error;
    }
  }

  async getIdempotency(issuerSlug: string, key: string): Promise<IdempotencyRecord | undefined> {
    const k = this.#idempotencyKey(issuerSlug, key);
    const item = await this.#get(k[PARTITION_KEY] as string, k[SORT_KEY] as string);
    if (!item) return undefined;
    const { requestHash, state, response, createdAt, expiresAt } = item;
    if (typeof requestHash !== "string" || (state !== "pending" && state !== "done")) {
      throw new GatewayError("internal", "stored idempotency record is not valid");
    }
    return {
      issuerSlug,
      key,
      requestHash,
      state,
      ...(response === undefined ? {} : { response }),
      createdAt: String(createdAt),
      // The record's expiry is the item's TTL attribute (epoch seconds).
      expiresAt: new Date(Number(expiresAt) * 1000).toISOString(),
    };
  }

  async completeIdempotency(
    issuerSlug: string,
    key: string,
    response: unknown,
    expiresAt: string,
    owner?: { claimedAt: string },
  ): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: this.#idempotencyKey(issuerSlug, key),
          UpdateExpression: "SET #state = :done, #response = :response, #exp = :exp",
          // With an owner, a fence: the claim must still be the one this attempt took (a claim's createdAt is its
          // token; a newer claim can only be taken after this one's lease ran out, so the two never share it).
          ConditionExpression: owner
            ? "attribute_exists(#pk) AND #state = :pending AND #created = :claimedAt"
            : "attribute_exists(#pk)",
          ExpressionAttributeNames: {
            "#state": "state",
            "#response": "response",
            "#pk": PARTITION_KEY,
            "#exp": TTL_ATTRIBUTE,
            ...(owner ? { "#created": "createdAt" } : {}),
          },
          ExpressionAttributeValues: {
            ":done": "done",
            ":response": response,
            ":exp": Math.floor(Date.parse(expiresAt) / 1000),
            ...(owner ? { ":pending": "pending", ":claimedAt": owner.claimedAt } : {}),
          },
        }),
      );
    } catch (error) {
      if (owner && isConditionalCheckFailed(error)) {
        throw conflict(
          "this Idempotency-Key's claim ran out and was taken by another request: its result stands",
          "/headers/idempotency-key",
        );
      }
      throw error;
    }
  }

  async releaseIdempotency(issuerSlug: string, key: string, owner?: { claimedAt: string }): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: this.#idempotencyKey(issuerSlug, key),
          ...(owner
            ? {
                ConditionExpression: "#created = :claimedAt",
                ExpressionAttributeNames: { "#created": "createdAt" },
                ExpressionAttributeValues: { ":claimedAt": owner.claimedAt },
              }
            : {}),
        }),
      );
    } catch (error) {
      // Another attempt's claim (taken over after this one's lease), or none: not this attempt's to forget.
      if (!(owner && isConditionalCheckFailed(error))) throw error;
    }
  }

  #get(pk: string, sk: string): Promise<Item | undefined> {
    return getItem(this.#client, this.#tableName, pk, sk);
  }
}

/** DynamoDB refuses `undefined` attribute values; optional fields left undefined are simply not stored. */
function withoutUndefined<T extends object>(value: T): Item {
  return JSON.parse(JSON.stringify(value)) as Item;
}

// --- listing cursor: base64url of the last row's table and index keys -------------------------------------------

function encodeCursor(key: ListingKey): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

function badCursor(detail: string): GatewayError {
  return validationFailed([{ pointer: "/query/cursor", detail }]);
}

function decodeCursor(cursor: string): ListingKey {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw badCursor("not a cursor returned by this listing");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor("not a cursor returned by this listing");
  }
  if (!isRecord(parsed) || Object.keys(parsed).length !== 4) throw badCursor("not a cursor returned by this listing");
  const { pk, sk, gsi1pk, gsi1sk } = parsed;
  if (
    typeof pk !== "string" ||
    typeof sk !== "string" ||
    typeof gsi1pk !== "string" ||
    typeof gsi1sk !== "string" ||
    !pk.startsWith(KEY_PREFIX.issuer) ||
    sk !== SORT_KEY_VALUE.issuer ||
    gsi1pk !== ISSUERS_LISTING
  ) {
    throw badCursor("not a cursor returned by this listing");
  }
  return { pk, sk, gsi1pk, gsi1sk };
}

function listingKeyOf(item: Item): ListingKey {
  return {
    pk: str(item, PARTITION_KEY),
    sk: str(item, SORT_KEY),
    gsi1pk: str(item, GSI1_PARTITION_KEY),
    gsi1sk: str(item, GSI1_SORT_KEY),
  };
}

// --- decoding stored items into port records ----------------------------------------------------------------------

const corrupt = (detail: string): GatewayError => corruptItem("item", detail);

const str = (item: Item, name: string): string => itemString(item, name, "item");

function optStr(item: Item, name: string): string | undefined {
  const value = item[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw corrupt(`${name} is not a string`);
  return value;
}

function member<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw corrupt(`${name} is ${JSON.stringify(value)}`);
  return found;
}

function oneOf<T extends string>(item: Item, name: string, allowed: readonly T[]): T {
  return member(item[name], name, allowed);
}

/** Drops the optional members that were not stored, so decoded records hold no `undefined` values. */
function defined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}

const KEY_TYPES = ["Ed25519", "P-256", "RSA-2048"] as const satisfies readonly KeyType[];
const ALGORITHMS = ["EdDSA", "ES256", "RS256", "PS256"] as const satisfies readonly SignatureAlgorithm[];
const DID_METHODS = ["web", "key"] as const satisfies readonly DidMethod[];
const ROLES = ["admin", "issuer", "registry", "public"] as const satisfies readonly Role[];

function decodeJwk(value: unknown): PublicJwk {
  if (!isRecord(value)) throw corrupt("publicJwk is not an object");
  const crv = value.crv === undefined ? undefined : oneOf(value, "crv", ["Ed25519", "P-256"] as const);
  return defined({
    kty: oneOf(value, "kty", ["OKP", "EC", "RSA"] as const),
    crv,
    x: optStr(value, "x"),
    y: optStr(value, "y"),
    n: optStr(value, "n"),
    e: optStr(value, "e"),
  });
}

function decodeIssuerKey(value: unknown): IssuerKey {
  if (!isRecord(value)) throw corrupt("issuer key is not an object");
  const algorithms = value.algorithms;
  if (!Array.isArray(algorithms)) throw corrupt("algorithms is not a list");
  return {
    fragment: str(value, "fragment"),
    type: oneOf(value, "type", KEY_TYPES),
    keyRef: str(value, "keyRef"),
    publicJwk: decodeJwk(value.publicJwk),
    algorithms: algorithms.map((algorithm: unknown) => member(algorithm, "algorithms[]", ALGORITHMS)),
  };
}

function decodeCertificate(value: unknown): IssuerCertificate {
  if (!isRecord(value)) throw corrupt("issuer certificate is not an object");
  const chain = value.chain;
  if (!Array.isArray(chain) || chain.length === 0 || chain.some((der) => typeof der !== "string")) {
    throw corrupt("certificate chain is not a non-empty list of strings");
  }
  if (typeof value.qualified !== "boolean") throw corrupt("qualified is not a boolean");
  return {
    keyFragment: str(value, "keyFragment"),
    chain: chain as string[],
    qualified: value.qualified,
    notAfter: str(value, "notAfter"),
  };
}

function decodeIssuer(item: Item): IssuerRecord {
  const keys = item.keys;
  if (!Array.isArray(keys)) throw corrupt("keys is not a list");
  const certificates = item.certificates;
  if (certificates !== undefined && !Array.isArray(certificates)) throw corrupt("certificates is not a list");
  return defined({
    id: str(item, "id"),
    slug: str(item, "slug"),
    didMethod: oneOf(item, "didMethod", DID_METHODS),
    name: str(item, "name"),
    country: str(item, "country"),
    legalIdentifier: optStr(item, "legalIdentifier"),
    homepage: optStr(item, "homepage"),
    email: optStr(item, "email"),
    keys: keys.map(decodeIssuerKey),
    certificates: certificates?.map(decodeCertificate),
    createdAt: str(item, "createdAt"),
  });
}

function decodeToken(item: Item): TokenRecord {
  return defined({
    tokenId: str(item, "tokenId"),
    secretHash: str(item, "secretHash"),
    role: oneOf(item, "role", ROLES),
    issuerId: optStr(item, "issuerId"),
    createdAt: str(item, "createdAt"),
    revokedAt: optStr(item, "revokedAt"),
    expiresAt: optStr(item, "tokenExpiresAt"),
    replaces: optStr(item, "replaces"),
  });
}

/** Hex SHA-256 of a base64 DER certificate: the key of its issuer-lookup index item. */
function leafDigest(leaf: string): string {
  return createHash("sha256").update(Buffer.from(leaf, "base64")).digest("hex");
}
