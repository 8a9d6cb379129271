/**
 * Assembles the gateway into a CDK app: the stateful and stateless stacks, the app tag, and the cdk-nag
 * AwsSolutions checks. Shared by `infra/app.ts` (the CLI entry) and `test/infra`, so the tests check what deploys.
 */
import { type App, type Environment, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { KMS_TAG_APP } from "../functions/adapters/aws/kms-keys.js";
import { StatefulStack } from "./stateful-stack.js";
import { StatelessStack } from "./stateless-stack.js";

export interface GatewayOptions {
  /** Names the deployment: stack names, GATEWAY_APP_NAME, the `edc-gateway:app` tag scoping its KMS keys. */
  appName: string;
  /** Public base URL when the API sits behind a custom domain; default the API's execute-api endpoint. */
  publicUrl?: string;
  logLevel?: string;
  /** An existing SNS topic for the alarms; default a topic the stateful stack creates. */
  alarmTopicArn?: string;
  /** Subscribed by email to the created alarm topic. */
  alarmEmail?: string;
  /** Base URL of the Europass wallet API deliveries and imports use (GATEWAY_WALLET_URL); none: both are refused. */
  walletUrl?: string;
  env?: Environment;
}

export interface Gateway {
  stateful: StatefulStack;
  stateless: StatelessStack;
}

const APP_NAME = /^[a-z][a-z0-9-]{0,39}$/;

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new Error(`context "${key}" must be a string`);
  return value;
}

/** Reads the options from CDK context (`cdk.json` or `-c key=value`): appName, publicUrl, logLevel, alarmTopicArn, alarmEmail, walletUrl. */
export function gatewayOptionsFromContext(app: App): GatewayOptions {
  return {
    appName: contextString(app, "appName") ?? "edc-gateway",
    publicUrl: contextString(app, "publicUrl"),
    logLevel: contextString(app, "logLevel"),
    alarmTopicArn: contextString(app, "alarmTopicArn"),
    alarmEmail: contextString(app, "alarmEmail"),
    walletUrl: contextString(app, "walletUrl"),
  };
}

/** Adds both stacks to `app` and applies the AwsSolutions checks to everything in it. */
export function defineGateway(app: App, options: GatewayOptions): Gateway {
  const { appName } = options;
  if (!APP_NAME.test(appName)) throw new Error(`appName must match ${APP_NAME}, got "${appName}"`);
  const publicUrl = options.publicUrl?.replace(/\/+$/, "");
  if (publicUrl !== undefined) {
    const url = new URL(publicUrl);
    if (url.protocol !== "https:" || url.pathname !== "/") {
      throw new Error(`publicUrl must be an https origin without a path (did:web), got "${publicUrl}"`);
    }
  }

  const stateful = new StatefulStack(app, "EdcGatewayStateful", {
    stackName: `${appName}-stateful`,
    description: "EDC gateway: table, queues, upload bucket (retained)",
    env: options.env,
    uploadCorsOrigins: publicUrl ? [publicUrl] : undefined,
    alarmTopicArn: options.alarmTopicArn,
    alarmEmail: options.alarmEmail,
  });
  const stateless = new StatelessStack(app, "EdcGatewayStateless", {
    stackName: `${appName}-stateless`,
    description: "EDC gateway: HTTP API and functions",
    env: options.env,
    appName,
    publicUrl,
    logLevel: options.logLevel,
    table: stateful.table,
    jobsQueue: stateful.jobsQueue,
    deliveriesQueue: stateful.deliveriesQueue,
    deliveriesDeadLetterQueue: stateful.deadLetterQueues.deliveries,
    walletUrl: options.walletUrl,
    uploadsBucket: stateful.uploadsBucket,
    access: stateful.access,
  });

  Tags.of(app).add(KMS_TAG_APP, appName);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stateful, stateless };
}
