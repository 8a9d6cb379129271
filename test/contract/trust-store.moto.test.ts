import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { DynamoTrustStore } from "../../functions/adapters/aws/trust-store.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { trustStoreContract } from "./trust-store.contract.js";

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
trustStoreContract("DynamoTrustStore on moto DynamoDB", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoTrustStore({ client: DynamoDBDocumentClient.from(client), tableName });
});
