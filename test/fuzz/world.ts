/**
 * The gateway route fuzzing runs against: dynalite, the real handlers and dependencies of the test gateway, two
 * issuers, a registry token, and resources of the first issuer (a credential, a job) for path parameters to hit.
 */
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";
import { unsignedOb3Credential } from "../support/ob3.js";
import type { RouteWorld } from "./targets.js";

export async function startRouteWorld(): Promise<{ world: RouteWorld; close(): Promise<void> }> {
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
  return {
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
