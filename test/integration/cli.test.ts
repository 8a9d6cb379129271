import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../functions/local/worker.js";
import { configPath, EXIT, HELP, runCli } from "../../scripts/gateway-cli.js";
import { startDynalite } from "../support/dynalite.js";
import { ADMIN_TOKEN, registerIssuer, startTestGateway, type TestGateway } from "../support/gateway.js";
import { jobCsv } from "../support/jobs.js";

// The CLI against a test gateway with the local worker: submit, progress, results file, status, errors.
let db: { endpoint: string; stop(): Promise<void> };
let gw: TestGateway;
let worker: LocalWorker;
let issuer: { id: string; slug: string; token: string };
let testIssuer: { id: string; slug: string; token: string };
let dir: string;

beforeAll(async () => {
  db = await startDynalite();
  gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: { GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) } });
  worker = startLocalWorker(gw.deps, { intervalMs: 20 });
  const res = await gw.call("POST", "/v1/issuers", { token: ADMIN_TOKEN, json: { name: "Uni Zed", country: "IE" } });
  issuer = res.json;
  testIssuer = await registerIssuer(gw, { name: "Hochschule Neckartal", country: "DE", testIssuer: true });
  dir = mkdtempSync(join(tmpdir(), "gateway-cli-"));
});

afterAll(async () => {
  await worker?.stop();
  await gw?.close();
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Captured output; `env` replaces the process environment (an empty one by default, with no config file). */
function capture(env: Record<string, string> = { XDG_CONFIG_HOME: join(tmpdir(), "gateway-cli-no-config") }) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env, sleep: () => delay(20) },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("cli jobs submit", () => {
  it("submits a CSV, prints progress until the job ends, and writes the results next to the file", async () => {
    const file = join(dir, "cohort.csv");
    writeFileSync(file, jobCsv(30, { badEcts: [4] }));
    const c = capture();

    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", issuer.token, "--issuer", issuer.id, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
        "--interval",
        "20",
      ]),
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.rowsFailed);
    expect(c.out()).toMatch(/^\d+\/30 rows, \d+ failed, [\d.]+\/s \[(queued|running|completed-with-errors)\]$/m);
    expect(c.out()).toMatch(
      /completed-with-errors: 29 issued, 1 failed of 30 .* 30 results in .*cohort\.csv\.results\.jsonl/,
    );
    const lines = readFileSync(`${file}.results.jsonl`, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(30);
    expect(lines[2]).toMatchObject({ row: 4, error: { path: "/rows/4/ects" } });
    expect(lines[0].verifiableCredential.proof[0].cryptosuite).toBe("eddsa-rdfc-2022");
    // The failed row, beside the results, with its own cells and its error, and printed.
    const failed: Record<string, string>[] = parseCsv(readFileSync(join(dir, "cohort.csv.failed.csv"), "utf8"), {
      columns: true,
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ row: "4", ects: "five", given_name: "Learner2" });
    expect(failed[0]?.error).toMatch(/^\/rows\/4\/ects: .*five/);
    expect(c.out()).toMatch(/failed rows \(all 1 in .*cohort\.csv\.failed\.csv\):\n {2}row 4: \/rows\/4\/ects: /);
    const id = /job (\S+) submitted/.exec(c.err())?.[1];

    const s = capture();
    const statusCode = await runCli(
      ["jobs", "status", id ?? "", "--url", gw.url, "--token", issuer.token, "--json"],
      s.io,
    );
    // Completed with errors: the same exit code as the submit that saw the rows fail.
    expect(statusCode).toBe(EXIT.rowsFailed);
    expect(JSON.parse(s.out())).toMatchObject({ id, status: "completed-with-errors", total: 30, done: 29, failed: 1 });
  });

  it("exits 0 for a job without errors", async () => {
    const file = join(dir, "clean.csv");
    writeFileSync(file, jobCsv(3));
    const c = capture();

    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", issuer.token, "--issuer", issuer.slug, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
        "--out",
        join(dir, "out.jsonl"),
      ]),
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.ok);
    expect(readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
    expect(c.out()).not.toContain("failed rows");
  });

  it("sends a file over the body limit through a pre-signed upload, then starts the job", async () => {
    // Prepare: a file whose request would exceed a 2,000-byte body limit.
    const file = join(dir, "large.csv");
    writeFileSync(file, jobCsv(20));
    const c = capture();

    // Act
    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", issuer.token, "--issuer", issuer.id, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
        "--proof",
        "vc-jwt",
        "--max-body",
        "2000",
        "--interval",
        "20",
      ]),
      c.io,
    );

    // Assess
    expect(code, c.err()).toBe(EXIT.ok);
    expect(c.err()).toMatch(/job \S+ created; uploading \d+ bytes/);
    expect(c.out()).toMatch(/completed: 20 issued, 0 failed of 20/);
    expect(readFileSync(`${file}.results.jsonl`, "utf8").trim().split("\n")).toHaveLength(20);
  });

  it("prints the gateway's problem detail and exits 4 (refused) when the request is refused", async () => {
    const file = join(dir, "refused.csv");
    writeFileSync(file, jobCsv(1));
    const c = capture();

    const code = await runCli(
      ["jobs", "submit", "--url", gw.url, "--token", "gw1.nope.nope", "--issuer", issuer.id, "--format", "ob3"].concat([
        "--from",
        "csv",
        file,
      ]),
      c.io,
    );
    const unknown = capture();
    const statusCode = await runCli(
      ["jobs", "status", "no-such-job", "--url", gw.url, "--token", issuer.token],
      unknown.io,
    );

    expect(code).toBe(EXIT.refused);
    expect(c.err()).toContain("POST /v1/jobs failed: 401 the bearer token is not valid");
    expect(statusCode).toBe(EXIT.refused);
    expect(unknown.err()).toContain("403");
  });

  it("exits 2 with the usage for bad command lines and missing files", async () => {
    const cases = [
      ["jobs", "submit", "--from", "csv", join(dir, "missing.csv"), "--issuer", "x", "--format", "ob3"],
      ["jobs", "submit", "--from", "csv"],
      ["jobs", "frobnicate"],
      ["jobs", "status", "--bogus"],
    ];
    for (const argv of cases) {
      const c = capture();
      expect(await runCli(argv, c.io), argv.join(" ")).toBe(EXIT.usage);
      expect(c.err()).toMatch(/^error: /);
    }
  });

  it("says when the gateway cannot be reached", async () => {
    const c = capture();

    const code = await runCli(["jobs", "status", "x", "--url", "http://127.0.0.1:9", "--token", "t"], c.io);

    expect(code).toBe(EXIT.unreachable);
    expect(c.err()).toContain("cannot reach the gateway at http://127.0.0.1:9");
  });

  it("--json prints one JSON document and no progress lines", async () => {
    const file = join(dir, "json.csv");
    writeFileSync(file, jobCsv(3, { badEcts: [2] }));
    const c = capture({ GATEWAY_TOKEN: issuer.token, GATEWAY_URL: gw.url });

    const code = await runCli(
      ["jobs", "submit", "--from", "csv", file, "--issuer", issuer.id, "--format", "ob3", "--json", "--interval", "20"],
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.rowsFailed);
    const summary = JSON.parse(c.out());
    expect(summary).toMatchObject({ status: "completed-with-errors", total: 3, done: 2, failed: 1 });
    expect(summary.failedRows).toBe(`${file}.failed.csv`);
    expect(summary.failures).toEqual([{ row: 2, error: expect.objectContaining({ path: "/rows/2/ects" }) }]);
  });
});

describe("cli jobs submit, a registrar's own German export", () => {
  it("reads `;`, DD.MM.YYYY dates and German country names; the failed rows come back in the file's own layout", async () => {
    // As a German spreadsheet program saves it: `;` between cells, a decimal comma, dotted dates, country names.
    const file = join(dir, "kurs.csv");
    writeFileSync(
      file,
      [
        "Vorname;Nachname;E-Mail;Kurstitel;ECTS-Punkte;EQR-Niveau;Abschlussdatum;Hochschule;Land;Prüfungsform;Gesamtnote",
        "Anna;Müller;anna@example.org;Datenanalyse;7,5;6;15.03.2026;Hochschule Neckartal;Deutschland;Klausur;1,7",
        "Claire;Bernard;claire@example.org;;5;6;15.03.2026;Hochschule Neckartal;Österreich;Klausur;2,0",
        "",
      ].join("\r\n"),
    );
    const c = capture({ GATEWAY_TOKEN: testIssuer.token, GATEWAY_URL: gw.url });

    const code = await runCli(
      ["jobs", "submit", "--from", "csv", file, "--issuer", testIssuer.id, "--format", "elm", "--interval", "20"],
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.rowsFailed);
    const [issued] = readFileSync(`${file}.results.jsonl`, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(issued.row).toBe(2);
    expect(JSON.stringify(issued)).not.toContain('"error"');
    const failed = readFileSync(`${file}.failed.csv`, "utf8").split("\r\n");
    expect(failed[0]).toBe(
      "row;error;Vorname;Nachname;E-Mail;Kurstitel;ECTS-Punkte;EQR-Niveau;Abschlussdatum;Hochschule;Land;Prüfungsform;Gesamtnote",
    );
    expect(failed[1]).toMatch(/^3;.*Kurstitel.*;Claire;Bernard;claire@example\.org;;5;6;15\.03\.2026;/);
  });
});

describe("cli jobs submit --dry-run", () => {
  it("prints the column mapping and a table of the rows and their problems, and issues nothing", async () => {
    // The German sample: its row 5 has no awarding body, which ELM requires.
    const before = (await gw.call("GET", "/v1/jobs", { token: testIssuer.token })).json.items.length;
    const file = join(dir, "registrar-de.csv");
    writeFileSync(file, readFileSync("docs/examples/registrar-de.csv"));
    const c = capture({ GATEWAY_TOKEN: testIssuer.token, GATEWAY_URL: gw.url });

    const code = await runCli(
      ["jobs", "submit", "--from", "csv", file, "--issuer", testIssuer.id, "--format", "elm", "--dry-run"],
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.rowsFailed);
    const out = c.out();
    expect(out).toContain("profile default: which column went where");
    expect(out).toMatch(/^Kurs +title$/m);
    expect(out).toMatch(/^Einrichtung +awardingBody\.name$/m);
    expect(out).toMatch(/^row +title +learner +awarding body +date +ects +problems$/m);
    expect(out).toMatch(/^2 +Grundlagen des maschinellen… +Lena Schneider +Hochschule Neckartal +2025-07-11 +5 +ok/m);
    expect(out).toMatch(/^5 .*\/rows\/5\/Einrichtung: no awarding body/m);
    expect(out).toContain("dry run, elm: 4 of 5 rows would be issued, 1 would fail; nothing was issued");
    expect((await gw.call("GET", "/v1/jobs", { token: testIssuer.token })).json.items).toHaveLength(before);
    expect(() => statSync(`${file}.results.jsonl`)).toThrow();
  });

  it("exits 0 when every row would be issued, and --json gives the gateway's preview", async () => {
    const file = join(dir, "preview-ok.csv");
    writeFileSync(file, jobCsv(2));
    const c = capture({ GATEWAY_TOKEN: issuer.token, GATEWAY_URL: gw.url });

    const code = await runCli(
      ["jobs", "submit", "--from", "csv", file, "--issuer", issuer.id, "--format", "ob3", "--dry-run", "--json"],
      c.io,
    );

    expect(code, c.err()).toBe(EXIT.ok);
    expect(JSON.parse(c.out())).toMatchObject({ dryRun: true, total: 2, issuable: 2, failed: 0 });
  });
});

describe("cli token", () => {
  const configHome = () => join(dir, "config-home");

  it("is asked for when none is configured", async () => {
    const c = capture({ GATEWAY_URL: gw.url, XDG_CONFIG_HOME: join(dir, "no-config-at-all") });
    expect(await runCli(["jobs", "status", "x"], c.io)).toBe(EXIT.refused);
    expect(c.err()).toContain("401");
    expect(c.err()).toContain("no token was sent: set GATEWAY_TOKEN, or store one with `npm run cli -- login`");
  });

  it("comes from $GATEWAY_TOKEN", async () => {
    const c = capture({ GATEWAY_TOKEN: issuer.token, GATEWAY_URL: gw.url, XDG_CONFIG_HOME: configHome() });
    expect(await runCli(["jobs", "status", "no-such-job"], c.io)).toBe(EXIT.refused);
    // 403 (not 401): the token was sent and accepted, the job is not the issuer's.
    expect(c.err()).toContain("403");
  });

  it("comes from the config file that `login` writes from standard input, with mode 0600", async () => {
    const env = { XDG_CONFIG_HOME: configHome() };
    const login = capture(env);
    const code = await runCli(["login", "--url", gw.url], { ...login.io, stdin: async () => `${issuer.token}\n` });
    expect(code, login.err()).toBe(EXIT.ok);
    const file = configPath(env);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: gw.url, token: issuer.token });
    expect(login.out()).not.toContain(issuer.token);

    const c = capture(env);
    expect(await runCli(["jobs", "status", "no-such-job"], c.io)).toBe(EXIT.refused);
    expect(c.err()).toContain("403");
  });

  it("refuses a config file other users may read", async () => {
    const home = join(dir, "open-config");
    const file = configPath({ XDG_CONFIG_HOME: home });
    mkdirSync(join(home, "edc-gateway"), { recursive: true });
    writeFileSync(file, JSON.stringify({ url: gw.url, token: issuer.token }));
    chmodSync(file, 0o644);
    const c = capture({ XDG_CONFIG_HOME: home });

    expect(await runCli(["jobs", "status", "x"], c.io)).toBe(EXIT.usage);
    expect(c.err()).toContain(`run: chmod 600 ${file}`);
    expect(c.err()).not.toContain(issuer.token);
  });
});

describe("cli help", () => {
  it("lists every command with an example, the token's sources and the exit codes, and never shows --token", async () => {
    const c = capture();
    expect(await runCli(["help"], c.io)).toBe(EXIT.ok);
    for (const command of ["jobs submit", "jobs status", "login", "help"]) {
      expect(c.out(), command).toMatch(new RegExp(`^ {2}${command}\\b[^]*?\\n {6}npm run cli -- ${command}\\b`, "m"));
    }
    expect(c.out()).toContain("$GATEWAY_TOKEN");
    expect(c.out()).toContain("~/.config/edc-gateway/config.json");
    expect(c.out()).toMatch(/^ {2}3 {2}the gateway could not be reached$/m);
    expect(c.out()).not.toContain("--token");
    expect(HELP).toBe(c.out());
  });
});

/** Runs `npm run cli -- ...args` as a user would; resolves to its exit code and everything it printed. */
function npmCli(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "cli", "--", ...args],
      { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe("cli as documented, through npm", () => {
  it("never prints the token: not in npm's echo of the command, not in the CLI's output", async () => {
    const file = join(dir, "npm.csv");
    writeFileSync(file, jobCsv(2, { badEcts: [3] }));
    const fromEnv = await npmCli(["jobs", "submit", "--from", "csv", file, "--issuer", issuer.id, "--format", "ob3"], {
      GATEWAY_TOKEN: issuer.token,
      GATEWAY_URL: gw.url,
      XDG_CONFIG_HOME: join(dir, "npm-no-config"),
    });
    const home = join(dir, "npm-config");
    const login = capture({ XDG_CONFIG_HOME: home });
    await runCli(["login", "--url", gw.url], { ...login.io, stdin: async () => issuer.token });
    const fromFile = await npmCli(["jobs", "status", "no-such-job"], { XDG_CONFIG_HOME: home });

    // npm echoes the command line (so the check below is about what a user's terminal shows).
    expect(fromEnv.output).toContain("> tsx scripts/gateway-cli.ts jobs submit --from csv");
    expect(fromEnv.code, fromEnv.output).toBe(EXIT.rowsFailed);
    expect(fromEnv.output).toContain("1 issued, 1 failed of 2");
    expect(fromFile.code, fromFile.output).toBe(EXIT.refused);
    expect(fromFile.output).toContain("403");
    for (const run of [fromEnv, fromFile]) {
      expect(run.output).not.toContain(issuer.token);
      // Nor a recognisable part of it (the token's secret half).
      expect(run.output).not.toContain(issuer.token.slice(-16));
    }
  }, 120_000);
});

describe("cli exit codes in the docs", () => {
  it("docs/bulk-jobs.md lists the same exit codes as the help, each once, and the help every code the CLI uses", () => {
    const helpCodes = [...(HELP.split("Exit codes:")[1] ?? "").matchAll(/^ {2}(\d) {2}\S/gm)].map((m) => Number(m[1]));
    const docs = readFileSync("docs/bulk-jobs.md", "utf8");
    const sentence = /Exit codes: ([^.]*)\./.exec(docs)?.[1] ?? "";
    const docCodes = [...sentence.matchAll(/(?:^|, )(\d) /g)].map((m) => Number(m[1]));

    expect(helpCodes).toEqual(Object.values(EXIT).sort());
    expect(docCodes).toEqual(helpCodes);
    expect(sentence).toMatch(/4 it refused the request/);
  });
});
