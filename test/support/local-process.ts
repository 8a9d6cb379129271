/**
 * `npm start` as a user runs it, for tests: the local gateway in a process of its own (embedded dynalite on disk, the
 * file key store), on a free port, resolved once it prints the URL it listens on.
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface LocalProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** SIGKILL: no chance to clean up. */
  kill(): Promise<void>;
  /** SIGTERM, resolving with the exit code. */
  stop(): Promise<number | null>;
}

export function startLocalProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<LocalProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/local/server.ts"], {
    // The embedded defaults (wallet emulator, local bridge issuer) are off unless the caller turns them on.
    env: { ...process.env, PORT: "0", POWERTOOLS_LOG_LEVEL: "SILENT", GATEWAY_LOCAL_DEFAULTS: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          output: () => output,
          kill: async () => {
            if (child.exitCode === null) child.kill("SIGKILL");
            await exited;
          },
          stop: async () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            return exited;
          },
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}
