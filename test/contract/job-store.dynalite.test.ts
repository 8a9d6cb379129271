import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoJobStore } from "../../functions/adapters/aws/job-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorClientConfig } from "../support/moto.js";
import { jobStoreContract } from "./job-store.contract.js";

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

jobStoreContract("DynamoJobStore on dynalite", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoJobStore({ client: DynamoDBDocumentClient.from(client), tableName });
});
