/**
 * The DynamoDB document client every table adapter shares. In a module of its own, not in the composition root,
 * because `@aws-sdk/lib-dynamodb` declares no `sideEffects: false`: imported there, it (and the whole DynamoDB
 * client) would be bundled into functions that never touch the table (per-function bundles).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Credentials for the embedded dynalite, which checks that requests are signed but not by whom. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * A document client that drops `undefined` attributes. `local`: the embedded dynalite (fixed credentials, the
 * `AWS_REGION` or us-east-1); otherwise the SDK's own credential and region chain. `endpoint` overrides the service's.
 */
export function documentClient(options: { endpoint?: string; local: boolean }): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.local ? { region: process.env.AWS_REGION ?? "us-east-1", credentials: LOCAL_CREDENTIALS } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
