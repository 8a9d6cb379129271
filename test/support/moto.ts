/**
 * A private moto server (AWS emulator: KMS, DynamoDB, SQS, S3, ...) on loopback, one per test file, so that the AWS
 * adapters are tested over the real AWS protocols with no network and no credentials.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export interface RunningMoto {
  /** `http://127.0.0.1:{port}`, for an AWS client's `endpoint`. */
  endpoint: string;
  /** Stops the server and waits for its process to exit. */
  stop(): Promise<void>;
}

/** Client settings that point an AWS SDK v3 client at a moto (or dynalite) endpoint. */
export function emulatorClientConfig(endpoint: string) {
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
  };
}

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts `moto_server` on a free loopback port (port 0; the server prints the one it bound) and resolves once it
 * answers HTTP. Fails with a clear message when moto_server is not installed.
 */
export async function startMoto(env: Record<string, string> = {}): Promise<RunningMoto> {
  if (!onPath("moto_server")) {
    throw new Error(
      "moto_server is not on PATH: the AWS adapter contract tests need moto 5 (`pip install 'moto[server]'`); .ci/run must provide it",
    );
  }
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    // Settings such as INITIAL_NO_AUTH_ACTION_COUNT (IAM enforcement) are moto_server's environment variables.
    env: { ...process.env, ...env },
  });
  try {
    const port = await boundPort(child);
    const endpoint = `http://127.0.0.1:${port}`;
    await untilAnswering(endpoint, child);
    return { endpoint, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Reads the port from werkzeug's "Running on http://127.0.0.1:PORT" line. */
function boundPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`moto_server did not start in ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        cleanup();
        resolve(Number(match[1]));
      }
    };
    const onExit = (code: number | null) => fail(new Error(`moto_server exited (code ${code}):\n${output}`));
    const onError = (error: Error) => fail(error);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      // Keep draining the pipes so that moto never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
    }
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

async function untilAnswering(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`moto_server at ${endpoint} does not answer`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Terminates this one child process (by its own pid) and waits for it to exit, killing it if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
