/**
 * `npm run cli -- <command>`: the gateway from a terminal, against a local (`npm start`) or deployed gateway.
 *
 *   jobs submit --from csv FILE --issuer ID --format ob3 [--proof P] [--url U] [--token T] [--interval MS] [--out PATH]
 *       posts a bulk job, prints a progress line (done/total, failed, rate/s) until it ends, then writes the results
 *       (JSON Lines, one line per row) to FILE.results.jsonl (or --out)
 *   jobs status ID [--url U] [--token T]
 *       prints the job's progress as JSON
 *
 * --url defaults to $GATEWAY_URL or http://localhost:3000, --token to $GATEWAY_TOKEN. XLSX files are sent as base64,
 * everything else as text. A file whose request would exceed the gateway's body limit (--max-body, default
 * $GATEWAY_MAX_BODY_BYTES or 5 MiB; or any file with --upload) goes through a pre-signed upload instead: the job is
 * created with `upload: true`, the file PUT to the URL the gateway answers, and the job started.
 *
 * Exit codes: 0 done (job completed), 1 the job ended with failed rows, 2 usage error, 3 the gateway refused the
 * request or could not be reached (its problem+json detail is printed).
 */
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export const EXIT = { ok: 0, jobErrors: 1, usage: 2, request: 3 } as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (progress overwrites one line). */
  tty?: boolean;
  env?: Record<string, string | undefined>;
  sleep?: (ms: number) => Promise<void>;
}

const USAGE = `usage:
  cli jobs submit --from <format> FILE --issuer <id> --format ob3|elm [--proof <suite>] [--url U] [--token T]
                  [--interval MS] [--out PATH] [--upload] [--max-body BYTES]
  cli jobs status ID [--url U] [--token T]`;

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
    private readonly url: string,
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
      throw new CliError(`cannot reach the gateway at ${this.url}${cause}`, EXIT.request);
    }
    if (!res.ok) throw new CliError(`${method} ${path} failed: ${await problemText(res)}`, EXIT.request);
    return res;
  }

  async job(id: string): Promise<JobProgress> {
    return (await (await this.request("GET", `/v1/jobs/${encodeURIComponent(id)}`)).json()) as JobProgress;
  }
}

function gatewayOf(values: { url?: string; token?: string }, env: Record<string, string | undefined>): Gateway {
  const url = (values.url ?? env.GATEWAY_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url)) throw new CliError(`--url must be an http(s) URL, got ${url}`, EXIT.usage);
  return new Gateway(url, values.token ?? env.GATEWAY_TOKEN);
}

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  issuer: { type: "string" },
  format: { type: "string" },
  proof: { type: "string" },
  from: { type: "string" },
  interval: { type: "string" },
  out: { type: "string" },
  upload: { type: "boolean" },
  "max-body": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The gateway's default body limit (GATEWAY_MAX_BODY_BYTES). */
const DEFAULT_MAX_BODY = 5 * 1024 * 1024;

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
    throw new CliError(`cannot reach the upload URL${cause}`, EXIT.request);
  }
  if (!put.ok) throw new CliError(`the upload failed: ${await problemText(put)}`, EXIT.request);
  await gateway.request("POST", `/v1/jobs/${encodeURIComponent(created.id)}/start`);
  return created.id;
}

async function submit(
  values: Partial<Record<keyof typeof OPTIONS, string | boolean>>,
  files: string[],
  io: CliIo,
): Promise<number> {
  const str = (name: keyof typeof OPTIONS) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const from = str("from");
  const issuer = str("issuer");
  const format = str("format");
  const [file, ...extra] = files;
  if (!from || !issuer || !format || !file || extra.length > 0) {
    throw new CliError(`jobs submit needs --from, FILE, --issuer and --format\n${USAGE}`, EXIT.usage);
  }
  if (format !== "ob3" && format !== "elm") throw new CliError("--format must be ob3 or elm", EXIT.usage);
  const interval = Number(str("interval") ?? 500);
  if (!Number.isFinite(interval) || interval < 0) throw new CliError("--interval must be milliseconds", EXIT.usage);
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`, EXIT.usage);
  const bytes = readFileSync(file);
  const document = from === "xlsx" ? bytes.toString("base64") : bytes.toString("utf8");
  const gateway = gatewayOf({ url: str("url"), token: str("token") }, io.env ?? process.env);
  const proof = str("proof");

  const env = io.env ?? process.env;
  const maxBody = Number(str("max-body") ?? env.GATEWAY_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY);
  if (!Number.isSafeInteger(maxBody) || maxBody < 1) throw new CliError("--max-body must be a byte count", EXIT.usage);

  const started = performance.now();
  const job = { from, options: { issuer, format, ...(proof ? { proof } : {}) } };
  const body = JSON.stringify({ ...job, document });
  let id: string;
  if (values.upload === true || Buffer.byteLength(body, "utf8") > maxBody) {
    id = await submitByUpload(gateway, job, bytes, io);
  } else {
    id = ((await (await gateway.request("POST", "/v1/jobs", { ...job, document })).json()) as { id: string }).id;
  }
  io.stderr(`job ${id} submitted\n`);

  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let progress = await gateway.job(id);
  let last = "";
  for (;;) {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? (progress.done + progress.failed) / seconds : 0;
    const line = `${progress.done + progress.failed}/${progress.total} rows, ${progress.failed} failed${progress.dlq ? ` (${progress.dlq} chunks dead-lettered)` : ""}, ${rate.toFixed(1)}/s [${progress.status}]`;
    if (line !== last) {
      io.stdout(io.tty ? `\r${line}` : `${line}\n`);
      last = line;
    }
    if (FINISHED.has(progress.status)) break;
    await sleep(interval);
    progress = await gateway.job(id);
  }
  if (io.tty) io.stdout("\n");
  if (progress.error) io.stderr(`job ${id} failed: ${progress.error}\n`);

  const out = str("out") ?? `${file}.results.jsonl`;
  const lines = await downloadResults(gateway, id, out);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout(
    `job ${id} ${progress.status}: ${progress.done} issued, ${progress.failed} failed of ${progress.total} in ${seconds} s; ${lines} results in ${out}\n`,
  );
  return progress.status === "completed" ? EXIT.ok : EXIT.jobErrors;
}

/** Writes every page of the job's results to `out`; returns the number of lines. */
async function downloadResults(gateway: Gateway, id: string, out: string): Promise<number> {
  const stream = createWriteStream(out);
  let lines = 0;
  try {
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      const res = await gateway.request("GET", `/v1/jobs/${encodeURIComponent(id)}/results${query}`);
      const text = await res.text();
      lines += text.split("\n").filter((l) => l !== "").length;
      if (!stream.write(text)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
      cursor = res.headers.get("next-cursor");
    } while (cursor);
  } finally {
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  return lines;
}

async function status(
  values: Partial<Record<keyof typeof OPTIONS, string | boolean>>,
  ids: string[],
  io: CliIo,
): Promise<number> {
  const [id, ...extra] = ids;
  if (!id || extra.length > 0) throw new CliError(`jobs status needs one job id\n${USAGE}`, EXIT.usage);
  const str = (name: keyof typeof OPTIONS) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const gateway = gatewayOf({ url: str("url"), token: str("token") }, io.env ?? process.env);
  const job = await gateway.job(id);
  io.stdout(`${JSON.stringify(job, null, 2)}\n`);
  return EXIT.ok;
}

/** Runs one command line (without `node script`); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, EXIT.usage);
    }
    const [group, command, ...rest] = parsed.positionals;
    if (parsed.values.help || group === undefined) {
      io.stdout(`${USAGE}\n`);
      return parsed.values.help ? EXIT.ok : EXIT.usage;
    }
    if (group === "jobs" && command === "submit") return await submit(parsed.values, rest, io);
    if (group === "jobs" && command === "status") return await status(parsed.values, rest, io);
    throw new CliError(`unknown command: ${[group, command].filter(Boolean).join(" ")}\n${USAGE}`, EXIT.usage);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.request;
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
