/**
 * `npm run cli -- <command>`: the gateway from a terminal, against a local (`npm start`) or deployed gateway. The
 * commands, the token's sources and the exit codes are in {@link HELP} (`npm run cli -- help`).
 *
 * The token never needs to be on the command line, where npm echoes it (`> tsx scripts/gateway-cli.ts ...`) and the
 * shell keeps it in its history: it comes from $GATEWAY_TOKEN or the config file, which is refused when other users
 * may read it (as ssh refuses a private key). `--token` still works for scripts that have no other way, but neither
 * the help nor the README shows it.
 */
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseCsv } from "csv-parse/sync";
import { delimiterOf } from "../mappings/spreadsheet/csv.js";
import { writeCsvRows } from "../mappings/spreadsheet/csv-writer.js";

/** Exit codes: the same for every command. */
export const EXIT = { ok: 0, rowsFailed: 1, usage: 2, unreachable: 3, refused: 4 } as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (progress overwrites one line). */
  tty?: boolean;
  env?: Record<string, string | undefined>;
  sleep?: (ms: number) => Promise<void>;
  /** The text piped to the command (`login`). */
  stdin?: () => Promise<string>;
}

export const HELP = `EDC gateway CLI: npm run cli -- <command> [options]

Commands (each with an example):
  jobs submit --from csv|xlsx FILE --issuer ID --format ob3|elm|sd-jwt-vc [--proof SUITE] [--dry-run]
      Issues one credential per row as a bulk job, prints progress, writes the results (JSON Lines, one line per
      row) to FILE.results.jsonl (or --out PATH) and the failed rows, with their cells and errors, to
      FILE.failed.csv beside it, and prints the first few failures.
      --dry-run issues nothing: prints which column went where and a table of the first rows and their problems.
      npm run cli -- jobs submit --from csv docs/examples/registrar-en.csv --issuer uni-zed --format elm --dry-run
      npm run cli -- jobs submit --from csv docs/examples/registrar-en.csv --issuer uni-zed --format ob3
  jobs status JOB_ID
      Prints a job's progress.
      npm run cli -- jobs status VDl1OeK5ay5y4BiF8wQStg
  login [--url URL]
      Stores the token read from standard input, and the URL, in the config file (mode 0600).
      npm run cli -- login --url http://localhost:3000 < issuer-token.txt
  help
      This text.
      npm run cli -- help

Options:
  --url URL         the gateway (default: $GATEWAY_URL, the config file's "url", http://localhost:3000)
  --json            machine-readable output: one JSON document on stdout, no progress lines
  --out PATH        where jobs submit writes the results (default FILE.results.jsonl)
  --interval MS     how often jobs submit polls the job (default 500)
  --upload          send the file through a pre-signed upload (automatic above --max-body, default 5 MiB or
                    $GATEWAY_MAX_BODY_BYTES)
  --rows N          rows listed by --dry-run (default 10)

The token (an issuer's or the admin token) is read from, in order:
  1. $GATEWAY_TOKEN
  2. the config file $XDG_CONFIG_HOME/edc-gateway/config.json (default ~/.config/edc-gateway/config.json),
     {"url": "...", "token": "..."}; it must be readable by you only (chmod 600), else the CLI refuses it.
  Never put the token on the command line: npm echoes the command, and the shell keeps it in its history.

Exit codes:
  0  done: every row issued (or would be, with --dry-run)
  1  some rows failed (also jobs status of a job completed-with-errors or failed)
  2  usage error (bad options, missing file, unsafe config file)
  3  the gateway could not be reached
  4  the gateway refused the request (its problem+json detail is printed)
`;

const USAGE_HINT = "run `npm run cli -- help` for the commands and options";

const FINISHED = new Set(["completed", "completed-with-errors", "failed"]);

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

interface JobProgress {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  dlq: number;
  /** Why the job failed as a whole (an unreadable upload, chunks that could not be queued). */
  error?: string;
}

/** One line of a job's results: a credential, or the row's error. */
interface ResultLine {
  row: number;
  error?: { path: string; message: string };
}

/** The dry run's answer (`POST /v1/jobs` with `options.dryRun`), as far as the CLI prints it. */
interface JobPreview {
  format: string;
  profile?: { name: string; columns: Record<string, string> };
  unmapped?: string[];
  total: number;
  issuable: number;
  failed: number;
  truncated?: boolean;
  rows: {
    row: number;
    values?: Record<string, unknown>;
    annex1?: { compliant: boolean; missing: string[] };
    conformance?: { ok: boolean; detail: string; violations?: { path?: string; pointer?: string; message?: string }[] };
    errors?: { path: string; message: string }[];
  }[];
}

/** A problem+json body's `detail` (and field errors), or the status line. */
async function problemText(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const problem = JSON.parse(text) as {
      title?: string;
      detail?: string;
      errors?: { pointer: string; detail: string }[];
    };
    const fields = (problem.errors ?? []).map((e) => `\n  ${e.pointer}: ${e.detail}`).join("");
    return `${res.status} ${problem.detail ?? problem.title ?? res.statusText}${fields}`;
  } catch {
    return `${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`;
  }
}

class Gateway {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      throw new CliError(`cannot reach the gateway at ${this.url}${cause}`, EXIT.unreachable);
    }
    if (!res.ok) {
      const hint =
        res.status === 401 && !this.token
          ? "\n  no token was sent: set GATEWAY_TOKEN, or store one with `npm run cli -- login`"
          : "";
      throw new CliError(`${method} ${path} failed: ${await problemText(res)}${hint}`, EXIT.refused);
    }
    return res;
  }

  async job(id: string): Promise<JobProgress> {
    return (await (await this.request("GET", `/v1/jobs/${encodeURIComponent(id)}`)).json()) as JobProgress;
  }
}

type Env = Record<string, string | undefined>;

/** The config file: `$XDG_CONFIG_HOME/edc-gateway/config.json`, by default under `~/.config`. */
export function configPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "edc-gateway", "config.json");
}

/**
 * The config file's `url` and `token`, or nothing when there is none. A file other users may read or write is
 * refused, not used: its token would be theirs too.
 */
function readConfigFile(env: Env): { url?: string; token?: string } {
  const file = configPath(env);
  if (!existsSync(file)) return {};
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new CliError(
      `${file} may be read by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`,
      EXIT.usage,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${error instanceof Error ? error.message : error}`, EXIT.usage);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${file} must hold an object {"url", "token"}`, EXIT.usage);
  }
  const { url, token } = parsed as Record<string, unknown>;
  return {
    ...(typeof url === "string" ? { url } : {}),
    ...(typeof token === "string" ? { token } : {}),
  };
}

function gatewayOf(values: { url?: string; token?: string }, env: Env): Gateway {
  const token = values.token || env.GATEWAY_TOKEN;
  const given = values.url ?? env.GATEWAY_URL;
  const file = token && given ? {} : readConfigFile(env);
  const url = (given ?? file.url ?? "http://localhost:3000").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url)) throw new CliError(`--url must be an http(s) URL, got ${url}`, EXIT.usage);
  return new Gateway(url, token || file.token);
}

const OPTIONS = {
  url: { type: "string" },
  // Kept for scripts that have no other way; the help does not show it (see the module comment).
  token: { type: "string" },
  issuer: { type: "string" },
  format: { type: "string" },
  proof: { type: "string" },
  from: { type: "string" },
  interval: { type: "string" },
  out: { type: "string" },
  upload: { type: "boolean" },
  "max-body": { type: "string" },
  "dry-run": { type: "boolean" },
  rows: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = Partial<Record<keyof typeof OPTIONS, string | boolean>>;

const str = (values: Values, name: keyof typeof OPTIONS): string | undefined =>
  typeof values[name] === "string" ? (values[name] as string) : undefined;

/** The gateway's default body limit (GATEWAY_MAX_BODY_BYTES). */
const DEFAULT_MAX_BODY = 5 * 1024 * 1024;

/** Failed rows printed after a job (all of them are in the failed-rows file). */
const SHOWN_FAILURES = 5;

/**
 * Creates a job whose input goes through a pre-signed upload: `upload: true`, a PUT of the file to the URL answered
 * (no gateway token: the URL carries its own signature), then the start route. The file is sent from memory with its
 * length: S3 refuses pre-signed PUTs without a Content-Length.
 */
async function submitByUpload(
  gateway: Gateway,
  job: { from: string; options: Record<string, unknown> },
  bytes: Buffer,
  io: CliIo,
): Promise<string> {
  const created = (await (await gateway.request("POST", "/v1/jobs", { ...job, upload: true })).json()) as {
    id: string;
    upload: { url: string; method: string; headers: Record<string, string> };
  };
  io.stderr(`job ${created.id} created; uploading ${bytes.length} bytes\n`);
  let put: Response;
  try {
    put = await fetch(created.upload.url, {
      method: created.upload.method,
      headers: created.upload.headers,
      body: bytes,
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    throw new CliError(`cannot reach the upload URL${cause}`, EXIT.unreachable);
  }
  if (!put.ok) throw new CliError(`the upload failed: ${await problemText(put)}`, EXIT.refused);
  await gateway.request("POST", `/v1/jobs/${encodeURIComponent(created.id)}/start`);
  return created.id;
}

/** Cells shortened to fit a terminal table. */
const clip = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** A plain-text table: a header line, a rule, the rows; columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** What is wrong with a previewed row, in one cell: its errors, else its format violations, else Annex I gaps. */
function problemsOf(row: JobPreview["rows"][number]): string {
  if (row.errors?.length) return row.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  if (row.conformance && !row.conformance.ok) {
    const v = row.conformance.violations ?? [];
    return v.length > 0
      ? v.map((x) => `${x.path ?? x.pointer ?? ""}: ${x.message ?? ""}`).join("; ")
      : row.conformance.detail;
  }
  if (row.annex1 && !row.annex1.compliant) return `ok (Annex I missing: ${row.annex1.missing.join(", ")})`;
  return "ok";
}

/** The dry run's report: the column mapping, then the first rows and their problems. */
function previewText(preview: JobPreview, shown: number): string {
  const out: string[] = [];
  if (preview.profile) {
    out.push(`profile ${preview.profile.name}: which column went where`);
    out.push(
      textTable(
        ["header", "field"],
        Object.entries(preview.profile.columns).map(([h, f]) => [h, f]),
      ),
    );
  }
  if (preview.unmapped?.length) out.push(`not read (kept as extensions): ${preview.unmapped.join(", ")}`);
  const rows = preview.rows.slice(0, shown).map((r) => {
    const v = r.values ?? {};
    const cell = (k: string, w: number) => clip(v[k] === undefined ? "" : String(v[k]), w);
    return [
      String(r.row),
      cell("title", 28),
      cell("learner", 20),
      cell("awardingBody", 24),
      cell("date", 10),
      cell("ects", 5),
      clip(problemsOf(r), 100),
    ];
  });
  out.push("");
  out.push(textTable(["row", "title", "learner", "awarding body", "date", "ects", "problems"], rows));
  const more = preview.total - Math.min(shown, preview.rows.length);
  if (more > 0) out.push(`... ${more} more row(s) not listed (--rows N lists more)`);
  out.push(
    `dry run, ${preview.format}: ${preview.issuable} of ${preview.total} rows would be issued, ${preview.failed} would fail; nothing was issued`,
  );
  return `${out.join("\n")}\n`;
}

interface SubmitInput {
  from: string;
  file: string;
  bytes: Buffer;
  document: string;
  job: { from: string; options: Record<string, unknown> };
}

function submitInput(values: Values, files: string[]): SubmitInput {
  const from = str(values, "from");
  const issuer = str(values, "issuer");
  const format = str(values, "format");
  const [file, ...extra] = files;
  if (!from || !issuer || !format || !file || extra.length > 0) {
    throw new CliError(`jobs submit needs --from, FILE, --issuer and --format; ${USAGE_HINT}`, EXIT.usage);
  }
  if (format !== "ob3" && format !== "elm" && format !== "sd-jwt-vc")
    throw new CliError("--format must be ob3, elm or sd-jwt-vc", EXIT.usage);
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`, EXIT.usage);
  const bytes = readFileSync(file);
  const document = from === "xlsx" ? bytes.toString("base64") : bytes.toString("utf8");
  const proof = str(values, "proof");
  return { from, file, bytes, document, job: { from, options: { issuer, format, ...(proof ? { proof } : {}) } } };
}

async function dryRun(values: Values, input: SubmitInput, gateway: Gateway, io: CliIo): Promise<number> {
  const shown = Number(str(values, "rows") ?? 10);
  if (!Number.isSafeInteger(shown) || shown < 0) throw new CliError("--rows must be a row count", EXIT.usage);
  const res = await gateway.request("POST", "/v1/jobs", {
    ...input.job,
    options: { ...input.job.options, dryRun: true },
    document: input.document,
  });
  const preview = (await res.json()) as JobPreview;
  io.stdout(values.json ? `${JSON.stringify(preview, null, 2)}\n` : previewText(preview, shown));
  return preview.failed === 0 ? EXIT.ok : EXIT.rowsFailed;
}

/** Where the failed rows go: beside the results, `X.results.jsonl` → `X.failed.csv`. */
const failedPathOf = (out: string): string =>
  out.endsWith(".results.jsonl") ? out.replace(/\.results\.jsonl$/, ".failed.csv") : `${out}.failed.csv`;

/**
 * Writes the failed rows as CSV: row number, error, then (for a CSV input) the row's own cells under its own headers,
 * so the registrar can fix the cells and submit the file again. Cells are neutralised against formula injection.
 */
function writeFailedRows(path: string, failures: ResultLine[], input: SubmitInput): void {
  let headers: string[] = [];
  let records: string[][] = [];
  // The input's own delimiter: a `;` file comes from a locale whose spreadsheet program splits on `;`.
  const delimiter = input.from === "csv" && delimiterOf(input.document) === ";" ? ";" : ",";
  if (input.from === "csv") {
    records = parseCsv(input.document, { bom: true, relax_column_count: true, skip_empty_lines: true, delimiter });
    headers = records[0] ?? [];
  }
  // Row n is the n-th record, the header being row 1 (as the gateway numbers them).
  const columns = ["row", "error", ...headers.filter((h) => h !== "row" && h !== "error")];
  const rows = failures.map((f) => {
    const record = records[f.row - 1] ?? [];
    const cells: Record<string, unknown> = Object.fromEntries(headers.map((h, i) => [h, record[i] ?? ""]));
    return { ...cells, row: f.row, error: f.error ? `${f.error.path}: ${f.error.message}` : "" };
  });
  writeFileSync(path, writeCsvRows(rows, columns, delimiter));
}

async function submit(values: Values, files: string[], io: CliIo): Promise<number> {
  const input = submitInput(values, files);
  const env = io.env ?? process.env;
  const interval = Number(str(values, "interval") ?? 500);
  if (!Number.isFinite(interval) || interval < 0) throw new CliError("--interval must be milliseconds", EXIT.usage);
  const maxBody = Number(str(values, "max-body") ?? env.GATEWAY_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY);
  if (!Number.isSafeInteger(maxBody) || maxBody < 1) throw new CliError("--max-body must be a byte count", EXIT.usage);
  const gateway = gatewayOf({ url: str(values, "url"), token: str(values, "token") }, env);
  if (values["dry-run"] === true) return dryRun(values, input, gateway, io);
  const json = values.json === true;

  const started = performance.now();
  const body = JSON.stringify({ ...input.job, document: input.document });
  let id: string;
  if (values.upload === true || Buffer.byteLength(body, "utf8") > maxBody) {
    id = await submitByUpload(gateway, input.job, input.bytes, io);
  } else {
    id = (
      (await (await gateway.request("POST", "/v1/jobs", { ...input.job, document: input.document })).json()) as {
        id: string;
      }
    ).id;
  }
  if (!json) io.stderr(`job ${id} submitted\n`);

  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let progress = await gateway.job(id);
  let last = "";
  for (;;) {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? (progress.done + progress.failed) / seconds : 0;
    const line = `${progress.done + progress.failed}/${progress.total} rows, ${progress.failed} failed${progress.dlq ? ` (${progress.dlq} chunks dead-lettered)` : ""}, ${rate.toFixed(1)}/s [${progress.status}]`;
    if (line !== last && !json) {
      io.stdout(io.tty ? `\r${line}` : `${line}\n`);
      last = line;
    }
    if (FINISHED.has(progress.status)) break;
    await sleep(interval);
    progress = await gateway.job(id);
  }
  if (io.tty && !json) io.stdout("\n");
  if (progress.error && !json) io.stderr(`job ${id} failed: ${progress.error}\n`);

  const out = str(values, "out") ?? `${input.file}.results.jsonl`;
  const { lines, failures } = await downloadResults(gateway, id, out);
  const failedFile = failures.length > 0 ? failedPathOf(out) : undefined;
  if (failedFile) writeFailedRows(failedFile, failures, input);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const code = progress.status === "completed" && failures.length === 0 ? EXIT.ok : EXIT.rowsFailed;
  if (json) {
    io.stdout(
      `${JSON.stringify(
        {
          ...progress,
          seconds: Number(seconds),
          results: out,
          ...(failedFile ? { failedRows: failedFile } : {}),
          failures: failures.slice(0, SHOWN_FAILURES),
        },
        null,
        2,
      )}\n`,
    );
    return code;
  }
  io.stdout(
    `job ${id} ${progress.status}: ${progress.done} issued, ${progress.failed} failed of ${progress.total} in ${seconds} s; ${lines} results in ${out}\n`,
  );
  if (failedFile) {
    io.stdout(`failed rows (all ${failures.length} in ${failedFile}):\n`);
    for (const f of failures.slice(0, SHOWN_FAILURES)) {
      io.stdout(`  row ${f.row}: ${f.error ? `${f.error.path}: ${f.error.message}` : "failed"}\n`);
    }
    if (failures.length > SHOWN_FAILURES) io.stdout(`  ... ${failures.length - SHOWN_FAILURES} more\n`);
  }
  return code;
}

/** Writes every page of the job's results to `out`; returns the number of lines and the failed rows. */
async function downloadResults(
  gateway: Gateway,
  id: string,
  out: string,
): Promise<{ lines: number; failures: ResultLine[] }> {
  const stream = createWriteStream(out);
  let lines = 0;
  const failures: ResultLine[] = [];
  try {
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      const res = await gateway.request("GET", `/v1/jobs/${encodeURIComponent(id)}/results${query}`);
      const text = await res.text();
      for (const line of text.split("\n")) {
        if (line === "") continue;
        lines += 1;
        try {
          const parsed = JSON.parse(line) as ResultLine;
          if (parsed.error) failures.push({ row: parsed.row, error: parsed.error });
        } catch {
          // A line the CLI cannot read is still written to the results file; it is not a failure of a row.
        }
      }
      if (!stream.write(text)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
      cursor = res.headers.get("next-cursor");
    } while (cursor);
  } finally {
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  failures.sort((a, b) => a.row - b.row);
  return { lines, failures };
}

async function status(values: Values, ids: string[], io: CliIo): Promise<number> {
  const [id, ...extra] = ids;
  if (!id || extra.length > 0) throw new CliError(`jobs status needs one job id; ${USAGE_HINT}`, EXIT.usage);
  const gateway = gatewayOf({ url: str(values, "url"), token: str(values, "token") }, io.env ?? process.env);
  const job = await gateway.job(id);
  if (values.json) io.stdout(`${JSON.stringify(job, null, 2)}\n`);
  else {
    io.stdout(
      `job ${job.id} ${job.status}: ${job.done} issued, ${job.failed} failed of ${job.total}${job.dlq ? `, ${job.dlq} chunks dead-lettered` : ""}${job.error ? ` (${job.error})` : ""}\n`,
    );
  }
  return job.status === "completed-with-errors" || job.status === "failed" ? EXIT.rowsFailed : EXIT.ok;
}

/** Reads standard input to its end. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Stores the token piped in (and `--url`) in the config file, created readable by its owner only. */
async function login(values: Values, rest: string[], io: CliIo): Promise<number> {
  if (rest.length > 0)
    throw new CliError(`login takes no arguments (the token comes on stdin); ${USAGE_HINT}`, EXIT.usage);
  const token = (await (io.stdin ?? readStdin)()).trim();
  if (!token || /\s/.test(token)) {
    throw new CliError("login reads one token on standard input: npm run cli -- login < token.txt", EXIT.usage);
  }
  const env = io.env ?? process.env;
  const url = str(values, "url");
  if (url && !/^https?:\/\//.test(url)) throw new CliError(`--url must be an http(s) URL, got ${url}`, EXIT.usage);
  const file = configPath(env);
  const previous = existsSync(file) ? readConfigFile(env) : {};
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify({ ...previous, ...(url ? { url } : {}), token }, null, 2)}\n`, {
    mode: 0o600,
  });
  // writeFileSync's mode applies to a new file only; an existing one is narrowed too.
  chmodSync(file, 0o600);
  io.stdout(values.json ? `${JSON.stringify({ config: file })}\n` : `token stored in ${file} (mode 600)\n`);
  return EXIT.ok;
}

/** Runs one command line (without `node script`); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${error instanceof Error ? error.message : String(error)}; ${USAGE_HINT}`, EXIT.usage);
    }
    const [group, command, ...rest] = parsed.positionals;
    if (parsed.values.help || group === "help") {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (group === undefined) {
      io.stderr(HELP);
      return EXIT.usage;
    }
    if (group === "jobs" && command === "submit") return await submit(parsed.values, rest, io);
    if (group === "jobs" && command === "status") return await status(parsed.values, rest, io);
    if (group === "login")
      return await login(
        parsed.values,
        [command, ...rest].filter((a) => a !== undefined),
        io,
      );
    throw new CliError(`unknown command: ${[group, command].filter(Boolean).join(" ")}; ${USAGE_HINT}`, EXIT.usage);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.refused;
  }
}

if (process.argv[1]?.endsWith("gateway-cli.ts")) {
  runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    tty: process.stdout.isTTY === true,
  }).then((code) => {
    process.exitCode = code;
  });
}
