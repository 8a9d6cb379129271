/**
 * The gateway route fuzzing runs against: dynalite, the real handlers and dependencies of the test gateway, two
 * issuers, a registry token, and resources of the first issuer (a credential, a job) for path parameters to hit.
 */
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { PARTITION_KEY, SORT_KEY } from "../../functions/adapters/aws/table.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, emulatorDocumentClient, registerIssuer, startTestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";
import { unsignedOb3Credential } from "../support/ob3.js";
import type { RouteWorld } from "./targets.js";

export interface RouteWorldHandle {
  world: RouteWorld;
  /** The keys of every item in the gateway's table. */
  storedKeys(): Promise<Set<string>>;
  /**
   * What fuzzing must not have destroyed, as a list of what is missing (empty when nothing is): every key stored
   * before is still stored, the credential issued before still verifies and its issuer still answers.
   */
  lost(before: Set<string>): Promise<string[]>;
  /** A document client on the world's table (tests use it to plant damage). */
  scanner: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startRouteWorld(): Promise<RouteWorldHandle> {
  const db = await startDynalite();
  const gw = await startTestGateway({
    dynamoEndpoint: db.endpoint,
    env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) },
  });
  const owner = await registerIssuer(gw, { name: "Fuzz University", country: "IE" });
  const other = await registerIssuer(gw, { name: "Fuzz College", country: "FR" });
  const registry = await gw.call("POST", "/v1/tokens", { token: ADMIN_TOKEN, json: { role: "registry" } });
  const issued = await gw.call("POST", "/v1/credentials/issue", {
    token: owner.token,
    json: { credential: unsignedOb3Credential(), options: { issuer: owner.id } },
  });
  const job = await gw.call("POST", "/v1/jobs", {
    token: owner.token,
    json: { from: "csv", document: jobCsv(2), options: { issuer: owner.id, format: "ob3" } },
  });
  const knownIds = [issued.json?.verifiableCredential?.id, job.json?.id, `${owner.slug}.revocation.1`].filter(
    (id): id is string => typeof id === "string",
  );
  const scanner = emulatorDocumentClient(db.endpoint);
  const storedKeys = async (): Promise<Set<string>> => {
    const keys = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await scanner.send(
        new ScanCommand({
          TableName: gw.deps.config.tableName,
          ProjectionExpression: "#pk, #sk",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#sk": SORT_KEY },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) keys.add(`${String(item[PARTITION_KEY])} ${String(item[SORT_KEY])}`);
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  };
  const credential = issued.json?.verifiableCredential;
  const lost = async (before: Set<string>): Promise<string[]> => {
    const now = await storedKeys();
    const missing = [...before].filter((k) => !now.has(k)).map((k) => `stored item ${k}`);
    const verified = await gw.call("POST", "/v1/credentials/verify", { json: { verifiableCredential: credential } });
    // A fuzzed revoke request with the owner's token may revoke it (an authorised change, not a loss): then the status
    // check is the only one in error.
    const inError = ((verified.json?.checks ?? []) as { check?: string; status?: string }[]).filter(
      (c) => c.status === "error",
    );
    const revokedOnly = inError.length > 0 && inError.every((c) => c.check === "status");
    if (verified.json?.verified !== true && !revokedOnly)
      missing.push(`the credential issued before no longer verifies: ${verified.text.slice(0, 300)}`);
    const issuer = await gw.call("GET", `/v1/issuers/${owner.slug}`, { token: owner.token });
    if (issuer.status !== 200) missing.push(`the issuer answers ${issuer.status}`);
    return missing;
  };
  return {
    storedKeys,
    lost,
    scanner,
    world: {
      deps: gw.deps,
      adminToken: ADMIN_TOKEN,
      owner,
      other,
      registryToken: registry.json?.token ?? "gw1.none.none",
      knownIds,
    },
    close: async () => {
      await gw.close();
      await db.stop();
    },
  };
}
