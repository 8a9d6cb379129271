/**
 * Deploys the synthesized templates onto moto, the way CloudFormation would for the resources the functions touch:
 * every resource is created from its template properties when something first needs it (a Ref, a GetAtt, a
 * cross-stack output), and intrinsic functions are resolved to the emulated resources' names and ARNs. Nothing here
 * knows the gateway's table, queues or bucket by name: they come from the template alone.
 *
 * Created in moto: DynamoDB global tables (as a table in the one region), SQS queues (with their redrive policies),
 * S3 buckets, IAM managed policies, roles and inline policies. Known but not emulated (their names or ARNs are made
 * up as CloudFormation would): log groups, Lambda functions (they run as child processes, `functions.ts`), the HTTP
 * API (its endpoint is the local HTTP front). Alarms, rules, routes, permissions, bucket and queue policies are not
 * created: the rehearsal reads routes and event source mappings straight from the template.
 */
import { randomBytes } from "node:crypto";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { IamQuery } from "./aws-query.js";
import { xmlValue } from "./aws-query.js";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: string }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface StackTemplate {
  stackName: string;
  template: CfnTemplate;
}

/** What a deployed resource answers to `Ref` and `Fn::GetAtt`. */
export interface Physical {
  ref: string;
  attrs: Record<string, string>;
}

export interface DeploymentClients {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  s3: S3Client;
  iam: IamQuery;
}

export interface DeploymentOptions {
  /** Parameter values by stack name, then parameter name (defaults from the template otherwise). */
  parameters: Record<string, Record<string, string>>;
  /** The local HTTP front standing in for the HTTP API's `ApiEndpoint`. */
  apiEndpoint: string;
  /**
   * Multiplies queues' VisibilityTimeout (seconds, rounded up, at least 1): redelivery after six minutes would make a
   * retry test last half an hour. 1 keeps the template's value.
   */
  visibilityScale: number;
  /** Rewrites an IAM policy document before it is created; identity by default. */
  policyDocument?: (document: unknown, where: string) => unknown;
}

type Json = unknown;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export class Deployment {
  readonly #stacks: Map<string, StackTemplate>;
  readonly #clients: DeploymentClients;
  readonly #options: DeploymentOptions;
  readonly #physical = new Map<string, Promise<Physical>>();

  constructor(stacks: StackTemplate[], clients: DeploymentClients, options: DeploymentOptions) {
    this.#stacks = new Map(stacks.map((s) => [s.stackName, s]));
    this.#clients = clients;
    this.#options = options;
  }

  stack(stackName: string): StackTemplate {
    const stack = this.#stacks.get(stackName);
    if (!stack) throw new Error(`no stack named ${stackName} in the assembly`);
    return stack;
  }

  /** The resources of `type` in a stack, by logical id. */
  resourcesOf(stackName: string, type: string): [string, CfnResource][] {
    return Object.entries(this.stack(stackName).template.Resources).filter(([, r]) => r.Type === type);
  }

  /** Creates (once) and describes the resource `logicalId` of `stackName`. */
  physical(stackName: string, logicalId: string): Promise<Physical> {
    const key = `${stackName}/${logicalId}`;
    let made = this.#physical.get(key);
    if (!made) {
      made = this.#create(stackName, logicalId);
      this.#physical.set(key, made);
    }
    return made;
  }

  /** Resolves the intrinsic functions in `value` against the deployment (creating what they reference). */
  async resolve(stackName: string, value: Json): Promise<Json> {
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.resolve(stackName, v)));
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = value[fn];
      switch (fn) {
        case "Ref":
          return this.#ref(stackName, String(arg));
        case "Fn::GetAtt": {
          const [id, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split(".");
          const physical = await this.physical(stackName, String(id));
          const out = physical.attrs[String(attr)];
          if (out === undefined) throw new Error(`${stackName}/${id} has no attribute ${attr} in the rehearsal`);
          return out;
        }
        case "Fn::Join": {
          const [sep, parts] = arg as [string, Json[]];
          const resolved = (await this.resolve(stackName, parts)) as Json[];
          return resolved.map(String).join(sep);
        }
        case "Fn::Sub":
          return this.#sub(stackName, arg);
        case "Fn::GetStackOutput": {
          const { StackName, OutputName } = arg as { StackName: string; OutputName: string };
          const output = this.stack(StackName).template.Outputs?.[OutputName];
          if (!output) throw new Error(`stack ${StackName} has no output ${OutputName}`);
          return this.resolve(StackName, output.Value);
        }
        case "Fn::ImportValue":
          throw new Error("Fn::ImportValue: the stacks use weak cross-stack references (Fn::GetStackOutput)");
        default:
          if (fn.startsWith("Fn::")) throw new Error(`${fn} is not supported by the rehearsal`);
      }
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await this.resolve(stackName, v);
    return out;
  }

  async #ref(stackName: string, name: string): Promise<string> {
    switch (name) {
      case "AWS::Partition":
        return "aws";
      case "AWS::Region":
        return REGION;
      case "AWS::AccountId":
        return ACCOUNT_ID;
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::StackName":
        return stackName;
      case "AWS::NoValue":
        throw new Error("AWS::NoValue is not supported by the rehearsal");
    }
    const template = this.stack(stackName).template;
    if (template.Parameters && name in template.Parameters) {
      const value = this.#options.parameters[stackName]?.[name] ?? template.Parameters[name]?.Default;
      if (value === undefined) throw new Error(`parameter ${stackName}:${name} has no value and no default`);
      return value;
    }
    return (await this.physical(stackName, name)).ref;
  }

  async #sub(stackName: string, arg: Json): Promise<string> {
    const [text, vars] = typeof arg === "string" ? [arg, {}] : (arg as [string, Record<string, Json>]);
    let out = "";
    let last = 0;
    for (const m of text.matchAll(/\$\{([^}]+)\}/g)) {
      out += text.slice(last, m.index);
      const name = m[1] ?? "";
      if (name in vars) out += String(await this.resolve(stackName, vars[name]));
      else if (name.includes(".") && !name.startsWith("AWS::")) {
        const [id, attr] = name.split(".", 2);
        out += String(await this.resolve(stackName, { "Fn::GetAtt": [id, attr] }));
      } else out += await this.#ref(stackName, name);
      last = (m.index ?? 0) + m[0].length;
    }
    return out + text.slice(last);
  }

  /** A physical name as CloudFormation makes one: stack, logical id and a random suffix. */
  #name(stackName: string, logicalId: string, max = 64): string {
    const suffix = randomBytes(6).toString("hex").toUpperCase().slice(0, 12);
    return `${stackName}-${logicalId}`.slice(0, max - 13) + `-${suffix}`;
  }

  async #create(stackName: string, logicalId: string): Promise<Physical> {
    const resource = this.stack(stackName).template.Resources[logicalId];
    if (!resource) throw new Error(`${stackName} has no resource ${logicalId}`);
    const props = (await this.resolve(stackName, resource.Properties ?? {})) as Record<string, Json>;
    const where = `${stackName}/${logicalId}`;
    const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${rest}`;
    switch (resource.Type) {
      case "AWS::DynamoDB::GlobalTable":
      case "AWS::DynamoDB::Table": {
        const name = (props.TableName as string | undefined) ?? this.#name(stackName, logicalId, 255);
        const replica = (props.Replicas as Record<string, Json>[] | undefined)?.find((r) => r.Region === REGION);
        const input: CreateTableCommandInput = {
          TableName: name,
          AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput["AttributeDefinitions"],
          KeySchema: props.KeySchema as CreateTableCommandInput["KeySchema"],
          BillingMode: props.BillingMode as CreateTableCommandInput["BillingMode"],
          GlobalSecondaryIndexes: props.GlobalSecondaryIndexes as CreateTableCommandInput["GlobalSecondaryIndexes"],
          ...(isRecord(props.SSESpecification) ? { SSESpecification: { Enabled: true } } : {}),
          ...(replica?.DeletionProtectionEnabled ? { DeletionProtectionEnabled: true } : {}),
        };
        await this.#clients.dynamo.send(new CreateTableCommand(input));
        const ttl = props.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
        if (ttl) {
          await this.#clients.dynamo.send(
            new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: ttl }),
          );
        }
        return { ref: name, attrs: { Arn: arn("dynamodb", `table/${name}`) } };
      }
      case "AWS::SQS::Queue": {
        const name = (props.QueueName as string | undefined) ?? this.#name(stackName, logicalId, 80);
        const attributes: Record<string, string> = {};
        for (const key of [
          "DelaySeconds",
          "MessageRetentionPeriod",
          "MaximumMessageSize",
          "ReceiveMessageWaitTimeSeconds",
        ]) {
          if (props[key] !== undefined) attributes[key] = String(props[key]);
        }
        if (props.VisibilityTimeout !== undefined) {
          const scaled = Math.max(1, Math.ceil(Number(props.VisibilityTimeout) * this.#options.visibilityScale));
          attributes.VisibilityTimeout = String(scaled);
        }
        if (props.RedrivePolicy !== undefined) attributes.RedrivePolicy = JSON.stringify(props.RedrivePolicy);
        if (props.SqsManagedSseEnabled !== undefined) {
          attributes.SqsManagedSseEnabled = String(props.SqsManagedSseEnabled);
        }
        const made = await this.#clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
        const url = made.QueueUrl ?? "";
        const got = await this.#clients.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
        );
        return { ref: url, attrs: { Arn: got.Attributes?.QueueArn ?? "", QueueName: name, QueueUrl: url } };
      }
      case "AWS::S3::Bucket": {
        const name = (props.BucketName as string | undefined) ?? this.#name(stackName, logicalId, 63).toLowerCase();
        await this.#clients.s3.send(new CreateBucketCommand({ Bucket: name }));
        return {
          ref: name,
          attrs: { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` },
        };
      }
      case "AWS::IAM::ManagedPolicy": {
        const name = (props.ManagedPolicyName as string | undefined) ?? this.#name(stackName, logicalId, 128);
        const document = this.#policy(props.PolicyDocument, where);
        const xml = await this.#clients.iam.call("CreatePolicy", {
          PolicyName: name,
          PolicyDocument: JSON.stringify(document),
          ...(props.Description ? { Description: String(props.Description) } : {}),
        });
        const policyArn = xmlValue(xml, "Arn") ?? "";
        return { ref: policyArn, attrs: { PolicyArn: policyArn } };
      }
      case "AWS::IAM::Role": {
        const name = (props.RoleName as string | undefined) ?? this.#name(stackName, logicalId, 64);
        const xml = await this.#clients.iam.call("CreateRole", {
          RoleName: name,
          AssumeRolePolicyDocument: JSON.stringify(props.AssumeRolePolicyDocument),
          ...(props.MaxSessionDuration ? { MaxSessionDuration: String(props.MaxSessionDuration) } : {}),
        });
        for (const policyArn of (props.ManagedPolicyArns as string[] | undefined) ?? []) {
          await this.#clients.iam.call("AttachRolePolicy", { RoleName: name, PolicyArn: policyArn });
        }
        return { ref: name, attrs: { Arn: xmlValue(xml, "Arn") ?? "", RoleId: xmlValue(xml, "RoleId") ?? "" } };
      }
      case "AWS::IAM::Policy": {
        const name = String(props.PolicyName);
        const document = this.#policy(props.PolicyDocument, where);
        for (const role of (props.Roles as string[] | undefined) ?? []) {
          await this.#clients.iam.call("PutRolePolicy", {
            RoleName: role,
            PolicyName: name,
            PolicyDocument: JSON.stringify(document),
          });
        }
        return { ref: name, attrs: {} };
      }
      case "AWS::Logs::LogGroup": {
        const name = (props.LogGroupName as string | undefined) ?? this.#name(stackName, logicalId, 512);
        return { ref: name, attrs: { Arn: arn("logs", `log-group:${name}:*`) } };
      }
      case "AWS::Lambda::Function": {
        const name = (props.FunctionName as string | undefined) ?? this.#name(stackName, logicalId, 64);
        return { ref: name, attrs: { Arn: arn("lambda", `function:${name}`) } };
      }
      case "AWS::ApiGatewayV2::Api":
        return { ref: "local", attrs: { ApiEndpoint: this.#options.apiEndpoint, ApiId: "local" } };
      default:
        throw new Error(`${where} (${resource.Type}) is referenced but not emulated by the rehearsal`);
    }
  }

  #policy(document: Json, where: string): Json {
    return this.#options.policyDocument ? this.#options.policyDocument(document, where) : document;
  }
}
