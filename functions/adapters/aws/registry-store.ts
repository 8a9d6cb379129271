/**
 * {@link RegistryStore} on the single DynamoDB table of `table.ts` (AWS, moto and the embedded dynalite alike).
 *
 * | item                | pk                                | sk                   | attributes                        |
 * |---------------------|-----------------------------------|----------------------|-----------------------------------|
 * | institution         | `REGISTRY#INSTITUTION#{key}`      | `INSTITUTION`        | `data` (JSON), `lookups` (keys)   |
 * | report (per inst.)  | `REGISTRY#INSTITUTION#{key}`      | `REPORT#{reportId}`  | `data` (JSON)                     |
 * | report              | `REGISTRY#REPORT#{reportId}`      | `REPORT`             | `data` (JSON)                     |
 * | lookup              | `REGISTRY#LOOKUP#{lookupKey}`     | `{institution key}`  | -                                 |
 * | agency              | `REGISTRY#AGENCY#{id}`            | `AGENCY`             | `data` (JSON)                     |
 *
 * `{key}` is a DEQAR id (`DEQARINST0382`) or `QDR:{registration}`; lookup keys come from `lookupKeysOf` in
 * `mappings/registry/model.ts` (`ID#{identifier}`, `SCHAC#{domain}`, `NAME#{country}#{normalised name}`). Access
 * patterns: an institution by key (GetItem); institutions by lookup (Query on the lookup's pk, then GetItem each);
 * an institution's reports (Query pk, sk beginning `REPORT#`). Records are kept as JSON text so that the model's
 * optional fields round-trip exactly. Replacing an institution or a report deletes the lookup and report items its
 * earlier version had and the new one does not, so a renamed institution is not found under its old name.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type {
  RegistryAgency,
  RegistryInstitution,
  RegistryLookup,
  RegistryReport,
} from "../../../mappings/registry/model.js";
import type { RegistryStore } from "../../core/registry/store.js";
import { corruptItem, getItem, type Item, itemString, queryAll } from "./items.js";
import { ENTITY_ATTRIBUTE, KEY_PREFIX, PARTITION_KEY, SORT_KEY, SORT_KEY_VALUE } from "./table.js";

/**
 * The lookup keys' normalisation, loaded on the registry's first use rather than at init (cold start): it carries
 * the ISO 3166 country names (~40 KB) that every function wiring the registry store would otherwise load.
 */
const registryModel = () => import("../../../mappings/registry/model.js");

export interface DynamoRegistryStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** Most institutions one lookup answers with (a name shared by more than this is useless for matching anyway). */
const MAX_LOOKUP_HITS = 25;

const institutionPk = (key: string) => `${KEY_PREFIX.registryInstitution}${key}`;
const reportPk = (id: string) => `${KEY_PREFIX.registryReport}${id}`;
const lookupPk = (lookupKey: string) => `${KEY_PREFIX.registryLookup}${lookupKey}`;
const agencyPk = (id: string) => `${KEY_PREFIX.registryAgency}${id}`;

function parse<T>(item: Item, what: string): T {
  const text = itemString(item, "data", what);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw corruptItem(what, "data is not JSON");
  }
}

export class DynamoRegistryStore implements RegistryStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: DynamoRegistryStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async putInstitution(institution: RegistryInstitution): Promise<void> {
    const pk = institutionPk(institution.key);
    const before = await getItem(this.#client, this.#tableName, pk, SORT_KEY_VALUE.registryInstitution);
    const { lookupKeysOf } = await registryModel();
    const lookups = lookupKeysOf(institution);
    const old = Array.isArray(before?.lookups)
      ? (before.lookups as unknown[]).filter((k) => typeof k === "string")
      : [];
    // Lookups first, then the record: a reader following a lookup to a record not yet written finds nothing, never
    // a record without its lookups.
    await Promise.all(
      lookups.map((k) =>
        this.#put({ [PARTITION_KEY]: lookupPk(k), [SORT_KEY]: institution.key, [ENTITY_ATTRIBUTE]: "registry-lookup" }),
      ),
    );
    await this.#put({
      [PARTITION_KEY]: pk,
      [SORT_KEY]: SORT_KEY_VALUE.registryInstitution,
      [ENTITY_ATTRIBUTE]: "registry-institution",
      data: JSON.stringify(institution),
      lookups,
    });
    const keep = new Set(lookups);
    await Promise.all(
      old.filter((k) => !keep.has(k as string)).map((k) => this.#delete(lookupPk(k as string), institution.key)),
    );
  }

  async getInstitution(key: string): Promise<RegistryInstitution | undefined> {
    const item = await getItem(this.#client, this.#tableName, institutionPk(key), SORT_KEY_VALUE.registryInstitution);
    return item ? parse<RegistryInstitution>(item, "registry institution") : undefined;
  }

  async findInstitutions(lookup: RegistryLookup): Promise<RegistryInstitution[]> {
    const { lookupKeyOf, lookupKeysOf } = await registryModel();
    const key = lookupKeyOf(lookup);
    if (!key) return [];
    const result = await this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": PARTITION_KEY },
        ExpressionAttributeValues: { ":pk": lookupPk(key) },
        Limit: MAX_LOOKUP_HITS,
      }),
    );
    const keys = (result.Items ?? []).map((item) => itemString(item, SORT_KEY, "registry lookup"));
    const found = await Promise.all(keys.map((k) => this.getInstitution(k)));
    // A lookup left by a crash between writes may point at a record that no longer has it: checked again here.
    return found.filter((i): i is RegistryInstitution => i !== undefined && lookupKeysOf(i).includes(key));
  }

  async putReport(report: RegistryReport): Promise<void> {
    const before = await this.getReport(report.id);
    const data = JSON.stringify(report);
    await Promise.all(
      report.institutionKeys.map((k) =>
        this.#put({
          [PARTITION_KEY]: institutionPk(k),
          [SORT_KEY]: `${SORT_KEY_VALUE.registryReportCopy}${report.id}`,
          [ENTITY_ATTRIBUTE]: "registry-report-copy",
          data,
        }),
      ),
    );
    await this.#put({
      [PARTITION_KEY]: reportPk(report.id),
      [SORT_KEY]: SORT_KEY_VALUE.registryReport,
      [ENTITY_ATTRIBUTE]: "registry-report",
      data,
    });
    const keep = new Set(report.institutionKeys);
    const dropped = (before?.institutionKeys ?? []).filter((k) => !keep.has(k));
    await Promise.all(
      dropped.map((k) => this.#delete(institutionPk(k), `${SORT_KEY_VALUE.registryReportCopy}${report.id}`)),
    );
  }

  async getReport(id: string): Promise<RegistryReport | undefined> {
    const item = await getItem(this.#client, this.#tableName, reportPk(id), SORT_KEY_VALUE.registryReport);
    return item ? parse<RegistryReport>(item, "registry report") : undefined;
  }

  async reportsOf(institutionKey: string): Promise<RegistryReport[]> {
    const items = await queryAll(this.#client, this.#tableName, {
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :sk)",
      ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#sk": SORT_KEY },
      ExpressionAttributeValues: { ":pk": institutionPk(institutionKey), ":sk": SORT_KEY_VALUE.registryReportCopy },
    });
    return items.map((item) => parse<RegistryReport>(item, "registry report"));
  }

  async putAgency(agency: RegistryAgency): Promise<void> {
    await this.#put({
      [PARTITION_KEY]: agencyPk(agency.id),
      [SORT_KEY]: SORT_KEY_VALUE.registryAgency,
      [ENTITY_ATTRIBUTE]: "registry-agency",
      data: JSON.stringify(agency),
    });
  }

  async getAgency(id: string): Promise<RegistryAgency | undefined> {
    const item = await getItem(this.#client, this.#tableName, agencyPk(id), SORT_KEY_VALUE.registryAgency);
    return item ? parse<RegistryAgency>(item, "registry agency") : undefined;
  }

  async deleteReport(id: string): Promise<void> {
    const before = await this.getReport(id);
    if (!before) return;
    // Copies first, then the report: a crash in between leaves the report, and a retried import deletes it again.
    await Promise.all(
      before.institutionKeys.map((k) => this.#delete(institutionPk(k), `${SORT_KEY_VALUE.registryReportCopy}${id}`)),
    );
    await this.#delete(reportPk(id), SORT_KEY_VALUE.registryReport);
  }

  async listImportScopes(): Promise<{ scope: string; reportIds: string[]; importedAt: string }[]> {
    const items = await queryAll(this.#client, this.#tableName, {
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": PARTITION_KEY },
      ExpressionAttributeValues: { ":pk": KEY_PREFIX.registryImport },
    });
    return items.map((item) =>
      parse<{ scope: string; reportIds: string[]; importedAt: string }>(item, "registry import scope"),
    );
  }

  async putImportScope(record: { scope: string; reportIds: string[]; importedAt: string }): Promise<void> {
    // One item per scope: report ids are short (a DEQAR import of 20,000 reports is ~150 KB, under the 400 KB limit).
    await this.#put({
      [PARTITION_KEY]: KEY_PREFIX.registryImport,
      [SORT_KEY]: record.scope,
      [ENTITY_ATTRIBUTE]: "registry-import-scope",
      data: JSON.stringify(record),
    });
  }

  async #put(item: Item): Promise<void> {
    await this.#client.send(new PutCommand({ TableName: this.#tableName, Item: item }));
  }

  async #delete(pk: string, sk: string): Promise<void> {
    await this.#client.send(
      new DeleteCommand({ TableName: this.#tableName, Key: { [PARTITION_KEY]: pk, [SORT_KEY]: sk } }),
    );
  }
}
