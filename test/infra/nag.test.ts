import { readFileSync } from "node:fs";
import path from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SynthesizedGateway, synthGateway } from "./gateway-fixture.js";

/**
 * cdk-nag 3 runs as a CDK policy-validation plugin: findings go to `validation-report.json` in the cloud assembly and
 * fail synthesis, not to stack annotations. So the checks below read the report and run the pack directly; the
 * annotation checks (stacks.test.ts) guard against CDK's own errors and warnings.
 */
interface ValidationReport {
  pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string; severity: string }[] }[];
}

let gw: SynthesizedGateway;

beforeAll(() => {
  // With aws-cdk-lib's CloudFormation validation too: its findings land in the same report.
  gw = synthGateway({ cfnValidation: true });
});

afterAll(() => gw?.dispose());

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

describe("cdk-nag AwsSolutions", () => {
  it("synthesizes with no unacknowledged finding from any validation plugin, errors or warnings", () => {
    // Act
    const report = JSON.parse(
      readFileSync(path.join(gw.assemblyDir, "validation-report.json"), "utf8"),
    ) as ValidationReport;

    // Assess
    const violations = report.pluginReports.flatMap((p) => p.violations.map((v) => `${p.pluginName}: ${v.ruleName}`));
    expect(violations).toEqual([]);
  });

  it("finds nothing when the pack is run over the whole app", () => {
    // Act
    const result = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(gw.app);

    // Assess
    expect(result.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
    expect(result.success).toBe(true);
  });

  it("is live: the same pack flags a queue without TLS enforcement or a dead-letter queue", () => {
    // Prepare
    const stack = new Stack(new App(), "Probe");
    new Queue(stack, "Plain");

    // Act
    const result = new AwsSolutionsChecks().validateScope(stack);

    // Assess
    expect(result.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4"]),
    );
  });

  it("gives every acknowledgment a specific reason", () => {
    // Act
    const acks = acknowledgments(gw.app);

    // Assess
    const ids = acks.map((a) =>
      a.id.replace(/^Annotation::/i, "").replace(/<UploadsBucket[0-9A-F]{8}\./, "<UploadsBucket."),
    );
    expect(ids.sort()).toEqual([
      "AwsSolutions-APIG4",
      "AwsSolutions-IAM5[Resource::*]",
      // The uploads bucket's objects: the jobs family (put, get, delete) and the jobs worker (get, delete).
      "AwsSolutions-IAM5[Resource::<UploadsBucket.Arn>/*]",
      "AwsSolutions-IAM5[Resource::<UploadsBucket.Arn>/*]",
      // One per role that reads keys (and assumes the signer role): the issuers, credentials, wallet (OpenID4VCI)
      // and convert (attested conversion) families, and the jobs worker; one for the signer role itself.
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
      "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
      "AwsSolutions-S1",
      // The alarm topic: CloudWatch cannot publish to a topic under the AWS managed SNS key.
      "AwsSolutions-SNS2",
    ]);
    for (const ack of acks) expect(ack.reason.length, ack.id).toBeGreaterThan(60);
  });
});
