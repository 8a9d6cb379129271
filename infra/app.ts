/**
 * CDK entry point (`cdk.json`: `node --import tsx infra/app.ts`). Synthesizes offline: without credentials the stacks
 * are account-agnostic; the CLI supplies CDK_DEFAULT_ACCOUNT/REGION when it has them.
 */
import { App } from "aws-cdk-lib";
import { defineGateway, gatewayOptionsFromContext } from "./gateway.js";

const app = new App();
defineGateway(app, {
  ...gatewayOptionsFromContext(app),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
