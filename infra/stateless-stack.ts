/**
 * The stateless half of the gateway: the HTTP API, one Lambda function per route family, and the workers that queues
 * invoke (the bulk-job worker on the jobs queue). It can be destroyed and
 * redeployed at will; the data lives in the stateful stack, whose resources arrive as props.
 *
 * Functions are `lambda.Function`s whose code is bundled at synth (`lambdaCode` in `infra/bundling.ts`: esbuild with
 * code splitting, which `NodejsFunction` cannot do), rather than `Code.fromAsset(dist/...)`: `cdk deploy` can never ship
 * a stale or missing `dist/`, and the asset hash follows the bundled output. `scripts/build.ts` runs the same options
 * through the esbuild API to report sizes.
 */
import { Aws, CfnOutput, CfnParameter, Duration, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Rule, RuleTargetInput, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import {
  ArnPrincipal,
  CompositePrincipal,
  PolicyStatement,
  PrincipalWithConditions,
  Role,
  ServicePrincipal,
  SessionTagsPrincipal,
} from "aws-cdk-lib/aws-iam";
import { Architecture, Function as LambdaFunctionConstruct, Runtime } from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { KMS_TAG_APP, KMS_TAG_ISSUER } from "../functions/adapters/aws/kms-keys.js";
import { DELIVERY_SWEEP_EVENT, DELIVERY_SWEEP_RATE_MINUTES } from "../functions/core/deliveries/sweep.js";
import { REGISTRY_REFRESH_EVENT } from "../functions/core/registry/refresh-event.js";
import { FAMILIES, type Family, ROUTES, routeKey } from "../functions/http/contract.js";
import { type BundleEntry, lambdaCode, WORKERS, type WorkerName } from "./bundling.js";
import { sameIssuerCondition, signingKeyPolicy } from "./kms-policy.js";
import type { DataAccessPolicies } from "./stateful-stack.js";
import { type ApiThrottling, DEFAULT_THROTTLING, isThrottledPublicRoute } from "./throttling.js";

/** KMS key specs the gateway signs with (see `KEY_SPEC` in the KMS adapter). */
export const SIGNING_KEY_SPECS = ["ECC_NIST_EDWARDS25519", "ECC_NIST_P256", "RSA_2048"] as const;

/** What each function may touch. Permissions are granted from these tables and nothing else. */
interface FunctionAccess {
  /** Data access policies of the stateful stack to attach to the function's role. */
  data: readonly (keyof DataAccessPolicies)[];
  /** Read the app's KMS public keys and sign by assuming the signer role per issuer (never with its own role). */
  kmsSign: boolean;
  /** Create (and tag) the app's KMS signing keys. */
  kmsCreate: boolean;
  timeout: Duration;
}

/**
 * Timeouts stay under API Gateway's 30 s integration limit, so a slow request ends with the function's own problem
 * response rather than a bare 503 from the gateway.
 */
const HTTP_TIMEOUT = Duration.seconds(29);

export const FAMILY_ACCESS = {
  meta: { data: [], kmsSign: false, kmsCreate: false, timeout: Duration.seconds(10) },
  // The registry (check, match, imports), token records (attested conversion) and the bridge issuer's keys.
  convert: { data: ["tableReadWrite"], kmsSign: true, kmsCreate: false, timeout: HTTP_TIMEOUT },
  issuers: { data: ["tableReadWrite"], kmsSign: true, kmsCreate: true, timeout: HTTP_TIMEOUT },
  credentials: { data: ["tableReadWrite"], kmsSign: true, kmsCreate: false, timeout: HTTP_TIMEOUT },
  jobs: {
    data: ["tableReadWrite", "jobsSend", "uploadsReadWrite"],
    kmsSign: false,
    kmsCreate: false,
    timeout: HTTP_TIMEOUT,
  },
  // Signs: the OpenID4VCI credential endpoint issues the offered credential with the issuer's keys.
  wallet: { data: ["tableReadWrite", "deliveriesSend"], kmsSign: true, kmsCreate: false, timeout: HTTP_TIMEOUT },
} as const satisfies Record<Family, FunctionAccess>;

/**
 * Timeout of the queue workers. A jobs chunk is 50 rows, each signed with KMS and written to the table. SQS event
 * sources need the queue's visibility timeout to be at least six times the function's: the stateful stack's six
 * minutes (`VISIBILITY_TIMEOUT`) allow up to 60 s; a test holds the two together.
 */
export const WORKER_TIMEOUT = Duration.seconds(60);

/**
 * Messages per invocation of the jobs worker. One message is one chunk (50 rows), which is the unit of retry; more
 * than one per batch would only make one invocation's timeout cover several chunks.
 */
export const JOBS_WORKER_BATCH_SIZE = 1;

/**
 * Messages per invocation of the deliveries worker. One message is one deposit attempt, mostly spent waiting on the
 * wallet (at most GATEWAY_WALLET_TIMEOUT_MS, 10 s by default); the batch's attempts run concurrently, well within
 * {@link WORKER_TIMEOUT}, and each failure is reported on its own.
 */
export const DELIVERIES_WORKER_BATCH_SIZE = 10;

/**
 * What each worker may touch. Consuming its queue is granted by its event source (receive, delete, change visibility,
 * read attributes, on that queue only). The jobs worker issues each row as the credentials family does: it reads and
 * writes the table and signs with the app's keys. It also reads an uploaded input into chunks (a large file takes
 * longer than an HTTP request may), so it may get and delete upload objects and send the chunks to the jobs queue.
 */
export const WORKER_ACCESS = {
  "jobs-worker": {
    // deliveriesSend: registry batches that deliver queue one wallet delivery per issued record.
    data: ["tableReadWrite", "jobsSend", "uploadsReadDelete", "deliveriesSend"],
    kmsSign: true,
    kmsCreate: false,
    timeout: WORKER_TIMEOUT,
  },
  // Reads and updates delivery items, queues the next attempt, dead-letters a delivery after its last; never signs.
  "deliveries-worker": {
    data: ["tableReadWrite", "deliveriesSend", "deliveriesDeadLetterSend"],
    kmsSign: false,
    kmsCreate: false,
    timeout: WORKER_TIMEOUT,
  },
} as const satisfies Record<WorkerName, FunctionAccess>;

/**
 * Every key the app's functions may use: KMS keys get ids at run time, so policies name `key/*` and narrow it by tag.
 * Built from pseudo parameters (not the stack's env) so the policy and its cdk-nag finding read the same everywhere.
 */
const ALL_KEYS_ARN = `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`;
const ALL_KEYS_FINDING = "Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*";

export interface StatelessStackProps extends StackProps {
  /** Value of GATEWAY_APP_NAME and of the `edc-gateway:app` tag that scopes KMS keys to this deployment. */
  appName: string;
  table: ITableV2;
  jobsQueue: IQueue;
  deliveriesQueue: IQueue;
  /** Where the deliveries worker sends a delivery after its last attempt (GATEWAY_DELIVERIES_DLQ_URL). */
  deliveriesDeadLetterQueue?: IQueue;
  /** The Europass wallet API's base URL (GATEWAY_WALLET_URL). Without it, deliveries and imports are refused. */
  walletUrl?: string;
  uploadsBucket: IBucket;
  /** The stateful stack's access policies; each family's role gets those {@link FAMILY_ACCESS} lists. */
  access: DataAccessPolicies;
  /** Public base URL (custom domain). Default: the API's own execute-api endpoint. */
  publicUrl?: string;
  /** Trusted issuer DIDs, key ids and `jkt:` thumbprints for the verify `trust` check (GATEWAY_TRUSTED_ISSUERS). */
  trustedIssuers?: string;
  /** POWERTOOLS_LOG_LEVEL. Default INFO. */
  logLevel?: string;
  /** Retention of function and access logs. Default one month. */
  logRetention?: RetentionDays;
  /** Stage and public-route throttling (requests per second). Default {@link DEFAULT_THROTTLING}. */
  throttling?: ApiThrottling;
}

/** `meta` → `Meta`, `jobs-worker` → `JobsWorker`: construct ids, and so logical ids, of an entry's resources. */
export const pascal = (s: string): string =>
  s
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<Family, LambdaFunctionConstruct>;
  /** The queue workers, each invoked by an SQS event source. */
  readonly workers: Record<WorkerName, LambdaFunctionConstruct>;
  /** The daily EventBridge rule that refreshes the quality-assurance registry from DEQAR. */
  readonly registryRefresh: Rule;
  /** The EventBridge rule that has the deliveries worker re-queue pending deliveries whose message was lost. */
  readonly deliverySweep: Rule;
  /** The only role that may sign with issuers' keys, assumed per issuer with a session tag. */
  readonly signerRole: Role;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const throttling = props.throttling ?? DEFAULT_THROTTLING;

    const adminTokenHash = new CfnParameter(this, "AdminTokenSha256", {
      type: "String",
      noEcho: true,
      allowedPattern: "^[0-9a-f]{64}$",
      constraintDescription: "64 lowercase hex characters",
      description: "Hex SHA-256 of the admin bearer token (never the token itself): GATEWAY_ADMIN_TOKEN_SHA256.",
    });

    this.api = new HttpApi(this, "Api", {
      apiName: props.appName,
      description: "EDC interoperability gateway: convert, sign, verify and deliver learning credentials",
      // The stage is created below, with access logging, which the default stage cannot have.
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, "ApiAccessLogs", { retention: logRetention });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      // HTTP APIs have no usage plans or API keys (REST APIs do): the stage limit holds for all callers together, and
      // public routes that do real work get a tighter route limit below. Per-caller quotas are the gateway's own.
      throttle: { rateLimit: throttling.rateLimit, burstLimit: throttling.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            ip: "$context.identity.sourceIp",
            requestTime: "$context.requestTime",
            routeKey: "$context.routeKey",
            path: "$context.path",
            status: "$context.status",
            protocol: "$context.protocol",
            responseLength: "$context.responseLength",
            responseLatency: "$context.responseLatency",
            integrationLatency: "$context.integrationLatency",
            integrationError: "$context.integrationErrorMessage",
            userAgent: "$context.identity.userAgent",
          }),
        ),
      },
    });

    // The API resource depends on no function, so the functions may read its endpoint without a cycle.
    const publicUrl = props.publicUrl ?? this.api.apiEndpoint;
    const environment: Record<string, string> = {
      GATEWAY_MODE: "aws",
      GATEWAY_APP_NAME: props.appName,
      GATEWAY_PUBLIC_URL: publicUrl,
      GATEWAY_ADMIN_TOKEN_SHA256: adminTokenHash.valueAsString,
      // Every function gets every resource name: the composition root builds all ports at cold start. What a
      // function may do with them is decided by its role below.
      GATEWAY_TABLE_NAME: props.table.tableName,
      GATEWAY_JOBS_QUEUE_URL: props.jobsQueue.queueUrl,
      GATEWAY_DELIVERIES_QUEUE_URL: props.deliveriesQueue.queueUrl,
      ...(props.deliveriesDeadLetterQueue
        ? { GATEWAY_DELIVERIES_DLQ_URL: props.deliveriesDeadLetterQueue.queueUrl }
        : {}),
      ...(props.walletUrl ? { GATEWAY_WALLET_URL: props.walletUrl } : {}),
      ...(props.trustedIssuers ? { GATEWAY_TRUSTED_ISSUERS: props.trustedIssuers } : {}),
      GATEWAY_UPLOADS_BUCKET: props.uploadsBucket.bucketName,
      POWERTOOLS_METRICS_NAMESPACE: props.appName,
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? "INFO",
      // Stack traces through the minified bundle, mapped back to the TypeScript sources.
      NODE_OPTIONS: "--enable-source-maps",
    };

    const lambda = (entry: BundleEntry, description: string, access: FunctionAccess): LambdaFunctionConstruct => {
      const name = pascal(entry);
      const logGroup = new LogGroup(this, `${name}Logs`, { retention: logRetention });
      // An own role per function instead of AWSLambdaBasicExecutionRole: it may write only to its own log group.
      const role = new Role(this, `${name}Role`, {
        assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
        description: `EDC gateway ${entry} function`,
      });
      logGroup.grantWrite(role);
      const fn = new LambdaFunctionConstruct(this, `${name}Function`, {
        description,
        // The bundle directory (entry chunk index.mjs and its lazily loaded chunks), built at synth: infra/bundling.ts.
        code: lambdaCode(entry),
        handler: "index.handler",
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: 1024,
        timeout: access.timeout,
        role,
        logGroup,
        environment: { ...environment, POWERTOOLS_SERVICE_NAME: `${props.appName}-${entry}` },
      });
      this.grant(access, role, props);
      return fn;
    };

    const functions: Partial<Record<Family, LambdaFunctionConstruct>> = {};
    for (const family of FAMILIES) {
      functions[family] = lambda(family, `EDC gateway: ${family} routes`, FAMILY_ACCESS[family]);
    }
    this.functions = functions as Record<Family, LambdaFunctionConstruct>;

    const workerQueues: Record<WorkerName, { queue: IQueue; batchSize: number; description: string }> = {
      "jobs-worker": {
        queue: props.jobsQueue,
        batchSize: JOBS_WORKER_BATCH_SIZE,
        description: "EDC gateway: bulk job worker, one chunk of the jobs queue per invocation",
      },
      "deliveries-worker": {
        queue: props.deliveriesQueue,
        batchSize: DELIVERIES_WORKER_BATCH_SIZE,
        description: "EDC gateway: Europass wallet deliveries, one deposit attempt per message",
      },
    };
    const workers: Partial<Record<WorkerName, LambdaFunctionConstruct>> = {};
    for (const worker of WORKERS) {
      const { queue, batchSize, description } = workerQueues[worker];
      const fn = lambda(worker, description, WORKER_ACCESS[worker]);
      // The handler returns `batchItemFailures`: only the chunks it names come back, after the visibility timeout,
      // until the queue's redrive policy dead-letters them. The event source grants the role consuming this queue.
      fn.addEventSource(new SqsEventSource(queue, { batchSize, reportBatchItemFailures: true }));
      workers[worker] = fn;
    }
    this.workers = workers as Record<WorkerName, LambdaFunctionConstruct>;

    // Per-issuer signing (SECURITY.md, "Keys"): the signing functions assume the signer role with the session tag
    // edc-gateway:issuer=<slug>, and only such a session may sign, only with that issuer's keys.
    const signingFunctions = [
      ...FAMILIES.filter((f) => FAMILY_ACCESS[f].kmsSign).map((f) => this.functions[f]),
      ...WORKERS.filter((w) => WORKER_ACCESS[w].kmsSign).map((w) => this.workers[w]),
    ];
    const signers = signingFunctions.map((fn) => (fn.role as Role).roleArn);
    this.signerRole = this.signerRoleFor(signers, props.appName);
    for (const fn of signingFunctions) {
      (fn.role as Role).addToPrincipalPolicy(
        new PolicyStatement({
          sid: "AssumeSignerRolePerIssuer",
          actions: ["sts:AssumeRole", "sts:TagSession"],
          resources: [this.signerRole.roleArn],
        }),
      );
      fn.addEnvironment("GATEWAY_SIGNER_ROLE_ARN", this.signerRole.roleArn);
    }
    // Keys created at run time get a key policy that lets only the signer role sign (infra/kms-policy.ts).
    const keyPolicy = this.toJsonString(
      signingKeyPolicy({ signerRoleArn: this.signerRole.roleArn, functionRoleArns: signers, appName: props.appName }),
    );
    for (const family of FAMILIES) {
      if (FAMILY_ACCESS[family].kmsCreate) this.functions[family].addEnvironment("GATEWAY_KMS_KEY_POLICY", keyPolicy);
    }

    const publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const integrations = new Map<Family, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrations.get(route.family);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.family)}Integration`, this.functions[route.family]);
        integrations.set(route.family, integration);
      }
      const httpRoute = new HttpRoute(this, `Route${pascal(route.operationId)}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
      });
      // HEAD on every GET route, answered by the same function (HTTP APIs do not derive it from GET).
      if (route.method === "GET") {
        new HttpRoute(this, `Route${pascal(route.operationId)}Head`, {
          httpApi: this.api,
          routeKey: HttpRouteKey.with(route.path, HttpMethod.HEAD),
          integration,
        });
      }
      if (isThrottledPublicRoute(route)) {
        publicRouteSettings[routeKey(route)] = {
          ThrottlingRateLimit: throttling.publicRateLimit,
          ThrottlingBurstLimit: throttling.publicBurstLimit,
        };
        // A stage's route settings may only name routes that exist.
        this.stage.node.addDependency(httpRoute);
      }
    }

    (this.stage.node.defaultChild as CfnStage).routeSettings = publicRouteSettings;

    // Requests matching no route go to the meta function, which answers 404 problem+json as the local gateway does,
    // instead of API Gateway's own `{"message":"Not Found"}`.
    const metaIntegration =
      integrations.get("meta") ?? new HttpLambdaIntegration("MetaIntegration", this.functions.meta);
    new HttpRoute(this, "RouteDefault", {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: metaIntegration,
    });

    // The registry refresh: a daily EventBridge rule invokes the convert function (which serves the registry
    // routes and so already has exactly the access an import needs) with a constant event naming the refresh; only
    // this rule may invoke it that way (the permission names the rule's ARN).
    const deqarToken = new CfnParameter(this, "DeqarApiToken", {
      type: "String",
      noEcho: true,
      default: "",
      description: "DEQAR API token for the scheduled registry refresh (GATEWAY_DEQAR_API_TOKEN); empty: no refresh.",
    });
    const bridgeIssuer = new CfnParameter(this, "BridgeIssuer", {
      type: "String",
      default: "",
      description: "Slug or DID of the registered issuer that signs attested conversions (GATEWAY_BRIDGE_ISSUER).",
    });
    this.functions.convert.addEnvironment("GATEWAY_DEQAR_API_TOKEN", deqarToken.valueAsString);
    this.functions.convert.addEnvironment("GATEWAY_BRIDGE_ISSUER", bridgeIssuer.valueAsString);
    this.registryRefresh = new Rule(this, "RegistryRefreshSchedule", {
      description: "EDC gateway: refresh the quality-assurance registry from the DEQAR API once a day",
      schedule: Schedule.cron({ minute: "30", hour: "3" }),
      targets: [
        new LambdaFunction(this.functions.convert, {
          event: RuleTargetInput.fromObject(REGISTRY_REFRESH_EVENT),
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });

    // The delivery sweep (review fix): every few minutes a rule invokes the deliveries worker with a constant event;
    // it re-queues pending deliveries whose next attempt is long overdue (their queue message was lost). The worker
    // already reads and updates deliveries and sends to their queue; the sweep adds only Scan of the table (the
    // pending listing reads items, not an index: see delivery-store.ts), and only this rule may invoke it that way.
    const deliveriesWorker = this.workers["deliveries-worker"];
    (deliveriesWorker.role as Role).addToPrincipalPolicy(
      new PolicyStatement({
        sid: "ScanPendingDeliveries",
        actions: ["dynamodb:Scan"],
        resources: [props.table.tableArn],
      }),
    );
    this.deliverySweep = new Rule(this, "DeliverySweepSchedule", {
      description: "EDC gateway: re-queue pending wallet deliveries whose queue message was lost",
      schedule: Schedule.rate(Duration.minutes(DELIVERY_SWEEP_RATE_MINUTES)),
      targets: [
        new LambdaFunction(deliveriesWorker, {
          event: RuleTargetInput.fromObject(DELIVERY_SWEEP_EVENT),
          retryAttempts: 2,
          maxEventAge: Duration.minutes(DELIVERY_SWEEP_RATE_MINUTES),
        }),
      ],
    });

    Validations.of(this).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "Routes are authorized inside the functions: bearer tokens checked against hashed API tokens per route access " +
        "level (public/issuer/admin in functions/http/contract.ts), until an API Gateway authorizer replaces it.",
    });

    new CfnOutput(this, "ApiUrl", { value: this.stage.url, description: "Base URL of the gateway's HTTP API" });
    new CfnOutput(this, "PublicUrl", { value: publicUrl, description: "GATEWAY_PUBLIC_URL given to the functions" });
  }

  /** Grants one function exactly what its entry of {@link FAMILY_ACCESS} or {@link WORKER_ACCESS} lists. */
  private grant(access: FunctionAccess, role: Role, props: StatelessStackProps): void {
    for (const policy of access.data) role.addManagedPolicy(props.access[policy]);
    const appTag = { [`aws:RequestTag/${KMS_TAG_APP}`]: props.appName };
    const onlyGatewayTags = { "ForAllValues:StringEquals": { "aws:TagKeys": [KMS_TAG_APP, KMS_TAG_ISSUER] } };
    if (access.kmsCreate) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: "CreateAppSigningKeys",
          actions: ["kms:CreateKey"],
          resources: ["*"],
          conditions: {
            StringEquals: { ...appTag, "kms:KeySpec": [...SIGNING_KEY_SPECS], "kms:KeyUsage": "SIGN_VERIFY" },
            ...onlyGatewayTags,
          },
        }),
      );
      // CreateKey with Tags also needs kms:TagResource in an IAM policy covering every key of the account and region
      // (the key does not exist yet when it is checked), so it is scoped by the tags being written instead.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: "TagAppSigningKeys",
          actions: ["kms:TagResource"],
          resources: [ALL_KEYS_ARN],
          conditions: { StringEquals: appTag, ...onlyGatewayTags },
        }),
      );
      Validations.of(role).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "kms:CreateKey has no resource to scope to; it is allowed only with the app's request tag, the three " +
          "signing key specs and KeyUsage SIGN_VERIFY.",
      });
    }
    if (access.kmsSign) {
      // No kms:Sign here: signing goes through the signer role (signerRoleFor). Public keys are published anyway,
      // and the issuers function reads one right after CreateKey, when a tag condition may not hold yet (KMS
      // applies new tags to authorization within up to five minutes). A key's tags name its owner, which the
      // signer checks before it signs.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: "ReadPublicKeysAndOwners",
          actions: ["kms:GetPublicKey", "kms:ListResourceTags"],
          resources: [ALL_KEYS_ARN],
        }),
      );
    }
    if (access.kmsCreate || access.kmsSign) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[${ALL_KEYS_FINDING}]`,
        reason:
          "Issuer signing keys are created at run time, so their ids are unknown at deploy time: kms:TagResource on " +
          `key/* holds only for tag requests with ${KMS_TAG_APP}=<app name>; kms:GetPublicKey and ` +
          "kms:ListResourceTags read public keys and owner tags, which are not secret. Signing is the signer role's.",
      });
    }
  }

  /**
   * The signer role: assumable only by the signing functions' roles, only with exactly one session tag,
   * `edc-gateway:issuer` (non-empty), and allowed `kms:Sign` only on keys of this app whose issuer tag equals the
   * session's. The key policy (infra/kms-policy.ts) repeats the condition and denies signing to everyone else.
   */
  private signerRoleFor(functionRoleArns: string[], appName: string): Role {
    const callers = new CompositePrincipal(...functionRoleArns.map((arn) => new ArnPrincipal(arn)));
    const role = new Role(this, "SignerRole", {
      description: "EDC gateway: signs with one issuer's KMS keys, in a session tagged with that issuer",
      assumedBy: new PrincipalWithConditions(new SessionTagsPrincipal(callers), {
        StringLike: { [`aws:RequestTag/${KMS_TAG_ISSUER}`]: "?*" },
        "ForAllValues:StringEquals": { "aws:TagKeys": [KMS_TAG_ISSUER] },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "SignOnlyWithTheSessionIssuersKeys",
        actions: ["kms:Sign"],
        resources: [ALL_KEYS_ARN],
        conditions: sameIssuerCondition(appName),
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[${ALL_KEYS_FINDING}]`,
      reason:
        "Issuer signing keys are created at run time, so their ids are unknown at deploy time: kms:Sign on key/* " +
        `holds only for keys tagged ${KMS_TAG_APP}=<app name> and ${KMS_TAG_ISSUER} equal to the session's tag.`,
    });
    return role;
  }
}
