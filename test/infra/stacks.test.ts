import { Annotations, Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KMS_TAG_APP } from "../../functions/adapters/aws/kms-keys.js";
import { DELIVERY_SWEEP_EVENT } from "../../functions/core/deliveries/sweep.js";
import { REGISTRY_REFRESH_EVENT } from "../../functions/core/registry/refresh-event.js";
import { FAMILIES, type Family, headRouteKey, ROUTES, routeKey } from "../../functions/http/contract.js";
import { type BundleEntry, WORKERS } from "../../infra/bundling.js";
import {
  MAX_RECEIVE_COUNT,
  TABLE_ACTIONS,
  UPLOAD_EXPIRY_DAYS,
  VISIBILITY_TIMEOUT,
} from "../../infra/stateful-stack.js";
import { SIGNING_KEY_SPECS, WORKER_TIMEOUT } from "../../infra/stateless-stack.js";
import { APP_NAME, logicalIdOf, type SynthesizedGateway, synthGateway } from "./gateway-fixture.js";

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
}
interface TemplateJson {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const statementsOf = (policy: Resource | undefined): Statement[] =>
  (policy?.Properties?.PolicyDocument as { Statement?: Statement[] } | undefined)?.Statement ?? [];

let gw: SynthesizedGateway;

beforeAll(() => {
  gw = synthGateway();
});

afterAll(() => gw?.dispose());

/** The deployed function of an HTTP family or a worker. */
const functionOf = (entry: BundleEntry) =>
  (FAMILIES as readonly string[]).includes(entry)
    ? gw.stateless.functions[entry as Family]
    : gw.stateless.workers[entry as (typeof WORKERS)[number]];

/**
 * A function's permissions: the statements of the inline policies on its role, and of the stateful stack's managed
 * policies attached to it. A managed policy ARN arrives as a weak reference (`Fn::GetStackOutput`) to a stateful
 * output, whose value is a `Ref` to the policy.
 */
function permissionsOf(entry: BundleEntry): { inline: Statement[]; managed: Statement[]; managedPolicyIds: string[] } {
  const stateless = gw.templates.stateless.toJSON() as TemplateJson;
  const stateful = gw.templates.stateful.toJSON() as TemplateJson;
  const role = functionOf(entry).role;
  if (!role) throw new Error(`${entry} has no role`);
  const roleRef = JSON.stringify({ Ref: logicalIdOf(gw.stateless, role) });
  const inline = Object.values(stateless.Resources)
    .filter((r) => r.Type === "AWS::IAM::Policy")
    .filter((r) => ((r.Properties?.Roles ?? []) as unknown[]).some((ref) => JSON.stringify(ref) === roleRef))
    .flatMap(statementsOf);
  const roleResource = stateless.Resources[logicalIdOf(gw.stateless, role)];
  const managedRefs = (roleResource?.Properties?.ManagedPolicyArns ?? []) as {
    "Fn::GetStackOutput": { OutputName: string };
  }[];
  const managedPolicyIds = managedRefs.map((ref) => {
    const output = stateful.Outputs?.[ref["Fn::GetStackOutput"].OutputName];
    const id = (output?.Value as { Ref?: string } | undefined)?.Ref;
    if (!id) throw new Error(`no managed policy behind ${JSON.stringify(ref)}`);
    return id;
  });
  const managed = managedPolicyIds.flatMap((id) => statementsOf(stateful.Resources[id]));
  return { inline, managed, managedPolicyIds };
}

describe("both stacks", () => {
  it("synthesize with no error or warning annotation (cdk-nag 3 reports through validation-report.json instead)", () => {
    for (const stack of [gw.stateful, gw.stateless]) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).toEqual([]);
      expect(annotations.findError("*", Match.anyValue())).toEqual([]);
      expect(annotations.findWarning("*", Match.anyValue())).toEqual([]);
    }
  });
});

describe("stateful stack", () => {
  it("keeps the table on pk/sk with gsi1, on demand, with PITR, TTL, encryption and deletion protection", () => {
    // Prepare
    const template = gw.templates.stateful;

    // Act
    const tables = template.findResources("AWS::DynamoDB::GlobalTable");

    // Assess
    expect(Object.keys(tables)).toHaveLength(1);
    template.hasResource("AWS::DynamoDB::GlobalTable", {
      DeletionPolicy: "Retain",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: "gsi1",
            KeySchema: [
              { AttributeName: "gsi1pk", KeyType: "HASH" },
              { AttributeName: "gsi1sk", KeyType: "RANGE" },
            ],
          }),
        ],
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        SSESpecification: { SSEEnabled: true },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      },
    });
  });

  it("gives each work queue a dead-letter queue after five receives, all TLS-only and encrypted", () => {
    // Prepare
    const { stateful } = gw;
    const template = gw.templates.stateful;

    // Act
    const pairs = [
      [stateful.jobsQueue, stateful.deadLetterQueues.jobs],
      [stateful.deliveriesQueue, stateful.deadLetterQueues.deliveries],
    ] as const;

    // Assess
    for (const [queue, dlq] of pairs) {
      const queues = template.toJSON().Resources as TemplateJson["Resources"];
      expect(queues[logicalIdOf(stateful, queue)]?.Properties?.RedrivePolicy).toEqual({
        deadLetterTargetArn: { "Fn::GetAtt": [logicalIdOf(stateful, dlq), "Arn"] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      });
    }
    expect(MAX_RECEIVE_COUNT).toBe(5);
    template.resourcePropertiesCountIs("AWS::SQS::Queue", { SqsManagedSseEnabled: true }, 4);
    template.resourcePropertiesCountIs(
      "AWS::SQS::QueuePolicy",
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      },
      4,
    );
  });

  it("raises an alarm as soon as a message is visible in either dead-letter queue", () => {
    // Prepare
    const { stateful } = gw;

    // Act
    const alarms = gw.templates.stateful.findResources("AWS::CloudWatch::Alarm");

    // Assess
    expect(Object.keys(alarms)).toHaveLength(2);
    for (const dlq of Object.values(stateful.deadLetterQueues)) {
      gw.templates.stateful.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalIdOf(stateful, dlq), "QueueName"] } }],
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 0,
      });
    }
  });

  it("keeps bulk uploads private, TLS-only, encrypted, logged and expiring", () => {
    // Prepare
    const { stateful } = gw;
    const bucketId = logicalIdOf(stateful, stateful.uploadsBucket);

    // Act
    const bucket = (gw.templates.stateful.toJSON().Resources as TemplateJson["Resources"])[bucketId];

    // Assess
    expect(bucket?.DeletionPolicy).toBe("Retain");
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogsBucket/) } },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: UPLOAD_EXPIRY_DAYS, Status: "Enabled" })],
      },
    });
    gw.templates.stateful.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("stateless stack", () => {
  it("has one API route per contract route, each sent to its family's function", () => {
    // Prepare
    const resources = gw.templates.stateless.toJSON().Resources as TemplateJson["Resources"];
    const routes = Object.values(resources).filter((r) => r.Type === "AWS::ApiGatewayV2::Route");

    // Act
    const targetOf = (key: string): string | undefined => {
      const route = routes.find((r) => r.Properties?.RouteKey === key);
      const target = route?.Properties?.Target as { "Fn::Join": [string, unknown[]] } | undefined;
      const integrationRef = target?.["Fn::Join"][1][1] as { Ref: string } | undefined;
      const uri = resources[integrationRef?.Ref ?? ""]?.Properties?.IntegrationUri as { "Fn::GetAtt": string[] };
      return uri?.["Fn::GetAtt"][0];
    };

    // Assess
    // Every contract route, a HEAD route per GET route, plus `$default` (unmatched requests) on the meta function.
    const gets = ROUTES.filter((r) => r.method === "GET");
    expect(routes).toHaveLength(ROUTES.length + gets.length + 1);
    for (const route of gets) {
      expect(targetOf(headRouteKey(route)), headRouteKey(route)).toBe(
        logicalIdOf(gw.stateless, gw.stateless.functions[route.family]),
      );
    }
    expect(targetOf("$default")).toBe(logicalIdOf(gw.stateless, gw.stateless.functions.meta));
    for (const route of ROUTES) {
      expect(targetOf(routeKey(route)), routeKey(route)).toBe(
        logicalIdOf(gw.stateless, gw.stateless.functions[route.family]),
      );
    }
  });

  it("runs every family on Node 24, arm64, 1024 MB, with the gateway's configuration", () => {
    // Prepare
    const template = gw.templates.stateless;

    // Act
    const functions = template.findResources("AWS::Lambda::Function");

    // Assess
    expect(Object.keys(functions)).toHaveLength(FAMILIES.length + WORKERS.length);
    for (const family of FAMILIES) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        MemorySize: 1024,
        Handler: "index.handler",
        Timeout: Match.anyValue(),
        LoggingConfig: {
          LogGroup: { Ref: Match.stringLikeRegexp(`^${family[0]?.toUpperCase()}${family.slice(1)}Logs`) },
        },
        Environment: {
          Variables: Match.objectLike({
            GATEWAY_MODE: "aws",
            GATEWAY_APP_NAME: APP_NAME,
            GATEWAY_PUBLIC_URL: { "Fn::GetAtt": [logicalIdOf(gw.stateless, gw.stateless.api), "ApiEndpoint"] },
            GATEWAY_ADMIN_TOKEN_SHA256: { Ref: "AdminTokenSha256" },
            GATEWAY_TABLE_NAME: Match.anyValue(),
            GATEWAY_JOBS_QUEUE_URL: Match.anyValue(),
            GATEWAY_DELIVERIES_QUEUE_URL: Match.anyValue(),
            GATEWAY_UPLOADS_BUCKET: Match.anyValue(),
            POWERTOOLS_SERVICE_NAME: `${APP_NAME}-${family}`,
            POWERTOOLS_METRICS_NAMESPACE: APP_NAME,
            POWERTOOLS_LOG_LEVEL: "INFO",
          }),
        },
      });
    }
    // HTTP functions answer before API Gateway's 30 s integration timeout.
    const resources = template.toJSON().Resources as TemplateJson["Resources"];
    for (const family of FAMILIES) {
      const fn = resources[logicalIdOf(gw.stateless, gw.stateless.functions[family])];
      expect(fn?.Properties?.Timeout as number, family).toBeLessThan(30);
    }
    // One log group per function, and the API's access logs.
    template.resourcePropertiesCountIs(
      "AWS::Logs::LogGroup",
      { RetentionInDays: 30 },
      FAMILIES.length + WORKERS.length + 1,
    );
  });

  it("takes the admin token hash from a NoEcho parameter", () => {
    gw.templates.stateless.hasParameter("AdminTokenSha256", { Type: "String", NoEcho: true });
  });

  it("logs every request of the stage", () => {
    gw.templates.stateless.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^ApiAccessLogs"), "Arn"] },
        Format: Match.stringLikeRegexp("\\$context\\.requestId"),
      },
    });
  });

  it("lets only the issuers family create KMS keys, and only tagged signing keys of the three specs", () => {
    // Prepare
    const createKey = (family: Family) =>
      permissionsOf(family).inline.filter((s) => actionsOf(s).includes("kms:CreateKey"));

    // Act
    const issuers = createKey("issuers");

    // Assess
    expect(issuers).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Resource: "*",
        Condition: {
          StringEquals: {
            [`aws:RequestTag/${KMS_TAG_APP}`]: APP_NAME,
            "kms:KeySpec": [...SIGNING_KEY_SPECS],
            "kms:KeyUsage": "SIGN_VERIFY",
          },
          "ForAllValues:StringEquals": { "aws:TagKeys": [KMS_TAG_APP, "edc-gateway:issuer"] },
        },
      }),
    ]);
    expect([...SIGNING_KEY_SPECS].sort()).toEqual(["ECC_NIST_EDWARDS25519", "ECC_NIST_P256", "RSA_2048"]);
    for (const family of FAMILIES.filter((f) => f !== "issuers")) expect(createKey(family), family).toEqual([]);
  });

  it("lets issuers, credentials, wallet (OpenID4VCI) and convert (attested conversion) sign only through the signer role", () => {
    // Prepare
    const signing = (family: Family) =>
      permissionsOf(family).inline.filter((s) =>
        actionsOf(s).some((a) => a === "kms:Sign" || a === "kms:GetPublicKey" || a.startsWith("sts:")),
      );
    const signerRole = gw.stateless.resolve(gw.stateless.signerRole.roleArn);

    // Act
    const byFamily = Object.fromEntries(FAMILIES.map((family) => [family, signing(family)]));

    // Assess
    for (const family of ["issuers", "credentials", "wallet", "convert"] as const) {
      expect(byFamily[family], family).toEqual([
        // Reading public keys and owner tags needs no tag condition: they are published, and tags take time to
        // apply after CreateKey. No kms:Sign: see test/infra/security.test.ts for the signer role.
        expect.objectContaining({
          Effect: "Allow",
          Action: ["kms:GetPublicKey", "kms:ListResourceTags"],
          Resource: expect.objectContaining({ "Fn::Join": expect.anything() }),
        }),
        expect.objectContaining({
          Effect: "Allow",
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Resource: signerRole,
        }),
      ]);
      expect(byFamily[family]?.[0]).not.toHaveProperty("Condition");
    }
    for (const family of ["meta", "jobs"] as const) expect(byFamily[family], family).toEqual([]);
  });

  it("gives KMS tagging to the issuers family only, for the app's tag", () => {
    const tagging = (family: Family) =>
      permissionsOf(family).inline.filter((s) => actionsOf(s).includes("kms:TagResource"));
    expect(tagging("issuers")).toEqual([
      expect.objectContaining({
        Condition: expect.objectContaining({ StringEquals: { [`aws:RequestTag/${KMS_TAG_APP}`]: APP_NAME } }),
      }),
    ]);
    for (const family of FAMILIES.filter((f) => f !== "issuers")) expect(tagging(family), family).toEqual([]);
  });

  it("gives meta no data access at all", () => {
    for (const family of ["meta"] as const) {
      const { inline, managed } = permissionsOf(family);
      const actions = [...inline, ...managed].flatMap(actionsOf);
      expect(
        actions.filter((a) => !a.startsWith("logs:")),
        family,
      ).toEqual([]);
    }
  });

  it("grants table, queue and bucket access only to the families that use them", () => {
    // Prepare
    const { access } = gw.stateful;
    const expected: Record<Family, unknown[]> = {
      meta: [],
      // The quality-assurance registry and the token records of attested conversion (issue 12).
      convert: [access.tableReadWrite],
      issuers: [access.tableReadWrite],
      credentials: [access.tableReadWrite],
      jobs: [access.tableReadWrite, access.jobsSend, access.uploadsReadWrite],
      wallet: [access.tableReadWrite, access.deliveriesSend],
    };

    // Act
    const attached = Object.fromEntries(FAMILIES.map((f) => [f, permissionsOf(f).managedPolicyIds.sort()]));

    // Assess
    for (const family of FAMILIES) {
      const ids = (expected[family] as { node: { defaultChild?: unknown } }[]).map((p) => logicalIdOf(gw.stateful, p));
      expect(attached[family], family).toEqual(ids.sort());
    }
    const dynamoActions = (family: Family) =>
      permissionsOf(family)
        .managed.flatMap(actionsOf)
        .filter((a) => a.startsWith("dynamodb:"));
    expect(dynamoActions("issuers")).toEqual(
      expect.arrayContaining(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]),
    );
    expect(dynamoActions("issuers")).not.toContain("dynamodb:Scan");
  });
});

describe("registry refresh", () => {
  it("invokes the convert function once a day with the refresh event, and only from that rule", () => {
    // Prepare
    const template = gw.templates.stateless;
    const convertId = logicalIdOf(gw.stateless, gw.stateless.functions.convert);
    const ruleId = logicalIdOf(gw.stateless, gw.stateless.registryRefresh);

    // Act
    const rules = template.findResources("AWS::Events::Rule");
    const permissions = Object.values(template.findResources("AWS::Lambda::Permission")).filter(
      (p) => (p as { Properties: { Principal?: string } }).Properties.Principal === "events.amazonaws.com",
    );

    // Assess
    expect(Object.keys(rules).sort()).toEqual([ruleId, logicalIdOf(gw.stateless, gw.stateless.deliverySweep)].sort());
    const rule = rules[ruleId] as {
      Properties: { ScheduleExpression: string; Targets: { Arn: unknown; Input: string }[] };
    };
    expect(rule.Properties.ScheduleExpression).toBe("cron(30 3 * * ? *)");
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { "Fn::GetAtt": [convertId, "Arn"] },
        Input: JSON.stringify(REGISTRY_REFRESH_EVENT),
      }),
    ]);
    const ofConvert = permissions.filter(
      (p) =>
        JSON.stringify((p as { Properties: { FunctionName?: unknown } }).Properties.FunctionName) ===
        JSON.stringify({ "Fn::GetAtt": [convertId, "Arn"] }),
    );
    expect(ofConvert).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Action: "lambda:InvokeFunction",
          FunctionName: { "Fn::GetAtt": [convertId, "Arn"] },
          SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
        }),
      }),
    ]);
  });

  it("gives the DEQAR token to the convert function only, from a NoEcho parameter", () => {
    const parameters = gw.templates.stateless.toJSON().Parameters as Record<string, { NoEcho?: boolean }>;
    expect(parameters.DeqarApiToken?.NoEcho).toBe(true);
    const withToken = Object.entries(gw.templates.stateless.findResources("AWS::Lambda::Function")).filter(([, f]) =>
      JSON.stringify(f).includes("GATEWAY_DEQAR_API_TOKEN"),
    );
    expect(withToken.map(([id]) => id)).toEqual([logicalIdOf(gw.stateless, gw.stateless.functions.convert)]);
  });
});

describe("jobs worker", () => {
  const worker = () => gw.stateless.workers["jobs-worker"];
  const resources = () => gw.templates.stateless.toJSON().Resources as TemplateJson["Resources"];

  it("runs on Node 24, arm64, for up to 60 s, with the gateway's configuration", () => {
    // Act
    const fn = resources()[logicalIdOf(gw.stateless, worker())];

    // Assess
    expect(fn?.Type).toBe("AWS::Lambda::Function");
    expect(fn?.Properties).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      Timeout: 60,
      LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/^JobsWorkerLogs/) } },
    });
    const variablesOf = (r: Resource | undefined) =>
      (r?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const variables = variablesOf(fn) ?? {};
    const metaVariables = variablesOf(resources()[logicalIdOf(gw.stateless, gw.stateless.functions.meta)]);
    // The same GATEWAY_* (and Powertools) environment as the HTTP functions, under its own service name, plus the
    // signer role it assumes to sign (meta does not sign).
    expect(variables).toEqual({
      ...metaVariables,
      POWERTOOLS_SERVICE_NAME: `${APP_NAME}-jobs-worker`,
      GATEWAY_SIGNER_ROLE_ARN: gw.stateless.resolve(gw.stateless.signerRole.roleArn),
    });
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(["GATEWAY_TABLE_NAME", "GATEWAY_JOBS_QUEUE_URL"]));
  });

  it("is invoked by the jobs queue, one chunk at a time, reporting failed chunks individually", () => {
    // Prepare
    const stateless = gw.templates.stateless.toJSON() as TemplateJson;
    const stateful = gw.templates.stateful.toJSON() as TemplateJson;

    // Act
    const mappings = Object.values(stateless.Resources).filter(
      (r) =>
        r.Type === "AWS::Lambda::EventSourceMapping" &&
        JSON.stringify(r.Properties?.FunctionName) === JSON.stringify({ Ref: logicalIdOf(gw.stateless, worker()) }),
    );

    // Assess
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]?.Properties ?? {};
    expect(mapping).toMatchObject({
      FunctionName: { Ref: logicalIdOf(gw.stateless, worker()) },
      BatchSize: 1,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    // The queue ARN arrives as a weak reference to a stateful output: `Fn::GetAtt` of the jobs queue's Arn.
    const outputName = (mapping.EventSourceArn as { "Fn::GetStackOutput": { OutputName: string } })[
      "Fn::GetStackOutput"
    ].OutputName;
    expect(stateful.Outputs?.[outputName]?.Value).toEqual({
      "Fn::GetAtt": [logicalIdOf(gw.stateful, gw.stateful.jobsQueue), "Arn"],
    });
  });

  it("leaves a chunk invisible for at least six times the worker's timeout, as AWS advises", () => {
    // Prepare
    const queues = gw.templates.stateful.toJSON().Resources as TemplateJson["Resources"];
    const fn = resources()[logicalIdOf(gw.stateless, worker())];

    // Act
    const visibility = queues[logicalIdOf(gw.stateful, gw.stateful.jobsQueue)]?.Properties?.VisibilityTimeout;

    // Assess
    expect(visibility).toBe(VISIBILITY_TIMEOUT.toSeconds());
    expect(fn?.Properties?.Timeout).toBe(WORKER_TIMEOUT.toSeconds());
    expect(visibility as number).toBeGreaterThanOrEqual(6 * (fn?.Properties?.Timeout as number));
  });

  it("may use the table and uploads, sign with the app's keys, consume and feed the jobs queue, queue deliveries, and nothing else", () => {
    // Prepare
    const { access } = gw.stateful;
    const jobsQueueArn = gw.stateless.resolve(gw.stateful.jobsQueue.queueArn);

    // Act
    const { inline, managed, managedPolicyIds } = permissionsOf("jobs-worker");

    // Assess
    // It reads uploaded inputs into chunks: get and delete uploads, send chunks to the jobs queue.
    // Registry batches that deliver (issue 12) queue wallet deliveries: send to the deliveries queue.
    expect(managedPolicyIds.sort()).toEqual(
      [access.tableReadWrite, access.jobsSend, access.uploadsReadDelete, access.deliveriesSend]
        .map((p) => logicalIdOf(gw.stateful, p))
        .sort(),
    );
    expect(managed.flatMap(actionsOf).sort()).toEqual(
      [
        ...TABLE_ACTIONS,
        "s3:GetObject",
        "s3:DeleteObject",
        "sqs:SendMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:SendMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
      ].sort(),
    );
    const byAction = (prefix: string) => inline.filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));
    expect(byAction("kms:")).toEqual([
      expect.objectContaining({ Effect: "Allow", Action: ["kms:GetPublicKey", "kms:ListResourceTags"] }),
    ]);
    expect(byAction("sts:")).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Resource: gw.stateless.resolve(gw.stateless.signerRole.roleArn),
      }),
    ]);
    const sqs = byAction("sqs:");
    expect(sqs).toHaveLength(1);
    expect(actionsOf(sqs[0] as Statement).sort()).toEqual([
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
    ]);
    expect(sqs[0]?.Resource).toEqual(jobsQueueArn);
    // Beyond that: its own log group, and no other service (no KMS key management).
    const others = inline
      .flatMap(actionsOf)
      .filter((a) => !a.startsWith("logs:") && !a.startsWith("sqs:") && !a.startsWith("kms:") && !a.startsWith("sts:"));
    expect(others).toEqual([]);
    expect(inline.flatMap(actionsOf).filter((a) => a.startsWith("kms:"))).toEqual([
      "kms:GetPublicKey",
      "kms:ListResourceTags",
    ]);
  });
});

describe("gateway options", () => {
  it("uses the publicUrl context as GATEWAY_PUBLIC_URL and lets its pages PUT uploads", () => {
    // Prepare
    const publicUrl = "https://credentials.example.eu";

    // Act
    const custom = synthGateway({ gateway: { publicUrl: `${publicUrl}/` } });

    // Assess
    try {
      custom.templates.stateless.allResourcesProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ GATEWAY_PUBLIC_URL: publicUrl }) },
      });
      custom.templates.stateful.hasResourceProperties("AWS::S3::Bucket", {
        CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ["PUT"], AllowedOrigins: [publicUrl] })] },
      });
    } finally {
      custom.dispose();
    }
  });

  it("refuses a public URL with a path, which did:web cannot map", () => {
    expect(() => synthGateway({ gateway: { publicUrl: "https://example.eu/gateway" } })).toThrow(/without a path/);
  });
});

describe("deliveries worker", () => {
  const worker = () => gw.stateless.workers["deliveries-worker"];

  it("is invoked by the deliveries queue, ten attempts at a time, reporting failed ones individually", () => {
    // Prepare
    const stateless = gw.templates.stateless.toJSON() as TemplateJson;
    const stateful = gw.templates.stateful.toJSON() as TemplateJson;

    // Act
    const mappings = Object.values(stateless.Resources).filter(
      (r) =>
        r.Type === "AWS::Lambda::EventSourceMapping" &&
        JSON.stringify(r.Properties?.FunctionName) === JSON.stringify({ Ref: logicalIdOf(gw.stateless, worker()) }),
    );

    // Assess
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]?.Properties ?? {};
    expect(mapping).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] });
    const outputName = (mapping.EventSourceArn as { "Fn::GetStackOutput": { OutputName: string } })[
      "Fn::GetStackOutput"
    ].OutputName;
    expect(stateful.Outputs?.[outputName]?.Value).toEqual({
      "Fn::GetAtt": [logicalIdOf(gw.stateful, gw.stateful.deliveriesQueue), "Arn"],
    });
  });

  it("knows the deliveries dead-letter queue and a lease shorter than the queue's visibility timeout", () => {
    // Prepare
    const resources = gw.templates.stateless.toJSON().Resources as TemplateJson["Resources"];
    const queues = gw.templates.stateful.toJSON().Resources as TemplateJson["Resources"];

    // Act
    const fn = resources[logicalIdOf(gw.stateless, worker())];
    const variables = (fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const visibility = queues[logicalIdOf(gw.stateful, gw.stateful.deliveriesQueue)]?.Properties?.VisibilityTimeout;

    // Assess
    expect(variables?.GATEWAY_DELIVERIES_DLQ_URL).toBeDefined();
    expect(fn?.Properties?.Timeout).toBe(WORKER_TIMEOUT.toSeconds());
    // An attempt's lease (wallet timeout, at most 50 s, plus 5 s) ends before SQS would hand its message out again.
    expect(visibility as number).toBeGreaterThan(55);
  });

  it("may use the table and send to the deliveries queue and its dead-letter queue, never sign, nothing else", () => {
    // Prepare
    const { access } = gw.stateful;

    // Act
    const { inline, managedPolicyIds } = permissionsOf("deliveries-worker");

    // Assess
    expect(managedPolicyIds.sort()).toEqual(
      [access.tableReadWrite, access.deliveriesSend, access.deliveriesDeadLetterSend]
        .map((p) => logicalIdOf(gw.stateful, p))
        .sort(),
    );
    expect(JSON.stringify(inline)).not.toMatch(/kms:/);
  });

  it("is sent the sweep event every 15 minutes by one rule, the only rule that may invoke it", () => {
    // Prepare
    const template = gw.templates.stateless;
    const workerId = logicalIdOf(gw.stateless, worker());
    const ruleId = logicalIdOf(gw.stateless, gw.stateless.deliverySweep);

    // Act
    const rules = template.findResources("AWS::Events::Rule");
    const invokers = Object.values(template.findResources("AWS::Lambda::Permission")).filter(
      (p) =>
        JSON.stringify((p as { Properties: { FunctionName?: unknown } }).Properties.FunctionName) ===
        JSON.stringify({ "Fn::GetAtt": [workerId, "Arn"] }),
    );

    // Assess
    const rule = rules[ruleId] as {
      Properties: { ScheduleExpression: string; State?: string; Targets: { Arn: unknown; Input: string }[] };
    };
    expect(rule.Properties.ScheduleExpression).toBe("rate(15 minutes)");
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { "Fn::GetAtt": [workerId, "Arn"] },
        Input: JSON.stringify(DELIVERY_SWEEP_EVENT),
      }),
    ]);
    expect(invokers).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Action: "lambda:InvokeFunction",
          Principal: "events.amazonaws.com",
          SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
        }),
      }),
    ]);
  });

  it("may scan the table for the sweep (the table itself, no index), and is the only function that may", () => {
    // Act
    const scans = Object.fromEntries(
      [...FAMILIES, ...WORKERS].map((entry) => {
        const { inline, managed } = permissionsOf(entry);
        return [entry, [...inline, ...managed].filter((s) => actionsOf(s).includes("dynamodb:Scan"))];
      }),
    );

    // Assess
    for (const [entry, statements] of Object.entries(scans)) {
      if (entry !== "deliveries-worker") expect(statements, entry).toEqual([]);
    }
    expect(scans["deliveries-worker"]).toEqual([
      expect.objectContaining({ Sid: "ScanPendingDeliveries", Action: "dynamodb:Scan", Effect: "Allow" }),
    ]);
    expect(JSON.stringify(scans["deliveries-worker"]?.[0]?.Resource)).not.toContain("index");
  });
});
