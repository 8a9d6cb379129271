/**
 * Alarm notifications: every CloudWatch alarm of the gateway notifies an SNS topic, the stack's own by default (with
 * the operator's email subscribed when `alarmEmail` is given) or the operator's (`alarmTopicArn`). The expected shapes
 * are CloudFormation's: AWS::CloudWatch::Alarm AlarmActions/OKActions, AWS::SNS::Subscription Protocol "email".
 */
import { App } from "aws-cdk-lib";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayOptionsFromContext } from "../../infra/gateway.js";
import { logicalIdOf, type SynthesizedGateway, synthGateway } from "./gateway-fixture.js";

const EMAIL = "operator@example.eu";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:registrar-alarms";

const alarmsOf = (template: Template) =>
  Object.values(template.findResources("AWS::CloudWatch::Alarm")) as {
    Properties: { AlarmActions?: unknown[]; OKActions?: unknown[] };
  }[];

let byDefault: SynthesizedGateway;
let withEmail: SynthesizedGateway;
let withTopic: SynthesizedGateway;

beforeAll(() => {
  byDefault = synthGateway();
  withEmail = synthGateway({ gateway: { alarmEmail: EMAIL } });
  withTopic = synthGateway({ gateway: { alarmTopicArn: TOPIC_ARN } });
}, 120_000);

afterAll(() => {
  for (const gw of [byDefault, withEmail, withTopic]) gw?.dispose();
});

describe("alarm notifications", () => {
  it("creates a TLS-only topic by default, notified by every alarm on ALARM and OK, and outputs its ARN", () => {
    // Prepare
    const { stateful } = byDefault;
    const topicId = logicalIdOf(stateful, stateful.alarmTopic);

    // Act
    const alarms = [...alarmsOf(byDefault.templates.stateful), ...alarmsOf(byDefault.templates.stateless)];

    // Assess
    byDefault.templates.stateful.resourceCountIs("AWS::SNS::Topic", 1);
    byDefault.templates.stateful.resourceCountIs("AWS::SNS::Subscription", 0);
    expect(alarms.length).toBeGreaterThanOrEqual(2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    byDefault.templates.stateful.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    byDefault.templates.stateful.hasOutput("AlarmTopicArn", { Value: { Ref: topicId } });
  });

  it("subscribes alarmEmail to the created topic by email", () => {
    // Prepare
    const { stateful } = withEmail;
    const topicId = logicalIdOf(stateful, stateful.alarmTopic);

    // Act
    const subscriptions = withEmail.templates.stateful.findResources("AWS::SNS::Subscription");

    // Assess
    expect(Object.values(subscriptions)).toHaveLength(1);
    withEmail.templates.stateful.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: EMAIL,
      TopicArn: { Ref: topicId },
    });
    for (const alarm of alarmsOf(withEmail.templates.stateful)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    }
  });

  it("uses alarmTopicArn instead of creating a topic", () => {
    // Act
    const alarms = [...alarmsOf(withTopic.templates.stateful), ...alarmsOf(withTopic.templates.stateless)];

    // Assess
    withTopic.templates.stateful.resourceCountIs("AWS::SNS::Topic", 0);
    expect(withTopic.templates.stateful.findOutputs("AlarmTopicArn")).toEqual({});
    expect(alarms.length).toBeGreaterThanOrEqual(2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([TOPIC_ARN]);
      expect(alarm.Properties.OKActions).toEqual([TOPIC_ARN]);
    }
  });

  it("refuses both keys at once, an address that is not one and an ARN that is not a topic's", () => {
    expect(() => synthGateway({ gateway: { alarmEmail: EMAIL, alarmTopicArn: TOPIC_ARN } })).toThrow(/not both/);
    expect(() => synthGateway({ gateway: { alarmEmail: "operator at example.eu" } })).toThrow(/alarmEmail/);
    expect(() =>
      synthGateway({ gateway: { alarmTopicArn: "arn:aws:sqs:eu-west-1:123456789012:registrar-alarms" } }),
    ).toThrow(/alarmTopicArn/);
  });

  it("reads alarmEmail and alarmTopicArn from CDK context", () => {
    // Prepare
    const app = new App({ context: { alarmEmail: EMAIL, alarmTopicArn: TOPIC_ARN } });

    // Act
    const options = gatewayOptionsFromContext(app);

    // Assess
    expect(options).toMatchObject({ alarmEmail: EMAIL, alarmTopicArn: TOPIC_ARN });
  });
});
