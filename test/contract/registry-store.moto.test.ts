import { DynamoRegistryStore } from "../../functions/adapters/aws/registry-store.js";
import { motoTables } from "../support/moto-tables.js";
import { registryStoreContract } from "./registry-store.contract.js";

const moto = motoTables();

// Every test gets its own table.
registryStoreContract("DynamoRegistryStore on moto DynamoDB", async () => {
  const { client, tableName } = await moto.freshTable();
  return new DynamoRegistryStore({ client, tableName });
});
