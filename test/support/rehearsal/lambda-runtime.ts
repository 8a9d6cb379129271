/**
 * A Lambda execution environment in a child process: loads one function's synthesized bundle (`{LAMBDA_TASK_ROOT}/
 * index.mjs`, handler `index.handler`) with the environment the parent gives it (the template's variables and the
 * runtime's), then runs the invocations the parent sends over IPC one at a time, as one Lambda instance does.
 */
import { pathToFileURL } from "node:url";

interface Invoke {
  id: number;
  event: unknown;
  requestId: string;
  deadlineMs: number;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const root = process.env.LAMBDA_TASK_ROOT;
const [file, exportName] = (process.env._HANDLER ?? "index.handler").split(".");
if (!root || !process.send) throw new Error("lambda-runtime runs as a forked child with LAMBDA_TASK_ROOT set");

const loaded = import(pathToFileURL(`${root}/${file}.mjs`).href).then((mod: Record<string, unknown>) => {
  const handler = mod[exportName ?? "handler"];
  if (typeof handler !== "function") throw new Error(`${file}.${exportName} is not a function`);
  return handler as Handler;
});

let chain: Promise<void> = Promise.resolve();

process.on("message", (message: Invoke) => {
  chain = chain.then(async () => {
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: "$LATEST",
      invokedFunctionArn: process.env.REHEARSAL_FUNCTION_ARN,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: message.requestId,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: "rehearsal",
      getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
    };
    try {
      const handler = await loaded;
      const result = await handler(message.event, context);
      process.send?.({ id: message.id, ok: true, result: result ?? null });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      process.send?.({ id: message.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } });
    }
  });
});

process.send({ ready: true });
