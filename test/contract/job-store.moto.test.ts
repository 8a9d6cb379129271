import { DynamoJobStore } from "../../functions/adapters/aws/job-store.js";
import { motoTables } from "../support/moto-tables.js";
import { jobStoreContract } from "./job-store.contract.js";

const moto = motoTables();

jobStoreContract(
  "DynamoJobStore on moto DynamoDB",
  async () => {
    const { client, tableName } = await moto.freshTable();
    return new DynamoJobStore({ client, tableName });
  },
  { raceSafe: false },
);
