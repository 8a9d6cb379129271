import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoDeliveryStore } from "../../functions/adapters/aws/delivery-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { deliveryStoreContract } from "./delivery-store.contract.js";

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

// moto's DynamoDB server does not serialise writes to one item (see the job-store contract): the race runs on dynalite.
deliveryStoreContract(
  "DynamoDeliveryStore on moto DynamoDB",
  async () => {
    const tableName = `gateway-${randomUUID()}`;
    await ensureTable(client, tableName);
    return new DynamoDeliveryStore({ client: DynamoDBDocumentClient.from(client), tableName });
  },
  { raceSafe: false },
);
