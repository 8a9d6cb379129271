import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KMS_TAG_APP } from "../../functions/adapters/aws/kms-keys.js";
import { ROUTES, routeKey } from "../../functions/http/contract.js";
import { FAMILY_ACCESS, WORKER_ACCESS } from "../../infra/stateless-stack.js";
import { DEFAULT_THROTTLING, isThrottledPublicRoute } from "../../infra/throttling.js";
import { type SynthesizedGateway, synthGateway } from "./gateway-fixture.js";

// Security properties of the synthesized templates: who may sign with the issuers' keys, API throttling, encryption
// at rest.

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}

let gw: SynthesizedGateway;
let stateless: Record<string, Resource>;
let stateful: Record<string, Resource>;

beforeAll(() => {
  gw = synthGateway();
  stateless = gw.templates.stateless.toJSON().Resources as Record<string, Resource>;
  stateful = gw.templates.stateful.toJSON().Resources as Record<string, Resource>;
});

afterAll(() => gw?.dispose());

const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

/** The key policy handed to the functions that create keys, with CloudFormation tokens left as they are. */
function keyPolicies(): { logicalId: string; policy: { Statement: Record<string, unknown>[] } }[] {
  return ofType(stateless, "AWS::Lambda::Function").flatMap(([logicalId, fn]) => {
    const vars = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const raw = vars?.GATEWAY_KMS_KEY_POLICY;
    if (raw === undefined) return [];
    // Fn::Join of literal JSON text and tokens (partition, account, role ARNs), each token inside a JSON string.
    const parts = (raw as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];
    const text = parts.map((p) => (typeof p === "string" ? p : "TOKEN")).join("");
    return [{ logicalId, policy: JSON.parse(text) }];
  });
}

describe("KMS key policy of the issuers' signing keys", () => {
  it("is given only to the function that creates keys", () => {
    // Act
    const holders = keyPolicies().map((k) => k.logicalId);

    // Assess
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(/^IssuersFunction/);
  });

  it("lets only the signing roles sign, denies signing to every other principal, and keeps the root to administer", () => {
    // Prepare
    const [held] = keyPolicies();
    const byId = new Map(held?.policy.Statement.map((s) => [s.Sid as string, s]));

    // Assess
    const signers = byId.get("GatewaySignersSignWithAppKeys");
    expect(signers?.Effect).toBe("Allow");
    expect(signers?.Action).toEqual(["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"]);
    const signing = [...Object.values(FAMILY_ACCESS), ...Object.values(WORKER_ACCESS)].filter((a) => a.kmsSign);
    expect((signers?.Principal as { AWS: unknown[] } | undefined)?.AWS).toHaveLength(signing.length);
    expect(signers?.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/${KMS_TAG_APP}`]: "edc-gateway" } });
    const deny = byId.get("NobodyElseSigns");
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Action: "kms:Sign" });
    expect(Object.keys(deny?.Condition as object)).toEqual(["ArnNotEquals"]);
    const admin = byId.get("AccountAdministersTheKeyButNeverSigns");
    expect(admin?.Action).not.toContain("kms:Sign");
    expect(JSON.stringify(admin?.Action)).not.toMatch(/kms:\*|Sign"/);
  });
});

describe("API throttling", () => {
  it("throttles the whole stage and, tighter, every public route that does work", () => {
    // Prepare
    const [[, stage] = ["", undefined]] = ofType(stateless, "AWS::ApiGatewayV2::Stage");
    const props = stage?.Properties as {
      DefaultRouteSettings?: Record<string, number>;
      RouteSettings?: Record<string, Record<string, number>>;
    };

    // Assess
    expect(props.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: DEFAULT_THROTTLING.rateLimit,
      ThrottlingBurstLimit: DEFAULT_THROTTLING.burstLimit,
    });
    const throttled = ROUTES.filter(isThrottledPublicRoute).map(routeKey).sort();
    expect(throttled).toEqual(
      expect.arrayContaining(["POST /v1/convert", "POST /v1/check", "POST /v1/credentials/verify"]),
    );
    expect(Object.keys(props.RouteSettings ?? {}).sort()).toEqual(throttled);
    for (const key of throttled) {
      expect(props.RouteSettings?.[key]).toEqual({
        ThrottlingRateLimit: DEFAULT_THROTTLING.publicRateLimit,
        ThrottlingBurstLimit: DEFAULT_THROTTLING.publicBurstLimit,
      });
    }
  });
});

describe("encryption at rest", () => {
  it("encrypts the table, every queue and every bucket", () => {
    // Act
    const tables = ofType(stateful, "AWS::DynamoDB::GlobalTable");
    const queues = ofType(stateful, "AWS::SQS::Queue");
    const buckets = ofType(stateful, "AWS::S3::Bucket");

    // Assess
    expect(tables.length).toBeGreaterThan(0);
    for (const [, t] of tables) expect(t.Properties?.SSESpecification).toMatchObject({ SSEEnabled: true });
    expect(queues.length).toBeGreaterThan(0);
    for (const [id, q] of queues) {
      const p = q.Properties ?? {};
      expect(p.SqsManagedSseEnabled === true || p.KmsMasterKeyId !== undefined, id).toBe(true);
    }
    for (const [id, b] of buckets) expect(b.Properties?.BucketEncryption, id).toBeDefined();
  });
});
