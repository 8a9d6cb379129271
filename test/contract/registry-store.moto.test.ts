import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoRegistryStore } from "../../functions/adapters/aws/registry-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { registryStoreContract } from "./registry-store.contract.js";

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
registryStoreContract("DynamoRegistryStore on moto DynamoDB", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoRegistryStore({ client: DynamoDBDocumentClient.from(client), tableName });
});
