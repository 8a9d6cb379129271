/**
 * The stateful half of the gateway: what holds data and must survive redeployments of the functions. Everything here
 * is retained when the stack is deleted. The stateless stack receives these resources as props.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { type ITopic, Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import {
  GSI1_NAME,
  GSI1_PARTITION_KEY,
  GSI1_SORT_KEY,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from "../functions/adapters/aws/table.js";

export interface StatefulStackProps extends StackProps {
  /** Origins allowed to PUT bulk uploads straight into the bucket with presigned URLs (the verifier page's). */
  uploadCorsOrigins?: string[];
  /**
   * An existing SNS topic for the alarms. Without it the stack creates its own topic (output `AlarmTopicArn`), so the
   * alarms always notify something an operator can subscribe to.
   */
  alarmTopicArn?: string;
  /** Subscribes this address (by email; AWS sends a confirmation first) to the topic the stack creates. */
  alarmEmail?: string;
}

/** An SNS topic ARN: `arn:<partition>:sns:<region>:<account>:<name>`. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** Deliberately loose (SNS checks the address by sending a confirmation): one @, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** How long a bulk upload stays in the bucket: jobs read it within minutes; keeping it longer only keeps PII. */
export const UPLOAD_EXPIRY_DAYS = 7;
/** Receives before a message moves to its dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/**
 * Visibility timeout of the work queues: AWS advises six times the consuming function's timeout for Lambda event
 * sources; consumers run with a one-minute timeout (`WORKER_TIMEOUT` in the stateless stack, checked by its tests).
 */
export const VISIBILITY_TIMEOUT = Duration.minutes(6);

/**
 * Item-level DynamoDB actions: single items, batches, queries, and what TransactWriteItems needs (Put/Update/Delete/
 * ConditionCheck). No Scan, no table management, no streams: the store reaches items by key or through gsi1.
 */
export const TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;

/**
 * Customer managed policies granting use of this stack's data, one per kind of access. The stateless stack attaches
 * to each function's role only those its family needs. Defining them here keeps every statement about a resource next
 * to the resource, in the same template, so a wildcard over a bucket's objects is acknowledged against that bucket.
 */
export interface DataAccessPolicies {
  tableReadWrite: ManagedPolicy;
  jobsSend: ManagedPolicy;
  deliveriesSend: ManagedPolicy;
  /** The deliveries worker: a delivery's message after its last attempt. */
  deliveriesDeadLetterSend: ManagedPolicy;
  uploadsReadWrite: ManagedPolicy;
  /** The jobs worker: read an uploaded input into chunks, then delete it. */
  uploadsReadDelete: ManagedPolicy;
}

export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly jobsQueue: Queue;
  readonly deliveriesQueue: Queue;
  readonly uploadsBucket: Bucket;
  /** The dead-letter queues by name, each with an alarm in {@link dlqAlarms}. */
  readonly deadLetterQueues: Record<"jobs" | "deliveries", Queue>;
  readonly dlqAlarms: Alarm[] = [];
  /** Where every alarm of the gateway sends its ALARM and OK notifications. */
  readonly alarmTopic: ITopic;
  readonly access: DataAccessPolicies;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);

    this.table = new TableV2(this, "Table", {
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: GSI1_NAME,
          partitionKey: { name: GSI1_PARTITION_KEY, type: AttributeType.STRING },
          sortKey: { name: GSI1_SORT_KEY, type: AttributeType.STRING },
        },
      ],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // An AWS managed key makes encryption at rest explicit (SSEEnabled) at no key cost; callers need no KMS grant.
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const jobs = this.workQueue("Jobs");
    const deliveries = this.workQueue("Deliveries");
    this.jobsQueue = jobs.queue;
    this.deliveriesQueue = deliveries.queue;
    this.deadLetterQueues = { jobs: jobs.dlq, deliveries: deliveries.dlq };

    this.alarmTopic = this.alarmTopicFor(props);
    const notify = new SnsAction(this.alarmTopic);
    for (const [name, dlq] of Object.entries(this.deadLetterQueues)) {
      const alarm = new Alarm(this, `${dlq.node.id}Alarm`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: ${MAX_RECEIVE_COUNT} attempts failed. Inspect and redrive.`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.dlqAlarms.push(alarm);
    }

    const accessLogs = new Bucket(this, "AccessLogsBucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // S3 server access logging delivers only to buckets encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This bucket is the server access log destination; logging it to itself would log its own log writes.",
    });

    this.uploadsBucket = new Bucket(this, "UploadsBucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "uploads/",
      lifecycleRules: [
        { expiration: Duration.days(UPLOAD_EXPIRY_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: props.uploadCorsOrigins?.length
        ? [
            {
              allowedMethods: [HttpMethods.PUT],
              allowedOrigins: props.uploadCorsOrigins,
              allowedHeaders: ["content-type", "content-length", "x-amz-*"],
              maxAge: 3600,
            },
          ]
        : undefined,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.access = this.accessPolicies();
  }

  /** The operator's topic when given, else one created here, with the operator's email subscribed when given. */
  private alarmTopicFor(props: StatefulStackProps): ITopic {
    if (props.alarmTopicArn !== undefined) {
      if (!TOPIC_ARN.test(props.alarmTopicArn)) {
        throw new Error(`alarmTopicArn must be an SNS topic ARN, got "${props.alarmTopicArn}"`);
      }
      // Subscriptions of a topic the stack does not own are its owner's to manage.
      if (props.alarmEmail !== undefined) throw new Error("give alarmEmail or alarmTopicArn, not both");
      return Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn);
    }
    if (props.alarmEmail !== undefined && !EMAIL.test(props.alarmEmail)) {
      throw new Error(`alarmEmail must be an email address, got "${props.alarmEmail}"`);
    }
    const topic = new Topic(this, "AlarmTopic", {
      displayName: `${this.stackName} alarms`,
      enforceSSL: true,
    });
    Validations.of(topic).acknowledge({
      id: "AwsSolutions-SNS2",
      reason:
        "CloudWatch alarms can publish to an encrypted topic only with a customer managed key whose policy admits " +
        "cloudwatch.amazonaws.com (not the AWS managed SNS key); the notifications carry only alarm and queue names.",
    });
    if (props.alarmEmail !== undefined) topic.addSubscription(new EmailSubscription(props.alarmEmail));
    new CfnOutput(this, "AlarmTopicArn", {
      value: topic.topicArn,
      description: "SNS topic of the gateway's alarms: subscribe to it (email, chat, paging) to be told",
    });
    return topic;
  }

  private accessPolicies(): DataAccessPolicies {
    const policy = (id: string, description: string, statement: PolicyStatement) =>
      new ManagedPolicy(this, id, { description, statements: [statement] });
    const sendTo = (queue: Queue) =>
      new PolicyStatement({
        actions: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        resources: [queue.queueArn],
      });
    // The jobs family pre-signs PUTs (the URL carries its role's permission), checks an upload exists (HEAD needs
    // GetObject) and deletes one over the size limit; the worker reads an input and deletes it once chunked.
    const uploadsReadWrite = policy(
      "UploadsReadWritePolicy",
      "Put, get and delete bulk upload objects",
      new PolicyStatement({
        actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
        resources: [this.uploadsBucket.arnForObjects("*")],
      }),
    );
    const uploadsReadDelete = policy(
      "UploadsReadDeletePolicy",
      "Get and delete bulk upload objects",
      new PolicyStatement({
        actions: ["s3:GetObject", "s3:DeleteObject"],
        resources: [this.uploadsBucket.arnForObjects("*")],
      }),
    );
    const bucketLogicalId = this.resolve((this.uploadsBucket.node.defaultChild as CfnBucket).logicalId);
    for (const uploads of [uploadsReadWrite, uploadsReadDelete]) {
      Validations.of(uploads).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
        reason:
          "Upload object keys are generated per job at run time; the grant covers the objects of this one bucket.",
      });
    }
    return {
      tableReadWrite: policy(
        "TableReadWritePolicy",
        "Read and write items of the gateway table and query its index",
        new PolicyStatement({
          actions: [...TABLE_ACTIONS],
          resources: [this.table.tableArn, `${this.table.tableArn}/index/${GSI1_NAME}`],
        }),
      ),
      jobsSend: policy("JobsSendPolicy", "Send messages to the jobs queue", sendTo(this.jobsQueue)),
      deliveriesSend: policy(
        "DeliveriesSendPolicy",
        "Send messages to the deliveries queue",
        sendTo(this.deliveriesQueue),
      ),
      deliveriesDeadLetterSend: policy(
        "DeliveriesDeadLetterSendPolicy",
        "Send given-up deliveries to the deliveries dead-letter queue",
        sendTo(this.deadLetterQueues.deliveries),
      ),
      uploadsReadWrite,
      uploadsReadDelete,
    };
  }

  /** A work queue and its dead-letter queue, both TLS-only with SQS-managed encryption. */
  private workQueue(name: string): { queue: Queue; dlq: Queue } {
    const dlq = new Queue(this, `${name}DeadLetterQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const queue = new Queue(this, `${name}Queue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return { queue, dlq };
  }
}
