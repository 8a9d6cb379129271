import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoOid4vciStore } from "../../functions/adapters/aws/oid4vci-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { oid4vciStoreContract } from "./oid4vci-store.contract.js";

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

oid4vciStoreContract(
  "DynamoOid4vciStore on moto DynamoDB",
  async () => {
    const tableName = `gateway-${randomUUID()}`;
    await ensureTable(client, tableName);
    return new DynamoOid4vciStore({ client: DynamoDBDocumentClient.from(client), tableName });
  },
  { raceSafe: false },
);
