import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalProcess, startLocalProcess } from "../support/local-process.js";

// The README's five-minute tour, replayed as a newcomer runs it: the gateway started as `npm start` does (its own
// process, embedded dynalite on disk), then the README's shell block run by bash with curl and jq in a scratch
// directory that sees the checkout's docs/. Nothing here restates the commands: they are read from the README.
const repo = resolve(".");
const work = mkdtempSync(join(tmpdir(), "gw-tour-"));
/** The environment of a second terminal, where the admin token was never exported. */
const withoutAdminToken = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([k]) => k !== "GATEWAY_ADMIN_TOKEN"));
let server: LocalProcess | undefined;
let started = 0;

function tourBlock(): string {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const block = /<!-- tour:start -->\s*```sh\n([\s\S]*?)```\s*<!-- tour:end -->/.exec(readme)?.[1];
  if (block === undefined)
    throw new Error("README.md has no tour block between <!-- tour:start --> and <!-- tour:end -->");
  return block;
}

beforeAll(async () => {
  for (const tool of ["bash", "curl", "jq"]) {
    if (spawnSync(tool, ["--version"]).error) throw new Error(`the README tour needs ${tool} on the PATH`);
  }
  mkdirSync(join(work, "data"));
  symlinkSync(join(repo, "docs"), join(work, "docs"));
  started = Date.now();
  // As `npm start` runs on a fresh clone: with its embedded defaults (wallet emulator, local bridge issuer).
  // No admin token set: the gateway makes one and keeps it in the data dir, where the tour reads it.
  server = await startLocalProcess({ GATEWAY_DATA_DIR: join(work, "data"), GATEWAY_LOCAL_DEFAULTS: "on" });
}, 90_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The JSON values jq printed, in order (pretty objects and one-line values alike). */
function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return values;
}

describe("the README's five-minute tour", () => {
  it("runs against a fresh local gateway and ends with a verified credential and a completed bulk job", () => {
    const stdout = execFileSync("bash", ["-euo", "pipefail", "-c", tourBlock()], {
      cwd: work,
      env: { ...withoutAdminToken(process.env), GATEWAY_URL: server?.url ?? "", GATEWAY_DATA_DIR: join(work, "data") },
      encoding: "utf8",
      timeout: 120_000,
    });
    const [converted, check, verified, job, ...rows] = jsonValues(stdout) as Record<string, unknown>[];

    // docs/examples/registrar-en.csv: seven learners; row 6 (the fifth learner) has no course title.
    expect(converted).toMatchObject({ credentials: 6, conformance: true });
    expect(converted?.rowErrors).toEqual([expect.objectContaining({ row: 6, path: "/rows/6/course_title" })]);
    expect(check).toHaveProperty("compliant");
    expect(verified).toMatchObject({ verified: true });
    expect((verified?.verdict as { status?: string } | undefined)?.status).not.toBe("invalid");
    // docs/examples/registrar-de.csv: every row issued.
    expect(job).toMatchObject({ status: "completed", failed: 0 });
    expect(rows.length).toBe(job?.total);
    expect(rows.every((r) => r.issued === true)).toBe(true);
    // The bar: a fresh start to a verified credential in under five minutes (start included).
    expect(Date.now() - started).toBeLessThan(5 * 60_000);
  });
});
