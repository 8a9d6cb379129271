/**
 * The rehearsal's IAM check (test/support/rehearsal/recorder.ts) against AWS's documented authorization rules:
 * HeadObject needs s3:GetObject (S3 API reference), SQS batch actions need their single-message action (SQS
 * Developer Guide), TransactWriteItems is authorized per item as PutItem/UpdateItem/... (DynamoDB Developer Guide,
 * "Using IAM with DynamoDB transactions"), session tags need sts:TagSession (IAM User Guide).
 */
import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, REGION } from "../../../support/rehearsal/deployment.js";
import { callsOf, deniedCalls } from "../../../support/rehearsal/recorder.js";

const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/t`;

describe("callsOf", () => {
  it("derives actions the way IAM authorizes them", () => {
    expect(callsOf("s3", "HEAD", "/bucket/uploads/a.csv", {}, "")).toEqual([
      { action: "s3:GetObject", resource: "arn:aws:s3:::bucket/uploads/a.csv" },
    ]);
    const queue = `http://127.0.0.1:1/${ACCOUNT_ID}/jobs`;
    expect(
      callsOf(
        "sqs",
        "POST",
        "/",
        { "x-amz-target": "AmazonSQS.DeleteMessageBatch" },
        JSON.stringify({ QueueUrl: queue }),
      ),
    ).toEqual([{ action: "sqs:DeleteMessage", resource: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:jobs` }]);
    const transact = { TransactItems: [{ Put: { TableName: "t" } }, { ConditionCheck: { TableName: "t" } }] };
    expect(
      callsOf(
        "dynamodb",
        "POST",
        "/",
        { "x-amz-target": "DynamoDB_20120810.TransactWriteItems" },
        JSON.stringify(transact),
      ),
    ).toEqual([
      { action: "dynamodb:PutItem", resource: table },
      { action: "dynamodb:ConditionCheckItem", resource: table },
    ]);
    const role = "arn:aws:iam::123456789012:role/signer";
    const form = new URLSearchParams({ Action: "AssumeRole", RoleArn: role, "Tags.member.1.Key": "k" }).toString();
    expect(callsOf("sts", "POST", "/", {}, form).map((c) => c.action)).toEqual(["sts:AssumeRole", "sts:TagSession"]);
  });
});

describe("deniedCalls", () => {
  const call = { accessKeyId: "AKID", action: "dynamodb:Query", resource: `${table}/index/gsi1` };
  const principals = new Map([["AKID", "role"]]);

  it("allows by wildcard action and resource, and names what no statement allows", () => {
    const allow = { Effect: "Allow" as const, Action: "dynamodb:Q*", Resource: `${table}/index/*` };
    expect(deniedCalls([call], principals, new Map([["role", [allow]]]))).toEqual([]);
    // The index is its own resource: a grant on the table alone does not cover a query of its index.
    const tableOnly = { Effect: "Allow" as const, Action: "dynamodb:Query", Resource: table };
    expect(deniedCalls([call], principals, new Map([["role", [tableOnly]]]))).toEqual([{ ...call, role: "role" }]);
  });

  it("denies calls signed by keys of no known role, and explicit unconditional denies", () => {
    const allow = { Effect: "Allow" as const, Action: "*", Resource: "*" };
    expect(deniedCalls([{ ...call, accessKeyId: "OTHER" }], principals, new Map([["role", [allow]]]))).toHaveLength(1);
    const deny = { Effect: "Deny" as const, Action: "dynamodb:*", Resource: "*" };
    expect(deniedCalls([call], principals, new Map([["role", [allow, deny]]]))).toHaveLength(1);
  });
});
