import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoStatusListStore } from "../../functions/adapters/aws/status-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { statusStoreContract } from "./status-store.contract.js";

let moto: RunningMoto;
let client: DynamoDBClient;

beforeAll(async () => {
  moto = await startMoto();
  client = new DynamoDBClient(emulatorClientConfig(moto.endpoint));
});

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

// Every test gets its own table.
statusStoreContract(
  "DynamoStatusListStore on moto DynamoDB",
  async (options = {}) => {
    const tableName = `gateway-${randomUUID()}`;
    await ensureTable(client, tableName);
    return new DynamoStatusListStore({ client: DynamoDBDocumentClient.from(client), tableName, ...options });
  },
  { raceSafe: false },
);
