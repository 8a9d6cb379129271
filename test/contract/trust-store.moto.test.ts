import { DynamoTrustStore } from "../../functions/adapters/aws/trust-store.js";
import { motoTables } from "../support/moto-tables.js";
import { trustStoreContract } from "./trust-store.contract.js";

const moto = motoTables();

// Every test gets its own table.
trustStoreContract("DynamoTrustStore on moto DynamoDB", async () => {
  const { client, tableName } = await moto.freshTable();
  return new DynamoTrustStore({ client, tableName });
});
