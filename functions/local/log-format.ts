/**
 * Log lines for a person at a terminal. The handlers log JSON (Powertools Logger: one object per line, what
 * CloudWatch and log tools read); `npm start` on a terminal turns each into one line: the time, and for a request
 * its method, route, status and duration (`10:02:11 POST /v1/convert 200 41 ms`), for anything else its level,
 * message and remaining fields. A line that is not a JSON object passes through unchanged. Piped or redirected
 * output (a file, a log collector) stays JSON.
 */

const HIDDEN = new Set(["level", "message", "timestamp", "service", "sampling_rate", "xray_trace_id"]);

const timeOf = (timestamp: unknown): string =>
  typeof timestamp === "string" && /T(\d{2}:\d{2}:\d{2})/.test(timestamp)
    ? (/T(\d{2}:\d{2}:\d{2})/.exec(timestamp)?.[1] ?? "")
    : new Date().toISOString().slice(11, 19);

/** One JSON log line as one human line; other text unchanged. */
export function prettyLogLine(line: string): string {
  const text = line.trim();
  if (!text.startsWith("{")) return line;
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = timeOf(record.timestamp);
  if (record.message === "request" && typeof record.routeKey === "string") {
    const ms = typeof record.durationMs === "number" ? ` ${record.durationMs} ms` : "";
    return `${time} ${record.routeKey} ${String(record.status ?? "")}${ms}`;
  }
  const rest = Object.entries(record)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  const level = typeof record.level === "string" ? record.level : "LOG";
  return `${time} ${level} ${String(record.message ?? "")}${rest ? ` ${rest}` : ""}`;
}

/** Rewrites what is written to `stream`, line by line, with {@link prettyLogLine}. */
export function prettifyStream(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  let pending = "";
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const end = pending.lastIndexOf("\n");
    if (end < 0) {
      // Held until its line ends; a write callback is still told the write went through.
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }
    const lines = pending.slice(0, end).split("\n");
    pending = pending.slice(end + 1);
    return write(`${lines.map(prettyLogLine).join("\n")}\n`, ...rest);
  }) as NodeJS.WriteStream["write"];
}

/** Pretty lines on a terminal unless `GATEWAY_LOG_FORMAT=json`; `pretty` forces them when piped. */
export function wantsPrettyLogs(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  const format = env.GATEWAY_LOG_FORMAT?.toLowerCase();
  if (format === "json") return false;
  if (format === "pretty") return true;
  return isTty;
}
