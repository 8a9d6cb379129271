import { DynamoStatusListStore } from "../../functions/adapters/aws/status-store.js";
import { motoTables } from "../support/moto-tables.js";
import { statusStoreContract } from "./status-store.contract.js";

const moto = motoTables();

// Every test gets its own table.
statusStoreContract(
  "DynamoStatusListStore on moto DynamoDB",
  async (options = {}) => {
    const { client, tableName } = await moto.freshTable();
    return new DynamoStatusListStore({ client, tableName, ...options });
  },
  { raceSafe: false },
);
