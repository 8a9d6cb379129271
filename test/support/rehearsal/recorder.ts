/**
 * A recording proxy in front of moto, and an IAM check of what it recorded.
 *
 * moto 5.x cannot enforce the gateway's grants (resource-scoped DynamoDB and KMS statements are matched against "*",
 * conditions other than sts:ExternalId fail, role ARNs never match session ARNs: see docs in the issue note), so the
 * rehearsal records instead: every request a function (or its event source poller) sends to AWS goes through this
 * proxy, which derives the IAM action and resource ARN from the request as AWS's authorization would (SigV4
 * credential scope for the service, X-Amz-Target or the Query `Action` for the operation, the table, queue, key,
 * object or role the request names) and the access key id that signed it. Keys map to roles: the functions' execution
 * roles (known to the harness) and the sessions of roles they assume (read from AssumeRole answers passing through).
 *
 * {@link deniedCalls} then evaluates each recorded call against the role's policies as deployed: an Allow statement
 * whose Action and Resource patterns match, no matching Deny. Conditions are not evaluated (a statement with a
 * Condition counts as matching; the conditions are asserted on the template in test/infra/security.test.ts).
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ACCOUNT_ID, REGION } from "./deployment.js";

export interface RecordedCall {
  accessKeyId: string;
  /** `service:Operation` as IAM names it, e.g. `dynamodb:GetItem`. */
  action: string;
  /** The ARN IAM authorizes the action on (`*` for actions without a resource, such as kms:CreateKey). */
  resource: string;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

/** The proxy: `endpoint` is what the functions get as AWS_ENDPOINT_URL. */
export interface Recorder {
  endpoint: string;
  calls: RecordedCall[];
  /** Access key id → role ARN, for execution roles and the sessions of assumed roles. */
  principals: Map<string, string>;
  stop(): Promise<void>;
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;

function queueArn(queueUrl: unknown): string {
  const name = String(queueUrl ?? "")
    .split("/")
    .at(-1);
  return arn("sqs", name ?? "");
}

function keyArn(keyId: unknown): string {
  const id = String(keyId ?? "");
  return id.startsWith("arn:") ? id : id.startsWith("alias/") ? arn("kms", id) : arn("kms", `key/${id}`);
}

/** DynamoDB calls: TransactWriteItems and TransactGetItems are authorized per item, as the item's own action. */
function dynamoCalls(operation: string, body: Record<string, unknown>): Omit<RecordedCall, "accessKeyId">[] {
  const table = (name: unknown) => arn("dynamodb", `table/${String(name)}`);
  if (operation === "TransactWriteItems" || operation === "TransactGetItems") {
    const items = (body.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? [];
    const actionOf: Record<string, string> = {
      Put: "PutItem",
      Update: "UpdateItem",
      Delete: "DeleteItem",
      ConditionCheck: "ConditionCheckItem",
      Get: "GetItem",
    };
    return items.flatMap((item) =>
      Object.entries(item).map(([kind, spec]) => ({
        action: `dynamodb:${actionOf[kind] ?? kind}`,
        resource: table(spec.TableName),
      })),
    );
  }
  if (operation === "BatchWriteItem" || operation === "BatchGetItem") {
    return Object.keys((body.RequestItems as object | undefined) ?? {}).map((name) => ({
      action: `dynamodb:${operation}`,
      resource: table(name),
    }));
  }
  const base = table(body.TableName);
  return [{ action: `dynamodb:${operation}`, resource: body.IndexName ? `${base}/index/${body.IndexName}` : base }];
}

/** The calls one request stands for, from its service, headers, path and body. */
export function callsOf(
  service: string,
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
): Omit<RecordedCall, "accessKeyId">[] {
  const target = String(headers["x-amz-target"] ?? "");
  const operation = target ? (target.split(".").at(-1) ?? "") : "";
  let body: Record<string, unknown> = {};
  if (target) {
    try {
      body = JSON.parse(bodyText || "{}") as Record<string, unknown>;
    } catch {
      body = {};
    }
  }
  if (service === "dynamodb") return dynamoCalls(operation, body);
  if (service === "kms") {
    return [{ action: `kms:${operation}`, resource: operation === "CreateKey" ? "*" : keyArn(body.KeyId) }];
  }
  if (service === "sqs") {
    const form = target ? undefined : new URLSearchParams(bodyText);
    const name = target ? operation : (form?.get("Action") ?? "");
    const queue = target ? (body.QueueUrl ?? body.QueueName) : (form?.get("QueueUrl") ?? form?.get("QueueName"));
    // Batch actions are authorized as their single-message action (SQS Developer Guide, "Amazon SQS API
    // permissions: Actions and resource reference": SendMessageBatch needs sqs:SendMessage, and so on).
    return [{ action: `sqs:${name.replace(/Batch$/, "")}`, resource: queueArn(queue) }];
  }
  if (service === "sts") {
    const form = new URLSearchParams(bodyText);
    const action = form.get("Action") ?? "";
    const role = form.get("RoleArn") ?? "*";
    const calls = [{ action: `sts:${action}`, resource: role }];
    // Session tags need sts:TagSession on the role as well (IAM User Guide, "Passing session tags in AWS STS").
    if ([...form.keys()].some((k) => k.startsWith("Tags.member.")))
      calls.push({ action: "sts:TagSession", resource: role });
    return calls;
  }
  if (service === "s3") {
    const [bucket, ...rest] = decodeURIComponent(path.split("?")[0] ?? "")
      .replace(/^\//, "")
      .split("/");
    const key = rest.join("/");
    if (!key)
      return [
        { action: method === "GET" ? "s3:ListBucket" : `s3:${method}Bucket`, resource: `arn:aws:s3:::${bucket}` },
      ];
    // HEAD is authorized as GetObject (S3 API reference, HeadObject: "you must have the s3:GetObject permission").
    const action = { GET: "GetObject", HEAD: "GetObject", PUT: "PutObject", DELETE: "DeleteObject" }[method];
    return [{ action: `s3:${action ?? method}`, resource: `arn:aws:s3:::${bucket}/${key}` }];
  }
  return [{ action: `${service}:${operation || method}`, resource: "*" }];
}

/** The signer of a request: from the Authorization header or a pre-signed URL's query. */
function signature(headers: Record<string, string | string[] | undefined>, url: URL) {
  const credential =
    /Credential=([^,\s]+)/.exec(String(headers.authorization ?? ""))?.[1] ?? url.searchParams.get("X-Amz-Credential");
  if (!credential) return undefined;
  const [accessKeyId, , , service] = credential.split("/");
  return accessKeyId && service ? { accessKeyId, service } : undefined;
}

export async function startRecorder(target: string): Promise<Recorder> {
  const upstream = new URL(target);
  const calls: RecordedCall[] = [];
  const principals = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", target);
      const signer = signature(req.headers, url);
      const bodyText = signer && signer.service !== "s3" ? body.toString("utf8") : "";
      if (signer) {
        for (const call of callsOf(signer.service, req.method ?? "GET", req.url ?? "/", req.headers, bodyText)) {
          calls.push({ accessKeyId: signer.accessKeyId, ...call });
        }
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const out: Buffer[] = [];
          answer.on("data", (c: Buffer) => out.push(c));
          answer.on("end", () => {
            const payload = Buffer.concat(out);
            if (signer?.service === "sts" && new URLSearchParams(bodyText).get("Action") === "AssumeRole") {
              const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(payload.toString("utf8"))?.[1];
              const role = new URLSearchParams(bodyText).get("RoleArn");
              if (key && role) principals.set(key, role);
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(payload);
          });
        },
      );
      forward.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    principals,
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM's wildcard matching: `*` any run of characters, `?` one; actions case-insensitively. */
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

function statementMatches(s: PolicyStatement, call: RecordedCall): boolean {
  return (
    list(s.Action).some((a) => matches(a, call.action, true)) &&
    list(s.Resource).some((r) => matches(r, call.resource, false))
  );
}

/**
 * The recorded calls the policies do not allow: for each, no Allow statement of the signer's role matches, or a
 * Deny without conditions does. Calls signed by keys that belong to no known role are returned too (they would be
 * some credential the harness did not hand out).
 */
export function deniedCalls(
  calls: readonly RecordedCall[],
  principals: ReadonlyMap<string, string>,
  policies: ReadonlyMap<string, readonly PolicyStatement[]>,
): (RecordedCall & { role: string | undefined })[] {
  const denied: (RecordedCall & { role: string | undefined })[] = [];
  const seen = new Set<string>();
  for (const call of calls) {
    const role = principals.get(call.accessKeyId);
    const id = `${role}|${call.action}|${call.resource}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const statements = role ? (policies.get(role) ?? []) : [];
    const allowed = statements.some((s) => s.Effect === "Allow" && statementMatches(s, call));
    const deny = statements.some((s) => s.Effect === "Deny" && s.Condition === undefined && statementMatches(s, call));
    if (!allowed || deny) denied.push({ ...call, role });
  }
  return denied;
}
