/**
 * dynalite in a process of its own, for `npm start` (`GATEWAY_DYNALITE=process`, the default): the embedded DynamoDB
 * then runs on the machine's second core instead of sharing the gateway's event loop with conversion and signing. The
 * bulk-job bench measured a 2,000–5,000-row local job ~1.2–1.6x faster this way, with about half the gateway
 * process's peak RSS (dynalite's LevelDB caches and request parsing live in the child).
 *
 * The child exits when its standard input closes: when the gateway stops, and also when it is killed without warning
 * (SIGKILL closes the pipe), so a restart on the same data dir does not meet a stray child holding LevelDB's lock.
 * Starting retries for a few seconds while the lock is still held by a child on its way out.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";

export interface DynaliteProcess {
  /** `http://127.0.0.1:{port}`. */
  endpoint: string;
  /** Stops the child and waits for it to exit. */
  close(): Promise<void>;
}

/** How long a start waits for a previous child's LevelDB lock to go. */
const LOCK_WAIT_MS = 10_000;

/** Starts dynalite on `path` (a LevelDB directory) in a child process on a free loopback port. */
export async function startDynaliteProcess(path: string): Promise<DynaliteProcess> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await startOnce(path);
    } catch (error) {
      if (!(error instanceof LockHeld) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

class LockHeld extends Error {}

function startOnce(path: string): Promise<DynaliteProcess> {
  // The child resolves dynalite (and its LevelDB binding) from this package, not from its working directory.
  const module = createRequire(import.meta.url).resolve("dynalite");
  const level = createRequire(module).resolve("level");
  // dynalite opens LevelDB lazily (at the first request): the child opens it once first, so that a lock still held
  // by a previous child fails the start (and is retried) instead of the first request.
  const code = `
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
const fail = (e) => { process.stderr.write(String(e && ((e.cause && e.cause.message) || e.message)) + "\\n"); process.exit(3); };
const probe = new (require(${JSON.stringify(level)}).Level)(${JSON.stringify(path)});
probe.open().then(() => probe.close()).then(() => {
  const db = require(${JSON.stringify(module)})({ path: ${JSON.stringify(path)}, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  db.on("error", fail);
  db.listen(0, "127.0.0.1", () => process.stdout.write(db.address().port + "\\n"));
}, fail);`;
  const child: ChildProcess = spawn(process.execPath, ["-e", code], { stdio: ["pipe", "pipe", "pipe"] });
  return new Promise<DynaliteProcess>((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    child.once("exit", (status) => {
      const held = /lock/i.test(stderr);
      reject(held ? new LockHeld(stderr.trim()) : new Error(`dynalite exited (${status}): ${stderr.trim()}`));
    });
    child.stdout?.once("data", (data: Buffer) => {
      const port = Number(data.toString().trim());
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.stdin?.end();
          }),
      });
    });
  });
}
