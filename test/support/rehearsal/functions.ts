/**
 * The rehearsal's Lambda service: each function of the template runs its synthesized bundle in a child process of
 * its own (`lambda-runtime.ts`) with exactly the environment its template gives it, plus what the Lambda runtime adds
 * (region, the execution role's temporary credentials, function name, ...), plus `AWS_ENDPOINT_URL` pointing the AWS
 * SDK at moto. And the SQS event source: a poller per event source mapping that follows Lambda's SQS semantics.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";

const RUNTIME = fileURLToPath(new URL("./lambda-runtime.ts", import.meta.url));

export interface FunctionSpec {
  logicalId: string;
  name: string;
  arn: string;
  /** The template's `Environment.Variables`, resolved. */
  environment: Record<string, string>;
  /** The runtime's variables (region, credentials, ...) and the emulator endpoint. */
  runtimeEnvironment: Record<string, string>;
  /** Absolute path of the bundle directory (the asset `npm run synth` writes). */
  codeDir: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
}

/** A line a function wrote (its logs: CloudWatch Logs on AWS). */
export interface LogLine {
  fn: string;
  line: string;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** One function: one execution environment, invoked one event at a time, replaced after a crash or a timeout. */
export class RehearsalFunction {
  readonly spec: FunctionSpec;
  readonly #logs: LogLine[];
  readonly #echo: boolean;
  #child?: { process: ChildProcess; ready: Promise<void> };
  #next = 0;
  readonly #pending = new Map<number, Pending>();
  #queue: Promise<unknown> = Promise.resolve();
  invocations = 0;

  constructor(spec: FunctionSpec, logs: LogLine[], echo: boolean) {
    this.spec = spec;
    this.#logs = logs;
    this.#echo = echo;
  }

  #start(): { process: ChildProcess; ready: Promise<void> } {
    const child = fork(RUNTIME, [], {
      execArgv: ["--import", "tsx"],
      // Exactly: the template's variables and the runtime's; nothing of the parent's environment but PATH.
      env: {
        PATH: process.env.PATH ?? "",
        ...this.spec.environment,
        ...this.spec.runtimeEnvironment,
        LAMBDA_TASK_ROOT: this.spec.codeDir,
        _HANDLER: this.spec.handler,
        REHEARSAL_FUNCTION_ARN: this.spec.arn,
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        this.#logs.push({ fn: this.spec.logicalId, line });
        if (this.#echo) console.log(`[${this.spec.logicalId}] ${line}`);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    const ready = new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`${this.spec.logicalId} exited during init (code ${code})`)));
    });
    child.on("message", (message: { id?: number; ok?: boolean; result?: unknown; error?: { message: string } }) => {
      if (message.id === undefined) return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(message.error?.message ?? "function error"));
    });
    child.on("exit", () => {
      if (this.#child?.process === child) this.#child = undefined;
      for (const [id, pending] of this.#pending) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`${this.spec.logicalId}: the execution environment exited`));
        this.#pending.delete(id);
      }
    });
    return { process: child, ready };
  }

  /** Starts the execution environment now (a cold start before the first request). */
  async warm(): Promise<void> {
    this.#child ??= this.#start();
    await this.#child.ready;
  }

  /** Invokes the function with `event` (synchronously, as API Gateway and the SQS poller do); one at a time. */
  invoke(event: unknown): Promise<unknown> {
    const run = this.#queue.then(() => this.#invokeNow(event));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #invokeNow(event: unknown): Promise<unknown> {
    this.#child ??= this.#start();
    const child = this.#child;
    await child.ready;
    this.invocations++;
    const id = this.#next++;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`Task timed out after ${this.spec.timeoutSeconds} seconds`));
        // Lambda ends a timed-out environment; the next invocation starts a new one.
        child.process.kill("SIGKILL");
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      child.process.send({ id, event, requestId: randomUUID(), deadlineMs: Date.now() + timeoutMs });
    });
  }

  async stop(): Promise<void> {
    const child = this.#child?.process;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
}

export interface EventSourceSpec {
  logicalId: string;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  /** MaximumBatchingWindowInSeconds (0 when the template has none). */
  batchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** The client the poller receives and deletes with: the function's execution role's credentials. */
  sqs: SQSClient;
}

export interface PollerStats {
  batches: number;
  received: number;
  deleted: number;
  /** Records the function reported in batchItemFailures (left on the queue to come back). */
  reportedFailures: number;
  /** Invocations that failed as a whole (an error, a timeout, a malformed response): the whole batch comes back. */
  failedInvocations: number;
}

/**
 * Lambda's SQS event source, for one mapping: long-polls up to `batchSize` messages (gathering for at most the
 * batching window), invokes the function with them, then deletes what succeeded. With `ReportBatchItemFailures` the
 * function's `batchItemFailures` stay on the queue (an empty or unknown `itemIdentifier` fails the whole batch, as
 * Lambda does); without it, or when the invocation fails, no message is deleted. Messages not deleted come back
 * after the queue's visibility timeout, and the queue's redrive policy moves them to its DLQ after maxReceiveCount.
 */
export class SqsPoller {
  readonly stats: PollerStats = { batches: 0, received: 0, deleted: 0, reportedFailures: 0, failedInvocations: 0 };
  readonly #spec: EventSourceSpec;
  readonly #fn: RehearsalFunction;
  #running = true;
  readonly #loop: Promise<void>;
  #inFlight = 0;

  constructor(spec: EventSourceSpec, fn: RehearsalFunction, onError: (error: unknown) => void) {
    this.#spec = spec;
    this.#fn = fn;
    this.#loop = this.#run(onError);
  }

  /** Whether a batch is being handled right now. */
  get busy(): boolean {
    return this.#inFlight > 0;
  }

  async #receive(): Promise<Message[]> {
    const { sqs, queueUrl, batchSize, batchingWindowSeconds } = this.#spec;
    const messages: Message[] = [];
    const until = Date.now() + batchingWindowSeconds * 1000;
    do {
      const got = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
      );
      messages.push(...(got.Messages ?? []));
    } while (this.#running && messages.length < batchSize && Date.now() < until && messages.length > 0);
    return messages;
  }

  async #run(onError: (error: unknown) => void): Promise<void> {
    while (this.#running) {
      let messages: Message[];
      try {
        messages = await this.#receive();
      } catch (error) {
        if (!this.#running) return;
        onError(error);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (messages.length === 0) continue;
      this.#inFlight++;
      try {
        await this.#handle(messages, onError);
      } finally {
        this.#inFlight--;
      }
    }
  }

  async #handle(messages: Message[], onError: (error: unknown) => void): Promise<void> {
    const { queueArn, queueUrl, sqs, reportBatchItemFailures } = this.#spec;
    this.stats.batches++;
    this.stats.received += messages.length;
    const event: SQSEvent = {
      Records: messages.map((m) => ({
        messageId: m.MessageId ?? "",
        receiptHandle: m.ReceiptHandle ?? "",
        body: m.Body ?? "",
        attributes: {
          ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? "1",
          SentTimestamp: m.Attributes?.SentTimestamp ?? "",
          SenderId: m.Attributes?.SenderId ?? "",
          ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? "",
        },
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? "",
        eventSource: "aws:sqs",
        eventSourceARN: queueArn,
        awsRegion: queueArn.split(":")[3] ?? "",
      })),
    };
    let done: Message[] = [];
    try {
      const result = await this.#fn.invoke(event);
      if (!reportBatchItemFailures) done = messages;
      else {
        const failures = (result as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null)?.batchItemFailures;
        const ids = new Set(messages.map((m) => m.MessageId));
        const failed = (failures ?? []).map((f) => f.itemIdentifier);
        if (failed.some((id) => typeof id !== "string" || !ids.has(id))) {
          // Lambda treats a response naming no known message as a failure of the whole batch.
          this.stats.failedInvocations++;
        } else {
          this.stats.reportedFailures += failed.length;
          done = messages.filter((m) => !failed.includes(m.MessageId));
        }
      }
    } catch (error) {
      this.stats.failedInvocations++;
      onError(error);
    }
    if (done.length === 0) return;
    try {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })),
        }),
      );
      this.stats.deleted += done.length;
    } catch (error) {
      onError(error);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }
}
