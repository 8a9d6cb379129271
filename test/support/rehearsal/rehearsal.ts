/**
 * The AWS deployment, rehearsed on emulators: moto (DynamoDB, KMS, SQS, S3, IAM, STS) on loopback, the two stacks
 * synthesized in this process exactly as `npm run synth` does (same app options, `cdk.json` context, bundled assets),
 * the stateful resources and the IAM roles created from the template's properties (`deployment.ts`), every function's
 * bundle running in its own process with the template's environment and its role's credentials (`functions.ts`),
 * behind the local HTTP front (`functions/local/gateway.ts`, which builds API Gateway v2 events), and the template's
 * SQS event source mappings fed by pollers with Lambda's semantics.
 *
 * Where the rehearsal departs from AWS, and why (each is stated again in docs/deploy.md):
 * - the AWS SDK of every function is pointed at moto with `AWS_ENDPOINT_URL` (the only variable the template lacks
 *   besides the runtime's own), and the wallet emulator listens on loopback, which the wallet client refuses unless
 *   `GATEWAY_WALLET_ALLOW_LOOPBACK=on` (added to every function, as the template has `GATEWAY_WALLET_URL`);
 * - queues' visibility timeouts are scaled down (`visibilityScale`) so that redelivery takes seconds, not minutes;
 * - the HTTP API's endpoint (`GATEWAY_PUBLIC_URL`) is the local front's `http://127.0.0.1:{port}`;
 * - one execution environment per function (Lambda scales out; the rehearsal checks behaviour, not throughput).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { App } from "aws-cdk-lib";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Family } from "../../../functions/http/contract.js";
import { ROUTES, routeKey } from "../../../functions/http/contract.js";
import type { LambdaHttpHandler } from "../../../functions/http/family.js";
import { createLocalGateway, type LocalGatewayOptions } from "../../../functions/local/gateway.js";
import { PROJECT_ROOT } from "../../../infra/bundling.js";
import { defineGateway, gatewayOptionsFromContext } from "../../../infra/gateway.js";
import { type RunningMoto, startMoto } from "../moto.js";
import { IamQuery, type StaticCredentials, xmlValue } from "./aws-query.js";
import { ACCOUNT_ID, type CfnTemplate, Deployment, REGION, type StackTemplate } from "./deployment.js";
import { type FunctionSpec, type LogLine, RehearsalFunction, SqsPoller } from "./functions.js";
import { type PolicyStatement, type Recorder, startRecorder } from "./recorder.js";

export interface RehearsalOptions {
  /** The wallet API the `walletUrl` context names (the wallet emulator). */
  walletUrl?: string;
  /** Extra CDK context (as `-c key=value`). */
  context?: Record<string, string>;
  /** See `DeploymentOptions.visibilityScale`. Default 1/120 (six minutes become three seconds). */
  visibilityScale?: number;
  /** Rewrites each synthesized IAM policy before it is created; identity by default. */
  policyDocument?: (document: unknown, where: string) => unknown;
  /** Print the functions' logs as they come. */
  echoLogs?: boolean;
  /** Variables added to every function (GATEWAY_DELIVERY_RETRY_BASE_MS, ...). Named in the report. */
  extraEnvironment?: Record<string, string>;
}

export interface Rehearsal {
  url: string;
  adminToken: string;
  moto: RunningMoto;
  /** Credentials of the operator (an IAM user allowed everything): what the tests inspect moto with. */
  operator: StaticCredentials;
  clientConfig: { endpoint: string; region: string; credentials: StaticCredentials };
  stacks: StackTemplate[];
  assemblyDir: string;
  deployment: Deployment;
  functions: Map<string, RehearsalFunction>;
  pollers: Map<string, SqsPoller>;
  logs: LogLine[];
  /** The proxy every function's AWS call goes through: what each role did (see recorder.ts). */
  recorder: Recorder;
  /** Each role's statements as the templates give them (inline and attached managed policies), by role ARN. */
  rolePolicies(): Promise<Map<string, (PolicyStatement & { policy: string })[]>>;
  /** Queue URL of a queue resource by logical id prefix (e.g. `JobsDeadLetterQueue`). */
  queueUrl(prefix: string): Promise<string>;
  /** Resolves once no poller is handling a batch and `check` holds (polled), or fails after `timeoutMs`. */
  until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void>;
  stop(): Promise<void>;
}

export const STATEFUL = "edc-gateway-stateful";
export const STATELESS = "edc-gateway-stateless";

/** The synthesized assembly, as `npm run synth` makes it (`infra/app.ts` with the `cdk.json` context). */
export function synthesize(outdir: string, context: Record<string, string>): StackTemplate[] {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdk.json"), "utf8")) as { context: object };
  // The CLI adds asset metadata (`--asset-metadata`, on by default): each function names its bundle directory.
  const app = new App({
    outdir,
    context: { ...cdkJson.context, "aws:cdk:enable-asset-metadata": true, ...context },
  });
  defineGateway(app, {
    ...gatewayOptionsFromContext(app),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  const assembly = app.synth();
  return assembly.stacks.map((s) => ({ stackName: s.stackName, template: s.template as CfnTemplate }));
}

/** An IAM user that may do everything: made while moto still accepts unauthenticated requests. */
async function operatorUser(iam: IamQuery): Promise<StaticCredentials> {
  await iam.call("CreateUser", { UserName: "rehearsal-operator" });
  await iam.call("PutUserPolicy", {
    UserName: "rehearsal-operator",
    PolicyName: "everything",
    PolicyDocument: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    }),
  });
  const xml = await iam.call("CreateAccessKey", { UserName: "rehearsal-operator" });
  return { accessKeyId: xmlValue(xml, "AccessKeyId") ?? "", secretAccessKey: xmlValue(xml, "SecretAccessKey") ?? "" };
}

export async function startRehearsal(options: RehearsalOptions = {}): Promise<Rehearsal> {
  const assemblyDir = mkdtempSync(join(tmpdir(), "rehearsal-cdk-"));
  const context: Record<string, string> = {
    ...(options.walletUrl ? { walletUrl: options.walletUrl } : {}),
    ...options.context,
  };
  const stacks = synthesize(assemblyDir, context);

  // moto's IAM enforcement stays off: it cannot match the gateway's scoped grants (recorder.ts checks them instead).
  const moto = await startMoto();
  const recorder = await startRecorder(moto.endpoint);
  const anonymous = { accessKeyId: "rehearsal", secretAccessKey: "rehearsal" };
  const operator = await operatorUser(new IamQuery(moto.endpoint, anonymous));
  const clientConfig = { endpoint: moto.endpoint, region: REGION, credentials: operator };
  const clients = {
    dynamo: new DynamoDBClient(clientConfig),
    sqs: new SQSClient(clientConfig),
    s3: new S3Client({ ...clientConfig, forcePathStyle: true }),
    iam: new IamQuery(moto.endpoint, operator),
  };

  const handlers = {} as Record<Family, LambdaHttpHandler>;
  const gatewayOptions: LocalGatewayOptions = { maxBodyBytes: 10 * 1024 * 1024, handlers };
  const server = createLocalGateway(gatewayOptions);
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const adminToken = `admin-${randomBytes(18).toString("base64url")}`;
  const deployment = new Deployment(stacks, clients, {
    parameters: {
      [STATELESS]: { AdminTokenSha256: createHash("sha256").update(adminToken).digest("hex") },
    },
    apiEndpoint: url,
    visibilityScale: options.visibilityScale ?? 1 / 120,
    ...(options.policyDocument ? { policyDocument: options.policyDocument } : {}),
  });

  // Inline policies attach to roles: create them all (a role alone would lack them).
  for (const [id] of deployment.resourcesOf(STATELESS, "AWS::IAM::Policy")) await deployment.physical(STATELESS, id);

  const sts = new STSClient(clientConfig);
  const logs: LogLine[] = [];
  const functions = new Map<string, RehearsalFunction>();
  const roleCredentials = new Map<string, StaticCredentials>();
  for (const [id, resource] of deployment.resourcesOf(STATELESS, "AWS::Lambda::Function")) {
    const props = resource.Properties ?? {};
    const environment = (await deployment.resolve(
      STATELESS,
      (props.Environment as { Variables?: object })?.Variables ?? {},
    )) as Record<string, string>;
    const roleArn = String(await deployment.resolve(STATELESS, props.Role));
    const physical = await deployment.physical(STATELESS, id);
    // The Lambda service assumes the execution role and hands the function its temporary credentials.
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: physical.ref }));
    const credentials: StaticCredentials = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? "",
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? "",
      sessionToken: assumed.Credentials?.SessionToken ?? "",
    };
    roleCredentials.set(id, credentials);
    recorder.principals.set(credentials.accessKeyId, roleArn);
    const assetPath = String(resource.Metadata?.["aws:asset:path"] ?? "");
    if (!assetPath) throw new Error(`${id} has no bundled asset (synth without bundling?)`);
    const spec: FunctionSpec = {
      logicalId: id,
      name: physical.ref,
      arn: physical.attrs.Arn ?? "",
      // Queue URLs name the host the SQS client sends to (it uses the queue URL as its endpoint): moto's URLs are
      // pointed at the recorder, which stands where AWS would be.
      environment: {
        ...Object.fromEntries(
          Object.entries(environment).map(([k, v]) => [k, String(v).replaceAll(moto.endpoint, recorder.endpoint)]),
        ),
        ...options.extraEnvironment,
      },
      runtimeEnvironment: {
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken ?? "",
        AWS_LAMBDA_FUNCTION_NAME: physical.ref,
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(props.MemorySize ?? 128),
        AWS_LAMBDA_LOG_GROUP_NAME: String(
          await deployment.resolve(STATELESS, (props.LoggingConfig as { LogGroup?: unknown })?.LogGroup ?? ""),
        ),
        AWS_EXECUTION_ENV: `AWS_Lambda_${String(props.Runtime)}`,
        TZ: ":UTC",
        // The emulator, for every AWS SDK client the function makes (the only departure from the deployed environment).
        // Through the recorder, which forwards to moto and notes who called what.
        AWS_ENDPOINT_URL: recorder.endpoint,
        ...(environment.GATEWAY_WALLET_URL ? { GATEWAY_WALLET_ALLOW_LOOPBACK: "on" } : {}),
      },
      codeDir: join(assemblyDir, assetPath),
      handler: String(props.Handler ?? "index.handler"),
      timeoutSeconds: Number(props.Timeout ?? 3),
      memoryMb: Number(props.MemorySize ?? 128),
    };
    functions.set(id, new RehearsalFunction(spec, logs, options.echoLogs ?? false));
  }

  // The HTTP API as the template routes it: each route's integration names a function; the local front matches
  // the contract's routes, so every family's routes must all reach one function of the template.
  const integrationFunction = new Map<string, string>();
  for (const [id, r] of deployment.resourcesOf(STATELESS, "AWS::ApiGatewayV2::Integration")) {
    const uri = r.Properties?.IntegrationUri as { "Fn::GetAtt"?: [string, string] } | undefined;
    const fn = uri?.["Fn::GetAtt"]?.[0];
    if (fn) integrationFunction.set(id, fn);
  }
  const familyFunction = new Map<Family, string>();
  for (const [, r] of deployment.resourcesOf(STATELESS, "AWS::ApiGatewayV2::Route")) {
    const key = String(r.Properties?.RouteKey);
    const target = r.Properties?.Target as { "Fn::Join"?: [string, unknown[]] } | undefined;
    const integration = (target?.["Fn::Join"]?.[1]?.[1] as { Ref?: string } | undefined)?.Ref;
    const fn = integration ? integrationFunction.get(integration) : undefined;
    const spec = ROUTES.find((route) => routeKey(route) === key);
    if (!spec || !fn) continue;
    const seen = familyFunction.get(spec.family);
    if (seen && seen !== fn) throw new Error(`routes of ${spec.family} reach both ${seen} and ${fn}`);
    familyFunction.set(spec.family, fn);
  }
  for (const route of ROUTES) {
    const fnId = familyFunction.get(route.family);
    const fn = fnId ? functions.get(fnId) : undefined;
    if (!fn) throw new Error(`the template routes no function for ${routeKey(route)}`);
    handlers[route.family] = async (event) => (await fn.invoke(event)) as APIGatewayProxyStructuredResultV2;
  }

  // The event source mappings: a poller each, with the function's own credentials (its role grants the receive).
  const pollers = new Map<string, SqsPoller>();
  const pollerErrors: unknown[] = [];
  for (const [id, r] of deployment.resourcesOf(STATELESS, "AWS::Lambda::EventSourceMapping")) {
    const props = r.Properties ?? {};
    const fnId = (props.FunctionName as { Ref?: string }).Ref ?? "";
    const fn = functions.get(fnId);
    const credentials = roleCredentials.get(fnId);
    if (!fn || !credentials) throw new Error(`${id} names no function of the template`);
    const queueArn = String(await deployment.resolve(STATELESS, props.EventSourceArn));
    const queueName = queueArn.split(":").at(-1) ?? "";
    const queueUrl = `${recorder.endpoint}/${ACCOUNT_ID}/${queueName}`;
    const poller = new SqsPoller(
      {
        logicalId: id,
        queueArn,
        queueUrl,
        batchSize: Number(props.BatchSize ?? 10),
        batchingWindowSeconds: Number(props.MaximumBatchingWindowInSeconds ?? 0),
        reportBatchItemFailures: ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes(
          "ReportBatchItemFailures",
        ),
        sqs: new SQSClient({ ...clientConfig, endpoint: recorder.endpoint, credentials }),
      },
      fn,
      (error) => pollerErrors.push(error),
    );
    pollers.set(id, poller);
  }

  // Cold starts before the first request, so that a test's first call does not also pay for eight inits.
  await Promise.all([...functions.values()].map((fn) => fn.warm()));

  const queueUrl = async (prefix: string) => {
    const found = deployment
      .resourcesOf(STATEFUL, "AWS::SQS::Queue")
      .find(([id]) => id.startsWith(prefix) && !id.slice(prefix.length).match(/^[A-Z][a-z]/));
    if (!found) throw new Error(`no queue ${prefix}* in ${STATEFUL}`);
    return (await deployment.physical(STATEFUL, found[0])).ref;
  };

  const rolePolicies = async () => {
    const byRole = new Map<string, (PolicyStatement & { policy: string })[]>();
    const managed = new Map<string, (PolicyStatement & { policy: string })[]>();
    for (const [id, resource] of deployment.resourcesOf(STATEFUL, "AWS::IAM::ManagedPolicy")) {
      const policyArn = (await deployment.physical(STATEFUL, id)).ref;
      const document = (await deployment.resolve(STATEFUL, resource.Properties?.PolicyDocument)) as {
        Statement: PolicyStatement[];
      };
      managed.set(
        policyArn,
        document.Statement.map((st) => ({ ...st, policy: id })),
      );
    }
    const roleArnByName = new Map<string, string>();
    for (const [id, resource] of deployment.resourcesOf(STATELESS, "AWS::IAM::Role")) {
      const physical = await deployment.physical(STATELESS, id);
      const roleArn = physical.attrs.Arn ?? "";
      roleArnByName.set(physical.ref, roleArn);
      const attached = (await deployment.resolve(STATELESS, resource.Properties?.ManagedPolicyArns ?? [])) as string[];
      byRole.set(
        roleArn,
        attached.flatMap((policyArn) => managed.get(policyArn) ?? []),
      );
    }
    for (const [id, resource] of deployment.resourcesOf(STATELESS, "AWS::IAM::Policy")) {
      const roles = (await deployment.resolve(STATELESS, resource.Properties?.Roles ?? [])) as string[];
      const document = (await deployment.resolve(STATELESS, resource.Properties?.PolicyDocument)) as {
        Statement: PolicyStatement[];
      };
      for (const name of roles) {
        const roleArn = roleArnByName.get(name) ?? name;
        byRole.set(roleArn, [
          ...(byRole.get(roleArn) ?? []),
          ...document.Statement.map((st) => ({ ...st, policy: id })),
        ]);
      }
    }
    return byRole;
  };

  return {
    url,
    adminToken,
    moto,
    operator,
    clientConfig,
    stacks,
    assemblyDir,
    deployment,
    functions,
    pollers,
    logs,
    recorder,
    rolePolicies,
    queueUrl,
    until: async (check, timeoutMs, what) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await check()) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      await Promise.all([...pollers.values()].map((p) => p.stop()));
      await Promise.all([...functions.values()].map((f) => f.stop()));
      for (const c of [clients.dynamo, clients.sqs, clients.s3, sts]) c.destroy();
      await recorder.stop();
      await moto.stop();
      rmSync(assemblyDir, { recursive: true, force: true });
    },
  };
}
