import { existsSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { ERROR_TABLE } from "../../functions/http/error-table.js";
import type { ErrorCode } from "../../functions/kernel/errors.js";
import { DEFAULT_ZIP_LIMITS } from "../../mappings/spreadsheet/zip.js";
import { startDynalite } from "../support/dynalite.js";
import { type CallResult, startTestGateway, type TestGateway } from "../support/gateway.js";
import { zipBomb } from "./manifest.js";

// SECURITY.md's work-budget table is what an operator reads to size a deployment. It is checked against the
// configuration both ways: every variable in the table is read by `readConfig` with the default the row states, and
// every variable the configuration reads is either a row of the table or named below as not being a limit.

const SECURITY = readFileSync(new URL("../../SECURITY.md", import.meta.url), "utf8");
const CONFIG_SOURCES = ["functions/config.ts", "functions/wallet-config.ts", "functions/registry-config.ts"];

/**
 * Variables the configuration reads that are not limits on what a caller can make the gateway do, with why. A new
 * variable must be added to the table or here; a `GATEWAY_MAX_*` / `GATEWAY_MIN_*` one can only go in the table.
 */
const NOT_LIMITS: Record<string, string> = {
  GATEWAY_MODE: "selects local or AWS wiring",
  PORT: "the local listening port",
  GATEWAY_PUBLIC_URL: "the gateway's own base URL (DIDs, links)",
  GATEWAY_OB3_ELM_CONTEXT_URL: "the URL credentials name the extension context by",
  GATEWAY_ADMIN_TOKEN: "a credential",
  GATEWAY_ADMIN_TOKEN_SHA256: "a credential (its hash)",
  GATEWAY_DATA_DIR: "where local mode keeps its files",
  GATEWAY_APP_NAME: "resource naming",
  GATEWAY_TABLE_NAME: "resource naming",
  GATEWAY_DYNAMODB_ENDPOINT: "store location",
  GATEWAY_JOBS_QUEUE_URL: "queue location",
  GATEWAY_DELIVERIES_QUEUE_URL: "queue location",
  GATEWAY_DELIVERIES_DLQ_URL: "queue location",
  GATEWAY_UPLOADS_BUCKET: "bucket location",
  GATEWAY_JOB_CHUNK_ROWS: "how a bulk job is cut into chunks on the workers, not what a caller may send",
  GATEWAY_SIGNING_RATE: "how fast the bulk-job workers sign together (a KMS quota share), not what a caller may send",
  GATEWAY_DYNALITE: "where the local store runs",
  GATEWAY_KMS_KEY_POLICY: "key policy text from the stack",
  GATEWAY_SIGNER_ROLE_ARN: "the signer role from the stack",
  POWERTOOLS_LOG_LEVEL: "logging",
  LOG_LEVEL: "logging",
  GATEWAY_TRUSTED_ISSUERS: "trust configuration",
  GATEWAY_WALLET_URL: "the wallet's location",
  GATEWAY_PAGE_VERIFIER: "which registered issuer signs the verifier page's wallet requests (deployment identity)",
  GATEWAY_WALLET_TOKEN: "a credential",
  GATEWAY_WALLET_ALLOW_LOOPBACK: "lets a local wallet emulator be reached; off by default",
  GATEWAY_DELIVERY_RETRY_BASE_MS: "retry schedule of the gateway's own outbound deliveries",
  GATEWAY_DELIVERY_RETRY_MAX_MS: "retry schedule of the gateway's own outbound deliveries",
  GATEWAY_DELIVERY_MAX_ATTEMPTS: "retry schedule of the gateway's own outbound deliveries",
  GATEWAY_DELIVERY_CONCURRENCY: "parallelism of the local deliveries worker",
  GATEWAY_DEQAR_API_URL: "the registry's location",
  GATEWAY_DEQAR_API_TOKEN: "a credential",
  GATEWAY_DEQAR_ALLOW_LOOPBACK: "lets a local registry emulator be reached; off by default",
  GATEWAY_BRIDGE_ISSUER: "which issuer attested conversion signs as",
};

/** Fixed limits (no variable) with a number in the table, and the constant the code really uses. */
const FIXED: Record<string, number> = {
  "ZIP compression ratio": DEFAULT_ZIP_LIMITS.maxRatio,
  "ZIP entries": DEFAULT_ZIP_LIMITS.maxEntries,
};

interface Row {
  limit: string;
  variable?: string;
  /** The first back-quoted value of the default column (`5242880`, `on`), if any. */
  defaultValue?: string;
  defaultText: string;
  answer: string;
  shownBy: string[];
}

/** The rows of the table under "### Work budget and input limits". */
function tableRows(markdown: string): Row[] {
  const section = markdown.split(/^### Work budget and input limits$/m)[1]?.split(/^#{2,3} /m)[0];
  if (!section) throw new Error("SECURITY.md has no work-budget section");
  const lines = section.split("\n").filter((line) => line.startsWith("|"));
  const [header, separator, ...body] = lines;
  if (!header?.startsWith("| limit | variable | default |") || !separator?.startsWith("|---")) {
    throw new Error(`unexpected table header: ${header}`);
  }
  return body.map((line) => {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.length !== 7) throw new Error(`row has ${cells.length} cells: ${line}`);
    const [limit, variable, defaultText, , , answer, shownBy] = cells as [string, ...string[]];
    const name = /^`([A-Z0-9_]+)`$/.exec(variable ?? "")?.[1];
    const value = /`([^`]+)`/.exec(defaultText ?? "")?.[1];
    return {
      limit,
      ...(name ? { variable: name } : {}),
      ...(value !== undefined ? { defaultValue: value } : {}),
      defaultText: defaultText ?? "",
      answer: answer ?? "",
      shownBy: [...(shownBy ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1] as string),
    };
  });
}

/** Every environment variable the configuration sources name where they read one (`env.X`, `env, "X"`, `env["X"]`). */
function configVariables(sources: string[]): Set<string> {
  const names = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(m[1] as string);
    for (const m of source.matchAll(/\benv,\s*"([A-Z][A-Z0-9_]*)"/g)) names.add(m[1] as string);
    for (const m of source.matchAll(/\benv\[\s*"([A-Z][A-Z0-9_]*)"\s*\]/g)) names.add(m[1] as string);
  }
  return names;
}

type Read = (env: Record<string, string | undefined>) => unknown;

/** A value the variable does not default to, of the same kind, for showing that the configuration reads it. */
function otherValue(value: string): string {
  if (value === "on") return "off";
  if (value === "off") return "on";
  const n = Number(value);
  return String(n > 1 ? n - 1 : n + 1);
}

/** Everything wrong between the table and the configuration; empty when they agree. */
function tableProblems(rows: Row[], variables: Set<string>, read: Read): string[] {
  const problems: string[] = [];
  const base = read({});
  const inTable = new Set(rows.flatMap((row) => (row.variable ? [row.variable] : [])));
  for (const name of variables) {
    if (inTable.has(name)) continue;
    if (/^GATEWAY_(MAX|MIN)_/.test(name)) problems.push(`${name} is a limit of the configuration without a row`);
    else if (!(name in NOT_LIMITS))
      problems.push(`${name} is read by the configuration but neither a row nor a non-limit`);
  }
  for (const name of Object.keys(NOT_LIMITS)) {
    if (!variables.has(name)) problems.push(`${name} is listed as a non-limit but the configuration does not read it`);
  }
  for (const row of rows) {
    if (!row.variable) {
      const fixed = FIXED[row.limit];
      if (fixed !== undefined && row.defaultValue !== String(fixed)) {
        problems.push(`${row.limit}: the table says ${row.defaultValue}, the code uses ${fixed}`);
      } else if (fixed === undefined && row.defaultValue !== undefined && /^\d+$/.test(row.defaultValue)) {
        problems.push(`${row.limit}: a fixed number with no constant to check it against`);
      }
      continue;
    }
    const { variable, defaultValue } = row;
    if (!variables.has(variable)) {
      problems.push(`${variable} is in the table but the configuration does not read it`);
      continue;
    }
    if (defaultValue === undefined) {
      problems.push(`${variable}: the row states no default`);
      continue;
    }
    // Setting the stated default changes nothing; setting anything else changes the configuration.
    let same: unknown;
    let other: unknown;
    try {
      same = read({ [variable]: defaultValue });
      other = read({ [variable]: otherValue(defaultValue) });
    } catch (error) {
      problems.push(`${variable}: ${(error as Error).message}`);
      continue;
    }
    if (!isDeepStrictEqual(same, base)) problems.push(`${variable}: the default is not ${defaultValue}`);
    else if (isDeepStrictEqual(other, base)) problems.push(`${variable}: setting it changes nothing`);
  }
  return problems;
}

/** Each "NNN `code`" in the answers' column is the status the error table gives that code. */
function statusProblems(rows: Row[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    for (const m of row.answer.matchAll(/\b(\d{3}) `([a-z-]+)`/g)) {
      const [, status, code] = m as unknown as [string, string, string];
      const entry = ERROR_TABLE[code as ErrorCode];
      if (!entry) problems.push(`${row.limit}: no error code ${code}`);
      else if (String(entry.status) !== status)
        problems.push(`${row.limit}: ${code} is ${entry.status}, not ${status}`);
    }
  }
  return problems;
}

const rows = tableRows(SECURITY);
const sources = CONFIG_SOURCES.map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
const variables = configVariables(sources);

describe("SECURITY.md's work-budget table", () => {
  it("is read: every row has a limit, and the section names the configuration sources it is checked against", () => {
    expect(rows.length).toBeGreaterThan(20);
    for (const path of CONFIG_SOURCES) expect(SECURITY).toContain(path.replace("functions/", ""));
  });

  it("names the variables the configuration reads, with the defaults it uses, both ways", () => {
    expect(tableProblems(rows, variables, readConfig)).toEqual([]);
  });

  it("finds every variable readConfig actually reads without settings (the source scan misses none)", () => {
    // Arrange: an environment that records each name asked for.
    const asked = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, key) => {
        if (typeof key === "string") asked.add(key);
        return undefined;
      },
    });

    // Act
    readConfig(env);

    // Assess
    expect([...asked].filter((name) => !variables.has(name))).toEqual([]);
    expect(asked.size).toBeGreaterThan(30);
  });

  it("states the AWS default of rate limiting as the configuration does", () => {
    const row = rows.find((r) => r.variable === "GATEWAY_RATE_LIMIT");
    expect(row?.defaultText).toMatch(/`off` in AWS/);
    expect(readConfig({ GATEWAY_MODE: "aws" })).toEqual(readConfig({ GATEWAY_MODE: "aws", GATEWAY_RATE_LIMIT: "off" }));
  });

  it("gives each refusal the status of its error code", () => {
    expect(statusProblems(rows)).toEqual([]);
  });

  it("names test files that exist", () => {
    const named = [...new Set(rows.flatMap((row) => row.shownBy))];
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((path) => !existsSync(new URL(`../../${path}`, import.meta.url)))).toEqual([]);
  });

  describe("fails when the table and the configuration part", () => {
    it("a limit added to the configuration without a row", () => {
      // Arrange
      const planted = new Set([...variables, "GATEWAY_MAX_WIDGETS"]);
      const read: Read = (env) => ({ ...(readConfig(env) as object), widgets: env.GATEWAY_MAX_WIDGETS ?? "7" });

      // Act
      const problems = tableProblems(rows, planted, read);

      // Assess
      expect(problems).toEqual(["GATEWAY_MAX_WIDGETS is a limit of the configuration without a row"]);
    });

    it("a variable of any other name added without a row or a reason", () => {
      expect(tableProblems(rows, new Set([...variables, "GATEWAY_WIDGET_BUDGET"]), readConfig)).toEqual([
        "GATEWAY_WIDGET_BUDGET is read by the configuration but neither a row nor a non-limit",
      ]);
    });

    it("a default changed in the configuration", () => {
      // Arrange: the configuration as it would be with GATEWAY_MAX_JSON_KEYS defaulting to 50,000.
      const read: Read = (env) => readConfig({ GATEWAY_MAX_JSON_KEYS: "50000", ...env });

      // Act
      const problems = tableProblems(rows, variables, read);

      // Assess
      expect(problems).toEqual(["GATEWAY_MAX_JSON_KEYS: the default is not 100000"]);
    });

    it("a row whose variable the configuration does not read", () => {
      // Arrange
      const planted = [...rows, { limit: "widgets", variable: "GATEWAY_MAX_WIDGETS", defaultValue: "7" } as Row];

      // Act
      const problems = tableProblems(planted, variables, readConfig);

      // Assess
      expect(problems).toEqual(["GATEWAY_MAX_WIDGETS is in the table but the configuration does not read it"]);
    });

    it("a row with a wrong status for its code", () => {
      const planted = [{ limit: "widgets", answer: "400 `body-too-large`", defaultText: "", shownBy: [] } as Row];
      expect(statusProblems(planted)).toEqual(["widgets: body-too-large is 413, not 400"]);
    });
  });
});

// The rows marked "probed" that name this file: a gateway configured with small limits is sent what each row is
// about, and answers with the row's status, code and (where the row spells it) pointer.

/** Small limits, each far below what another probe sends, so that every probe meets only its own. */
const SMALL: Record<string, string> = {
  GATEWAY_MAX_BODY_BYTES: "200000",
  GATEWAY_MAX_JSON_KEYS: "50",
  GATEWAY_MAX_JSON_VALUES: "200",
  GATEWAY_MAX_XML_BYTES: "2000",
  GATEWAY_MAX_CELL_CHARS: "100",
  GATEWAY_MAX_REGISTRY_LOOKUPS: "2",
};

const HEADER = "given_name,family_name,email,title,ects,eqf_level,mode,awarding_body,awarding_body_country,issued";
const csvRow = (title: string, body: string) => `Ada,Example,ada@example.org,${title},5,6,online,${body},IE,2025-01-31`;

/** The request each probed row is about, and the pointer when the row names it in words ("the value's pointer"). */
const PROBES: Record<string, { send: (gw: TestGateway) => Promise<CallResult>; pointer?: RegExp; detail?: RegExp }> = {
  "request body": {
    send: (gw) => gw.call("POST", "/v1/check", { json: { document: "x".repeat(300_000) } }),
  },
  "JSON object keys": {
    send: (gw) =>
      gw.call("POST", "/v1/check", {
        json: { document: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])) },
      }),
  },
  "JSON values": {
    send: (gw) => gw.call("POST", "/v1/check", { json: { document: Array.from({ length: 300 }, (_, i) => i) } }),
    pointer: /^\/body\/document(\/\d+)?$/,
  },
  "XML size": {
    send: (gw) =>
      gw.call("POST", "/v1/check", {
        json: { from: "elmo", document: `<elmo>${"<report/>".repeat(400)}</elmo>` },
      }),
  },
  "cell size": {
    send: (gw) =>
      gw.call("POST", "/v1/check", {
        json: { from: "csv", document: `${HEADER}\n${csvRow("T".repeat(150), "University of Zed")}` },
      }),
  },
  "ZIP compression ratio": {
    // 2 MiB of zeros deflate to about 2 KiB: a ratio near 1,000, under every size limit.
    send: (gw) =>
      gw.call("POST", "/v1/check", { json: { from: "xlsx", document: zipBomb(2 * 1024 * 1024).toString("base64") } }),
    // The fixed limit is met, not another: the refusal names the ratio.
    detail: /compresses \d+:1/,
  },
  "registry lookups per request": {
    send: (gw) =>
      gw.call("POST", "/v1/check", {
        json: {
          from: "csv",
          document: [
            HEADER,
            ...["Zed", "Yew", "Xi", "Wye", "Vee"].map((b) => csvRow("Intro to CAD", `University of ${b}`)),
          ].join("\n"),
        },
      }),
  },
};

/** The row's stated answer: status, code, and the pointer if it is written out (`/body/...`, `{n}` any segment). */
function statedAnswer(row: Row): { status: number; code: string; pointer?: RegExp } {
  const m = /\b(\d{3}) `([a-z-]+)`/.exec(row.answer);
  if (!m) throw new Error(`${row.limit}: no status and code`);
  const literal = /`(\/body[^`]*)`/.exec(row.answer)?.[1];
  const pointer = literal
    ? new RegExp(`^${literal.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[a-z]+\}/g, "[^/]+")}$`)
    : undefined;
  return { status: Number(m[1]), code: m[2] as string, ...(pointer ? { pointer } : {}) };
}

const probed = rows.filter(
  (row) => row.answer.includes("(probed)") && row.shownBy.includes("test/hostile/work-budget-table.test.ts"),
);

describe("the probed answers of the table", () => {
  let db: { endpoint: string; stop(): Promise<void> };
  let gw: TestGateway;

  beforeAll(async () => {
    db = await startDynalite();
    gw = await startTestGateway({ dynamoEndpoint: db.endpoint, env: SMALL });
  });

  afterAll(async () => {
    await gw?.close();
    await db?.stop();
  });

  it("has a probe for every row that says this file probes it, and no probe without such a row", () => {
    expect(probed.map((row) => row.limit).sort()).toEqual(Object.keys(PROBES).sort());
  });

  it.each(probed.map((row) => [row.limit, row] as const))("%s: the answer the row states", async (limit, row) => {
    // Arrange
    const probe = PROBES[limit];
    if (!probe) throw new Error(`no probe for ${limit}`);
    const stated = statedAnswer(row);
    const pointer = stated.pointer ?? probe.pointer;

    // Act
    const res = await probe.send(gw);

    // Assess
    expect(res.status, res.text.slice(0, 400)).toBe(stated.status);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.json.code).toBe(stated.code);
    if (probe.detail) expect(res.json.detail).toMatch(probe.detail);
    expect(pointer, `${limit}: the row names no pointer and the probe none either`).toBeDefined();
    expect(res.json.errors?.map((e: { pointer: string }) => e.pointer)).toContainEqual(
      expect.stringMatching(pointer as RegExp),
    );
  });
});
