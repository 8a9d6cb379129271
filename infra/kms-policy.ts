/**
 * The key policy of the issuers' KMS signing keys. Keys are created at run time by the
 * issuers function (one set per issuer), so the policy is handed to it as `GATEWAY_KMS_KEY_POLICY` and passed to
 * `CreateKey`; it cannot be a CDK resource of its own.
 *
 * What the policy enforces:
 * - only the deployment's signer role may sign, and only in a session tagged `edc-gateway:issuer=<slug>` with a key
 *   tagged for the same issuer and this app (attribute-based access with STS session tags: the functions assume the
 *   signer role per issuer, see `functions/adapters/aws/sts-sessions.ts`);
 * - everyone else in the account (administrators and the functions' own roles included) is explicitly denied
 *   `kms:Sign`, and so is a signer-role session without the issuer tag;
 * - the gateway's functions may read public keys; the account root keeps key administration (never signing), so a
 *   key can never become unmanageable.
 */
import { Aws } from "aws-cdk-lib";
import { KMS_TAG_APP, KMS_TAG_ISSUER } from "../functions/adapters/aws/kms-keys.js";

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
 * The IAM policy variable of a session's issuer tag: in a condition value, IAM replaces it with the value of the
 * caller's `edc-gateway:issuer` session tag (and a condition using it does not match when the session has none).
 */
export const SESSION_ISSUER = `\${aws:PrincipalTag/${KMS_TAG_ISSUER}}`;

/**
 * The condition every signature must meet: the key belongs to this app and to the issuer the signing session is
 * tagged with. Shared by the key policy and the signer role's IAM policy.
 */
export function sameIssuerCondition(appName: string): Record<string, Record<string, string>> {
  return {
    StringEquals: {
      [`aws:ResourceTag/${KMS_TAG_APP}`]: appName,
      [`aws:ResourceTag/${KMS_TAG_ISSUER}`]: SESSION_ISSUER,
    },
  };
}

export interface SigningKeyPolicyOptions {
  /** The signer role the functions assume per issuer (a token at deploy time). */
  signerRoleArn: string;
  /** The roles of the functions that sign: they read public keys, but never sign themselves. */
  functionRoleArns: string[];
  /** Value of the app tag the IAM policies match too. */
  appName: string;
}

/** The key policy document of a signing key (see the module comment for what it enforces). */
export function signingKeyPolicy(options: SigningKeyPolicyOptions): Record<string, unknown> {
  const { signerRoleArn, functionRoleArns, appName } = options;
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
        Sid: "GatewayFunctionsReadAppKeys",
        Effect: "Allow",
        Principal: { AWS: functionRoleArns },
        // No tag condition: this policy is on the app's keys only, and right after CreateKey (when the issuers
        // function reads the new public key) KMS may not yet authorize by the new tags.
        Action: ["kms:GetPublicKey", "kms:DescribeKey", "kms:ListResourceTags"],
        Resource: "*",
      },
      {
        Sid: "SignerRoleSignsForItsSessionIssuer",
        Effect: "Allow",
        Principal: { AWS: signerRoleArn },
        Action: "kms:Sign",
        Resource: "*",
        Condition: sameIssuerCondition(appName),
      },
      {
        Sid: "NobodyElseSigns",
        Effect: "Deny",
        Principal: "*",
        Action: "kms:Sign",
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": signerRoleArn } },
      },
      {
        Sid: "NoSigningWithoutAnIssuerSession",
        Effect: "Deny",
        Principal: "*",
        Action: "kms:Sign",
        Resource: "*",
        Condition: { Null: { [`aws:PrincipalTag/${KMS_TAG_ISSUER}`]: "true" } },
      },
    ],
  };
}
