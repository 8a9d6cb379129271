/**
 * docs/deploy.md against what it documents: every CDK context key the infra code reads and every parameter of the
 * synthesized templates has a row in the guide (and no row names one that does not exist), the routes it names exist
 * in the route table, and the `--parameters` prefix it shows is the stack name the CDK CLI matches.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../functions/http/contract.js";
import { PROJECT_ROOT } from "../../infra/bundling.js";
import { type SynthesizedGateway, synthGateway } from "./gateway-fixture.js";

const guide = readFileSync(path.join(PROJECT_ROOT, "docs/deploy.md"), "utf8");

/** The first column of the Markdown table under `heading`, backticks removed. */
function tableKeys(heading: string): string[] {
  const start = guide.indexOf(heading);
  if (start < 0) throw new Error(`docs/deploy.md has no "${heading}"`);
  const rest = guide.slice(start + heading.length);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] as string);
}

/** Context keys read in infra/: through `contextString(app, "key")` or `tryGetContext("key")`. */
function contextKeysReadInInfra(): string[] {
  const dir = path.join(PROJECT_ROOT, "infra");
  const keys = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    const source = readFileSync(path.join(dir, file), "utf8");
    for (const m of source.matchAll(/(?:contextString\(\s*\w+\s*,|tryGetContext\()\s*"([^"]+)"/g))
      keys.add(m[1] as string);
  }
  return [...keys].sort();
}

let gw: SynthesizedGateway;

beforeAll(() => {
  gw = synthGateway();
}, 120_000);

afterAll(() => gw?.dispose());

describe("docs/deploy.md", () => {
  it("documents every CDK context key infra/ reads, and only those", () => {
    // Act
    const read = contextKeysReadInInfra();

    // Assess
    expect(read).toEqual(expect.arrayContaining(["appName", "publicUrl", "alarmEmail", "alarmTopicArn", "walletUrl"]));
    expect(tableKeys("### CDK context keys").sort()).toEqual(read);
  });

  it("documents every parameter of the synthesized templates, and only those", () => {
    // Act
    const parameters = [gw.templates.stateful, gw.templates.stateless]
      .flatMap((t) => Object.keys((t.toJSON().Parameters ?? {}) as Record<string, unknown>))
      // Added by the CDK synthesizer to check the bootstrap stack's version; never set by an operator.
      .filter((name) => name !== "BootstrapVersion");

    // Assess
    expect(parameters.length).toBeGreaterThan(0);
    expect(tableKeys("### CloudFormation parameters").sort()).toEqual(parameters.sort());
  });

  it("names only routes that exist, including the eSeal CSR download and certificate upload", () => {
    // Prepare
    const routes = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const csr = ROUTES.find((r) => r.operationId === "getIssuerCsr");
    const certificate = ROUTES.find((r) => r.operationId === "putIssuerCertificate");

    // Act
    const named = [...guide.matchAll(/`((?:GET|POST|PUT|DELETE|PATCH) \/[^`?\s]*)[^`]*`/g)].map((m) => m[1] as string);

    // Assess
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const route of named) expect(routes, route).toContain(route);
    expect(named).toContain(`${csr?.method} ${csr?.path}`);
    expect(named).toContain(`${certificate?.method} ${certificate?.path}`);
  });

  it("prefixes --parameters with the stateless stack's name, which the CDK CLI matches (not its construct id)", () => {
    // Act
    const prefixes = [...guide.matchAll(/--parameters ([\w-]+):AdminTokenSha256=/g)].map((m) => m[1]);

    // Assess
    expect(prefixes.length).toBeGreaterThan(0);
    for (const prefix of prefixes) expect(prefix).toBe(gw.stateless.stackName);
  });
});
