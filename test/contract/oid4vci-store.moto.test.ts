import { DynamoOid4vciStore } from "../../functions/adapters/aws/oid4vci-store.js";
import { motoTables } from "../support/moto-tables.js";
import { oid4vciStoreContract } from "./oid4vci-store.contract.js";

const moto = motoTables();

oid4vciStoreContract(
  "DynamoOid4vciStore on moto DynamoDB",
  async () => {
    const { client, tableName } = await moto.freshTable();
    return new DynamoOid4vciStore({ client, tableName });
  },
  { raceSafe: false },
);
