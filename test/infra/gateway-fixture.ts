/**
 * Synthesizes the gateway exactly as `infra/app.ts` does (same builder, the feature flags of cdk.json), with bundling
 * skipped so tests take a second rather than bundling six functions. Each call gets its own output directory.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { App, CfnResource, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { PROJECT_ROOT } from "../../infra/bundling.js";
import { defineGateway, type Gateway, type GatewayOptions } from "../../infra/gateway.js";

export const APP_NAME = "edc-gateway";

export interface SynthesizedGateway extends Gateway {
  app: App;
  assemblyDir: string;
  templates: { stateful: Template; stateless: Template };
  /** Removes the output directory. */
  dispose(): void;
}

/** The `context` block of cdk.json: the feature flags the deployed app runs with. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "cdk.json"), "utf8")) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Builds and synthesizes the app. `cfnValidation` turns on aws-cdk-lib's built-in CloudFormation template validation
 * (about 2.5 s); the cdk-nag plugin runs either way, and synthesis throws on any unacknowledged finding.
 */
export function synthGateway(
  options: { cfnValidation?: boolean; gateway?: Partial<GatewayOptions> } = {},
): SynthesizedGateway {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "edc-gateway-cdk-"));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), "aws:cdk:bundling-stacks": [] },
    builtinCloudFormationValidation: options.cfnValidation ?? false,
  });
  let gateway: Gateway;
  let assemblyDir: string;
  try {
    gateway = defineGateway(app, { appName: APP_NAME, ...options.gateway });
    assemblyDir = app.synth().directory;
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...gateway,
    app,
    assemblyDir,
    templates: {
      stateful: Template.fromStack(gateway.stateful),
      stateless: Template.fromStack(gateway.stateless),
    },
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The template logical id of a construct's CloudFormation resource (its default child). */
export function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) throw new Error("construct has no CloudFormation resource");
  return stack.resolve(resource.logicalId) as string;
}
