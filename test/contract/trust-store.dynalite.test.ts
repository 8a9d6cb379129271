import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { DynamoTrustStore } from "../../functions/adapters/aws/trust-store.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorClientConfig } from "../support/moto.js";
import { trustStoreContract } from "./trust-store.contract.js";

let dynalite: RunningDynalite;
let client: DynamoDBClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = new DynamoDBClient(emulatorClientConfig(dynalite.endpoint));
});

afterAll(async () => {
  client?.destroy();
  await dynalite?.stop();
});

// Every test gets its own table, created the way local mode creates it.
trustStoreContract("DynamoTrustStore on dynalite", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoTrustStore({ client: DynamoDBDocumentClient.from(client), tableName });
});
