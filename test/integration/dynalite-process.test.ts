/**
 * dynalite in a child process (`npm start`'s default, `functions/local/dynalite-process.ts`): it speaks DynamoDB, and
 * a second start on the same data dir waits for the first child to let go of LevelDB's lock instead of sharing it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { ensureTable } from "../../functions/adapters/aws/table.js";
import { type DynaliteProcess, startDynaliteProcess } from "../../functions/local/dynalite-process.js";
import { emulatorClientConfig } from "../support/moto.js";

const started: DynaliteProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const db of started.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const aDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "dynalite-process-"));
  dirs.push(dir);
  return dir;
};

async function tablesOf(endpoint: string): Promise<string[]> {
  const client = new DynamoDBClient(emulatorClientConfig(endpoint));
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

describe("dynalite in a child process", () => {
  it("keeps a table on disk across a restart, the second start waiting for the first child's lock", async () => {
    // Prepare: a child with a table, still running when the second start begins
    const dir = aDataDir();
    const first = await startDynaliteProcess(dir);
    const client = new DynamoDBClient(emulatorClientConfig(first.endpoint));
    await ensureTable(client, "kept-table");
    client.destroy();
    // Act: start a second child on the same dir; the first closes a moment later
    const closing = new Promise<number>((resolve) =>
      setTimeout(() => first.close().then(() => resolve(Date.now())), 1000),
    );
    const second = await startDynaliteProcess(dir);
    started.push(second);
    const secondUpAt = Date.now();
    // Assess: the second came up only once the first was gone, and sees the table
    expect(secondUpAt).toBeGreaterThanOrEqual(await closing);
    expect(await tablesOf(second.endpoint)).toEqual(["kept-table"]);
  });
});
