import { DynamoDeliveryStore } from "../../functions/adapters/aws/delivery-store.js";
import { motoTables } from "../support/moto-tables.js";
import { deliveryStoreContract } from "./delivery-store.contract.js";

const moto = motoTables();

// moto's DynamoDB server does not serialise writes to one item (see the job-store contract): the race runs on dynalite.
deliveryStoreContract(
  "DynamoDeliveryStore on moto DynamoDB",
  async () => {
    const { client, tableName } = await moto.freshTable();
    return new DynamoDeliveryStore({ client, tableName });
  },
  { raceSafe: false },
);
