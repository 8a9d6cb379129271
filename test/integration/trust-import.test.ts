import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTrustImport, TRUST_IMPORT_EXIT } from "../../scripts/trust-import.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/gateway.js";
import { makeSealChain, trustedListXml } from "../support/trusted-lists.js";

// `npm run trust:import -- FILE...` against a running gateway: trusted-list files land in the trust registry.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let dir: string;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) } });
  dir = mkdtempSync(join(tmpdir(), "trust-import-"));
});

afterAll(async () => {
  await gw?.close();
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Captured output of one run. */
function ioFactory() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), env: {} } };
}

describe("trust:import", () => {
  it("imports the LOTL and a national list from files, each under its own territory", async () => {
    // Prepare
    const { issuing } = await makeSealChain();
    const lotl = join(dir, "eu-lotl.xml");
    const lu = join(dir, "tsl-lu.xml");
    writeFileSync(
      lotl,
      trustedListXml({ territory: "EU", pointers: [{ territory: "LU", location: "https://lu.example/tsl.xml" }] }),
    );
    writeFileSync(lu, trustedListXml({ territory: "LU", services: [{ certificate: issuing.certificate }] }));
    const { out, io } = ioFactory();
    // Act
    const code = await runTrustImport(["--url", gw.url, "--token", ADMIN_TOKEN, lotl, lu], io);
    // Assess
    expect(code, out.stderr).toBe(TRUST_IMPORT_EXIT.ok);
    expect(out.stdout).toContain(`${lu}: LU (tsl) imported, 1 trust anchors`);
    const registry = await gw.call("GET", "/v1/admin/trust", { token: ADMIN_TOKEN });
    expect(registry.json.lists.map((l: { source: string }) => l.source).sort()).toEqual(["eu-tl:EU", "eu-tl:LU"]);
  });

  it("reports a file that is not a trusted list and one the gateway refuses, and exits 3", async () => {
    // Prepare
    const notList = join(dir, "other.xml");
    const lu = join(dir, "tsl-lu-2.xml");
    writeFileSync(notList, "<Other xmlns='urn:x'/>");
    writeFileSync(lu, trustedListXml({ territory: "LU" }));
    const { out, io } = ioFactory();
    // Act: no token, so the gateway refuses the list.
    const code = await runTrustImport(["--url", gw.url, notList, lu], io);
    // Assess
    expect(code).toBe(TRUST_IMPORT_EXIT.refused);
    expect(out.stderr).toContain(`${notList}: the root element is Other`);
    expect(out.stderr).toContain(`${lu}: 401`);
  });

  it("answers a usage error without files", async () => {
    // Act
    const { io } = ioFactory();
    // Assess
    expect(await runTrustImport([], io)).toBe(TRUST_IMPORT_EXIT.usage);
  });
});
