import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoOid4vciStore } from "../../functions/adapters/aws/oid4vci-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorClientConfig } from "../support/moto.js";
import { oid4vciStoreContract } from "./oid4vci-store.contract.js";

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

oid4vciStoreContract("DynamoOid4vciStore on dynalite", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoOid4vciStore({ client: DynamoDBDocumentClient.from(client), tableName });
});
