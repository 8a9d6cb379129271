/**
 * The local gateway's HTTP server: every request goes through `matchRoute` and `toEventV2` into the very Lambda
 * handler API Gateway would call. Nothing here routes or handles a request itself beyond what API Gateway does
 * (404 for unknown routes, 413 for oversized bodies).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Context } from "aws-lambda";
import type { Family } from "../http/contract.js";
import { type LambdaHttpHandler, loggableError } from "../http/family.js";
import { problemOf, problemResponse } from "../http/problem.js";
import { GatewayError } from "../kernel/errors.js";
import { fromResultV2, matchRoute, toEventV2 } from "./event.js";

export interface LocalGatewayOptions {
  handlers: Record<Family, LambdaHttpHandler>;
  /** Bodies above this are refused before they reach a function, as API Gateway refuses payloads above its limit. */
  maxBodyBytes: number;
  /**
   * Takes pre-signed upload requests (what S3 takes on AWS) before route matching; true when it handled one. May be
   * set after the server is created (the upload URLs depend on the port it binds).
   */
  uploads?: { receive(req: IncomingMessage, res: ServerResponse): Promise<boolean> };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      if (!over) chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function lambdaContext(requestId: string, family: Family): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `edc-gateway-${family}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:edc-gateway-${family}`,
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/edc-gateway-${family}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  // A HEAD answer has no content but says how long the GET answer's is (the function sets content-length).
  const head = res.req.method === "HEAD";
  res.writeHead(status, {
    ...headers,
    "content-length": head ? (headers["content-length"] ?? "0") : String(body.length),
  });
  res.end(head ? undefined : body);
}

function sendProblem(res: ServerResponse, error: GatewayError, path: string, headers: Record<string, string> = {}) {
  const out = fromResultV2(problemResponse(problemOf(error, path), headers));
  send(res, out.status, out.headers, out.body);
}

export function createLocalGateway(options: LocalGatewayOptions): Server {
  return createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    try {
      if (options.uploads && (await options.uploads.receive(req, res))) return;
      const method = (req.method ?? "GET").toUpperCase();
      const match = matchRoute(method, path);
      if (match.kind === "not-found") {
        req.resume();
        return sendProblem(res, new GatewayError("not-found", `no route for ${method} ${path}`), path);
      }
      if (match.kind === "method-not-allowed") {
        req.resume();
        return sendProblem(res, new GatewayError("method-not-allowed", `${method} is not allowed on ${path}`), path, {
          allow: match.allow.join(", "),
        });
      }
      const body = await readBody(req, options.maxBodyBytes);
      if (body === "too-large") {
        return sendProblem(
          res,
          new GatewayError("body-too-large", `the body exceeds ${options.maxBodyBytes} bytes`, [
            { pointer: "/body", detail: `at most ${options.maxBodyBytes} bytes` },
          ]),
          path,
        );
      }
      const event = toEventV2(
        {
          method,
          url: req.url ?? "/",
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
          host: req.headers.host ?? "localhost",
        },
        match.spec,
        match.pathParameters,
      );
      const handler = options.handlers[match.spec.family];
      const result = await handler(event, lambdaContext(event.requestContext.requestId, match.spec.family));
      const out = fromResultV2(result);
      send(res, out.status, out.headers, out.body);
    } catch (error) {
      // Handlers render their own errors; reaching here means the function itself crashed, as a Lambda error would.
      // Logged as the Lambda path logs it: class, stack and a digest of the message, never the message (it may quote
      // learner data from the request).
      console.error("local gateway: handler failed", JSON.stringify(loggableError(error)));
      if (!res.headersSent) {
        const out = fromResultV2(problemResponse(problemOf(error, path)));
        send(res, out.status, out.headers, out.body);
      }
    }
  });
}
