/**
 * The key policy of the issuers' KMS signing keys. Keys are created at run time by the
 * issuers function (one set per issuer), so the policy is handed to it as `GATEWAY_KMS_KEY_POLICY` and passed to
 * `CreateKey`; it cannot be a CDK resource of its own.
 *
 * What the policy enforces: only the gateway's signing roles may sign or read the public key, everyone else in the
 * account (administrators included) is explicitly denied `kms:Sign`, and the account root keeps key administration
 * (never signing), so a key can never become unmanageable. Per-issuer scoping inside the gateway (a request for issuer
 * A can never sign with B's key) is enforced by the gateway's code (`requireIssuer` before any signing, keys found
 * through the issuer's own record) and by the `edc-gateway:issuer` tag on every key; see SECURITY.md for the session-
 * tag ABAC design that would move it into IAM as well.
 */
import { Aws } from "aws-cdk-lib";
import { KMS_TAG_APP } from "../functions/adapters/aws/kms-keys.js";

/** Actions the account root keeps over a signing key: administration, never use. */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:EnableKey",
  "kms:GetKeyPolicy",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateKeyDescription",
] as const;

/**
 * The key policy document of a signing key. `signerRoleArns` are the roles of the functions that sign (tokens may
 * resolve at deploy time); `appName` is the value of the app tag the IAM policies match too.
 */
export function signingKeyPolicy(signerRoleArns: string[], appName: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersTheKeyButNeverSigns",
        Effect: "Allow",
        Principal: { AWS: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root` },
        Action: [...KEY_ADMIN_ACTIONS],
        Resource: "*",
      },
      {
        Sid: "GatewaySignersSignWithAppKeys",
        Effect: "Allow",
        Principal: { AWS: signerRoleArns },
        Action: ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { [`aws:ResourceTag/${KMS_TAG_APP}`]: appName } },
      },
      {
        Sid: "NobodyElseSigns",
        Effect: "Deny",
        Principal: "*",
        Action: "kms:Sign",
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": signerRoleArns } },
      },
    ],
  };
}
