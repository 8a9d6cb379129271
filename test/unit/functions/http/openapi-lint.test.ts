import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../../../functions/http/openapi.js";

// The generated document linted by Redocly CLI (its recommended rules, which include OpenAPI 3.1 structural
// validation and `no-invalid-media-type-examples`: every example against its schema), with the project's
// redocly.yaml. Runs offline: telemetry and the update check are off.
const run = promisify(execFile);
const cli = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "gw-redocly-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

async function lint(document: unknown): Promise<LintReport> {
  const file = join(dir, `openapi-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document, null, 2));
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
  // Exits 1 when there are errors; the report is on stdout either way.
  const out = await run(
    process.execPath,
    [cli, "lint", file, "--format=json", `--config=${join(process.cwd(), "redocly.yaml")}`],
    {
      env,
      maxBuffer: 32 * 1024 * 1024,
    },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return JSON.parse(out.stdout) as LintReport;
}

describe("redocly lint of /openapi.json", () => {
  it("finds no error and no warning but the local server URL", async () => {
    const report = await lint(openApiDocument("http://localhost:3000", "0.1.0"));

    expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([
      "no-server-example.com #/servers/0/url: Server `url` should not point to example.com or localhost.",
    ]);
  }, 60_000);

  it("fails an example that does not match its schema (the linter does check them)", async () => {
    const document = openApiDocument("https://gateway.example.eu", "0.1.0") as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>>;
    };
    const content = document.paths["/v1/convert"]?.post?.requestBody?.content["application/json"];
    if (!content) throw new Error("no /v1/convert request body");
    content.example = { to: "not-a-format", document: 42 };
    delete (content as { examples?: unknown }).examples;

    const report = await lint(document);

    expect(report.problems.map((p) => p.ruleId)).toContain("no-invalid-media-type-examples");
  }, 60_000);
});
