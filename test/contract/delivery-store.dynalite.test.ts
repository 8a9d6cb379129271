import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoDeliveryStore } from "../../functions/adapters/aws/delivery-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorClientConfig } from "../support/moto.js";
import { deliveryStoreContract } from "./delivery-store.contract.js";

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

deliveryStoreContract("DynamoDeliveryStore on dynalite", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoDeliveryStore({ client: DynamoDBDocumentClient.from(client), tableName });
});
