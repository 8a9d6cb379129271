import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KMS_TAG_APP, KMS_TAG_ISSUER } from "../../functions/adapters/aws/kms-keys.js";
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

  it("lets only the signer role sign, only for its session's issuer, and denies signing to everyone else", () => {
    // Prepare
    const [held] = keyPolicies();
    const byId = new Map(held?.policy.Statement.map((s) => [s.Sid as string, s]));

    // Assess
    const signer = byId.get("SignerRoleSignsForItsSessionIssuer");
    expect(signer).toMatchObject({ Effect: "Allow", Action: "kms:Sign", Principal: { AWS: "TOKEN" } });
    expect(signer?.Condition).toEqual({
      StringEquals: {
        [`aws:ResourceTag/${KMS_TAG_APP}`]: "edc-gateway",
        [`aws:ResourceTag/${KMS_TAG_ISSUER}`]: `\${aws:PrincipalTag/${KMS_TAG_ISSUER}}`,
      },
    });
    const readers = byId.get("GatewayFunctionsReadAppKeys");
    expect(readers?.Action).toEqual(["kms:GetPublicKey", "kms:DescribeKey", "kms:ListResourceTags"]);
    expect((readers?.Principal as { AWS: unknown[] } | undefined)?.AWS).toHaveLength(signingFunctionCount());
    const deny = byId.get("NobodyElseSigns");
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Action: "kms:Sign" });
    expect(deny?.Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": "TOKEN" } });
    const untagged = byId.get("NoSigningWithoutAnIssuerSession");
    expect(untagged).toMatchObject({ Effect: "Deny", Principal: "*", Action: "kms:Sign" });
    expect(untagged?.Condition).toEqual({ Null: { [`aws:PrincipalTag/${KMS_TAG_ISSUER}`]: "true" } });
    const admin = byId.get("AccountAdministersTheKeyButNeverSigns");
    expect(admin?.Action).not.toContain("kms:Sign");
    expect(JSON.stringify(admin?.Action)).not.toMatch(/kms:\*|Sign"/);
    const allows = held?.policy.Statement.filter((s) => s.Effect === "Allow") ?? [];
    expect(allows.filter((s) => JSON.stringify(s.Action).includes("kms:Sign")).map((s) => s.Sid)).toEqual([
      "SignerRoleSignsForItsSessionIssuer",
    ]);
  });

  it("names the signer role as the only signer, the one the signing functions are told to assume", () => {
    // Prepare
    const [held] = keyPolicies();
    const issuersVars = variablesOf(stateless[held?.logicalId ?? ""]);
    const policyParts = (issuersVars.GATEWAY_KMS_KEY_POLICY as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];

    // Act
    const signerRoleRefs = policyParts.filter((p) => typeof p !== "string").map((p) => JSON.stringify(p));

    // Assess
    const signerRef = JSON.stringify({ "Fn::GetAtt": [signerRoleId(), "Arn"] });
    expect(signerRoleRefs.filter((r) => r === signerRef)).toHaveLength(2);
    expect(issuersVars.GATEWAY_SIGNER_ROLE_ARN).toEqual({ "Fn::GetAtt": [signerRoleId(), "Arn"] });
  });
});

type Vars = Record<string, unknown>;

const propsOf = (r: Resource | undefined): Record<string, unknown> => r?.Properties ?? {};
const variablesOf = (fn: Resource | undefined): Vars =>
  (propsOf(fn).Environment as { Variables?: Vars } | undefined)?.Variables ?? {};
/** The logical id of a function's role (`Role: {Fn::GetAtt: [id, Arn]}`). */
const roleIdOf = (fn: Resource): string => (propsOf(fn).Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
type PolicyStatementJson = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
  Principal?: unknown;
};

const signingFunctionCount = () =>
  [...Object.values(FAMILY_ACCESS), ...Object.values(WORKER_ACCESS)].filter((a) => a.kmsSign).length;

function signerRoleId(): string {
  const ids = ofType(stateless, "AWS::IAM::Role")
    .map(([id]) => id)
    .filter((id) => id.startsWith("SignerRole"));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** The statements of the inline policies attached to a role (by logical id). */
function inlineStatementsOf(roleId: string): PolicyStatementJson[] {
  return ofType(stateless, "AWS::IAM::Policy")
    .filter(([, p]) => JSON.stringify(p.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap(([, p]) => (propsOf(p).PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
}

const actions = (s: PolicyStatementJson) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Logical ids of the roles of the functions that sign (their GATEWAY_SIGNER_ROLE_ARN is set). */
function signingFunctionRoleIds(): string[] {
  return ofType(stateless, "AWS::Lambda::Function")
    .filter(([, fn]) => variablesOf(fn).GATEWAY_SIGNER_ROLE_ARN !== undefined)
    .map(([, fn]) => roleIdOf(fn));
}

describe("per-issuer signing with STS session tags", () => {
  it("lets only the signing functions' roles assume the signer role, only with one non-empty issuer session tag", () => {
    // Prepare
    const id = signerRoleId();
    const trust = (propsOf(stateless[id]).AssumeRolePolicyDocument as { Statement: PolicyStatementJson[] }).Statement;

    // Assess
    expect(trust).toHaveLength(1);
    const [statement] = trust;
    expect(statement?.Effect).toBe("Allow");
    expect(actions(statement as PolicyStatementJson).sort()).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(statement?.Condition).toEqual({
      StringLike: { [`aws:RequestTag/${KMS_TAG_ISSUER}`]: "?*" },
      "ForAllValues:StringEquals": { "aws:TagKeys": [KMS_TAG_ISSUER] },
    });
    const principals = (statement as PolicyStatementJson).Principal as { AWS: { "Fn::GetAtt": [string, string] }[] };
    expect(principals.AWS.map((p) => p["Fn::GetAtt"][0]).sort()).toEqual(signingFunctionRoleIds().sort());
    expect(principals.AWS).toHaveLength(signingFunctionCount());
  });

  it("lets the signer role sign only with app keys whose issuer tag equals the session's, and do nothing else", () => {
    // Act
    const statements = inlineStatementsOf(signerRoleId());

    // Assess
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: "kms:Sign",
        Condition: {
          StringEquals: {
            [`aws:ResourceTag/${KMS_TAG_APP}`]: "edc-gateway",
            [`aws:ResourceTag/${KMS_TAG_ISSUER}`]: `\${aws:PrincipalTag/${KMS_TAG_ISSUER}}`,
          },
        },
      }),
    ]);
  });

  it("takes kms:Sign away from every function role: they may only assume the signer role", () => {
    // Prepare
    const functionRoles = ofType(stateless, "AWS::Lambda::Function").map(([, fn]) => roleIdOf(fn));
    const signing = signingFunctionRoleIds();

    // Act
    const byRole = Object.fromEntries(functionRoles.map((role) => [role, inlineStatementsOf(role)]));

    // Assess
    expect(signing).toHaveLength(signingFunctionCount());
    for (const [role, statements] of Object.entries(byRole)) {
      expect(statements.flatMap(actions), role).not.toContain("kms:Sign");
      expect(
        statements.flatMap(actions).filter((a) => a === "*" || a === "kms:*"),
        role,
      ).toEqual([]);
      const assume = statements.filter((s) => actions(s).some((a) => a.startsWith("sts:")));
      if (signing.includes(role)) {
        expect(assume, role).toEqual([
          expect.objectContaining({
            Effect: "Allow",
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Resource: { "Fn::GetAtt": [signerRoleId(), "Arn"] },
          }),
        ]);
      } else {
        expect(assume, role).toEqual([]);
      }
    }
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
