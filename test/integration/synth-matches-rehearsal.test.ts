import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { synthesize } from "../support/rehearsal/rehearsal.js";

// `npm run synth` (the CDK CLI on infra/app.ts, as an operator deploys) and the rehearsal's in-process synthesis must
// give the same templates: otherwise `npm run rehearse` rehearses something other than what is deployed.
const run = promisify(execFile);
const REGION = "eu-west-1";
const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("npm run synth and the rehearsal", () => {
  it("synthesize the same stacks with the same templates", async () => {
    const cliOut = tempDir("synth-cli-");
    // The CLI pins the stacks to the region it finds and adds each resource's construct path as metadata; the
    // rehearsal's synthesis is given the same two (and nothing else), so any other difference fails here.
    await run("npm", ["run", "synth", "--", "--output", cliOut], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION },
    });
    const before = process.env.CDK_DEFAULT_REGION;
    process.env.CDK_DEFAULT_REGION = REGION;
    let rehearsed: ReturnType<typeof synthesize>;
    try {
      rehearsed = synthesize(tempDir("synth-rehearsal-"), { "aws:cdk:enable-path-metadata": "true" });
    } finally {
      if (before === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = before;
    }

    expect(rehearsed.map((s) => s.stackName).sort()).toEqual(["edc-gateway-stateful", "edc-gateway-stateless"]);
    // The cloud assembly's manifest names each stack's template file (by construct id, not stack name).
    const manifest = JSON.parse(readFileSync(join(cliOut, "manifest.json"), "utf8")) as {
      artifacts: Record<string, { type: string; properties?: { stackName?: string; templateFile?: string } }>;
    };
    const templateFiles = new Map(
      Object.values(manifest.artifacts)
        .filter((a) => a.type === "aws:cloudformation:stack")
        .map((a) => [a.properties?.stackName, a.properties?.templateFile]),
    );
    expect([...templateFiles.keys()].sort()).toEqual(rehearsed.map((s) => s.stackName).sort());
    for (const { stackName, template } of rehearsed) {
      const cli = JSON.parse(readFileSync(join(cliOut, String(templateFiles.get(stackName))), "utf8"));
      expect(template, stackName).toEqual(cli);
    }
  }, 600_000);
});
