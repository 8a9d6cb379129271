import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoCredentialStore } from "../../functions/adapters/aws/dynamo-store.js";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { type RunningDynalite, startDynalite } from "../support/dynalite.js";
import { emulatorClientConfig } from "../support/moto.js";
import { anIssuer, credentialStoreContract } from "./credential-store.contract.js";

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
credentialStoreContract("DynamoCredentialStore on dynalite", async () => {
  const tableName = `gateway-${randomUUID()}`;
  await ensureTable(client, tableName);
  return new DynamoCredentialStore({ client: DynamoDBDocumentClient.from(client), tableName });
});

describe("ensureTable on dynalite", () => {
  it("waits out dynalite's CREATING state and can be called again, also concurrently", async () => {
    // Prepare
    const tableName = `gateway-${randomUUID()}`;
    // Act
    await Promise.all([ensureTable(client, tableName), ensureTable(client, tableName)]);
    await ensureTable(client, tableName);
    // Assess
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(["gsi1"]);
  });
});

describe("dynalite persisted on disk (local mode)", () => {
  it("keeps what was stored across a restart", async () => {
    // Prepare
    const path = await mkdtemp(join(tmpdir(), "dynalite-"));
    const tableName = "gateway";
    const issuer = anIssuer();
    const first = await startDynalite({ path });
    const firstClient = new DynamoDBClient(emulatorClientConfig(first.endpoint));
    await ensureTable(firstClient, tableName);
    await new DynamoCredentialStore({ client: DynamoDBDocumentClient.from(firstClient), tableName }).putIssuer(issuer);
    firstClient.destroy();
    await first.stop();
    // Act
    const second = await startDynalite({ path });
    const secondClient = new DynamoDBClient(emulatorClientConfig(second.endpoint));
    try {
      await ensureTable(secondClient, tableName);
      const store = new DynamoCredentialStore({ client: DynamoDBDocumentClient.from(secondClient), tableName });
      const read = await store.getIssuer(issuer.slug);
      // Assess
      expect(read).toStrictEqual(issuer);
    } finally {
      secondClient.destroy();
      await second.stop();
      await rm(path, { recursive: true, force: true });
    }
  });
});
