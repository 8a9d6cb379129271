import { randomUUID } from "node:crypto";
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoCredentialStore } from "../../functions/adapters/aws/dynamo-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { emulatorClientConfig, type RunningMoto, startMoto } from "../support/moto.js";
import { credentialStoreContract } from "./credential-store.contract.js";

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
credentialStoreContract("DynamoCredentialStore on moto DynamoDB", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoCredentialStore({ client: DynamoDBDocumentClient.from(client), tableName });
});

describe("ensureTable on moto DynamoDB", () => {
  it("creates the on-demand table with its index and turns TTL on for expiresAt, once", async () => {
    // Prepare
    const tableName = `gateway-${randomUUID()}`;
    // Act
    await ensureTable(client, tableName);
    await ensureTable(client, tableName);
    // Assess
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: "gsi1",
      KeySchema: [
        { AttributeName: "gsi1pk", KeyType: "HASH" },
        { AttributeName: "gsi1sk", KeyType: "RANGE" },
      ],
    });
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: "ENABLED", AttributeName: "expiresAt" });
  });
});
