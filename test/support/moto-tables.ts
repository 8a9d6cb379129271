/**
 * moto's DynamoDB for one contract-test file: the server starts before the file's tests and stops after them, and
 * `freshTable()` gives each test a table of its own, created as the gateway creates it (`ensureTable`), with the
 * document client the DynamoDB stores take.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "./moto.js";

export interface MotoTables {
  /** A new, empty gateway table and a document client for it. */
  freshTable(): Promise<{ client: DynamoDBDocumentClient; tableName: string }>;
}

/** Registers the file's moto server (beforeAll/afterAll) and answers fresh tables on it. */
export function motoTables(): MotoTables {
  let moto: RunningMoto | undefined;
  let client: DynamoDBClient | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    client = new DynamoDBClient(emulatorClientConfig(moto.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });
  return {
    async freshTable() {
      if (!client) throw new Error("motoTables: the moto server is not running (use it inside tests)");
      const tableName = `gateway-${randomUUID()}`;
      await ensureTable(client, tableName);
      return { client: DynamoDBDocumentClient.from(client), tableName };
    },
  };
}
